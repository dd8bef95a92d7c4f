"""service/store/partitions.py: the partition count, the public read of it that the
stages and the benchmarks use (bench/ingest.py), set once."""

from __future__ import annotations

from service.store import Store


async def test_the_partition_count_is_1_until_set_then_the_first_value_set(store: Store) -> None:
    assert await store.partitions.count() == 1
    assert not await store.partitions.is_set()
    assert await store.partitions.set_once(4, {"en": 0}) == 4
    assert await store.partitions.is_set()
    assert await store.partitions.set_once(8, {}) == 4  # set once: the first value stays
    assert await store.partitions.count() == 4


async def test_partitions_already_set_open_while_redis_refuses_writes(server_store: Store) -> None:
    """A process worker restarted while Redis is full (maxmemory, noeviction) finds the
    count and placements set: Redis refuses SET NX and HSETNX even of keys that exist, so
    nothing already there is written again."""
    store = server_store
    assert await store.partitions.set_once(4, {"en": 0, "de": 2}) == 4
    await store.redis.config_set("maxmemory", 1)
    try:
        assert await store.partitions.set_once(4, {"en": 0, "de": 2}) == 4
    finally:
        await store.redis.config_set("maxmemory", 0)
    assert await store.redis.hgetall(store.keys.partition_languages) == {"en": "0", "de": "2"}
