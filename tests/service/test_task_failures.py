"""watch: a background task that fails is logged as it ends, once, with its traceback and
what its failure means; a cancelled or finished task is not."""

from __future__ import annotations

import asyncio
import gc
import logging

import pytest

from service.task_failures import watch


async def fail() -> None:
    raise ValueError("broken on purpose")


async def test_a_failed_task_is_logged_once_with_its_traceback_and_its_owner_told(
    caplog: pytest.LogCaptureFixture,
) -> None:
    told: list[BaseException] = []
    with caplog.at_level(logging.ERROR):
        task = watch(
            asyncio.create_task(fail(), name="sample"), "nothing follows", on_failure=told.append
        )
        await asyncio.wait({task})
        await asyncio.sleep(0)  # done callbacks run on the loop's next turn
        del task
        gc.collect()  # asyncio reports an unretrieved exception when the task is collected
        await asyncio.sleep(0)
    assert [(r.name, r.getMessage()) for r in caplog.records] == [
        ("service.task_failures", "task sample failed: nothing follows")
    ]
    (record,) = caplog.records
    assert record.exc_info is not None and record.exc_info[0] is ValueError
    assert [str(error) for error in told] == ["broken on purpose"]


async def test_a_cancelled_or_finished_task_is_no_failure(caplog: pytest.LogCaptureFixture) -> None:
    told: list[BaseException] = []
    with caplog.at_level(logging.DEBUG):
        cancelled = watch(asyncio.create_task(asyncio.sleep(3600)), "x", on_failure=told.append)
        finished = watch(asyncio.create_task(asyncio.sleep(0)), "x", on_failure=told.append)
        await asyncio.sleep(0)
        cancelled.cancel()
        await asyncio.wait({cancelled, finished})
        await asyncio.sleep(0)
    assert cancelled.cancelled() and finished.result() is None
    assert [r for r in caplog.records if r.name == "service.task_failures"] == []
    assert told == []
