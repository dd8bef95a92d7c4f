"""Fetch scheduling: claim due feeds as fast as polls free up, never polling one feed twice.

A claim loop takes due feeds (atomic claim in Redis, see service/store/feeds.py) whenever
this worker has room for them, so a burst of due feeds drains at the speed the polls
finish, not at a fixed batch per fixed period:

* **capacity**: at most ``max_connections`` polls run at once. When a claim filled every
  free slot, more may be due: once a tenth of the slots are free again (a few claims per
  round of polls, not one round trip per poll), the loop claims again at once. When it
  found fewer due feeds than it had room for, it waits until the next feed falls due: the
  claim returns the schedule's earliest score in the same call (``FeedStore.claim_due``),
  so a feed is claimed within a few milliseconds of its due time without polling Redis
  meanwhile. A feed made due ahead of the whole schedule from outside (added, polled now
  or resumed through the API, an OPML import) wakes the loop at once: its writer publishes
  it and each worker's one subscriber connection sets the loop's wake
  (service/store/feed_wakes.py); a burst of such writes coalesces into the one wake.
  The wait is at most ``scheduler_tick`` seconds, the ceiling for what neither shows: a
  wake-up lost while the subscriber was disconnected, or a schedule another worker's poll
  moved earlier. An idle worker with nothing due soon makes one claim call per ceiling.
  Another worker may claim the awaited feed first; the claim then finds nothing and
  returns the next due time, and the loop waits again.
* **clocks**: scores in ``feeds:due`` are the epoch seconds of the writers' own clocks
  (the workers' polls, the API's ``schedule_now``), and a claim takes what is due by this
  worker's clock, so the wait is computed on that clock too; a score behind it (another
  host's clock behind, or a claim that hit its limit) means no wait.
* **per-host politeness**: the fetcher lets ``per_host_concurrency`` requests per host run
  at once (workers/http_fetch.py); the loop keeps at most twice that many polls per host
  claimed (one round running, the next waiting for a slot), and hands the others back
  (``FeedStore.hand_back``) due as of this claim: behind every feed that was due before
  it, so the next claims reach other hosts' feeds instead of taking the same busy host's
  feeds again, and a host with hundreds of due feeds (one site's feeds imported at once)
  delays nobody else's. A feed is never held, unpolled, by a worker that cannot poll it
  soon, and is not made later than its own host's queue makes it.

A claim is a short lease (``claim_lease``) that a second job renews every third of it
for the polls still running, so a poll may take longer than the lease, and the feeds of
a worker killed mid-poll are due again within about one lease rather than after the
longest poll anyone allowed for. Jitter lives in the next-poll math
(workers/poll_schedule.py), so restarts do not produce a thundering herd (miniflux #3130).

Backpressure: when many feeds fall due at once (a bulk seed whose spread the workers'
start-up overtook, an OPML import, every worker back after an outage), polling them all
at once floods the process stage: a first round of thousands of feeds stores articles
several times faster than one process stage clusters them, and the lag grows. So the claim loop
reads how old the process stage's oldest unacknowledged entry is
(service/store/backlog.py, at most once per ``scheduler_tick``: claims follow each other
closely in a burst); while that is over ``backpressure_lag`` seconds, a claim takes only
feeds due for more than ``backpressure_max_delay`` seconds. The delay is bounded: a
deferred poll runs at most that late, and a process stage that is down (no consumer at
all) only shifts the schedule by it, so feeds keep being polled and nothing rolls out of
a feed's window unseen. Deferred feeds are claimed oldest-due first at the rate they
fell due, which spreads a herd over its own schedule. The fetch side's lag is visible:
``briefing_backpressure_ticks_total`` and the feeds overdue in ``feeds:due``
(bench/soak.py reports the lateness of polls next to the stream lag).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from service.clock import utcnow
from service.feed_url_cache import FeedUrlMemo
from service.metrics import metrics
from service.settings import Settings
from service.store import Store
from service.store.backlog import Backlog
from service.store.connection import REFUSED, write_refusal
from service.store.feed_wakes import FeedWakes
from service.store.feeds import ClaimedFeed, StoredFeed, lease_end
from service.task_cancel import cancel_all_and_wait, cancel_and_wait
from service.task_failures import watch
from workers.fetch_stage import FetchStage, PollReport
from workers.quiet_polls import QuietPolls
from workers.retrying import TRANSIENT, OutageLog, log_retry, redis_outage

log = logging.getLogger(__name__)

# Polls claimed per host, as a multiple of per_host_concurrency: one round running and
# the next waiting for a slot, so a freed slot is refilled without a claim round trip.
HOST_ROUNDS = 2
# A claim after polls finished waits for this share of the slots to be free: a few
# claims per round of polls instead of one Redis round trip per finished poll.
REFILL_SHARE = 0.1
# Most seconds a stop waits for the wake-ups listener to end (it ends at the first
# cancellation that reaches it, one every RECANCEL_EVERY).
LISTENER_STOP = 5.0


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
        self.per_host = settings.per_host_concurrency * HOST_ROUNDS
        self.refill = max(1, int(self.max_inflight * REFILL_SHARE))
        self.inflight: set[asyncio.Task[PollReport | None]] = set()
        # Feed id -> the score its claim (or last renewal) set, while its poll runs.
        self.leases: dict[str, float] = {}
        self.hosts: Counter[str] = Counter()  # polls claimed per host, running or queued
        self._scheduler: AsyncIOScheduler | None = None
        self._tick: asyncio.Task[object] | None = None
        self._loop: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._more_due = False  # the last claim filled every slot it had: more may be due
        # Epoch second (this worker's clock) at which the schedule's earliest feed becomes
        # claimable, as of the last claim; None: nothing scheduled, or no claim answered.
        self._claimable_at: float | None = None
        self._stopping = False
        # Set once the stop no longer waits for a claim under way (its grace is over).
        self._polls_closed = False
        self._holding = False  # under backpressure at the last check
        self._checked_at: float | None = None  # loop time of the last backpressure check
        self._claim_outage = OutageLog(log, "cannot claim due feeds", "claiming due feeds again")
        self.backlog = Backlog(store.redis, store.keys)
        self.quiet = QuietPolls()

    async def tick(self) -> int:
        """Claim what is due, as much as there is room for, and start polling it;
        returns how many polls started."""
        free = self.max_inflight - len(self.inflight)
        if free <= 0 or self._stopping:
            return 0
        self._tick = asyncio.current_task()
        now = self.clock()
        limit = min(self.settings.claim_batch, free)
        try:
            due_by = now
            if await self._behind(now):
                due_by = now - timedelta(seconds=self.settings.backpressure_max_delay)
            taken = await self.store.feeds.claim_due(
                now=now, limit=limit, lease_seconds=self.settings.claim_lease, due_by=due_by
            )
        except (*TRANSIENT, REFUSED) as exc:
            if isinstance(exc, REFUSED) and write_refusal(exc) is None:
                raise
            # Every tick retries; one line per outage, not one per tick. A claim writes
            # (its lease), so a Redis refusing writes stops claims as one that is away.
            self._claim_outage.failed()
            self._more_due = False
            self._claimable_at = None
            return 0
        self._claim_outage.succeeded()
        claimed = taken.feeds
        # Under backpressure the cutoff trails the clock: a feed becomes claimable that
        # much after its due time.
        self._claimable_at = (
            None if taken.next_due is None else taken.next_due + (now - due_by).total_seconds()
        )
        held = lease_end(now, self.settings.claim_lease)
        handed_back: dict[str, tuple[float, float]] = {}
        for claim in claimed:
            host = _host(claim)
            # Handed back: a busy host's feeds, behind the feeds due before; and every
            # feed of a claim that returned past the stop's grace (a Redis slow to
            # answer), whose polls nothing would wait for or renew the claims of.
            if self._polls_closed or (host is not None and self.hosts[host] >= self.per_host):
                handed_back[claim.id] = (held, due_by.timestamp())
                continue
            self._start(claim, host, held)
        if handed_back:
            await self._hand_back(handed_back)
        self._more_due = len(claimed) == limit or bool(handed_back)
        return len(claimed) - len(handed_back)

    def _start(self, claim: ClaimedFeed, host: str | None, held: float) -> None:
        task = asyncio.create_task(self._poll(claim.id, claim.feed), name=f"poll:{claim.id}")
        self.inflight.add(task)
        self.leases[claim.id] = held
        if host is not None:
            self.hosts[host] += 1
        task.add_done_callback(self.inflight.discard)
        task.add_done_callback(functools.partial(self._release, claim.id, host))

    async def _hand_back(self, claims: dict[str, tuple[float, float]]) -> None:
        try:
            await self.store.feeds.hand_back(claims)
        except Exception as exc:  # the claims run out within a lease: polled then
            if redis_outage(exc) is None:
                raise
            # Unreachable, or refusing writes (full, cannot save): one line, no traceback.
            log_retry(log, "could not hand back %d claims", len(claims))

    async def run(self) -> None:
        """Claim as polls free up, until ``stop``: at once while a claim filled every slot
        it had; else when enough slots are free (a claim that filled them), when the
        next feed falls due, or when a writer made a feed due ahead of the schedule (the
        one subscriber connection this loop holds), at most ``scheduler_tick`` seconds
        later."""
        wakes = FeedWakes(self.store.redis, self.store.keys)
        listening = watch(
            asyncio.create_task(wakes.listen(self._wake.set), name="feed-wakes"),
            "feed wake-ups are not heard; a feed made due ahead of its schedule waits up to "
            "BRIEFING_SCHEDULER_TICK for the next claim",
        )
        try:
            await self._claim_until_stopped()
        finally:
            # Cancelled again until it ends: one cancellation can be lost inside
            # redis-py (service/task_cancel.py), and a listener left reading would
            # outlive the stop, holding the event loop's close.
            await cancel_and_wait(listening, within=LISTENER_STOP)

    async def _claim_until_stopped(self) -> None:
        while not self._stopping:
            # Cleared before the claim, not after it: a wake-up that arrives while the
            # claim is under way may be for a feed that claim did not see.
            self._wake.clear()
            started = 0
            try:
                started = await self.tick()
            except Exception:  # never let one bad claim end the loop
                log.exception("claiming due feeds failed unexpectedly")
                self._more_due = False
                self._claimable_at = None  # wait the ceiling, not a stale due time
            if self._stopping:
                return
            free = self.max_inflight - len(self.inflight)
            # Nothing started (every claim handed back to a busy host): wait for a poll
            # to end rather than claim the same feeds again at once.
            if self._more_due and started and free >= min(self.refill, self.settings.claim_batch):
                await asyncio.sleep(0)  # let the polls just started send their requests
                continue
            ceiling = self.settings.scheduler_tick
            if self._more_due or free <= 0:
                wait = ceiling  # more is due: a poll ending wakes the loop (``_release``)
            else:
                wait = idle_wait(self.clock(), self._claimable_at, ceiling)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=wait)

    def _release(self, feed_id: str, host: str | None, _task: object) -> None:
        self.leases.pop(feed_id, None)  # the poll recorded its next poll (or failed)
        if host is not None:
            self.hosts[host] -= 1
            if self.hosts[host] <= 0:
                del self.hosts[host]
        if self._more_due and self.max_inflight - len(self.inflight) >= self.refill:
            self._wake.set()

    async def renew(self) -> int:
        """Extend the claims of the polls still running by one lease; returns how many."""
        held = dict(self.leases)
        if not held:
            return 0
        until = lease_end(self.clock(), self.settings.claim_lease)
        try:
            renewed = await self.store.feeds.renew_claims(held, until=until)
        except Exception as exc:  # the next renewal, a third of a lease later, retries
            if redis_outage(exc) is None:
                raise
            # Unreachable, or refusing writes (full, cannot save): one line, no traceback.
            log_retry(log, "claim renewal failed")
            return 0
        for feed_id in renewed:
            if feed_id in self.leases:  # its poll may have ended meanwhile
                self.leases[feed_id] = until
        return len(renewed)

    async def _behind(self, now: datetime) -> bool:
        """Whether the process stage is more than ``backpressure_lag`` seconds behind
        (the answer of the last check, when it is less than ``scheduler_tick`` old)."""
        threshold = self.settings.backpressure_lag
        if threshold <= 0:
            return False
        checked = asyncio.get_running_loop().time()
        if (
            self._checked_at is not None
            and checked - self._checked_at < self.settings.scheduler_tick
        ):
            return self._holding
        self._checked_at = checked
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
        # ``feed`` is as stored just after its claim (``claim_due`` read it): no read of its own.
        try:
            if feed is None:  # removed while still scheduled
                return None
            now = self.clock()
            if feed.config.paused:
                later = now + timedelta(seconds=feed.config.interval)
                await self.store.feeds.schedule_at(feed_id, later)
                return None
            report = await self.stage.poll(feed, now=now)
            self._log_poll(report)
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
            elif (refusal := write_refusal(exc)) is not None:  # its writes were refused whole
                log.error(
                    "poll of feed %s not stored (Redis %s: %s); polled again when its claim ends",
                    feed_id,
                    refusal,
                    exc,
                )
            else:
                log.exception("poll of feed %s failed unexpectedly", feed_id)
                if feed is not None:
                    await self._record_unexpected(feed, exc)
            return None

    async def _record_unexpected(self, feed: StoredFeed, exc: Exception) -> None:
        # Recorded as the feed's failure (its health says so, its backoff applies);
        # unrecorded, it would be claimed again at every lease, a traceback each time.
        try:
            await self.stage.record_internal_error(feed, exc, now=self.clock())
        except asyncio.CancelledError:
            raise
        except Exception:  # Redis down, say: the lease runs out and the feed is retried
            log.exception("could not record the failed poll of feed %s", feed.id)

    def _log_poll(self, report: PollReport) -> None:
        """One line per poll that found something or failed; polls that found nothing
        new at DEBUG, counted into a summary line (workers/quiet_polls.py)."""
        found = report.new + report.new_sources
        quiet = QuietPolls.is_quiet(report.outcome, report.error, found)
        if quiet:
            summary = self.quiet.add(report.outcome, now=asyncio.get_running_loop().time())
            if summary is not None:
                _log_quiet(*summary)
            if not log.isEnabledFor(logging.DEBUG):
                return
        log.log(
            logging.DEBUG if quiet else logging.WARNING if report.error else logging.INFO,
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

    def start(self) -> asyncio.Task[None]:
        """Start the claim loop and the renewal job on the running event loop; returns
        the claim loop's task (it ends at ``stop``, or with an error)."""
        self._loop = asyncio.create_task(self.run(), name="fetch-claims")
        self._tick = self._loop
        scheduler = AsyncIOScheduler(timezone="UTC")
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
        return self._loop

    async def stop(self, grace: float = 10.0) -> None:
        """Stop claiming; give in-flight polls ``grace`` seconds, then cancel them
        (their claims expire and another worker takes the feeds)."""
        self._stopping = True  # a claim starting from now on returns at once
        self._wake.set()
        if self._tick is not None and not self._tick.done():
            # A claim that already took feeds starts their polls; let it finish first
            # rather than cancel it mid-round-trip (an error in the log, and its feeds
            # would wait out their lease).
            await asyncio.wait({self._tick}, timeout=grace)
        self._polls_closed = True
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
            self._scheduler = None
        if self.inflight:
            # The renewal job stopped with APScheduler: keep the claims of the polls we
            # wait for held, or a lease shorter than the grace would hand them out.
            polls_over = asyncio.Event()
            keeper = asyncio.create_task(self._keep_renewing(polls_over), name="claim-renewal")
            _done, pending = await asyncio.wait(set(self.inflight), timeout=grace)
            # Cancelled until each has ended: a poll that lost its cancellation in a
            # Redis command (service/task_cancel.py) would go on to its fetch and parse.
            await cancel_all_and_wait(pending)
            polls_over.set()
            await asyncio.gather(keeper, return_exceptions=True)
        summary = self.quiet.take(now=asyncio.get_running_loop().time())
        if summary is not None:
            _log_quiet(*summary)

    async def _keep_renewing(self, until: asyncio.Event) -> None:
        """Renew the claims every third of the lease until ``until`` is set.

        Ended by the event, not by cancelling the task: redis-py runs each command in
        ``asyncio.wait_for``, which on Python 3.11 drops a cancellation that arrives as
        the command completes (bpo-42130), and this loop then renewed for good, so a
        stop never returned."""
        while not until.is_set():
            await self.renew()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(until.wait(), self.settings.claim_lease / 3)


def idle_wait(now: datetime, claimable_at: float | None, ceiling: float) -> float:
    """Seconds an idle claim loop waits at ``now``: until ``claimable_at`` (epoch seconds,
    when the schedule's earliest feed can be claimed; None: nothing is scheduled), none
    when that has passed, never more than ``ceiling``."""
    if claimable_at is None:
        return ceiling
    return min(ceiling, max(0.0, claimable_at - now.timestamp()))


def _log_quiet(counts: dict[str, int], seconds: float) -> None:
    log.info(
        "polled %d feeds with nothing new in %.0f s (%s)",
        sum(counts.values()),
        seconds,
        ", ".join(f"{count} {outcome}" for outcome, count in sorted(counts.items())),
        extra={"outcome_counts": counts, "seconds": round(seconds, 1)},
    )


def _host(claim: ClaimedFeed) -> str | None:
    """The host a claimed feed is polled from (the per-host limit's key), if known."""
    if claim.feed is None:
        return None
    return _hostname(claim.feed.state.url or claim.feed.config.url)


def _parse_hostname(url: str) -> str | None:
    try:
        return urlsplit(url).hostname
    except ValueError:  # a malformed URL: its poll fails on its own
        return None


_hostname = FeedUrlMemo(_parse_hostname)  # service/feed_url_cache.py
