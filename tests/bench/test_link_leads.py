"""bench/link_leads.py: the readings of a date-only first report's hours."""

from __future__ import annotations

from bench.link_leads import seconds_apart

HOUR = 3600.0
DATE_ONLY, TIMED = True, False


def test_a_date_only_report_read_as_any_time_of_its_day_takes_the_least_distance() -> None:
    midnight = (DATE_ONLY, 0.0)  # stamped 00:00 of its day
    assert seconds_apart(midnight, (TIMED, 15 * HOUR), "day") == 0.0  # within its day
    assert seconds_apart((TIMED, 27 * HOUR), midnight, "day") == 3 * HOUR  # 03:00 next day
    assert seconds_apart(midnight, (DATE_ONLY, 24 * HOUR), "day") == 0.0  # days touch
    assert seconds_apart(midnight, (DATE_ONLY, 72 * HOUR), "day") == 48 * HOUR


def test_a_date_only_report_read_as_its_noon_or_mixed() -> None:
    midnight = (DATE_ONLY, 0.0)
    assert seconds_apart(midnight, (TIMED, 15 * HOUR), "noon") == 3 * HOUR
    assert seconds_apart(midnight, (DATE_ONLY, 24 * HOUR), "noon") == 24 * HOUR
    # Mixed: any time of its day beside a timed report, its stamp beside a date-only one.
    assert seconds_apart(midnight, (TIMED, 15 * HOUR), "mixed") == 0.0
    assert seconds_apart(midnight, (DATE_ONLY, 24 * HOUR), "mixed") == 24 * HOUR
    assert seconds_apart((TIMED, HOUR), (TIMED, 5 * HOUR), "mixed") == 4 * HOUR
