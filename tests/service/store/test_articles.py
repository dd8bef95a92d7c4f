"""ArticleStore against a real Redis: idempotent ingest, sources, paging."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from service.models import Article, Source
from service.store import Store
from service.store.articles import INGEST_ROUND_TRIP, decode_cursor
from service.store.partitions import PartitionStore
from tests.factories import T0, make_article
from tests.service.store.test_codec import SHAPES, first_feed
from workers.partitions import ensure_partitions


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


async def test_a_large_batch_goes_in_bounded_round_trips_and_counts_right(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A document of 100,000 items was one pipeline: past redis-py's socket timeout on a
    busy machine it was sent again, and what the first send stored answered "duplicate"."""
    sizes: list[int] = []
    pipeline = store.redis.pipeline

    def counted(*args: Any, **kwargs: Any) -> Any:
        pipe = pipeline(*args, **kwargs)
        execute = pipe.execute

        async def execute_counted(*a: Any, **k: Any) -> Any:
            sizes.append(len(pipe.command_stack))
            return await execute(*a, **k)

        pipe.execute = execute_counted
        return pipe

    monkeypatch.setattr(store.redis, "pipeline", counted)
    batch = [make_article(n) for n in range(2 * INGEST_ROUND_TRIP + 1)]
    outcomes = await store.articles.ingest_many([*batch, batch[0]], feed_id="f1")
    assert outcomes == ["new"] * len(batch) + ["duplicate"]
    assert sizes == [INGEST_ROUND_TRIP, INGEST_ROUND_TRIP, 2]
    assert await store.redis.xlen(store.keys.entries_stream) == len(batch)


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
    counts = [await store.articles.count(feed_id=f) for f in ("f1", "f2", "f3")]
    assert (await store.articles.count(), counts) == (6, [3, 3, 0])


@pytest.mark.parametrize("bad", ["", "!!!", "bm90LWEtY3Vyc29y", "YWJj"])
def test_bad_cursor_raises_value_error(bad: str) -> None:
    with pytest.raises(ValueError):
        decode_cursor(bad)


# ------------------------------------------------------------------------------------------
# An article's sources against a real Redis (codec version 3): the first source lives in the
# article JSON and the sources hash appears only with a second feed; the ingest script stays
# atomic and idempotent; articles stored before version 3 still read and grow.


def own(a: Article) -> Article:
    """``a`` as the fetch stage ingests it: its first source is its own feed."""
    return replace(
        a, sources=(Source(a.feed_url, a.outlet, a.url, a.first_seen, a.country, a.language),)
    )


def from_feed(a: Article, feed: str, *, identity: str | None = None, n: int = 1) -> Article:
    """The same article (same id) as another poll reports it: ``feed``, its own identity."""
    seen = a.first_seen.replace(minute=(a.first_seen.minute + n) % 60)
    return replace(
        a,
        identity=identity or f"guid:{feed} {a.id}-{n}",
        feed_url=feed,
        outlet=f"Outlet of {feed}",
        first_seen=seen,
        sources=(Source(feed, f"Outlet of {feed}", a.url, seen),),
    )


async def kinds(store: Store, partition: int = 0) -> list[str]:
    return [f["kind"] for _i, f in await store.redis.xrange(store.keys.entries(partition))]


async def test_a_new_article_is_one_key_with_its_source_inside(store: Store) -> None:
    article = own(make_article(1))
    assert await store.articles.ingest(article) == "new"
    assert not await store.redis.exists(store.keys.article_sources(article.id))
    raw = await store.redis.get(store.keys.article(article.id))
    assert json.loads(raw)["r"] == {}  # the source is the article's own feed
    assert await store.articles.get(article.id) == article


async def test_the_second_feed_creates_the_hash_once_and_replays_add_nothing(
    store: Store,
) -> None:
    first = own(make_article(1))
    second = from_feed(first, "https://b.example/rss", n=1)
    third = from_feed(first, "https://c.example/rss", n=2)
    assert await store.articles.ingest(first) == "new"
    assert await store.articles.ingest(second) == "new_source"
    sources_key = store.keys.article_sources(first.id)
    assert list(await store.redis.hgetall(sources_key)) == ["https://b.example/rss"]
    assert await store.articles.ingest(third) == "new_source"
    # Replays: the same polls again, and each feed again under another identity (a GUID
    # that changed, or the same URL under a second GUID), the first feed included.
    for again in (first, second, third):
        assert await store.articles.ingest(again) == "duplicate"
        other_identity = from_feed(first, again.feed_url, identity=f"url:{again.feed_url}-x")
        assert await store.articles.ingest(other_identity) == "duplicate"
    assert await kinds(store) == ["new", "source", "source"]
    assert await store.redis.hlen(sources_key) == 2
    stored = await store.articles.get(first.id)
    assert stored is not None
    assert stored.sources == first.sources + second.sources + third.sources


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("foreign_first", [False, True], ids=["own-first", "foreign-first"])
async def test_the_script_knows_the_first_feed_of_every_article_shape(
    store: Store, shape: Article, foreign_first: bool
) -> None:
    # The script reads the first source's feed from the raw JSON the way test_codec's
    # first_feed does: from "r", from the article's "f", or from a GUID identity.
    article = own(replace(shape, id="shape"))
    if foreign_first:
        article = replace(article, sources=from_feed(article, "https://x.example/f").sources)
    first = article.sources[0].feed_url
    assert await store.articles.ingest(article) == "new"
    raw = await store.redis.get(store.keys.article(article.id))
    assert first_feed(raw) == first
    same_feed = from_feed(article, first, identity="url:another-identity")
    assert await store.articles.ingest(same_feed) == "duplicate"
    other = from_feed(article, "https://other.example/rss", identity="url:a-third-identity")
    assert await store.articles.ingest(other) == "new_source"
    stored = await store.articles.get(article.id)
    assert stored is not None
    assert [s.feed_url for s in stored.sources] == [first, "https://other.example/rss"]


async def test_concurrent_second_feeds_add_each_source_once(store: Store) -> None:
    first = own(make_article(5))
    assert await store.articles.ingest(first) == "new"
    others = [from_feed(first, f"https://f{n}.example/rss", n=n + 1) for n in range(5)]
    outcomes = await asyncio.gather(
        *(store.articles.ingest(o) for o in others for _ in range(4)),
        *(store.articles.ingest(first) for _ in range(4)),
    )
    assert sorted(outcomes).count("new_source") == 5
    assert await kinds(store) == ["new"] + ["source"] * 5
    stored = await store.articles.get(first.id)
    assert stored is not None and len(stored.sources) == 6


async def test_a_partitioned_article_records_its_partition_in_its_json(store: Store) -> None:
    await ensure_partitions(store, 4, {"de": 2})
    article = own(make_article(2, lang="de"))
    assert await store.articles.ingest(article) == "new"
    assert json.loads(await store.redis.get(store.keys.article(article.id)))["part"] == 2
    assert not await store.redis.exists(store.keys.article_sources(article.id))
    # Another feed that says another language: the source follows the article.
    other = replace(from_feed(article, "https://b.example/rss"), language="en")
    assert await store.articles.ingest(other) == "new_source"
    assert await kinds(store, 2) == ["new", "source"]
    assert list(await store.redis.hgetall(store.keys.article_sources(article.id))) == [
        "https://b.example/rss"
    ]
    assert await store.articles.get(article.id) == replace(
        article, sources=article.sources + other.sources
    )


async def test_retention_removes_an_article_with_or_without_its_hash(store: Store) -> None:
    from datetime import timedelta

    from service.store.retention import prune

    old = own(make_article(1))
    assert await store.articles.ingest(old) == "new"
    new = own(make_article(2))
    assert await store.articles.ingest(new) == "new"
    assert await store.articles.ingest(from_feed(new, "https://b.example/rss")) == "new_source"
    for a in (old, new):
        await store.articles.index(a, "feed")
    report = await prune(store, now=T0 + timedelta(days=60), retention=timedelta(days=30))
    assert report.articles == 2
    for a in (old, new):
        assert not await store.redis.exists(
            store.keys.article(a.id), store.keys.article_sources(a.id)
        )


async def test_identity_keys_hold_1(store: Store) -> None:
    from service.ids import digest
    from service.store.seen_identities import IdentityStore

    new = own(make_article(1))
    assert await store.articles.ingest(new) == "new"
    assert await store.redis.get(store.keys.identity(digest(new.identity, 32))) == "1"
    identities = IdentityStore(store.redis, store.keys)
    assert await identities.stored([new.identity, "guid:x y"]) == [True, False]


async def test_the_article_json_leaves_its_id_to_the_key(store: Store) -> None:
    new = own(make_article(1))
    assert await store.articles.ingest(new) == "new"
    assert "id" not in json.loads(await store.redis.get(store.keys.article(new.id)))
    assert await store.articles.get_many([new.id]) == [new]


async def test_get_many_skips_missing_ids_and_keys_of_another_type(store: Store) -> None:
    kept, foreign = make_article(1), make_article(2)
    for article in (kept, foreign):
        await store.articles.ingest(article)
    await store.redis.delete(store.keys.article(foreign.id))
    await store.redis.hset(store.keys.article(foreign.id), "x", "1")
    found = await store.articles.get_many(["missing", foreign.id, kept.id])
    assert [a.id for a in found] == [kept.id]


async def test_entries_held_and_their_times_over_every_partition(store: Store) -> None:
    await ensure_partitions(store, 2, {"de": 1})
    assert await store.articles.entries_held() == 0
    assert await store.articles.entry_times_ms(since_ms=0) == []
    await store.articles.ingest(make_article(1, lang="en"))
    await store.articles.ingest(make_article(2, lang="de"))
    assert await store.articles.entries_held() == 2
    # Each partition holds one entry: its stream id's first part is when it was added.
    added = []
    for p in range(2):
        [(row_id, _)] = await store.redis.xrange(store.keys.entries(p))
        added.append(int(str(row_id).split("-")[0]))
    added.sort()
    assert sorted(await store.articles.entry_times_ms(since_ms=0)) == added
    assert await store.articles.entry_times_ms(since_ms=added[-1] + 1) == []
