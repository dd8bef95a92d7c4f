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

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.api.errors import store_unavailable

log = logging.getLogger(__name__)

# Seconds: reads answer in milliseconds (the slowest, a story of 10,000 reports, in about
# 0.5 s), and Redis' own pauses (a fork, an AOF rewrite's fsync) last well under this.
READ_DEADLINE = 15.0


class ReadDeadline:
    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        started = False
        try:
            async with asyncio.timeout(self.seconds) as deadline:

                async def begun(message: Message) -> None:
                    nonlocal started
                    if message["type"] == "http.response.start":
                        started = True
                        deadline.reschedule(None)  # answering: not cut from here on
                    await send(message)

                await self.app(scope, receive, begun)
        except TimeoutError:
            if started or not deadline.expired():
                raise  # the app's own TimeoutError, not this deadline's
            log.warning(
                "GET %s: no answer within %g s (Redis stalled?): answered 503",
                scope["path"],
                self.seconds,
            )
            detail = f"no answer within {self.seconds:g} s (storage, Redis, is slow); retry shortly"
            await store_unavailable(detail)(scope, receive, send)
