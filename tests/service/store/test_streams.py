"""service/store/streams.py: a consumer group over a real Redis stream."""

from __future__ import annotations

import logging

import pytest
from redis.exceptions import ResponseError

from service.store import Store
from service.store.streams import StreamConsumer, has_group


async def test_a_group_lost_with_the_data_is_created_again_with_a_log_line(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    consumer = StreamConsumer(store.redis, "probe:entries", "process", "c1")
    await consumer.ensure_group()
    await store.redis.flushdb()  # Redis lost its data under the running stage
    with caplog.at_level(logging.WARNING, logger="service.store.streams"):
        assert await consumer.own_pending() == []
    assert "consumer group 'process' of probe:entries was missing" in caplog.text
    assert await consumer.read(block_ms=None) == []
    await store.redis.xadd("probe:entries", {"entry": "1"})
    [(_id, fields)] = await consumer.read(block_ms=None)
    assert fields == {"entry": "1"}


async def test_another_refusal_is_still_raised(store: Store) -> None:
    consumer = StreamConsumer(store.redis, "probe:entries", "process", "c1")
    await store.redis.set("probe:entries", "not a stream")
    with pytest.raises(ResponseError, match="WRONGTYPE"):
        await consumer.read(block_ms=None)


async def test_reclaim_takes_only_what_another_consumer_left_and_read_new_only_new(
    store: Store,
) -> None:
    dead = StreamConsumer(store.redis, "probe:entries", "process", "dead")
    live = StreamConsumer(store.redis, "probe:entries", "process", "live", reclaim_idle_ms=0)
    await live.ensure_group()
    for n in range(3):
        await store.redis.xadd("probe:entries", {"entry": str(n)})
    assert [f["entry"] for _i, f in await dead.read_new(count=2, block_ms=None)] == ["0", "1"]
    assert [f["entry"] for _i, f in await live.read_new(block_ms=None)] == ["2"]
    assert await live.read_new(block_ms=None) == []  # delivered ones are not new
    assert [f["entry"] for _i, f in await live.reclaim()] == ["0", "1", "2"]
    assert [f["entry"] for _i, f in await live.own_pending()] == ["0", "1", "2"]
    assert await dead.own_pending() == []


async def test_has_group_is_false_until_the_group_is_made(store: Store) -> None:
    assert not await has_group(store.redis, "probe:entries", "process")  # no stream yet
    await store.redis.xadd("probe:entries", {"entry": "1"})
    assert not await has_group(store.redis, "probe:entries", "process")
    await StreamConsumer(store.redis, "probe:entries", "process", "c1").ensure_group()
    assert await has_group(store.redis, "probe:entries", "process")
    assert not await has_group(store.redis, "probe:entries", "other")
    await store.redis.set("probe:other", "not a stream")
    with pytest.raises(ResponseError, match="WRONGTYPE"):
        await has_group(store.redis, "probe:other", "process")
