"""ArticleStore against a real Redis: idempotent ingest, sources, paging."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import timedelta

import pytest

from service.models import Article, Source
from service.store import Store
from service.store.articles import decode_cursor
from service.store.partitions import PartitionStore
from tests.factories import T0, make_article


async def test_ingest_is_idempotent_and_streams_once(store: Store) -> None:
    article = make_article(1)
    assert await store.articles.ingest(article) == "new"
    assert await store.articles.ingest(article) == "duplicate"
    assert await store.redis.xlen(store.keys.entries_stream) == 1
    stored = await store.articles.get(article.id)
    assert stored is not None
    assert stored.title == "Title 1"
    assert stored.published == article.published
    assert [s.feed_url for s in stored.sources] == ["https://a.example/feed"]


def from_other_feed(article: Article, other_feed: str = "https://b.example/rss") -> Article:
    """The same URL as ``article``, carried by another feed (outlet B)."""
    return replace(
        article,
        identity=f"guid:{other_feed} x",
        feed_url=other_feed,
        sources=(Source(feed_url=other_feed, outlet="B", url=article.url, seen_at=T0),),
    )


async def test_same_url_from_another_feed_adds_a_source(store: Store) -> None:
    first = make_article(1)
    second = from_other_feed(first)
    assert await store.articles.ingest(first) == "new"
    assert await store.articles.ingest(second) == "new_source"
    assert await store.articles.ingest(second) == "duplicate"
    stored = await store.articles.get(first.id)
    assert stored is not None
    assert {s.outlet for s in stored.sources} == {"A", "B"}
    kinds = [f["kind"] for _id, f in await store.redis.xrange(store.keys.entries_stream)]
    assert kinds == ["new", "source"]


async def test_concurrent_ingest_of_one_article_stores_it_once(store: Store) -> None:
    article = make_article(7)
    outcomes = await asyncio.gather(*(store.articles.ingest(article) for _ in range(20)))
    assert sorted(outcomes).count("new") == 1
    assert await store.redis.xlen(store.keys.entries_stream) == 1


async def test_a_batch_ingests_in_order_as_one_call_after_another(store: Store) -> None:
    first = make_article(1)
    same_url = from_other_feed(first)
    batch = [first, make_article(2), same_url, first]
    outcomes = await store.articles.ingest_many(batch, feed_id="f1")
    assert outcomes == ["new", "new", "new_source", "duplicate"]
    kinds = [f["kind"] for _id, f in await store.redis.xrange(store.keys.entries_stream)]
    assert kinds == ["new", "new", "source"]
    assert await store.articles.ingest_many(batch) == ["duplicate"] * 4
    assert await store.articles.ingest_many([]) == []


async def test_a_partition_count_set_after_the_store_was_made_is_followed(store: Store) -> None:
    """The ingest script is given the entries stream of every partition it may write to;
    a store made before the count was set learns it from the script and calls again."""
    assert await store.articles.ingest(make_article(1)) == "new"
    await PartitionStore(store.redis, store.keys).set_once(4, {"en": 0, "de": 2, "fr": 3})
    german = make_article(2, lang="de")
    batch = [make_article(3), german, from_other_feed(german), make_article(4, lang="fr")]
    outcomes = await store.articles.ingest_many(batch, feed_id="f1")
    assert outcomes == ["new", "new", "new_source", "new"]

    async def stream(partition: int) -> list[tuple[str, str]]:
        rows = await store.redis.xrange(store.keys.entries(partition))
        return [(f["article"], f["kind"]) for _id, f in rows]

    assert await stream(0) == [("art0001", "new"), ("art0003", "new")]
    assert await stream(1) == []
    assert await stream(2) == [("art0002", "new"), ("art0002", "source")]
    assert await stream(3) == [("art0004", "new")]


async def test_paging_newest_first_with_ties_and_inserts(store: Store) -> None:
    articles = [make_article(n) for n in range(25)]
    # Five articles share one timestamp: the cursor must break ties by id.
    articles += [replace(make_article(100 + n), published=T0) for n in range(5)]
    for a in articles:
        await store.articles.ingest(a)
        await store.articles.index(a, "feed1")

    seen: list[str] = []
    cursor = None
    while True:
        page = await store.articles.page(limit=4, cursor=cursor)
        seen += [a.id for a in page.items]
        # An article inserted mid-paging at the newest end must not shift later pages.
        newest = replace(make_article(900 + len(seen)), published=T0 + timedelta(days=1))
        await store.articles.ingest(newest)
        await store.articles.index(newest, "feed1")
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert len(seen) == len(set(seen)) == 30
    times = [a.published for a in await store.articles.get_many(seen)]
    assert times == sorted(times, reverse=True)


async def test_filters_by_feed_lang_and_since(store: Store) -> None:
    for n in range(6):
        a = make_article(n, lang="uk" if n % 2 else "en")
        await store.articles.ingest(a)
        await store.articles.index(a, "f1" if n < 3 else "f2")
    page = await store.articles.page(limit=10, lang="uk")
    assert [a.id for a in page.items] == ["art0005", "art0003", "art0001"]
    page = await store.articles.page(limit=10, feed_id="f1", lang="en")
    assert [a.id for a in page.items] == ["art0002", "art0000"]
    page = await store.articles.page(limit=10, since=T0 + timedelta(minutes=3))
    assert [a.id for a in page.items] == ["art0005", "art0004"]


@pytest.mark.parametrize("bad", ["", "!!!", "bm90LWEtY3Vyc29y", "YWJj"])
def test_bad_cursor_raises_value_error(bad: str) -> None:
    with pytest.raises(ValueError):
        decode_cursor(bad)
