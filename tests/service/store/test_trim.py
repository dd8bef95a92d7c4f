"""Consumer-aware trimming on a real Redis: nothing a group still needs is ever trimmed."""

from __future__ import annotations

from datetime import datetime, timedelta

from service.store import Store, codec
from service.store.trim import safe_point, trim_streams

NOW = datetime(2026, 11, 25, 12, 0, 0).astimezone()
HOUR = timedelta(hours=1)


async def _add(store: Store, stream: str, n: int, *, at: datetime = NOW) -> list[str]:
    base = codec.epoch_ms(at)
    return [await store.redis.xadd(stream, {"n": str(i)}, id=f"{base}-{i}") for i in range(n)]


async def _read(store: Store, stream: str, group: str, count: int) -> list[str]:
    reply = await store.redis.xreadgroup(group, "c1", {stream: ">"}, count=count)
    return [mid for _s, msgs in reply for mid, _f in msgs]


async def _ids(store: Store, stream: str) -> list[str]:
    return [mid for mid, _f in await store.redis.xrange(stream)]


async def _trim(store: Store, retention: timedelta = HOUR) -> None:
    await trim_streams(store, now=NOW, events_retention=retention, ceiling=1_000_000)


async def test_entries_acknowledged_go_pending_and_unread_stay(store: Store) -> None:
    stream = store.keys.entries(0)
    ids = await _add(store, stream, 10)
    await store.redis.xgroup_create(stream, "process", id="0")
    read = await _read(store, stream, "process", 6)  # 0..5 delivered, 6..9 unread
    await store.redis.xack(stream, "process", *read[:2], read[3])  # 2 and 4, 5 stay pending
    await _trim(store)
    # Only what precedes the oldest pending entry (ids 0, 1) goes; 3 was acked but is
    # newer than pending 2, which a crash must still replay.
    assert await _ids(store, stream) == ids[2:]
    await store.redis.xack(stream, "process", *read)
    await _trim(store)
    assert await _ids(store, stream) == ids[6:]  # the unread ones stay
    await store.redis.xack(stream, "process", *await _read(store, stream, "process", 10))
    await _trim(store)
    assert await _ids(store, stream) == []


async def test_never_read_group_keeps_everything(store: Store) -> None:
    stream = store.keys.entries(0)
    ids = await _add(store, stream, 5)
    await store.redis.xgroup_create(stream, "process", id="0")
    await _trim(store)
    assert await _ids(store, stream) == ids


async def test_entries_without_group_are_not_trimmed(store: Store) -> None:
    stream = store.keys.entries(0)
    ids = await _add(store, stream, 5)
    await _trim(store)
    assert await _ids(store, stream) == ids


async def test_slower_of_two_groups_bounds_the_trim(store: Store) -> None:
    stream = store.keys.entries(0)
    ids = await _add(store, stream, 10)
    for group in ("fast", "slow"):
        await store.redis.xgroup_create(stream, group, id="0")
    await store.redis.xack(stream, "fast", *await _read(store, stream, "fast", 10))
    await store.redis.xack(stream, "slow", *await _read(store, stream, "slow", 4))
    assert await safe_point(store, stream) == ids[4]
    await _trim(store)
    assert await _ids(store, stream) == ids[4:]


async def test_every_partition_is_trimmed(store: Store) -> None:
    await store.redis.set(store.keys.partition_count, 3)
    kept = {}
    for p in range(3):
        stream = store.keys.entries(p)
        ids = await _add(store, stream, 4)
        await store.redis.xgroup_create(stream, "process", id="0")
        await store.redis.xack(stream, "process", *await _read(store, stream, "process", p + 1))
        kept[p] = ids[p + 1 :]
    await _trim(store)
    for p in range(3):
        assert await _ids(store, store.keys.entries(p)) == kept[p]


async def test_events_beyond_the_window_go_only_once_the_notifier_read_them(
    store: Store,
) -> None:
    stream = store.keys.events_stream
    old = await _add(store, stream, 5, at=NOW - 2 * HOUR)
    recent = await _add(store, stream, 3, at=NOW - timedelta(minutes=1))
    await store.redis.xgroup_create(stream, "notify", id="0")
    read = await _read(store, stream, "notify", 3)
    await store.redis.xack(stream, "notify", *read)
    await _trim(store)
    assert await _ids(store, stream) == old[3:] + recent  # old[3:] unread by the notifier
    await store.redis.xack(stream, "notify", *await _read(store, stream, "notify", 8))
    await _trim(store)
    # All read: the window alone decides, and the last hour stays for SSE resumes.
    assert await _ids(store, stream) == recent


async def test_events_without_notifier_keep_the_window(store: Store) -> None:
    stream = store.keys.events_stream
    await _add(store, stream, 5, at=NOW - 2 * HOUR)
    recent = await _add(store, stream, 2, at=NOW - timedelta(minutes=59))
    await _trim(store)
    assert await _ids(store, stream) == recent


async def test_trim_of_missing_streams_is_a_no_op(store: Store) -> None:
    await _trim(store)
    assert await store.redis.exists(store.keys.entries(0), store.keys.events_stream) == 0


def test_the_setting_and_the_stores_share_one_stream_ceiling() -> None:
    from service.settings import Settings
    from service.store.keys import STREAM_CEILING

    assert Settings().stream_maxlen == STREAM_CEILING
