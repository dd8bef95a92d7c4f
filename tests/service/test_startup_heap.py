from __future__ import annotations

import asyncio
import gc
import weakref
from collections.abc import Iterator

import pytest

from service.feed_url_cache import FeedUrlMemo
from service.startup_heap import RefreezeOnGrowth, freeze_startup_heap


class StartupState:
    """Stands for a long-lived object built at start-up (a feed's configuration)."""


class ParsedUrl:
    """Stands for what a memo derives from a feed's URL (``httpx.URL``, ``yarl.URL``):
    an object the collector tracks."""

    def __init__(self, url: str) -> None:
        self.url = url


@pytest.fixture(autouse=True)
def unfreeze_after() -> Iterator[None]:
    yield
    gc.unfreeze()  # the test's objects back to the collector, as before it


def walked(objects: list[object]) -> int:
    """How many of ``objects`` a full collection walks (in generations 0-2, not frozen)."""
    young_and_old = {id(o) for generation in range(3) for o in gc.get_objects(generation)}
    return sum(id(o) in young_and_old for o in objects)


def test_objects_alive_at_the_freeze_leave_the_collectors_generations() -> None:
    state = [StartupState() for _ in range(100)]
    frozen_before = gc.get_freeze_count()
    freeze_startup_heap()
    assert gc.get_freeze_count() >= frozen_before + len(state)
    assert walked(list(state)) == 0


def test_a_memos_entries_are_frozen_once_it_grew_by_the_minimum_then_by_the_fraction() -> None:
    memo = FeedUrlMemo(ParsedUrl)
    refreeze = RefreezeOnGrowth(lambda: memo.misses, minimum=10, fraction=0.5)
    first = [memo(f"http://127.0.0.1/{i}") for i in range(9)]
    assert not refreeze()
    assert walked(list(first)) == 9  # grown by less than the minimum: still walked

    first += [memo(f"http://127.0.0.1/{i}") for i in range(9, 100)]
    assert refreeze()
    assert walked(list(first)) == 0

    # Next, half of the 100 derived by that freeze (more than the minimum).
    second = [memo(f"http://127.0.0.2/{i}") for i in range(49)]
    assert not refreeze()
    assert walked(list(second)) == 49
    second.append(memo("http://127.0.0.2/49"))
    assert refreeze()
    assert walked(list(second)) == 0
    assert refreeze.freezes == 2


def test_what_grew_by_the_minimum_is_frozen_once_it_stops_growing() -> None:
    memo = FeedUrlMemo(ParsedUrl)
    refreeze = RefreezeOnGrowth(lambda: memo.misses, minimum=10, fraction=0.5)
    [memo(f"http://127.0.0.1/{i}") for i in range(100)]
    assert refreeze()
    tail = [memo(f"http://127.0.0.2/{i}") for i in range(20)]  # less than half of 100
    assert not refreeze()
    assert refreeze()  # no growth since: the round has ended, what it derived is frozen
    assert walked(list(tail)) == 0

    below_minimum = [memo(f"http://127.0.0.3/{i}") for i in range(9)]
    assert not refreeze()
    assert not refreeze()
    assert walked(list(below_minimum)) == 9


def test_lookups_that_hit_are_no_growth() -> None:
    memo = FeedUrlMemo(ParsedUrl)
    refreeze = RefreezeOnGrowth(lambda: memo.misses, minimum=10)
    for _ in range(5):
        for i in range(9):
            memo(f"http://127.0.0.1/{i}")
    assert not refreeze()


def test_garbage_is_collected_not_frozen_and_frozen_objects_still_die_by_refcount() -> None:
    memo = FeedUrlMemo(ParsedUrl)
    refreeze = RefreezeOnGrowth(lambda: memo.misses, minimum=10)
    cycle = ParsedUrl("a cycle")
    cycle.url = cycle  # type: ignore[assignment]
    cycle_gone = weakref.ref(cycle)
    del cycle
    kept = [memo(f"http://127.0.0.1/{i}") for i in range(10)]
    kept_gone = weakref.ref(kept[0])

    assert refreeze()
    assert cycle_gone() is None  # collected before the freeze, not kept in it
    memo.clear()
    kept.clear()
    assert kept_gone() is None  # frozen, and freed by reference counting all the same


def test_no_freeze_while_the_collector_is_paused() -> None:
    memo = FeedUrlMemo(ParsedUrl)
    refreeze = RefreezeOnGrowth(lambda: memo.misses, minimum=10)
    kept = [memo(f"http://127.0.0.1/{i}") for i in range(10)]
    gc.disable()  # as workers/gc_pause.run does around a big allocation in a thread
    try:
        assert not refreeze()
    finally:
        gc.enable()
    assert walked(list(kept)) == 10
    assert refreeze()  # the next check, with the collector back
    assert refreeze.freezes == 1
    assert walked(list(kept)) == 0


async def test_run_checks_until_cancelled() -> None:
    memo = FeedUrlMemo(ParsedUrl)
    refreeze = RefreezeOnGrowth(lambda: memo.misses, minimum=10)
    checking = asyncio.create_task(refreeze.run(every=0.01))
    kept = [memo(f"http://127.0.0.1/{i}") for i in range(10)]
    for _ in range(500):  # up to 5 s
        await asyncio.sleep(0.01)
        if refreeze.freezes:
            break
    checking.cancel()
    with pytest.raises(asyncio.CancelledError):
        await checking
    assert refreeze.freezes == 1
    assert walked(list(kept)) == 0
