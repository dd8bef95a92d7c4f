"""The per-URL memos keep every feed of a benchmarked worker parsed, and past their bound
they still hit: feeds fall due in the same order each round, and a least-recently-used
cache smaller than that cycle misses every time."""

from __future__ import annotations

import random
from typing import Any

import pytest

from service import aiohttp_transport
from service.feed_url_cache import FEED_URLS_CACHED, FeedUrlMemo, derived_total
from workers import claim_loop, poll_request

# The scale benchmark's largest size (bench/ingest.py --copies 131).
BENCHMARKED_FEEDS = 20_043

MEMOS: list[FeedUrlMemo[Any]] = [
    claim_loop._hostname,
    poll_request._target,
    aiohttp_transport._yarl_url,
]


def feed_urls(count: int) -> list[str]:
    return [f"http://127.0.0.{i % 100 + 1}:8080/v/{i}/feed.xml" for i in range(count)]


def rounds(memo: FeedUrlMemo[Any], urls: list[str], count: int) -> list[int]:
    """The misses of each of ``count`` rounds over ``urls``, in the same order each."""
    misses = []
    for _ in range(count):
        before = memo.misses
        for url in urls:
            memo(url)
        misses.append(memo.misses - before)
    return misses


@pytest.mark.parametrize("memo", MEMOS, ids=lambda memo: memo.derive.__name__)
def test_a_second_round_of_the_benchmarked_feeds_parses_no_url_again(
    memo: FeedUrlMemo[Any],
) -> None:
    memo.clear()
    try:
        assert rounds(memo, feed_urls(BENCHMARKED_FEEDS), 2) == [BENCHMARKED_FEEDS, 0]
        assert memo.bound == FEED_URLS_CACHED
    finally:
        memo.clear()


def test_past_its_bound_a_cyclic_order_still_hits_most_urls() -> None:
    # 10 % more feeds than the bound: an LRU cache misses all of them from the second
    # round on; random replacement keeps most (about 82 % in steady state).
    memo = FeedUrlMemo(str, 1_000, rng=random.Random(7))
    later_rounds = rounds(memo, feed_urls(1_100), 8)[2:]
    assert len(memo) == 1_000
    assert all(misses < 1_100 * 0.3 for misses in later_rounds), later_rounds


def test_urls_no_longer_asked_for_leave_a_full_memo() -> None:
    memo = FeedUrlMemo(str, 100, rng=random.Random(7))
    rounds(memo, feed_urls(100), 1)
    others = [f"http://example.org/{i}" for i in range(100)]
    # The feeds changed: the old URLs are never asked for again, and the new ones take
    # their slots (each miss evicts one at random, so the last old ones linger a while).
    misses = rounds(memo, others, 30)
    assert len(memo) == 100
    assert misses[0] == 100
    assert sum(misses[-10:]) < 100 * 0.1 * 10, misses


def test_a_failed_derivation_propagates_and_keeps_nothing() -> None:
    def derive(url: str) -> str:
        raise ValueError(url)

    memo = FeedUrlMemo(derive, 10)
    with pytest.raises(ValueError):
        memo("http://example.org/")
    assert len(memo) == 0


def test_the_process_total_counts_every_memos_derivations_evicted_ones_included() -> None:
    first, second = FeedUrlMemo(str.upper, bound=2), FeedUrlMemo(str.lower)
    before = derived_total()
    for url in feed_urls(3) * 2:
        first(url)  # bound 2, 3 URLs: some lookups of the second pass derive again
    second("http://127.0.0.1/a")
    second("http://127.0.0.1/a")
    assert derived_total() - before == first.misses + second.misses
    assert first.misses > 3
