"""feedparser's Windows-1252 mapping, run only on text that holds a C1 code point, maps
what it mapped before and leaves every other text as it was."""

from __future__ import annotations

import feedparser
import feedparser.mixin
import pytest

from workers import feedparser_cp1252
from workers.feedparser_cp1252 import original_pop, unguarded_reason
from workers.parse import parse_feed


def rss_item(title: str, description: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>'
        f"<item><title>{title}</title><description>{description}</description>"
        "<link>https://example.org/a</link></item></channel></rss>"
    ).encode()


def test_the_guarded_pop_is_installed_for_this_feedparser() -> None:
    reason = unguarded_reason()
    assert reason is None, (
        f"{reason} (feedparser {feedparser.__version__}): it parses as before, but maps "
        "Windows-1252 on every text again. Read the new _FeedParserMixin.pop in "
        "feedparser/mixin.py: adapt _TRANSLATE and _GUARDED in workers/feedparser_cp1252.py "
        "to its translation, or delete that module, its install in workers/parse.py and "
        "this test if the translation is gone or already guarded."
    )
    assert feedparser.mixin._FeedParserMixin.pop is not original_pop


@pytest.mark.parametrize(
    ("name", "value"),
    [("re", None), ("_cp1252", {0x80: "€", 0xA0: " "}), ("_cp1252", None)],
)
def test_no_guard_where_it_could_skip_a_mapping(
    name: str, value: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(feedparser.mixin, name, value)
    assert unguarded_reason() is not None


def test_the_guarded_pop_reads_as_feedparsers_own_in_tracebacks(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def failing_resolve_uri(self: object, uri: str) -> str:
        raise RuntimeError("resolve_uri failed")

    monkeypatch.setattr(feedparser.mixin._FeedParserMixin, "resolve_uri", failing_resolve_uri)
    with pytest.raises(RuntimeError) as raised:
        feedparser.parse(rss_item("t", "d"))
    [pop_frame] = [entry for entry in raised.traceback if entry.name == "pop"]
    assert str(pop_frame.path) == feedparser.mixin.__file__
    assert "output = self.resolve_uri(output)" in str(pop_frame.statement)
    guarded = feedparser.mixin._FeedParserMixin.pop
    assert guarded.__qualname__ == original_pop.__qualname__
    assert guarded.__code__.co_firstlineno == original_pop.__code__.co_firstlineno
    # feedparser's module namespace itself (later changes to it apply), its defaults
    assert guarded.__globals__ is vars(feedparser.mixin)
    assert guarded.__defaults__ == original_pop.__defaults__
    assert guarded.__module__ == original_pop.__module__ and guarded.__closure__ is None


def test_the_guarded_pop_is_compiled_with_feedparsers_flags() -> None:
    # not with the ``from __future__`` imports of the module that compiles it
    guarded = feedparser.mixin._FeedParserMixin.pop
    assert guarded.__code__.co_flags == original_pop.__code__.co_flags


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
    try:
        feedparser_cp1252.uninstall()
        plain = feedparser.parse(body)
    finally:
        feedparser_cp1252.install()
    assert guarded.entries == plain.entries
    assert guarded.entries[0].title == "a – b «c» “d”"
