"""workers.normalize: named cases, then golden files (feed in, expected articles out).

Goldens: ``tests/data/feeds/<name>`` (copied from ../shared/feeds, see ``GOLDEN``) and
``tests/data/golden/<name>.json``. Regenerate after a deliberate change with
``UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/workers/test_normalize.py`` and
read the diff before committing it: a golden is a reviewed claim, not a snapshot.
"""

from __future__ import annotations

import json
import os
import unicodedata
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import workers.normalize as normalize
from service.models import Article, FeedConfig, ParsedEntry, ParsedFeed
from tests import factories
from workers.briefing_match import ArticleFacts, keyword_pattern
from workers.entry_identity import article_id
from workers.normalize import (
    EARLIEST_PLAUSIBLE as EARLIEST,
)
from workers.normalize import (
    detect_language,
    normalize_document,
    normalize_entry,
    primary_language,
)
from workers.parse import parse_feed

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
FEED_URL = "https://news.example.org/feed.xml"
CONFIG = FeedConfig(url=FEED_URL)
FEED = factories.parsed_feed(title="The &amp; Example <b>News</b>", base_url=FEED_URL)
ENTRY = factories.parsed_entry()
RUSSIAN = "Президент заявил сегодня, что переговоры продолжатся на следующей неделе в Женеве."
ENGLISH = "The president said on Tuesday that the talks would continue next week in Geneva."


def norm(
    entry: ParsedEntry = ENTRY,
    feed: ParsedFeed = FEED,
    config: FeedConfig = CONFIG,
    text_max_chars: int = 1500,
    now: datetime = NOW,
) -> Article:
    article = normalize_entry(entry, feed, config, now=now, text_max_chars=text_max_chars)
    assert article is not None
    return article


def test_decomposed_text_is_composed_so_keywords_and_places_find_it() -> None:
    title = "Київ: у столиці лунають вибухи, працює ППО"
    entry = factories.parsed_entry(
        link="https://news.example.org/a", title=unicodedata.normalize("NFD", title)
    )
    article = norm(entry)
    assert article.title == title
    facts = ArticleFacts.of(article)
    assert facts.places == ("Kyiv",)
    pattern = keyword_pattern(["київ"])
    assert pattern is not None and pattern.search(facts.title)


def test_an_unclosed_bidi_override_does_not_reach_the_stored_text() -> None:
    entry = factories.parsed_entry(
        link="https://news.example.org/a",
        title="\u202eSanctions announced",
        summary="Kyiv announced sanctions \u202e today",
    )
    article = norm(entry)
    assert (article.title, article.text) == (
        "Sanctions announced",
        "Kyiv announced sanctions today",
    )


# --- named cases --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "entry",
    [
        pytest.param(ENTRY, id="nothing"),
        pytest.param(replace(ENTRY, title="  <b> </b> ", summary="<img src=x>"), id="empty-html"),
        pytest.param(replace(ENTRY, link="javascript:void(0)"), id="unusable-link-only"),
    ],
)
def test_entry_without_title_text_or_link_is_dropped(entry: ParsedEntry) -> None:
    assert normalize_entry(entry, FEED, CONFIG, now=NOW, text_max_chars=100) is None


def test_link_only_entry_is_kept() -> None:
    article = norm(replace(ENTRY, link="/a?utm_source=rss#top"))
    assert article.url == "https://news.example.org/a"
    assert article.identity == "url:https://news.example.org/a"


def test_fields_and_single_source() -> None:
    entry = replace(
        ENTRY,
        guid=" g-1 ",
        link="https://news.example.org/a",
        title="Tom &amp; <i>Jerry</i>",
        summary="<p>summary</p>",
        content="<p>full <b>content</b></p><script>x()</script>",
        published=datetime(2026, 2, 1, 10, 0, tzinfo=UTC),
    )
    config = FeedConfig(url=FEED_URL, name="Example", country="UA", language="en")
    article = norm(entry, config=config)
    assert (article.title, article.text) == ("Tom & Jerry", "full content")
    assert article.identity == f"guid:{FEED_URL} g-1"
    assert article.guid == "g-1"
    assert (article.outlet, article.country, article.language) == ("Example", "UA", "en")
    assert (article.feed_url, article.first_seen) == (FEED_URL, NOW)
    [source] = article.sources
    assert (source.feed_url, source.outlet, source.url, source.seen_at) == (
        FEED_URL,
        "Example",
        "https://news.example.org/a",
        NOW,
    )
    assert (source.country, source.language) == ("UA", "en")


@pytest.mark.parametrize(
    ("content", "summary", "text"),
    [
        pytest.param("<p>content</p>", "summary", "content", id="content-first"),
        pytest.param("", "<p>summary</p>", "summary", id="summary-fallback"),
        pytest.param('<img src="a.jpg">', "summary", "summary", id="image-only-content"),
    ],
)
def test_text_source(content: str, summary: str, text: str) -> None:
    assert norm(replace(ENTRY, content=content, summary=summary)).text == text


def test_text_trimmed_on_word_boundary_identity_uses_full_text() -> None:
    entry = replace(ENTRY, summary="alpha beta gamma delta epsilon")
    short, full = norm(entry, text_max_chars=14), norm(entry, text_max_chars=1000)
    assert short.text == "alpha beta…"
    assert full.text == "alpha beta gamma delta epsilon"
    assert short.identity == full.identity  # the setting never re-keys articles


def test_outlet_falls_back_to_feed_title_as_text() -> None:
    assert norm(replace(ENTRY, title="t")).outlet == "The & Example News"


def _at(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.mark.parametrize(
    ("published", "updated", "expected"),
    [
        pytest.param(_at(2026, 2, 1), _at(2026, 2, 2), _at(2026, 2, 1), id="published"),
        pytest.param(None, _at(2026, 2, 2), _at(2026, 2, 2), id="updated-fallback"),
        pytest.param(None, None, NOW, id="now-fallback"),
        pytest.param(NOW + timedelta(days=3), None, NOW, id="future-clamped"),
        pytest.param(_at(1, 1, 1), None, NOW, id="go-zero-time"),
        pytest.param(_at(1970, 1, 1), _at(2026, 2, 2), _at(2026, 2, 2), id="unix-epoch"),
        pytest.param(
            datetime(2026, 2, 1, 12, 0, tzinfo=UTC).astimezone(
                __import__("zoneinfo").ZoneInfo("Asia/Tokyo")
            ),
            None,
            _at(2026, 2, 1, 12),
            id="converted-to-utc",
        ),
    ],
)
def test_published(
    published: datetime | None, updated: datetime | None, expected: datetime
) -> None:
    article = norm(replace(ENTRY, title="t", published=published, updated=updated))
    assert article.published == expected
    assert article.published.utcoffset() == timedelta(0)


# Dates that name a day only (workers/date_only.py), as the parser reads real feeds.


def _published_from(document: bytes, now: datetime) -> list[datetime]:
    feed = parse_feed(document, FEED_URL)
    return [a.published for a in normalize_document(feed, CONFIG, now=now, text_max_chars=100)]


EAST, WEST = "Sat, 03 May 2025 00:00:00 +0300", "Sat, 03 May 2025 00:00:00 -0500"


@pytest.mark.parametrize(
    ("stamp", "now", "expected"),
    [
        # First seen at 14:32 on the day the feed names: the item was filed that day.
        pytest.param("Sat, 03 May 2025", _at(2025, 5, 3, 14, 32), "now", id="same-day"),
        # +03:00 (Kyiv in summer): the day runs 2 May 21:00 to 3 May 21:00 UTC; -05:00:
        # still 3 May there when UTC is on 4 May.
        pytest.param(EAST, _at(2025, 5, 2, 22, 15), "now", id="east-early"),
        pytest.param(EAST, _at(2025, 5, 3, 22, 0), _at(2025, 5, 3, 20, 59, 59), id="east-over"),
        pytest.param(WEST, _at(2025, 5, 4, 2, 0), "now", id="west-late"),
        pytest.param(WEST, _at(2025, 5, 4, 6, 0), _at(2025, 5, 4, 4, 59, 59), id="west-over"),
        # A day ahead of ours (a zone east of the feed's clock is already on it): as any
        # future date, no later than when we saw it.
        pytest.param("Sun, 04 May 2025", _at(2025, 5, 3, 23, 0), "now", id="day-not-begun"),
        pytest.param("Sat, 10 May 2025", _at(2025, 5, 3, 9, 0), "now", id="days-ahead"),
        # Backfill: a past day's item sits at that day's last second.
        pytest.param(
            "Thu, 01 May 2025", _at(2025, 5, 3, 14, 32), _at(2025, 5, 1, 23, 59, 59), id="backfill"
        ),
    ],
)
def test_a_date_only_item_takes_the_time_first_seen_within_its_day(
    stamp: str, now: datetime, expected: datetime | str
) -> None:
    [published] = _published_from(factories.dated_rss(stamp), now)
    assert published == (now if expected == "now" else expected)
    assert published.utcoffset() == timedelta(0)


def test_a_backfill_of_date_only_days_keeps_date_order_before_what_is_seen_later() -> None:
    now = _at(2025, 5, 3, 14, 32)
    days = ("Sat, 03 May 2025", "Fri, 02 May 2025", "Thu, 01 May 2025", "Thu, 01 May 2025")
    assert _published_from(factories.dated_rss(*days), now) == [
        now,
        _at(2025, 5, 2, 23, 59, 59),
        _at(2025, 5, 1, 23, 59, 59),
        _at(2025, 5, 1, 23, 59, 59),
    ]


def test_a_scrapers_noon_on_every_item_is_a_date_not_a_time() -> None:
    # Radio Svoboda's scraper-made feed writes each item's date as 12:00:00 +0000.
    days = (
        "Tue, 10 Jun 2025 12:00:00 +0000",
        "Mon, 09 Jun 2025 12:00:00 +0000",
        "Sun, 08 Jun 2025 12:00:00 +0000",
    )
    now = _at(2025, 6, 10, 15, 0)
    day_ends = [_at(2025, 6, 9, 23, 59, 59), _at(2025, 6, 8, 23, 59, 59)]
    assert _published_from(factories.dated_rss(*days), now) == [now, *day_ends]


def test_a_timed_midnight_item_keeps_its_midnight() -> None:
    # Items at 00:05 and 23:50 show the feed carries times: its 00:00 item was filed then.
    stamps = (
        "Mon, 18 Oct 2021 00:05:00 +1100",
        "Mon, 18 Oct 2021 00:00:00 +1100",
        "Sun, 17 Oct 2021 23:50:00 +1100",
    )
    now = _at(2021, 10, 17, 14, 0)
    assert _published_from(factories.dated_rss(*stamps), now) == [
        _at(2021, 10, 17, 13, 5),
        _at(2021, 10, 17, 13, 0),
        _at(2021, 10, 17, 12, 50),
    ]


def test_an_article_dated_by_its_day_says_so_whatever_time_it_carries() -> None:
    now = _at(2025, 5, 3, 14, 32)
    feed = parse_feed(factories.dated_rss("Sat, 03 May 2025", "Thu, 01 May 2025"), FEED_URL)
    today, earlier = normalize_document(feed, CONFIG, now=now, text_max_chars=100)
    assert (today.published, today.date_only) == (now, True)  # its time is first seen
    assert (earlier.published, earlier.date_only) == (_at(2025, 5, 1, 23, 59, 59), True)
    # The day each names: it was filed between that day's start and its published.
    assert (today.day_start, earlier.day_start) == (_at(2025, 5, 3), _at(2025, 5, 1))
    timed = parse_feed(factories.dated_rss("Sat, 03 May 2025 09:15:00 +0000"), FEED_URL)
    [timed_article] = normalize_document(timed, CONFIG, now=now, text_max_chars=100)
    assert not timed_article.date_only and timed_article.day_start is None
    assert not norm(replace(ENTRY, title="t")).date_only  # undated: first seen, no date


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        pytest.param(_at(2025, 5, 3, 18, 0), _at(2025, 5, 3, 9, 15), id="seen-later-that-day"),
        pytest.param(_at(2025, 5, 3, 8, 0), _at(2025, 5, 3, 8, 0), id="seen-before-the-update"),
        pytest.param(_at(2025, 5, 9, 8, 0), _at(2025, 5, 3, 9, 15), id="backfill"),
    ],
)
def test_a_timed_updated_bounds_a_date_only_published(now: datetime, expected: datetime) -> None:
    # Atom <published>2025-05-03</published> beside <updated>…T09:15:00Z</updated>: it
    # was published by 09:15, not at first seen that evening nor at the day's end.
    entry = replace(
        ENTRY,
        title="t",
        published=_at(2025, 5, 3),
        published_date_only=True,
        updated=_at(2025, 5, 3, 9, 15),
    )
    article = norm(entry, now=now)
    assert (article.published, article.date_only) == (expected, True)
    # An updated before the day (a feed's inconsistency) or itself date-only bounds nothing.
    assert norm(replace(entry, updated=_at(2025, 5, 2, 9)), now=now).published == min(
        now, _at(2025, 5, 3, 23, 59, 59)
    )
    assert norm(replace(entry, updated_date_only=True), now=now).published == min(
        now, _at(2025, 5, 3, 23, 59, 59)
    )


def test_an_atom_feed_with_date_only_published_and_timed_updated_keeps_the_updated_bound() -> None:
    # A CMS writing its publication date at midnight in every entry, beside real edit times.
    entries = "".join(
        f"<entry><id>urn:x:{i}</id><title>Report {i}</title>"
        f"<link href='https://news.example.org/{i}'/><published>{day}T00:00:00Z</published>"
        f"<updated>{day}T{hour}:00Z</updated></entry>"
        for i, (day, hour) in enumerate((("2025-05-03", "09:15"), ("2025-05-02", "17:40")))
    )
    document = f'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>{entries}</feed>'
    now = _at(2025, 5, 3, 20, 0)
    assert _published_from(document.encode(), now) == [
        _at(2025, 5, 3, 9, 15),
        _at(2025, 5, 2, 17, 40),
    ]


def test_a_date_only_updated_stands_in_the_same_way() -> None:
    entry = replace(ENTRY, title="t", updated=_at(2026, 2, 28), updated_date_only=True)
    assert norm(entry).published == _at(2026, 2, 28, 23, 59, 59)  # NOW is 1 March, noon
    assert norm(replace(entry, updated=_at(2026, 3, 1))).published == NOW


def test_naive_now_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        normalize_entry(ENTRY, FEED, CONFIG, now=datetime(2026, 1, 1), text_max_chars=10)


def rss(language: str, *items: tuple[str, str]) -> ParsedFeed:
    """An RSS 2.0 document declaring ``language``, its items (title, description) parsed as
    the fetch stage parses them."""
    body = "".join(
        f"<item><guid>id-{n}</guid><title>{title}</title><description>{text}</description></item>"
        for n, (title, text) in enumerate(items)
    )
    xml = f'<rss version="2.0"><channel><title>T</title><language>{language}</language>{body}'
    return parse_feed(f"{xml}</channel></rss>".encode(), FEED_URL)


def test_an_item_in_another_script_than_its_feeds_language_is_detected() -> None:
    # A bilingual outlet's Russian feed carries its English teasers; a Ukrainian site's
    # WordPress feed declares its install language, en-US.
    teaser = ("Succession", "The secret lives of the president's sons: " + ENGLISH)
    russian_feed = rss("ru", teaser, ("Наследники", RUSSIAN))
    wordpress = rss("en-US", ("Переговори у Женеві", UKRAINIAN), ("Talks in Geneva", ENGLISH))
    articles = normalize_document(russian_feed, CONFIG, now=NOW, text_max_chars=500)
    assert [a.language for a in articles] == ["en", "ru"]
    articles = normalize_document(wordpress, CONFIG, now=NOW, text_max_chars=500)
    assert [a.language for a in articles] == ["uk", "en"]


def test_an_operators_language_gives_way_to_the_written_script_too() -> None:
    article = norm(replace(ENTRY, summary=ENGLISH), config=replace(CONFIG, language="ru"))
    assert article.language == "en"


@pytest.mark.parametrize(
    ("title", "text"),
    [
        pytest.param("NATO заявило", "", id="latin-name-in-cyrillic-headline"),
        pytest.param("EU, NATO, OSCE, IAEA: ЕС", "", id="too-few-letters-to-tell"),
        pytest.param("МАГАТЭ: Zaporizhzhia NPP", "Станция без внешнего питания", id="mostly"),
    ],
)
def test_a_headline_in_its_languages_script_stays_as_declared(title: str, text: str) -> None:
    articles = normalize_document(rss("ru", (title, text)), CONFIG, now=NOW, text_max_chars=500)
    assert [a.language for a in articles] == ["ru"]


@pytest.mark.parametrize(
    ("entry_lang", "config_lang", "feed_lang", "text", "expected"),
    [
        pytest.param("de-AT", "en", "fr", ENGLISH, "de", id="entry-first"),
        pytest.param(None, "uk", "ru", RUSSIAN, "uk", id="config-beats-document"),
        pytest.param(None, "", "uk", RUSSIAN, "uk", id="document-beats-detection"),
        pytest.param(None, "", None, RUSSIAN, "ru", id="detected"),
        pytest.param(None, "", None, "OK", "", id="too-short-to-detect"),
        pytest.param("English", "", "zh_CN", ENGLISH, "zh", id="invalid-tag-skipped"),
        pytest.param("und", "", None, ENGLISH, "en", id="undetermined-skipped"),
    ],
)
def test_language_precedence(
    entry_lang: str | None, config_lang: str, feed_lang: str | None, text: str, expected: str
) -> None:
    article = norm(
        replace(ENTRY, summary=text, language=entry_lang),
        feed=replace(FEED, language=feed_lang),
        config=replace(CONFIG, language=config_lang),
    )
    assert article.language == expected


@pytest.mark.parametrize(
    ("tag", "code"),
    [
        ("en-GB", "en"),
        ("EN", "en"),
        ("pt_BR", "pt"),
        ("zh-Hans", "zh"),
        ("fil", "fil"),
        ("English", ""),
        ("x-klingon", ""),
        ("mul", ""),
        ("", ""),
        (None, ""),
    ],
    ids=lambda v: repr(v),
)
def test_primary_language(tag: str | None, code: str) -> None:
    assert primary_language(tag) == code


def test_detection_is_deterministic() -> None:
    ambiguous = "Banco de dados e programa de computador para o governo local"
    assert len({detect_language(ambiguous) for _ in range(5)}) == 1


# --- golden files -------------------------------------------------------------------------

DATA = Path(__file__).resolve().parents[1] / "data"
GOLDEN_TEXT_CHARS = 240
GOLDEN_MAX_ARTICLES = 5

# name in tests/data/feeds -> (origin in ../shared/feeds, HTTP Content-Type or None, why)
GOLDEN: dict[str, tuple[str, str | None, str]] = {
    "rss091_pt.xml": ("edge/feed-rs-feed-rs__rss_0.91_encoding_1.xml", None, "RSS 0.91, pt-br"),
    "rss092_heraldsun.rss": ("real/rbren-rss-parser__heraldsun.rss", None, "RSS 0.92, no dates"),
    "rdf_slashdot.xml": ("real/rometools-rome__slashdot.xml", None, "RSS 1.0 (RDF)"),
    "rdf_heise.xml": ("real/miniflux-v2__rdf_UTF8.xml", None, "RDF, no ids, no dates"),
    "rdf_golem_iso8859.xml": ("edge/feed-rs-feed-rs__rss_1.0_iso8859.xml", None, "ISO-8859-1"),
    "rss20_bbc.xml": ("real/kagisearch-fastfeedparser__1796df62c4a287cc", None, "tracking params"),
    "rss20_urdu.xml": ("real/miniflux-v2__urdu_UTF8.xml", None, "Urdu, RTL"),
    "rss20_texty_uk.xml": ("real/egfedorov-rss-parser__texty.xml", None, "Ukrainian"),
    "rss20_spiegel_de.xml": ("real/feed-rs-feed-rs__rss_2.0_spiegel.xml", None, "German"),
    "rss20_meduza_epoch.xml": ("real/egfedorov-rss-parser__meduza.xml", None, "1970 dates"),
    "rss20_koi8r.xml": ("edge/miniflux-v2__koi8r.xml", None, "KOI8-R declared"),
    "rss20_windows1252.xml": ("edge/miniflux-v2__windows-1252.xml", None, "windows-1252"),
    "rss20_undeclared_latin1.xml": (
        "edge/miniflux-v2__no_encoding_ISO-8859-1.xml",
        None,
        "ISO-8859-1 bytes, no declaration",
    ),
    "rss20_kc0011_zh.rss": ("real/Ranchero-Software-NetNewsWire__kc0011.rss", None, "Chinese"),
    "rss20_greek_podcast.xml": (
        "real/alatiera-gnome-podcasts__2018-03-28-Ellinofreneia.xml",
        None,
        "Greek, no links",
    ),
    "rss20_relative_links.xml": (
        "real/kagisearch-fastfeedparser__137dd53eb3d6d860",
        None,
        "relative item links",
    ),
    "utf16be_bom.xml": ("edge/kurtmckee-feedparser__utf-16be-bom.xml", None, "UTF-16 BE BOM"),
    "utf32le_nobom.xml": ("edge/kurtmckee-feedparser__utf-32le-autodetect.xml", None, "UTF-32"),
    "big5_http_charset.xml": (
        "edge/kurtmckee-feedparser__big5.xml",
        "application/atom+xml; charset=big5",
        "Big5",
    ),
    "shiftjis_http_charset.xml": (
        "edge/kurtmckee-feedparser__shiftjis.xml",
        "text/xml; charset=shift_jis",
        "Shift_JIS",
    ),
    "atom03_xml_base.xml": (
        "edge/kurtmckee-feedparser__entry_content_xml_base_inherit_4.xml",
        None,
        "Atom 0.3",
    ),
    "atom10_heise_de.atom": ("real/rbren-rss-parser__heise.atom", None, "Atom, language detected"),
    "atom10_xml_base.xml": ("edge/feed-rs-feed-rs__atom_xml_base.xml", None, "xml:base"),
    "json10_example.json": ("edge/kurtmckee-feedparser__example.json", None, "JSON Feed 1.0"),
    "json11_full.json": ("edge/lemon24-reader__full.json", None, "JSON Feed 1.1, item language"),
    "json10_pxlnv.json": (
        "real/Ranchero-Software-NetNewsWire__pxlnv.json",
        None,
        "JSON Feed 1.0, http:// version URL",
    ),
    "error_xmlbomb.xml": ("edge/tiran-defusedxml__xmlbomb.xml", None, "billion laughs"),
    "error_html.rss": ("edge/rbren-rss-parser__unrecognized.rss", None, "HTML page"),
    "error_invalid.json": ("edge/mmcdole-gofeed__invalid.json", None, "invalid JSON"),
}


def _golden_output(name: str) -> dict[str, Any]:
    origin, content_type, why = GOLDEN[name]
    url = f"https://feeds.example.org/{name}"
    feed = parse_feed((DATA / "feeds" / name).read_bytes(), url, content_type)
    config = FeedConfig(url=url)
    articles = [
        normalize_entry(e, feed, config, now=NOW, text_max_chars=GOLDEN_TEXT_CHARS)
        for e in feed.entries
    ]
    kept = [a for a in articles if a is not None]
    return {
        "origin": f"../shared/feeds/{origin}",
        "why": why,
        "content_type": content_type,
        "feed": {
            "format": feed.format,
            "title": feed.title,
            "link": feed.link,
            "language": feed.language,
            "ttl_minutes": feed.ttl_minutes,
            "warning": feed.warning,
            "error": feed.error,
            "entries": len(feed.entries),
        },
        "articles_total": len(kept),
        "articles": [_article_json(a) for a in kept[:GOLDEN_MAX_ARTICLES]],
    }


def _article_json(a: Article) -> dict[str, Any]:
    return {
        "id": a.id,
        "identity": a.identity,
        "url": a.url,
        "title": a.title,
        "text": a.text,
        "published": a.published.isoformat(),
        "language": a.language,
        "outlet": a.outlet,
        "guid": a.guid,
    }


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_golden(name: str) -> None:
    actual = _golden_output(name)
    path = DATA / "golden" / f"{name}.json"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_text(json.dumps(actual, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    expected = json.loads(path.read_text(encoding="utf-8"))
    assert actual == expected


def test_goldens_cover_every_format() -> None:
    formats = {
        json.loads((DATA / "golden" / f"{n}.json").read_text())["feed"]["format"] for n in GOLDEN
    }
    assert {
        "rss091u",
        "rss092",
        "rss10",
        "rss20",
        "atom03",
        "atom10",
        "json10",
        "json11",
    } <= formats


# --- properties ---------------------------------------------------------------------------

_when = st.one_of(st.none(), st.datetimes(timezones=st.just(UTC), min_value=datetime(1, 1, 2)))
_entries = st.builds(
    ParsedEntry,
    guid=st.one_of(st.none(), st.text(max_size=10)),
    link=st.one_of(
        st.none(), st.sampled_from(["/a", "https://x.example/b?utm_source=1", "mailto:x"])
    ),
    title=st.text(max_size=40),
    summary=st.text(max_size=80),
    content=st.text(max_size=80),
    published=_when,
    updated=_when,
    language=st.one_of(st.none(), st.sampled_from(["en-GB", "xx_YY", "English", ""])),
)


@settings(max_examples=200, deadline=None)
@given(entry=_entries, limit=st.integers(min_value=0, max_value=50))
def test_normalize_invariants(entry: ParsedEntry, limit: int) -> None:
    article = normalize_entry(entry, FEED, CONFIG, now=NOW, text_max_chars=limit)
    again = normalize_entry(entry, FEED, CONFIG, now=NOW, text_max_chars=limit)
    assert article == again  # deterministic, langdetect included
    if article is None:
        return
    assert EARLIEST <= article.published <= NOW
    assert article.published.utcoffset() == timedelta(0)
    assert len(article.text) <= limit
    assert article.url == "" or article.url.startswith("https://")
    assert article.language == article.language.lower() and len(article.language) in (0, 2, 3)
    assert article.id == article_id(article.identity)


# ------------------------------------------------------------------------------------------
# workers.normalize.normalize_document: one language detection per document, with the per-
# entry guess kept where the document's cannot speak for an entry.


ENGLISH_LINES = [
    "The president said on Tuesday that the talks would continue next week in Geneva.",
    "Heavy rain flooded several villages in the north of the country overnight.",
    "The central bank left interest rates unchanged and warned about inflation.",
    "Thousands of people marched through the capital to protest against the new law.",
]
UKRAINIAN = "Президент заявив сьогодні, що переговори триватимуть наступного тижня в Женеві."


def entry(title: str, *, language: str | None = None, n: int = 0) -> ParsedEntry:
    return factories.parsed_entry(
        guid=f"id-{n}", link=f"https://news.example.org/{n}", title=title, language=language
    )


def feed(*entries: ParsedEntry, language: str | None = None) -> ParsedFeed:
    return factories.parsed_feed(*entries, base_url=CONFIG.url, language=language)


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
    document = feed(*(entry(t, n=i) for i, t in enumerate(ENGLISH_LINES * 5)))
    articles = normalize_document(document, CONFIG, now=NOW, text_max_chars=500)
    assert [a.language for a in articles] == ["en"] * 20
    assert len(detections) == 1


def test_same_articles_as_per_entry_apart_from_detection() -> None:
    empty = ParsedEntry(None, None, "", "", "", None, None, None)
    document = feed(*(entry(t, n=i) for i, t in enumerate(ENGLISH_LINES)), empty)
    per_entry = [
        normalize_entry(e, document, CONFIG, now=NOW, text_max_chars=500) for e in document.entries
    ]
    assert per_entry[-1] is None  # nothing in it: no article, in both
    together = normalize_document(document, CONFIG, now=NOW, text_max_chars=500)
    assert together == [a for a in per_entry if a is not None]


def test_entry_in_another_script_is_detected_on_its_own(detections: list[str]) -> None:
    document = feed(*(entry(t, n=i) for i, t in enumerate(ENGLISH_LINES * 2)), entry(RUSSIAN, n=50))
    articles = normalize_document(document, CONFIG, now=NOW, text_max_chars=500)
    assert [a.language for a in articles] == ["en"] * 8 + ["ru"]
    assert len(detections) == 2  # the document, then the Cyrillic entry


def test_declared_languages_need_no_detection(detections: list[str]) -> None:
    entries = (entry(ENGLISH_LINES[0], n=1), entry(UKRAINIAN, language="uk-UA", n=2))
    declared_feed = normalize_document(
        feed(*entries, language="en-GB"), CONFIG, now=NOW, text_max_chars=500
    )
    assert [a.language for a in declared_feed] == ["en", "uk"]
    by_config = normalize_document(
        feed(*entries), FeedConfig(url=CONFIG.url, language="de"), now=NOW, text_max_chars=500
    )
    # The entry's own beats config; a language in the text's script is taken as declared.
    assert [a.language for a in by_config] == ["de", "uk"]
    assert detections == []


def test_entries_with_their_own_language_are_not_in_the_sample(detections: list[str]) -> None:
    entries = [entry(UKRAINIAN, language="uk", n=i) for i in range(5)] + [
        entry(ENGLISH_LINES[1], n=9)
    ]
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
    document = feed(*(entry(t, n=i) for i, t in enumerate([*ENGLISH_LINES, RUSSIAN])))
    articles = normalize_document(document, CONFIG, now=NOW, text_max_chars=500)
    assert [a.language for a in articles] == ["en"] * 4 + ["ru"]


def test_each_entry_is_converted_from_html_once(monkeypatch: pytest.MonkeyPatch) -> None:
    converted: list[str] = []
    real = normalize.html_to_text

    def counting(html: str) -> str:
        converted.append(html)
        return real(html)

    monkeypatch.setattr(normalize, "html_to_text", counting)
    named = FeedConfig(url=CONFIG.url, name="News")  # the outlet's name needs no conversion
    document = feed(*(entry(f"<b>{text}</b>", n=n) for n, text in enumerate(ENGLISH_LINES)))
    articles = normalize_document(document, named, now=NOW, text_max_chars=1000)
    assert [a.title for a in articles] == ENGLISH_LINES and {a.language for a in articles} == {"en"}
    # Title and (empty) summary of each entry, once each, though the document's language
    # was detected on the same entries' text.
    assert sorted(converted) == sorted(
        [f"<b>{t}</b>" for t in ENGLISH_LINES] + [""] * len(ENGLISH_LINES)
    )
