"""service.store.codec: the compact article and source encoding round-trips exactly and
keeps what other readers of the raw JSON rely on."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from service.models import Article, Source
from service.store import codec
from tests import factories
from tests.factories import make_article

FEED = "https://news.example.org/rss?section=world"
WHEN = datetime(2026, 11, 25, 11, 57, 11, tzinfo=UTC)
SEEN = datetime(2026, 11, 25, 12, 0, 0, 123456, tzinfo=UTC)


def article(identity: str, *, url: str = "https://news.example.org/a/1", **changes) -> Article:
    base = factories.article(
        id="0123456789abcdef",
        identity=identity,
        url=url,
        title="Київ: нічна атака дронів",
        text="Текст звіту… with “quotes”, <tags> and \\ backslashes",
        published=WHEN,
        first_seen=SEEN,
        language="uk",
        feed_url=FEED,
        outlet="Outlet",
        country="UA",
        with_source=False,
    )
    return replace(base, **changes)


SHAPES = [
    pytest.param(article(f"guid:{FEED} g 1", guid="g 1"), id="guid-identity"),
    pytest.param(article(f"guid:{FEED} g-2", guid="g-2", url=""), id="guid-identity-no-url"),
    pytest.param(article("url:https://news.example.org/a/1"), id="url-identity"),
    pytest.param(article("hash:" + "ab" * 32, url=""), id="hash-identity-no-url"),
    pytest.param(
        article("guid:https://other.example/feed x", guid="x"), id="identity-of-another-feed"
    ),
    pytest.param(article("url:https://elsewhere.example/b", guid="g"), id="guid-not-in-identity"),
    pytest.param(
        article(f"guid:{FEED} g", guid="g", language="", country="", outlet=""), id="empty-fields"
    ),
    pytest.param(article(f"guid:{FEED} ", guid=""), id="empty-guid"),
    pytest.param(make_article(7), id="factory"),
    pytest.param(replace(make_article(8), date_only=True), id="date-only"),
    pytest.param(
        replace(
            make_article(9),
            date_only=True,
            day_start=make_article(9).published - timedelta(hours=9),
        ),
        id="date-only-with-its-day",
    ),
]


def own_source(a: Article) -> Source:
    """The first source of a fetched article: its own feed, outlet, URL, time, place."""
    return Source(a.feed_url, a.outlet, a.url, a.first_seen, a.country, a.language)


FOREIGN = Source("https://other.example/rss", "Other", "https://other.example/x", WHEN, "FR", "fr")


@pytest.mark.parametrize("original", SHAPES)
@pytest.mark.parametrize("first", ["own", "foreign", "none"])
def test_article_round_trips_exactly_with_its_first_source(original: Article, first: str) -> None:
    sources = {"own": (own_source(original),), "foreign": (FOREIGN,), "none": ()}[first]
    article = replace(original, sources=sources)
    assert codec.article_from_json(codec.article_to_json(article), article.id) == article


@pytest.mark.parametrize("original", SHAPES)
def test_the_hash_sources_join_the_first_in_seen_at_order(original: Article) -> None:
    first = replace(own_source(original), seen_at=SEEN)
    early = Source("https://early.example/rss", "Early", original.url, WHEN)
    late = Source("https://late.example/rss", "Late", "", SEEN + (SEEN - WHEN))
    same_time = Source("https://same.example/rss", "Same", "", SEEN)
    text = codec.article_to_json(replace(original, sources=(first,)))
    got = codec.article_from_json(text, original.id, (early, same_time, late))
    assert got.sources == (early, first, same_time, late)


def first_feed(text: str) -> str:
    """The feed URL of the first source inside an article's JSON, read from the raw JSON
    the way the ingest script reads it in Lua (service/store/articles.py ``INGEST``)."""
    data = json.loads(text)
    if "f" in data["r"]:
        return str(data["r"]["f"])
    if "f" in data:
        return str(data["f"])
    return str(data["identity"]).removeprefix("guid:").partition(" ")[0]


@pytest.mark.parametrize("original", SHAPES)
@pytest.mark.parametrize("first", ["own", "foreign"])
def test_first_feed_reads_the_first_sources_feed_back(original: Article, first: str) -> None:
    # What the ingest script computes in Lua (tests/service/store/test_articles_sources.py
    # checks the script against the same shapes).
    source = own_source(original) if first == "own" else FOREIGN
    text = codec.article_to_json(replace(original, sources=(source,)))
    assert first_feed(text) == source.feed_url


def test_an_own_first_source_costs_a_few_bytes() -> None:
    a = make_article(3)
    with_source = codec.article_to_json(replace(a, sources=(own_source(a),)))
    assert len(with_source) - len(codec.article_to_json(replace(a, sources=()))) <= 8  # r in


@pytest.mark.parametrize("original", SHAPES)
def test_raw_json_keeps_the_identity_for_retention(original: Article) -> None:
    # service/store/retention.py reads the identity straight from the stored JSON.
    assert json.loads(codec.article_to_json(original))["identity"] == original.identity


def test_what_the_identity_says_is_not_stored_twice() -> None:
    guid = "soak-1-0-tag:daringfireball.net,2016:/linked//6.32173"
    stored = codec.article_to_json(article(f"guid:{FEED} {guid}", guid=guid))
    assert stored.count(guid) == 1 and stored.count(FEED) == 1
    url = "https://news.example.org/2026/11/25/a-long-slug-of-a-story"
    assert codec.article_to_json(article(f"url:{url}", url=url)).count(url) == 1


def long_names(a: Article) -> str:
    """The same article under long field names with ISO times: what the compact encoding
    is measured against."""
    return json.dumps(
        {
            "id": a.id,
            "identity": a.identity,
            "url": a.url,
            "title": a.title,
            "text": a.text,
            "published": codec.iso(a.published),
            "first_seen": codec.iso(a.first_seen),
            "language": a.language,
            "feed_url": a.feed_url,
            "outlet": a.outlet,
            "country": a.country,
            "guid": a.guid,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def long_name_source(s: Source) -> str:
    return json.dumps(
        {
            "feed_url": s.feed_url,
            "outlet": s.outlet,
            "url": s.url,
            "seen_at": codec.iso(s.seen_at),
            "country": s.country,
            "language": s.language,
        }
    )


@pytest.mark.parametrize("original", SHAPES)
def test_the_id_comes_from_the_key(original: Article) -> None:
    article = replace(original, sources=(own_source(original),))
    text = codec.article_to_json(article)
    assert original.id not in text
    assert codec.article_from_json(text, original.id) == article


def test_compact_encoding_is_smaller() -> None:
    guid = "soak-1-0-tag:daringfireball.net,2016:/linked//6.32173"
    a = article(f"guid:{FEED} {guid}", guid=guid)
    assert len(codec.article_to_json(a).encode()) < len(long_names(a).encode()) - 150
    source = Source(FEED, "Outlet", a.url, SEEN)
    assert len(codec.source_to_json(source)) < len(long_name_source(source)) - 40


@pytest.mark.parametrize(
    "source",
    [
        Source(FEED, "Outlet", "https://news.example.org/a/1", SEEN, "UA", "uk"),
        Source(FEED, "", "", WHEN),
    ],
)
def test_source_round_trips(source: Source) -> None:
    assert codec.source_from_json(codec.source_to_json(source)) == source
