"""Link checks scored off the process stage's path: the embedding runs in a child process
(a ``ParsePool`` of one, workers/parse_pool.py: a deadline per call, killed with its
parent), so the second core embeds while the stage goes on clustering. Each partition a
process worker holds has its own child, started by the partition's first pending check
(partitions whose briefings do not link never start one) and killed when the worker
stops holding it.

The stage dispatches the clusterer's pending checks after each batch it wrote and takes
the answers at the start of the next (``answered``), which applies them in that batch's
fenced transaction. A check whose scoring failed is dispatched again; after
``MAX_FAILURES`` failures it is answered with no scores, which the clusterer takes as
"not linked" (its waiting story is then announced). A child that died, overran its
deadline or could not start (the model did not load) is not started again before
``ChildBackoff`` allows: 1 s after the first failure, doubling up to 60 s, back to 1 s
after a check is scored.

A failure is charged to the check that caused it. A fresh child is first asked to answer
a no-op call: if it cannot (it did not start), no check could have been scored, and every
check of the round is charged, so a model that never loads gives all its checks up in
``MAX_FAILURES`` rounds. A child that started and then died or overran on a check is that
check's doing (input that crashes or hangs the model): only it is charged, the checks
queued behind it wait for the next round uncharged, and checks that failed before are
dispatched after those that did not, so one poison check costs the others one backoff,
not their answers.

Nothing here must survive a kill -9: the pending checks live in the clusterer
(workers/link_checks.py) and the answers in the clustering log. The failure counts are
lost with the process, on purpose: a restarted or new holder (perhaps on a machine where
the model loads) tries each check up to ``MAX_FAILURES`` times again, which costs retries,
never a wrong or repeated answer; keeping them would cost a write per failure.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from service.metrics import metrics
from workers.link_check_child import score_texts, warm_worker
from workers.link_checks import LinkCheck, scores_known
from workers.parse_pool import ParseDeadlineExceeded, ParsePool, ParseWorkerDied

log = logging.getLogger(__name__)

# One check embeds a handful of texts (~0.1 s each on one core); the first also loads
# the model.
LINK_CHECK_DEADLINE = 120.0
# Checks handed to the child at once (the rest wait in the clusterer's queue).
IN_FLIGHT = 32
# Failed scorings of one check before it is answered "not linked".
MAX_FAILURES = 3

Scorer = Callable[[Sequence[Sequence[str]]], list[float]]


@dataclass(slots=True)
class ChildBackoff:
    """When the scoring child may be started again after it failed (pure: ``now`` is
    given, in seconds of a monotonic clock)."""

    first: float = 1.0
    cap: float = 60.0
    failures: int = 0  # child failures in a row
    retry_at: float = float("-inf")

    def failed(self, now: float) -> float:
        """Record a failure; returns the delay before the next start."""
        self.failures += 1
        delay = min(self.cap, self.first * 2.0 ** (self.failures - 1))
        self.retry_at = now + delay
        return delay

    def succeeded(self) -> None:
        self.failures, self.retry_at = 0, float("-inf")

    def ready(self, now: float) -> bool:
        return now >= self.retry_at


def _ready() -> None:
    """The no-op call that tells a child that started from one that did not."""


class _Deferred(Exception):
    """Not tried: the child failed for an earlier check of the same round. ``charged``
    when it failed to start (this check could not have been scored either)."""

    def __init__(self, *, charged: bool) -> None:
        super().__init__("deferred: the link-check child failed" + " to start" * charged)
        self.charged = charged


class LinkCheckPool:
    """Scores checks in a child process; answers come back by check id.

    ``score`` runs in the child after ``warm`` (both picklable by reference: top-level
    functions); ``clock`` gives the backoff its time."""

    def __init__(
        self,
        deadline: float = LINK_CHECK_DEADLINE,
        in_flight: int = IN_FLIGHT,
        *,
        score: Scorer = score_texts,
        warm: Callable[[], None] | None = warm_worker,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.deadline = deadline
        self.in_flight = in_flight
        self._score_fn, self._warm, self._clock = score, warm, clock
        self.backoff = ChildBackoff()
        self._pool: ParsePool | None = None
        self._tasks: dict[int, asyncio.Future[list[float]]] = {}
        self._failures: dict[int, int] = {}  # check id -> failed scorings
        self._one_at_a_time: asyncio.Lock | None = None
        self._child_up = False  # the child answered since it was last started
        self._start_failed = False  # the last child failure was a failed start

    def ready(self) -> bool:
        """Whether a dispatch would start scoring (no child backoff running)."""
        return self.backoff.ready(self._clock())

    def dispatch(self, checks: Sequence[LinkCheck]) -> None:
        """Start scoring the oldest checks not in flight yet, up to ``in_flight`` (none
        while the child backs off). ``checks`` is every pending check."""
        if self._failures:
            pending = {check.id for check in checks}
            self._failures = {i: n for i, n in self._failures.items() if i in pending}
        if not self.ready():
            return
        # Checks that failed before go last (a stable sort keeps the oldest first).
        for check in sorted(checks, key=lambda c: self._failures.get(c.id, 0)):
            if len(self._tasks) >= self.in_flight:
                return
            if check.id not in self._tasks:
                self._tasks[check.id] = self._answer(check.texts())

    def _answer(self, texts: list[list[str]]) -> asyncio.Future[list[float]]:
        """The check's scores to come: from the child, or at once when there is nothing to
        embed (every candidate merged into the newcomer's story: no child started)."""
        known = scores_known(texts)
        if known is None:
            return asyncio.ensure_future(self._score(texts))
        answer: asyncio.Future[list[float]] = asyncio.get_running_loop().create_future()
        answer.set_result(known)
        return answer

    async def _score(self, texts: list[list[str]]) -> list[float]:
        # One call at a time (the child is one), so a failed child stops the round here
        # instead of being started again for each check queued behind it.
        if self._one_at_a_time is None:
            self._one_at_a_time = asyncio.Lock()
        async with self._one_at_a_time:
            if not self.ready():
                raise _Deferred(charged=self._start_failed)
            if self._pool is None:
                self._pool = ParsePool(1, self.deadline, initializer=self._warm)
            started = self._child_up
            try:
                if not started:
                    await self._pool.run(_ready)
                    self._child_up = started = True
                scores = await self._pool.run(self._score_fn, texts)
            except (ParseWorkerDied, ParseDeadlineExceeded) as exc:
                self._child_up = False  # killed or never started: the next call starts one
                self._start_failed = not started
                delay = self.backoff.failed(self._clock())
                if self.backoff.failures == 1:
                    log.error(
                        "link-check scoring failed: %s: %s; the child is started again "
                        "after %g s (doubling to %g s while it fails), and a check "
                        "that fails %d times is answered 'not linked'",
                        type(exc).__name__, exc, delay, self.backoff.cap, MAX_FAILURES,
                    )  # fmt: skip
                raise
            if self.backoff.failures:
                log.info("link-check scoring works again after %d failures",
                         self.backoff.failures)  # fmt: skip
            self.backoff.succeeded()
            return scores

    def answered(self) -> list[tuple[int, list[float]]]:
        """(check id, scores) of the checks scored since the last call, oldest first; a
        check that failed ``MAX_FAILURES`` times comes with no scores ("not linked"). A
        check whose scoring failed fewer times is left out (dispatched again while still
        pending); one deferred by a child that could not start counts as failed too, one
        deferred by a child that failed on another check does not."""
        done = sorted(cid for cid, task in self._tasks.items() if task.done())
        out, given_up = [], []
        for check_id in done:
            task = self._tasks.pop(check_id)
            if task.cancelled():
                continue
            problem = task.exception()
            if problem is None:
                self._failures.pop(check_id, None)
                out.append((check_id, task.result()))
                continue
            if isinstance(problem, _Deferred) and not problem.charged:
                continue  # dispatched again once the backoff allows
            failures = self._failures.get(check_id, 0) + 1
            metrics.inc("briefing_link_check_failures_total")
            if not isinstance(problem, _Deferred | ParseWorkerDied | ParseDeadlineExceeded):
                log.warning("link check %d not scored (failure %d of %d): %s: %s",
                            check_id, failures, MAX_FAILURES, type(problem).__name__,
                            problem)  # fmt: skip
            if failures >= MAX_FAILURES:
                self._failures.pop(check_id, None)
                out.append((check_id, []))
                given_up.append(check_id)
            else:
                self._failures[check_id] = failures
        if given_up:
            metrics.inc("briefing_link_checks_given_up_total", len(given_up))
            log.warning("link checks %s answered 'not linked' after %d failed scorings",
                        ", ".join(map(str, given_up)), MAX_FAILURES)  # fmt: skip
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
        """Stop scoring: cancel what is in flight and kill the child.

        The backoff and the failure counts stay: the pool is this process's for the
        partition, and if the partition is held again, a child that failed here would
        fail the same way (the model still does not load), so it waits out the backoff
        rather than start at once; a handover to another process starts afresh."""
        for task in self._tasks.values():
            task.cancel()
        self._tasks.clear()
        self._one_at_a_time = None  # bound to this loop once used
        self._child_up = False
        if self._pool is not None:
            self._pool.close()
            self._pool = None
