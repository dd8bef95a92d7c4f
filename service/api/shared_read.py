"""A value read at most once per ``ttl`` seconds and shared by every request meanwhile.

Why: some values a request needs cost a Redis round trip or more (the events stream's
newest id, the state of every feed behind a briefing) yet change slowly next to the rate
of requests, so under load one read per window serves them all. When the window ends,
requests go on with the last value while one background read refreshes it (stale while
revalidate, RFC 5861): a refresh queued behind a busy event loop must not stall every
request. So a value may lag its source by ``ttl`` plus one read. ``ttl <= 0`` reads on
every call (read-your-writes, for tests).
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
        self._at = 0.0
        self._inflight: asyncio.Future[T] | None = None

    async def read(self, fetch: Callable[[], Awaitable[T]], *, now: float) -> T:
        if self.ttl <= 0:
            return await fetch()
        if self._value is not None and now - self._at < self.ttl:
            return self._value
        if self._inflight is None or self._inflight.done():
            self._at = now  # one refresh per window, however many requests see it expired
            self._inflight = asyncio.ensure_future(self._refresh(fetch))
        if self._value is not None:
            return self._value
        return await asyncio.shield(self._inflight)

    async def _refresh(self, fetch: Callable[[], Awaitable[T]]) -> T:
        value = await fetch()
        self._value = value
        return value
