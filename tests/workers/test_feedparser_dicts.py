"""FeedParserDict's short ways answer exactly as feedparser's own: look-ups of plain keys,
missing keys and every alias feedparser keeps for old names, and deep copies."""

from __future__ import annotations

import copy
import warnings

import pytest
from feedparser.util import FeedParserDict

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


@pytest.mark.parametrize(
    "key", sorted(ALIASED_KEYS | {"title", "summary", "tags", "links", "missing", "type", ""})
)
def test_get_and_in_answer_as_feedparser_does(key: str) -> None:
    entry = sample()
    with warnings.catch_warnings():  # the "updated" → "published" fallback warns both ways
        warnings.simplefilter("ignore", DeprecationWarning)
        assert entry.get(key, "default") == _feedparser_get(entry, key, "default")
        assert (key in entry) == _feedparser_contains(entry, key)
        assert entry.has_key(key) == _feedparser_contains(entry, key)


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
