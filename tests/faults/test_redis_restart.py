"""Redis killed and restarted mid-run (the redis-server binary the embedded mode ships,
AOF with ``appendfsync everysec``): workers reconnect and carry on without a crash loop,
and the end state is complete: every served entry once, every article in one story.

A SIGKILL may lose up to about a second of acknowledged writes (the fsync policy); AOF
replays a prefix of the write history, so what survives is consistent, and whatever
was lost is fetched and processed again."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from pathlib import Path

import pytest

from service.store import Store
from service.store.connection import RedisTarget
from tests.feedserver import FeedServer
from tests.support.redis_server import RedisServer
from tests.support.worker_processes import (
    Workers,
    entry_messages,
    keep_entries,
    real_feeds,
    worker_env,
    write_config,
)
from workers.entry_identity import article_id

pytestmark = pytest.mark.slow


async def test_workers_survive_a_redis_restart(
    tmp_path: Path, feed_server: FeedServer, redis_server: RedisServer
) -> None:
    feeds = real_feeds(limit=8, at_least=8)
    config = tmp_path / "feeds.toml"
    write_config(config, feed_server, feeds)
    workers = Workers(
        env=worker_env(redis_server.url, config), log_dir=tmp_path, roles=[["all"], ["all"]]
    )
    target = RedisTarget(url=redis_server.url, unix_socket=None)
    client = target.client()
    store = Store(client)
    # Its own client: the test's must not hold a connection across the Redis restart.
    setup = target.client()
    await keep_entries(Store(setup))
    await setup.aclose()
    await workers.start_all()
    try:
        async with asyncio.timeout(60):
            while sum(f.polls for f in feeds) < len(feeds):  # noqa: ASYNC110
                await asyncio.sleep(0.2)
        await redis_server.kill()
        await asyncio.sleep(2)  # workers see connection errors meanwhile
        assert not workers.crashed(), "a worker exited while Redis was down"
        await redis_server.start()
        deadline = time.monotonic() + 90
        while not all(f.done for f in feeds) and time.monotonic() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.3)
        assert all(f.done for f in feeds)
        await asyncio.sleep(2.5)
        expected = {article_id("url:" + link) for f in feeds for _g, link, _t in f.items}
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assigned = await client.hlen(store.keys.story_of_article)
            if assigned >= len(expected):
                break
            await asyncio.sleep(0.5)
        assert not workers.crashed()
    finally:
        codes = await workers.stop_all()
    assert all(code == 0 for code in codes), codes

    messages = await entry_messages(store)
    news = Counter(f["article"] for _id, f in messages if f.get("kind") == "new")
    assert set(news) == expected and max(news.values()) == 1
    assignment = await client.hgetall(store.keys.story_of_article)
    assert set(assignment) == expected
    await client.aclose()
