"""The supervisor of the embedded Redis: a killed server comes back on the same data
(logged once, as an error with the exit status), an attached process takes over from a
departed owner, and a server that cannot come back is reported, not retried forever."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest
import redis.asyncio as aioredis

from service.store.embedded import EmbeddedServer
from service.store.embedded_supervisor import RESTART_DELAYS, EmbeddedSupervisor, restart_delays

SUPERVISOR = "service.store.embedded_supervisor"


def client_of(server: EmbeddedServer) -> aioredis.Redis:
    return aioredis.Redis(unix_socket_path=str(server.socket), decode_responses=True)


async def until(condition: Callable[[], object]) -> None:
    """Poll ``condition`` until it holds (bounded: a stuck supervisor fails the test)."""
    async with asyncio.timeout(30):
        while not condition():  # noqa: ASYNC110 (a process outside the loop, no event)
            await asyncio.sleep(0.05)


@contextlib.asynccontextmanager
async def supervising(server: EmbeddedServer) -> AsyncIterator[EmbeddedSupervisor]:
    """``server`` under a running supervisor, with an async client; all stopped after."""
    supervisor = EmbeddedSupervisor(server)
    task = asyncio.create_task(supervisor.run())
    try:
        yield supervisor
        assert not task.done()  # still supervising: it did not give up
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        server.stop()


async def test_a_killed_server_is_restarted_on_the_same_data(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger=SUPERVISOR)
    server = EmbeddedServer.open(tmp_path)
    client = client_of(server)
    async with supervising(server) as supervisor:
        await client.set("kept", "yes")
        await client.bgrewriteaof()  # on disk now, whatever the fsync second
        await until(lambda: (tmp_path / "appendonly.aof").stat().st_size > 0)
        await asyncio.sleep(1.5)
        killed = server.pid
        assert killed is not None
        os.kill(killed, signal.SIGKILL)
        await until(lambda: server.pid not in (None, killed) and supervisor.restarts == 1)
        await until(lambda: server.ready() is True)
        assert await client.get("kept") == "yes"  # the same client reconnects
        assert supervisor.problem() is None
    await client.aclose()
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert [r.getMessage() for r in errors] == [
        "embedded redis killed by SIGKILL; restarting it on the same data dir"
    ]
    assert errors[0].exit_status == -signal.SIGKILL  # type: ignore[attr-defined]


async def test_an_attached_process_takes_over_from_a_departed_owner(tmp_path: Path) -> None:
    owner = EmbeddedServer.open(tmp_path)
    attached = EmbeddedServer.open(tmp_path)
    client = client_of(attached)
    async with supervising(attached) as supervisor:
        await client.set("kept", "yes")
        owner.stop()  # saves, exits, lets the data dir go
        await until(lambda: attached.owner and attached.pid is not None)
        await until(lambda: attached.ready() is True)
        assert await client.get("kept") == "yes"
        assert supervisor.problem() is None
    await client.aclose()
    owner.stop()


async def test_a_server_that_cannot_come_back_is_a_failure(tmp_path: Path) -> None:
    server = EmbeddedServer.open(tmp_path)
    supervisor = EmbeddedSupervisor(server, delays=(0.0, 0.1))
    try:
        # An append-only file Redis refuses to load (it is read only at start).
        (tmp_path / "appendonly.aof").write_bytes(b"not a redis command\r\n")
        assert server.pid is not None
        os.kill(server.pid, signal.SIGKILL)
        await asyncio.wait_for(supervisor.run(), timeout=60)  # returns: it gave up
        assert supervisor.failure is not None
        assert supervisor.failure.startswith("embedded redis could not be restarted")
        assert supervisor.problem() == supervisor.failure
    finally:
        server.stop()


def test_restart_delays_follow_the_setting() -> None:
    assert restart_delays(1) == (0.0,)
    assert restart_delays(2) == (0.0, 0.5)
    assert restart_delays(6) == RESTART_DELAYS
    assert restart_delays(8) == (*RESTART_DELAYS, 8.0, 8.0)
