"""Counters summed over every process: one hash, sample name (with labels) -> value.

Each process counts in memory and adds its increments here every few seconds
(service/metrics.py); HINCRBYFLOAT is atomic, so the sums never depend on which
processes ran. ``GET /metrics`` reads the hash back (service/metrics_exposition.py).
"""

from __future__ import annotations

from collections.abc import Mapping

from service.store.connection import RedisClient
from service.store.keys import Keys


class Counters:
    def __init__(self, redis: RedisClient, keys: Keys) -> None:
        self.redis = redis
        self.key = keys.metrics

    async def add(self, increments: Mapping[str, float]) -> None:
        """Add each increment to its sample, in one round trip."""
        async with self.redis.pipeline(transaction=False) as pipe:
            for field, value in increments.items():
                pipe.hincrbyfloat(self.key, field, value)
            await pipe.execute()

    async def read(self) -> dict[str, str]:
        """Every sample name and its sum so far."""
        return dict(await self.redis.hgetall(self.key))
