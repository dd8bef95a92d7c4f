"""service/store/partitions.py: the partition count, the public read of it that the
stages and the benchmarks use (bench/ingest.py), set once."""

from __future__ import annotations

from service.store import Store


async def test_the_partition_count_is_1_until_set_then_the_first_value_set(store: Store) -> None:
    assert await store.partitions.count() == 1
    assert await store.partitions.set_once(4, {"en": 0}) == 4
    assert await store.partitions.set_once(8, {}) == 4  # set once: the first value stays
    assert await store.partitions.count() == 4
