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
"""

from __future__ import annotations

import logging
import sys

from service.store.connection import UNAVAILABLE, write_refusal

TRANSIENT = UNAVAILABLE


def log_retry(log: logging.Logger, message: str, *args: object) -> None:
    """Log the exception being handled: warning if Redis was unreachable, else error."""
    exc = sys.exc_info()[1]
    if isinstance(exc, TRANSIENT):
        log.warning(message + " (Redis unavailable: %s)", *args, exc)
    elif exc is not None and (refusal := write_refusal(exc)) is not None:
        log.error(message + " (Redis %s: %s)", *args, refusal, exc)
    else:
        log.exception(message, *args)
