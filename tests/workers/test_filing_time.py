"""workers.filing_time: a report's filing time as an interval, a story's beginning, and
the hours between two beginnings under each reading."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from workers.filing_time import (
    DAY_END,
    EASTMOST,
    Filed,
    FiledSpan,
    day_of,
    filed_within,
    seconds_apart,
)

HOUR = 3600.0
DAY = datetime(2025, 5, 3, tzinfo=UTC)  # a day's first instant


def at(hours: float) -> float:
    return (DAY + timedelta(hours=hours)).timestamp()


def test_a_timed_report_was_filed_at_its_time() -> None:
    published = DAY + timedelta(hours=14)
    assert filed_within(published, None) == Filed.at(published.timestamp())
    assert not Filed.at(at(14)).day_dated


def test_a_date_only_report_seen_live_was_filed_between_its_days_start_and_its_placing() -> None:
    placed = DAY + timedelta(hours=14, minutes=32)  # first seen then (workers/normalize.py)
    assert filed_within(placed, DAY) == Filed(DAY.timestamp(), placed.timestamp())
    assert filed_within(placed, DAY).day_dated
    # A date ahead of ours is placed at the time seen, before its day began: filed on that
    # day in a zone east of the stamp's, no earlier than the day began in the easternmost
    # one, so still dated by its day only (never read as two timed stories' exact hours).
    early = DAY - timedelta(hours=3)
    ahead = filed_within(early, DAY)
    assert ahead == Filed((DAY - EASTMOST).timestamp(), early.timestamp()) and ahead.day_dated
    # A date further ahead than any zone is: filed before it was seen, no time known.
    future = DAY - EASTMOST - timedelta(hours=1)
    assert filed_within(future, DAY) == Filed((future - EASTMOST).timestamp(), future.timestamp())


def test_a_bench_row_dated_by_its_day_is_any_instant_of_that_day() -> None:
    assert day_of(DAY) == Filed(DAY.timestamp(), (DAY + DAY_END).timestamp())
    assert (DAY + DAY_END).date() == DAY.date()


def test_a_story_began_with_the_earlier_of_its_reports_whichever_it_is() -> None:
    day_dated, timed = Filed(at(0), at(24) - 1), Filed.at(at(10))
    assert day_dated.began_with(timed) == Filed(at(0), at(10))
    assert timed.began_with(day_dated) == Filed(at(0), at(10))
    assert timed.began_with(Filed.at(at(30))) == timed


# (a, b) beginnings and the hours between them under each reading: start, interval,
# calendar, same-day.
CASES = [
    pytest.param(Filed.at(at(2)), Filed.at(at(30)), (28, 28, 28, 28), id="two timed"),
    pytest.param(
        Filed(at(0), at(24) - 1),
        Filed.at(at(30)),
        (30, 6, 6, 30),
        id="a timed one the next morning",
    ),
    pytest.param(
        Filed(at(0), at(24) - 1), Filed.at(at(15)), (15, 0, 0, 0), id="a timed one within the day"
    ),
    pytest.param(
        Filed(at(0), at(24) - 1),
        Filed(at(24), at(48) - 1),
        (24, 0, 24, 24),
        id="two day-dated, consecutive days",
    ),
    pytest.param(
        Filed(at(0), at(24) - 1),
        Filed(at(1), at(25) - 1),
        (1, 0, 1, 1),
        id="two day-dated, one day in two offsets",
    ),
]


@pytest.mark.parametrize(("a", "b", "hours"), CASES)
def test_the_hours_between_two_beginnings_under_each_reading(
    a: Filed, b: Filed, hours: tuple[float, ...]
) -> None:
    for reading, expected in zip(("start", "interval", "calendar", "same-day"), hours, strict=True):
        assert seconds_apart(a, b, reading) == pytest.approx(expected * HOUR, abs=1.0), reading
        assert seconds_apart(b, a, reading) == seconds_apart(a, b, reading)


def test_a_span_runs_from_the_earliest_filing_to_the_latest() -> None:
    span = FiledSpan.of(Filed.at(at(14))).with_filing(Filed.at(at(2))).with_filing(Filed.at(at(9)))
    assert span == FiledSpan(Filed.at(at(2)), Filed.at(at(14)))
    assert span.seconds("calendar") == 12 * HOUR
    assert FiledSpan.of(Filed.at(at(3))).seconds("calendar") == 0.0
    assert span.with_filing(FiledSpan.of(Filed.at(at(30)))).seconds("interval") == 28 * HOUR


def test_a_span_reads_a_date_only_report_as_the_hours_between_beginnings_do() -> None:
    """A report dated by its day only counts as its day's interval: by the calendar, two
    days' date-only reports are a day apart, and a timed report beside the next day's
    date-only one as few hours as the day allows (it may have been filed at its start)."""
    next_day = day_of(DAY + timedelta(days=1))
    dated = FiledSpan.of(day_of(DAY)).with_filing(next_day)
    assert dated.seconds("calendar") == 24 * HOUR
    timed = FiledSpan.of(Filed.at(at(9))).with_filing(next_day)
    assert timed.seconds("calendar") == 15 * HOUR
    assert timed.seconds("start") == 15 * HOUR
    late = FiledSpan.of(day_of(DAY)).with_filing(Filed.at(at(34)))
    assert late.seconds("calendar") == seconds_apart(day_of(DAY), Filed.at(at(34)), "calendar")
    assert late.seconds("calendar") < late.seconds("start") == 34 * HOUR


def test_a_span_within_one_day_of_timed_and_date_only_reports_grew_no_hours() -> None:
    """A timed report late on a day beside a report dated by that day only may have been
    filed at the same instant: by the calendar the span is none, in either order, whether
    the date-only report is a bench row (its whole day) or placed live after the timed."""
    timed = Filed.at(at(21))
    for dated in (day_of(DAY), filed_within(DAY + timedelta(hours=21, minutes=30), DAY)):
        for span in (FiledSpan.of(timed).with_filing(dated),
                     FiledSpan.of(dated).with_filing(timed)):  # fmt: skip
            assert span.last == dated
            assert span.seconds("calendar") == 0.0
    next_day = FiledSpan.of(timed).with_filing(day_of(DAY)).with_filing(day_of(DAY + timedelta(1)))
    assert next_day.seconds("calendar") == 24 * HOUR
