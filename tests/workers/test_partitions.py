"""Process partitions: placement of articles, fair shares, handover when a holder dies, and
a process stage that consumes only its own partition's stream.

Real Redis throughout; the two-worker test runs two ``PartitionedProcess`` instances
(what ``briefing worker --role process`` runs) in this process, one of them killed
the way kill -9 would (its tasks cancelled, nothing released).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest

from service.clock import utcnow
from service.models import Article, Source
from service.store import Store
from service.store.keys import ENTRIES_GROUP, partition_of
from service.store.leases import Held
from service.task_cancel import cancel_and_wait
from tests import factories
from tests.support.lost_cancellation import losing_cancellations
from tests.support.worker_processes import entry_messages, one_story_each, pending_entries
from workers.partitions import (
    PartitionedProcess,
    ensure_partitions,
    fair_share,
    linked_placements,
    parse_languages,
    preference,
    to_release,
)
from workers.process_stage import ProcessStage
from workers.story_stage import StoryStage

LANGUAGES = {"en": 0, "ru": 1, "de": 2, "fr": 3}
TOPICS = [
    "Storm floods the northern coast",
    "Central bank raises interest rates",
    "Election results announced in the capital",
    "Football club wins the national cup",
    "Wildfire forces evacuation of villages",
]


def article(n: int, language: str, *, feed: str = "https://f.example/rss") -> Article:
    published = utcnow() - timedelta(hours=1) + timedelta(seconds=n)
    url = f"https://{language}.example/a/{n}"
    return factories.article(
        id=f"{language}{n}",
        url=url,
        title=f"{TOPICS[n % len(TOPICS)]} ({language})",
        published=published,
        language=language,
        feed_url=feed,
        outlet=f"Outlet {n % 3}",
    )


# --- pure logic -----------------------------------------------------------------------


def test_fair_share_and_release_order() -> None:
    assert [fair_share(4, n) for n in (0, 1, 2, 3, 4, 5)] == [4, 4, 2, 2, 1, 1]
    order = preference("process-host-1", 4)
    assert sorted(order) == [0, 1, 2, 3]
    assert preference("process-host-1", 4) == order  # stable
    assert to_release({0, 1, 2, 3}, 2, order) == order[:1:-1]  # the least preferred two
    assert to_release({0, 1}, 2, order) == []


def test_partition_of_is_stable_and_configurable() -> None:
    assert partition_of("en", 1) == 0
    assert {partition_of(lang, 4) for lang in ("en", "ru", "zh", "de", "", "es")} <= set(range(4))
    assert partition_of("en", 4) == partition_of("en", 4)
    assert partition_of("en", 4, {"en": 3}) == 3
    assert partition_of("en", 2, {"en": 3}) == 1  # placements wrap into the count
    assert parse_languages("en=0, ru=1,=2") == {"en": 0, "ru": 1, "": 2}


def test_languages_a_briefing_follows_together_share_a_partition() -> None:
    # en+uk+ru (one briefing), en+ru (another), de+fr; "es" alone and "any language" place nothing.
    placed = linked_placements([("en", "uk", "ru"), ("ru", "en"), ("de", "fr"), ("es",), ()])
    assert set(placed) == {"en", "uk", "ru", "de", "fr"}
    for partitions in (1, 2, 4, 16):
        war = {partition_of(lang, partitions, placed) for lang in ("en", "uk", "ru")}
        assert war == {partition_of("en", partitions)}  # the group's first language stays put
        assert partition_of("de", partitions, placed) == partition_of("fr", partitions, placed)
    # Groups join through a shared language.
    chained = linked_placements([("en", "uk"), ("uk", "pl")])
    assert len({chained[lang] for lang in ("en", "uk", "pl")}) == 1


# --- placement (the ingest script) -----------------------------------------------------


async def test_one_partition_by_default_and_nothing_more_stored(store: Store) -> None:
    assert await store.articles.ingest(article(1, "de")) == "new"
    assert await store.redis.xlen(store.keys.entries(0)) == 1
    assert not await store.redis.exists(store.keys.article_sources("de1"))


async def test_articles_go_to_their_languages_partition_and_never_move(store: Store) -> None:
    assert await ensure_partitions(store, 4, {"en": 0, "ru": 1}) == 4
    assert await ensure_partitions(store, 8) == 4  # the first setting stays
    languages = ["en", "ru", "zh", "de", "", "es", "uk", "sk"]
    for n, language in enumerate(languages):
        assert await store.articles.ingest(article(n, language)) == "new"
    mapping = {"en": 0, "ru": 1}
    for n, language in enumerate(languages):
        partition = partition_of(language, 4, mapping)  # the script computes the same
        rows = await store.redis.xrange(store.keys.entries(partition))
        assert f"{language}{n}" in {f["article"] for _i, f in rows}, language
    assert len(await entry_messages(store)) == len(languages)
    # The same URL from a feed that says another language: a new source, routed to the
    # partition that holds the article (a story is only ever written by one holder).
    zh = article(2, "zh")
    other = dataclasses.replace(
        zh,
        identity="guid:other-feed",
        language="en",
        feed_url="https://other.example/rss",
        sources=(Source(feed_url="https://other.example/rss", outlet="Other", url=zh.url,
                        seen_at=zh.first_seen, language="en"),),
    )  # fmt: skip
    assert await store.articles.ingest(other) == "new_source"
    rows = await store.redis.xrange(store.keys.entries(partition_of("zh", 4, mapping)))
    assert [f["kind"] for _i, f in rows if f["article"] == "zh2"] == ["new", "source"]
    (stored,) = await store.articles.get_many(["zh2"])
    assert len(stored.sources) == 2  # the partition field is not a source


# --- two workers, one dies --------------------------------------------------------------


async def _until(condition: Callable[[], Awaitable[bool]], within: float = 30.0) -> None:
    async with asyncio.timeout(within):
        while not await condition():  # noqa: ASYNC110 (polling Redis, not an event)
            await asyncio.sleep(0.05)


async def _assigned(store: Store, ids: set[str]) -> bool:
    found = await store.redis.hmget(store.keys.story_of_article, sorted(ids))
    return all(found)


def _kill(worker: PartitionedProcess, run: asyncio.Task[None]) -> None:
    """As kill -9 would: every task gone, no lease given back, no batch finished."""
    run.cancel()
    for task, _stop in worker._tasks.values():
        task.cancel()


async def test_two_workers_split_partitions_and_one_takes_over_when_the_other_dies(
    store: Store,
) -> None:
    await ensure_partitions(store, 4, LANGUAGES)

    def worker(name: str) -> PartitionedProcess:
        return PartitionedProcess(
            store,
            name,
            lambda: StoryStage(store, []),
            partitions=4,
            lease_ms=1500,
            reclaim_idle_ms=300,
        )

    first = [article(n, lang) for n in range(20) for lang in LANGUAGES]
    for a in first:
        await store.articles.ingest(a)

    a, b = worker("process-a"), worker("process-b")
    stop_a, stop_b = asyncio.Event(), asyncio.Event()
    run_a = asyncio.create_task(a.run(stop_a))
    run_b: asyncio.Task[None] | None = None
    try:
        await _until(lambda: _true(len(a.held) == 4))  # alone: every partition
        run_b = asyncio.create_task(b.run(stop_b))
        # A newcomer gets its fair share: A hands two partitions over. What each worker
        # believes it holds is what Redis says (a lease that lapsed on a busy machine
        # may be another's for a moment, until the believer's next renewal or tick).
        await _until(lambda: _split(store, [(a, 2), (b, 2)]))
        assert a.held.isdisjoint(b.held)
        await _until(lambda: _assigned(store, {x.id for x in first}))

        _kill(a, run_a)
        dead = sorted(a.held)
        language = next(lang for lang, p in LANGUAGES.items() if p == dead[0])
        # Messages the dead worker had read but not acknowledged when it died, read here
        # under its name. Its leases are held (renewed as its last act) until they are
        # read, then run out a lease later, as if it died then: however long the reads
        # take on a busy machine, B cannot have consumed these messages first. (A read a
        # worker had blocked in before the kill or a handover may have been handed a few
        # of them already: pending all the same, and reclaimed like these.)
        leases = [store.keys.process_lease(p) for p in dead]
        for lease in leases:
            assert await store.leases.hold(lease, "process-a", 60_000) == Held.KEPT
        second = [article(n, language) for n in range(20, 40)]
        for x in second:
            await store.articles.ingest(x)
        await store.redis.xreadgroup(
            ENTRIES_GROUP, "process-a", {store.keys.entries(dead[0]): ">"}, count=5
        )
        stranded = await store.redis.xpending_range(
            store.keys.entries(dead[0]), ENTRIES_GROUP, "-", "+", 100, consumername="process-a"
        )
        assert stranded
        for lease in leases:
            assert await store.redis.pexpire(lease, 1500)
        second += [
            article(n, lang) for n in range(20, 40) for lang in LANGUAGES if lang != language
        ]
        for x in second[20:]:
            await store.articles.ingest(x)

        # B takes the dead worker's partitions within about a lease, reclaims what it
        # left pending, and every article ends in exactly one story.
        await _until(lambda: _true(b.held == {0, 1, 2, 3}))
        everything = {x.id for x in first + second}
        await _until(lambda: _assigned(store, everything))
        await _until(lambda: _is_zero(pending_entries(store)))
    finally:
        stop_b.set()
        if run_b is not None:
            await asyncio.wait_for(run_b, 10)
        _kill(a, run_a)
        with contextlib.suppress(asyncio.CancelledError):
            await run_a

    for story in await one_story_each(store, everything):
        assert len(story.languages) == 1, "a story never spans partitions (languages)"
    # A graceful stop hands every lease back at once.
    for partition in range(4):
        assert await store.redis.get(store.keys.process_lease(partition)) is None


async def _true(value: bool) -> bool:
    return value


async def _split(store: Store, shares: list[tuple[PartitionedProcess, int]]) -> bool:
    """Each worker holds its share, and exactly the partitions whose lease is its own."""
    tokens = await store.redis.mget([store.keys.process_lease(p) for p in range(4)])
    return all(
        len(worker.held) == share
        and worker.held == {p for p, t in enumerate(tokens) if t == worker.consumer_name}
        for worker, share in shares
    )


async def _is_zero(value: Awaitable[int]) -> bool:
    return await value == 0


async def test_a_busy_partition_is_never_stranded_by_lease_upkeep(store: Store) -> None:
    """The coordinator checks leases while batches are in flight; a renewal from it would
    touch the WATCHed lease and abort the batch, again and again: the partition would
    stall for good (this test would time out)."""
    await ensure_partitions(store, 2, {"en": 0, "ru": 1})
    articles = [article(n, lang) for n in range(500) for lang in ("en", "ru")]
    for a in articles:
        await store.articles.ingest(a)
    worker = PartitionedProcess(
        store, "busy", lambda: StoryStage(store, []), partitions=2, lease_ms=600
    )
    stop = asyncio.Event()
    run = asyncio.create_task(worker.run(stop))
    try:
        await _until(lambda: _assigned(store, {a.id for a in articles}), within=60)
    finally:
        stop.set()
        await asyncio.wait_for(run, 10)
    assert await pending_entries(store) == 0


async def test_a_handover_happens_between_ticks_not_at_the_next_one(store: Store) -> None:
    """The first worker takes every partition; when a second joins, the holder notices
    the new share and the newcomer the released lease by watching (reads every
    ``watch_ms``), long before either's next tick (a 20 s tick here): with ticks alone a
    handed partition would stay idle up to a tick."""
    await ensure_partitions(store, 2, {"en": 0, "ru": 1})

    def worker(name: str) -> PartitionedProcess:
        return PartitionedProcess(
            store, name, lambda: StoryStage(store, []), partitions=2, lease_ms=60_000
        )

    a, b = worker("process-a"), worker("process-b")
    stop = asyncio.Event()
    run_a = asyncio.create_task(a.run(stop))
    runs = [run_a]
    try:
        await _until(lambda: _true(len(a.held) == 2), within=10)
        runs.append(asyncio.create_task(b.run(stop)))
        # Both workers' next ticks are 20 s away; the split must come from watching.
        await _until(lambda: _true(len(a.held) == 1 and len(b.held) == 1), within=10)
        assert a.held.isdisjoint(b.held)
        articles = [article(n, lang) for n in range(5) for lang in ("en", "ru")]
        for x in articles:
            await store.articles.ingest(x)
        await _until(lambda: _assigned(store, {x.id for x in articles}), within=30)
    finally:
        stop.set()
        await asyncio.wait_for(asyncio.gather(*runs), 20)


async def test_watch_waits_out_a_quiet_tick_and_returns_on_stop(store: Store) -> None:
    await ensure_partitions(store, 2)
    worker = PartitionedProcess(store, "quiet", lambda: None, partitions=2, watch_ms=50)
    await worker.tick()  # alone: holds both, nothing lacked
    assert worker.held == {0, 1}
    stop = asyncio.Event()
    try:
        assert await worker.watch(stop, seconds=0.3) is False  # nothing changed
        await store.redis.zadd(store.keys.process_workers, {"joiner": int(time.time() * 1000)})
        assert await worker.watch(stop, seconds=30) is True  # the share changed: 2 -> 1
        stop.set()
        assert await worker.watch(stop, seconds=30) is True
    finally:
        await worker.shutdown()


async def test_a_lease_that_expired_unclaimed_stays_with_its_task(store: Store) -> None:
    """A renewal came late and the lease expired, but no other worker took it: the tick
    leaves the partition's task alone (its next renewal takes the lease again), rather
    than waiting out its batch and starting it afresh."""
    await ensure_partitions(store, 2)
    worker = PartitionedProcess(
        store, "late", lambda: StoryStage(store, []), partitions=2, lease_ms=60_000
    )
    await worker.tick()
    assert worker.held == {0, 1}
    tasks = {p: task for p, (task, _stop) in worker._tasks.items()}
    try:
        await store.redis.delete(store.keys.process_lease(0))  # expired
        await store.redis.set(store.keys.process_lease(1), "another-worker")  # taken
        await worker.tick()
        assert worker._tasks[0][0] is tasks[0]
        assert 1 not in worker._tasks and tasks[1].done()
    finally:
        await worker.shutdown()


async def test_a_worker_cancelled_while_it_stops_a_partition_is_cancelled(store: Store) -> None:
    """kill: the worker's task is cancelled while it waits for a partition's task to end
    (a batch that outlasts the stop). The cancellation ends the worker; swallowed, the
    worker would carry on heartbeating and holding its other partitions."""
    await ensure_partitions(store, 1)
    worker = PartitionedProcess(store, "stopping", lambda: None, partitions=1, lease_ms=10)
    worker._stage(0)
    cancelled_once, finish = asyncio.Event(), asyncio.Event()

    async def slow_to_stop() -> None:
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            cancelled_once.set()
            await finish.wait()  # ends its batch before it honours the cancellation
            raise

    worker._tasks[0] = (asyncio.create_task(slow_to_stop()), asyncio.Event())
    stopping = asyncio.create_task(worker._stop(0, release=False))
    await asyncio.wait_for(cancelled_once.wait(), 10)  # its task was told to stop
    stopping.cancel()
    finish.set()
    with contextlib.suppress(asyncio.CancelledError):
        await stopping
    assert stopping.cancelled()


async def test_shutdown_stops_every_partition_at_once(store: Store) -> None:
    """Each partition's task may be inside a blocking read (up to 500 ms) when the worker
    stops; they are all told first and end together, so stopping a worker that holds the
    default 4 partitions takes one read, not four in a row (part of a prompt SIGTERM).
    Checked by order, not by the clock: when the first task ends, every task was told."""
    await ensure_partitions(store, 4)
    worker = PartitionedProcess(store, "stopping", lambda: StoryStage(store, []), partitions=4)
    stop = asyncio.Event()
    run = asyncio.create_task(worker.run(stop))
    told_when_each_ended: list[list[bool]] = []
    try:
        await _until(lambda: _true(len(worker.held) == 4), within=10)
        await asyncio.sleep(0.2)  # every partition's task is reading by now
        tasks = dict(worker._tasks)
        for task, _ in tasks.values():
            task.add_done_callback(
                lambda _t: told_when_each_ended.append([e.is_set() for _, e in tasks.values()])
            )
    finally:
        stop.set()
        await asyncio.wait_for(run, 10)
    assert len(told_when_each_ended) == 4
    assert told_when_each_ended[0] == [True] * 4
    assert await store.redis.mget([store.keys.process_lease(p) for p in range(4)]) == [None] * 4


async def test_a_partition_consumes_its_own_stream_under_its_own_lease(store: Store) -> None:
    await store.redis.set(store.keys.partition_count, 4)
    await store.redis.hset(store.keys.partition_languages, "de", 2)
    for n in range(3):
        await store.articles.ingest(article(n, "de"))
    assert await store.redis.xlen(store.keys.entries(2)) == 3
    wrong = ProcessStage(store, "p1", stories=StoryStage(store, []), partition=1)
    right = ProcessStage(store, "p2", stories=StoryStage(store, []), partition=2)
    for process in (wrong, right):
        await process.start()
        assert await process.hold_lease()  # one lease per partition: both hold theirs
    assert await wrong.run_once(block_ms=50) == 0
    assert await right.run_once(block_ms=50) == 3
    assert await store.redis.get(store.keys.process_lease(2)) == "p2"
    assert await store.redis.llen(store.keys.cluster_log(2)) == 3
    assert await store.redis.exists(store.keys.cluster_log(0)) == 0


async def test_a_partition_task_that_loses_its_cancellation_still_ends_the_shutdown(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A partition's task still busy a lease after its stop is cancelled; a cancellation
    redis-py dropped (tests/support/lost_cancellation.py) left it to whatever it did
    next, and the shutdown waited on it for good. Here what it does next never ends
    alone: the shutdown ends all the same, the partition handed over."""
    reading: list[asyncio.Event] = []

    async def busy_past_its_lease(_stage: ProcessStage, _stop: asyncio.Event) -> None:
        reading.append(asyncio.Event())
        await losing_cancellations(1, reading[-1])

    monkeypatch.setattr(ProcessStage, "work", busy_past_its_lease)
    await ensure_partitions(store, 1)
    worker = PartitionedProcess(
        store, "stopping", lambda: StoryStage(store, []), partitions=1, lease_ms=300
    )
    stop = asyncio.Event()
    run = asyncio.create_task(worker.run(stop))
    await _until(lambda: _true(bool(reading) and reading[0].is_set()), within=10)
    stop.set()
    done, _ = await asyncio.wait({run}, timeout=30)
    assert done == {run}, "the shutdown waits on a task that lost its cancellation"
    run.result()
    assert await store.redis.get(store.keys.process_lease(0)) is None


async def test_a_partition_task_that_fails_as_the_worker_is_cancelled_is_logged(
    store: Store, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A worker cancelled (its stage grace run out) ends its partitions' tasks; one that
    fails as it ends has its error logged with its traceback, not left for asyncio's
    "exception was never retrieved" whenever the task is collected, if ever."""
    failure = RuntimeError("the batch's cleanup failed")
    working: list[asyncio.Event] = []

    async def failing_as_it_ends(_stage: ProcessStage, _stop: asyncio.Event) -> None:
        working.append(asyncio.Event())
        try:
            working[-1].set()
            await asyncio.Event().wait()
        finally:
            raise failure

    monkeypatch.setattr(ProcessStage, "work", failing_as_it_ends)
    await ensure_partitions(store, 1)
    worker = PartitionedProcess(store, "cancelled", lambda: StoryStage(store, []), partitions=1)
    with caplog.at_level(logging.ERROR):
        run = asyncio.create_task(worker.run(asyncio.Event()))
        await _until(lambda: _true(bool(working) and working[0].is_set()), within=10)
        assert await cancel_and_wait(run, within=30)
    assert run.cancelled()
    logged = [
        r
        for r in caplog.records
        if r.exc_info is not None
        and r.exc_info[1] is failure
        and "never retrieved" not in r.getMessage()
    ]
    assert len(logged) == 1, caplog.text
