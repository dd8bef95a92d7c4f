"""The pipeline against an external Redis 7 (Debian's redis-server), not only the embedded
6.2: ingest, process, stories, and reclaiming a dead consumer's messages (XAUTOCLAIM's
reply changed shape in Redis 7)."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from service.models import FeedConfig
from service.settings import Settings
from service.store import Store
from service.store.connection import RedisTarget
from service.store.feed_wakes import FeedWakes
from tests.factories import BBC_WORLD
from tests.feedserver import FeedServer
from tests.support.net import free_port
from workers.fetch_stage import FetchStage
from workers.http_fetch import Fetcher
from workers.process_stage import ProcessStage
from workers.story_stage import StoryStage

REDIS7 = shutil.which("redis-server", path="/usr/bin:/usr/local/bin")
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)

pytestmark = pytest.mark.skipif(
    REDIS7 is None,
    reason="Debian's redis-server (Redis 7) is not installed; scripts/test installs it",
)


@pytest.fixture
async def redis7(tmp_path: Path) -> AsyncIterator[Store]:
    port = free_port()
    assert REDIS7 is not None
    server = await asyncio.create_subprocess_exec(
        REDIS7, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(tmp_path),
        "--appendonly", "yes", "--save", "", "--daemonize", "no",
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    client = RedisTarget(url=f"redis://127.0.0.1:{port}/0", unix_socket=None).client()
    try:
        async with asyncio.timeout(10):
            while True:
                try:
                    await client.ping()
                    break
                except (OSError, RedisConnectionError):
                    await asyncio.sleep(0.05)
        info = await client.info("server")
        assert info["redis_version"].startswith("7.")
        yield Store(client)
    finally:
        await client.aclose()
        server.terminate()
        await server.wait()


async def test_pipeline_end_to_end_on_redis7(feed_server: FeedServer, redis7: Store) -> None:
    store = redis7
    url = feed_server.add("/bbc.xml", BBC_WORLD)
    feed_id, _ = await store.feeds.add(FeedConfig(url=url), first_poll=NOW)
    settings = Settings(allow_private_targets=True)
    async with Fetcher(settings) as fetcher:
        [(_claimed, feed)] = await store.feeds.claim_due_feeds(now=NOW, limit=10, lease_seconds=60)
        assert feed is not None
        report = await FetchStage(settings, store, fetcher).poll(feed, now=NOW)
    assert report.new == 33

    # A consumer reads a batch and dies before acknowledging it ...
    dead = ProcessStage(store, "dead", stories=StoryStage(store, []), clock=lambda: NOW)
    await dead.start()
    taken = await dead.consumer.read(count=10, block_ms=100)
    assert len(taken) == 10
    # ... and a live one reclaims it (XAUTOCLAIM) and processes everything.
    live = ProcessStage(
        store, "live", stories=StoryStage(store, []), clock=lambda: NOW, reclaim_idle_ms=0
    )
    assert await live.hold_lease()
    handled = 0
    async with asyncio.timeout(30):
        while handled < 33:
            handled += await live.run_once(block_ms=100)
    assert handled == 33
    assert await store.redis.hlen(store.keys.story_of_article) == 33
    pending = await store.redis.xpending(store.keys.entries_stream, "process")
    assert pending["pending"] == 0
    page = await store.articles.page(limit=50, feed_id=feed_id)
    assert len(page.items) == 33


async def test_feed_wakes_on_redis7(redis7: Store) -> None:
    # Published from inside ADD_FEED and heard by a FeedWakes subscriber on Redis 7; and a
    # user made with Redis 7's defaults (acl-pubsub-default resetchannels: no channels)
    # still adds feeds, unannounced.
    store = redis7
    wakes: asyncio.Queue[None] = asyncio.Queue()
    listening = asyncio.create_task(
        FeedWakes(store.redis, store.keys).listen(lambda: wakes.put_nowait(None))
    )
    try:
        await asyncio.wait_for(wakes.get(), timeout=10)  # subscribed
        await store.feeds.add(FeedConfig(url="https://a.example/rss"), first_poll=NOW)
        await asyncio.wait_for(wakes.get(), timeout=10)

        await store.redis.execute_command("ACL", "SETUSER", "lb", "on", ">pw", "~lb:*", "+@all")
        port = store.redis.connection_pool.connection_kwargs["port"]
        url = f"redis://lb:pw@127.0.0.1:{port}/0"
        limited = RedisTarget(url=url, unix_socket=None).client()
        try:
            earlier = NOW.replace(hour=1)
            feed_id, created = await Store(limited).feeds.add(
                FeedConfig(url="https://b.example/rss"), first_poll=earlier
            )
        finally:
            await limited.aclose()
        assert created
        assert await store.redis.zscore(store.keys.feeds_due, feed_id) == earlier.timestamp()
        await asyncio.sleep(0.2)
        assert wakes.empty()  # the user could not publish
    finally:
        listening.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await listening
