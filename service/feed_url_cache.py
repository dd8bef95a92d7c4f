"""What a worker keeps derived from each feed's URL between polls, and how much of it.

A poll derives three things from its feed's URL text: the claim loop's host, httpx's
request URL and aiohttp's ``yarl.URL``, each parsed in Python; each is memoized per URL
text by a ``FeedUrlMemo``. Feeds fall due in the same order round after round, a cyclic
access pattern, and that decides the eviction: a least-recently-used cache smaller than
the cycle evicts every entry just before it is asked for again, so past its bound every
lookup misses (a cliff, not a slope). ``FeedUrlMemo`` evicts an entry chosen at random
instead (random replacement, the usual answer to looping patterns): past the bound the
share of hits falls smoothly with the excess (about 80 % with 10 % more feeds than the
bound, 20 % with twice as many), and URLs no longer polled (removed feeds, redirects
followed once) still leave it in time.

The bound is well above the feeds one worker polls (the scale benchmark runs 20,000), at
about 1.4 KB per feed for the three memos together: about 70 MB at the bound. The entries
live as long as the worker, about four tracked objects a feed, so the worker moves them
out of the garbage collector's walks as they grow (``derived_total``, service/startup_heap.py).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Generic, TypeVar

FEED_URLS_CACHED = 50_000

_derived = 0  # by every memo of the process


def derived_total() -> int:
    """Values every ``FeedUrlMemo`` of the process derived (misses), evicted ones included:
    what the fetch worker's re-freezes follow (service/startup_heap.py)."""
    return _derived


T = TypeVar("T")


class FeedUrlMemo(Generic[T]):
    """``derive(url)`` memoized per URL text, at most ``bound`` entries, a random one
    evicted for a new one when full. Not thread-safe: one event loop calls it. An
    exception from ``derive`` propagates and nothing is kept."""

    def __init__(
        self,
        derive: Callable[[str], T],
        bound: int = FEED_URLS_CACHED,
        *,
        rng: random.Random | None = None,
    ) -> None:
        if bound < 1:
            raise ValueError("bound must be at least 1")
        self.derive = derive
        self.bound = bound
        self.misses = 0  # calls that derived (for tests and diagnosis)
        self._values: dict[str, T] = {}
        self._urls: list[str] = []  # the keys of _values, each in one slot
        self._rng = rng or random.Random()

    def __call__(self, url: str) -> T:
        global _derived
        try:
            return self._values[url]
        except KeyError:
            pass
        value = self.derive(url)
        self.misses += 1
        _derived += 1
        if len(self._urls) < self.bound:
            self._urls.append(url)
        else:  # the new URL takes the slot of a random one
            slot = self._rng.randrange(self.bound)
            del self._values[self._urls[slot]]
            self._urls[slot] = url
        self._values[url] = value
        return value

    def __len__(self) -> int:
        return len(self._urls)

    def clear(self) -> None:
        self._values.clear()
        self._urls.clear()
        self.misses = 0
