"""Cancelling a task that reads from Redis, and knowing it has ended.

Once is not always enough: redis-py sends every command through ``asyncio.wait_for``,
which on Python 3.11 drops a cancellation that arrives just as the command finishes
sending (bpo-42130, python/cpython#86296 "AsyncIO's wait_for can hide cancellation in a
rare race condition"; fixed in 3.12, where ``wait_for`` runs on ``asyncio.timeout``):
``wait_for`` returns the finished command's result and the cancellation is lost. The task
then goes on to its next step: a blocking read, the rest of a batch, an HTTP request; a
later cancellation lands there.

Every task that may be inside a Redis command when it is stopped is stopped with
``cancel_and_wait`` (or checks its own stop before each read): one ``cancel()`` followed
by an unbounded wait would wait for whatever the task does next.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any

# Seconds between cancellations of a task that has not ended yet.
RECANCEL_EVERY = 0.1


async def cancel_and_wait(task: asyncio.Task[Any], *, within: float | None = None) -> bool:
    """Cancel ``task`` and wait until it has ended, cancelling it again every
    ``RECANCEL_EVERY`` seconds; at most ``within`` seconds when given. Returns whether it
    ended (its outcome stays on the task)."""
    loop = asyncio.get_running_loop()
    deadline = None if within is None else loop.time() + within
    while not task.done():
        wait = RECANCEL_EVERY if deadline is None else min(RECANCEL_EVERY, deadline - loop.time())
        if wait <= 0:
            return False
        task.cancel()
        await asyncio.wait({task}, timeout=wait)
    return True


async def cancel_all_and_wait(tasks: Iterable[asyncio.Task[Any]]) -> None:
    """``cancel_and_wait`` on each of ``tasks`` at once, until every one has ended."""
    await asyncio.gather(*(cancel_and_wait(task) for task in tasks))


async def cancel_all_before_leaving(tasks: Iterable[asyncio.Task[Any]]) -> None:
    """``cancel_all_and_wait``, carried on while the caller itself is being cancelled
    (its own cancellation, raised once every task has ended): a coordinator cancelled
    again and again (``cancel_and_wait``) still ends the tasks it started."""
    tasks = list(tasks)
    cancelled = False
    while True:
        try:
            await cancel_all_and_wait(tasks)
        except asyncio.CancelledError:
            cancelled = True
        else:
            break
    if cancelled:
        raise asyncio.CancelledError
