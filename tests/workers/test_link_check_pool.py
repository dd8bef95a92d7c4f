"""workers.link_check_pool with a real child process: failed scoring backs off and gives
a check up after three failures. The clock is the test's (no waiting on timers)."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.link_scoring import (
    Clock,
    die_on_poison,
    fail_on_bad,
    fail_to_start,
    hang_on_poison,
)
from workers.link_check_pool import (
    LINK_CHECK_DEADLINE,
    MAX_FAILURES,
    ChildBackoff,
    LinkCheckPool,
    Scorer,
)
from workers.link_checks import LinkCheck
from workers.parse_pool import close_all


@pytest.fixture(autouse=True)
def no_pools_left() -> Iterator[None]:
    yield
    close_all()


def checks(*texts: str) -> list[LinkCheck]:
    return [LinkCheck(n, f"st_{n}", text, [("st_x", ["x"])], True) for n, text in enumerate(texts)]


async def settle(pool: LinkCheckPool) -> list[tuple[int, list[float]]]:
    """Every answer of the round in flight (polls until nothing is in flight)."""
    answers: list[tuple[int, list[float]]] = []
    for _ in range(1200):
        answers += pool.answered()
        if pool.idle():
            return answers
        await asyncio.sleep(0.05)
    raise AssertionError("the round never ended")


def test_the_backoff_doubles_to_its_cap_and_a_success_resets_it() -> None:
    backoff = ChildBackoff(first=1.0, cap=60.0)
    assert [backoff.failed(0.0) for _ in range(8)] == [1, 2, 4, 8, 16, 32, 60, 60]
    assert not backoff.ready(59.9) and backoff.ready(60.0)
    backoff.succeeded()
    assert backoff.ready(0.0) and backoff.failed(0.0) == 1.0


async def test_a_child_that_cannot_start_backs_off_and_its_checks_are_given_up(
    tmp_path: Path,
) -> None:
    starts = tmp_path / "starts"
    clock = Clock()
    pool = LinkCheckPool(warm=functools.partial(fail_to_start, starts), clock=clock)
    pending = checks("one", "two", "three")
    try:
        rounds = []
        for at in (0.0, 1.0, 3.0):  # the first failure waits 1 s, the second 2 s
            clock.now = at
            assert pool.ready()
            pool.dispatch(pending)
            rounds.append(await settle(pool))
            # One start per round, not one per check queued behind the failed start.
            assert starts.read_text().count("start") == len(rounds)
            clock.now = at + 0.9
            assert not pool.ready()
            pool.dispatch(pending)
            assert pool.idle()  # nothing started while it backs off
    finally:
        pool.close()
    assert rounds[:2] == [[], []]
    assert rounds[2] == [(0, []), (1, []), (2, [])]  # "not linked" at the third failure
    assert len(rounds) == MAX_FAILURES


async def test_a_check_whose_scoring_raises_is_given_up_and_the_others_are_scored() -> None:
    pool = LinkCheckPool(score=fail_on_bad, warm=None)
    pending = checks("bad", "good")
    try:
        pool.dispatch(pending)
        assert await settle(pool) == [(1, [1.0])]
        pending = pending[:1]
        pool.dispatch(pending)
        assert await settle(pool) == []
        assert pool.ready()  # the child lives: no backoff
        pool.dispatch(pending)
        assert await settle(pool) == [(0, [])]
    finally:
        pool.close()


@pytest.mark.parametrize(
    ("score", "deadline"),
    [(die_on_poison, LINK_CHECK_DEADLINE), (hang_on_poison, 1.0)],
    ids=["dies", "hangs"],
)
async def test_a_check_that_kills_or_hangs_the_child_is_given_up_alone(
    score: Scorer, deadline: float
) -> None:
    """The child dies on one check, or hangs on it until the deadline kills it: only that
    check is charged. The checks queued behind it wait out the backoff uncharged and are
    scored first in the next round; the poison check is answered "not linked" at its
    third failure."""
    clock = Clock()
    pool = LinkCheckPool(deadline=deadline, score=score, warm=None, clock=clock)
    pending = checks("poison", "one", "two", "three")
    rounds = []
    try:
        for _ in range(MAX_FAILURES):
            clock.now = max(clock.now, pool.backoff.retry_at)  # each round once it may
            assert pool.ready()
            pool.dispatch(pending)
            rounds.append(await settle(pool))
            answered = {check_id for check_id, _ in rounds[-1]}
            pending = [c for c in pending if c.id not in answered]
            assert not pool.ready()  # every round killed the child: it backs off
    finally:
        pool.close()
    assert rounds == [[], [(1, [1.0]), (2, [1.0]), (3, [1.0])], [(0, [])]]
    assert pending == []


async def test_a_check_whose_candidates_all_merged_away_is_answered_without_a_child(
    tmp_path: Path,
) -> None:
    starts = tmp_path / "starts"
    pool = LinkCheckPool(warm=functools.partial(fail_to_start, starts), clock=Clock())
    merged_away = LinkCheck(0, "st_new", "text", [("st_new", []), ("st_new", [])], False)
    try:
        pool.dispatch([merged_away])
        assert await settle(pool) == [(0, [-1.0, -1.0])]
    finally:
        pool.close()
    assert not starts.exists()  # no child was started for it


async def test_close_keeps_the_backoff(tmp_path: Path) -> None:
    clock = Clock()
    pool = LinkCheckPool(warm=functools.partial(fail_to_start, tmp_path / "starts"), clock=clock)
    pool.dispatch(checks("one"))
    assert await settle(pool) == []
    pool.close()  # the partition handed over, then held again by this process
    assert not pool.ready()
    clock.now = pool.backoff.retry_at
    assert pool.ready()
