"""The fetch and process stages end to end: real feed server, real Redis, real parsing.

Each hostile server behaviour must end in the right feed state with a readable error,
and never lose or duplicate what was stored.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from service.models import FeedConfig
from service.settings import Settings
from service.store import Store
from service.store.feeds import StoredFeed
from tests.factories import BBC_WORLD
from tests.feedserver import (
    HTML_PAGE,
    FeedServer,
    bomb,
    document,
    drip,
    endless,
    oversized,
    redirect,
    sequence,
    status,
)
from workers.fetch_stage import FetchStage, PollReport
from workers.http_fetch import Fetcher
from workers.process_stage import ProcessStage
from workers.story_stage import StoryStage

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
BBC = BBC_WORLD


def rss(*items: tuple[str, str]) -> bytes:
    body = "".join(
        f"<item><title>{t}</title><link>{link}</link><guid>{link}</guid>"
        f"<pubDate>Tue, 24 Nov 2026 10:00:00 GMT</pubDate></item>"
        for t, link in items
    )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        f"<link>https://t.example/</link><ttl>30</ttl>{body}</channel></rss>"
    ).encode()


@pytest.fixture
def settings() -> Settings:
    return Settings(
        allow_private_targets=True,
        fetch_timeout=2.0,
        connect_timeout=1.0,
        max_body_bytes=1024 * 1024,
        jitter=0.0,
    )


@pytest.fixture
async def stage(settings: Settings, store: Store) -> AsyncIterator[FetchStage]:
    async with Fetcher(settings) as fetcher:
        yield FetchStage(settings, store, fetcher)


async def add(store: Store, url: str, interval: int = 900) -> StoredFeed:
    feed_id, _ = await store.feeds.add(FeedConfig(url=url, interval=interval), first_poll=NOW)
    feed = await store.feeds.get(feed_id)
    assert feed is not None
    return feed


async def poll(stage: FetchStage, store: Store, url: str, at: datetime = NOW) -> PollReport:
    feed = await store.feeds.by_url(url)
    assert feed is not None
    return await stage.poll(feed, now=at)


async def test_new_then_not_modified_then_unchanged(
    feed_server: FeedServer, stage: FetchStage, store: Store
) -> None:
    url = feed_server.add(
        "/bbc.xml", document(BBC, etag='"v1"', last_modified="Tue, 24 Nov 2026 10:00:00 GMT")
    )
    await add(store, url)
    first = await poll(stage, store, url)
    assert first.outcome == "new_entries" and first.new == first.entries > 20
    stored = await store.redis.xlen(store.keys.entries_stream)
    assert stored == first.new

    second = await poll(stage, store, url, NOW + timedelta(minutes=20))
    assert second.outcome == "not_modified" and second.status == 304
    sent = feed_server.requests_to("/bbc.xml")[-1].headers
    assert sent["if-none-match"] == '"v1"'
    assert sent["if-modified-since"] == "Tue, 24 Nov 2026 10:00:00 GMT"

    # Same bytes without validators: the body hash says "unchanged", nothing is parsed.
    plain = feed_server.add("/plain.xml", BBC)
    await add(store, plain)
    assert (await poll(stage, store, plain)).new == 0  # same articles, other feed: sources
    again = await poll(stage, store, plain, NOW + timedelta(hours=1))
    assert again.outcome == "unchanged"
    assert await store.redis.xlen(store.keys.entries_stream) == stored * 2  # "source" messages

    feed = await store.feeds.by_url(url)
    assert feed is not None
    assert feed.state.last_status == 304 and feed.state.last_error is None
    assert feed.state.consecutive_failures == 0
    assert feed.state.title == "BBC News"
    assert feed.state.site_url == "https://www.bbc.co.uk/news/world"  # the channel's link


async def test_same_item_with_new_guid_or_another_feed_is_not_a_new_article(
    feed_server: FeedServer, stage: FetchStage, store: Store
) -> None:
    a = feed_server.add(
        "/a",
        sequence(
            rss(("Strike on Kharkiv", "https://n.example/1")),
            rss(("Strike on Kharkiv", "https://n.example/1?utm_source=x")),
        ),
    )
    b = feed_server.add("/b", rss(("Strike hits Kharkiv", "https://n.example/1#top")))
    await add(store, a)
    await add(store, b)
    assert (await poll(stage, store, a)).new == 1
    assert (await poll(stage, store, a, NOW + timedelta(hours=1))).new == 0
    report = await poll(stage, store, b)
    assert (report.new, report.new_sources) == (0, 1)
    page = await store.articles.page(limit=10)
    assert page.items == []  # nothing indexed before the process stage runs
    (article_id,) = {f["article"] for _i, f in await store.redis.xrange(store.keys.entries_stream)}
    article = await store.articles.get(article_id)
    assert article is not None
    assert article.url == "https://n.example/1"
    assert sorted(s.feed_url for s in article.sources) == sorted([a, b])


@pytest.mark.parametrize(
    ("route", "kind", "message"),
    [
        (status(500), "error", "500"),
        (status(429, headers={"Retry-After": "3600"}), "error", "429"),
        (status(503, headers={"Retry-After": "7200"}), "error", "503"),
        (HTML_PAGE, "error", "html"),
        (b"", "error", "empty"),
        (oversized(2 * 1024 * 1024), "error", "larger than"),
        (oversized(2 * 1024 * 1024, chunked=True), "error", "larger than"),
        (endless(), "error", "larger than"),
        (bomb(), "error", "larger than"),
        (drip(BBC, chunk_size=64, interval=0.05), "error", "timed out"),
        (status(410), "gone", "410"),
    ],
    ids=["500", "429", "503", "html", "empty", "too-big", "too-big-chunked", "endless",
         "gzip-bomb", "slow-drip", "gone"],
)  # fmt: skip
async def test_hostile_answers_end_in_a_readable_error(
    feed_server: FeedServer, stage: FetchStage, store: Store, route: object, kind: str, message: str
) -> None:
    url = feed_server.add("/f", route)  # type: ignore[arg-type]
    await add(store, url)
    report = await poll(stage, store, url)
    assert report.outcome == kind
    assert report.error is not None and message in report.error.lower()
    feed = await store.feeds.by_url(url)
    assert feed is not None
    assert feed.state.last_error == report.error
    assert feed.state.consecutive_failures == 1
    assert feed.state.next_poll is not None and feed.state.next_poll > NOW
    assert await store.redis.xlen(store.keys.entries_stream) == 0


async def test_retry_after_and_backoff_set_the_next_poll(
    feed_server: FeedServer, stage: FetchStage, store: Store
) -> None:
    busy = feed_server.add("/busy", status(429, headers={"Retry-After": "3600"}))
    await add(store, busy, interval=300)
    report = await poll(stage, store, busy)
    assert report.next_poll is not None and report.next_poll >= NOW + timedelta(seconds=3600)

    broken = feed_server.add("/broken", status(500))
    await add(store, broken, interval=300)
    delays = []
    at = NOW
    for _ in range(4):
        report = await poll(stage, store, broken, at)
        assert report.next_poll is not None
        delays.append(report.next_poll - at)
        at = report.next_poll
    assert delays == sorted(delays) and delays[-1] > delays[0]
    events = await store.redis.xrange(store.keys.events_stream)
    assert [f["type"] for _i, f in events] == ["feed.failing"]
    assert json.loads(events[0][1]["data"])["feed"]["consecutive_failures"] == 3


async def test_recovery_resets_failures(
    feed_server: FeedServer, stage: FetchStage, store: Store
) -> None:
    url = feed_server.add("/flaky", sequence(status(500), status(500), BBC))
    await add(store, url)
    await poll(stage, store, url)
    await poll(stage, store, url, NOW + timedelta(minutes=5))
    report = await poll(stage, store, url, NOW + timedelta(minutes=15))
    assert report.outcome == "new_entries"
    feed = await store.feeds.by_url(url)
    assert feed is not None
    assert feed.state.consecutive_failures == 0 and feed.state.last_error is None
    assert feed.state.last_success == NOW + timedelta(minutes=15)


async def test_permanent_redirect_moves_the_feed(
    feed_server: FeedServer, stage: FetchStage, store: Store
) -> None:
    new = feed_server.add("/new.xml", BBC)
    old = feed_server.add("/old.xml", redirect("/new.xml", 301))
    loop = feed_server.add("/loop", redirect("/loop2", 302))
    feed_server.add("/loop2", redirect("/loop", 302))
    await add(store, old)
    await add(store, loop)
    report = await poll(stage, store, old)
    assert report.outcome == "new_entries" and report.url == new
    moved = await store.feeds.by_url(new)
    assert moved is not None and moved.config.url == new
    looped = await poll(stage, store, loop)
    assert looped.outcome == "error" and "redirect" in (looped.error or "")


async def test_feeds_moved_to_one_url_are_one_source_of_its_items(
    feed_server: FeedServer, stage: FetchStage, store: Store
) -> None:
    feed_server.add("/new.xml", BBC)
    moved = [await add(store, feed_server.add(f"/old{n}.xml", redirect("/new.xml", 301)))
             for n in (1, 2)]  # fmt: skip
    first = await stage.poll(moved[0], now=NOW)
    assert first.new == first.entries > 20
    # Another feed moved to the same document: its items are already stored, from there.
    second = await stage.poll(moved[1], now=NOW)
    assert (second.new, second.new_sources, second.duplicates) == (0, 0, first.new)
    # The moved feed's next poll reads its new URL: the same source, not a second one.
    feed_server.add("/new.xml", BBC + b"\n")  # another body hash: parsed again
    again = await stage.poll(await store.feeds.get(moved[0].id) or moved[0], now=NOW)
    assert (again.new, again.new_sources, again.duplicates) == (0, 0, first.new)
    assert await store.redis.xlen(store.keys.entries_stream) == first.new


@pytest.mark.parametrize(("code", "moves"), [(301, True), (308, True), (302, False), (307, False)])
async def test_only_a_permanent_redirect_changes_where_the_feed_is_polled(
    feed_server: FeedServer, stage: FetchStage, store: Store, code: int, moves: bool
) -> None:
    # RFC 9110 §15.4.2 (301), §15.4.9 (308): moved for good, later requests should use the
    # new URL; §15.4.3 (302), §15.4.8 (307): temporary, keep asking the original one.
    new = feed_server.add("/new.xml", BBC)
    old = feed_server.add("/old.xml", redirect("/new.xml", code))
    await add(store, old)
    await poll(stage, store, old)
    feed = await store.feeds.by_url(new if moves else old)
    assert feed is not None and feed.config.url == (new if moves else old)
    await stage.poll(feed, now=NOW + timedelta(hours=1))
    assert len(feed_server.requests_to("/old.xml")) == (1 if moves else 2)
    assert len(feed_server.requests_to("/new.xml")) == 2


async def test_loopback_is_refused_unless_allowed(feed_server: FeedServer, store: Store) -> None:
    url = feed_server.add("/bbc.xml", BBC)
    settings = Settings(fetch_timeout=2.0)
    await add(store, url)
    async with Fetcher(settings) as fetcher:
        report = await poll(FetchStage(settings, store, fetcher), store, url)
    assert report.outcome == "error" and "loopback" in (report.error or "")
    assert feed_server.requests_to("/bbc.xml") == []


async def test_process_stage_indexes_and_clusters(
    feed_server: FeedServer, stage: FetchStage, store: Store
) -> None:
    url = feed_server.add("/bbc.xml", BBC)
    await add(store, url)
    report = await poll(stage, store, url)
    process = ProcessStage(store, "test-consumer", stories=StoryStage(store, []), clock=lambda: NOW)
    await process.start()
    assert await process.hold_lease()
    handled = 0
    while handled < report.new:
        handled += await process.run_once(block_ms=100)
    assert handled == report.new
    page = await store.articles.page(limit=100)
    assert len(page.items) == report.new
    assert await store.redis.hlen(store.keys.story_of_article) == report.new
    # Everything acknowledged: a second consumer finds nothing pending.
    pending = await store.redis.xpending(store.keys.entries_stream, "process")
    assert pending["pending"] == 0
    # A second process stage does not get the lease while the first holds it.
    standby = ProcessStage(store, "standby", stories=StoryStage(store, []), clock=lambda: NOW)
    assert not await standby.hold_lease()


async def test_poison_message_is_dead_lettered_not_retried_forever(store: Store) -> None:
    process = ProcessStage(store, "c1", stories=StoryStage(store, []), max_attempts=3)
    await process.start()
    await store.redis.xadd(store.keys.entries_stream, {"kind": "new"})  # no article id
    failures = 0
    for _ in range(5):
        try:
            await process.run_once(block_ms=50)
        except KeyError:
            failures += 1
    assert failures == 2  # the third attempt dead-letters instead of raising
    (entry,) = await store.redis.xrange(store.keys.dead_letters)
    assert entry[1]["error"] == "KeyError: 'article'"
    assert entry[1]["attempts"] == "3"
    pending = await store.redis.xpending(store.keys.entries_stream, "process")
    assert pending["pending"] == 0


async def test_a_batch_whose_lease_was_taken_writes_nothing(
    feed_server: FeedServer, stage: FetchStage, store: Store
) -> None:
    url = feed_server.add("/bbc.xml", BBC)
    await add(store, url)
    report = await poll(stage, store, url)
    assert report.new > 1
    process = ProcessStage(store, "stalled", stories=StoryStage(store, []), clock=lambda: NOW)
    await process.start()
    assert await process.hold_lease()
    # It stalls past its lease; a successor takes it before the batch is written.
    await store.redis.set(store.keys.process_lease(), "successor")
    assert await process.run_once(block_ms=100) == 0
    assert await store.redis.hlen(store.keys.story_of_article) == 0
    assert await store.redis.zcard(store.keys.articles_by_time) == 0
    assert await store.redis.llen(store.keys.cluster_log()) == 0
    assert await store.redis.xlen(store.keys.events_stream) == 0
    pending = await store.redis.xpending(store.keys.entries_stream, "process")
    assert pending["pending"] == report.new  # left for the successor to reclaim
