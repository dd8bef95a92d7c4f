"""workers.parse: formats, encodings, hostile XML, readable errors, every shared feed."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from service.models import FeedConfig, ParsedFeed
from tests.factories import SHARED_FEEDS, dated_rss, shared_feed_manifest
from workers.normalize import DETECT_MAX_CHARS, normalize_entry, primary_language
from workers.parse import parse_feed
from workers.text import html_to_text
from workers.written_script import written_in

URL = "https://news.example.org/feed/"
ROOT = Path(__file__).resolve().parents[2]

RSS = """<?xml version="1.0" encoding="{encoding}"?>
<rss version="2.0"><channel><title>{title}</title><link>https://news.example.org/</link>
<language>uk</language><ttl>15</ttl>
<item><title>First story</title><link>/2026/02/first</link>
<guid isPermaLink="false">id-1</guid><pubDate>Tue, 17 Feb 2026 18:55:33 +0200</pubDate>
<description>&lt;p&gt;Text &amp;amp; more&lt;/p&gt;</description></item>
</channel></rss>"""


def rss(title: str = "Новини", encoding: str = "utf-8") -> str:
    return RSS.format(title=title, encoding=encoding)


# --- formats ----------------------------------------------------------------------------


def test_rss20_fields() -> None:
    feed = parse_feed(rss().encode(), URL)
    assert (feed.format, feed.title, feed.language, feed.ttl_minutes) == (
        "rss20",
        "Новини",
        "uk",
        15,
    )
    assert feed.link == "https://news.example.org/"
    assert feed.base_url == URL
    assert feed.error is None and feed.warning is None
    [entry] = feed.entries
    assert entry.guid == "id-1"
    assert entry.link == "https://news.example.org/2026/02/first"  # resolved against the URL
    assert entry.title == "First story"
    assert entry.summary == "<p>Text &amp; more</p>"
    assert entry.published == datetime(2026, 2, 17, 16, 55, 33, tzinfo=UTC)


ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://blog.example.net/">
  <title>Blog</title><link rel="alternate" href="/"/><id>urn:x</id>
  <updated>2026-01-02T03:04:05Z</updated>
  <entry xml:lang="de"><title type="html">A &amp;amp; B</title><id>tag:blog,2026:1</id>
    <link rel="alternate" href="posts/1"/><updated>2026-01-02T03:04:05+01:00</updated>
    <summary>short</summary>
    <content type="html">&lt;p&gt;the long content&lt;/p&gt;</content></entry>
</feed>"""


@pytest.mark.parametrize(
    ("guid", "expected_link"),
    [
        # RSS 2.0, "<guid>": isPermaLink defaults to true, and the guid is then the item's
        # URL (a full URL, says the RSS Best Practices Profile, "guid").
        ("<guid>https://news.example.org/a</guid>", "https://news.example.org/a"),
        ("<guid isPermaLink='true'>/2026/a</guid>", "https://news.example.org/2026/a"),
        # Not a URL (de-grote.xml's podcast ids): an id, and no link made up from it.
        ("<guid>broadcast-36b15099-a77c</guid>", None),
        ("<guid>12345</guid>", None),
        ("<guid isPermaLink='false'>https://news.example.org/b</guid>", None),
        ("<link>https://news.example.org/c</link><guid>12345</guid>", "https://news.example.org/c"),
        ("<guid>12345</guid><link>https://news.example.org/c</link>", "https://news.example.org/c"),
    ],
)
def test_rss_guid_is_the_link_only_when_it_is_a_url(guid: str, expected_link: str | None) -> None:
    doc = f"<rss version='2.0'><channel><title>t</title><item><title>a</title>{guid}</item>"
    doc += "</channel></rss>"
    [entry] = parse_feed(doc.encode(), URL).entries
    assert entry.link == expected_link
    assert entry.guid is not None


def test_atom10_fields_and_xml_base() -> None:
    feed = parse_feed(ATOM, URL)
    assert feed.format == "atom10"
    [entry] = feed.entries
    assert entry.link == "https://blog.example.net/posts/1"
    assert entry.title == "A &amp; B"  # HTML as given; normalize strips it
    assert entry.content == "<p>the long content</p>"
    assert entry.summary == "short"
    assert entry.language == "de"
    assert entry.published is None
    assert entry.updated == datetime(2026, 1, 2, 2, 4, 5, tzinfo=UTC)


def test_relative_links_resolve_against_each_documents_own_base() -> None:
    """The same relative link under other bases (xml:base, else the URL it was fetched
    from), parsed one after the other and again: each resolves against its own base."""
    elsewhere = ATOM.replace(b"https://blog.example.net/", b"https://other.example.com/x/")
    no_base = ATOM.replace(b' xml:base="https://blog.example.net/"', b"")
    for _ in range(2):
        assert parse_feed(ATOM, URL).entries[0].link == "https://blog.example.net/posts/1"
        assert parse_feed(elsewhere, URL).entries[0].link == "https://other.example.com/x/posts/1"
        assert parse_feed(no_base, URL).entries[0].link == "https://news.example.org/feed/posts/1"
        from_other_url = parse_feed(no_base, "https://mirror.example.org/a/b.xml")
        assert from_other_url.entries[0].link == "https://mirror.example.org/a/posts/1"


def test_atom03_and_rss091_versions() -> None:
    atom03 = b"""<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>t</title>
      <entry><title>e</title><id>1</id></entry></feed>"""
    netscape = b"""<?xml version="1.0"?>
      <!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
      "http://my.netscape.com/publish/formats/rss-0.91.dtd">
      <rss version="0.91"><channel><title>t</title><item><title>e</title></item></channel></rss>"""
    assert parse_feed(atom03, URL).format == "atom03"
    # A DOCTYPE without internal subset is harmless and tells Netscape's 0.91 apart.
    assert parse_feed(netscape, URL).format == "rss091n"


JSON_FEED = {
    "version": "https://jsonfeed.org/version/1.1",
    "title": "JSON news",
    "home_page_url": "https://json.example.org/",
    "language": "fr-FR",
    "items": [
        {
            "id": 42,
            "url": "https://json.example.org/a",
            "title": "Titre",
            "content_html": "<p>html</p>",
            "content_text": "text",
            "summary": "résumé",
            "date_published": "2026-02-01T10:00:00+01:00",
            "date_modified": "2026-02-01T12:00:00Z",
            "language": "fr",
            "authors": [{"name": "A"}, {"name": "B"}],
        },
        {
            "id": "2",
            "external_url": "https://elsewhere.example/b",
            "content_text": "only text",
            "author": {"name": "Old style"},
            "date_published": "Tue, 17 Feb 2026 18:55:33 GMT",
        },
        "not an object",
    ],
}


def test_json_feed_11() -> None:
    feed = parse_feed(json.dumps(JSON_FEED).encode(), URL, "application/feed+json")
    assert (feed.format, feed.title, feed.link, feed.language) == (
        "json11",
        "JSON news",
        "https://json.example.org/",
        "fr-FR",
    )
    assert feed.warning == "1 items are not JSON objects; skipped"
    first, second = feed.entries
    assert first.guid == "42"  # numbers are still ids
    assert first.content == "<p>html</p>"
    assert first.summary == "résumé"
    assert first.published == datetime(2026, 2, 1, 9, 0, tzinfo=UTC)
    assert first.updated == datetime(2026, 2, 1, 12, 0, tzinfo=UTC)
    assert first.author == "A, B"
    assert first.language == "fr"
    assert second.link == "https://elsewhere.example/b"
    assert second.content == "only text"
    assert second.author == "Old style"
    assert second.published == datetime(2026, 2, 17, 18, 55, 33, tzinfo=UTC)  # lenient dates


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(
            "2020-01-04T01:00:00+0100", datetime(2020, 1, 4, 0, 0, tzinfo=UTC), id="basic"
        ),
        pytest.param("2026-02-16T00:00:00.000Z", datetime(2026, 2, 16, tzinfo=UTC), id="millis-z"),
        pytest.param("2026-02-16T10:00:00", datetime(2026, 2, 16, 10, tzinfo=UTC), id="naive"),
        pytest.param(
            "Tue, 17 Feb 2026 18:55:33 GMT",
            datetime(2026, 2, 17, 18, 55, 33, tzinfo=UTC),
            id="rfc822",
        ),
        pytest.param("0001-01-01T00:00:00+01:00", None, id="before-datetime-min"),
        pytest.param("yesterday", None, id="garbage"),
        pytest.param(12345, None, id="not-a-string"),
        pytest.param("2026-12-04T10:00:00+99:99", None, id="offset-past-any-zone"),
        pytest.param(
            "2026-12-04T10:00:00+14:00", datetime(2026, 12, 3, 20, tzinfo=UTC), id="kiribati"
        ),
    ],
)
def test_json_feed_dates(value: object, expected: datetime | None) -> None:
    doc = {
        "version": "https://jsonfeed.org/version/1.1",
        "items": [{"id": "1", "date_published": value}],
    }
    [entry] = parse_feed(json.dumps(doc).encode(), URL).entries
    assert entry.published == expected


@pytest.mark.parametrize(
    ("pub_date", "expected"),
    [
        pytest.param("2020/1/10 14:33:00", datetime(2020, 1, 10, 14, 33, tzinfo=UTC), id="slashed"),
        pytest.param("2020/01/10", datetime(2020, 1, 10, tzinfo=UTC), id="slashed-date-only"),
        pytest.param("2020/1/10 9:05", datetime(2020, 1, 10, 9, 5, tzinfo=UTC), id="no-seconds"),
        pytest.param(
            "Tue, 17 Feb 2026 18:55:33 GMT",
            datetime(2026, 2, 17, 18, 55, 33, tzinfo=UTC),
            id="rfc822-unaffected",
        ),
        # Offsets no time zone has: feedparser shifted the date by them (+9999: 4 days).
        pytest.param("Fri, 04 Dec 2026 10:00:00 +9999", None, id="offset-9999"),
        pytest.param("Fri, 04 Dec 2026 10:00:00 -2400", None, id="offset-24h"),
        pytest.param("Fri, 04 Dec 2026 10:00:00 +0060", None, id="offset-60-minutes"),
        pytest.param(
            "Fri, 04 Dec 2026 10:00:00 -1200",
            datetime(2026, 12, 4, 22, tzinfo=UTC),
            id="offset-westmost",
        ),
        pytest.param(
            "Fri, 04 Dec 2026 10:00:00 +0545",
            datetime(2026, 12, 4, 4, 15, tzinfo=UTC),
            id="offset-nepal",
        ),
        # RSS 2.0 pubDate is RFC 822 (RSS 2.0 spec, "Elements of <item>"), obsolete zones
        # included: the US names are real offsets (RFC 5322 §4.3).
        pytest.param(
            "Wed, 02 Oct 2002 13:00:00 EST", datetime(2002, 10, 2, 18, tzinfo=UTC), id="est"
        ),
        pytest.param(
            "Wed, 02 Oct 2002 13:00:00 PDT", datetime(2002, 10, 2, 20, tzinfo=UTC), id="pdt"
        ),
        pytest.param("Wed, 02 Oct 02 13:00 UT", datetime(2002, 10, 2, 13, tzinfo=UTC), id="ut"),
        # RFC 5322 §4.3: military zones (RFC 822 got their signs wrong) SHOULD be read as
        # -0000, i.e. UTC; Z is UTC anyway.
        *(
            pytest.param(
                f"Wed, 02 Oct 2002 13:00:00 {zone}",
                datetime(2002, 10, 2, 13, tzinfo=UTC),
                id=f"military-{zone}",
            )
            for zone in ("A", "M", "N", "Y", "J", "Z", "m")
        ),
        # Days and months in the site's language, as news CMSs write them (UOL, Il
        # Messaggero in ../shared/feeds): read by the month, the weekday dropped.
        pytest.param(
            "Seg, 24 Set 2018 19:42:40 -0300",
            datetime(2018, 9, 24, 22, 42, 40, tzinfo=UTC),
            id="portuguese",
        ),
        pytest.param(
            "mer, 16 nov 2022 00:38:15 +0100",
            datetime(2022, 11, 15, 23, 38, 15, tzinfo=UTC),
            id="italian-weekday-english-month",
        ),
        pytest.param(
            "ven. 04 juil. 2025 10:00:00 +0200", datetime(2025, 7, 4, 8, tzinfo=UTC), id="french"
        ),
        pytest.param(
            "Пн, 07 дек 2026 10:00:00 +0300", datetime(2026, 12, 7, 7, tzinfo=UTC), id="russian"
        ),
        pytest.param(
            "пт, 04 груд 2026 10:00:00 +0200",
            datetime(2026, 12, 4, 8, tzinfo=UTC),
            id="ukrainian",
        ),
        pytest.param(
            "mer, 16 nov 2022 13:00:00 M",
            datetime(2022, 11, 16, 13, tzinfo=UTC),
            id="local-weekday-military-zone",
        ),
        pytest.param("Seg, 24 Set 2018 19:42:40 +9999", None, id="local-offset-9999"),
    ],
)
def test_rss_dates(pub_date: str, expected: datetime | None) -> None:
    doc = (
        "<rss version='2.0'><channel><title>t</title><item><title>a</title>"
        f"<link>https://x.example/a</link><pubDate>{pub_date}</pubDate></item></channel></rss>"
    )
    [entry] = parse_feed(doc.encode(), URL).entries
    assert entry.published == expected


def rss_dated(pub_date: str) -> bytes:
    return (
        "<rss version='2.0'><channel><title>t</title><item><title>a</title>"
        f"<link>https://x.example/a</link><pubDate>{escape(pub_date)}</pubDate></item>"
        "</channel></rss>"
    ).encode()


# Text an XML 1.0 document can carry (§2.2), of any script.
XML_TEXT = st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")
DIGITS = st.characters(whitelist_categories=("Nd",))  # ASCII's and every script's
LOCAL_DATES = st.builds(
    "{}, {} {} {} {}".format,
    st.text(XML_TEXT, max_size=8),
    st.text(DIGITS, min_size=1, max_size=3),
    st.sampled_from(["Set", "груд", "дек", "juil.", "Mär", "Ноя", "ене"])
    | st.text(XML_TEXT, max_size=8),
    st.text(DIGITS, min_size=2, max_size=5),
    st.text(XML_TEXT, max_size=60),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(LOCAL_DATES | st.text(XML_TEXT, max_size=200))
def test_any_date_text_parses_to_a_date_or_none_never_an_error(pub_date: str) -> None:
    """Dates in any script and digits (Arabic-Indic, Devanagari), many tokens, any zone
    text: the item is kept, dated or not, and nothing raises out of the parse."""
    assume(pub_date.strip())
    [entry] = parse_feed(rss_dated(pub_date), URL).entries
    assert entry.published is None or entry.published.tzinfo is not None


def test_a_local_date_followed_by_a_megabyte_is_no_date() -> None:
    """The local-month handler reads dates of at most 100 characters: a hostile feed's
    megabyte of "date" behind a real one is not a date (nor run over by the handlers
    again)."""
    [entry] = parse_feed(rss_dated("Seg, 24 Set 2018 19:42:40 -0300" + " 1" * 500_000), URL).entries
    assert entry.published is None


RELOADED = """
import importlib, importlib.util, sys, feedparser.datetimes
import workers.parse
handlers = list(feedparser.datetimes._date_handlers)
for _ in range(3):
    importlib.reload(workers.parse)
# The same file imported again under another module name (another sys.path entry).
spec = importlib.util.spec_from_file_location("parse_again", workers.parse.__file__)
again = importlib.util.module_from_spec(spec)
sys.modules["parse_again"] = again
spec.loader.exec_module(again)
importlib.reload(workers.parse)
names = [(h.__module__, h.__qualname__) for h in feedparser.datetimes._date_handlers]
before = [(h.__module__, h.__qualname__) for h in handlers]
print(names == before, sum(name[0] == "workers.parse" for name in names))
"""


def test_the_date_handlers_are_registered_once_however_often_the_module_runs() -> None:
    done = subprocess.run(
        [sys.executable, "-c", RELOADED], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["True", "3"]


# --- dates that name a day only ----------------------------------------------------------


def _json_items(*dates: str, key: str = "date_published") -> bytes:
    items = [{"id": str(i), "title": f"t{i}", key: date} for i, date in enumerate(dates)]
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": items}).encode()


def _atom_entries(*dates: str, element: str = "published") -> bytes:
    entries = "".join(
        f"<entry><id>urn:{i}</id><title>t{i}</title><{element}>{date}</{element}></entry>"
        for i, date in enumerate(dates)
    )
    return f'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>{entries}</feed>'.encode()


@pytest.mark.parametrize(
    ("doc", "day_start"),
    [
        # RSS 2.0 pubDate without its time (RFC 822 makes the time mandatory; CMSs omit it).
        pytest.param(dated_rss("Sat, 03 May 2025"), datetime(2025, 5, 3, tzinfo=UTC), id="rss"),
        pytest.param(dated_rss("03 May 2025"), datetime(2025, 5, 3, tzinfo=UTC), id="rss-no-day"),
        pytest.param(dated_rss("2020/01/10"), datetime(2020, 1, 10, tzinfo=UTC), id="slashed-date"),
        # A CMS writing a date-only field as midnight in its own offset, east and west.
        pytest.param(
            dated_rss("Sat, 03 May 2025 00:00:00 +0300", "Fri, 02 May 2025 00:00:00 +0300"),
            datetime(2025, 5, 2, 21, tzinfo=UTC),
            id="rss-midnight-east",
        ),
        pytest.param(
            dated_rss("Sat, 03 May 2025 00:00:00 -0500", "Fri, 02 May 2025 00:00:00 -0500"),
            datetime(2025, 5, 3, 5, tzinfo=UTC),
            id="rss-midnight-west",
        ),
        pytest.param(
            dated_rss("Wed, 10 Jul 2024 00:00:00 GMT"),
            datetime(2024, 7, 10, tzinfo=UTC),
            id="rss-midnight-alone",
        ),
        pytest.param(
            _atom_entries("2025-05-03T00:00:00+03:00", "2025-05-01T00:00:00+03:00"),
            datetime(2025, 5, 2, 21, tzinfo=UTC),
            id="atom-midnight",
        ),
        pytest.param(_atom_entries("2021-02-03"), datetime(2021, 2, 3, tzinfo=UTC), id="atom"),
        # JSON Feed 1.1 asks for RFC 3339 (a time is mandatory); date-only ones occur.
        pytest.param(_json_items("2025-05-03"), datetime(2025, 5, 3, tzinfo=UTC), id="json"),
        pytest.param(
            _json_items("2026-02-16T00:00:00.000Z", "2026-02-15T00:00:00.000Z"),
            datetime(2026, 2, 16, tzinfo=UTC),
            id="json-midnight-millis",
        ),
        pytest.param(
            _json_items("2025-05-03T00:00:00-07:00"),
            datetime(2025, 5, 3, 7, tzinfo=UTC),
            id="json-midnight-west",
        ),
    ],
)
def test_a_date_without_a_time_is_marked_date_only(doc: bytes, day_start: datetime) -> None:
    first = parse_feed(doc, URL).entries[0]
    assert (first.published, first.published_date_only) == (day_start, True)
    assert not first.updated_date_only


@pytest.mark.parametrize(
    "doc",
    [
        # The Sydney Morning Herald's feed: items at 00:00:00 +1100 among 00:01 and 00:05.
        pytest.param(
            dated_rss(
                "Mon, 18 Oct 2021 00:05:00 +1100",
                "Mon, 18 Oct 2021 00:00:00 +1100",
                "Sun, 17 Oct 2021 23:55:00 +1100",
            ),
            id="rss",
        ),
        pytest.param(
            _atom_entries("2025-03-26T00:00:00+00:00", "2025-05-25T18:54:00+00:00"), id="atom"
        ),
        pytest.param(
            _json_items("2025-05-03T00:00:00+02:00", "2025-05-02T17:30:00+02:00"), id="json"
        ),
        # A time feedparser reads from a compact form is a time like any other.
        pytest.param(_atom_entries("2025-05-03T00:00:00Z", "2025-05-02T14Z"), id="compact"),
    ],
)
def test_midnight_in_a_document_that_carries_times_is_a_time(doc: bytes) -> None:
    entries = parse_feed(doc, URL).entries
    midnight = [e for e in entries if e.published is not None and e.published.minute == 0]
    assert midnight and not any(e.published_date_only for e in entries)


def test_an_item_dated_by_the_day_is_date_only_even_among_timed_items() -> None:
    doc = dated_rss("Sat, 03 May 2025 14:32:00 +0000", "Fri, 02 May 2025")
    timed, day = parse_feed(doc, URL).entries
    assert (timed.published_date_only, day.published_date_only) == (False, True)


def test_updated_is_judged_apart_from_published() -> None:
    doc = _atom_entries("2025-05-02", "2025-04-30", element="updated")
    entries = parse_feed(doc, URL).entries
    assert [(e.published, e.updated_date_only) for e in entries] == [(None, True), (None, True)]
    # Dublin Core dc:date (RSS 1.0, bioRxiv's feed) is W3CDTF, where a day alone is a
    # complete date; feedparser reads it as the updated date.
    [entry] = parse_feed(dated_rss("2019-08-27", element="dc:date"), URL).entries
    assert (entry.updated, entry.updated_date_only) == (datetime(2019, 8, 27, tzinfo=UTC), True)
    assert not entry.published_date_only
    timed = _json_items("2025-05-03T00:00:00Z", key="date_modified")
    [entry] = parse_feed(timed, URL).entries
    assert (entry.updated, entry.updated_date_only) == (datetime(2025, 5, 3, tzinfo=UTC), True)


def test_unread_and_placeholder_dates_leave_the_midnight_rule_alone() -> None:
    # Frisk's feed: Go's zero time on most items; undated or unreadable items say nothing.
    doc = dated_rss(
        "Mon, 01 Jan 0001 00:00:00 +0000", "yesterday at 10:00", "Tue, 11 Nov 2025 00:00:00 +0000"
    )
    zero, unread, day = parse_feed(doc, URL).entries
    assert zero.published == datetime(1, 1, 1, tzinfo=UTC)  # normalize: no date at all
    assert unread.published is None and not unread.published_date_only
    assert day.published_date_only


def test_json_feed_10_served_as_text_with_bom() -> None:
    doc = {"version": "https://jsonfeed.org/version/1", "title": "t", "items": [{"id": "1"}]}
    feed = parse_feed(b"\xef\xbb\xbf  " + json.dumps(doc).encode(), URL, "text/plain")
    assert feed.format == "json10"
    assert [e.guid for e in feed.entries] == ["1"]


def test_json_feed_lone_surrogates_become_replacement_characters() -> None:
    # "\ud800" is valid JSON but no Unicode text: stored as is, it failed every poll
    # of its feed (Redis, like every UTF-8 encoder, refuses it).
    body = (
        b'{"version": "https://jsonfeed.org/version/1.1", "title": "Feed \\ud800",'
        b' "items": [{"id": "a\\udfff", "url": "https://x.example/\\ud800",'
        b' "title": "Fire \\ud800 report", "content_text": "crews \\udc00\\ud800 out",'
        b' "authors": [{"name": "\\ud83d"}]}]}'
    )
    feed = parse_feed(body, URL)
    [entry] = feed.entries
    texts = [feed.title, entry.guid, entry.link, entry.title, entry.content, entry.author]
    assert texts == [
        "Feed \ufffd",
        "a\ufffd",
        "https://x.example/\ufffd",
        "Fire \ufffd report",
        "crews \ufffd\ufffd out",
        "\ufffd",
    ]
    assert all(str(text).encode("utf-8") for text in texts)


@pytest.mark.parametrize(
    "reference",
    [
        "&#xD800;",
        "&#xdfff;",
        "&#55296;",
        "&#55296",
        "&#x110000;",
        "&#99999999999999999999;",
        "&#" + "9" * 5000 + ";",
    ],
)
def test_impossible_character_references_become_replacement_characters(reference: str) -> None:
    # A reference to a surrogate or past U+10FFFF is not well-formed (XML 1.0 §4.1); the
    # lenient parser raised on it (chr() out of range) or kept a lone surrogate.
    doc = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item>'
        f"<title>a {reference} b</title><guid>g</guid>"
        f'<description>&lt;a href="/x{reference}"&gt;c&lt;/a&gt;</description>'
        "</item></channel></rss>"
    )
    [entry] = parse_feed(doc.encode(), URL).entries
    assert entry.title == "a \ufffd b"
    assert entry.summary.encode("utf-8")


def test_valid_character_references_are_kept() -> None:
    doc = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item>'
        "<title>&#x41;&#00066;&#x1F600;&#1114111;</title><guid>g</guid></item></channel></rss>"
    )
    [entry] = parse_feed(doc.encode(), URL).entries
    assert entry.title == "AB\U0001f600\U0010ffff"


# --- errors -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "error"),
    [
        pytest.param(
            """<link rel="stylesheet" href="/s.css">
            <link rel="alternate" type="application/rss+xml" href="/feed/?a=1&amp;b=2">
            <link rel='alternate' type='application/atom+xml' href='/feed/atom'>
            <link rel=alternate type=application/feed+json href=feed.json>""",
            "not a feed: looks like an HTML page; it names a feed at "
            "https://news.example.org/feed/?a=1&b=2 and 2 more",
            id="three-feeds",
        ),
        pytest.param(
            """<link rel="alternate" hreflang="de" href="/de/">
            <link rel="alternate" type="application/rss+xml" href="javascript:x()">""",
            "not a feed: looks like an HTML page",
            id="no-feed",
        ),
    ],
)
def test_an_html_page_names_the_feeds_its_head_advertises(head: str, error: str) -> None:
    # A site's page added instead of its feed: the feeds its head names (RSS
    # Autodiscovery; JSON Feed 1.1, "Discovery") are told, resolved against the page's
    # URL, in document order, and never fetched. A <link> in the body is no head's.
    page = f"<!DOCTYPE html><html><head>{head}</head><body>"
    page += '<link rel="alternate" type="application/rss+xml" href="/late"></body></html>'
    assert parse_feed(page.encode(), URL, "text/html").error == error


@pytest.mark.parametrize(
    ("body", "content_type", "error"),
    [
        pytest.param(b"", None, "not a feed: the body is empty", id="empty"),
        pytest.param(b" \n\t ", None, "not a feed: the body is empty", id="whitespace"),
        pytest.param(
            b"<!DOCTYPE html><html><head><title>Hi</title></head><body>x</body></html>",
            "text/html",
            "not a feed: looks like an HTML page",
            id="html-page",
        ),
        pytest.param(
            b"<head><title>Moved</title></head><body>here</body>",
            None,
            "not a feed: looks like an HTML page",
            id="html-fragment",
        ),
        pytest.param(
            b"Service Unavailable",
            None,
            "not a feed: no XML element found (starts with 'Service Unavailable')",
            id="plain-text",
        ),
        pytest.param(
            b"<!-- nothing here -->", None, "not a feed: no XML element found", id="comment-only"
        ),
        pytest.param(
            b"<note><to>x</to></note>",
            None,
            "not a feed: root element <note> is not RSS, Atom or RDF",
            id="other-xml",
        ),
        pytest.param(
            b'{"version": "https://jsonfeed.org/version/1.1", "items": [',
            "application/json",
            "not a feed: invalid JSON (",
            id="truncated-json",
        ),
        pytest.param(
            b'{"rss": {"channel": {}}}',
            None,
            "not a feed: JSON document is not a JSON Feed (no JSON Feed version)",
            id="json-not-jsonfeed",
        ),
        pytest.param(
            b'{"version": "https://jsonfeed.org/version/1.1", "items": {"id": "1"}}',
            None,
            "not a feed: JSON Feed items is a JSON object, not an array",
            id="jsonfeed-items-object",
        ),
        pytest.param(
            b'{"version": "https://jsonfeed.org/version/1", "title": "x"}',
            None,
            "not a feed: JSON Feed items is missing, not an array",
            id="jsonfeed-no-items",
        ),
        pytest.param(
            b"[1, 2]",
            None,
            "not a feed: JSON document is not a JSON Feed (not an object)",
            id="json-array",
        ),
        pytest.param(b"[" * 100_000, None, "not a feed: invalid JSON (", id="json-deep-nesting"),
        # Strings that feedparser would fetch or open if given them as a string.
        pytest.param(
            b"http://127.0.0.1:9/feed.xml",
            None,
            "not a feed: no XML element found (starts with 'http://127.0.0.1:9/feed.xml')",
            id="url-body-not-fetched",
        ),
        pytest.param(
            b"/etc/passwd",
            None,
            "not a feed: no XML element found (starts with '/etc/passwd')",
            id="path-body-not-opened",
        ),
    ],
)
def test_unrecoverable_bodies_give_a_readable_error(
    body: bytes, content_type: str | None, error: str
) -> None:
    feed = parse_feed(body, URL, content_type)
    assert feed.error is not None and feed.error.startswith(error)
    assert feed.entries == ()
    assert feed.base_url == URL


def test_recoverable_bozo_feed_keeps_entries_with_readable_warning() -> None:
    broken = b"""<rss version="2.0"><channel><title>t</title>
      <item><title>one &nbsp; two</title><link>https://x.example/1</link></item>
      <item><title>three</title><link>https://x.example/2</link></item>"""  # unclosed
    feed = parse_feed(broken, URL)
    assert feed.error is None
    assert [e.title for e in feed.entries] == ["one \xa0 two", "three"]
    assert feed.warning is not None
    assert feed.warning.startswith("malformed XML at line ")
    assert feed.warning.endswith("; parsed leniently")
    assert "Exception" not in feed.warning and "<unknown>" not in feed.warning


# --- encodings --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "content_type", "title", "warning"),
    [
        pytest.param(rss().encode("utf-8"), None, "Новини", None, id="utf-8"),
        pytest.param(b"\xef\xbb\xbf" + rss().encode(), None, "Новини", None, id="utf-8-bom"),
        pytest.param(
            rss(encoding="utf-16").encode("utf-16"), None, "Новини", None, id="utf-16-bom"
        ),
        pytest.param(
            rss(encoding="utf-16").encode("utf-16-le"), None, "Новини", None, id="utf-16le-no-bom"
        ),
        pytest.param(
            rss(encoding="utf-32").encode("utf-32-be"), None, "Новини", None, id="utf-32be-no-bom"
        ),
        pytest.param(rss(encoding="koi8-r").encode("koi8-r"), None, "Новини", None, id="koi8-r"),
        pytest.param(
            rss("Café € “q”", "iso-8859-1").encode("cp1252"),
            None,
            "Café € “q”",
            None,
            id="latin-1-label-means-windows-1252",
        ),
        pytest.param(
            rss("Café", "iso-8859-1").encode("utf-8"),
            None,
            "Café",
            "document declares encoding iso-8859-1 but is utf-8; read as utf-8",
            id="declared-latin-1-but-utf-8",
        ),
        pytest.param(rss("東京", "shift_jis").encode("cp932"), None, "東京", None, id="shift_jis"),
        pytest.param(rss("中文", "big5").encode("big5"), None, "中文", None, id="big5"),
        pytest.param(
            rss("Новини").replace(' encoding="utf-8"', "").encode("cp1251"),
            "application/rss+xml; charset=windows-1251",
            "Новини",
            None,
            id="http-charset-when-undeclared",
        ),
        pytest.param(
            rss("Новини", "koi8-r").encode("koi8-r"),
            "text/xml; charset=utf-8",
            "Новини",
            None,
            id="declaration-beats-http-charset",
        ),
        pytest.param(
            rss(encoding="utf-16").encode("utf-8"),
            None,
            "Новини",
            None,
            id="utf-16-claim-disproved-by-bytes",
        ),
        pytest.param(b"  \n" + rss().encode(), None, "Новини", None, id="leading-whitespace"),
        pytest.param(b" " * 5000 + rss().encode(), None, "Новини", None, id="much-whitespace"),
        pytest.param(
            (" " * 5000 + rss(encoding="utf-16")).encode("utf-16"),
            None,
            "Новини",
            None,
            id="much-whitespace-utf-16",
        ),
        pytest.param(
            rss().replace("?>", '?><?xml-stylesheet href="s.xsl"?>', 1).encode(),
            None,
            "Новини",
            None,
            id="stylesheet-pi-kept",
        ),
    ],
)
def test_encodings(body: bytes, content_type: str | None, title: str, warning: str | None) -> None:
    feed = parse_feed(body, URL, content_type)
    assert feed.error is None
    assert feed.title == title
    assert feed.warning == warning
    assert [e.title for e in feed.entries] == ["First story"]


# --- hostile XML ------------------------------------------------------------------------

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
<!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
<!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;"><!ENTITY h "&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;">]>
<rss version="2.0"><channel><title>bomb</title><item><title>&h;</title></item></channel></rss>"""

QUADRATIC = (
    '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY big "' + "B" * 50_000 + '">]>'
    '<rss version="2.0"><channel><title>q</title><item><title>'
    + "&big;" * 20_000
    + "</title></item></channel></rss>"
)

# A DOCTYPE without subset passes, so stray declarations after it must not.
STRAY_ENTITY = (
    '<?xml version="1.0"?><!DOCTYPE rss>\n<!ENTITY big "' + "B" * 50_000 + '">\n'
    '<rss version="2.0"><channel><title>q</title><item><title>'
    + "&big;" * 20_000
    + "</title></item></channel></rss>"
)


@pytest.mark.parametrize(
    "doc",
    [
        pytest.param(BILLION_LAUGHS.encode(), id="billion-laughs"),
        pytest.param(BILLION_LAUGHS.replace("\n", "").encode(), id="billion-laughs-one-line"),
        pytest.param(BILLION_LAUGHS.encode("utf-16"), id="billion-laughs-utf-16"),
        pytest.param(QUADRATIC.encode(), id="quadratic-blowup"),
        pytest.param(STRAY_ENTITY.encode(), id="stray-entity-after-doctype"),
    ],
)
def test_entity_bombs_do_not_expand(doc: bytes) -> None:
    tracemalloc.start()
    try:
        feed = parse_feed(doc, URL)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    everything = repr(feed)
    assert "haha" not in everything
    assert "BB" not in everything
    assert len(everything) < 10 * len(doc)
    assert peak < 50 * 1024 * 1024
    assert feed.warning is not None and "entities were not expanded" in feed.warning


def test_external_entities_are_never_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    doc = f"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "{secret.as_uri()}">
<!ENTITY remote SYSTEM "http://127.0.0.1:9/dtd">]>
<rss version="2.0"><channel><title>t &xxe; &remote;</title>
<item><title>i &xxe;</title></item></channel></rss>"""
    feed = parse_feed(doc.encode(), URL)
    assert "TOP-SECRET" not in repr(feed)
    assert len(feed.entries) == 1  # the feed itself still reads
    assert feed.warning is not None and "entities were not expanded" in feed.warning


def test_an_items_dc_language_is_its_language() -> None:
    # RSS 1.0 with Dublin Core (greatfire-feeds__dw.xml: 85 items, <dc:language>zh on
    # each, none on the channel): dc:language is the item's language (DCMI Terms,
    # "language"), over an xml:lang inherited from the document.
    doc = b"""<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
      xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/"
      xml:lang="en">
      <channel rdf:about="https://news.example.org/"><title>DW</title>
        <link>https://news.example.org/</link></channel>
      <item rdf:about="https://news.example.org/1"><title>a</title>
        <link>https://news.example.org/1</link><dc:language>zh</dc:language></item>
      <item rdf:about="https://news.example.org/2"><title>b</title>
        <link>https://news.example.org/2</link></item>
    </rdf:RDF>"""
    feed = parse_feed(doc, URL)
    assert feed.format == "rss10"
    assert [e.language for e in feed.entries] == ["zh", "en"]


@pytest.mark.parametrize(
    ("lang", "links", "expected"),
    [
        # RFC 4287 §4.2.7.2: rel defaults to "alternate"; several alternates differ by
        # type or hreflang. The page is an HTML one, in the entry's language if one is.
        pytest.param(
            "en",
            '<link href="/a"/><link href="/b" hreflang="de"/>',
            "/a",
            id="first-not-the-other-language",
        ),
        pytest.param(
            "de-AT",
            '<link href="/a" hreflang="en"/><link rel="alternate" href="/b" hreflang="de"/>',
            "/b",
            id="hreflang-of-the-entry",
        ),
        pytest.param(
            "en",
            '<link href="/a.pdf" type="application/pdf"/><link href="/a" type="text/html"/>',
            "/a",
            id="html-before-pdf",
        ),
        pytest.param("en", '<link href="/a.pdf" type="application/pdf"/>', "/a.pdf", id="only-pdf"),
        pytest.param(
            "en",
            '<link rel="self" href="/self"/><link rel="enclosure" href="/a.mp3"/>',
            None,
            id="no-alternate",
        ),
    ],
)
def test_atom_entry_link_is_its_alternate_page(lang: str, links: str, expected: str | None) -> None:
    doc = (
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://blog.example.net/">'
        f'<title>t</title><entry xml:lang="{lang}"><title>x</title><id>urn:x:1</id>{links}'
        "</entry></feed>"
    )
    [entry] = parse_feed(doc.encode(), URL).entries
    if expected is not None:
        assert entry.link == "https://blog.example.net" + expected
    else:  # no page: feedparser's fallback is the id, a URN, which normalize drops
        assert entry.link == "urn:x:1"


@pytest.mark.parametrize(
    "prolog",
    [
        pytest.param("<!DOCTYPE x " + "<!--" * 50_000, id="unterminated-comments"),
        pytest.param("<!DOCTYPE x [" + "<?" * 50_000, id="unterminated-pis"),
        pytest.param('<!DOCTYPE x "' + "'\"" * 50_000, id="quotes"),
        pytest.param("<!--" * 50_000, id="comments-no-doctype"),
    ],
)
def test_hostile_prolog_scan_is_linear(prolog: str) -> None:
    # Behaviour, not speed: it returns (a quadratic scan would time out the test) with a
    # readable error and without handing the junk to feedparser as a feed.
    feed = parse_feed(prolog.encode(), URL)
    assert feed.error is not None and feed.error.startswith("not a feed: ")


def test_parameter_entity_dtd_is_dropped() -> None:
    doc = b"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY % ext SYSTEM "http://127.0.0.1:9/evil.dtd"> %ext;]>
<rss version="2.0"><channel><title>t</title><item><title>ok</title></item></channel></rss>"""
    feed = parse_feed(doc, URL)
    assert [e.title for e in feed.entries] == ["ok"]


# --- every shared feed ------------------------------------------------------------------


MANIFEST = shared_feed_manifest()
_MANIFEST_DATES = re.compile(r"dates (\d{4}-\d\d-\d\d)\.\.(\d{4}-\d\d-\d\d)")
ONE_DAY = timedelta(days=1)
# Documents whose manifest dates are feedparser's misreading, not the document's dates.
MANIFEST_DATES_MISREAD = {
    # "2020/1/10 14:33:00": feedparser reads 1 November; workers/parse.py's slashed-date
    # handler reads 10 January.
    "real/Ranchero-Software-NetNewsWire__kc0011.rss",
}
HOSTILE = ("bomb", "entity", "XXE", "DOCTYPE", "DTD", "cyclic")
NOW = datetime(2026, 3, 1, tzinfo=UTC)


@pytest.mark.skipif(not MANIFEST, reason=f"{SHARED_FEEDS} (shared feed corpus) is not present")
@pytest.mark.parametrize("row", MANIFEST, ids=[r["file"] for r in MANIFEST])
def test_every_shared_feed_parses_and_normalizes(row: dict[str, str]) -> None:
    body = (SHARED_FEEDS / row["file"]).read_bytes()
    url = "https://feeds.example.org/" + row["file"].rsplit("__", 1)[-1]
    hostile = any(word in row["notes"] for word in HOSTILE)
    if hostile:
        tracemalloc.start()
        try:
            feed = parse_feed(body, url)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        # Bounded: entity declarations never expand, so memory stays near the body size.
        assert peak < 16 * 1024 * 1024
        assert "1234567890" * 2 not in repr(feed)  # defusedxml's bombs repeat this
        assert "BBBBBBBBBB" * 2 not in repr(feed)
    else:
        feed = parse_feed(body, url)
    assert isinstance(feed, ParsedFeed)
    for message in (feed.error, feed.warning):
        assert message is None or (message.strip() and "Exception(" not in message)
    if feed.error:
        assert feed.error.startswith("not a feed: ")
        assert feed.entries == ()
    else:
        assert feed.format

    dates = [d.date() for e in feed.entries if (d := e.published or e.updated)]
    listed = _MANIFEST_DATES.search(row["notes"])
    if listed and row["file"] not in MANIFEST_DATES_MISREAD:
        # The manifest lists feedparser's dates, as local dates: a UTC date is a day off
        # at most ("2017-06-02T22:05:47-07:00" is 3 June in UTC).
        low, high = (date.fromisoformat(d) for d in listed.groups())
        assert dates and abs(min(dates) - low) <= ONE_DAY and abs(max(dates) - high) <= ONE_DAY
    config = FeedConfig(url=url)
    # The manifest's language is the channel's declaration (RSS <language>, xml:lang, JSON
    # Feed language); an item's own declaration (xml:lang, JSON Feed 1.1 item language)
    # takes precedence for that item.
    declared = "" if row["language"].startswith("undeclared") else row["language"]
    for entry in feed.entries:
        article = normalize_entry(entry, feed, config, now=NOW, text_max_chars=500)
        if article is None:
            assert not html_to_text(entry.title + entry.summary + entry.content)
            continue
        if declared:
            expected = primary_language(entry.language) or primary_language(declared)
            # ... unless the item is written in another script (dossier.center's English
            # teasers in its ru feed): then its language is detected.
            snippet = f"{article.title}\n{article.text}"[:DETECT_MAX_CHARS]
            assert (article.language == expected) is written_in(expected, snippet)
        assert article.published <= NOW and article.published.tzinfo is not None
        assert article.url == "" or article.url.startswith(("http://", "https://"))
        assert len(article.text) <= 500
        assert article.language == article.language.lower() and len(article.language) in (0, 2, 3)
        assert article.identity.split(":", 1)[0] in ("guid", "url", "hash")


# --- properties ---------------------------------------------------------------------------

_xml_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=60
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600))
def test_any_bytes_give_entries_or_a_readable_error(body: bytes) -> None:
    feed = parse_feed(body, URL)
    if feed.error is not None:
        assert feed.error.startswith("not a feed: ") and feed.entries == ()
    for message in (feed.error, feed.warning):
        assert message is None or "Exception(" not in message


def _looks_double_encoded(text: str) -> bool:
    """feedparser deliberately repairs UTF-8 that was mis-read as ISO-8859-1 ("Ã©" ->
    "é"; feedparser/mixin.py, "address common error"). Text that is pure Latin-1 and also
    valid UTF-8 once re-encoded ("à\xa0¡") is indistinguishable from such mojibake, so it
    is repaired too; real feeds carry far more mojibake than such sequences."""
    if _MOJIBAKE_PAIR.search(text):
        return True  # a lead byte's character then a continuation's ("Â\x85"), repaired alone
    try:
        return text.encode("iso-8859-1").decode("utf-8") != text
    except (UnicodeEncodeError, UnicodeDecodeError):
        return False


_MOJIBAKE_PAIR = re.compile("[\u00c2-\u00f4][\u0080-\u00bf]")


@settings(max_examples=100, deadline=None)
@given(title=_xml_text, text=_xml_text, encoding=st.sampled_from(["utf-8", "utf-16", "utf-32"]))
def test_any_item_text_survives_a_well_formed_feed(title: str, text: str, encoding: str) -> None:
    assume(not _looks_double_encoded(title) and not _looks_double_encoded(text))
    doc = (
        f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0"><channel><title>t</title>'
        f"<item><title>{escape(title)}</title><description>{escape(text)}</description>"
        "</item></channel></rss>"
    )
    feed = parse_feed(doc.encode(encoding), URL)
    assert feed.error is None and feed.warning is None
    [entry] = feed.entries
    assert " ".join(entry.title.split()) == " ".join(title.split())
