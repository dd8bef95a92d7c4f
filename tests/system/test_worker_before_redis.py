"""A worker started before its Redis (docker compose, systemd: the order is not
guaranteed) waits for it, within ``BRIEFING_STARTUP_WAIT``, instead of exiting at once
(real worker process, real redis-server started later on the same port)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from tests.feedserver import FeedServer
from tests.support.redis_server import RedisServer
from tests.support.worker_processes import Workers, real_feeds, worker_env, write_config

pytestmark = pytest.mark.slow


def read(log: Path) -> str:
    return log.read_text(errors="replace") if log.exists() else ""


async def logged(log: Path, text: str, within: float = 30.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if text in await asyncio.to_thread(read, log):
            return True
        await asyncio.sleep(0.1)
    return False


async def test_a_worker_started_before_its_redis_waits_and_then_polls(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    feeds = real_feeds(limit=2, at_least=2)
    config = tmp_path / "feeds.toml"
    write_config(config, feed_server, feeds)
    redis = RedisServer(tmp_path)  # not started yet
    env = worker_env(redis.url, config) | {
        "BRIEFING_STARTUP_WAIT": "60",
        "BRIEFING_LOG_LEVEL": "INFO",
        "BRIEFING_FIRST_POLL_SPREAD": "0",
    }
    workers = Workers(env=env, log_dir=tmp_path, roles=[["fetch"]])
    await workers.start_all()
    log = tmp_path / "worker0-1.log"
    try:
        assert await logged(log, "Redis unreachable"), log.read_text()
        await asyncio.sleep(1.5)  # a few retries while Redis is away
        assert not workers.crashed(), log.read_text()
        await redis.start()
        assert await logged(log, "Redis reachable after"), log.read_text()
        async with asyncio.timeout(30):
            while not all(f.polls for f in feeds):  # noqa: ASYNC110
                await asyncio.sleep(0.1)
        assert await workers.stop_all() == [0], log.read_text()
    finally:
        for index in range(len(workers.processes)):
            await workers.kill(index)
        await redis.stop()
    text = log.read_text()
    assert "checking the data format: Redis unreachable" in text
    assert "retrying for up to" in text


async def test_a_worker_whose_redis_never_comes_gives_up_after_the_wait(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    config = tmp_path / "feeds.toml"
    write_config(config, feed_server, real_feeds(limit=1))
    redis = RedisServer(tmp_path)  # never started
    env = worker_env(redis.url, config) | {"BRIEFING_STARTUP_WAIT": "2"}
    workers = Workers(env=env, log_dir=tmp_path, roles=[["fetch"]])
    started = time.monotonic()
    await workers.start_all()
    process = workers.processes[0]
    assert process is not None
    try:
        code = await asyncio.wait_for(process.wait(), timeout=30)
    finally:
        await workers.kill(0)
    text = (tmp_path / "worker0-1.log").read_text()
    assert code == 1, text
    assert time.monotonic() - started >= 2  # it waited before giving up
    assert "gave up after BRIEFING_STARTUP_WAIT=2 s" in text
    assert "Traceback" not in text
