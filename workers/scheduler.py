"""APScheduler ticks: claim due feeds and poll them, without ever polling one feed twice.

Every ``scheduler_tick`` seconds a tick claims up to ``claim_batch`` due feeds (atomic
claim in Redis, see service/store/feeds.py) but never more than the free poll slots,
and starts one task per feed. The tick itself never waits for a poll, so a slow feed
does not delay the schedule of others. A claim is a short lease (``claim_lease``) that a
second job renews every third of it for the polls still running, so a poll may take
longer than the lease, and the feeds of a worker killed mid-poll are due again within
about one lease rather than after the longest poll anyone allowed for. Jitter lives in
the next-poll math (workers/schedule.py), so restarts do not produce a thundering herd
(miniflux #3130).

Backpressure: when many feeds fall due at once (a bulk seed whose spread the workers'
start-up overtook, an OPML import, every worker back after an outage), polling them all
at once floods the process stage: the soak's first round (docs/benchmarks.md, Soak run
F) stored 750 articles/s for 10 s, and the stream lag reached 11 s. So each tick first
reads how old the process stage's oldest unacknowledged entry is
(service/store/backlog.py); while that is over ``backpressure_lag`` seconds, the tick
claims only feeds due for more than ``backpressure_max_delay`` seconds. The delay is
bounded: a deferred poll runs at most that late, and a process stage that is down (no
consumer at all) only shifts the schedule by it, so feeds keep being polled and nothing
rolls out of a feed's window unseen. Deferred feeds are claimed oldest-due first at the
rate they fell due, which spreads a herd over its own schedule. The fetch side's lag is
visible: ``briefing_backpressure_ticks_total`` and the feeds overdue in ``feeds:due``
(bench/soak.py reports the lateness of polls next to the stream lag).
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from service.clock import utcnow
from service.metrics import metrics
from service.settings import Settings
from service.store import Store
from service.store.backlog import Backlog
from service.store.feeds import StoredFeed, lease_end
from workers.fetch_stage import FetchStage, PollReport
from workers.retrying import TRANSIENT

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
        # Feed id -> the score its claim (or last renewal) set, while its poll runs.
        self.leases: dict[str, float] = {}
        self._scheduler: AsyncIOScheduler | None = None
        self._tick: asyncio.Task[object] | None = None
        self._stopping = False
        self._holding = False  # under backpressure at the last tick
        self._redis_away = False  # the last tick could not reach Redis
        self.backlog = Backlog(store.redis, store.keys)

    async def tick(self) -> int:
        """Claim what is due and start polling it; returns how many polls started."""
        free = self.max_inflight - len(self.inflight)
        if free <= 0 or self._stopping:
            return 0
        self._tick = asyncio.current_task()
        now = self.clock()
        try:
            due_by = now
            if await self._behind(now):
                due_by = now - timedelta(seconds=self.settings.backpressure_max_delay)
            claimed = await self.store.feeds.claim_due_feeds(
                now=now,
                limit=min(self.settings.claim_batch, free),
                lease_seconds=self.settings.claim_lease,
                due_by=due_by,
            )
        except TRANSIENT as exc:
            # Every tick retries; one line per outage, not one per tick.
            if not self._redis_away:
                self._redis_away = True
                log.warning("cannot claim due feeds (Redis unavailable: %s); retrying", exc)
            return 0
        if self._redis_away:
            self._redis_away = False
            log.info("claiming due feeds again")
        held = lease_end(now, self.settings.claim_lease)
        for feed_id, stored in claimed:
            task = asyncio.create_task(self._poll(feed_id, stored), name=f"poll:{feed_id}")
            self.inflight.add(task)
            self.leases[feed_id] = held
            task.add_done_callback(self.inflight.discard)
            task.add_done_callback(functools.partial(self._release, feed_id))
        return len(claimed)

    def _release(self, feed_id: str, _task: object) -> None:
        self.leases.pop(feed_id, None)  # the poll recorded its next poll (or failed)

    async def renew(self) -> int:
        """Extend the claims of the polls still running by one lease; returns how many."""
        held = dict(self.leases)
        if not held:
            return 0
        until = lease_end(self.clock(), self.settings.claim_lease)
        try:
            renewed = await self.store.feeds.renew_claims(held, until=until)
        except TRANSIENT as exc:  # the next renewal, a third of a lease later, retries
            log.warning("claim renewal failed (Redis unavailable: %s)", exc)
            return 0
        for feed_id in renewed:
            if feed_id in self.leases:  # its poll may have ended meanwhile
                self.leases[feed_id] = until
        return len(renewed)

    async def _behind(self, now: datetime) -> bool:
        """Whether the process stage is more than ``backpressure_lag`` seconds behind."""
        threshold = self.settings.backpressure_lag
        if threshold <= 0:
            return False
        age = await self.backlog.entries_age(now_ms=int(now.timestamp() * 1000))
        behind = age > threshold
        if behind != self._holding:
            self._holding = behind
            if behind:
                log.info(
                    "process stage %.1f s behind: deferring polls by up to %g s",
                    age,
                    self.settings.backpressure_max_delay,
                )
            else:
                log.info("process stage caught up: polling on schedule")
        if behind:
            metrics.inc("briefing_backpressure_ticks_total")
        return behind

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
            elif isinstance(exc, TRANSIENT):  # Redis restarting: nothing is lost
                log.warning(
                    "poll of feed %s cut short (Redis unavailable: %s); polled again "
                    "when its claim ends",
                    feed_id,
                    exc,
                )
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
        scheduler.add_job(
            self.renew,
            "interval",
            seconds=self.settings.claim_lease / 3,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
            id="claim-renewal",
        )
        scheduler.start()
        self._scheduler = scheduler

    async def stop(self, grace: float = 10.0) -> None:
        """Stop ticking; give in-flight polls ``grace`` seconds, then cancel them
        (their claims expire and another worker takes the feeds)."""
        self._stopping = True  # a tick starting from now on returns at once
        if self._tick is not None and not self._tick.done():
            # A tick that already claimed feeds starts their polls; let it finish first:
            # APScheduler's AsyncIOExecutor.shutdown cancels the job tasks still running
            # (soak run G4: a tick cancelled mid-round-trip, logged as an error).
            await asyncio.wait({self._tick}, timeout=grace)
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
            self._scheduler = None
        if self.inflight:
            # The renewal job stopped with APScheduler: keep the claims of the polls we
            # wait for held, or a lease shorter than the grace would hand them out.
            keeper = asyncio.create_task(self._keep_renewing(), name="claim-renewal")
            _done, pending = await asyncio.wait(set(self.inflight), timeout=grace)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
            keeper.cancel()
            await asyncio.gather(keeper, return_exceptions=True)

    async def _keep_renewing(self) -> None:
        while True:
            await self.renew()
            await asyncio.sleep(self.settings.claim_lease / 3)
