"""A value read at most once per ``ttl`` seconds and shared by every request meanwhile.

Why: some values a request needs cost a Redis round trip or more (the events stream's
newest id, the state of every feed behind a briefing) yet change slowly next to the rate
of requests, so under load one read per window serves them all. When the window ends,
requests go on with the last value while one background read refreshes it (stale while
revalidate, RFC 5861): a refresh queued behind a busy event loop must not stall every
request. That holds for one more window only: a value older than two windows (the last
read came before a quiet spell) is as old as the silence, so callers wait for the
refresh instead. So a value lags its source by at most twice ``ttl`` plus one read.
``ttl <= 0`` reads on every call (read-your-writes, for tests).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class SharedRead(Generic[T]):
    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self._value: T | None = None
        self._at = 0.0  # when the read that gave ``_value`` started
        self._inflight: asyncio.Future[T] | None = None

    async def read(self, fetch: Callable[[], Awaitable[T]], *, now: float) -> T:
        if self.ttl <= 0:
            return await fetch()
        if self._value is not None and now - self._at < self.ttl:
            return self._value
        if self._inflight is None or self._inflight.done():
            # One refresh at a time, however many requests see the value expired.
            self._inflight = asyncio.ensure_future(self._refresh(fetch, now))
        if self._value is not None and now - self._at < 2 * self.ttl:
            return self._value
        return await asyncio.shield(self._inflight)

    async def _refresh(self, fetch: Callable[[], Awaitable[T]], started: float) -> T:
        value = await fetch()
        self._value, self._at = value, started
        return value
