"""workers.entry_identity: guid beats url beats hash; ids are stable."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.models import ParsedEntry
from tests.factories import parsed_entry
from workers.entry_identity import article_id, content_hash, identity_key, without_shared_guids

FEED = "https://example.org/feed.xml"


@pytest.mark.parametrize(
    ("guid", "url", "title", "text", "expected"),
    [
        pytest.param(
            "abc-1", "https://example.org/a", "T", "x", f"guid:{FEED} abc-1", id="guid-wins"
        ),
        pytest.param("  abc-1\n", "", "", "", f"guid:{FEED} abc-1", id="guid-trimmed"),
        pytest.param(
            None,
            "https://example.org/a",
            "T",
            "x",
            "url:https://example.org/a",
            id="url-without-guid",
        ),
        pytest.param(
            "   ",
            "https://example.org/a",
            "T",
            "x",
            "url:https://example.org/a",
            id="blank-guid-is-none",
        ),
        pytest.param(None, "", "T", "x", f"hash:{content_hash('T', 'x')}", id="hash-last"),
        pytest.param(
            None,
            "https://meduza.io/",
            "T",
            "x",
            f"hash:{content_hash('T', 'x')}",
            id="front-page-link-is-not-an-identity",
        ),
        pytest.param(
            None,
            "https://example.org/?p=12",
            "T",
            "x",
            "url:https://example.org/?p=12",
            id="front-page-with-query-is-a-page",
        ),
    ],
)
def test_identity_key_order(
    guid: str | None, url: str, title: str, text: str, expected: str
) -> None:
    key = identity_key(feed_url=FEED, guid=guid, canonical_url=url, title=title, text=text)
    assert key == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        pytest.param(("Title", "Body"), ("  title ", "BODY\n"), id="case-and-space"),
        pytest.param(("Ｔｉｔｌｅ １", "x"), ("Title 1", "x"), id="nfkc-full-width"),
    ],
)
def test_content_hash_ignores_trivial_differences(a: tuple[str, str], b: tuple[str, str]) -> None:
    assert content_hash(*a) == content_hash(*b)


def test_content_hash_keeps_title_and_text_apart() -> None:
    assert content_hash("ab", "c") != content_hash("a", "bc")


def test_article_id_is_short_stable_hex() -> None:
    first = article_id("url:https://example.org/a")
    assert first == article_id("url:https://example.org/a")
    assert re.fullmatch(r"[0-9a-f]{16}", first)
    assert first != article_id("url:https://example.org/b")


_opt = st.one_of(st.none(), st.text(max_size=20))
_text = st.text(max_size=30)


@settings(deadline=None)  # no wall-clock assertions; CI machines are shared
@given(feed=_text, guid=_opt, url=_text, title=_text, text=_text)
def test_identity_is_deterministic(
    feed: str, guid: str | None, url: str, title: str, text: str
) -> None:
    args = {"feed_url": feed, "guid": guid, "canonical_url": url, "title": title, "text": text}
    assert identity_key(**args) == identity_key(**args)  # type: ignore[arg-type]


_page_url = st.one_of(
    st.just(""), st.text("abc/-", min_size=1).map("https://example.org/x".__add__)
)


@settings(deadline=None)  # no wall-clock assertions; CI machines are shared
@given(guid=st.text(min_size=1).filter(str.strip), url=_page_url, title=_text, text=_text)
def test_guid_beats_url_beats_hash(guid: str, url: str, title: str, text: str) -> None:
    key = identity_key(feed_url=FEED, guid=guid, canonical_url=url, title=title, text=text)
    assert key.startswith("guid:")
    key = identity_key(feed_url=FEED, guid=None, canonical_url=url, title=title, text=text)
    assert key.startswith("url:" if url else "hash:")


@settings(deadline=None)  # no wall-clock assertions; CI machines are shared
@given(
    guid=st.text(min_size=1).filter(str.strip),
    feeds=st.lists(_text, min_size=2, max_size=2, unique=True),
)
def test_same_guid_in_different_feeds_differs(guid: str, feeds: list[str]) -> None:
    a, b = (identity_key(feed_url=f, guid=guid, canonical_url="", title="", text="") for f in feeds)
    assert a != b


def entry(guid: str | None, link: str | None, title: str) -> ParsedEntry:
    return parsed_entry(guid=guid, link=link, title=title)


def test_a_guid_shared_by_different_items_is_dropped_from_each_of_them() -> None:
    entries = [
        entry("1", "https://x.example/a", "A"),
        entry(" 1 ", "https://x.example/b", "B"),  # the same guid, spaced
        entry("1", None, "C"),
        entry("2", "https://x.example/d", "D"),
        entry("2", "https://x.example/d", "D"),  # one item listed twice keeps its guid
        entry("3", "https://x.example/e", "E"),
        entry(None, "https://x.example/f", "F"),
    ]
    kept, dropped = without_shared_guids(entries)
    assert [e.guid for e in kept] == [None, None, None, "2", "2", "3", None]
    assert [e.title for e in kept] == ["A", "B", "C", "D", "D", "E", "F"]
    assert dropped == 3
    assert without_shared_guids(entries[3:]) == (tuple(entries[3:]), 0)
