"""A real `briefing worker --role fetch` process stuck in a hostile parse: SIGTERM stops
it without waiting for the parse (its deadline is an hour here), and no parse worker
process outlives it."""

from __future__ import annotations

import asyncio
import signal
import sys
import time
from pathlib import Path

from service.store import Store
from service.store.connection import RedisTarget
from tests.factories import many_attributes
from tests.feedserver import FeedServer
from tests.support.processes import gone
from tests.support.redis_fixture import redis_url_of
from tests.support.worker_processes import ROOT, worker_env


def children(pid: int) -> list[int]:
    """Every process whose parent is ``pid`` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


async def test_sigterm_during_a_hung_parse_stops_the_worker_and_its_parse_process(
    tmp_path: Path, feed_server: FeedServer, store: Store, redis_target: RedisTarget
) -> None:
    hostile = feed_server.add("/hostile.xml", many_attributes(60_000))
    config = tmp_path / "feeds.toml"
    config.write_text(f'[[feeds]]\nurl = "{hostile}"\nname = "hostile"\n')
    redis_url = redis_url_of(redis_target)
    env = {**worker_env(redis_url, config), "BRIEFING_PARSE_TIMEOUT": "3600"}
    env["BRIEFING_FIRST_POLL_SPREAD"] = "0"
    log = (tmp_path / "worker.log").open("wb")
    worker = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "service.cli", "worker", "--role", "fetch",
        env=env, cwd=ROOT, stdout=log, stderr=log,
    )  # fmt: skip
    log.close()
    try:
        started = time.monotonic()
        while not feed_server.requests_to("/hostile.xml") or not children(worker.pid):
            assert time.monotonic() - started < 60, (tmp_path / "worker.log").read_text()
            await asyncio.sleep(0.1)
        parse_workers = children(worker.pid)
        await asyncio.sleep(2.0)  # the document is in the parse worker, which has minutes to go
        worker.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(worker.wait(), timeout=60)  # far below the deadline
    finally:
        if worker.returncode is None:
            worker.kill()
            await worker.wait()
    assert code == 0, (tmp_path / "worker.log").read_text()
    for pid in parse_workers:
        assert await gone(pid), f"process {pid} outlived the worker"
