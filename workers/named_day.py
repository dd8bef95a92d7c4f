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
bare number or a weekday), the decision reads the two stories' hours as ``reading``
(``LinkConfig.named_day_hours``: "interval", the least hours the two filings can be apart)
instead of the day's start or calendar; a pair whose filings are a day or more apart by
any reading still is (``LinkConfig.apart_hours``).

Weekdays and "yesterday" are not read: "on Wednesday" in a report of the arrival and
"в среду, 21 декабря, прибудет" in its announcement name one day, but only the date is
written out on one side (docs/design.md, "A day both reports name").
"""

from __future__ import annotations

from collections.abc import Sequence

from workers.filing_time import Filed, HoursReading, seconds_apart
from workers.headline_dates import headline_dates


def name_a_same_day(text: str, others: Sequence[str]) -> bool:
    """Whether ``text`` and one of ``others`` name a same day of a month."""
    ours = headline_dates(text)
    return bool(ours) and any(not ours.isdisjoint(headline_dates(o)) for o in others)


def named_day_hours(a: Filed, b: Filed, reading: HoursReading | None, text: str,
                    others: Sequence[str]) -> float | None:  # fmt: skip
    """The hours between beginnings ``a`` and ``b`` read as ``reading`` when either is
    dated by its day only and ``text`` and one of ``others`` name a same day; None when
    the check's usual readings stand (``reading`` None: off)."""
    if reading is None or not (a.day_dated or b.day_dated) or not name_a_same_day(text, others):
        return None
    return seconds_apart(a, b, reading) / 3600.0
