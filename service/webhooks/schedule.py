"""What happens after a delivery attempt: pure retry math (``now`` is an argument).

    decide(status, attempts_made=…, now=…, jitter_unit=…, retry_after=…) ──► Decision

* 2xx: delivered. Anything else, a timeout or a connection error (``status`` None) is
  retried on the Standard Webhooks suggested schedule (spec: "Retry schedule"):
  immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, each later step spread by
  ± ``jitter`` so that endpoints that failed together do not retry in lock-step.
* 429 and 503 with a ``Retry-After`` (RFC 9110 §10.2.3): never earlier than asked,
  capped at ``RETRY_AFTER_CAP`` so one header cannot park a delivery for ever.
* 410 Gone: the endpoint asked us to stop (spec: "Disabling endpoints"); the caller
  disables the subscription at once and this delivery is not retried.
* When the schedule is spent the delivery is failed. A subscription whose deliveries
  have failed without a single success for ``FAILING_DISABLE_AFTER`` is disabled
  (``should_disable``), which the API shows with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

# Delay before attempt n+1, indexed by n = attempts already made (attempt 1 is immediate).
RETRY_DELAYS: tuple[float, ...] = (0, 5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600)
MAX_ATTEMPTS = len(RETRY_DELAYS)
RETRY_AFTER_STATUSES = frozenset({429, 503})
RETRY_AFTER_CAP = 24 * 3600.0
FAILING_DISABLE_AFTER = timedelta(days=5)

Outcome = Literal["succeeded", "retry", "failed", "gone"]


@dataclass(frozen=True, slots=True)
class Decision:
    outcome: Outcome
    next_attempt: datetime | None = None  # set only for "retry"


def decide(
    status: int | None,
    *,
    attempts_made: int,
    now: datetime,
    jitter_unit: float,
    retry_after: float | None = None,
    jitter: float = 0.1,
) -> Decision:
    """The fate of a delivery after its ``attempts_made``-th attempt answered ``status``.

    ``jitter_unit`` is a number in [0, 1) (random in production, fixed in tests);
    ``retry_after`` is the parsed header in seconds, used only on 429/503.
    """
    if status is not None and 200 <= status < 300:
        return Decision("succeeded")
    if status == 410:
        return Decision("gone")
    if attempts_made >= MAX_ATTEMPTS:
        return Decision("failed")
    delay = retry_delay(attempts_made, jitter_unit=jitter_unit, jitter=jitter)
    if status in RETRY_AFTER_STATUSES and retry_after is not None:
        delay = max(delay, min(retry_after, RETRY_AFTER_CAP))
    return Decision("retry", now + timedelta(seconds=delay))


def retry_delay(attempts_made: int, *, jitter_unit: float, jitter: float = 0.1) -> float:
    """Seconds from the ``attempts_made``-th attempt to the next one, jittered by ± ``jitter``."""
    base = RETRY_DELAYS[attempts_made]
    return base * (1.0 + jitter * (2.0 * jitter_unit - 1.0))


def should_disable(failing_since: datetime | None, *, now: datetime) -> bool:
    """True once an endpoint has failed continuously for ``FAILING_DISABLE_AFTER``."""
    return failing_since is not None and now - failing_since >= FAILING_DISABLE_AFTER
