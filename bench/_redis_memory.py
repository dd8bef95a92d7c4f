"""Where Redis' memory goes: keys grouped into families (``lb:article:*``) and the bytes
of each family estimated from a sample."""

from __future__ import annotations

import re
from typing import Any

ID_SEGMENT = re.compile(r"^([a-z]{1,3}_)?[0-9a-f]{8,}$")  # "3f2a…", "st_3f2a…"


def key_family(key: str) -> str:
    # A process partition's keys (``lb:{p3}:entries``) count with partition 0's family.
    key = re.sub(r"^lb:\{p\d+\}:entries$", "lb:stream:entries", key)
    return ":".join("*" if ID_SEGMENT.match(part) else part for part in key.split(":"))


async def memory_breakdown(redis: Any, per_family: int) -> dict[str, tuple[int, float]]:
    """Key family -> (keys, estimated bytes): SCAN everything, ``MEMORY USAGE`` on an evenly
    spaced sample of the *sorted* keys (SCAN order depends on Redis' per-start hash seed;
    sorting makes the sample, hence the estimate, the same on every run)."""
    families: dict[str, list[str]] = {}
    async for key in redis.scan_iter(count=2000):
        families.setdefault(key_family(key), []).append(key)
    result = {}
    for family, keys in families.items():
        keys.sort()
        sample = keys[:: max(1, len(keys) // per_family)][:per_family]
        async with redis.pipeline(transaction=False) as pipe:
            for key in sample:
                pipe.memory_usage(key, samples=0)
            sizes = [size or 0 for size in await pipe.execute()]
        result[family] = (len(keys), sum(sizes) / len(sizes) * len(keys))
    return result
