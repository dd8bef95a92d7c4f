"""A fetcher killed -9 in the middle of a poll: the feed is polled again by another
worker about one claim lease later, not after the longest poll anyone allowed for; and
while the poll runs, longer than the lease, its renewed claim keeps everyone else off it."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from service.settings import Settings
from service.store import Store
from service.store.connection import RedisTarget
from tests.feedserver import FeedServer, Request, Response
from tests.support.redis_fixture import redis_url_of
from tests.support.worker_processes import Workers, real_feeds, worker_env, write_config

pytestmark = pytest.mark.slow
LEASE = 6  # seconds; renewed every 2 s while a poll runs


class HangingFirstPoll:
    """A real feed whose first request hangs (a slow server); later ones answer at once."""

    def __init__(self) -> None:
        self.feed = real_feeds(limit=1)[0]
        self.requests = 0
        self.released = False
        self.first_request = asyncio.Event()
        self._loop = asyncio.get_running_loop()  # the test's; handlers run on the server's

    async def __call__(self, request: Request) -> Response:
        self.requests += 1
        if self.requests == 1:
            self._loop.call_soon_threadsafe(self.first_request.set)
            while not self.released:  # noqa: ASYNC110 (released from the test's thread)
                await asyncio.sleep(0.1)
        return self.feed(request)


def test_claims_are_short_by_default() -> None:
    assert Settings().claim_lease <= 30


async def test_a_feed_whose_poller_was_killed_is_polled_again_after_one_lease(
    tmp_path: Path, feed_server: FeedServer, store: Store, redis_target: RedisTarget
) -> None:
    hanging = HangingFirstPoll()
    config = tmp_path / "feeds.toml"
    write_config(config, feed_server, [hanging.feed])
    url = feed_server.add(f"/{hanging.feed.name}", hanging)
    redis_url = redis_url_of(redis_target)
    env = {
        **worker_env(redis_url, config),
        "BRIEFING_CLAIM_LEASE": str(LEASE),
        "BRIEFING_FETCH_TIMEOUT": "300",  # the poll may run far longer than the lease
    }
    workers = Workers(env=env, log_dir=tmp_path, roles=[["fetch"], ["fetch"]])
    workers.processes = [None, None]
    try:
        await workers.start(0)
        async with asyncio.timeout(60):
            await hanging.first_request.wait()
        await workers.start(1)
        # Three leases with the poll still running: renewals keep the feed claimed.
        await asyncio.sleep(3 * LEASE)
        assert hanging.requests == 1
        assert not workers.crashed()

        await workers.kill(0)  # mid-poll, its claim still held
        # Polled again by the other worker once the lease runs out (bounded well below
        # the poll timeout the old lease had to outlast).
        async with asyncio.timeout(3 * LEASE):
            while hanging.requests < 2:  # noqa: ASYNC110 (requests arrive on another thread)
                await asyncio.sleep(0.1)
        # ... and that poll completes: the feed is healthy again.
        async with asyncio.timeout(30):
            while not await polled_successfully(store, url):  # noqa: ASYNC110
                await asyncio.sleep(0.2)
    finally:
        hanging.released = True
        codes = await workers.stop_all()
    assert codes[1] == 0, codes


async def polled_successfully(store: Store, url: str) -> bool:
    feed = await store.feeds.by_url(url)
    return feed is not None and feed.state.last_success is not None
