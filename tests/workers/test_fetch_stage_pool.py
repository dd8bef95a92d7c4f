"""FetchStage with ``parse_processes`` > 0: parse + normalize in a process pool gives the
same stored result as on the event loop, and a dead worker is a failed poll, not a crash."""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime

import pytest

import workers.fetch_stage as fetch_stage
from service.models import FeedConfig
from service.settings import Settings
from service.store import Store
from tests.factories import BBC_WORLD
from tests.feedserver import FeedServer
from workers.fetch import Fetcher
from workers.fetch_stage import FetchStage, PollReport, parse_document
from workers.runtime import parse_processes_for
from workers.scheduler import FetchScheduler

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def settings(processes: int) -> Settings:
    return Settings(allow_private_targets=True, jitter=0.0, parse_processes=processes)


@pytest.fixture(autouse=True)
def no_pools_left() -> Iterator[None]:
    yield
    fetch_stage.shutdown_pools()


async def poll_once(processes: int, store: Store, url: str) -> PollReport:
    feed_id, _ = await store.feeds.add(FeedConfig(url=url), first_poll=NOW)
    feed = await store.feeds.get(feed_id)
    assert feed is not None
    async with Fetcher(settings(processes)) as fetcher:
        return await FetchStage(settings(processes), store, fetcher).poll(feed, now=NOW)


async def stored_articles(store: Store) -> list[tuple[str, str, str, str]]:
    messages = await store.redis.xrange(store.keys.entries_stream)
    articles = await store.articles.get_many([fields["article"] for _, fields in messages])
    return sorted((a.id, a.title, a.text, a.language) for a in articles)


@pytest.fixture
async def served(feed_server: FeedServer) -> AsyncIterator[str]:
    yield feed_server.add("/bbc.xml", BBC_WORLD)


async def test_pool_stores_what_the_loop_stores(served: str, store: Store) -> None:
    on_loop = await poll_once(0, store, served)
    loop_articles = await stored_articles(store)
    await store.redis.flushdb()
    in_pool = await poll_once(1, store, served)
    assert (in_pool.outcome, in_pool.entries, in_pool.new) == (
        on_loop.outcome,
        on_loop.entries,
        on_loop.new,
    )
    assert on_loop.new > 20
    assert await stored_articles(store) == loop_articles


async def test_dead_worker_fails_the_poll_and_the_next_pool_works(
    served: str, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Kill the pool's worker the moment it is handed a document (as the OOM killer would).
    real = fetch_stage.parse_document
    monkeypatch.setattr(fetch_stage, "parse_document", _die)
    report = await poll_once(1, store, served)
    assert (report.outcome, report.error) == ("error", "internal: the parse worker died")
    state = (await store.feeds.by_url(served)).state  # type: ignore[union-attr]
    assert state.consecutive_failures == 1 and state.last_error == report.error

    monkeypatch.setattr(fetch_stage, "parse_document", real)
    feed = await store.feeds.by_url(served)
    assert feed is not None
    async with Fetcher(settings(1)) as fetcher:
        again = await FetchStage(settings(1), store, fetcher).poll(feed, now=NOW)
    assert again.outcome == "new_entries" and again.error is None


def _die(*args: object) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


async def test_digest_keeps_no_entries_but_their_count(store: Store) -> None:
    config = FeedConfig(url="https://feeds.bbci.co.uk/news/world/rss.xml")
    async with Fetcher(settings(1)) as fetcher:
        stage = FetchStage(settings(1), store, fetcher)
        digest = await stage._digest(BBC_WORLD, config.url, None, config, NOW)
    assert digest.feed.entries == () and digest.entries == len(digest.articles) > 20
    assert digest.feed.error is None and digest.feed.title and digest.stored == 0


def test_parse_document_keys_every_entry() -> None:
    config = FeedConfig(url="https://feeds.bbci.co.uk/news/world/rss.xml")
    parsed = parse_document(BBC_WORLD, config.url, None, config)
    assert len(parsed.identities) == len(parsed.feed.entries) > 20
    assert all(key.startswith(f"guid:{config.url} ") for key in parsed.identities)


def test_parse_off_the_loop_by_default_wherever_feeds_are_fetched() -> None:
    unset = Settings()
    assert parse_processes_for(unset, ["fetch", "process", "notify"]) == 1
    assert parse_processes_for(unset, ["fetch"], cpus=1) == 1
    assert parse_processes_for(unset, ["fetch"], cpus=2) == 2  # a fetch-only worker: both cores
    assert parse_processes_for(unset, ["fetch"], cpus=16) == 2
    assert parse_processes_for(unset, ["fetch", "notify"], cpus=2) == 2
    assert parse_processes_for(unset, ["fetch", "process"], cpus=16) == 1
    assert parse_processes_for(unset, ["process", "notify"]) == 0
    assert parse_processes_for(Settings(parse_processes=0), ["fetch", "process"]) == 0
    assert parse_processes_for(Settings(parse_processes=3), ["fetch"]) == 3


def _niceness() -> int:
    return os.nice(0)


async def test_parse_workers_yield_the_cpu_to_the_event_loops() -> None:
    worker = await fetch_stage._pool(1, 30.0).run(_niceness)
    assert worker >= min(19, os.nice(0) + fetch_stage.PARSE_NICENESS)


def many_attributes(count: int) -> bytes:
    """RSS with one item element carrying ``count`` attributes: feedparser's strict
    parser is quadratic in them (10,000 take seconds, 60,000 minutes)."""
    attributes = " ".join(f'a{i}="v"' for i in range(count))
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Hostile</title>'
        f"<item {attributes}><title>x</title><guid>hostile-1</guid></item></channel></rss>"
    ).encode()


async def test_a_hostile_feed_fails_alone_and_the_normal_feed_is_ingested(
    feed_server: FeedServer, store: Store
) -> None:
    hostile = feed_server.add("/hostile.xml", many_attributes(60_000))
    normal = feed_server.add("/bbc.xml", BBC_WORLD)
    config = Settings(allow_private_targets=True, jitter=0.0, parse_processes=1, parse_timeout=1.0)
    await store.feeds.add(FeedConfig(url=hostile), first_poll=NOW)
    await store.feeds.add(FeedConfig(url=normal), first_poll=NOW)
    async with Fetcher(config) as fetcher:
        stage = FetchStage(config, store, fetcher)
        scheduler = FetchScheduler(config, store, stage, clock=lambda: NOW)
        assert await scheduler.tick() == 2  # both polls run at once; one parse process
        reports = {r.url: r for r in await asyncio.gather(*scheduler.inflight) if r}
    assert reports[normal].outcome == "new_entries" and reports[normal].new > 20
    assert reports[hostile].outcome == "error"
    assert reports[hostile].error == "parse: gave up after 1 s (document too costly to parse)"
    state = (await store.feeds.by_url(hostile)).state  # type: ignore[union-attr]
    assert state.last_error == reports[hostile].error and state.consecutive_failures == 1
    assert state.next_poll is not None and state.next_poll > NOW  # backed off, not dropped
    assert len(await stored_articles(store)) == reports[normal].new


async def test_shutdown_ends_a_parse_in_progress_and_the_feed_is_not_marked_failed(
    feed_server: FeedServer, store: Store
) -> None:
    hostile = feed_server.add("/hostile.xml", many_attributes(60_000))
    config = Settings(allow_private_targets=True, jitter=0.0, parse_processes=1, parse_timeout=3600)
    await store.feeds.add(FeedConfig(url=hostile), first_poll=NOW)
    async with Fetcher(config) as fetcher:
        stage = FetchStage(config, store, fetcher)
        scheduler = FetchScheduler(config, store, stage, clock=lambda: NOW)
        await asyncio.create_task(scheduler.tick())  # as APScheduler runs it
        while not feed_server.requests_to("/hostile.xml"):  # noqa: ASYNC110
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.5)  # fetched; parsing (or starting the worker to parse)
        stage.close()
        await scheduler.stop(grace=3600)  # returns because the parse was ended
    state = (await store.feeds.by_url(hostile)).state  # type: ignore[union-attr]
    assert state.last_attempt is None and state.consecutive_failures == 0
