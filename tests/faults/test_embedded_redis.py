"""The embedded Redis of `briefing run`, killed and crashed: the process that started it
restarts it on the same data dir and the service is ready again, with every served entry
stored once; a server that cannot come back stops the service non-zero; the server never
outlives its owner, and a command attached to it on purpose leaves it running."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from service.store import Store
from service.store.connection import RedisTarget, open_target
from tests.feedserver import FeedServer
from tests.support.net import free_port
from tests.support.processes import alive
from tests.support.worker_processes import (
    ROOT,
    GrowingFeed,
    entry_messages,
    keep_entries,
    pending_entries,
    real_feeds,
    worker_env,
    write_config,
)
from workers.entry_identity import article_id

pytestmark = pytest.mark.slow


def redis_pid(data_dir: Path) -> int:
    return int((data_dir / "redis.pid").read_text())


@dataclass
class Service:
    """A `briefing run` process on an embedded Redis in ``data_dir``."""

    process: asyncio.subprocess.Process
    base: str
    data_dir: Path
    log: Path
    env: dict[str, str]

    def lines(self) -> list[dict[str, Any]]:
        # Our log lines (every line is JSON is tests/service/test_cli.py's concern; a child
        # process's crash, for one, writes its traceback as plain text).
        text = self.log.read_text()
        return [json.loads(line) for line in text.splitlines() if line.startswith("{")]

    def errors(self) -> list[dict[str, Any]]:
        return [e for e in self.lines() if e["level"] in ("error", "critical")]

    async def status(self, path: str) -> int | None:
        try:
            async with httpx.AsyncClient(timeout=2) as client:
                return (await client.get(self.base + path)).status_code
        except httpx.HTTPError:
            return None

    async def stop(self) -> int:
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
        return await asyncio.wait_for(self.process.wait(), timeout=60)


def service_env(
    tmp_path: Path, feed_server: FeedServer, feeds: list[GrowingFeed], **extra: str
) -> dict[str, str]:
    config = tmp_path / "feeds.toml"
    write_config(config, feed_server, feeds)
    env = worker_env("", config)
    del env["REDIS_URL"]  # embedded mode
    return {**env, "BRIEFING_DATA_DIR": str(tmp_path / "data"), "BRIEFING_FIRST_POLL_SPREAD": "0",
            **extra}  # fmt: skip


@contextlib.asynccontextmanager
async def briefing_run(
    tmp_path: Path, feed_server: FeedServer, feeds: list[GrowingFeed], **extra: str
) -> AsyncIterator[Service]:
    """`briefing run` on ``feeds``, its embedded Redis in ``tmp_path / "data"``; ``extra``
    environment variables on top."""
    env = service_env(tmp_path, feed_server, feeds, **extra)
    port = free_port()
    log = tmp_path / "run.log"
    with log.open("wb") as sink:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "service.cli", "run", "--host", "127.0.0.1",
            "--port", str(port), env=env, cwd=ROOT, stdout=sink, stderr=sink,
        )  # fmt: skip
    service = Service(process, f"http://127.0.0.1:{port}", Path(env["BRIEFING_DATA_DIR"]), log, env)
    try:
        async with asyncio.timeout(60):
            while await service.status("/readyz") != 200:
                assert process.returncode is None, log.read_text()[-3000:]
                await asyncio.sleep(0.2)
        yield service
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


@contextlib.asynccontextmanager
async def data_dir_store(data_dir: Path) -> AsyncIterator[Store]:
    """The data dir's store while no service runs on it (this process owns the server)."""
    target = open_target(None, data_dir)
    client = target.client()
    try:
        yield Store(client)
    finally:
        await client.aclose()
        target.close()


async def stored_once(store: Store, expected: set[str]) -> None:
    messages = await entry_messages(store)
    news = Counter(f["article"] for _id, f in messages if f.get("kind") == "new")
    assert set(news) == expected, (
        f"missing {len(expected - set(news))}, extra {len(set(news) - expected)}"
    )
    assert max(news.values()) == 1


async def converged(socket: str, expected: set[str]) -> None:
    """Every expected article is in a story and nothing is pending (a fresh client per
    look: the test's connections must not span the Redis restart)."""
    while True:
        client = RedisTarget(url=f"unix://{socket}", unix_socket=None).client()
        try:
            store = Store(client)
            assigned = await client.hlen(store.keys.story_of_article)
            if assigned >= len(expected) and await pending_entries(store) == 0:
                return
        finally:
            await client.aclose()
        await asyncio.sleep(0.5)


async def test_kill_nine_of_the_embedded_redis_during_ingestion(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    feeds = real_feeds(limit=8)
    data_dir = tmp_path / "data"
    async with data_dir_store(data_dir) as store:
        # Pin every entry the run will write, before the service starts on the data dir.
        await keep_entries(store)
    async with briefing_run(tmp_path, feed_server, feeds) as service:
        async with asyncio.timeout(60):
            while sum(f.polls for f in feeds) < len(feeds):  # noqa: ASYNC110
                await asyncio.sleep(0.2)
        assert not all(f.done for f in feeds), "ingestion should still be going on"
        killed = redis_pid(data_dir)
        os.kill(killed, signal.SIGKILL)

        # Ready again within 15 s, on a new server (the pid file is the new one's).
        async with asyncio.timeout(15):
            while True:
                new_pid = (data_dir / "redis.pid").exists() and redis_pid(data_dir) != killed
                if new_pid and await service.status("/readyz") == 200:
                    break
                await asyncio.sleep(0.2)
        assert await service.status("/healthz") == 200
        restarted = redis_pid(data_dir)

        deadline = time.monotonic() + 90
        while not all(f.done for f in feeds) and time.monotonic() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.3)
        assert all(f.done for f in feeds), [(f.name, f.revealed, len(f.items)) for f in feeds]
        await asyncio.sleep(2.5)  # one more poll of every feed after its last reveal
        expected = {article_id("url:" + link) for f in feeds for _g, link, _t in f.items}
        async with asyncio.timeout(60):
            await converged(str(data_dir / "redis.sock"), expected)
        code = await service.stop()
    assert code == 0, service.log.read_text()[-3000:]

    # The crash is logged once, as an error with the exit status: the only error of the run
    # (the stages retry what failed meanwhile, at warning level).
    (crash,) = service.errors()
    assert crash["logger"] == "service.store.embedded_supervisor", crash
    assert "killed by SIGKILL" in crash["message"] and crash["exit_status"] == -9
    assert not alive(restarted)  # the owner stopped the server it restarted on its way out
    async with data_dir_store(data_dir) as store:
        await stored_once(store, expected)


async def test_a_redis_that_cannot_come_back_stops_the_service_non_zero(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    feeds = real_feeds(limit=2)
    # Two attempts (0 and 0.5 s after the crash) show the give-up path as six would.
    async with briefing_run(
        tmp_path, feed_server, feeds, BRIEFING_EMBEDDED_RESTARTS="2"
    ) as service:
        data_dir = service.data_dir
        # An append-only file Redis refuses to load (it is read only at start).
        with (data_dir / "appendonly.aof").open("r+b") as aof:
            aof.write(b"not a redis command\r\n")
        os.kill(redis_pid(data_dir), signal.SIGKILL)
        code = await asyncio.wait_for(service.process.wait(), timeout=120)
    assert code == 1, service.log.read_text()[-3000:]
    messages = [e["message"] for e in service.errors()]
    assert any("killed by SIGKILL" in m for m in messages), messages
    assert any("could not be restarted" in m for m in messages), messages


async def test_the_embedded_redis_ends_with_its_owner_and_survives_attached_commands(
    tmp_path: Path, feed_server: FeedServer
) -> None:
    feeds = real_feeds(limit=2)
    async with briefing_run(tmp_path, feed_server, feeds) as service:
        data_dir = service.data_dir
        server = redis_pid(data_dir)
        # A command on the same data dir attaches to the running server on purpose ...
        url = feed_server.add("/extra.xml", lambda _request: feeds[0](_request))
        added = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "service.cli", "feeds", "add", url,
            env=service.env, cwd=ROOT,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        out, err = await added.communicate()
        assert added.returncode == 0, out + err
        # ... and leaves it running when it exits.
        assert alive(server) and redis_pid(data_dir) == server
        assert await service.status("/readyz") == 200

        service.process.send_signal(signal.SIGKILL)  # the owner dies without cleaning up
        await service.process.wait()
        async with asyncio.timeout(30):
            while alive(server):  # noqa: ASYNC110
                await asyncio.sleep(0.1)

    # The data survived: the next owner finds the feed the attached command added.
    async with data_dir_store(data_dir) as store:
        assert await store.feeds.by_url(url) is not None
