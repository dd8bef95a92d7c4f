"""The fetch scheduler (workers/claim_loop.py): when feeds are first polled, how long polls
may be deferred while the process stage is behind, and the claims of running polls (real
Redis, a real feed server on 127.0.0.1).

- a feed added alone (API, ``briefing feeds add``: ``first_poll=now``) is claimed by the
  next tick;
- a bulk seed (``seed_feeds``) spreads first polls over the poll interval, each feed at
  a stable offset;
- while the process stage's oldest unacknowledged entry is older than
  ``backpressure_lag``, a tick claims only feeds overdue by ``backpressure_max_delay``:
  deferred, never more than that, and on schedule again once the stage caught up;
- an idle loop sleeps until the next feed falls due (claimed then, not at the ceiling),
  at most ``scheduler_tick``: one claim per ceiling with nothing due, and a feed added
  meanwhile is claimed within it.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from service.cli import seed_feeds
from service.clock import utcnow
from service.config import load_config
from service.models import FeedConfig
from service.settings import Settings
from service.store import Store
from service.store.backlog import Backlog
from service.store.feed_wakes import FeedWakes
from service.store.feeds import DueClaim, FeedStore, StoredFeed, lease_end
from service.store.keys import ENTRIES_GROUP
from tests.feedserver import FeedServer, Request, Response
from tests.support.lost_cancellation import task_losing_a_cancellation
from tests.support.redis_server import RedisServer
from workers.claim_loop import FetchScheduler, idle_wait
from workers.fetch_stage import FetchStage, PollReport
from workers.http_fetch import Fetcher

RSS = b'<rss version="2.0"><channel><title>T</title><item><title>x</title></item></channel></rss>'


def settings(**overrides: object) -> Settings:
    options: dict[str, object] = {"allow_private_targets": True, "parse_processes": 0}
    return Settings(**{**options, **overrides})


async def tick_once(store: Store, config: Settings, now: datetime) -> int:
    """One tick of a real scheduler at ``now``; waits for the polls it started."""
    async with Fetcher(config) as fetcher:
        scheduler = FetchScheduler(
            config, store, FetchStage(config, store, fetcher), clock=lambda: now
        )
        started = await scheduler.tick()
        for task in list(scheduler.inflight):
            await task
    return started


async def add_feeds(store: Store, server: FeedServer, due: dict[str, float], now: datetime) -> None:
    for name, seconds_ago in due.items():
        url = server.add(f"/{name}.xml", RSS)
        await store.feeds.add(FeedConfig(url=url), first_poll=now - timedelta(seconds=seconds_ago))


async def entries_waiting(store: Store, *, age_s: float, partition: int = 0) -> str:
    """An entry added ``age_s`` seconds ago to a partition's stream, not yet processed."""
    stream = store.keys.entries(partition)
    await store.redis.xgroup_create(stream, ENTRIES_GROUP, id="0", mkstream=True)
    ms = int(utcnow().timestamp() * 1000 - age_s * 1000)
    return str(await store.redis.xadd(stream, {"article": "a1", "kind": "new"}, id=f"{ms}-0"))


async def test_a_feed_added_alone_is_polled_at_once(feed_server: FeedServer, store: Store) -> None:
    now = utcnow()
    url = feed_server.add("/one.xml", RSS)
    await store.feeds.add(FeedConfig(url=url), first_poll=now)  # as POST /v1/feeds does
    assert await tick_once(store, settings(), now) == 1
    assert len(feed_server.requests_to("/one.xml")) == 1


async def test_a_bulk_seed_spreads_first_polls_over_the_interval(
    tmp_path: Path, store: Store
) -> None:
    config = tmp_path / "feeds.toml"
    config.write_text(
        "".join(
            f'[[feeds]]\nurl = "https://f{n}.example/rss"\ninterval = 60\n\n' for n in range(400)
        )
    )
    before = utcnow()
    assert await seed_feeds(store, load_config(config), spread_seconds=300) == 400
    after = utcnow()
    due = dict(await store.redis.zrange(store.keys.feeds_due, 0, -1, withscores=True))
    offsets = [score - before.timestamp() for score in due.values()]
    slack = (after - before).total_seconds()
    assert all(-0.001 <= o < 60 + slack for o in offsets)  # within one interval
    buckets = Counter(min(5, int(o // 10)) for o in offsets)  # six 10 s slices
    assert all(40 <= buckets[b] <= 100 for b in range(6)), buckets  # ~67 each, no herd
    # Stable: seeding again keeps every feed's first poll (ZADD NX).
    await seed_feeds(store, load_config(config), spread_seconds=300)
    assert dict(await store.redis.zrange(store.keys.feeds_due, 0, -1, withscores=True)) == due


async def test_backlog_age_is_the_oldest_unacknowledged_entry(store: Store) -> None:
    await store.redis.set(store.keys.partition_count, 2)
    backlog = Backlog(store.redis, store.keys)
    now_ms = int(utcnow().timestamp() * 1000)
    assert await backlog.entries_age(now_ms=now_ms) == 0.0  # no stream yet
    await entries_waiting(store, age_s=3, partition=0)
    await entries_waiting(store, age_s=9, partition=1)
    assert 8.5 < await backlog.entries_age(now_ms=now_ms) < 9.5  # the latest partition
    # Read but not acknowledged still counts; acknowledged does not.
    stream = store.keys.entries(1)
    [[_, [(read_id, _)]]] = await store.redis.xreadgroup(ENTRIES_GROUP, "c", {stream: ">"})
    assert 8.5 < await backlog.entries_age(now_ms=now_ms) < 9.5
    await store.redis.xack(stream, ENTRIES_GROUP, read_id)
    assert 2.5 < await backlog.entries_age(now_ms=now_ms) < 3.5


async def test_behind_defers_polls_by_at_most_the_bound(
    feed_server: FeedServer, store: Store
) -> None:
    now = utcnow()
    config = settings(backpressure_lag=2.0, backpressure_max_delay=20.0)
    await add_feeds(store, feed_server, {"recent": 5, "overdue": 30}, now)
    waiting = await entries_waiting(store, age_s=10)  # the process stage is 10 s behind

    assert await tick_once(store, config, now) == 1  # only the feed 30 s overdue
    assert len(feed_server.requests_to("/overdue.xml")) == 1
    assert feed_server.requests_to("/recent.xml") == []
    # Still behind 16 s later: "recent" is now 21 s overdue, past the bound: polled.
    later = now + timedelta(seconds=16)
    assert await tick_once(store, config, later) == 1
    assert len(feed_server.requests_to("/recent.xml")) == 1

    # Caught up: a feed due now is polled at once again.
    stream = store.keys.entries(0)
    [[_, read]] = await store.redis.xreadgroup(ENTRIES_GROUP, "c", {stream: ">"})
    assert waiting in [message_id for message_id, _ in read]  # with the polls' new entries
    await store.redis.xack(stream, ENTRIES_GROUP, *(message_id for message_id, _ in read))
    await add_feeds(store, feed_server, {"fresh": 0}, later)
    assert await tick_once(store, config, later) == 1
    assert len(feed_server.requests_to("/fresh.xml")) == 1


async def test_backpressure_off_polls_everything_due(feed_server: FeedServer, store: Store) -> None:
    now = utcnow()
    await add_feeds(store, feed_server, {"a": 1, "b": 5}, now)
    await entries_waiting(store, age_s=60)
    assert await tick_once(store, settings(backpressure_lag=0), now) == 2


async def test_stop_lets_a_running_tick_finish(
    store: Store, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # A tick in the middle of a round trip when SIGTERM arrives: stop() waits for it
    # before shutting APScheduler down (whose executor would cancel it and log an error).
    inside, release = asyncio.Event(), asyncio.Event()
    real = Backlog.entries_age

    async def slow(self: Backlog, *, now_ms: int) -> float:
        inside.set()
        await release.wait()
        return await real(self, now_ms=now_ms)

    monkeypatch.setattr(Backlog, "entries_age", slow)
    config = settings()
    async with Fetcher(config) as fetcher:
        scheduler = FetchScheduler(config, store, FetchStage(config, store, fetcher))
        scheduler.start()
        await asyncio.wait_for(inside.wait(), timeout=10)
        tick = scheduler._tick
        assert tick is not None
        stopping = asyncio.create_task(scheduler.stop(grace=10))
        await asyncio.sleep(0.1)
        release.set()
        await stopping
    assert tick.done() and not tick.cancelled()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


# ------------------------------------------------------------------------------------------
# Claims of running polls are renewed, and only while they run (real Redis, a real feed server
# on 127.0.0.1 whose feed answers when the test lets it).


NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


async def test_a_running_poll_keeps_its_claim_and_a_finished_one_lets_go(
    store: Store, feed_server: FeedServer
) -> None:
    answer = asyncio.Event()
    loop = asyncio.get_running_loop()
    requested = asyncio.Event()

    async def slow(_request: Request) -> Response:
        loop.call_soon_threadsafe(requested.set)
        while not answer.is_set():  # noqa: ASYNC110 (set from the test's loop)
            await asyncio.sleep(0.02)
        return Response(200, {"Content-Type": "application/rss+xml"}, RSS)

    url = feed_server.add("/slow.xml", slow)
    feed_id, _ = await store.feeds.add(FeedConfig(url=url, interval=600), first_poll=NOW)
    config = Settings(allow_private_targets=True, parse_processes=0, claim_lease=30, jitter=0)
    now = [NOW]
    async with Fetcher(config) as fetcher:
        scheduler = FetchScheduler(
            config, store, FetchStage(config, store, fetcher), clock=lambda: now[0]
        )
        assert await scheduler.tick() == 1
        await asyncio.wait_for(requested.wait(), timeout=30)
        assert await store.redis.zscore(store.keys.feeds_due, feed_id) == lease_end(NOW, 30)

        now[0] = NOW + timedelta(seconds=20)  # the poll is still running
        assert await scheduler.renew() == 1
        renewed = lease_end(now[0], 30)
        assert await store.redis.zscore(store.keys.feeds_due, feed_id) == renewed

        answer.set()
        (poll,) = scheduler.inflight
        report = await poll
        await asyncio.sleep(0)  # the task's done callbacks run
        assert report is not None and report.error is None
        next_poll = await store.redis.zscore(store.keys.feeds_due, feed_id)
        assert next_poll != renewed  # the poll scheduled its next one
        # Nothing left to renew, and a renewal does not undo the schedule.
        assert scheduler.leases == {}
        assert await scheduler.renew() == 0
        assert await store.redis.zscore(store.keys.feeds_due, feed_id) == next_poll


async def test_a_burst_of_due_feeds_drains_as_polls_free_up_not_per_tick(
    store: Store, feed_server: FeedServer
) -> None:
    # Room for 4 polls at once and a tick far longer than the test: the 30 due feeds are
    # all polled only if the worker claims again whenever polls end.
    ids = [
        (await store.feeds.add(FeedConfig(url=feed_server.add(f"/{n}.xml", RSS)), first_poll=NOW))[
            0
        ]
        for n in range(30)
    ]
    config = Settings(
        allow_private_targets=True,
        parse_processes=0,
        max_connections=4,
        scheduler_tick=3600,
        jitter=0,
    )
    async with Fetcher(config) as fetcher:
        scheduler = FetchScheduler(config, store, FetchStage(config, store, fetcher))
        scheduler.start()
        try:
            for _ in range(600):
                if all(feed_server.requests_to(f"/{n}.xml") for n in range(30)):
                    break
                await asyncio.sleep(0.05)
        finally:
            await scheduler.stop(grace=10)  # wakes the loop out of its hour-long wait
    assert all(len(feed_server.requests_to(f"/{n}.xml")) == 1 for n in range(30))
    for feed_id in ids:
        stored = await store.feeds.get(feed_id)
        assert stored is not None and stored.state.last_status == 200


async def test_feeds_of_a_busy_host_are_handed_back_behind_the_feeds_already_due(
    store: Store, feed_server: FeedServer
) -> None:
    answer = asyncio.Event()
    loop = asyncio.get_running_loop()
    arrived: list[str] = []

    async def slow(request: Request) -> Response:
        loop.call_soon_threadsafe(arrived.append, request.path)
        while not answer.is_set():  # noqa: ASYNC110 (set from the test's loop)
            await asyncio.sleep(0.02)
        return Response(200, {"Content-Type": "application/rss+xml"}, RSS)

    due = {
        (
            await store.feeds.add(
                FeedConfig(url=feed_server.add(f"/{n}.xml", slow), interval=600),
                first_poll=NOW - timedelta(seconds=10 - n),
            )
        )[0]: (NOW - timedelta(seconds=10 - n)).timestamp()
        for n in range(10)
    }
    # One request per host at a time: two polls claimed (one running, one queued).
    config = Settings(
        allow_private_targets=True, parse_processes=0, per_host_concurrency=1, jitter=0
    )
    async with Fetcher(config) as fetcher:
        scheduler = FetchScheduler(
            config, store, FetchStage(config, store, fetcher), clock=lambda: NOW
        )
        assert await scheduler.tick() == 2
        assert await scheduler.tick() == 0  # the host is still busy
        scores = {i: await store.redis.zscore(store.keys.feeds_due, i) for i in due}
        running = {i for i, score in scores.items() if score == lease_end(NOW, config.claim_lease)}
        assert running == set(scheduler.leases) and len(running) == 2
        # The oldest two were taken; the others are due as of the claim, so a feed due
        # before it (here one whose claim ran out elsewhere) comes first next time.
        assert running == set(sorted(due, key=due.__getitem__)[:2])
        assert all(scores[i] == NOW.timestamp() for i in due if i not in running)
        overdue, _ = await store.feeds.add(
            FeedConfig(url=feed_server.add("/overdue.xml", slow), interval=600),
            first_poll=NOW - timedelta(seconds=30),
        )
        answer.set()
        await asyncio.gather(*scheduler.inflight)
        await asyncio.sleep(0)  # the tasks' done callbacks run
        assert scheduler.hosts == {}
        assert await scheduler.tick() == 2
        assert overdue in scheduler.leases
        reports = await asyncio.gather(*scheduler.inflight)
    assert all(r is not None and r.error is None for r in reports)
    assert len(arrived) == 4


async def test_polls_with_nothing_new_are_summed_up_not_logged_one_by_one(
    feed_server: FeedServer, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    now = utcnow()
    await add_feeds(store, feed_server, {"a": 1, "b": 1}, now)
    feed_server.add("/broken.xml", Response(status=500))
    await store.feeds.add(
        FeedConfig(url=feed_server.url("/broken.xml")), first_poll=now - timedelta(seconds=1)
    )
    config = settings()
    caplog.set_level(logging.INFO, logger="workers.claim_loop")
    async with Fetcher(config) as fetcher:
        scheduler = FetchScheduler(config, store, FetchStage(config, store, fetcher))
        for _round in range(2):  # new entries, then the same bodies again
            await store.redis.zadd(store.keys.feeds_due, dict.fromkeys(await store.feeds.ids(), 0))
            assert await scheduler.tick() == 3
            await asyncio.gather(*scheduler.inflight)
        await scheduler.stop(grace=1)
    lines = [r for r in caplog.records if r.name == "workers.claim_loop"]
    per_poll = Counter((r.__dict__.get("outcome"), r.levelno) for r in lines)
    # Every poll that found entries or failed has its line; the others do not: the
    # unchanged ones, and the first poll of the second feed, whose one item (no link, no
    # guid: keyed by its text) the first feed had brought...
    assert per_poll[("new_entries", logging.INFO)] == 1
    assert per_poll[("error", logging.WARNING)] == 2
    assert per_poll[("unchanged", logging.INFO)] == 0
    # ...they are counted into one summary, logged when the scheduler stops.
    summaries = [r for r in lines if "outcome_counts" in r.__dict__]
    counts = [r.__dict__["outcome_counts"] for r in summaries]
    assert counts == [{"new_entries": 1, "unchanged": 2}]
    assert summaries[0].getMessage().startswith("polled 3 feeds with nothing new in ")


async def test_a_rewritten_document_with_nothing_new_is_summed_up_too(
    feed_server: FeedServer, store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    """Many feeds rewrite a build date on every request: each poll parses a new body
    that brings no new item, and logged a line of its own at INFO saying so."""
    polls = iter(range(1000))

    def rewritten(_request: Request) -> Response:
        stamp = f"<!-- built {next(polls)} -->".encode()
        return Response(200, {"Content-Type": "application/rss+xml"}, RSS + stamp)

    url = feed_server.add("/rewritten.xml", rewritten)
    await store.feeds.add(FeedConfig(url=url), first_poll=utcnow() - timedelta(seconds=1))
    config = settings()
    caplog.set_level(logging.INFO, logger="workers.claim_loop")
    async with Fetcher(config) as fetcher:
        scheduler = FetchScheduler(config, store, FetchStage(config, store, fetcher))
        reports = []
        for _round in range(3):
            await store.redis.zadd(store.keys.feeds_due, dict.fromkeys(await store.feeds.ids(), 0))
            assert await scheduler.tick() == 1
            reports += await asyncio.gather(*scheduler.inflight)
        await scheduler.stop(grace=1)
    assert [(r.outcome, r.new) for r in reports if r is not None][1:] == [("new_entries", 0)] * 2
    lines = [r for r in caplog.records if r.name == "workers.claim_loop"]
    assert [r.levelno for r in lines if r.__dict__.get("outcome")] == [logging.INFO]
    summaries = [r.__dict__["outcome_counts"] for r in lines if "outcome_counts" in r.__dict__]
    assert summaries == [{"new_entries": 2}]


async def one_failed_poll(scheduler: FetchScheduler) -> None:
    """One tick that starts one poll; the poll fails (its task returns no report)."""
    assert await scheduler.tick() == 1
    for task in list(scheduler.inflight):
        assert await task is None


class _BrokenStage(FetchStage):
    """A fetch stage with a bug in its poll: what the claim loop must survive and record."""

    async def poll(self, feed: StoredFeed, *, now: datetime) -> PollReport:
        raise RuntimeError("a bug\nin two lines")


async def test_a_poll_our_code_broke_is_recorded_as_a_failure_with_its_backoff(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    feed_id, _ = await store.feeds.add(
        FeedConfig(url="http://127.0.0.1:9/f.xml", interval=600), first_poll=NOW
    )
    config = settings(claim_lease=30, jitter=0)
    async with Fetcher(config) as fetcher:
        scheduler = FetchScheduler(
            config, store, _BrokenStage(config, store, fetcher), clock=lambda: NOW
        )
        await one_failed_poll(scheduler)
        await asyncio.sleep(0)  # the tasks' done callbacks run
        stored = await store.feeds.get(feed_id)
        assert stored is not None
        state = stored.state
        assert state.last_error == "internal: RuntimeError: a bug in two lines"
        assert state.consecutive_failures == 1 and state.last_attempt == NOW
        # The failure's backoff, not the claim lease: it is not claimed again meanwhile.
        assert state.next_poll is not None and state.next_poll > lease_end_time(NOW, 30)
        due = await store.redis.zscore(store.keys.feeds_due, feed_id)
        assert due == state.next_poll.timestamp()
        assert await scheduler.tick() == 0
    assert any("failed unexpectedly" in r.getMessage() for r in caplog.records)


def lease_end_time(now: datetime, lease: float) -> datetime:
    return datetime.fromtimestamp(lease_end(now, lease), tz=UTC)


class _FillingStage(FetchStage):
    """A fetch stage during whose poll Redis reaches ``maxmemory``: the claim was stored,
    the poll's writes are refused."""

    async def poll(self, feed: StoredFeed, *, now: datetime) -> PollReport:
        await self.store.redis.config_set("maxmemory", 1)
        return await super().poll(feed, now=now)


async def test_a_poll_refused_by_a_full_redis_is_one_error_line_and_polled_again(
    feed_server: FeedServer, server_store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    store = server_store
    url = feed_server.add("/full.xml", RSS)
    feed_id, _ = await store.feeds.add(FeedConfig(url=url, interval=600), first_poll=NOW)
    config = settings(claim_lease=30, jitter=0)
    try:
        async with Fetcher(config) as fetcher:
            stage = _FillingStage(config, store, fetcher)
            await one_failed_poll(FetchScheduler(config, store, stage, clock=lambda: NOW))
    finally:
        await store.redis.config_set("maxmemory", 0)
    [record] = [r for r in caplog.records if r.name == "workers.claim_loop"]
    assert record.levelno == logging.ERROR and record.exc_info is None
    assert "not stored (Redis out of memory" in record.getMessage()
    assert await store.redis.xlen(store.keys.entries(0)) == 0
    # Nothing was recorded: the claim runs out and the feed is polled again.
    later = lease_end_time(NOW, 30) + timedelta(seconds=1)
    assert await tick_once(store, config, later) == 1
    assert await store.redis.xlen(store.keys.entries(0)) == 1
    stored = await store.feeds.get(feed_id)
    assert stored is not None and stored.state.consecutive_failures == 0


@pytest.fixture
def own_redis(server_store: Store, redis_server: RedisServer) -> tuple[Store, RedisServer]:
    """A store over a Redis of the test's own, which it may make refuse writes."""
    return server_store, redis_server


async def one_feed(store: Store, server: FeedServer) -> tuple[str, Settings]:
    """One feed due at ``NOW``, and settings with a 30 s claim lease."""
    url = server.add("/one.xml", RSS)
    feed_id, _ = await store.feeds.add(FeedConfig(url=url, interval=600), first_poll=NOW)
    return feed_id, settings(claim_lease=30, jitter=0)


async def test_a_renewal_refused_by_a_full_redis_is_one_error_line_and_retried(
    feed_server: FeedServer, own_redis: tuple[Store, RedisServer], caplog: pytest.LogCaptureFixture
) -> None:
    """The renewal runs as an APScheduler job, which would log a refusal it raised with a
    traceback at every renewal: the renewal logs one error line itself, and the next one
    retries."""
    store, _redis_server = own_redis
    feed_id, config = await one_feed(store, feed_server)
    claimed = await store.feeds.claim_due(now=NOW, limit=1, lease_seconds=30, due_by=NOW)
    [claim] = claimed.feeds
    later = NOW + timedelta(seconds=20)
    caplog.set_level(logging.INFO, logger="workers.claim_loop")
    async with Fetcher(config) as fetcher:
        stage = FetchStage(config, store, fetcher)
        scheduler = FetchScheduler(config, store, stage, clock=lambda: later)
        scheduler.leases[claim.id] = lease_end(NOW, 30)  # its poll is running
        await store.redis.config_set("maxmemory", 1)
        try:
            refused = await scheduler.renew()
        finally:
            await store.redis.config_set("maxmemory", 0)
        assert refused == 0
        assert await store.redis.zscore(store.keys.feeds_due, feed_id) == lease_end(NOW, 30)
        assert await scheduler.renew() == 1  # the next renewal goes through
    assert await store.redis.zscore(store.keys.feeds_due, feed_id) == lease_end(later, 30)
    [record] = [r for r in caplog.records if r.name == "workers.claim_loop"]
    assert record.levelno == logging.ERROR and record.exc_info is None
    assert record.getMessage().startswith("claim renewal failed (Redis out of memory: ")


async def test_a_hand_back_refused_by_a_full_redis_is_one_error_line(
    feed_server: FeedServer, own_redis: tuple[Store, RedisServer], caplog: pytest.LogCaptureFixture
) -> None:
    """Claims of a busy host handed back while Redis is full: the claims run out within a
    lease, so it is one error line without a traceback, and the tick goes on."""
    store, _redis_server = own_redis
    feed_id, config = await one_feed(store, feed_server)
    claimed = await store.feeds.claim_due(now=NOW, limit=1, lease_seconds=30, due_by=NOW)
    [claim] = claimed.feeds
    caplog.set_level(logging.INFO, logger="workers.claim_loop")
    async with Fetcher(config) as fetcher:
        stage = FetchStage(config, store, fetcher)
        scheduler = FetchScheduler(config, store, stage, clock=lambda: NOW)
        await store.redis.config_set("maxmemory", 1)
        try:
            await scheduler._hand_back({claim.id: (lease_end(NOW, 30), NOW.timestamp())})
        finally:
            await store.redis.config_set("maxmemory", 0)
    assert await store.redis.zscore(store.keys.feeds_due, feed_id) == lease_end(NOW, 30)
    [record] = [r for r in caplog.records if r.name == "workers.claim_loop"]
    assert record.levelno == logging.ERROR and record.exc_info is None
    assert record.getMessage().startswith("could not hand back 1 claims (Redis out of memory: ")


async def test_claims_refused_by_a_redis_unable_to_save_are_one_error_line(
    feed_server: FeedServer, own_redis: tuple[Store, RedisServer], caplog: pytest.LogCaptureFixture
) -> None:
    store, redis_server = own_redis
    _feed_id, config = await one_feed(store, feed_server)
    await redis_server.fail_persistence(store.redis)
    caplog.set_level(logging.INFO, logger="workers.claim_loop")
    async with Fetcher(config) as fetcher:
        scheduler = FetchScheduler(
            config, store, FetchStage(config, store, fetcher), clock=lambda: NOW
        )
        assert [await scheduler.tick() for _ in range(3)] == [0, 0, 0]
        await redis_server.restore_persistence(store.redis)
        assert await scheduler.tick() == 1
        for task in list(scheduler.inflight):
            await task
    lines = [
        (r.levelno, r.exc_info, r.getMessage())
        for r in caplog.records
        if r.name == "workers.claim_loop"
    ]
    assert lines[0][:2] == (logging.ERROR, None)
    assert lines[0][2].startswith("cannot claim due feeds (Redis cannot write to disk: ")
    assert lines[1][2] == "claiming due feeds again"  # one line for the three refusals
    assert await store.redis.xlen(store.keys.entries(0)) == 1


async def test_a_poll_refused_by_a_redis_unable_to_save_is_not_the_feeds_failure(
    feed_server: FeedServer, own_redis: tuple[Store, RedisServer], caplog: pytest.LogCaptureFixture
) -> None:
    store, redis_server = own_redis
    feed_id, config = await one_feed(store, feed_server)

    class Failing(FetchStage):
        async def poll(self, feed: StoredFeed, *, now: datetime) -> PollReport:
            await redis_server.fail_persistence(store.redis)
            return await super().poll(feed, now=now)

    async with Fetcher(config) as fetcher:
        stage = Failing(config, store, fetcher)
        await one_failed_poll(FetchScheduler(config, store, stage, clock=lambda: NOW))
    await redis_server.restore_persistence(store.redis)
    [record] = [r for r in caplog.records if r.name == "workers.claim_loop"]
    assert record.levelno == logging.ERROR and record.exc_info is None
    assert "not stored (Redis cannot write to disk: " in record.getMessage()
    assert "MISCONF" in record.getMessage()
    stored = await store.feeds.get(feed_id)
    assert stored is not None and stored.state.consecutive_failures == 0
    later = lease_end_time(NOW, 30) + timedelta(seconds=1)
    assert await tick_once(store, config, later) == 1
    assert await store.redis.xlen(store.keys.entries(0)) == 1


# ------------------------------------------------------------------------------------------
# An idle loop sleeps until the next feed falls due, at most ``scheduler_tick`` (the ceiling)
# (real Redis, a real feed server on 127.0.0.1, the real clock).


class ClaimLog:
    """Each claim the scheduler makes, on the real store: when it returned, what it took."""

    def __init__(self, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
        self.claims: list[tuple[datetime, list[str]]] = []
        real = store.feeds.claim_due

        async def logged(**kwargs: Any) -> DueClaim:
            taken = await real(**kwargs)
            self.claims.append((utcnow(), [c.id for c in taken.feeds]))
            return taken

        monkeypatch.setattr(store.feeds, "claim_due", logged)

    def claimed_at(self, feed_id: str) -> datetime | None:
        return next((at for at, ids in self.claims if feed_id in ids), None)


async def a_feed_due_in_a_minute(store: Store, feed_server: FeedServer) -> None:
    """Something scheduled, nothing due for the length of a test."""
    url = feed_server.add("/later.xml", RSS)
    await store.feeds.add(FeedConfig(url=url), first_poll=utcnow() + timedelta(minutes=1))


async def run_for(store: Store, config: Settings, seconds: float, *, meanwhile: Any = None) -> None:
    async with Fetcher(config) as fetcher:
        scheduler = FetchScheduler(config, store, FetchStage(config, store, fetcher))
        loop = asyncio.create_task(scheduler.run())
        try:
            if meanwhile is not None:
                await meanwhile
            await asyncio.sleep(seconds)
        finally:
            await scheduler.stop(grace=10)
            await loop


async def test_a_feed_falling_due_is_claimed_at_its_due_time_not_at_the_ceiling(
    store: Store, feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    claims = ClaimLog(store, monkeypatch)
    due = utcnow() + timedelta(seconds=0.3)
    feed_id, _ = await store.feeds.add(
        FeedConfig(url=feed_server.add("/soon.xml", RSS), interval=3600), first_poll=due
    )
    config = settings(scheduler_tick=30, backpressure_lag=0, jitter=0)
    await run_for(store, config, 1.5)
    claimed_at = claims.claimed_at(feed_id)
    assert claimed_at is not None and claimed_at >= due
    assert claimed_at - due < timedelta(seconds=1)  # far from the 30 s ceiling
    # One claim found nothing and said when the feed falls due, the next one took it: the
    # loop slept in between rather than asking Redis again and again.
    assert len(claims.claims) <= 3
    assert len(feed_server.requests_to("/soon.xml")) == 1


async def test_an_idle_loop_claims_about_once_per_ceiling(
    store: Store, feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    claims = ClaimLog(store, monkeypatch)
    await a_feed_due_in_a_minute(store, feed_server)
    await run_for(store, settings(scheduler_tick=0.5, backpressure_lag=0), 2)
    assert 2 <= len(claims.claims) <= 6  # 2 s / 0.5 s, and the first claim
    assert all(ids == [] for _at, ids in claims.claims)


async def claimed_after_added_asleep(
    store: Store,
    feed_server: FeedServer,
    monkeypatch: pytest.MonkeyPatch,
    *,
    ceiling: float,
    before_add: Any = None,
) -> timedelta:
    """How long after its add (as POST /v1/feeds does) a feed is claimed by a loop that
    was asleep with nothing due for a minute; ``before_add`` runs just before the add."""
    claims = ClaimLog(store, monkeypatch)
    await a_feed_due_in_a_minute(store, feed_server)
    added: list[tuple[str, datetime]] = []

    async def add_while_asleep() -> None:
        await asyncio.sleep(0.3)  # the loop's first claims said: nothing due for a minute
        if before_add is not None:
            await before_add()
        added_at = utcnow()
        feed_id, _ = await store.feeds.add(
            FeedConfig(url=feed_server.add("/new.xml", RSS)), first_poll=added_at
        )
        added.append((feed_id, added_at))

    config = settings(scheduler_tick=ceiling, backpressure_lag=0)
    await run_for(store, config, 1.5, meanwhile=add_while_asleep())
    [(feed_id, added_at)] = added
    claimed_at = claims.claimed_at(feed_id)
    assert claimed_at is not None
    assert len(feed_server.requests_to("/new.xml")) == 1
    return claimed_at - added_at


async def test_a_feed_added_while_the_loop_sleeps_is_claimed_within_the_ceiling(
    store: Store, feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    delay = await claimed_after_added_asleep(store, feed_server, monkeypatch, ceiling=0.5)
    assert delay <= timedelta(seconds=0.5 + 0.4)  # the ceiling, and slack


async def test_a_feed_added_while_the_loop_sleeps_wakes_it_at_once(
    store: Store, feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    delay = await claimed_after_added_asleep(store, feed_server, monkeypatch, ceiling=30)
    assert delay < timedelta(seconds=1)  # not the 30 s ceiling


async def test_wakes_survive_a_killed_subscriber_connection(
    store: Store, feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def kill_subscriber() -> None:
        assert await store.redis.client_kill_filter(_type="pubsub") == 1
        # redis-py's retry reconnects and subscribes again (PubSub.on_connect); were its
        # retries spent, FeedWakes.listen would subscribe anew after its backoff.
        await asyncio.sleep(0.5)

    delay = await claimed_after_added_asleep(
        store, feed_server, monkeypatch, ceiling=30, before_add=kill_subscriber
    )
    assert delay < timedelta(seconds=1)  # woken, not the 30 s ceiling


async def test_a_wake_listener_that_fails_is_logged_and_claims_go_on(
    store: Store,
    feed_server: FeedServer,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def unexpected(self: FeedWakes, on_wake: object) -> None:
        raise RuntimeError("subscribe refused")

    monkeypatch.setattr(FeedWakes, "listen", unexpected)
    url = feed_server.add("/feed.xml", RSS)
    await store.feeds.add(FeedConfig(url=url), first_poll=utcnow())
    config = settings()
    with caplog.at_level(logging.ERROR):
        async with Fetcher(config) as fetcher:
            scheduler = FetchScheduler(config, store, FetchStage(config, store, fetcher))
            loop = asyncio.create_task(scheduler.run())
            started = asyncio.get_running_loop().time()
            while not feed_server.requests_to("/feed.xml"):
                assert asyncio.get_running_loop().time() - started < 60
                await asyncio.sleep(0.05)
            await scheduler.stop(grace=10)
            await loop
    (failure,) = [r for r in caplog.records if r.name == "service.task_failures"]
    assert failure.getMessage().startswith("task feed-wakes failed: feed wake-ups are not heard")
    assert failure.exc_info is not None and str(failure.exc_info[1]) == "subscribe refused"


async def test_a_burst_of_adds_coalesces_into_few_claims(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The worst case for wake-ups: every add is ahead of the whole schedule (each one
    # earlier than the last), so every add publishes. The adds reach Redis in that order
    # (batches one after another, each one MULTI): concurrent single adds would arrive in
    # any order, and only those earlier than every one before them would publish.
    # Paused feeds: claims, no HTTP.
    claims = ClaimLog(store, monkeypatch)
    start = utcnow() + timedelta(minutes=30)
    listener = store.redis.pubsub()
    await listener.subscribe(store.keys.feeds_wake)
    published = 0

    async def burst() -> None:
        nonlocal published
        await asyncio.sleep(0.3)
        for batch in range(0, 1000, 50):
            await store.feeds.add_many(
                [
                    (
                        FeedConfig(url=f"https://f{n}.example/rss", paused=True),
                        start - timedelta(milliseconds=n),
                    )
                    for n in range(batch, batch + 50)
                ]
            )
        while (message := await listener.get_message(timeout=0.2)) is not None:
            published += message["type"] == "message"

    config = settings(scheduler_tick=30, backpressure_lag=0)
    try:
        await run_for(store, config, 0.5, meanwhile=burst())
    finally:
        await listener.aclose()
    assert published == 1000, published  # every add published a wake
    assert all(ids == [] for _at, ids in claims.claims)  # nothing was due
    # Coalesced: a wake that arrives while one is pending or a claim runs costs nothing.
    assert len(claims.claims) <= 100, len(claims.claims)


@pytest.mark.parametrize(
    ("claimable_in", "ceiling", "wait"),
    [
        (None, 1.0, 1.0),  # nothing scheduled: the ceiling
        (0.25, 1.0, 0.25),  # due soon: until then
        (0.0, 1.0, 0.0),  # due now
        (-5.0, 1.0, 0.0),  # due in the past (a writer's clock behind ours): at once
        (60.0, 1.0, 1.0),  # due beyond the ceiling: the ceiling
        (60.0, 120.0, 60.0),
    ],
)
def test_idle_wait(claimable_in: float | None, ceiling: float, wait: float) -> None:
    claimable_at = None if claimable_in is None else NOW.timestamp() + claimable_in
    assert idle_wait(NOW, claimable_at, ceiling) == pytest.approx(wait)


async def test_stop_ends_a_poll_that_loses_its_cancellation_after_the_grace(store: Store) -> None:
    """A poll still running at the end of the grace is cancelled; one that lost the
    cancellation in a Redis command (tests/support/lost_cancellation.py) went on to its
    fetch and parse, and the stop waited for them. The stop ends it all the same."""
    config = settings()
    async with Fetcher(config) as fetcher:
        scheduler = FetchScheduler(config, store, FetchStage(config, store, fetcher))
        poll, reading = task_losing_a_cancellation("poll")
        scheduler.inflight.add(poll)  # type: ignore[arg-type]
        await reading.wait()
        stopping = asyncio.create_task(scheduler.stop(grace=0.1))
        done, _ = await asyncio.wait({stopping}, timeout=30)
    assert done == {stopping}, "the stop waits on a poll that lost its cancellation"
    assert poll.cancelled()


async def test_a_claim_that_returns_past_the_stops_grace_hands_its_feeds_back(
    store: Store, feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A claim's round trip that outlasts the stop's grace (a Redis slow to answer) and
    then returns starts no poll: the stop no longer waits for polls nor renews their
    claims. Its feeds are handed back, due at once for another worker."""
    now = utcnow()
    await add_feeds(store, feed_server, {"late": 1}, now)
    (feed_id,) = await store.feeds.ids()
    inside, answer = asyncio.Event(), asyncio.Event()
    claim_due = FeedStore.claim_due

    async def answered_late(self: FeedStore, **kwargs: Any) -> Any:
        inside.set()
        await answer.wait()
        return await claim_due(self, **kwargs)

    monkeypatch.setattr(FeedStore, "claim_due", answered_late)
    config = settings()
    async with Fetcher(config) as fetcher:
        scheduler = FetchScheduler(config, store, FetchStage(config, store, fetcher))
        loop = scheduler.start()
        await asyncio.wait_for(inside.wait(), timeout=10)
        await asyncio.wait_for(scheduler.stop(grace=0.1), timeout=30)
        answer.set()
        await asyncio.wait_for(loop, timeout=30)
        started = list(scheduler.inflight)
        await asyncio.gather(*started, return_exceptions=True)
    assert started == [], "a poll started after the stop"
    assert feed_server.requests_to("/late.xml") == []
    due = await store.redis.zscore(store.keys.feeds_due, feed_id)
    assert due is not None and due <= utcnow().timestamp()  # due again, not leased


async def test_a_feed_removed_just_after_its_claim_is_not_polled(
    feed_server: FeedServer, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The claim takes the feed's id and the hash is read by a second script: a feed
    removed in between comes back without its hash. Its poll is dropped (no request, no
    error) and nothing of it stays scheduled."""
    gone = feed_server.add("/gone.xml", RSS)
    kept = feed_server.add("/kept.xml", RSS)
    for url in (gone, kept):
        await store.feeds.add(FeedConfig(url=url), first_poll=NOW - timedelta(seconds=1))
    read = store.feeds._feed_hashes

    async def removed_first(**kwargs: Any) -> Any:
        assert await store.feeds.remove(gone)
        return await read(**kwargs)

    monkeypatch.setattr(store.feeds, "_feed_hashes", removed_first)
    assert await tick_once(store, settings(), NOW) == 2
    assert feed_server.requests_to("/gone.xml") == []
    assert len(feed_server.requests_to("/kept.xml")) == 1
    [kept_id] = await store.feeds.ids()
    assert await store.redis.zrange(store.keys.feeds_due, 0, -1) == [kept_id]
