"""Two reports that name one same day: their hours read as the least the filings allow (pure).

A report dated by its day only has no filing time, so the check reads its hours by the
calendar or from its day's start (workers/filing_time.py, ``HoursReading``): a report of
yesterday's strike dated today reads a day after a version dated yesterday, and the hours
keep them apart, as they keep apart the next day's step of one affair. What tells the two
apart is what each text says happened when: a late report of the strike names the strike's
day ("the April 14 missile strike", "удар по Києву 28 серпня"), and so does a version filed
that day ("у п'ятницю, 14 квітня"); the next day's step names its own day ("сьогодні, 4
вересня") or none. When the check's text and one of the candidate's compared texts name one
same day of a month (workers/headline_dates.py: a day number beside a month name, never a
bare number or a weekday) and that day is one the two filings lie on or the day before
the earlier (``days_of``: the event day of a night's strike dated the next morning, or a
feed's time zone), the decision reads the two stories' hours as ``reading``
(``LinkConfig.named_day_hours``: "interval", the least hours the two filings can be apart)
instead of the day's start or calendar; a pair whose filings are a day or more apart by
any reading still is (``LinkConfig.apart_hours``). A day far from both filings is no
event day of theirs: the war's start in "the worst strike since 24 February 2022", a
deadline "by 1 September", which reports of different days write alike.

Weekdays and "yesterday" are not read: "on Wednesday" in a report of the arrival and
"в среду, 21 декабря, прибудет" in its announcement name one day, but only the date is
written out on one side (docs/design.md, "A day both reports name").
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from workers.filing_time import Filed, HoursReading, seconds_apart
from workers.headline_dates import headline_dates


def name_a_same_day(text: str, others: Sequence[str],
                    days: frozenset[tuple[int, int]] | None = None) -> bool:  # fmt: skip
    """Whether ``text`` and one of ``others`` name a same day of a month (one of
    ``days``, (month, day) pairs, when given)."""
    ours = headline_dates(text)
    if days is not None:
        ours &= days
    return bool(ours) and any(not ours.isdisjoint(headline_dates(o)) for o in others)


def days_of(a: Filed, b: Filed) -> frozenset[tuple[int, int]]:
    """The (month, day) of every UTC calendar day from the day before the earlier of
    ``a`` and ``b`` began to the last instant either allows."""
    first = datetime.fromtimestamp(min(a.earliest, b.earliest), UTC).date() - timedelta(days=1)
    last = datetime.fromtimestamp(max(a.latest, b.latest), UTC).date()
    dates = (first + timedelta(days=n) for n in range((last - first).days + 1))
    return frozenset((date.month, date.day) for date in dates)


def named_day_hours(a: Filed, b: Filed, reading: HoursReading | None, text: str,
                    others: Sequence[str]) -> float | None:  # fmt: skip
    """The hours between beginnings ``a`` and ``b`` read as ``reading`` when either is
    dated by its day only and ``text`` and one of ``others`` name a same day of their
    filings (``days_of``); None when the check's usual readings stand (``reading`` None:
    off)."""
    if reading is None or not (a.day_dated or b.day_dated):
        return None
    if not name_a_same_day(text, others, days_of(a, b)):
        return None
    return seconds_apart(a, b, reading) / 3600.0
