"""A shared read: one read per window however many callers, refreshed in the background
once expired, and no sharing at all with ``ttl <= 0``."""

from __future__ import annotations

import asyncio

from service.api.shared_read import SharedRead


async def test_reads_are_shared_then_refreshed_in_the_background() -> None:
    shared = SharedRead[str](ttl=1.0)
    versions = iter(["1-0", "2-0", "3-0"])
    reads = 0

    async def fetch() -> str:
        nonlocal reads
        reads += 1
        return next(versions)

    assert await shared.read(fetch, now=0.0) == "1-0"
    assert await shared.read(fetch, now=0.5) == "1-0"
    assert reads == 1
    assert await shared.read(fetch, now=2.0) == "1-0"  # expired: stale value, one refresh
    assert await shared.read(fetch, now=2.1) == "1-0"
    await asyncio.sleep(0)
    assert reads == 2 and await shared.read(fetch, now=2.2) == "2-0"


async def test_zero_ttl_reads_every_time() -> None:
    shared = SharedRead[str](ttl=0)
    values = iter(["1-0", "2-0"])

    async def fetch() -> str:
        return next(values)

    assert [await shared.read(fetch, now=0.0), await shared.read(fetch, now=0.0)] == ["1-0", "2-0"]
