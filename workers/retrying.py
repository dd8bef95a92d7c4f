"""How a stage's retry loop reports a failed round.

A stage loop (process batches, partition upkeep, webhook fan-out and claims) retries
after any failure. When the failure is Redis being briefly unreachable or slow (a
restart, or a fork for BGSAVE / AOF rewrite of a large dataset stalling replies past
redis-py's 5 s socket timeout), nothing is lost — the
round is retried and its messages stay pending — so it is a warning, without a
traceback; readiness (``/readyz``) and the stream-lag gauges tell operators if it lasts.
Redis refusing writes (``maxmemory`` reached, or ``MISCONF``: it cannot write to disk) is
an error an operator must act on, but not a defect: one line, no traceback; the round is
retried the same way.
Anything else is a defect worth a traceback at error level.

A loop that retries several times a second (partition upkeep, claims) reports an outage through
:class:`OutageLog`: once when it begins, once when it ends.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass

from service.store.connection import UNAVAILABLE, write_refusal

TRANSIENT = UNAVAILABLE


# What :func:`redis_outage` says of Redis unreachable or too slow to answer.
UNREACHABLE = "unavailable"


def redis_outage(exc: BaseException | None) -> str | None:
    """What kind of Redis outage ``exc`` is (``UNREACHABLE``, or why writes are refused),
    or None for any other failure."""
    if isinstance(exc, TRANSIENT):
        return UNREACHABLE
    return None if exc is None else write_refusal(exc)


def log_retry(log: logging.Logger, message: str, *args: object) -> None:
    """Log the exception being handled: warning if Redis was unreachable, error without a
    traceback if it refused writes, else error with the traceback."""
    exc = sys.exc_info()[1]
    outage = redis_outage(exc)
    if outage == UNREACHABLE:
        log.warning(message + " (Redis unavailable: %s)", *args, exc)
    elif outage is not None:
        log.error(message + " (Redis %s: %s)", *args, outage, exc)
    else:
        log.exception(message, *args)


@dataclass
class OutageLog:
    """The failed rounds of one retry loop, logged once per Redis outage.

    A loop retrying every quarter second would otherwise log four lines a second for as
    long as Redis is away or full. Call :meth:`failed` in the ``except`` of a round and
    :meth:`succeeded` after one: the first round an outage fails is logged as
    :func:`log_retry` does, later ones of the same kind are not, and the first success
    after it logs ``recovered`` at info. A failure that is no outage is logged each time."""

    log: logging.Logger
    message: str
    recovered: str
    _outage: str | None = None

    def failed(self) -> None:
        outage = redis_outage(sys.exc_info()[1])
        if outage is not None and outage == self._outage:
            return
        self._outage = outage or self._outage
        log_retry(self.log, self.message)

    def succeeded(self) -> None:
        if self._outage is not None:
            self._outage = None
            self.log.info(self.recovered)
