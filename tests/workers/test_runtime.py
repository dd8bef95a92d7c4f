"""A real `briefing worker --role fetch` process stuck in a hostile parse: SIGTERM stops
it without waiting for the parse (its deadline is an hour here), and no parse worker
process outlives it."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
import time
from pathlib import Path

import pytest
import yaml

from service.settings import Settings
from service.store import Store
from service.store.connection import RedisTarget
from tests.factories import many_attributes
from tests.feedserver import FeedServer
from tests.support.processes import gone
from tests.support.redis_fixture import redis_url_of
from tests.support.redis_server import RedisServer
from tests.support.worker_processes import ROOT, worker_env
from workers import places
from workers.briefing_match import place_countries
from workers.runtime import POLL_GRACE, STAGE_GRACE, start_maintenance, warm_up


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


def test_compose_waits_for_a_whole_shutdown_before_killing() -> None:
    """A stopped process may use both graces before it exits; the compose file's SIGKILL
    must wait for them and for the exit itself."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    for name in ("api", "worker"):
        grace = compose["services"][name]["stop_grace_period"]
        assert grace.endswith("s") and float(grace[:-1]) >= POLL_GRACE + STAGE_GRACE + 5


async def test_maintenance_while_redis_is_away_logs_one_warning_per_run(
    server_store: Store, redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    scheduler = start_maintenance(Settings(), server_store)
    try:
        await redis_server.kill()
        for job_id in ("trim", "retention"):
            await scheduler.get_job(job_id).func()
    finally:
        scheduler.shutdown(wait=False)
    records = [r for r in caplog.records if r.name == "workers.runtime"]
    assert [r.getMessage().split(" (")[0] for r in records] == [
        "stream trim failed; next run in a minute",
        "retention run failed; next run in an hour",
    ]
    assert all(r.levelno == logging.WARNING and r.exc_info is None for r in records)
    assert all("(Redis unavailable: " in r.getMessage() for r in records)


def test_warm_up_loads_the_process_stages_gazetteer_only_for_that_role() -> None:
    """Loaded on first use, the tables would be parsed on the event loop at the first
    batch after a start, while the API shares it; warm_up loads them before serving."""
    places._tables.cache_clear()
    places._widths.cache_clear()
    place_countries.cache_clear()
    warm_up(["fetch", "notify"])
    assert places._tables.cache_info().currsize == 0
    assert place_countries.cache_info().currsize == 0
    warm_up(["all"])
    assert places._tables.cache_info().currsize == 1
    assert places._widths.cache_info().currsize == 1
    assert place_countries.cache_info().currsize == 1
    assert places.find_places("Shelling in Kharkiv overnight") == ("Kharkiv",)
