"""Redis killed and restarted mid-run (the redis-server binary the embedded mode ships,
AOF with ``appendfsync everysec``), or full (``maxmemory``, noeviction) for a while:
workers reconnect or wait and carry on without a crash loop, and the end state is
complete: every served entry once, every article in one story.

A SIGKILL may lose up to about a second of acknowledged writes (the fsync policy); AOF
replays a prefix of the write history, so what survives is consistent, and whatever
was lost is fetched and processed again. A full Redis refuses each write whole."""

from __future__ import annotations

import asyncio
import os
import signal
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
import pytest

from service.store import Store
from service.store.connection import RedisClient, RedisTarget
from tests.feedserver import FeedServer
from tests.support.processes import (
    alive,
    briefing_run,
    embedded_service_env,
    stage_children,
    wait_for,
)
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

# What happens to Redis once every feed was polled: given the workers and a client.
Outage = Callable[[Workers, RedisClient], Awaitable[None]]


async def ingest_through(
    outage: Outage, tmp_path: Path, feed_server: FeedServer, redis_server: RedisServer
) -> None:
    """Two ``--role all`` workers ingest real feeds through ``outage``; then every served
    entry is in the entries streams once and every article in one story."""
    feeds = real_feeds(limit=8, at_least=8)
    config = tmp_path / "feeds.toml"
    write_config(config, feed_server, feeds)
    workers = Workers(
        env=worker_env(redis_server.url, config), log_dir=tmp_path, roles=[["all"], ["all"]]
    )
    target = RedisTarget(url=redis_server.url, unix_socket=None)
    client = target.client()
    store = Store(client)
    # Its own client: the test's must not hold a connection across a Redis restart.
    setup = target.client()
    await keep_entries(Store(setup))
    await workers.start_all()
    try:
        async with asyncio.timeout(60):
            while sum(f.polls for f in feeds) < len(feeds):  # noqa: ASYNC110
                await asyncio.sleep(0.2)
        await outage(workers, setup)
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
        await setup.aclose()
    assert all(code == 0 for code in codes), codes

    messages = await entry_messages(store)
    news = Counter(f["article"] for _id, f in messages if f.get("kind") == "new")
    assert set(news) == expected and max(news.values()) == 1
    assignment = await client.hgetall(store.keys.story_of_article)
    assert set(assignment) == expected
    await client.aclose()


async def test_workers_survive_a_redis_restart(
    tmp_path: Path, feed_server: FeedServer, redis_server: RedisServer
) -> None:
    async def restart(workers: Workers, _client: RedisClient) -> None:
        await redis_server.kill()
        await asyncio.sleep(2)  # workers see connection errors meanwhile
        assert not workers.crashed(), "a worker exited while Redis was down"
        await redis_server.start()

    await ingest_through(restart, tmp_path, feed_server, redis_server)


async def test_workers_wait_out_a_full_redis_with_one_line_per_outage(
    tmp_path: Path, feed_server: FeedServer, redis_server: RedisServer
) -> None:
    async def fill(workers: Workers, client: RedisClient) -> None:
        await client.config_set("maxmemory", 1)
        try:
            # Claims are writes too: polls in flight are refused, then none is claimed.
            await asyncio.sleep(5)
            assert not workers.crashed(), "a worker exited while Redis was full"
        finally:
            await client.config_set("maxmemory", 0)

    await ingest_through(fill, tmp_path, feed_server, redis_server)
    logs = worker_logs(tmp_path)
    assert "(Redis out of memory: " in logs
    assert "Traceback" not in logs
    # Partition upkeep retries four times a second: one line when the outage began.
    assert logs.count("process partitions: tick failed") <= 2


def worker_logs(directory: Path) -> str:
    return "".join(p.read_text(errors="replace") for p in directory.glob("worker*.log"))


async def test_a_process_stage_child_waits_out_a_redis_outage_as_readiness(
    tmp_path: Path, feed_server: FeedServer, redis_server: RedisServer
) -> None:
    """`briefing run` on an external Redis that goes down: the process-stage child started
    meanwhile (its predecessor was killed) waits for Redis, touching its heartbeat file,
    instead of exiting when ``BRIEFING_STARTUP_WAIT`` runs out (0 here: at once), which
    its parent would count towards /healthz; /readyz reports the outage, /healthz does
    not, and once Redis is back the same child runs the stage."""
    config = tmp_path / "feeds.toml"
    write_config(config, feed_server, real_feeds(limit=1))
    env = embedded_service_env(tmp_path / "data", config) | {
        "REDIS_URL": redis_server.url,
        "BRIEFING_STARTUP_WAIT": "0",
        "BRIEFING_LOG_LEVEL": "INFO",
    }
    started = "workers running: process"
    with briefing_run(env, tmp_path) as run:
        await asyncio.to_thread(wait_for, lambda: started in run.output())
        (first,) = stage_children(run.process.pid)
        beats = Path(tempfile.gettempdir()) / f"briefing-process-stage-{run.process.pid}.heartbeat"
        await redis_server.kill()
        os.kill(first, signal.SIGKILL)
        killed_at = time.time()
        waiting = "checking the data format: Redis unreachable"
        await asyncio.to_thread(wait_for, lambda: waiting in run.output())
        (second,) = stage_children(run.process.pid)
        await asyncio.to_thread(wait_for, lambda: beats.stat().st_mtime > killed_at)
        assert alive(second)
        async with httpx.AsyncClient(base_url=run.base) as client:
            assert (await client.get("/healthz")).status_code == 200
            assert (await client.get("/readyz")).status_code == 503
            await redis_server.start()
            await asyncio.to_thread(wait_for, lambda: run.output().count(started) == 2)
            assert stage_children(run.process.pid) == [second]
            assert (await client.get("/healthz")).status_code == 200
            # The API reads Redis on its own connections: ready once they answer too.
            ready = f"{run.base}/readyz"
            await asyncio.to_thread(wait_for, lambda: httpx.get(ready).status_code == 200)
    output = run.output()
    assert output.count(waiting) == 1, output[-3000:]
    assert "Redis unreachable" in output and "retrying until it answers" in output
    # The kill is the only exit the parent saw.
    assert output.count('"logger": "service.stage_child", "message": "process stage (pid') == 1
