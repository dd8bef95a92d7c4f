"""A task that loses cancellations, as one inside a redis-py command can on Python 3.11:
redis-py sends through ``asyncio.wait_for``, which drops a cancellation that arrives as
the command finishes sending (bpo-42130, python/cpython#86296). The task then goes on to
its next step; here a wait that only a later cancellation ends."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

import pytest


async def losing_cancellations(lost: int, reading: asyncio.Event) -> None:
    """Blocks in a read that drops its first ``lost`` cancellations, then in the next
    (``reading`` is set as the first read starts)."""
    for _ in range(lost):
        reading.set()
        # Dropped, as by a ``wait_for`` whose command finished meanwhile.
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.Event().wait()
    reading.set()
    await asyncio.Event().wait()


def task_losing_a_cancellation(name: str) -> tuple[asyncio.Task[None], asyncio.Event]:
    """A task that drops its first cancellation, and the event set once it is blocked."""
    reading = asyncio.Event()
    return asyncio.create_task(losing_cancellations(1, reading), name=name), reading


class LosingOneCancellation:
    """Wraps an async call (a Redis command): the first cancellation that reaches it is
    dropped, and its caller then waits for good, as if what it did next never ended alone.
    ``lost`` says whether a cancellation was dropped."""

    def __init__(self, call: Callable[..., Awaitable[Any]]) -> None:
        self.call = call
        self.lost = False

    async def __call__(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return await self.call(*args, **kwargs)
        except asyncio.CancelledError:
            if self.lost:
                raise
            self.lost = True
        await asyncio.Event().wait()


def losing_one_cancellation_each(
    monkeypatch: pytest.MonkeyPatch, methods: dict[tuple[type, str], Callable[..., Any]]
) -> list[LosingOneCancellation]:
    """Patches each of ``methods`` (class and name -> the original) so that the first
    cancellation reaching a call of it is dropped (``LosingOneCancellation``)."""
    losing = []
    for (cls, name), original in methods.items():
        call = LosingOneCancellation(original)
        monkeypatch.setattr(cls, name, _as_method(call))
        losing.append(call)
    return losing


def _as_method(call: LosingOneCancellation) -> Callable[..., Awaitable[Any]]:
    async def method(self: object, *args: Any, **kwargs: Any) -> Any:
        return await call(self, *args, **kwargs)

    return method
