"""How the feeds behind a briefing are doing, as its page tells readers.

A page that says "No developments yet. This page updates by itself." while every feed
it depends on fails is lying by omission: the reader waits for news that cannot come.
So the page states the feeds' health when something is wrong: all of them failing (with
the latest error, credentials redacted), some failing, or none polled yet.

The feeds of a briefing are those its ``feeds`` filter names (URLs), or every feed when
the filter is empty. Only the first ``MAX_FEEDS`` are read.

Reading them is a Redis page per 500 feeds plus decoding every feed's state, so each
process shares one read per briefing for ``HEALTH_TTL`` seconds (``FeedHealthReads``)
instead of reading on every page view: a feed's health changes at most once per poll
(every ``BRIEFING_DEFAULT_INTERVAL``, 15 minutes by default), so a notice that lags by
seconds tells readers the same thing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from service.api.shared_read import SharedRead
from service.config import BriefingConfig
from service.store import Store
from service.store.feeds import StoredFeed
from service.url_secrets import redact_text

MAX_FEEDS = 1000
_PAGE = 500
HEALTH_TTL = 5.0  # seconds a read of a briefing's feed health is shared
MAX_READS = 1000  # briefings (by id and feeds filter) held; beyond, all are dropped


@dataclass(frozen=True, slots=True)
class FeedHealth:
    total: int
    failing: int  # the last poll failed (or the feed is gone)
    waiting: int  # never polled yet
    last_error: str  # a failing feed's latest error, redacted

    @property
    def notice(self) -> str | None:
        """One sentence for the page, or None when every feed works."""
        if self.total == 0:
            return "No feed is configured for this briefing."
        if self.failing == self.total:
            return f"All {self.total} feeds are failing ({self.last_error}); no news can arrive."
        if self.failing:
            return f"{self.failing} of {self.total} feeds are failing ({self.last_error})."
        if self.waiting == self.total:
            return "The feeds have not been polled yet."
        return None


def of_briefing(briefing: BriefingConfig, feeds: Iterable[StoredFeed]) -> FeedHealth:
    """The health of the feeds ``briefing`` reads (pure)."""
    wanted = {url.casefold() for url in briefing.feeds}
    mine = [f for f in feeds if not wanted or f.config.url.casefold() in wanted]
    failing = [f for f in mine if f.state.consecutive_failures > 0 or f.state.gone]
    waiting = sum(1 for f in mine if f.state.last_attempt is None)
    latest = max(failing, key=_last_attempt, default=None)
    error = redact_text(latest.state.last_error or "gone") if latest is not None else ""
    return FeedHealth(len(mine), len(failing), waiting, error)


def _last_attempt(feed: StoredFeed) -> float:
    return feed.state.last_attempt.timestamp() if feed.state.last_attempt else 0.0


async def briefing_feed_health(store: Store, briefing: BriefingConfig) -> FeedHealth:
    feeds: list[StoredFeed] = []
    cursor: str | None = None
    while len(feeds) < MAX_FEEDS:
        page, cursor = await store.feeds.page(after=cursor, limit=_PAGE)
        feeds.extend(page)
        if cursor is None:
            break
    return of_briefing(briefing, feeds)


class FeedHealthReads:
    """Each briefing's feed health, read at most once per ``ttl`` seconds (SharedRead),
    keyed by its id and feeds filter so that an edited filter is read anew."""

    def __init__(self, ttl: float = HEALTH_TTL) -> None:
        self.ttl = ttl
        self._reads: dict[tuple[str, tuple[str, ...]], SharedRead[FeedHealth]] = {}

    async def read(self, store: Store, briefing: BriefingConfig, *, now: float) -> FeedHealth:
        key = (briefing.id, briefing.feeds)
        shared = self._reads.get(key)
        if shared is None:
            if len(self._reads) >= MAX_READS:  # briefings deleted or edited many times
                self._reads.clear()
            shared = self._reads[key] = SharedRead[FeedHealth](self.ttl)
        return await shared.read(lambda: briefing_feed_health(store, briefing), now=now)
