"""Process partitions: which process worker clusters which partition, and handover.

Clustering is single-writer per partition (workers/process_stage.py holds a lease per
partition and fences every write with it). Each process worker:

    every lease/3:  heartbeat (ZADD, scored with Redis TIME: one clock for all hosts)
                    live workers = heartbeats younger than one lease
                    fair share   = ceil(partitions / live workers)
                    a partition another worker took (or whose task ended) is stopped;
                    each partition's task renews its own lease, between its batches
                    and between a batch's articles; one whose lease expired unclaimed
                    (renewed late) is left to its task, which takes it again and
                    restores (someone may have held it meanwhile)
                    above its share (a worker joined): finish the batch, give leases back
                    below its share: take free partitions, in its own preference order

    between ticks:  watch (reads only, every ``watch_ms``): the live count and, below the
                    share, the leases it lacks; a change (a worker joined or left, a
                    lacked lease is free) ticks at once

so two or more process workers split the partitions, a newcomer gets its share within
a watch, and a dead holder's partitions are taken over once its lease and heartbeat
have expired (about one lease). Watching matters at start: the first worker takes
every partition and hands them to the workers that join; with ticks alone a handed
partition would stay idle up to a tick, its entries waiting, just when a round arrives.
A new holder restores the partition's clusterer from its snapshot + log, and
XAUTOCLAIM hands it what the dead holder left pending.

The partition count lives in Redis (``lb:partitions``): the first process worker sets
it from its settings, and every process, the ingest script included, uses that value,
so processes with different settings cannot split one language across partitions.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from service.settings import parse_languages as parse_languages  # its home: the setting
from service.store import Store
from service.store.keys import language_hash
from service.task_cancel import cancel_all_before_leaving
from service.task_failures import watch
from workers.retrying import OutageLog

if TYPE_CHECKING:  # the process stage's modules, imported by the processes that run it
    from workers.process_stage import ProcessStage
    from workers.story_stage import StoryStage

log = logging.getLogger(__name__)

# What a partition's task failing means, in the log line of its failure (logged as it
# ends, also when it fails as this worker is cancelled: service/task_failures.py).
PARTITION_TASK_FAILED = "the partition is stopped at the next tick, then taken again and restored"


# --- pure logic -----------------------------------------------------------------------


def fair_share(partitions: int, live_workers: int) -> int:
    """How many partitions one of ``live_workers`` workers should hold at most."""
    return math.ceil(partitions / max(1, live_workers))


def preference(consumer: str, partitions: int) -> list[int]:
    """The order a worker tries partitions in: rotated by a hash of its name, so
    workers starting together do not all race for partition 0 first."""
    start = int(hashlib.sha1(consumer.encode()).hexdigest()[:8], 16) % max(1, partitions)
    return [(start + i) % partitions for i in range(partitions)]


def to_release(held: set[int], share: int, order: list[int]) -> list[int]:
    """The partitions to give back to come down to ``share``: the least preferred."""
    extra = len(held) - share
    if extra <= 0:
        return []
    return [p for p in reversed(order) if p in held][:extra]


def linked_placements(briefing_languages: Iterable[Iterable[str]]) -> dict[str, int]:
    """Placements that put languages one briefing follows together into one partition,
    so its clusterer can link their reports of one development (workers/story_linking.py).

    Languages joined by any briefing form a group (transitively); every language of a
    group is placed where its alphabetically first language hashes (``partition_of``
    takes placements modulo the partition count), so that language keeps the partition
    it had unplaced. Briefings of one language, or of any, place nothing."""
    groups: dict[str, str] = {}  # language -> a member of its group (union-find)

    def root(language: str) -> str:
        while groups.setdefault(language, language) != language:
            language = groups[language]
        return language

    for languages in briefing_languages:
        members = sorted({lang for lang in languages if lang})
        for other in members[1:]:
            a, b = root(members[0]), root(other)
            if a != b:
                groups[max(a, b)] = min(a, b)
    members_of: dict[str, list[str]] = {}
    for language in groups:
        members_of.setdefault(root(language), []).append(language)
    return {
        language: language_hash(anchor)
        for anchor, members in members_of.items()
        if len(members) > 1
        for language in members
    }


# --- with the store -----------------------------------------------------------------------


async def ensure_partitions(
    store: Store, wanted: int, languages: Mapping[str, int] | None = None
) -> int:
    """Set the partition count (and language placements) unless already set; returns
    the count every process uses. A language placed once stays placed (HSETNX)."""
    actual = await store.partitions.set_once(wanted, languages or {})
    if actual != wanted:
        log.warning(
            "process partitions: %d configured, %d in Redis (set first); using %d. Growing "
            "it is safe (SET %s N); shrinking strands the partitions above N",
            wanted,
            actual,
            actual,
            store.keys.partition_count,
        )
    return actual


async def partition_count(store: Store) -> int:
    """The partition count in use (1 before any process worker started)."""
    return await store.partitions.count()


@dataclass
class PartitionedProcess:
    """The process role of one worker: holds its fair share of the partitions and runs
    one ``ProcessStage`` task per partition held."""

    store: Store
    consumer_name: str
    make_stories: Callable[[], StoryStage | None]
    partitions: int
    lease_ms: int = 15_000
    reclaim_idle_ms: int = 30_000
    max_attempts: int = 5
    watch_ms: int = 250
    linger: float = 0.0  # ProcessStage.linger
    stages: dict[int, ProcessStage] = field(default_factory=dict, init=False)
    _share: int = field(default=1, init=False)
    _tasks: dict[int, tuple[asyncio.Task[None], asyncio.Event]] = field(
        default_factory=dict, init=False
    )

    @property
    def held(self) -> set[int]:
        return set(self._tasks)

    def __post_init__(self) -> None:
        self.workers = self.store.partitions

    def _stage(self, partition: int) -> ProcessStage:
        stage = self.stages.get(partition)
        if stage is None:
            from workers.process_stage import ProcessStage

            stage = self.stages[partition] = ProcessStage(
                self.store,
                self.consumer_name,
                stories=self.make_stories(),
                lease_ms=self.lease_ms,
                reclaim_idle_ms=self.reclaim_idle_ms,
                max_attempts=self.max_attempts,
                partition=partition,
                linger=self.linger,
            )
        return stage

    async def heartbeat(self) -> int:
        """Record this worker as live; returns how many process workers are live."""
        return await self.workers.heartbeat(self.consumer_name, lease_ms=self.lease_ms)

    async def live_workers(self) -> int:
        """How many process workers are live (a read: no heartbeat written)."""
        return await self.workers.live_workers(lease_ms=self.lease_ms)

    async def tick(self) -> None:
        share = self._share = fair_share(self.partitions, await self.heartbeat())
        # Each partition's task renews its own lease (see ProcessStage.work); here a GET
        # only notices leases another worker took (never a write, which would abort that
        # task's WATCHed batch) and tasks that ended. A lease that expired and is free
        # stays with its task: stopping it would wait out its batch (up to a lease, with
        # no heartbeat meanwhile) and restart it, which its next renewal does anyway.
        held = sorted(self.held)
        tokens = await self.workers.lease_holders(held)
        for partition, token in zip(held, tokens, strict=True):
            task, _stop = self._tasks[partition]
            if token not in (None, self.consumer_name) or task.done():
                log.warning("partition %d: lease lost; stopping it", partition)
                await self._stop(partition, release=False)
        order = preference(self.consumer_name, self.partitions)
        for partition in to_release(self.held, share, order):
            log.info("partition %d: above the fair share (%d); handing it over", partition, share)
            await self._stop(partition, release=True)
        for partition in order:
            if len(self._tasks) >= share:
                break
            if partition in self._tasks:
                continue
            stage = self._stage(partition)
            if await stage.hold_lease():
                log.info("partition %d: lease taken", partition)
                stop = asyncio.Event()
                work = asyncio.create_task(stage.work(stop), name=f"process-p{partition}")
                self._tasks[partition] = (watch(work, PARTITION_TASK_FAILED), stop)

    async def _stop(self, partition: int, *, release: bool) -> None:
        task, stop = self._tasks.pop(partition)
        stop.set()
        try:
            await asyncio.wait({task}, timeout=self.lease_ms / 1000)
        finally:
            # Past its lease, or this coordinator cancelled (a kill, the worker's stage
            # grace run out): cancelled until it has ended, since a cancellation lost in
            # a Redis command (service/task_cancel.py) would leave it to finish its batch
            # first. Neither asyncio.wait nor cancel_and_wait raises the task's error
            # (logged as it ends, ``watch``) or its cancellation, while a cancellation of
            # this coordinator still ends it, once the task has: a cancelled worker must
            # not carry on heartbeating and holding its partitions, nor leave their tasks
            # running unsupervised.
            await cancel_all_before_leaving([task])
        stage = self.stages[partition]
        if release:
            await stage.release()
        stage.holding = False

    async def run(self, stop: asyncio.Event) -> None:
        # A tick that fails changes the share it watches (this worker's heartbeat ages),
        # so ticks retry every ``watch_ms`` while Redis is away or full: one line each way.
        outage = OutageLog(
            log, "process partitions: tick failed; retrying", "process partitions: ticking again"
        )
        try:
            while not stop.is_set():
                try:
                    await self.tick()
                except asyncio.CancelledError:
                    raise
                except Exception:
                    # Redis restarting: keep what we hold (fenced), retry on the next tick.
                    outage.failed()
                else:
                    outage.succeeded()
                await self.watch(stop, seconds=self.lease_ms / 3000)
            await self.shutdown()
        except asyncio.CancelledError:
            # Cancelled (the worker's stage grace run out): the partitions' tasks end
            # with it, or they would go on unsupervised, each renewing its own lease.
            await self.abandon()
            raise

    async def abandon(self) -> None:
        """Cancel every partition's task until it has ended; their leases expire and
        their pending entries are claimed again (ProcessStage.reclaim_idle_ms)."""
        tasks = [task for task, _stop in self._tasks.values()]
        for _task, stop in self._tasks.values():
            stop.set()
        self._tasks.clear()
        await cancel_all_before_leaving(tasks)

    async def watch(self, stop: asyncio.Event, *, seconds: float) -> bool:
        """Wait up to ``seconds`` for the next tick; returns early (True) once the share
        changed (a worker joined or left) or, below the share, a lacked partition's
        lease is free. Only reads, so watching costs no AOF bytes."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while (remaining := deadline - loop.time()) > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=min(remaining, self.watch_ms / 1000))
            if stop.is_set():
                return True
            try:
                if await self._should_tick():
                    return True
            except asyncio.CancelledError:
                raise
            except Exception:
                pass  # Redis unreachable: the tick at the deadline logs and retries
        return False

    async def _should_tick(self) -> bool:
        if fair_share(self.partitions, await self.live_workers()) != self._share:
            return True
        if len(self._tasks) >= self._share:
            return False
        # Below the share (at most the partition count), so some partition is lacked.
        lacked = [p for p in range(self.partitions) if p not in self._tasks]
        leases = await self.workers.lease_holders(lacked)
        return any(token is None for token in leases)

    async def shutdown(self) -> None:
        """Finish the batches in flight and hand every partition over at once.

        Every partition is told to stop before any is waited for: each may be inside a
        blocking read (up to 500 ms), and those end together rather than one after another."""
        for _task, stop in self._tasks.values():
            stop.set()
        for partition in sorted(self.held):
            try:
                await self._stop(partition, release=True)
            except Exception:
                log.exception("partition %d: release failed; it expires in a lease", partition)
        with contextlib.suppress(Exception):
            await self.workers.leave(self.consumer_name)
