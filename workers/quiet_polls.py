"""Polls that found nothing new, logged as one summary line a minute instead of a line each.

A fetch worker in a round of 304s ends hundreds of polls a second. A log line for each
(a JSON object built, formatted and written per poll) costs a noticeable share of such a
poll's CPU and tells an operator nothing that the feed's health (``GET /v1/feeds``:
last status, last attempt, next poll) and ``briefing_polls_total{outcome=…}`` do not.
So polls whose outcome is in ``QUIET_OUTCOMES`` and carry no error are logged per poll
only at DEBUG, and counted here; the claim loop logs the counts at INFO once ``every``
seconds have passed since the first poll counted (and when it stops). So is a changed
document that brought nothing new (outcome ``new_entries`` with no new item or source):
many feeds rewrite a build date or a token on every request, and each poll of them would
log a line saying nothing. Errors, new entries, 410s and paused feeds keep their own line.

Pure: the caller passes the time (the event loop's monotonic clock).
"""

from __future__ import annotations

from collections import Counter

QUIET_OUTCOMES = frozenset({"not_modified", "unchanged"})
SUMMARY_EVERY = 60.0  # seconds between two summary lines while quiet polls go on


class QuietPolls:
    """Counts of quiet polls by outcome since the last summary."""

    def __init__(self, every: float = SUMMARY_EVERY) -> None:
        self.every = every
        self._counts: Counter[str] = Counter()
        self._since: float | None = None  # when the first poll of this summary ended

    @staticmethod
    def is_quiet(outcome: str, error: str | None, found: int = 0) -> bool:
        """``found``: the new items and new sources the poll stored."""
        if error is not None:
            return False
        return outcome in QUIET_OUTCOMES or (outcome == "new_entries" and found == 0)

    def add(self, outcome: str, *, now: float) -> tuple[dict[str, int], float] | None:
        """Count one quiet poll that ended at ``now``. Once ``every`` seconds have passed
        since the first poll counted, returns the counts and the seconds they cover, and
        starts a new summary; else None."""
        if self._since is None:
            self._since = now
        self._counts[outcome] += 1
        if now - self._since < self.every:
            return None
        return self.take(now=now)

    def take(self, *, now: float) -> tuple[dict[str, int], float] | None:
        """The counts so far and the seconds they cover (None when there are none), and
        a new summary started."""
        if self._since is None:
            return None
        counts, covered = dict(self._counts), now - self._since
        self._counts.clear()
        self._since = None
        return counts, covered
