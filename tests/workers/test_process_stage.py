"""The process stage's lease upkeep: a batch that outlasts the lease keeps it, and a lease
that lapsed under its holder makes it restore before clustering again. Redis lost while
an entry is decided fails the batch, not the entry. Its reads: a short read lingers for
more (a full one never does, a stop ends the wait), and the reads a batch needs only
sometimes (its own pending messages, a dead consumer's) are made only then.

Real Redis; time passes through ``PassingTime``, which moves the stage's monotonic clock
and the lease's TTL in Redis together, so a "slow" step is exact and instant.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from typing import Any

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError

from service.models import Article
from service.store import Store
from service.store.stories import StoryBatch
from service.store.streams import Message
from tests import factories
from workers import process_stage
from workers.process_stage import DECIDE_STEP, RECLAIM_EVERY, ProcessStage
from workers.story_stage import StoryStage

LEASE_MS = 60_000  # long enough that real time never moves it within a test


class PassingTime:
    """The stage's monotonic clock, and the lease's TTL that runs down with it."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    async def advance(self, ms: int) -> None:
        """``ms`` pass: the clock moves on and the lease expires if it had no more left."""
        self.now += ms / 1000
        key = self.store.keys.process_lease()
        left = await self.store.redis.pttl(key)
        if left > ms:
            await self.store.redis.pexpire(key, left - ms)
        else:
            await self.store.redis.delete(key)


class SlowStories(StoryStage):
    """A story stage that takes half a lease per article."""

    def __init__(self, store: Store, time: PassingTime) -> None:
        super().__init__(store, [])
        self.time = time

    async def decide(self, article: Article, *, now: datetime, batch: StoryBatch) -> None:
        await self.time.advance(LEASE_MS // 2)
        await super().decide(article, now=now, batch=batch)


def stage(store: Store, name: str, stories: StoryStage, time: PassingTime) -> ProcessStage:
    return ProcessStage(store, name, stories=stories, lease_ms=LEASE_MS, monotonic=time)


def report(n: int, outlet: str, title: str) -> Article:
    return factories.article(
        id=f"{outlet}{n}",
        url=f"https://{outlet}.example/{n}",
        title=title,
        published=factories.T0 + timedelta(minutes=n),
        feed_url=f"https://{outlet}.example/rss",
        outlet=outlet,
    )


async def test_a_batch_that_outlasts_the_lease_renews_it_between_articles(store: Store) -> None:
    time = PassingTime(store)
    slow = stage(store, "slow", SlowStories(store, time), time)
    await slow.start()
    articles = [factories.make_article(n) for n in range(5)]
    for a in articles:
        await store.articles.ingest(a)
    assert await slow.hold_lease()
    # Two and a half leases of work in one batch: it is written, not lost to the lease.
    assert await slow.run_once(block_ms=50) == 5
    assigned = await store.redis.hmget(store.keys.story_of_article, [a.id for a in articles])
    assert all(assigned)
    assert await store.redis.get(store.keys.process_lease()) == "slow"


async def test_a_lease_that_lapsed_under_its_holder_makes_it_restore_first(store: Store) -> None:
    """Its renewal came late: another stage held the lease meanwhile and clustered a report.
    The late holder takes the lease again, and must not cluster from its old memory: a
    report of the same development joins the story the other stage made."""
    time = PassingTime(store)
    late = stage(store, "late", StoryStage(store, []), time)
    await late.start()
    await store.articles.ingest(report(0, "alpha", "Parliament passes the budget bill"))
    assert await late.hold_lease()
    assert await late.run_once(block_ms=50) == 1
    assert not late.stories.stale  # type: ignore[union-attr]

    await time.advance(LEASE_MS)  # the lease ran out before "late" renewed it
    other = stage(store, "other", StoryStage(store, []), PassingTime(store))
    first = report(1, "beta", "Storm floods the northern coast")
    await store.articles.ingest(first)
    assert await other.hold_lease()
    assert await other.run_once(block_ms=50) == 1
    await other.release()

    second = report(2, "gamma", "Storm floods the northern coast")
    await store.articles.ingest(second)
    assert await late.run_once(block_ms=50) == 1
    found = await store.redis.hmget(store.keys.story_of_article, [first.id, second.id])
    assert found[0] is not None and found[0] == found[1]


class Ticks:
    """Counts the event loop's turns while it runs."""

    def __init__(self) -> None:
        self.count = 0
        self.task = asyncio.ensure_future(self._run())

    async def _run(self) -> None:
        while True:
            self.count += 1
            await asyncio.sleep(0)


class WatchedStories(StoryStage):
    """A story stage that notes the loop's turn count when each article is decided, and
    decides nothing (so no Redis round trip of its own lets the loop turn)."""

    def __init__(self, store: Store, ticks: Ticks) -> None:
        super().__init__(store, [])
        self.ticks = ticks
        self.seen: list[int] = []

    async def decide(self, article: Article, *, now: datetime, batch: StoryBatch) -> None:
        self.seen.append(self.ticks.count)


async def test_a_batch_lets_the_event_loop_turn_between_its_articles(store: Store) -> None:
    """The API and the other partitions share the loop: a batch's clustering must not hold
    it from the first article to the last."""
    ticks = Ticks()
    watched = WatchedStories(store, ticks)
    worker = stage(store, "watched", watched, PassingTime(store))
    await worker.start()
    for n in range(4 * DECIDE_STEP):
        await store.articles.ingest(factories.make_article(n))
    assert await worker.hold_lease()
    try:
        assert await worker.run_once(block_ms=50) == 4 * DECIDE_STEP
    finally:
        ticks.task.cancel()
    turns = [b - a for a, b in zip(watched.seen, watched.seen[1:], strict=False)]
    assert sum(1 for t in turns if t > 0) >= 3  # at least once every DECIDE_STEP articles


class RedisGoneOnce(StoryStage):
    """A story stage whose first decision loses Redis (a restart longer than redis-py's
    retries): its read raises ConnectionError."""

    def __init__(self, store: Store) -> None:
        super().__init__(store, [])
        self.lost = False

    async def decide(self, article: Article, *, now: datetime, batch: StoryBatch) -> None:
        if not self.lost:
            self.lost = True
            self.stale = True  # as a failed read inside decide leaves it
            raise RedisConnectionError("Connection reset by peer")
        await super().decide(article, now=now, batch=batch)


async def test_redis_lost_while_deciding_an_entry_does_not_count_toward_its_dead_letter(
    store: Store,
) -> None:
    """The batch fails whole and stays pending. Counted as the entry's failed attempt, an
    outage longer than ``max_attempts`` batches would dead-letter good entries."""
    process = ProcessStage(store, "c1", stories=RedisGoneOnce(store), max_attempts=1)
    await process.start()
    article = report(0, "alpha", "Parliament passes the budget bill")
    await store.articles.ingest(article)
    assert await process.hold_lease()
    with pytest.raises(RedisConnectionError):  # the round fails whole: the loop retries it
        await process.run_once(block_ms=50)
    assert await store.redis.xlen(store.keys.dead_letters) == 0
    assert await process.run_once(block_ms=50) == 1
    assert await store.redis.hget(store.keys.story_of_article, article.id) is not None


@pytest.mark.parametrize("loop", ["run", "work"])
async def test_a_redis_outage_is_logged_once_by_the_batch_loop(
    loop: str, store: Store, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Batches failing while Redis is away are retried every second: one warning when the
    outage begins, one line when a batch goes through again, not one line per round (a
    child running four partitions logged four a second)."""
    caplog.set_level(logging.INFO, logger="workers.process_stage")
    process = ProcessStage(store, "c1", stories=None, lease_ms=LEASE_MS)
    stop = asyncio.Event()
    rounds: list[int] = []

    async def batch(*, block_ms: int, stop: asyncio.Event) -> int:
        rounds.append(block_ms)
        if len(rounds) <= 5:
            raise RedisConnectionError("Connection refused")
        stop.set()
        return 0

    async def no_wait(_stop: asyncio.Event, _seconds: float) -> None:
        return None

    monkeypatch.setattr(process, "run_once", batch)
    monkeypatch.setattr(process_stage, "_wait", no_wait)
    if loop == "work":
        assert await process.hold_lease()
    await getattr(process, loop)(stop)
    assert len(rounds) == 6
    where = " (partition 0)" if loop == "work" else ""
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [
        ("WARNING", f"process stage batch failed{where}; retrying (Redis unavailable: "
         "Connection refused)"),
        ("INFO", f"process stage batches again{where}"),
    ]  # fmt: skip


# --- reads -------------------------------------------------------------------------------


class Lingering:
    """Stands in for the linger's wait: notes it, tells the test, and ends when the test
    says so (entries arrive during the wait exactly, not raced against a clock)."""

    def __init__(self, *, hold: bool = True) -> None:
        self.waits: list[float] = []
        self.started = asyncio.Event()
        self.go = asyncio.Event()
        if not hold:
            self.go.set()

    async def __call__(self, stop: asyncio.Event, seconds: float) -> None:
        self.waits.append(seconds)
        self.started.set()
        await self.go.wait()


async def _assigned(store: Store, articles: list[Article]) -> list[str | None]:
    return list(await store.redis.hmget(store.keys.story_of_article, [a.id for a in articles]))


async def _pending(store: Store) -> int:
    return int((await store.redis.xpending(store.keys.entries_stream, "process"))["pending"])


async def _holding(store: Store, *, linger: float) -> ProcessStage:
    """A stage holding the lease, its reads lingering ``linger``."""
    worker = ProcessStage(store, "c1", stories=StoryStage(store, []), linger=linger)
    await worker.start()
    assert await worker.hold_lease()
    return worker


async def test_a_short_read_lingers_and_its_batch_takes_what_arrived_meanwhile(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    lingering = Lingering()
    monkeypatch.setattr(process_stage, "_wait", lingering)
    worker = await _holding(store, linger=0.025)
    first = factories.make_article(0)
    await store.articles.ingest(first)
    batch = asyncio.create_task(worker.run_once(block_ms=1000))
    async with asyncio.timeout(30):
        await lingering.started.wait()
    late = [factories.make_article(n) for n in range(1, 6)]
    for a in late:  # arrive while the read lingers
        await store.articles.ingest(a)
    lingering.go.set()
    async with asyncio.timeout(30):
        assert await batch == 6  # one batch, not one of 1 and one of 5
    assert lingering.waits == [0.025]
    assert all(await _assigned(store, [first, *late]))
    assert await _pending(store) == 0


@pytest.mark.parametrize("ready", [5, 10])
async def test_a_read_of_half_a_batch_or_more_does_not_linger(
    ready: int, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    lingering = Lingering(hold=False)
    monkeypatch.setattr(process_stage, "_wait", lingering)
    worker = await _holding(store, linger=0.025)
    articles = [factories.make_article(n) for n in range(ready)]
    for a in articles:
        await store.articles.ingest(a)
    assert await worker.run_once(count=10, block_ms=50) == ready
    assert lingering.waits == []
    assert all(await _assigned(store, articles))


async def test_a_linger_of_zero_never_waits(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """BRIEFING_PROCESS_LINGER=0 turns the wait off: a read of one entry is its batch."""
    lingering = Lingering()  # would hold the batch until the test lets it go
    monkeypatch.setattr(process_stage, "_wait", lingering)
    worker = await _holding(store, linger=0)
    article = factories.make_article(0)
    await store.articles.ingest(article)
    async with asyncio.timeout(30):
        assert await worker.run_once(block_ms=None) == 1
    assert lingering.waits == []
    assert all(await _assigned(store, [article]))


async def test_a_stop_during_a_linger_ends_it_and_the_batch_in_hand_is_written(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SIGTERM sets the stop event; a linger of an hour must not hold the shutdown."""
    started = asyncio.Event()
    real_wait = process_stage._wait

    async def spied(stop: asyncio.Event, seconds: float) -> None:
        if seconds == 3600:
            started.set()
        await real_wait(stop, seconds)

    monkeypatch.setattr(process_stage, "_wait", spied)
    worker = ProcessStage(store, "c1", stories=StoryStage(store, []), linger=3600)
    stop = asyncio.Event()
    running = asyncio.create_task(worker.run(stop))
    article = factories.make_article(0)
    await store.articles.ingest(article)
    async with asyncio.timeout(30):
        await started.wait()
    stop.set()
    async with asyncio.timeout(30):  # generous; the linger alone would take an hour
        await running
    assert all(await _assigned(store, [article]))
    assert await _pending(store) == 0


class CountedReads:
    """Counts the consumer's reads of its own pending messages and of a dead consumer's."""

    def __init__(self, worker: ProcessStage, monkeypatch: pytest.MonkeyPatch) -> None:
        self.own = self.reclaims = 0
        own, reclaim = worker.consumer.own_pending, worker.consumer.reclaim

        async def counted_own(count: int = 100) -> list[tuple[str, dict[str, str]]]:
            self.own += 1
            return await own(count)

        async def counted_reclaim(count: int = 100) -> list[tuple[str, dict[str, str]]]:
            self.reclaims += 1
            return await reclaim(count)

        monkeypatch.setattr(worker.consumer, "own_pending", counted_own)
        monkeypatch.setattr(worker.consumer, "reclaim", counted_reclaim)


async def test_a_dead_consumers_messages_are_looked_for_on_a_timer_not_every_read(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = PassingTime(store)
    worker = stage(store, "live", StoryStage(store, []), clock)
    worker.consumer.reclaim_idle_ms = 0  # a dead consumer's messages may be taken at once
    await worker.start()
    reads = CountedReads(worker, monkeypatch)
    assert await worker.hold_lease()
    assert await worker.run_once(block_ms=None) == 0
    assert (reads.own, reads.reclaims) == (1, 1)  # at start: both looked for
    for n in range(3):
        await store.articles.ingest(factories.make_article(n))
        assert await worker.run_once(block_ms=None) == 1
    assert (reads.own, reads.reclaims) == (1, 1)  # clean batches, within the interval

    # A dead consumer read two messages; once the interval passed they are taken over.
    dead = [factories.make_article(n) for n in range(3, 5)]
    for a in dead:
        await store.articles.ingest(a)
    await store.redis.xreadgroup("process", "dead", {store.keys.entries_stream: ">"}, count=2)
    assert await worker.run_once(block_ms=None) == 0
    await clock.advance(int(RECLAIM_EVERY * 1000))
    assert await worker.run_once(block_ms=None) == 2
    assert all(await _assigned(store, dead))
    assert await worker.run_once(block_ms=None) == 0
    assert reads.reclaims == 3  # after a claim that found some, the next read looks again


async def test_entries_left_pending_behind_a_dead_lettered_one_are_read_again(
    store: Store,
) -> None:
    """The batch stops at an entry that fails: those after it stay this consumer's
    pending messages, which the next read takes (not only a restart)."""
    worker = ProcessStage(store, "c1", stories=StoryStage(store, []), max_attempts=1)
    await worker.start()
    assert await worker.hold_lease()
    before, after = factories.make_article(0), factories.make_article(1)
    await store.articles.ingest(before)
    await store.redis.xadd(store.keys.entries_stream, {"kind": "new"})  # no article id
    await store.articles.ingest(after)
    assert await worker.run_once(block_ms=None) == 1  # up to the poison, dead-lettered
    assert await store.redis.xlen(store.keys.dead_letters) == 1
    assert await worker.run_once(block_ms=None) == 1
    assert all(await _assigned(store, [before, after]))
    assert await _pending(store) == 0


async def _stories_of(store: Store, articles: list[Article]) -> set[frozenset[str]]:
    """The articles grouped by the story each is in."""
    groups: dict[str, set[str]] = {}
    for a, story in zip(articles, await _assigned(store, articles), strict=True):
        assert story is not None
        groups.setdefault(story, set()).add(a.id)
    return {frozenset(g) for g in groups.values()}


async def test_one_lingering_batch_decides_as_batches_of_one_do(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where batches begin changes no decision: the same reports, read in one batch that
    lingered, or one at a time, end in the same stories."""
    monkeypatch.setattr(process_stage, "_wait", Lingering(hold=False))
    titles = [
        "Parliament passes the budget bill",
        "Storm floods the northern coast",
        "Parliament passes budget bill after long debate",
        "Northern coast flooded by storm",
        "Central bank raises interest rates",
        "Parliament approves the budget bill",
    ]
    articles = [report(n, f"outlet{n % 3}", t) for n, t in enumerate(titles)]

    async def stories(linger: float, count: int) -> set[frozenset[str]]:
        await store.redis.flushdb()
        worker = ProcessStage(store, "c1", stories=StoryStage(store, []), linger=linger)
        await worker.start()
        assert await worker.hold_lease()
        for a in articles:
            await store.articles.ingest(a)
        done = 0
        while done < len(articles):
            done += await worker.run_once(count=count, block_ms=None)
        return await _stories_of(store, articles)

    together = await stories(linger=0.025, count=100)
    assert await stories(linger=0, count=1) == together
    assert len(together) < len(articles)  # some reports did join one story


@pytest.mark.parametrize("failing", [1, 2], ids=["read", "read-after-linger"])
async def test_entries_a_failed_read_delivered_are_read_again_on_the_next_batch(
    failing: int, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """XREADGROUP makes an entry this consumer's pending one when Redis delivers it; a read
    whose reply is lost (the connection drops), or the read after a linger failing with the
    first's entries in hand, leaves them pending here. The next batch reads them again,
    not after ``reclaim_idle_ms`` when XAUTOCLAIM would find them."""
    monkeypatch.setattr(process_stage, "_wait", Lingering(hold=False))
    clock = PassingTime(store)
    worker = stage(store, "c1", StoryStage(store, []), clock)
    worker.linger = 0.025
    await worker.start()
    assert await worker.hold_lease()
    assert await worker.run_once(block_ms=None) == 0  # a clean start: nothing pending
    read_new, reads = worker.consumer.read_new, 0

    async def dropped(*, count: int = 100, block_ms: int | None = 1000) -> list[Message]:
        nonlocal reads
        reads += 1
        delivered = await read_new(count=count, block_ms=block_ms)
        if reads == failing:
            raise RedisConnectionError("Connection reset by peer")
        return delivered

    monkeypatch.setattr(worker.consumer, "read_new", dropped)
    article = factories.make_article(0)
    await store.articles.ingest(article)
    with pytest.raises(RedisConnectionError):
        await worker.run_once(block_ms=None)
    assert await _pending(store) == 1
    assert await worker.run_once(block_ms=None) == 1
    assert all(await _assigned(store, [article]))
    assert await _pending(store) == 0


async def test_entries_pending_here_unnoticed_are_read_on_the_reclaim_timer(
    store: Store,
) -> None:
    """An entry can be this consumer's pending one without any failure the stage saw:
    redis-py retries a command on a dropped connection by itself (a delivery whose reply
    was lost is then followed by another), and a Redis restarted from an ``everysec`` AOF
    may have lost a batch's XACK. Such entries are read on the timer that looks for a dead
    consumer's, not left for XAUTOCLAIM once idle for ``reclaim_idle_ms``."""
    clock = PassingTime(store)
    worker = stage(store, "c1", StoryStage(store, []), clock)
    await worker.start()
    assert await worker.hold_lease()
    assert await worker.run_once(block_ms=None) == 0  # a clean start: nothing pending
    article = factories.make_article(0)
    await store.articles.ingest(article)
    # Delivered to this consumer, the stage never told.
    await store.redis.xreadgroup("process", "c1", {store.keys.entries_stream: ">"}, count=1)
    assert await worker.run_once(block_ms=None) == 0  # within the interval
    await clock.advance(int(RECLAIM_EVERY * 1000))
    assert await worker.run_once(block_ms=None) == 1
    assert all(await _assigned(store, [article]))
    assert await _pending(store) == 0


async def test_run_waits_for_a_lease_held_elsewhere_and_work_returns_without_it(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The two callers of the batch loop: ``run`` (one partition, waits for its lease) asks
    again a third of a lease later until it gets it, then works; ``work`` (a partition
    handed over, workers/partitions.py) returns at once when the lease is elsewhere."""
    key = store.keys.process_lease()
    assert await store.leases.hold(key, "other", LEASE_MS)
    article = factories.make_article(0)
    await store.articles.ingest(article)
    waits: list[float] = []
    waited_twice = asyncio.Event()
    real_wait = process_stage._wait

    async def counted(stop: asyncio.Event, seconds: float) -> None:
        waits.append(seconds)
        if len(waits) >= 2:
            waited_twice.set()
        await real_wait(stop, seconds)

    monkeypatch.setattr(process_stage, "_wait", counted)
    handed_over = ProcessStage(store, "handed-over", stories=StoryStage(store, []))
    async with asyncio.timeout(30):
        await handed_over.work(asyncio.Event())  # returns though never stopped
    assert waits == [] and await _assigned(store, [article]) == [None]

    worked = asyncio.Event()

    class Waiting(ProcessStage):
        async def run_once(self, *args: Any, **kwargs: Any) -> int:
            handled = await super().run_once(*args, **kwargs)
            if handled:
                worked.set()
            return handled

    waiting = Waiting(store, "waiting", stories=StoryStage(store, []), lease_ms=300)
    stop = asyncio.Event()
    running = asyncio.create_task(waiting.run(stop))
    async with asyncio.timeout(30):
        await waited_twice.wait()
    assert not running.done() and await _assigned(store, [article]) == [None]
    assert set(waits) == {0.1}  # a third of its lease, never the 1 s failure back-off
    await store.leases.release(key, "other")
    async with asyncio.timeout(30):
        await worked.wait()
    assert await _assigned(store, [article]) != [None]
    stop.set()
    async with asyncio.timeout(30):
        await running
    assert await store.redis.get(key) == "waiting"
