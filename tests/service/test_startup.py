"""StartupWait (service/startup.py): which errors are waited out, and for how long.
The real-process case (a worker started before its Redis) is in
tests/system/test_worker_before_redis.py."""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Awaitable, Callable

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import OutOfMemoryError, ResponseError

from service.startup import StartupWait
from service.store.migrations import DataFormatError


def failing(times: int, error: Exception) -> tuple[list[int], Callable[[], Awaitable[str]]]:
    calls: list[int] = []

    async def step() -> str:
        calls.append(1)
        if len(calls) <= times:
            raise error
        return "done"

    return calls, step


async def test_an_unreachable_redis_is_retried_until_it_answers() -> None:
    calls, step = failing(2, RedisConnectionError("refused"))
    assert await StartupWait(30).run("seeding feeds", step) == "done"
    assert len(calls) == 3


async def test_other_errors_are_raised_at_once() -> None:
    calls, step = failing(5, DataFormatError("format 9"))
    with pytest.raises(DataFormatError):
        await StartupWait(30).run("checking the data format", step)
    assert len(calls) == 1


async def test_no_wait_means_the_first_failure_is_raised() -> None:
    calls, step = failing(5, RedisConnectionError("refused"))
    with pytest.raises(RedisConnectionError):
        await StartupWait(0).run("seeding feeds", step)
    assert len(calls) == 1


async def test_a_stop_signal_ends_the_wait(caplog: pytest.LogCaptureFixture) -> None:
    stop = asyncio.Event()
    calls, step = failing(100, RedisConnectionError("refused"))
    waiting = asyncio.create_task(StartupWait(60, stop=stop).run("seeding", step))
    await asyncio.sleep(0.1)
    stop.set()
    with pytest.raises(RedisConnectionError):
        await asyncio.wait_for(waiting, timeout=5)
    assert len(calls) == 2  # the first try, and the one after the stop cut the sleep short
    # Not "gave up after BRIEFING_STARTUP_WAIT=60 s": it was stopped after 0.1 s.
    assert caplog.records[-1].getMessage() == (
        "seeding: Redis unreachable (refused); stopped while waiting"
    )


async def test_an_endless_wait_retries_until_redis_answers_and_says_so(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="briefing")
    calls, step = failing(3, RedisConnectionError("refused"))
    assert await StartupWait(math.inf).run("seeding feeds", step) == "done"
    assert len(calls) == 4
    messages = [r.getMessage() for r in caplog.records]
    assert messages == [
        "seeding feeds: Redis unreachable (refused); retrying until it answers",
        "seeding feeds: Redis reachable after 3 retries",
    ]


FULL = OutOfMemoryError("command not allowed when used memory > 'maxmemory'.")


async def test_written_retries_while_redis_refuses_writes_and_says_so_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="briefing")
    calls, step = failing(2, FULL)
    # A budget of 0: refusals are no part of it, only an unreachable Redis is.
    assert await StartupWait(0).written("seeding feeds", step) == "done"
    assert len(calls) == 3
    assert [r.getMessage() for r in caplog.records] == [
        "seeding feeds: Redis refuses writes (out of memory); retrying until it takes them",
        "seeding feeds: Redis takes writes again after 2 retries",
    ]


async def test_written_raises_other_redis_errors_and_a_refusal_after_a_stop() -> None:
    calls, step = failing(5, ResponseError("WRONGTYPE Operation against a key"))
    with pytest.raises(ResponseError, match="WRONGTYPE"):
        await StartupWait(30).written("seeding feeds", step)
    assert len(calls) == 1
    stop = asyncio.Event()
    stop.set()
    calls, step = failing(5, FULL)
    with pytest.raises(OutOfMemoryError):
        await StartupWait(30, stop=stop).written("seeding feeds", step)
    assert len(calls) == 1
