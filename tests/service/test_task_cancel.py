"""Cancelling until a task has ended (service/task_cancel.py): a task that loses one
cancellation, as redis-py's ``asyncio.wait_for`` can on Python 3.11, still ends."""

from __future__ import annotations

import asyncio
import contextlib

import pytest

from service.task_cancel import cancel_and_wait


async def losing_cancellations(lost: int, reading: asyncio.Event) -> None:
    """Blocks in a read that drops its first ``lost`` cancellations, then in the next."""
    for _ in range(lost):
        reading.set()
        # Dropped, as by a ``wait_for`` whose command finished meanwhile.
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.Event().wait()
    await asyncio.Event().wait()


@pytest.mark.timeout(30)
async def test_a_task_that_loses_a_cancellation_is_cancelled_again_until_it_ends() -> None:
    reading = asyncio.Event()
    task = asyncio.create_task(losing_cancellations(2, reading))
    await reading.wait()
    assert await cancel_and_wait(task)
    assert task.cancelled()


@pytest.mark.timeout(30)
async def test_the_wait_is_bounded_when_asked() -> None:
    reading = asyncio.Event()
    task = asyncio.create_task(losing_cancellations(10, reading))
    await reading.wait()
    assert not await cancel_and_wait(task, within=0.25)  # three cancellations at most
    assert not task.done()
    assert await cancel_and_wait(task)
