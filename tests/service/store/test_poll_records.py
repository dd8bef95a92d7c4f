"""PollRecorder: concurrent polls' records share one atomic write, each caller still waits
for its own write (real Redis)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from service.models import FeedConfig, FeedState
from service.store import Store
from service.store.poll_records import PollRecorder

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


async def transactions(store: Store) -> int:
    """Atomic writes so far: MULTI/EXEC blocks and script calls that ran (a script's
    first call fails NOSCRIPT and is sent again with its body)."""
    stats = await store.redis.info("commandstats")
    total = 0
    for command in ("cmdstat_exec", "cmdstat_evalsha", "cmdstat_eval"):
        counts = stats.get(command, {})
        total += int(counts.get("calls", 0)) - int(counts.get("failed_calls", 0))
    return total


async def add(store: Store, n: int) -> list[str]:
    return [
        (await store.feeds.add(FeedConfig(url=f"https://x.example/{i}"), first_poll=NOW))[0]
        for i in range(n)
    ]


def polled(i: int) -> FeedState:
    return FeedState(
        url=f"https://x.example/{i}",
        etag=f'"{i}"',
        last_status=304,
        next_poll=NOW + timedelta(seconds=600 + i),
    )


async def test_records_of_concurrent_polls_go_in_one_transaction(store: Store) -> None:
    ids = await add(store, 50)
    recorder = PollRecorder(store.feeds)
    before = await transactions(store)
    await asyncio.gather(*(recorder.record(feed_id, polled(i)) for i, feed_id in enumerate(ids)))
    assert await transactions(store) - before == 1
    for i, feed_id in enumerate(ids):
        stored = await store.feeds.get(feed_id)
        assert stored is not None and stored.state.etag == f'"{i}"'
        score = await store.redis.zscore(store.keys.feeds_due, feed_id)
        assert score == (NOW + timedelta(seconds=600 + i)).timestamp()


async def test_records_queued_during_a_write_go_in_the_next_and_batches_are_bounded(
    store: Store,
) -> None:
    ids = await add(store, 7)
    recorder = PollRecorder(store.feeds, batch=3)
    before = await transactions(store)
    first = asyncio.create_task(recorder.record(ids[0], polled(0)))
    while not recorder._writer or recorder._queue:  # noqa: ASYNC110 (until its write left alone)
        await asyncio.sleep(0)
    await asyncio.gather(first, *(recorder.record(ids[i], polled(i)) for i in range(1, 7)))
    # The lone first record, then the six queued meanwhile in batches of three.
    assert await transactions(store) - before == 3
    for i, feed_id in enumerate(ids):
        stored = await store.feeds.get(feed_id)
        assert (
            stored is not None and stored.state.last_status == 304 and stored.state.etag == f'"{i}"'
        )


async def test_a_failed_write_fails_every_record_of_its_batch(store: Store) -> None:
    ids = await add(store, 2)
    await store.redis.set(store.keys.feeds_due, "not a sorted set")  # ZADD fails in the write
    recorder = PollRecorder(store.feeds)
    results = await asyncio.gather(
        *(recorder.record(feed_id, polled(i)) for i, feed_id in enumerate(ids)),
        return_exceptions=True,
    )
    assert len(results) == 2 and all(isinstance(r, Exception) for r in results)
    await store.redis.delete(store.keys.feeds_due)
    await recorder.record(ids[0], polled(0))  # the recorder goes on after a failure
    stored = await store.feeds.get(ids[0])
    assert stored is not None and stored.state.etag == '"0"'


async def test_a_lone_record_is_stored_when_record_returns(store: Store) -> None:
    (feed_id,) = await add(store, 1)
    await PollRecorder(store.feeds).record(feed_id, polled(0))
    stored = await store.feeds.get(feed_id)
    assert stored is not None and stored.state.next_poll == NOW + timedelta(seconds=600)
