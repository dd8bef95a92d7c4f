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
