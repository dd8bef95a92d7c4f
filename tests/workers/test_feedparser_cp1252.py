"""feedparser's Windows-1252 mapping, run only on text that holds a C1 code point, maps
what it mapped before and leaves every other text as it was."""

from __future__ import annotations

import feedparser
import feedparser.mixin
import pytest

from workers.feedparser_cp1252 import guarded_pop_source, original_pop
from workers.parse import parse_feed


def rss_item(title: str, description: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>'
        f"<item><title>{title}</title><description>{description}</description>"
        "<link>https://example.org/a</link></item></channel></rss>"
    ).encode()


def test_the_guarded_pop_is_installed_for_this_feedparser() -> None:
    assert guarded_pop_source() is not None  # the statement is found in this version
    assert feedparser.mixin._FeedParserMixin.pop is not original_pop


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        # C1 code points, as character references and as characters: Windows-1252's meaning
        ("Prices &#150; up &#128;5 &#147;now&#148;", "Prices – up €5 “now”"),
        ("Prices \u0096 up", "Prices – up"),
        # Non-ASCII text without any C1 code point: unchanged
        ("Президент заявив — «так»", "Президент заявив — «так»"),
        ("It’s done", "It’s done"),
        ("plain ASCII", "plain ASCII"),
    ],
)
def test_titles_map_as_feedparser_maps_them(title: str, expected: str) -> None:
    parsed = parse_feed(rss_item(title, f"<p>{title}</p>"), "https://example.org/feed")
    [entry] = parsed.entries
    assert entry.title == expected
    assert expected in entry.summary


def test_the_guarded_pop_parses_as_feedparsers_own() -> None:
    body = rss_item("a &#150; b «c» &#8220;d&#8221;", "<p>x &#151; y ’z’</p>")
    guarded = feedparser.parse(body)
    mixin = feedparser.mixin._FeedParserMixin
    installed = mixin.pop
    try:
        mixin.pop = original_pop  # type: ignore[method-assign]
        plain = feedparser.parse(body)
    finally:
        mixin.pop = installed  # type: ignore[method-assign]
    assert guarded.entries == plain.entries
    assert guarded.entries[0].title == "a – b «c» “d”"
