"""workers.normalize.normalize_document: one language detection per document, with the
per-entry guess kept where the document's cannot speak for an entry."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

import workers.normalize as normalize
from service.models import FeedConfig, ParsedEntry, ParsedFeed
from workers.normalize import normalize_document, normalize_entry

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
CONFIG = FeedConfig(url="https://news.example.org/feed.xml")
ENGLISH = [
    "The president said on Tuesday that the talks would continue next week in Geneva.",
    "Heavy rain flooded several villages in the north of the country overnight.",
    "The central bank left interest rates unchanged and warned about inflation.",
    "Thousands of people marched through the capital to protest against the new law.",
]
RUSSIAN = "Президент заявил сегодня, что переговоры продолжатся на следующей неделе в Женеве."
UKRAINIAN = "Президент заявив сьогодні, що переговори триватимуть наступного тижня в Женеві."


def entry(title: str, *, language: str | None = None, n: int = 0) -> ParsedEntry:
    return ParsedEntry(
        guid=f"id-{n}",
        link=f"https://news.example.org/{n}",
        title=title,
        summary="",
        content="",
        published=None,
        updated=None,
        language=language,
    )


def feed(*entries: ParsedEntry, language: str | None = None) -> ParsedFeed:
    return ParsedFeed(
        format="rss20",
        title="Example",
        link="https://news.example.org/",
        base_url=CONFIG.url,
        language=language,
        ttl_minutes=None,
        entries=entries,
    )


@pytest.fixture
def detections(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts langdetect was asked about, in order."""
    asked: list[str] = []
    real = normalize.detect_language

    def counting(text: str) -> str:
        asked.append(text)
        return real(text)

    monkeypatch.setattr(normalize, "detect_language", counting)
    return asked


def test_one_detection_for_a_document_in_one_language(detections: list[str]) -> None:
    document = feed(*(entry(t, n=i) for i, t in enumerate(ENGLISH * 5)))
    articles = normalize_document(document, CONFIG, now=NOW, text_max_chars=500)
    assert [a.language for a in articles] == ["en"] * 20
    assert len(detections) == 1


def test_same_articles_as_per_entry_apart_from_detection() -> None:
    empty = ParsedEntry(None, None, "", "", "", None, None, None)
    document = feed(*(entry(t, n=i) for i, t in enumerate(ENGLISH)), empty)
    per_entry = [
        normalize_entry(e, document, CONFIG, now=NOW, text_max_chars=500) for e in document.entries
    ]
    assert per_entry[-1] is None  # nothing in it: no article, in both
    together = normalize_document(document, CONFIG, now=NOW, text_max_chars=500)
    assert together == [a for a in per_entry if a is not None]


def test_entry_in_another_script_is_detected_on_its_own(detections: list[str]) -> None:
    document = feed(*(entry(t, n=i) for i, t in enumerate(ENGLISH * 2)), entry(RUSSIAN, n=50))
    articles = normalize_document(document, CONFIG, now=NOW, text_max_chars=500)
    assert [a.language for a in articles] == ["en"] * 8 + ["ru"]
    assert len(detections) == 2  # the document, then the Cyrillic entry


def test_declared_languages_need_no_detection(detections: list[str]) -> None:
    entries = (entry(ENGLISH[0], n=1), entry(UKRAINIAN, language="uk-UA", n=2))
    declared_feed = normalize_document(
        feed(*entries, language="en-GB"), CONFIG, now=NOW, text_max_chars=500
    )
    assert [a.language for a in declared_feed] == ["en", "uk"]
    by_config = normalize_document(
        feed(*entries), FeedConfig(url=CONFIG.url, language="ru"), now=NOW, text_max_chars=500
    )
    assert [a.language for a in by_config] == ["ru", "uk"]  # the entry's own beats config
    assert detections == []


def test_entries_with_their_own_language_are_not_in_the_sample(detections: list[str]) -> None:
    entries = [entry(UKRAINIAN, language="uk", n=i) for i in range(5)] + [entry(ENGLISH[1], n=9)]
    articles = normalize_document(feed(*entries), CONFIG, now=NOW, text_max_chars=500)
    assert [a.language for a in articles] == ["uk"] * 5 + ["en"]
    assert len(detections) == 1 and "Президент" not in detections[0]


def test_unsure_document_falls_back_to_each_entry(
    detections: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A document whose sample langdetect is not confident about: every entry on its own.
    real = normalize.detect_language

    def unsure_on_long_samples(text: str) -> str:
        return "" if len(text) > 300 else real(text)

    monkeypatch.setattr(normalize, "detect_language", unsure_on_long_samples)
    document = feed(*(entry(t, n=i) for i, t in enumerate([*ENGLISH, RUSSIAN])))
    articles = normalize_document(document, CONFIG, now=NOW, text_max_chars=500)
    assert [a.language for a in articles] == ["en"] * 4 + ["ru"]


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("Hello world, this is English", "latin"),
        ("Привіт, світе", "cyrillic"),
        ("مرحبا بالعالم", "arabic"),
        ("東京で会議が開かれた", "cjk"),
        ("12345 !!! ...", None),
        ("Hello Привет", None),  # neither has 60% of the letters
    ],
)
def test_dominant_script(text: str, script: Any) -> None:
    assert normalize._dominant_script(text) == script


def test_each_entry_is_converted_from_html_once(monkeypatch: pytest.MonkeyPatch) -> None:
    converted: list[str] = []
    real = normalize.html_to_text

    def counting(html: str) -> str:
        converted.append(html)
        return real(html)

    monkeypatch.setattr(normalize, "html_to_text", counting)
    named = FeedConfig(url=CONFIG.url, name="News")  # the outlet's name needs no conversion
    document = feed(*(entry(f"<b>{text}</b>", n=n) for n, text in enumerate(ENGLISH)))
    articles = normalize_document(document, named, now=NOW, text_max_chars=1000)
    assert [a.title for a in articles] == ENGLISH and {a.language for a in articles} == {"en"}
    # Title and (empty) summary of each entry, once each, though the document's language
    # was detected on the same entries' text.
    assert sorted(converted) == sorted([f"<b>{t}</b>" for t in ENGLISH] + [""] * len(ENGLISH))
