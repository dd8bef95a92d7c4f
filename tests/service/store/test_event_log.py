"""EventLog: blocking reads stay under the client's socket timeout, however it was built."""

from __future__ import annotations

import pytest

from service.store.connection import RedisTarget
from service.store.event_log import EventLog
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
