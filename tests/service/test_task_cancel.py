"""Cancelling until a task has ended (service/task_cancel.py): a task that loses one
cancellation, as redis-py's ``asyncio.wait_for`` can on Python 3.11, still ends."""

from __future__ import annotations

import asyncio

import pytest

from service.task_cancel import cancel_all_and_wait, cancel_all_before_leaving, cancel_and_wait
from tests.support.lost_cancellation import losing_cancellations, task_losing_a_cancellation


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


@pytest.mark.timeout(30)
async def test_every_task_of_a_group_is_cancelled_until_it_ends() -> None:
    losing = [task_losing_a_cancellation(f"reader-{n}") for n in range(3)]
    for _task, reading in losing:
        await reading.wait()
    ended = asyncio.create_task(asyncio.sleep(0))
    await ended
    await cancel_all_and_wait([ended, *(task for task, _ in losing)])
    assert all(task.cancelled() for task, _ in losing)
    assert not ended.cancelled()


@pytest.mark.timeout(30)
async def test_a_coordinator_cancelled_again_and_again_still_ends_its_tasks_first() -> None:
    """A coordinator stopped with ``cancel_and_wait`` is cancelled every 0.1 s; the tasks
    it ends on its way out lose cancellations too, and are ended all the same before its
    own cancellation is raised."""
    losing = [task_losing_a_cancellation(f"reader-{n}") for n in range(2)]
    leaving = asyncio.Event()

    async def coordinator() -> None:
        try:
            await asyncio.Event().wait()
        finally:
            leaving.set()
            await cancel_all_before_leaving(task for task, _ in losing)

    for _task, reading in losing:
        await reading.wait()
    running = asyncio.create_task(coordinator())
    await asyncio.sleep(0)
    assert await cancel_and_wait(running)
    assert leaving.is_set() and running.cancelled()
    assert all(task.cancelled() for task, _ in losing)
