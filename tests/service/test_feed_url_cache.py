"""The per-URL parse caches keep every feed of a benchmarked worker parsed: feeds fall due
in the same order each round, and an LRU cache smaller than that cycle misses every time."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from service import aiohttp_transport
from service.feed_url_cache import FEED_URLS_CACHED
from workers import claim_loop, poll_request

# The scale benchmark's largest size (bench/ingest.py --copies 131).
BENCHMARKED_FEEDS = 20_043

CACHED: list[Callable[[str], Any]] = [
    claim_loop._hostname,
    poll_request._target,
    aiohttp_transport._yarl_url,
]


@pytest.mark.parametrize("parse", CACHED, ids=lambda fn: fn.__name__)
def test_a_second_round_of_the_benchmarked_feeds_parses_no_url_again(
    parse: Callable[[str], Any],
) -> None:
    urls = [f"http://127.0.0.{i % 100 + 1}:8080/v/{i}/feed.xml" for i in range(BENCHMARKED_FEEDS)]
    parse.cache_clear()  # type: ignore[attr-defined]
    try:
        for url in urls:  # the first round parses each URL once
            parse(url)
        for url in urls:  # the next round, in the same order
            parse(url)
        info = parse.cache_info()  # type: ignore[attr-defined]
        assert (info.hits, info.misses) == (BENCHMARKED_FEEDS, BENCHMARKED_FEEDS)
        assert info.maxsize == FEED_URLS_CACHED
    finally:
        parse.cache_clear()  # type: ignore[attr-defined]
