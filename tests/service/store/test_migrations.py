"""service.store.migrations: the store's data format is written on first use, checked on
every start, and moved only by ``migrate``, one ordered migration at a time (real Redis)."""

from __future__ import annotations

import pytest
from redis.exceptions import RedisError

from service.store import Store
from service.store.connection import RedisClient
from service.store.keys import Keys
from service.store.migrations import (
    DATA_FORMAT,
    DataFormatError,
    Migration,
    check_data_format,
    migrate,
)


async def rename_greeting(redis: RedisClient, keys: Keys) -> None:
    """Version 1 -> 2 of a made-up format: ``greeting`` becomes ``salutation``."""
    greeting = await redis.get(f"{keys.prefix}:greeting")
    if greeting is not None:
        await redis.set(f"{keys.prefix}:salutation", greeting)
        await redis.delete(f"{keys.prefix}:greeting")


async def shout_salutation(redis: RedisClient, keys: Keys) -> None:
    """Version 2 -> 3: ``salutation`` is upper case (the same again: safe to rerun)."""
    salutation = await redis.get(f"{keys.prefix}:salutation")
    if salutation is not None:
        await redis.set(f"{keys.prefix}:salutation", salutation.upper())


TWO_STEPS = (
    Migration("greeting is now salutation", rename_greeting),
    Migration("salutation in upper case", shout_salutation),
)


async def test_a_new_store_gets_this_release_format_and_keeps_it(store: Store) -> None:
    assert DATA_FORMAT == 1  # no migration yet: the format the code writes today
    assert await check_data_format(store.redis, store.keys) == DATA_FORMAT
    assert await store.redis.get(store.keys.data_format) == str(DATA_FORMAT)
    assert await check_data_format(store.redis, store.keys) == DATA_FORMAT


async def test_a_store_with_its_format_opens_while_redis_is_full(server_store: Store) -> None:
    """At ``maxmemory`` Redis refuses a SET NX even of a key that exists: every
    ``briefing`` command then stopped at its start with a traceback, on a store that
    needed nothing written. The format is read first and written only when missing."""
    store = server_store
    assert await check_data_format(store.redis, store.keys) == DATA_FORMAT
    await store.redis.config_set("maxmemory", 1)
    try:
        assert await check_data_format(store.redis, store.keys) == DATA_FORMAT
        await store.redis.delete(store.keys.data_format)  # a never-written store: refused
        with pytest.raises(RedisError, match="maxmemory"):
            await check_data_format(store.redis, store.keys)
    finally:
        await store.redis.config_set("maxmemory", 0)


async def test_a_store_of_a_newer_format_is_refused_with_what_to_do(store: Store) -> None:
    await store.redis.set(store.keys.data_format, DATA_FORMAT + 1)
    with pytest.raises(DataFormatError) as refused:
        await check_data_format(store.redis, store.keys)
    message = str(refused.value)
    assert f"holds data format {DATA_FORMAT + 1}, written by a newer release" in message
    assert f"this one reads format {DATA_FORMAT}" in message
    with pytest.raises(DataFormatError, match="newer release"):
        await migrate(store.redis, store.keys)
    assert await store.redis.get(store.keys.data_format) == str(DATA_FORMAT + 1)


async def test_a_store_of_an_older_format_must_be_migrated_first(store: Store) -> None:
    await store.redis.set(store.keys.data_format, 1)
    with pytest.raises(DataFormatError, match="older than the 3 this release reads") as refused:
        await check_data_format(store.redis, store.keys, TWO_STEPS)
    assert "run `briefing migrate`" in str(refused.value)


@pytest.mark.parametrize("value", ["0", "two", ""])
async def test_a_format_that_is_no_version_is_refused(store: Store, value: str) -> None:
    await store.redis.set(store.keys.data_format, value)
    with pytest.raises(DataFormatError, match="not a version"):
        await check_data_format(store.redis, store.keys)


async def test_migrate_applies_the_missing_steps_in_order_once(store: Store) -> None:
    await store.redis.set(store.keys.data_format, 1)
    await store.redis.set(f"{store.keys.prefix}:greeting", "hello")
    assert await migrate(store.redis, store.keys, TWO_STEPS) == [
        "data format 1 -> 2: greeting is now salutation",
        "data format 2 -> 3: salutation in upper case",
    ]
    assert await store.redis.get(f"{store.keys.prefix}:salutation") == "HELLO"
    assert await store.redis.get(store.keys.data_format) == "3"
    assert await check_data_format(store.redis, store.keys, TWO_STEPS) == 3
    assert await migrate(store.redis, store.keys, TWO_STEPS) == [
        "data format 3: up to date, nothing to migrate"
    ]


async def test_migrate_starts_from_the_stored_version(store: Store) -> None:
    await store.redis.set(store.keys.data_format, 2)
    await store.redis.set(f"{store.keys.prefix}:greeting", "left alone")
    await store.redis.set(f"{store.keys.prefix}:salutation", "hi")
    assert await migrate(store.redis, store.keys, TWO_STEPS) == [
        "data format 2 -> 3: salutation in upper case"
    ]
    assert await store.redis.get(f"{store.keys.prefix}:greeting") == "left alone"
    assert await store.redis.get(f"{store.keys.prefix}:salutation") == "HI"


async def test_migrate_on_a_new_store_writes_the_format(store: Store) -> None:
    assert await migrate(store.redis, store.keys) == [
        f"new store: data format {DATA_FORMAT} written"
    ]
    assert await migrate(store.redis, store.keys) == [
        f"data format {DATA_FORMAT}: up to date, nothing to migrate"
    ]
