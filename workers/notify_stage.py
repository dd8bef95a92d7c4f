"""The notify stage: from the events stream to signed webhook deliveries.

    events stream (group "notify") ──► match subscriptions (filters; the type each
        receives it as) ──► enqueue one delivery per match, due now (idempotent ids)
        ──► XACK
    wh:due ──► claim, leased, at most the free slots of each endpoint ──► sign (Standard
        Webhooks) ──► POST (workers/webhook_post.py) ──► decide (service/webhooks/schedule.py)
        ──► record: done, or rescheduled in the endpoint's due set; 410 or five days of
        failures disable the subscription

Both halves run in every notifier process and any number of notifiers can run: the
consumer group shares the events, the leased claims share the deliveries. A restart
loses nothing (retry state is in Redis; an unacknowledged event is read again; a
claimed delivery whose worker died is due again when its lease ends) and nothing is
sent twice at the same time (a claim is exclusive until its lease ends, and the lease
outlasts the attempt's timeout).

Time comes from ``clock`` (injected in tests, so a retry five hours out is a clock
step, not a sleep) and randomness for jitter from ``rng``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from service.clock import utcnow
from service.metrics import metrics
from service.settings import Settings
from service.store import Store, codec
from service.store.deliveries import (
    EXPIRED_BODY,
    AttemptRecord,
    Claim,
    Completion,
    DeliveryStore,
    NewEvent,
    Outcome,
    body_id_for,
)
from service.store.event_payloads import payloads
from service.store.events import EventEntry
from service.store.keys import EVENTS_GROUP
from service.store.streams import StreamConsumer
from service.store.subscriptions import Subscription, SubscriptionStore
from service.task_cancel import cancel_all_before_leaving
from service.webhooks import signing
from service.webhooks.filters import delivered_as, received_as
from service.webhooks.payload import build_body
from service.webhooks.schedule import decide, should_disable
from service.webhooks.secretbox import SecretBox, load_secret_box
from workers.retrying import OutageLog, log_retry, redis_outage
from workers.webhook_post import AttemptResult, WebhookSender

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]

LEASE_MARGIN_SECONDS = 30.0
RECORD_BATCH = 500
# Bodies of the latest events claimed, kept in memory: an event's deliveries (one per
# matching subscription) are claimed in the same few batches. A body is stored once per
# event and type sent (SET NX) and never changes, so a copy read from Redis is never
# stale; the copy the fan-out built is not cached, because a re-read event may have lost
# that race.
BODY_CACHE_EVENTS = 2048


class BodyCache:
    """Body id -> body, the ``size`` most recently stored (insertion order, FIFO)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: dict[str, bytes] = {}

    def get(self, body_id: str) -> bytes | None:
        return self._items.get(body_id)

    def put(self, body_id: str, body: bytes) -> None:
        self._items[body_id] = body
        while len(self._items) > self.size:
            del self._items[next(iter(self._items))]


@dataclass(frozen=True, slots=True)
class NotifyConfig:
    timeout: float = 15.0
    per_endpoint: int = 4
    allow_private: bool = False
    jitter: float = 0.1
    max_in_flight: int = 512  # attempts running at once in one process
    claim_batch: int = 256
    read_count: int = 100  # events per XREADGROUP
    poll_seconds: float = 0.25  # look at the due set at least this often when idle
    retention_seconds: int = 30 * 86_400
    user_agent: str = "LiveBriefing-Webhooks/0.1"

    @property
    def lease_seconds(self) -> float:
        """A claim outlasts the attempt it is for: no second worker starts meanwhile."""
        return self.timeout + LEASE_MARGIN_SECONDS

    @classmethod
    def from_settings(cls, settings: Settings) -> NotifyConfig:
        return cls(
            timeout=settings.webhook_timeout,
            per_endpoint=settings.webhook_concurrency_per_endpoint,
            allow_private=settings.allow_private_targets,
            jitter=settings.jitter,
            retention_seconds=settings.retention_days * 86_400,
            user_agent=settings.user_agent,
        )


class NotifyStage:
    def __init__(
        self,
        store: Store,
        box: SecretBox,
        config: NotifyConfig,
        *,
        consumer_name: str,
        clock: Clock = utcnow,
        rng: Callable[[], float] = random.random,
        sender: WebhookSender | None = None,
    ) -> None:
        self.config = config
        self.store = store
        self.clock = clock
        self.rng = rng
        self.subscriptions = SubscriptionStore(store.redis, store.keys, box)
        self.deliveries = DeliveryStore(
            store.redis, store.keys, retention_seconds=config.retention_seconds
        )
        self.consumer = StreamConsumer(
            store.redis, store.keys.events_stream, EVENTS_GROUP, consumer_name
        )
        self.sender = sender or WebhookSender(
            timeout=config.timeout,
            max_connections=config.max_in_flight,
            allow_private=config.allow_private,
            user_agent=config.user_agent,
        )
        self._subs: dict[str, Subscription] = {}
        self._subs_version = -1
        self._keys: dict[str, bytes] = {}  # encrypted secret -> HMAC key
        self._in_flight: Counter[str] = Counter()
        self._tasks: set[asyncio.Task[None]] = set()
        self._wake = asyncio.Event()
        self._outcomes: list[tuple[Outcome, asyncio.Future[Completion]]] = []
        self._recorder: asyncio.Task[None] | None = None
        self._bodies = BodyCache(BODY_CACHE_EVENTS)

    # --- events -> deliveries -----------------------------------------------------------
    async def fan_out_once(self, *, block_ms: int | None = 1000) -> int:
        """Read one batch of events, queue their deliveries, acknowledge. Returns events read.

        Each event is decoded and matched once, and encoded once per type it is sent as
        (a merge goes as ``story.merged`` to subscriptions that take it, as
        ``story.updated`` to those that take only that: filters.delivered_as), whatever
        the number of subscriptions; the batch's stories are read in one round trip and
        its deliveries queued in another.
        """
        messages = await self.consumer.read(count=self.config.read_count, block_ms=block_ms)
        if not messages:
            return 0
        active = [s for s in (await self._current_subscriptions()).values() if s.active]
        now = self.clock()
        entries: list[EventEntry] = []
        for event_id, fields in messages:
            entry = EventEntry.parse(event_id, fields)
            if entry is None:
                log.warning("event %s has malformed data; skipped", event_id)
            elif any(delivered_as(s.events, entry.type) for s in active):
                entries.append(entry)
        # Story events are references: one MGET loads the stories the batch names, as
        # they are now. The body built from them is stored once per event and type sent
        # (SET NX in DeliveryStore.enqueue), so every retry sends the same bytes even if
        # the story changes later, and a re-read event cannot replace a body already
        # stored.
        found = await payloads(self.store.redis, self.store.keys, entries)
        batch: list[NewEvent] = []
        for entry in entries:
            payload = found.get(entry.id)
            if payload is None:
                # Pruned by retention before the notifier read the event, or a stale id:
                # there is no story to describe. Recorded, not delivered (docs/webhooks.md).
                log.warning(
                    "event %s: story %s no longer exists; no webhook sent",
                    entry.id,
                    entry.story_id,
                    extra={"event_id": entry.id, "story_id": entry.story_id},
                )
                metrics.inc("briefing_events_skipped_total", reason="story_missing")
                continue
            data = payload.data
            targets: dict[str, list[str]] = {}  # type sent as -> subscriptions
            for sub in active:
                sent_as = received_as(sub.events, sub.filters, entry.type, data)
                if sent_as is not None:
                    targets.setdefault(sent_as, []).append(sub.id)
            occurred = entry.occurred_at or codec.iso(now) or ""
            for sent_as, sub_ids in targets.items():
                body = build_body(entry.id, sent_as, occurred, data)
                body_id = body_id_for(entry.id, entry.type, sent_as)
                batch.append(NewEvent(entry.id, sent_as, body, sub_ids, body_id))
        if batch:
            await self.deliveries.enqueue_many(batch, now=now)
        await self.consumer.ack(*(event_id for event_id, _ in messages))
        self._wake.set()
        return len(messages)

    # --- deliveries -> attempts ---------------------------------------------------------
    async def deliver_due_once(self) -> int:
        """Claim what is due (within free capacity) and start the attempts. Returns claims."""
        free = self.config.max_in_flight - len(self._tasks)
        if free <= 0:
            return 0
        caps = {
            sub_id: max(self.config.per_endpoint - n, 0)
            for sub_id, n in self._in_flight.items()
            if n > 0
        }
        now = self.clock()
        claims = await self.deliveries.claim(
            now=now,
            lease_seconds=self.config.lease_seconds,
            budget=min(free, self.config.claim_batch),
            default_cap=self.config.per_endpoint,
            caps=caps,
        )
        if not claims:
            return 0
        subs = await self._current_subscriptions()
        bodies = await self._load_bodies(claims)
        deleted: set[str] = set()
        unsent: list[Outcome] = []  # finished without a request: record or body gone
        expired = 0
        for claim in claims:
            sub = subs.get(claim.subscription_id)
            body = bodies.get(claim.body_id) if claim.body_id is not None else None
            if sub is None:
                deleted.add(claim.subscription_id)
            elif claim.event_id is None:
                # Its record was evicted: nothing to send or mark, and finishing the claim
                # takes it off the queue (where it would come due at every lease's end).
                log.warning(
                    "delivery %s to %s: its record is gone; dropped from the queue",
                    claim.delivery_id,
                    claim.subscription_id,
                )
                unsent.append(Outcome.expired(claim, now=now))
            elif body is None:
                log.warning(
                    "delivery %s to %s: %s; marked failed",
                    claim.delivery_id,
                    claim.subscription_id,
                    EXPIRED_BODY,
                )
                unsent.append(Outcome.expired(claim, now=now))
                expired += 1
            elif not sub.active:
                await self.deliveries.park(claim, now=now)
            else:
                self._start(claim, sub, body)
        await self.deliveries.complete_many(unsent)
        if expired:
            metrics.inc("briefing_deliveries_total", expired, outcome="expired")
        # A delivery of a deleted subscription was queued by a fan-out that read the
        # subscriptions just before the delete: what it wrote (the delivery, and the log
        # and queue it made again) goes as the delete removed the rest.
        for sub_id in deleted:
            await self.subscriptions.delete(sub_id)
        return len(claims)

    async def _load_bodies(self, claims: list[Claim]) -> dict[str, bytes]:
        """Bodies by body id: from the in-process cache, the rest in one MGET. Only bodies
        the claim found still stored: a cached copy outlives the stored body."""
        found: dict[str, bytes] = {}
        missing: set[str] = set()
        for claim in claims:
            body_id = claim.body_id
            if body_id is None or not claim.body_stored or body_id in found:
                continue
            body = self._bodies.get(body_id)
            if body is None:
                missing.add(body_id)
            else:
                found[body_id] = body
        if missing:
            fetched = await self.deliveries.bodies(missing)
            for body_id, body in fetched.items():
                self._bodies.put(body_id, body)
            found.update(fetched)
        return found

    async def drain(self) -> None:
        """Wait for every started attempt to finish (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def _start(self, claim: Claim, sub: Subscription, body: bytes) -> None:
        self._in_flight[sub.id] += 1
        task = asyncio.create_task(self._attempt(claim, sub, body))
        self._tasks.add(task)
        task.add_done_callback(lambda t: self._finished(t, sub.id))

    def _finished(self, task: asyncio.Task[None], sub_id: str) -> None:
        self._tasks.discard(task)
        self._in_flight[sub_id] -= 1
        if self._in_flight[sub_id] <= 0:
            del self._in_flight[sub_id]
        self._wake.set()

    async def _attempt(self, claim: Claim, sub: Subscription, body: bytes) -> None:
        delivery_id = claim.delivery_id
        stored = False  # the outcome: a failure after it leaves the delivery done
        try:
            now = self.clock()
            timestamp = int(now.timestamp())
            try:
                keys = [self._hmac_key(token) for token in sub.secret_tokens(now=now)]
            except ValueError as exc:  # a secret encrypted under another BRIEFING_SECRET_KEY
                # Nothing can be signed: a failed attempt, recorded and scheduled like any
                # other (the subscription shows the error), rather than a crash retried
                # at every lease's end without a trace.
                result = AttemptResult(None, 0.0, f"cannot sign the delivery: {exc}")
            else:
                headers = signing.headers(delivery_id, timestamp, body, keys)
                result = await self.sender.send(sub.url, headers, body, now=now)
            done = self.clock()
            attempts_made = claim.attempts + 1
            decision = decide(
                result.status,
                attempts_made=attempts_made,
                now=done,
                jitter_unit=self.rng(),
                retry_after=result.retry_after,
                jitter=self.config.jitter,
            )
            metrics.inc("briefing_deliveries_total", outcome=decision.outcome)
            completion = await self._record(
                Outcome(
                    claim,
                    decision.outcome,
                    attempts_made,
                    decision.next_attempt,
                    AttemptRecord(now, result.status, result.latency_ms, result.error),
                )
            )
            stored = completion.applied
            if not completion.applied:
                log.warning("delivery %s: lease lost before the result was saved", delivery_id)
            elif decision.outcome == "gone":
                await self.subscriptions.disable(
                    sub.id, reason="the endpoint answered 410 Gone", now=done
                )
            elif decision.outcome != "succeeded" and should_disable(
                completion.failing_since, now=done
            ):
                since = codec.iso(completion.failing_since)
                await self.subscriptions.disable(
                    sub.id, reason=f"every delivery failed since {since}", now=done
                )
        except Exception as exc:
            # Before the outcome is stored, the claim stays leased and becomes due again
            # when the lease ends. After it, only disabling the subscription failed: the
            # next failed delivery decides it again.
            if redis_outage(exc) is None:
                log.exception("delivery %s to %s crashed", delivery_id, sub.id)
            elif stored:  # Redis away or refusing writes: no defect, one line, no traceback
                log_retry(
                    log,
                    "delivery %s to %s: outcome stored; subscription not disabled, "
                    "decided again at its next failed delivery",
                    delivery_id,
                    sub.id,
                )
            else:
                log_retry(
                    log,
                    "delivery %s to %s: outcome not stored; due again when its lease ends",
                    delivery_id,
                    sub.id,
                )

    async def _record(self, outcome: Outcome) -> Completion:
        """Queue an outcome for the single recorder: one pipeline per burst of results.

        Recording one by one would take a Redis connection per running attempt (hundreds)
        and a round trip each; batching keeps it to one connection and few round trips.
        """
        done: asyncio.Future[Completion] = asyncio.get_running_loop().create_future()
        self._outcomes.append((outcome, done))
        if self._recorder is None or self._recorder.done():
            self._recorder = asyncio.create_task(self._record_pending())
        return await done

    async def _record_pending(self) -> None:
        while self._outcomes:
            batch = self._outcomes[:RECORD_BATCH]
            del self._outcomes[:RECORD_BATCH]
            try:
                results = await self.deliveries.complete_many([o for o, _ in batch])
            except Exception as exc:
                for _, done in batch:
                    if not done.done():
                        done.set_exception(exc)
                continue
            for (_, done), result in zip(batch, results, strict=True):
                if not done.done():
                    done.set_result(result)

    def _hmac_key(self, token: str) -> bytes:
        key = self._keys.get(token)
        if key is None:
            key = signing.secret_key(self.subscriptions.box.decrypt(token))
            self._keys[token] = key
        return key

    async def _current_subscriptions(self) -> dict[str, Subscription]:
        version = await self.subscriptions.version()
        if version != self._subs_version:
            self._subs = {s.id: s for s in await self.subscriptions.all()}
            self._subs_version = version
            live = {t for s in self._subs.values() for t in (s.secret_token, s.old_secret_token)}
            self._keys = {t: k for t, k in self._keys.items() if t in live}
        return self._subs

    # --- loops ----------------------------------------------------------------------------
    async def run(self, stop: asyncio.Event) -> None:
        """Both halves until ``stop`` is set; then let running attempts finish (bounded)."""
        loops = [
            asyncio.create_task(self._fan_out_loop(stop), name="notify-fan-out"),
            asyncio.create_task(self._delivery_loop(stop), name="notify-deliveries"),
        ]
        # aclose runs however this ends: cancelled before its stop (the event loop's
        # shutdown) or while its loops end, the stage still ends the attempts it started.
        try:
            try:
                await stop.wait()
            finally:
                self._wake.set()
                # Cancelled until they have ended, even if this stage is being cancelled
                # (the worker's stage grace run out): a cancellation lost in a Redis
                # command (service/task_cancel.py) would leave a loop to finish its round
                # first, or running unsupervised.
                await cancel_all_before_leaving(loops)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.config.timeout + 1):
                    await self.drain()
        finally:
            await self.aclose()

    async def aclose(self) -> None:
        """Abandon running attempts (their leases run out: redelivered later), flush the
        results already queued, close the HTTP connections."""
        # An attempt that lost its cancellation in a Redis command would go on to its
        # webhook POST (up to ``timeout``): cancelled again until it has ended, even if
        # this stage is being cancelled. The connections are closed all the same when
        # this stage's cancellation is raised here or interrupts the recorder's flush.
        try:
            await cancel_all_before_leaving(list(self._tasks))
            if self._recorder is not None:
                await asyncio.gather(self._recorder, return_exceptions=True)
        finally:
            await self.sender.aclose()

    # Both loops retry every second while Redis is away or full: one line each way.
    async def _fan_out_loop(self, stop: asyncio.Event) -> None:
        outage = OutageLog(log, "notify fan-out failed; retrying in 1 s", "notify fan-out again")
        grouped = False
        while not stop.is_set():
            try:
                # The consumer group is made here, not before the loops start: a Redis
                # away or refusing writes as the worker starts is retried like any read.
                if not grouped:
                    await self.consumer.ensure_group()
                    grouped = True
                await self.fan_out_once(block_ms=1000)
            except Exception:
                outage.failed()
                await asyncio.sleep(1)
            else:
                outage.succeeded()

    async def _delivery_loop(self, stop: asyncio.Event) -> None:
        outage = OutageLog(
            log, "claiming due deliveries failed; retrying in 1 s", "claiming due deliveries again"
        )
        while not stop.is_set():
            self._wake.clear()
            try:
                claimed = await self.deliver_due_once()
            except Exception:
                outage.failed()
                await asyncio.sleep(1)
                continue
            outage.succeeded()
            if claimed:
                continue
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.config.poll_seconds):
                    await self._wake.wait()


async def run_notifier(
    settings: Settings, store: Store, *, consumer_name: str, stop: asyncio.Event
) -> None:
    """Entry point for the CLI: run one notifier (fan-out + deliveries) until ``stop``."""
    box = load_secret_box(settings.secret_key, settings.data_dir)
    stage = NotifyStage(
        store, box, NotifyConfig.from_settings(settings), consumer_name=consumer_name
    )
    await stage.run(stop)
