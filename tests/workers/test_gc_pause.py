"""workers.gc_pause: CPU work in a thread with the cyclic garbage collector paused."""

from __future__ import annotations

import asyncio
import gc
import threading
from collections.abc import Iterator

import pytest

from workers import gc_pause


@pytest.fixture(autouse=True)
def collector() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    gc.unfreeze()
    if was:
        gc.enable()
    else:
        gc.disable()


async def test_the_collector_is_paused_while_the_work_runs_then_enabled_again() -> None:
    assert await gc_pause.run(gc.isenabled) is False
    assert gc.isenabled()


async def test_overlapping_callers_keep_it_paused_until_the_last_one_leaves() -> None:
    first_may_end = threading.Event()
    first = asyncio.ensure_future(gc_pause.run(lambda: first_may_end.wait(60)))
    second_saw = await gc_pause.run(gc.isenabled)  # runs while the first one still waits
    assert second_saw is False
    assert not gc.isenabled()  # the first one is still inside
    first_may_end.set()
    assert await first is True
    assert gc.isenabled()


async def test_a_collector_disabled_before_stays_disabled() -> None:
    gc.disable()
    await gc_pause.run(lambda: None)
    assert not gc.isenabled()


async def test_freeze_moves_what_is_alive_to_the_permanent_generation() -> None:
    gc.unfreeze()
    kept = await gc_pause.run(lambda: [[n] for n in range(1000)], freeze=True)
    assert gc.get_freeze_count() >= len(kept)
    assert gc.isenabled()


async def test_an_exception_in_the_work_still_enables_the_collector() -> None:
    def fail() -> None:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        await gc_pause.run(fail)
    assert gc.isenabled()
