"""A bound on how long a read (GET, and HEAD, which reaches the app as a GET) may take to
begin its answer, as ASGI middleware: past ``seconds`` without one the request is
cancelled and answered ``503`` with ``Retry-After``.

Why: a Redis that keeps its connections but answers nothing (``CLIENT PAUSE``, a fork or
an fsync blocking its main thread, a network that drops packets) is no error to
redis-py, which waits on its socket and retries a timed-out command: a read then waits
as long as the stall lasts. Each such request holds a connection, a task and a Redis
connection; a client or proxy gave up long before. Once the answer has begun, it is not
cut: an event stream or a long body runs on.

Writes are not bounded here: cancelling one midway leaves to chance which of its
commands ran, and an admin's OPML import legitimately takes its host lookups' 20 s.
Cancelling a read is safe: shared reads and renders are shielded from one request's
cancellation (``service/api/shared_read.py``, ``render_cache.py``), and redis-py drops a
connection whose command was cancelled.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.api.errors import store_unavailable

log = logging.getLogger(__name__)

# Seconds: reads answer in milliseconds (the slowest, a story of 10,000 reports, in about
# 0.5 s), and Redis' own pauses (a fork, an AOF rewrite's fsync) last well under this.
READ_DEADLINE = 15.0


class ReadDeadline:
    """One watchdog task per app instead of a timer per request: a per-request
    ``asyncio.timeout`` schedules and cancels a loop timer on every read, the cached
    timeline's hot path included; registering the request's task in a dict is far
    cheaper. The watchdog wakes every quarter of the deadline (at most every second)
    while reads wait, so a stalled read is answered between ``seconds`` and ``seconds``
    plus that period."""

    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app = app
        self.seconds = seconds
        self._waiting: dict[asyncio.Task[Any], float] = {}  # read -> its deadline (loop time)
        self._expired: set[asyncio.Task[Any]] = set()  # reads the watchdog cancelled
        self._watchdog: asyncio.Task[None] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        task = asyncio.current_task()
        if scope["type"] != "http" or scope["method"] != "GET" or task is None:
            await self.app(scope, receive, send)
            return
        waiting = self._waiting
        loop = asyncio.get_running_loop()
        waiting[task] = loop.time() + self.seconds
        watchdog = self._watchdog
        if watchdog is None or watchdog.done() or watchdog.get_loop() is not loop:
            self._watchdog = loop.create_task(self._watch())

        async def begun(message: Message) -> None:
            if message["type"] == "http.response.start":
                waiting.pop(task, None)  # answering: not cut from here on
            await send(message)

        try:
            await self.app(scope, receive, begun)
        except asyncio.CancelledError:
            if task not in self._expired or task.uncancel() > 0:
                raise  # not this deadline's cancellation, or cancelled by another too
            log.warning(
                "GET %s: no answer within %g s (Redis stalled?): answered 503",
                scope["path"],
                self.seconds,
            )
            detail = f"no answer within {self.seconds:g} s (storage, Redis, is slow); retry shortly"
            await store_unavailable(detail)(scope, receive, send)
        finally:
            waiting.pop(task, None)
            self._expired.discard(task)

    async def _watch(self) -> None:
        """Cancel each read still waiting past its deadline; end when none waits."""
        loop = asyncio.get_running_loop()
        period = min(1.0, self.seconds / 4)
        while self._waiting:
            await asyncio.sleep(period)
            now = loop.time()
            late = [task for task, deadline in self._waiting.items() if deadline <= now]
            for task in late:
                del self._waiting[task]
                self._expired.add(task)
                task.cancel()
