"""Clients of a RedisTarget pack commands with hiredis and round-trip every argument type."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import redis.asyncio as aioredis
from redis.exceptions import DataError, OutOfMemoryError

from service.store import Store
from service.store.connection import RedisTarget, read_together


async def test_commands_round_trip_through_hiredis_packing(redis: aioredis.Redis) -> None:
    connection = await redis.connection_pool.get_connection()
    try:
        assert type(connection).__name__.startswith("Hiredis")
        # Only packing changes: redis-py's client defaults (its socket timeout) stay.
        assert redis.connection_pool.connection_kwargs.get("socket_timeout")
        # Same bytes as redis-py's own packing (floats as repr, str as UTF-8).
        args = ("ZADD", "z", 0.1, "é", 12345678901234567890, b"\xff")
        assert b"".join(connection.pack_command(*args)) == b"".join(
            aioredis.Connection().pack_command(*args)
        )
    finally:
        await redis.connection_pool.release(connection)
    await redis.zadd("scores", {"é": 0.1, "big": 1e20, "tiny": 1.5e-7})
    assert await redis.zrange("scores", 0, -1, withscores=True) == [
        ("tiny", 1.5e-7),
        ("é", 0.1),
        ("big", 1e20),
    ]
    async with redis.pipeline(transaction=True) as pipe:
        pipe.set("count", 41).incr("count").get("count")
        assert await pipe.execute() == [True, 42, "42"]
    assert await redis.execute_command("CONFIG GET", "maxmemory") is not None


async def test_a_bool_argument_is_refused_as_redis_py_refuses_it(redis: aioredis.Redis) -> None:
    with pytest.raises(DataError):
        await redis.set("flag", True)  # type: ignore[arg-type]


async def test_a_url_target_packs_with_hiredis_too(redis_target: RedisTarget) -> None:
    url = RedisTarget(url=f"unix://{redis_target.unix_socket}", unix_socket=None)
    client = url.client() if redis_target.unix_socket else redis_target.client()
    try:
        assert client.connection_pool.connection_class.__name__.startswith("Hiredis")
        assert await client.ping()
    finally:
        await client.aclose()


async def test_reads_together_are_served_while_redis_refuses_multi_at_maxmemory(
    server_store: Store,
) -> None:
    redis = server_store.redis
    await redis.set("header", "h")
    await redis.rpush("members", "a", "b")

    def reads(pipe: Any) -> None:
        pipe.get("header")
        pipe.lrange("members", 0, -1)

    await redis.config_set("maxmemory", 1)
    try:
        with pytest.raises(OutOfMemoryError):  # what a MULTI of reads meets
            async with redis.pipeline(transaction=True) as pipe:
                reads(pipe)
                await pipe.execute()
        replies = await read_together(redis, reads)
    finally:
        await redis.config_set("maxmemory", 0)
    assert replies == ["h", ["a", "b"]]
    assert await read_together(redis, reads) == ["h", ["a", "b"]]


class FullRedis:
    """A Redis at ``maxmemory``, in memory: it refuses every MULTI, and runs a plain
    pipeline's GETs one at a time; ``between`` runs after the first GET of the first
    plain pipeline, as a write another client sends lands between two reads."""

    def __init__(self, state: dict[str, str], between: Callable[[], None]) -> None:
        self.state = state
        self.between: Callable[[], None] | None = between

    def pipeline(self, *, transaction: bool) -> FullRedisPipeline:
        return FullRedisPipeline(self, transaction)


class FullRedisPipeline:
    def __init__(self, redis: FullRedis, transaction: bool) -> None:
        self.redis, self.transaction, self.keys = redis, transaction, list[str]()

    async def __aenter__(self) -> FullRedisPipeline:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None

    def get(self, key: str) -> None:
        self.keys.append(key)

    async def execute(self) -> list[str | None]:
        if self.transaction:
            raise OutOfMemoryError("command not allowed when used memory > 'maxmemory'.")
        replies = []
        for n, key in enumerate(self.keys):
            replies.append(self.redis.state.get(key))
            if n == 0 and self.redis.between is not None:
                self.redis.between()
                self.redis.between = None
        return replies


async def test_reads_together_without_multi_never_return_a_write_half_seen() -> None:
    """Retention deletes a story (header and members) between the two reads of a plain
    pipeline: the header alone must not come back, or the story stage would write the
    story back whole from it."""
    state = {"header": "h", "members": "a,b"}
    redis = FullRedis(state, between=state.clear)

    def reads(pipe: Any) -> None:
        pipe.get("header")
        pipe.get("members")

    assert await read_together(redis, reads) == [None, None]
