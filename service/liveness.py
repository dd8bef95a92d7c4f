"""Liveness: whether this process can still recover by itself.

``/healthz`` answers 503 when any registered check names a problem; a supervisor
(Docker's HEALTHCHECK with a restart policy, a Kubernetes livenessProbe) should then
restart the process. Conditions that pass on their own are readiness, not liveness: an
external Redis that is down makes ``/readyz`` fail while ``/healthz`` stays up, since
restarting this process would not bring Redis back (docs/operations.md, Health checks).
"""

from __future__ import annotations

from collections.abc import Callable

Check = Callable[[], str | None]


class Liveness:
    def __init__(self) -> None:
        self._checks: list[Check] = []

    def add(self, check: Check) -> None:
        """``check()`` returns why the process cannot recover by itself, or None."""
        self._checks.append(check)

    def problems(self) -> list[str]:
        return [problem for check in self._checks if (problem := check()) is not None]
