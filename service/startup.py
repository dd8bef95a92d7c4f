"""Start-up steps that wait for Redis instead of failing at once.

A long-running command (``run``, ``api``, ``worker``) does some Redis I/O before it
serves: the data-format check, seeding the configured feeds and briefings. Started by
an orchestrator beside its Redis (docker compose, Kubernetes, systemd), it often comes
up first; failing at once then means a restart loop, and at worst a supervisor giving up.
So each step is retried while Redis is unreachable (``UNAVAILABLE``: connection refused
or reset, timeouts), with backoff (``DELAYS``, then the last delay again), for at most
``startup_wait`` seconds in all (``BRIEFING_STARTUP_WAIT``; 0: no retry), after which
the last error is raised and the process exits 1. One warning when the wait starts, one
line when Redis answers. A budget of ``math.inf`` waits until Redis answers: the
process-stage child's (service/stage_child.py), whose parent reports the outage as
readiness and whose lifetime is its parent's. Any other error (a data format of another
release, a bug) is raised at once: waiting does not fix it. ``written`` also waits,
without limit, while Redis refuses writes (``briefing run`` serves reads meanwhile).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from collections.abc import Awaitable, Callable
from typing import TypeVar

from service.store.connection import REFUSED, UNAVAILABLE, write_refusal

log = logging.getLogger("briefing")
T = TypeVar("T")

DELAYS = (0.5, 1.0, 2.0, 4.0, 8.0)  # seconds between attempts, then 8 s again


class StartupWait:
    """One budget of ``seconds`` shared by every start-up step of a process."""

    def __init__(self, seconds: float, *, stop: asyncio.Event | None = None) -> None:
        self.seconds = seconds
        self.stop = stop
        self._deadline: float | None = None

    async def run(self, what: str, step: Callable[[], Awaitable[T]]) -> T:
        """``await step()``, retried while Redis is unreachable and the budget lasts.
        ``what`` names the step in the log ("checking the data format")."""
        loop = asyncio.get_running_loop()
        attempt = 0
        while True:
            try:
                result = await step()
            except UNAVAILABLE as exc:
                if self._deadline is None:
                    self._deadline = loop.time() + self.seconds
                left = self._deadline - loop.time()
                if self.stop is not None and self.stop.is_set():
                    log.error("%s: Redis unreachable (%s); stopped while waiting", what, exc)
                    raise
                if left <= 0:
                    log.error(
                        "%s: Redis unreachable (%s); gave up after BRIEFING_STARTUP_WAIT=%g s",
                        what,
                        exc,
                        self.seconds,
                    )
                    raise
                if attempt == 0 and math.isinf(left):
                    log.warning("%s: Redis unreachable (%s); retrying until it answers", what, exc)
                elif attempt == 0:
                    log.warning(
                        "%s: Redis unreachable (%s); retrying for up to %.0f s more "
                        "(BRIEFING_STARTUP_WAIT)",
                        what,
                        exc,
                        left,
                    )
                await self._sleep(min(DELAYS[min(attempt, len(DELAYS) - 1)], left))
                attempt += 1
                continue
            if attempt:
                log.info("%s: Redis reachable after %d retries", what, attempt)
            return result

    async def written(self, what: str, step: Callable[[], Awaitable[T]]) -> T:
        """``run(what, step)``, retried too for as long as Redis refuses its writes (full
        at ``maxmemory``, unable to save, a read-only replica: ``write_refusal``), with no
        limit: a refusal ends when an operator acts, and a restart would not help. One
        warning when the refusals begin, one line when a write goes through. A stop
        signal ends the wait: the refusal is raised."""
        refused = 0
        while True:
            try:
                result = await self.run(what, step)
            except REFUSED as exc:
                refusal = write_refusal(exc)
                if refusal is None or (self.stop is not None and self.stop.is_set()):
                    raise
                if refused == 0:
                    log.warning(
                        "%s: Redis refuses writes (%s); retrying until it takes them",
                        what,
                        refusal,
                    )
                await self._sleep(DELAYS[min(refused, len(DELAYS) - 1)])
                refused += 1
                continue
            if refused:
                log.info("%s: Redis takes writes again after %d retries", what, refused)
            return result

    async def _sleep(self, seconds: float) -> None:
        if self.stop is None:
            await asyncio.sleep(seconds)
            return
        with contextlib.suppress(TimeoutError):  # a stop signal ends the wait early
            await asyncio.wait_for(self.stop.wait(), timeout=seconds)
