"""When a report was filed, and the hours between two stories' beginnings (pure).

A report with a timestamp was filed then. A report dated by its day only
(workers/date_only.py) was filed at some instant of that day that nobody wrote down: the
service places it at the time it was first seen within its day, or at the day's last
second when first seen after the day (workers/normalize.py), and a captured bench row
keeps 00:00 of its offset. Either stamp is a stand-in, so the hours between two stories
read off such stamps are made up. What is known is an interval:

========================  =================================================================
timed report              ``[published, published]``
date-only, live           ``[the day's first instant, the time it was placed at]``: it was
                          filed that day, no later than we saw it (or than its timed
                          ``updated``); seen before its day began (a date ahead of ours),
                          from that day's start in the easternmost zone (``EASTMOST``)
date-only, bench row      ``[00:00 of its offset, that day's last second]``
========================  =================================================================

A story began with its earliest report, so its beginning lies between the least of its
reports' earliest instants and the least of their latest (``Filed.began_with``); a merge
takes the same least of both stories'.

The cross-language decision reads the hours between two stories (workers/link_evidence.py,
``LinkConfig.apart_hours``), so the reading of these intervals decides links; how each is
read (``HoursReading``):

``start``     each interval at its start (a date-only report at its day's first instant):
              what a bench row's 00:00 stamp says
``interval``  the distance between the two intervals, 0 when they overlap: the least
              number of hours the two filings can be apart
``calendar``  two day-dated beginnings by their days (the distance between the days'
              first instants: 0 for one day, 24 h for the next, give or take the offsets);
              a day-dated beside a timed one as ``interval``
``same-day``  as ``calendar``, but a timed beginning beside a day-dated one is 0 h from it
              only when it falls within that day's interval, else read from the day's
              start (as ``start``)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

HoursReading = Literal["start", "interval", "calendar", "same-day"]
READINGS: tuple[HoursReading, ...] = ("start", "interval", "calendar", "same-day")

# The last second of a day, from its first instant: feed stamps carry whole seconds at most
# (workers/date_only.py places a late-seen date-only report there too).
DAY_END = timedelta(days=1, seconds=-1)
# How far east of UTC a zone's clock runs at most (UTC+14, the Line Islands): a day begins
# there that long before it begins in UTC.
EASTMOST = timedelta(hours=14)


@dataclass(frozen=True, slots=True)
class Filed:
    """The instants between which a report was filed (or a story began), epoch seconds."""

    earliest: float
    latest: float

    @classmethod
    def at(cls, when: float) -> Filed:
        """A report filed at ``when``."""
        return cls(when, when)

    @property
    def day_dated(self) -> bool:
        """Whether the time is known to a day only (an interval, not an instant)."""
        return self.latest > self.earliest

    def began_with(self, other: Filed) -> Filed:
        """The beginning of a story holding reports filed within ``self`` and ``other``:
        the earlier of the two filings, whichever it is."""
        return Filed(min(self.earliest, other.earliest), min(self.latest, other.latest))


@dataclass(frozen=True, slots=True)
class FiledSpan:
    """When a set of reports was filed: ``first`` the earliest filing (as a story's
    beginning, ``Filed.began_with``), ``last`` the filing of the report that may have
    been filed latest (the greatest latest instant, then earliest), kept whole: the
    calendar reads a day-dated ``last`` by its day's start, so an interval pieced from
    two reports (a timed report's instant to a date-only one's day end) would read a
    story filed within one day as grown the hours since that day began."""

    first: Filed
    last: Filed

    @classmethod
    def of(cls, filed: Filed) -> FiledSpan:
        """One report's filing."""
        return cls(filed, filed)

    def with_filing(self, other: FiledSpan | Filed) -> FiledSpan:
        """The span of these reports and ``other``'s."""
        span = other if isinstance(other, FiledSpan) else FiledSpan.of(other)
        last = max(self.last, span.last, key=lambda f: (f.latest, f.earliest))
        return FiledSpan(self.first.began_with(span.first), last)

    def seconds(self, reading: HoursReading) -> float:
        """Seconds from the first filing to the last, read as ``reading`` (as the hours
        between two beginnings, ``seconds_apart``)."""
        return seconds_apart(self.first, self.last, reading)


def filed_within(published: datetime, day_start: datetime | None) -> Filed:
    """When a report placed at ``published`` was filed: at ``published``, or for one dated
    by its day only (``day_start``: that day's first instant), between the day's start and
    ``published`` (the live service places it no later than it was first seen). A date
    ahead of ours is placed at ``now``, before its day began: the item was filed that day
    in a zone east of the stamp's, so from the day's start in the easternmost zone
    (``EASTMOST``), or, for a date further ahead than any zone, in the ``EASTMOST`` hours
    before it was seen. Either way an interval: a date-only report is never read as
    filed at an instant (``Filed.day_dated``; two timed stories' hours, ``LinkEvidence.timed``)."""
    when = published.timestamp()
    if day_start is None:
        return Filed.at(when)
    start = day_start.timestamp()
    if when < start:
        east = EASTMOST.total_seconds()
        start = start - east if start - east < when else when - east
    return Filed(start, when)


def day_of(day_start: datetime) -> Filed:
    """A report dated ``day_start``'s day only, with no time it was seen at (a bench row):
    any instant of that day."""
    start = day_start.timestamp()
    return Filed(start, (day_start + DAY_END).timestamp())


def seconds_apart(a: Filed, b: Filed, reading: HoursReading) -> float:
    """Seconds between two beginnings, read as ``reading`` (the module docstring)."""
    if reading == "start" or (reading == "same-day" and a.day_dated != b.day_dated
                              and not _overlap(a, b)):  # fmt: skip
        return abs(a.earliest - b.earliest)
    if reading in ("calendar", "same-day") and a.day_dated and b.day_dated:
        return abs(a.earliest - b.earliest)
    return max(0.0, a.earliest - b.latest, b.earliest - a.latest)


def _overlap(a: Filed, b: Filed) -> bool:
    return a.earliest <= b.latest and b.earliest <= a.latest
