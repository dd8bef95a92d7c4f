"""A shared read: one read per window however many callers, refreshed in the background
once expired, and no sharing at all with ``ttl <= 0``."""

from __future__ import annotations

import asyncio

from service.api.shared_read import SharedRead


class Versions:
    """A fetch answering the given values in turn, counting its reads."""

    def __init__(self, *values: str) -> None:
        self._values = iter(values)
        self.reads = 0

    async def __call__(self) -> str:
        self.reads += 1
        return next(self._values)


async def test_reads_are_shared_then_refreshed_in_the_background() -> None:
    shared = SharedRead[str](ttl=1.0)
    fetch = Versions("1-0", "2-0", "3-0")

    assert await shared.read(fetch, now=0.0) == "1-0"
    assert await shared.read(fetch, now=0.5) == "1-0"
    assert fetch.reads == 1
    assert await shared.read(fetch, now=1.5) == "1-0"  # expired: stale value, one refresh
    assert await shared.read(fetch, now=1.6) == "1-0"
    await asyncio.sleep(0)
    assert fetch.reads == 2 and await shared.read(fetch, now=1.7) == "2-0"


async def test_a_value_from_before_a_quiet_spell_is_read_again_before_it_is_answered() -> None:
    """After no reads for a while the last value is as old as the silence: answering it
    while a refresh runs served a timeline page of that age (seconds) to the first
    requests after new story events. Every caller waits for the one refresh instead."""
    shared = SharedRead[str](ttl=0.05)
    fetch = Versions("1-0", "2-0")

    assert await shared.read(fetch, now=0.0) == "1-0"
    answers = await asyncio.gather(shared.read(fetch, now=10.0), shared.read(fetch, now=10.0))
    assert answers == ["2-0", "2-0"] and fetch.reads == 2


async def test_zero_ttl_reads_every_time() -> None:
    shared = SharedRead[str](ttl=0)
    fetch = Versions("1-0", "2-0")

    assert [await shared.read(fetch, now=0.0), await shared.read(fetch, now=0.0)] == ["1-0", "2-0"]
