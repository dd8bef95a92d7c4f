"""The process stage: consumes the entries stream (consumer group, XACK after writes;
one lease holder at a time).

    load article ──► index into the article timelines ──► story stage (workers/story_stage.py)

Idempotent: a replayed message changes nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from service.clock import utcnow
from service.metrics import metrics
from service.models import Article
from service.store import Store
from service.store.feeds import feed_id_for
from service.store.keys import ENTRIES_GROUP
from service.store.leases import Held
from service.store.stories import Fence, LeaseLost, StoryBatch, WriteRefused, write_fenced
from service.store.streams import Message, StreamConsumer
from workers.retrying import OutageLog, redis_outage
from workers.story_stage import StoryStage

# Articles of a batch decided between two yields to the event loop: a whole batch's
# clustering would otherwise hold the loop, and the API and the other partitions sharing
# it would wait it out. Only this partition's batches change its clusterer, and they run
# one after another, so a yield lets nothing change the batch's state.
DECIDE_STEP = 5
# Entries one batch takes at most.
BATCH = 100
# How often a stage that found nothing to reclaim looks again (XAUTOCLAIM) for what a dead
# consumer left pending, and at its own pending messages, at most: a dead consumer's are
# taken only once idle for ``reclaim_idle_ms`` (30 s by default), so looking on every read
# would cost a round trip per batch for nothing; this adds at most a second (or half the
# idle time) to a takeover.
RECLAIM_EVERY = 1.0

log = logging.getLogger(__name__)


@dataclass
class ProcessStage:
    """Consumes one partition's entries stream: index each article, then cluster it.

    Clustering needs one writer per partition, so only the holder of the partition's
    lease consumes; other process-stage instances wait as hot standbys and take over
    within ``lease_ms`` when the holder dies (its pending messages are reclaimed with
    XAUTOCLAIM, and the new holder restores the partition's clusterer from Redis first).
    workers/partitions.py shares the partitions out among process workers.
    """

    store: Store
    consumer_name: str
    stories: StoryStage | None = None
    clock: Callable[[], datetime] = utcnow
    reclaim_idle_ms: int = 30_000
    lease_ms: int = 15_000
    max_attempts: int = 5
    partition: int = 0
    linger: float = 0.0  # seconds a short read waits for more (BRIEFING_PROCESS_LINGER)
    monotonic: Callable[[], float] = time.monotonic  # lease renewals, reclaim checks
    holding: bool = field(default=False, init=False)
    _renewed_at: float = field(default=0.0, init=False)
    # Whether this consumer holds no message it read and left unacknowledged: true after
    # a batch that acknowledged all it read; false at start (a restart under the same
    # name), and after any read or batch that failed or stopped short, whose messages stay
    # pending.
    _nothing_pending: bool = field(default=False, init=False)
    _reclaim_at: float = field(default=0.0, init=False)  # the next XAUTOCLAIM, monotonic

    def __post_init__(self) -> None:
        keys = self.store.keys
        self.lease_key = keys.process_lease(self.partition)
        self.consumer = StreamConsumer(
            self.store.redis,
            keys.entries(self.partition),
            ENTRIES_GROUP,
            self.consumer_name,
            reclaim_idle_ms=self.reclaim_idle_ms,
            dead_letter=keys.dead_letters,
            failures=keys.entries_failures(self.partition),
            max_attempts=self.max_attempts,
        )
        if self.stories is not None:
            self.stories.fence = Fence(self.lease_key, self.consumer_name)
            self.stories.partition = self.partition
            self.stories.lease_kept = self.lease_unbroken

    async def start(self) -> None:
        await self.consumer.ensure_group()

    async def hold_lease(self) -> bool:
        """Take or renew the lease; a stage that loses it must rebuild before clustering."""
        return bool(await self._hold())

    async def _hold(self) -> Held:
        held = await self.store.leases.hold(self.lease_key, self.consumer_name, self.lease_ms)
        # Taken afresh, or held again after this stage let go: someone else may have
        # clustered the partition in between. That includes a lease that expired while
        # this stage believed it held it (a renewal came late): it is free when asked.
        if held and (held is Held.TAKEN or not self.holding) and self.stories is not None:
            self.stories.stale = True
        self.holding = bool(held)
        self._renewed_at = self.monotonic()
        return held

    async def release(self) -> None:
        """Give the lease back (after the last batch), so a successor need not wait for
        it to expire."""
        self.holding = False
        await self.store.leases.release(self.lease_key, self.consumer_name)

    async def keep_lease(self) -> bool:
        """Renew the lease when a third of it has passed (cheap to call per article); true
        while held (also when taken afresh: the story stage then restores first).

        Between renewals every story write is still fenced by the lease (WATCH), so a
        lease lost in between can never let a stale write through."""
        return bool(await self._keep())

    async def lease_unbroken(self) -> bool:
        """``keep_lease`` for the middle of a batch or a restore: true only while held
        without a break, since what memory holds may otherwise be out of date."""
        return await self._keep() is Held.KEPT

    async def _keep(self) -> Held:
        if self.holding and self.monotonic() - self._renewed_at < self.lease_ms / 3000:
            return Held.KEPT
        return await self._hold()

    async def run_once(
        self,
        *,
        count: int = BATCH,
        block_ms: int | None = 1000,
        stop: asyncio.Event | None = None,
    ) -> int:
        """Handle one batch; returns how many messages were acknowledged.

        Round trips per batch: the read (two when it lingers), the lease renewal (at most
        every third of the lease), the articles, their story assignments, then one fenced
        MULTI with every index, story, log entry, event and the XACK. Link checks scored
        since the last batch are answered first, in the same MULTI
        (workers/story_stage.py). A lost lease writes nothing of the batch (its messages
        stay pending for the new holder).

        The lease is also renewed between the batch's articles and before its write, so a
        batch that runs longer than the lease (a busy machine, a restore, other
        partitions' batches on the same event loop) keeps it; a lease that lapsed anyway
        writes nothing of the batch, which runs again after a restore."""
        messages = await self._read(count, block_ms, stop)  # _nothing_pending now false
        links = self.stories is not None and (
            self.stories.links_answered() or self.stories.links_waiting()
        )
        if not messages and not links:
            self._nothing_pending = True
            return 0
        if self.stories is not None and not await self.keep_lease():
            return 0
        wanted = [f["article"] for _, f in messages if "article" in f]
        articles = {a.id: a for a in await self.store.articles.get_many(wanted)}
        batch = StoryBatch(self.partition)
        done: list[str] = []
        indexed: list[tuple[Article, str]] = []
        failed: tuple[str, dict[str, str], Exception] | None = None
        try:
            if self.stories is not None:
                await self.stories.prepare(list(articles.values()))
                # Link checks scored since the last batch (a batch of their own when idle).
                await self.stories.apply_links(batch, now=self.clock())
            for n, (message_id, fields) in enumerate(messages, 1):
                if n % DECIDE_STEP == 0:
                    await asyncio.sleep(0)  # the API and other partitions between steps
                await self._still_held()
                try:
                    await self._decide(fields, articles, batch, indexed)
                except Exception as exc:
                    if redis_outage(exc) is not None:
                        # Redis away or refusing writes, not this entry: counting it would
                        # dead-letter good entries over a long outage. The whole batch
                        # stays pending and is retried (the stage is stale: it restores).
                        raise
                    # Write what came before it; this one counts toward its dead letter.
                    failed = (message_id, fields, exc)
                    break
                done.append(message_id)
            await self._still_held()
            await self._commit(batch, indexed, done)
        except WriteRefused as refused:
            # A lost lease, or a story a merge joins removed by retention meanwhile: the
            # restore before the next batch puts the merge's link check back in the
            # queue, and its next answer finds the story gone ("not linked").
            log.warning("partition %d: %s; the batch stays pending", self.partition, refused)
            if self.stories is not None:
                self.stories.stale = True  # memory moved on with the unwritten batch
            if isinstance(refused, LeaseLost):
                self.holding = False  # asked again before the next batch
            return 0
        if indexed:
            metrics.inc("briefing_processed_total", len(indexed))
        self._nothing_pending = failed is None
        if failed is not None:
            message_id, fields, problem = failed
            error = f"{type(problem).__name__}: {problem}"
            if not await self.consumer.fail(message_id, fields, error):
                raise problem  # retried after a back-off; dead-lettered after max_attempts
            log.error("entry %s dead-lettered: %s", message_id, error)
        return len(done)

    async def _read(
        self, count: int, block_ms: int | None, stop: asyncio.Event | None
    ) -> list[Message]:
        """The next batch: this consumer's own pending messages (when a read or a batch may
        have left some, and every ``RECLAIM_EVERY``), else what a dead consumer left (every
        ``RECLAIM_EVERY`` while there is none), else new entries.

        New entries fewer than half a batch wait ``linger`` for more, then one more read
        takes what arrived (Kafka's linger.ms, Nagle's algorithm): every batch pays a fixed
        cost in round trips (the reads, the articles, their assignments, the fenced write),
        so a steady trickle costs less in fewer, fuller batches, for at most ``linger`` more
        on each article's way to the timeline. The wait is on the event loop rather than in
        XREADGROUP's BLOCK, which returns as soon as one entry arrives; ``stop`` ends it at
        once. A full batch, or one of replayed messages, never waits."""
        due = self.monotonic() >= self._reclaim_at
        # Own pending messages the stage never saw fail are looked for on the timer too: a
        # command redis-py retried by itself after a dropped connection may have delivered
        # some whose reply was lost, and a Redis restarted from its AOF may have lost the
        # last second's XACKs; XAUTOCLAIM would find them only once idle.
        if (due or not self._nothing_pending) and (
            messages := await self.consumer.own_pending(count)
        ):
            return messages
        # Redis makes what it delivers pending here before the reply arrives: a read that
        # fails (or the linger's second read, with the first's messages in hand) may leave
        # some, for the next batch to read again. run_once sets it back when nothing came.
        self._nothing_pending = False
        if due:
            if messages := await self.consumer.reclaim(count):
                return messages  # more may wait: look again on the next read
            every = min(RECLAIM_EVERY, self.reclaim_idle_ms / 2000)
            self._reclaim_at = self.monotonic() + every
        messages = await self.consumer.read_new(count=count, block_ms=block_ms)
        if self.linger <= 0 or not 0 < len(messages) < count // 2:
            return messages
        await _wait(stop or asyncio.Event(), self.linger)
        return messages + await self.consumer.read_new(count=count - len(messages), block_ms=None)

    async def _still_held(self) -> None:
        """LeaseLost unless the lease is still held without a break (renewed when due)."""
        if self.stories is not None and not await self.lease_unbroken():
            state = "taken by another process" if not self.holding else "expired meanwhile"
            raise LeaseLost(f"process lease {state}")

    async def _decide(
        self,
        fields: dict[str, str],
        articles: dict[str, Article],
        batch: StoryBatch,
        indexed: list[tuple[Article, str]],
    ) -> None:
        if "article" not in fields:
            raise KeyError("article")  # a malformed entry: counts toward the dead letter
        article = articles.get(fields["article"])
        if article is None:  # pruned meanwhile: nothing left to do
            return
        if self.stories is not None:
            await self.stories.decide(article, now=self.clock(), batch=batch)
        indexed.append((article, fields.get("feed") or feed_id_for(article.feed_url)))

    async def _commit(
        self, batch: StoryBatch, indexed: list[tuple[Article, str]], done: list[str]
    ) -> None:
        """Indexes, the story batch and the XACK in one transaction (fenced by the lease)."""

        def queue(pipe: Any) -> None:
            self.store.articles.queue_indexes(pipe, indexed)
            self.consumer.queue_ack(pipe, done)

        if self.stories is not None:
            await self.stories.commit(batch, now=self.clock(), extra=queue)
            return
        if indexed or done:
            await write_fenced(self.store.redis, None, queue)

    async def work(self, stop: asyncio.Event) -> None:
        """Handle batches while the lease is held; returns once it is lost or on ``stop``.

        The lease is renewed here, between batches, never from another task: a renewal
        (PEXPIRE) touches the WATCHed key, so one landing between a batch's WATCH and its
        EXEC would abort the batch."""
        where = f" (partition {self.partition})"
        await self._batches(stop, self.keep_lease, where=where, wait_for_lease=False)

    async def run(self, stop: asyncio.Event) -> None:
        """Hold this one partition's lease (or wait for it) and work until ``stop``."""
        await self._batches(stop, self.hold_lease, where="", wait_for_lease=True)

    async def _batches(
        self,
        stop: asyncio.Event,
        lease: Callable[[], Awaitable[bool]],
        *,
        where: str,
        wait_for_lease: bool,
    ) -> None:
        """Batches until ``stop``, each once ``lease()`` says the lease is held. Without
        it: wait a third of the lease and ask again (``wait_for_lease``), or return.
        ``where`` names the partition in the failure log lines."""
        await self.start()
        outage = self._outage_log(where)
        try:
            while not stop.is_set():
                try:
                    if not await lease():
                        if not wait_for_lease:
                            return
                        await _wait(stop, self.lease_ms / 3000)
                        continue
                    await self.run_once(block_ms=min(500, self.lease_ms // 3), stop=stop)
                    outage.succeeded()
                except asyncio.CancelledError:
                    raise
                except Exception:
                    # Redis restarting, or a bug on one message: log, back off, keep going.
                    outage.failed()
                    await _wait(stop, 1.0)
        finally:
            self._close_links()

    @staticmethod
    def _outage_log(where: str) -> OutageLog:
        """The batch loop's failures: a Redis outage logged once when it begins and once
        when it ends (a batch a second per partition would log as many lines), any other
        failure each time."""
        return OutageLog(
            log,
            f"process stage batch failed{where}; retrying",
            f"process stage batches again{where}",
        )

    def _close_links(self) -> None:
        """A stage that stops working stops its link-check child (the model's memory and a
        core): the next holder of the partition scores the pending checks again."""
        if self.stories is not None:
            self.stories.close_links()


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
