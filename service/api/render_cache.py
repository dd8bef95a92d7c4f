"""A small per-process cache of rendered GET responses (timeline pages, feeds out).

Why: a timeline page costs milliseconds of Redis reads, JSON decoding and rendering,
and most requests ask for the same first page of a few briefings. Why it is correct:
an entry is keyed by the full URL path and query and carries the events stream's newest
id (XREVRANGE COUNT 1, which is also the page's ``watermark``) read before its render,
and the monotonic time that render started (its content is at least that new).

When is an entry answered (``Freshness``):

* **Same version**: no story event since the render. Answered for ``max_age`` seconds;
  older, it is still answered while one background render replaces it (stale while
  revalidate, RFC 5861), so changes that emit no event (a further article from an outlet
  already listed changes the article count, not what clients are told) show within
  ``max_age`` seconds plus one render.
* **Another version**: story events came since the render. Answered as is while younger
  than half of ``staleness``; then, until ``staleness``, answered while one background
  render of the URL replaces it; from ``staleness`` on, never: the request waits for a
  render (joining one that started less than ``staleness`` ago). So a page never answers
  with content read more than ``staleness`` seconds earlier once an event changed it,
  and a URL is rendered about once per ``staleness / 2`` however fast events come. Why:
  while ingesting, story events change the version every few milliseconds; keyed on the
  exact version, nearly every request would render the page (tens of milliseconds of CPU
  on a shared core) and wait for it (docs/design.md, "Render cache").
  ``staleness <= 0`` gives read-your-writes: a new version always waits for its render.

A page whose content has no events version (``UNVERSIONED``: the articles list, which
changes with every article stored) is always treated as of another version: answered
within ``staleness`` only.

The version read is shared for ``VERSION_TTL`` seconds (service/api/shared_read.py), so
a story event is noticed up to twice that much (plus one read) later.

Why one entry per URL, not per (URL, version): the version changes with every story
event, so an entry of an older version would be a dead entry until ``max_entries`` of
them filled the LRU, which with pages of a megabyte or more is hundreds of megabytes
(docs/design.md). So a render replaces the URL's entry, and the cache is bounded in body
bytes (``max_bytes``) as well as entries: odd queries cannot grow memory whatever a page
weighs.
"""

from __future__ import annotations

import asyncio
import enum
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)

MAX_ENTRIES = 512
MAX_BYTES = 64 * 1024 * 1024  # bodies kept, all entries together (docs/operations.md, Sizing)
MAX_AGE = 2.0  # seconds
VERSION_TTL = 0.05  # seconds a read of the events stream's newest id is shared
UNVERSIONED = ""  # the version of a page no version describes: never the same as another


@dataclass(frozen=True, slots=True)
class Rendered:
    version: str  # events stream id read before the render
    at: float  # monotonic seconds when the render started
    body: bytes
    etag: str
    link: str | None = None  # the ``Link`` header of a paged list (service/api/paging.py)


class Freshness(enum.Enum):
    SERVE = "serve"  # answer the entry
    REFRESH = "refresh"  # answer the entry while one render of the URL replaces it
    RENDER = "render"  # wait for a render


@dataclass(slots=True)
class _Flight:
    version: str
    at: float  # monotonic seconds when the render started
    future: asyncio.Future[Rendered]


class RenderCache:
    """Rendered pages by key (the URL; see ``conditional.page_key``), each with the events
    version it was rendered at, least recently used first out."""

    def __init__(
        self,
        *,
        max_entries: int = MAX_ENTRIES,
        max_bytes: int = MAX_BYTES,
        max_age: float = MAX_AGE,
        staleness: float = 0.0,  # the app's: BRIEFING_PAGE_STALENESS (service/settings.py)
    ) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.max_age = max_age
        self.staleness = staleness
        self.bytes = 0  # the bodies held, summed
        self.renders = 0  # renders started (tests check renders are shared)
        self._entries: OrderedDict[str, Rendered] = OrderedDict()
        # The latest render started per key: later requests join it while it is new
        # enough for them (``_joinable``); an older render still running finishes for
        # the requests that wait on it.
        self._inflight: dict[str, _Flight] = {}

    def __len__(self) -> int:
        return len(self._entries)

    def emptied(self) -> RenderCache:
        """A new empty cache with the same bounds (renders still running land in this
        one, not in the new one)."""
        return RenderCache(
            max_entries=self.max_entries,
            max_bytes=self.max_bytes,
            max_age=self.max_age,
            staleness=self.staleness,
        )

    def freshness(self, entry: Rendered | None, version: str, *, now: float) -> Freshness:
        """What a request that read ``version`` at ``now`` gets from ``entry`` (pure)."""
        if entry is None:
            return Freshness.RENDER
        age = now - entry.at
        if version != UNVERSIONED and entry.version == version:
            return Freshness.SERVE if age <= self.max_age else Freshness.REFRESH
        if age < self.staleness / 2:
            return Freshness.SERVE
        return Freshness.REFRESH if age < self.staleness else Freshness.RENDER

    def get(self, key: str, version: str, *, now: float) -> Rendered | None:
        """The key's entry if it is answered as is, without a render."""
        entry = self._entries.get(key)
        if self.freshness(entry, version, now=now) is not Freshness.SERVE:
            return None
        self._entries.move_to_end(key)
        return entry

    def servable(self, key: str, version: str, *, now: float) -> Rendered | None:
        """What ``get_or_render`` would answer at once without starting anything: the
        entry answered as is, or one being replaced by a render already running."""
        entry = self._entries.get(key)
        decision = self.freshness(entry, version, now=now)
        if decision is Freshness.SERVE or (decision is Freshness.REFRESH and self._rendering(key)):
            self._entries.move_to_end(key)
            return entry
        return None

    def _rendering(self, key: str) -> bool:
        flight = self._inflight.get(key)
        return flight is not None and not flight.future.done()

    def _joinable(self, flight: _Flight | None, version: str, now: float) -> bool:
        """Whether a request that read ``version`` at ``now`` may be answered with the
        render ``flight``: it read the same version, or it started less than
        ``staleness`` ago (its content is that new)."""
        return (
            flight is not None
            and not flight.future.done()
            and (
                (version != UNVERSIONED and flight.version == version)
                or now - flight.at < self.staleness
            )
        )

    async def get_or_render(
        self, key: str, version: str, render: Callable[[], Awaitable[Rendered]], *, now: float
    ) -> Rendered:
        """The entry, rendering once however many requests miss at the same time
        (without this, every request that arrives during a render renders too: under
        load a cache expiry turns into a stampede). ``render`` must return a page with
        ``version`` and ``at=now``. See the module docstring for when an entry is
        answered at once while one background render replaces it."""
        entry = self._entries.get(key)
        decision = self.freshness(entry, version, now=now)
        if entry is not None and decision is not Freshness.RENDER:
            self._entries.move_to_end(key)
            if decision is Freshness.REFRESH and not self._rendering(key):
                self._start(key, version, render, now).add_done_callback(_log_failure)
            return entry
        flight = self._inflight.get(key)
        if flight is not None and self._joinable(flight, version, now):
            return await asyncio.shield(flight.future)
        return await asyncio.shield(self._start(key, version, render, now))

    def _start(
        self, key: str, version: str, render: Callable[[], Awaitable[Rendered]], now: float
    ) -> asyncio.Future[Rendered]:
        self.renders += 1
        future = asyncio.ensure_future(self._render(key, render))
        flight = _Flight(version, now, future)
        self._inflight[key] = flight
        future.add_done_callback(lambda _: self._landed(key, flight))
        return future

    def _landed(self, key: str, flight: _Flight) -> None:
        if self._inflight.get(key) is flight:
            del self._inflight[key]

    async def _render(self, key: str, render: Callable[[], Awaitable[Rendered]]) -> Rendered:
        entry = await render()
        self.put(key, entry)
        return entry

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
    # (the page stays served within its bounds; a later request retries).
    if not flight.cancelled() and (exc := flight.exception()) is not None:
        log.warning("page render failed: %r", exc)
