"""Claims of running polls are renewed, and only while they run (real Redis, a real feed
server on 127.0.0.1 whose feed answers when the test lets it)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from service.models import FeedConfig
from service.settings import Settings
from service.store import Store
from service.store.feeds import lease_end
from tests.feedserver import FeedServer, Request, Response
from workers.fetch import Fetcher
from workers.fetch_stage import FetchStage
from workers.scheduler import FetchScheduler

RSS = b'<rss version="2.0"><channel><title>T</title><item><title>x</title></item></channel></rss>'
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
