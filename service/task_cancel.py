"""Cancelling a task that reads from Redis, and knowing it has ended.

Once is not always enough: redis-py sends every command through ``asyncio.wait_for``,
which on Python 3.11 drops a cancellation that arrives just as the command finishes
sending (bpo-42130, fixed in 3.12: ``wait_for`` returns the finished command's result and
the cancellation is lost). The task then goes on to its next blocking read, and would go
on reading for good; a later cancellation lands in that read.
"""

from __future__ import annotations

import asyncio
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
