"""Retry decisions: a table of named cases (pure; ``now`` and jitter passed in)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from service.webhooks.schedule import (
    MAX_ATTEMPTS,
    RETRY_AFTER_CAP,
    RETRY_DELAYS,
    decide,
    retry_delay,
    should_disable,
)

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
MID = 0.5  # jitter unit at the midpoint: no spread


def after(seconds: float) -> datetime:
    return NOW + timedelta(seconds=seconds)


@pytest.mark.parametrize(
    ("name", "status", "attempts", "retry_after", "outcome", "next_at"),
    [
        ("2xx succeeds", 204, 1, None, "succeeded", None),
        ("200 on the last attempt", 200, MAX_ATTEMPTS, None, "succeeded", None),
        ("410 disables", 410, 1, None, "gone", None),
        ("500 retries in 5 s", 500, 1, None, "retry", after(5)),
        ("timeout retries in 5 s", None, 1, None, "retry", after(5)),
        ("third failure waits 30 min", 502, 3, None, "retry", after(1800)),
        ("7th failure waits 10 h", 500, 7, None, "retry", after(36_000)),
        ("8th failure is final", 500, MAX_ATTEMPTS, None, "failed", None),
        ("3xx is a failure (no redirects)", 301, 1, None, "retry", after(5)),
        ("429 honours a longer Retry-After", 429, 1, 120.0, "retry", after(120)),
        ("503 keeps the schedule when longer", 503, 3, 60.0, "retry", after(1800)),
        ("Retry-After ignored on 500", 500, 1, 120.0, "retry", after(5)),
        ("Retry-After capped", 429, 1, 10 * RETRY_AFTER_CAP, "retry", after(RETRY_AFTER_CAP)),
    ],
)
def test_decide(
    name: str,
    status: int | None,
    attempts: int,
    retry_after: float | None,
    outcome: str,
    next_at: datetime | None,
) -> None:
    d = decide(status, attempts_made=attempts, now=NOW, jitter_unit=MID, retry_after=retry_after)
    assert (d.outcome, d.next_attempt) == (outcome, next_at), name


def test_schedule_is_the_standard_webhooks_one() -> None:
    assert RETRY_DELAYS == (0, 5, 300, 1800, 7200, 18000, 36000, 36000)


@pytest.mark.parametrize("unit", [0.0, 0.25, 0.999])
def test_jitter_stays_within_ten_percent(unit: float) -> None:
    for attempts in range(1, MAX_ATTEMPTS):
        base = RETRY_DELAYS[attempts]
        assert 0.9 * base <= retry_delay(attempts, jitter_unit=unit) <= 1.1 * base


@pytest.mark.parametrize(
    ("failing_for", "disabled"),
    [(None, False), (timedelta(days=4, hours=23), False), (timedelta(days=5), True)],
)
def test_five_days_of_failure_disable(failing_for: timedelta | None, disabled: bool) -> None:
    since = None if failing_for is None else NOW - failing_for
    assert should_disable(since, now=NOW) is disabled
