"""Process partitions in Redis: their count, language placements, and the process workers
sharing them out (workers/partitions.py decides who holds what).

    lb:partitions              STRING the partition count, set once (SET NX)
    lb:partitions:languages    HASH language -> partition, each placed once (HSETNX)
    lb:process:workers         ZSET worker -> ms of its last heartbeat, on Redis TIME
                               (one clock for every host)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from service.store.connection import RedisClient
from service.store.keys import Keys


async def partition_count(redis: RedisClient, keys: Keys) -> int:
    """The partition count in use (1 before any process worker set it)."""
    return int(await redis.get(keys.partition_count) or 1)


class PartitionStore:
    def __init__(self, redis: RedisClient, keys: Keys) -> None:
        self.redis = redis
        self.keys = keys

    async def count(self) -> int:
        return await partition_count(self.redis, self.keys)

    async def is_set(self) -> bool:
        """Whether a process worker has set the count (``count`` reads 1 before)."""
        return bool(await self.redis.exists(self.keys.partition_count))

    async def set_once(self, wanted: int, languages: Mapping[str, int]) -> int:
        """Set the count to ``wanted`` (at least 1) and place ``languages`` unless already
        set; returns the count in Redis, which is the first one ever set. Read first and
        written only when missing: Redis at ``maxmemory`` refuses SET NX and HSETNX even
        of keys that exist, and a worker must still start on a store already set up."""
        if await self.redis.get(self.keys.partition_count) is None:
            await self.redis.set(self.keys.partition_count, max(1, wanted), nx=True)
        actual = await self.count()
        placed = set(await self.redis.hkeys(self.keys.partition_languages))
        for language, partition in languages.items():
            if language not in placed:
                await self.redis.hsetnx(self.keys.partition_languages, language, partition)
        return actual

    async def now_ms(self) -> int:
        """Redis TIME in epoch ms: the clock every process worker's heartbeat is on."""
        seconds, micros = await self.redis.time()
        return int(seconds) * 1000 + int(micros) // 1000

    async def heartbeat(self, worker: str, *, lease_ms: int) -> int:
        """Record ``worker`` as live now, forget workers silent for ten leases; returns how
        many workers beat within the last lease (at least 1)."""
        key, now_ms = self.keys.process_workers, await self.now_ms()
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.zadd(key, {worker: now_ms})
            pipe.zremrangebyscore(key, "-inf", now_ms - 10 * lease_ms)  # long gone
            pipe.zcount(key, now_ms - lease_ms, "+inf")
            *_, live = await pipe.execute()
        return max(1, int(live))

    async def live_workers(self, *, lease_ms: int) -> int:
        """How many workers beat within the last lease (at least 1; a read only)."""
        key, now_ms = self.keys.process_workers, await self.now_ms()
        return max(1, int(await self.redis.zcount(key, now_ms - lease_ms, "+inf")))

    async def leave(self, worker: str) -> None:
        """Take ``worker`` off the live workers at once (a clean shutdown)."""
        await self.redis.zrem(self.keys.process_workers, worker)

    async def lease_holders(self, partitions: Iterable[int]) -> list[str | None]:
        """The token holding each partition's process lease (None: free), in one MGET."""
        wanted = [self.keys.process_lease(p) for p in partitions]
        return list(await self.redis.mget(wanted)) if wanted else []
