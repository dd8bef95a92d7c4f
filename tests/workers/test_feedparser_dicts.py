"""FeedParserDict's short ways answer exactly as feedparser's own: look-ups of plain keys,
missing keys and every alias feedparser keeps for old names, and deep copies."""

from __future__ import annotations

import ast
import copy
import inspect
import textwrap
import time
import warnings

import pytest
from feedparser.util import FeedParserDict
from hypothesis import given
from hypothesis import strategies as st

import workers.parse  # noqa: F401  (installs the short way, as the parse processes do)
from workers.feedparser_dicts import (
    ALIASED_KEYS,
    _feedparser_contains,
    _feedparser_get,
)


def sample() -> FeedParserDict:
    return FeedParserDict(
        title="A title",
        summary="the summary",
        published="Tue, 01 Dec 2026 10:00:00 GMT",
        tags=[FeedParserDict(term="World")],
        links=[
            FeedParserDict(rel="enclosure", href="https://x.test/a.mp3", type="audio/mpeg"),
            FeedParserDict(rel="license", href="https://x.test/licence"),
        ],
        href="https://x.test/",
        rights="(c) X",
    )


def test_the_short_way_is_installed() -> None:
    assert FeedParserDict.get is not _feedparser_get
    assert FeedParserDict.__contains__ is not _feedparser_contains
    assert "__deepcopy__" in vars(FeedParserDict)


# feedparser 6.0's aliases named here too, so that a name missing from ALIASED_KEYS is asked
FEEDPARSER_ALIASES = {"category", "enclosures", "license", "updated", "updated_parsed"}
PLAIN_KEYS = {"title", "summary", "tags", "links", "href", "published", "missing", "type", ""}


@pytest.mark.parametrize(
    "key", sorted(ALIASED_KEYS | FEEDPARSER_ALIASES | set(FeedParserDict.keymap) | PLAIN_KEYS)
)
def test_get_and_in_answer_as_feedparser_does(key: str) -> None:
    entry = sample()
    with warnings.catch_warnings():  # the "updated" → "published" fallback warns both ways
        warnings.simplefilter("ignore", DeprecationWarning)
        assert entry.get(key, "default") == _feedparser_get(entry, key, "default")
        assert (key in entry) == _feedparser_contains(entry, key)
        assert entry.has_key(key) == _feedparser_contains(entry, key)


def keys_compared_in(method: object) -> set[str]:
    """The string constants a method compares ``key`` with (``key == "x"``,
    ``key in ("x", "y")``)."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(method)))  # type: ignore[arg-type]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare) and ast.unparse(node.left) == "key":
            for constant in ast.walk(ast.Tuple(elts=node.comparators)):
                if isinstance(constant, ast.Constant) and isinstance(constant.value, str):
                    found.add(constant.value)
    return found


def test_every_key_feedparser_special_cases_is_an_alias() -> None:
    special = keys_compared_in(FeedParserDict.__getitem__) | keys_compared_in(_feedparser_contains)
    assert special, "FeedParserDict.__getitem__ no longer compares its key with names"
    assert special <= ALIASED_KEYS, (
        f"feedparser now answers {sorted(special - ALIASED_KEYS)} other than by the key "
        "itself: add them to ALIASED_KEYS in workers/feedparser_dicts.py (read "
        "FeedParserDict.__getitem__ and __contains__ in feedparser/util.py first)"
    )
    assert "keymap" in inspect.getsource(FeedParserDict.__getitem__)


def test_aliases_still_resolve() -> None:
    entry = sample()
    assert entry.get("description") == "the summary"  # keymap: description → summary
    assert entry.get("category") == "World"  # the first tag's term
    assert "copyright" in entry  # rights
    assert entry.get("url") == "https://x.test/"  # keymap: url → [href]
    assert entry.setdefault("title", "other") == "A title"
    assert entry.setdefault("author", "someone") == "someone"
    assert dict.get(entry, "author") == "someone"


def generic_deepcopy(value: FeedParserDict) -> FeedParserDict:
    """The copy ``copy.deepcopy`` made before FeedParserDict had a ``__deepcopy__``."""
    copied: FeedParserDict = copy._reconstruct(  # type: ignore[attr-defined]
        value, {}, *value.__reduce_ex__(4)
    )
    return copied


def test_deepcopy_makes_the_generic_copy() -> None:
    params = FeedParserDict(type="text/html", language="en", base="https://x.test/")
    entry = sample()
    entry["content"] = [params]
    dict.__setitem__(entry, "description", "an old name, kept raw")  # remapped on copy
    entry.note = "an attribute"
    for original in (params, entry):
        copied = copy.deepcopy(original)
        generic = generic_deepcopy(original)
        assert type(copied) is type(generic) is FeedParserDict
        assert dict(copied) == dict(generic)
        assert vars(copied) == vars(generic)
    copied = copy.deepcopy(entry)
    assert "description" not in dict.keys(copied) and copied["summary"] == "an old name, kept raw"
    copied["tags"][0]["term"] = "changed"
    copied["content"][0]["type"] = "text/plain"
    assert entry["tags"][0]["term"] == "World" and params["type"] == "text/html"


def test_deepcopy_keeps_shared_and_circular_references() -> None:
    shared = FeedParserDict(term="World")
    entry = FeedParserDict(tags=[shared, shared])
    entry["self"] = entry
    copied = copy.deepcopy(entry)
    assert copied["self"] is copied
    assert copied["tags"][0] is copied["tags"][1] is not shared


class NamedDict(FeedParserDict):
    """A subclass whose ``__init__`` wants an argument, which the generic copy never calls."""

    def __init__(self, name: str) -> None:
        super().__init__(name=name)


def test_deepcopy_of_a_subclass_makes_the_generic_copy_without_init() -> None:
    original = NamedDict("n")
    copied = copy.deepcopy(original)
    generic = generic_deepcopy(original)
    assert type(copied) is type(generic) is NamedDict
    assert dict(copied) == dict(generic) == {"name": "n"}


def test_deepcopy_copies_a_mutable_key_once_with_the_values_that_share_it() -> None:
    key = frozenset({"k"})  # deepcopy rebuilds a frozenset (no atomic copy)
    entry = FeedParserDict()
    dict.__setitem__(entry, key, [key])
    for copied in (copy.deepcopy(entry), generic_deepcopy(entry)):
        [copied_key] = dict.keys(copied)
        assert copied_key == key and copied_key is not key
        assert copied[copied_key][0] is copied_key


# Every key feedparser answers specially, the keys those read (tags, links, published...),
# and plain ones; values of the shapes those readers expect and of shapes they do not.
KEYS = sorted(ALIASED_KEYS | FEEDPARSER_ALIASES | PLAIN_KEYS | {"summary_detail", "rights"})
LINK = st.builds(
    lambda rel, href: FeedParserDict({"rel": rel, **({"href": href} if href else {})}),
    st.sampled_from(["enclosure", "license", "alternate"]),
    st.sampled_from(["", "https://x.test/a"]),
)
VALUES = st.one_of(
    st.none(),
    st.text(max_size=3),
    st.lists(LINK, max_size=3),
    st.lists(st.builds(lambda t: FeedParserDict(term=t), st.text(max_size=2)), max_size=2),
)


@given(st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=8))
def test_get_and_in_answer_as_feedparser_does_whatever_the_dict_holds(
    items: dict[str, object],
) -> None:
    entry = FeedParserDict()
    dict.update(entry, items)  # raw keys, as feedparser's own writes could leave them
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        for key in KEYS:
            try:
                expected: object = _feedparser_get(entry, key, "default")
            except (TypeError, IndexError) as exc:  # a value of a shape feedparser never stores
                with pytest.raises(type(exc)):
                    entry.get(key, "default")
                continue
            assert entry.get(key, "default") == expected
            assert (key in entry) == _feedparser_contains(entry, key) == entry.has_key(key)


def test_deepcopy_of_every_value_type_feedparser_stores() -> None:
    stamp = time.strptime("2026-12-01 10:00", "%Y-%m-%d %H:%M")
    entry = FeedParserDict(
        published_parsed=stamp,
        where=(1.5, 2.5),
        raw=b"bytes",
        count=3,
        flag=True,
        links=[FeedParserDict(rel="alternate", href="https://x.test/")],
        nested={"a": [1, {"b": 2}]},
        summary_detail=FeedParserDict(type="text/html", value="v"),
    )
    copied, generic = copy.deepcopy(entry), generic_deepcopy(entry)
    assert dict(copied) == dict(generic) == dict(entry)
    for key in entry:
        assert type(copied[key]) is type(generic[key]) is type(entry[key])
        # shared with the original exactly where the generic copy shares (tuples of atoms)
        assert (copied[key] is entry[key]) == (generic[key] is entry[key])
    assert copied["where"] is entry["where"] and copied["links"] is not entry["links"]
