"""APScheduler ticks: claim due feeds and poll them, without ever polling one feed twice.

Every ``scheduler_tick`` seconds a tick claims up to ``claim_batch`` due feeds (atomic
claim in Redis, see service/store/feeds.py) but never more than the free poll slots,
and starts one task per feed. The tick itself never waits for a poll, so a slow feed
does not delay the schedule of others. Jitter lives in the next-poll math
(workers/schedule.py), so restarts do not produce a thundering herd (miniflux #3130).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from service.clock import utcnow
from service.settings import Settings
from service.store import Store
from service.store.feeds import StoredFeed
from workers.fetch_stage import FetchStage, PollReport

log = logging.getLogger(__name__)


class FetchScheduler:
    def __init__(
        self,
        settings: Settings,
        store: Store,
        stage: FetchStage,
        *,
        clock: Callable[[], datetime] = utcnow,
        max_inflight: int | None = None,
    ) -> None:
        self.settings = settings
        self.store = store
        self.stage = stage
        self.clock = clock
        self.max_inflight = max_inflight or settings.max_connections
        self.inflight: set[asyncio.Task[PollReport | None]] = set()
        self._scheduler: AsyncIOScheduler | None = None
        self._tick: asyncio.Task[object] | None = None
        self._stopping = False

    async def tick(self) -> int:
        """Claim what is due and start polling it; returns how many polls started."""
        free = self.max_inflight - len(self.inflight)
        if free <= 0 or self._stopping:
            return 0
        self._tick = asyncio.current_task()
        now = self.clock()
        claimed = await self.store.feeds.claim_due_feeds(
            now=now,
            limit=min(self.settings.claim_batch, free),
            lease_seconds=self.settings.claim_lease,
        )
        for feed_id, stored in claimed:
            task = asyncio.create_task(self._poll(feed_id, stored), name=f"poll:{feed_id}")
            self.inflight.add(task)
            task.add_done_callback(self.inflight.discard)
        return len(claimed)

    async def _poll(self, feed_id: str, feed: StoredFeed | None) -> PollReport | None:
        # ``feed`` is as the claim read it, in the same atomic step: no second read.
        try:
            if feed is None:  # removed while still scheduled
                return None
            now = self.clock()
            if feed.config.paused:
                later = now + timedelta(seconds=feed.config.interval)
                await self.store.redis.zadd(
                    self.store.keys.feeds_due, {feed_id: later.timestamp()}, xx=True
                )
                return None
            report = await self.stage.poll(feed, now=now)
            log.log(
                logging.WARNING if report.error else logging.INFO,
                "polled %s: %s",
                report.url,
                report.outcome,
                extra={
                    "feed": report.url,
                    "feed_id": report.feed_id,
                    "status": report.status,
                    "outcome": report.outcome,
                    "new": report.new,
                    "new_sources": report.new_sources,
                    "duplicates": report.duplicates,
                    "error": report.error,
                },
            )
            return report
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            # The claim lease runs out and the feed is retried; never crash the worker.
            if self._stopping:  # cut short by shutdown: expected, not an error
                log.warning("poll of feed %s interrupted by shutdown: %s", feed_id, exc)
            else:
                log.exception("poll of feed %s failed unexpectedly", feed_id)
            return None

    def start(self) -> None:
        scheduler = AsyncIOScheduler(timezone="UTC")
        scheduler.add_job(
            self.tick,
            "interval",
            seconds=self.settings.scheduler_tick,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
            next_run_time=self.clock(),
            id="fetch-tick",
        )
        scheduler.start()
        self._scheduler = scheduler

    async def stop(self, grace: float = 10.0) -> None:
        """Stop ticking; give in-flight polls ``grace`` seconds, then cancel them
        (their claims expire and another worker takes the feeds)."""
        self._stopping = True
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
            self._scheduler = None
        if self._tick is not None and not self._tick.done():
            # A tick that already claimed feeds starts their polls; let it finish.
            await asyncio.wait({self._tick}, timeout=grace)
        if self.inflight:
            _done, pending = await asyncio.wait(set(self.inflight), timeout=grace)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
