"""A small per-process cache of rendered GET responses (timeline pages, feeds out).

Why: a timeline page costs milliseconds of Redis reads, JSON decoding and rendering,
and most requests ask for the same first page of a few briefings. Why it is correct:
an entry is keyed by the full URL path and query, and is used only while the events
stream's newest id (XREVRANGE COUNT 1, which is also the page's ``watermark``) is what
it was when the entry was rendered, so every story event makes the reads after it
fresh. VersionClock shares that read for ``VERSION_TTL`` seconds. Changes that emit no
event (a further article from an outlet already listed changes the article count, not
what clients are told) show within ``max_age`` seconds plus one render: a page of the
current version older than that is still answered while one background render
replaces it (stale while revalidate, as RFC 5861 names it), because under load a
render takes tens of milliseconds of wall time that every request for the page would
wait out (docs/design.md).

Why one entry per URL, not per (URL, version): the version changes with every story
event, so an entry of an older version can never be served again. Keyed by version,
every event would leave its pages behind as dead entries until ``max_entries`` of them
filled the LRU, which with pages of a megabyte or more is hundreds of megabytes
(docs/design.md). So a render of a new version replaces the URL's entry, and the cache is
bounded in body bytes (``max_bytes``) as well as entries: odd queries cannot grow memory
whatever a page weighs.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)

MAX_ENTRIES = 512
MAX_BYTES = 64 * 1024 * 1024  # bodies kept, all entries together (docs/operations.md, Sizing)
MAX_AGE = 2.0  # seconds
VERSION_TTL = 0.05  # seconds a read of the events stream's newest id is shared


@dataclass(frozen=True, slots=True)
class Rendered:
    version: str  # events stream id when rendered
    at: float  # monotonic seconds
    body: bytes
    etag: str


class RenderCache:
    """Rendered pages by key (the URL; see ``conditional.page_key``), each with the events
    version it was rendered at, least recently used first out."""

    def __init__(
        self,
        *,
        max_entries: int = MAX_ENTRIES,
        max_bytes: int = MAX_BYTES,
        max_age: float = MAX_AGE,
    ) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.max_age = max_age
        self.bytes = 0  # the bodies held, summed
        self._entries: OrderedDict[str, Rendered] = OrderedDict()
        # Renders run per (key, version): a request that read a newer version never waits
        # for, nor is answered with, a render of an older one.
        self._inflight: dict[tuple[str, str], asyncio.Future[Rendered]] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: str, version: str, *, now: float) -> Rendered | None:
        entry = self._entries.get(key)
        if entry is None or entry.version != version or now - entry.at > self.max_age:
            return None
        self._entries.move_to_end(key)
        return entry

    def servable(self, key: str, version: str, *, now: float) -> Rendered | None:
        """What ``get_or_render`` would answer at once without starting anything: the
        fresh entry, or an older one of the same version while its re-render runs."""
        entry = self.get(key, version, now=now)
        if entry is not None:
            return entry
        entry = self._entries.get(key)
        if entry is not None and entry.version == version and self._rendering(key, version):
            return entry
        return None

    def _rendering(self, key: str, version: str) -> bool:
        flight = self._inflight.get((key, version))
        return flight is not None and not flight.done()

    async def get_or_render(
        self, key: str, version: str, render: Callable[[], Awaitable[Rendered]], *, now: float
    ) -> Rendered:
        """The entry, rendering it once however many requests miss at the same time
        (without this, every request that arrives during a render renders too: under
        load a cache expiry turns into a stampede). An entry of this version older than
        ``max_age`` is answered at once while one background render replaces it."""
        entry = self._entries.get(key)
        if entry is not None and entry.version == version:
            self._entries.move_to_end(key)
            if now - entry.at > self.max_age and not self._rendering(key, version):
                self._flight(key, version, render).add_done_callback(_log_failure)
            return entry
        return await asyncio.shield(self._flight(key, version, render))

    def _flight(
        self, key: str, version: str, render: Callable[[], Awaitable[Rendered]]
    ) -> asyncio.Future[Rendered]:
        flight = self._inflight.get((key, version))
        if flight is None or flight.done():
            flight = asyncio.ensure_future(self._render(key, version, render))
            self._inflight[(key, version)] = flight
        return flight

    async def _render(
        self, key: str, version: str, render: Callable[[], Awaitable[Rendered]]
    ) -> Rendered:
        try:
            entry = await render()
            self.put(key, entry)
            return entry
        finally:
            self._inflight.pop((key, version), None)

    def put(self, key: str, entry: Rendered) -> None:
        """Keep ``entry`` as the key's page, replacing the one there (whatever its version)
        unless that one's render started later: renders of two versions may finish out of
        order, and the later read of the version is the newer page."""
        old = self._entries.get(key)
        if old is not None and old.at > entry.at:
            return
        if old is not None:
            del self._entries[key]
            self.bytes -= len(old.body)
        if len(entry.body) > self.max_bytes:
            return  # served to its requests, not kept: it would evict everything else
        self._entries[key] = entry
        self.bytes += len(entry.body)
        while len(self._entries) > self.max_entries or self.bytes > self.max_bytes:
            _, evicted = self._entries.popitem(last=False)
            self.bytes -= len(evicted.body)


def _log_failure(flight: asyncio.Future[Rendered]) -> None:
    # A background re-render has no waiter to get its exception, so it is logged here
    # (the page of the same version stays served; a later request retries).
    if not flight.cancelled() and (exc := flight.exception()) is not None:
        log.warning("page render failed: %r", exc)


class VersionClock:
    """The events stream's newest id, read from Redis at most once per ``ttl`` seconds.

    Why: one Redis round trip costs more than serving a cached page, so under load the
    version is shared by the requests of a ``ttl`` window. When it expires, requests go
    on with the last value while one background read refreshes it (stale while
    revalidate): a refresh queued behind a busy event loop must not stall every request.
    So a page may lag Redis by ``ttl`` plus one read; the live stream is the low-latency
    path. ``ttl <= 0`` reads Redis on every call (read-your-writes, for tests).
    """

    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self._value: str | None = None
        self._at = 0.0
        self._inflight: asyncio.Future[str] | None = None

    async def read(self, fetch: Callable[[], Awaitable[str]], *, now: float) -> str:
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

    async def _refresh(self, fetch: Callable[[], Awaitable[str]]) -> str:
        value = await fetch()
        self._value = value
        return value
