"""workers.gc_pause: CPU work in a thread with the cyclic garbage collector paused."""

from __future__ import annotations

import asyncio
import gc
import threading
import weakref
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


class Node:
    """A container the collector tracks, which a weak reference can watch."""

    def __init__(self) -> None:
        self.other: object = None


async def test_freeze_survivors_moves_what_is_alive_out_of_full_collections() -> None:
    gc.unfreeze()
    kept = [[n] for n in range(1000)]
    assert gc_pause.freeze_survivors()
    assert gc.get_freeze_count() >= len(kept)
    assert all(not gc.is_finalized(item) for item in kept)  # alive, and still usable
    kept.append([1000])
    assert len(kept) == 1001


async def test_freeze_survivors_frees_young_garbage_cycles_rather_than_freezing_them() -> None:
    gc.unfreeze()
    a, b = Node(), Node()
    a.other, b.other = b, a  # a cycle: only the collector can free it
    watch = weakref.ref(a)
    del a, b
    assert gc_pause.freeze_survivors()
    assert watch() is None


async def test_freeze_survivors_waits_while_the_collector_is_paused() -> None:
    """A snapshot's encoding allocates in the young generations with the collector paused:
    collecting them meanwhile would walk all of it, and freezing would keep its garbage."""
    gc.unfreeze()
    may_end = threading.Event()
    work = asyncio.ensure_future(gc_pause.run(lambda: may_end.wait(60)))
    await asyncio.sleep(0)  # the work starts: the collector is paused
    assert not gc.isenabled()
    assert not gc_pause.freeze_survivors()
    assert gc.get_freeze_count() == 0
    may_end.set()
    assert await work is True
    assert gc_pause.freeze_survivors()
    assert gc.get_freeze_count() > 0


async def test_frozen_objects_that_later_form_garbage_cycles_are_freed_every_few_freezes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A request in flight at a freeze is frozen with the rest; a cycle it forms when it
    ends (a cancelled task's frames and traceback) is out of every young collection's
    reach, and only a collection of everything frees it."""
    monkeypatch.setattr(gc_pause, "COLLECT_ALL_EVERY", 3)
    monkeypatch.setattr(gc_pause, "_freezes", 0)
    gc.unfreeze()
    in_flight = Node()
    watch = weakref.ref(in_flight)
    assert gc_pause.freeze_survivors()  # frozen while alive
    in_flight.other = in_flight  # then it ends inside a cycle
    del in_flight
    gc.collect()  # the collector's own full collections skip the permanent generation
    assert gc_pause.freeze_survivors()
    assert watch() is not None  # trapped: only a collection of everything frees it
    assert gc_pause.freeze_survivors()
    assert watch() is None
    assert gc.get_freeze_count() > 0  # what is alive is frozen again
