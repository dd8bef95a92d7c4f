"""FeedParserDict's short way for plain keys answers exactly as feedparser's own look-up,
for plain keys, missing keys and every alias feedparser keeps for old names."""

from __future__ import annotations

import warnings

import pytest
from feedparser.util import FeedParserDict

import workers.parse  # noqa: F401  (installs the short way, as the parse processes do)
from workers.feedparser_lookups import (
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
