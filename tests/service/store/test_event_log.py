"""EventLog: blocking reads stay under the client's socket timeout, however it was built;
whether a resume position can be caught up from."""

from __future__ import annotations

import pytest

from service.store import Store
from service.store.connection import RedisTarget
from service.store.event_log import SINCE_TOO_OLD, SINCE_UNKNOWN, EventLog
from service.store.keys import Keys


@pytest.mark.parametrize("by_url", [False, True])
async def test_a_blocking_read_on_an_idle_stream_ends_empty_not_in_a_timeout(
    redis_target: RedisTarget, by_url: bool
) -> None:
    """A client made from a URL (``REDIS_URL``) lists no socket timeout, yet its
    connections time out after redis-py's 5 s: the longest read must stay below that."""
    target = redis_target
    if by_url and redis_target.unix_socket:
        target = RedisTarget(url=f"unix://{redis_target.unix_socket}", unix_socket=None)
    client = target.client()
    try:
        log = EventLog(client, Keys("event-log-test"))
        limit = log.block_limit_ms(default=60_000)
        assert limit <= 4_000
        assert await log.read_after("$", count=10, block_ms=limit) == []
    finally:
        await client.aclose()


async def test_gap_after_tells_a_trimmed_position_from_an_unknown_one(store: Store) -> None:
    log = EventLog(store.redis, store.keys)
    stream = store.keys.events_stream
    assert await log.gap_after("0-0") is None  # nothing written yet
    assert await log.gap_after("5-0") == SINCE_UNKNOWN
    for n in range(1, 4):
        await store.redis.xadd(stream, {"n": str(n)}, id=f"{n}0-0")
    assert [await log.gap_after(i) for i in ("0-0", "10-0", "20-0", "30-0")] == [None] * 4
    assert await log.gap_after("30-1") == SINCE_UNKNOWN
    await store.redis.xtrim(stream, minid="20-0", approximate=False)
    assert await log.gap_after("20-0") is None  # kept, and so is all after it
    assert await log.gap_after("5-0") == SINCE_TOO_OLD  # 10-0 is gone
    await store.redis.xtrim(stream, minid="99-0", approximate=False)  # empty, as when idle
    assert await log.gap_after("30-0") is None  # the last id given out: nothing after it
    assert await log.gap_after("20-0") == SINCE_TOO_OLD
    assert await log.gap_after("0-0") is None
    assert await log.gap_after("31-0") == SINCE_UNKNOWN
