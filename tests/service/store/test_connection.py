"""Clients of a RedisTarget pack commands with hiredis and round-trip every argument type."""

from __future__ import annotations

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
