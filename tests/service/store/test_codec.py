"""service.store.codec: the compact article and source encoding round-trips exactly, reads
the first encoding, and keeps what other readers of the raw JSON rely on."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from service.models import Article, Source
from service.store import Store, codec
from tests.factories import make_article

FEED = "https://news.example.org/rss?section=world"
WHEN = datetime(2026, 11, 25, 11, 57, 11, tzinfo=UTC)
SEEN = datetime(2026, 11, 25, 12, 0, 0, 123456, tzinfo=UTC)


def article(identity: str, *, url: str = "https://news.example.org/a/1", **changes) -> Article:
    base = Article(
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
        guid=None,
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
]


@pytest.mark.parametrize("original", SHAPES)
def test_article_round_trips_exactly(original: Article) -> None:
    sources = (Source(FEED, "Outlet", original.url, SEEN, "UA", "uk"),)
    text = codec.article_to_json(original)
    assert codec.article_from_json(text, sources) == replace(original, sources=sources)


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


def first_encoding(a: Article) -> str:
    """What the previous release stored."""
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


def old_source(s: Source) -> str:
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
def test_first_encoding_still_reads(original: Article) -> None:
    assert codec.article_from_json(first_encoding(original)) == replace(original, sources=())


def test_compact_encoding_is_smaller() -> None:
    guid = "soak-1-0-tag:daringfireball.net,2016:/linked//6.32173"
    a = article(f"guid:{FEED} {guid}", guid=guid)
    assert len(codec.article_to_json(a).encode()) < len(first_encoding(a).encode()) - 150
    source = Source(FEED, "Outlet", a.url, SEEN)
    assert len(codec.source_to_json(source)) < len(old_source(source)) - 40


@pytest.mark.parametrize(
    "source",
    [
        Source(FEED, "Outlet", "https://news.example.org/a/1", SEEN, "UA", "uk"),
        Source(FEED, "", "", WHEN),
    ],
)
def test_source_round_trips_and_reads_the_first_encoding(source: Source) -> None:
    assert codec.source_from_json(codec.source_to_json(source)) == source
    assert codec.source_from_json(old_source(source)) == source


async def test_articles_stored_by_the_previous_release_still_load(store: Store) -> None:
    old, new = make_article(1), make_article(2)
    await store.redis.set(store.keys.article(old.id), first_encoding(old))
    await store.redis.hset(
        store.keys.article_sources(old.id), old.feed_url, old_source(old.sources[0])
    )
    assert await store.articles.ingest(new) == "new"
    assert await store.articles.get_many([old.id, new.id]) == [old, new]
