"""Feed dates that name a day but no time of day (pure).

Many feeds date items by the day: RSS ``<pubDate>Sat, 03 May 2025</pubDate>``, Atom or
RSS 1.0 ``dc:date`` ``2025-05-03``, a JSON Feed ``date_published`` without the time
RFC 3339 requires, or a CMS that keeps a date-only field and writes it as
``2025-05-03T00:00:00+03:00`` or ``Sat, 03 May 2025 00:00:00 +0000`` into every item.
feedparser reads each as midnight at the start of that day (UTC when no offset is
given), which is no time anybody filed the item: an item first seen at 14:32 would
sit 14.5 h down the timeline, and the hours between two stories' first reports, which
the cross-language link decision reads (workers/link_evidence.py), would be made up.

What counts as date-only, per field (published, updated) of one document:

* a stamp with **no time part** is always date-only: there is nothing else it can mean;
* a stamp at **exactly 00:00** (seconds and fraction zero) in its own offset is
  date-only when no item of the same document stamps that field with another time. A
  CMS writing a date-only field writes midnight into every item, and a document with
  timed items shows the feed knows times, so its midnight items keep their midnight
  (the Sydney Morning Herald's feed has items at 00:00:00 +1100 among items at 00:01
  and 00:05: scheduled at midnight). A blog mixing dated and timed posts keeps its
  dated ones at midnight too: a misplaced blog post costs less than a moved real
  midnight. A midnight item alone in its document is taken as date-only: in the real
  feeds, whole documents stamped at midnight are far more common than midnight items
  in timed ones (docs/design.md, "What we read"; ``bench/date_only.py`` counts them);
* a stamp at **one other whole time of day** (``12:00:00 +0000``) is date-only when
  every item that stamps the field with a time stamps this one, on at least two
  different days: a scraper writing a date-only field as noon into every item (Radio
  Svoboda's and Idel.Realii's scraper-made feeds). Identical stamps of one day are no
  such placeholder: they are when the document was made, and keep their time.

The parser reads such a stamp as that day's first instant in the stamp's offset
(:func:`day_starts`); where a date-only item goes: :func:`time_on_day`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timedelta

# A time of day in the date formats feeds use: "14:32", "14:32:07", "14:32:07.123"
# (RFC 822 and RFC 3339 alike). Not an offset: "+03:00" is preceded by its sign, so a
# lookbehind on digits, signs and colons skips it in "2025-05-03+03:00".
_TIME_OF_DAY = re.compile(r"(?<![\d:+\-.])(\d{1,2}):(\d\d)(?::(\d\d)(?:[.,](\d+))?)?")

# The last second of a day: feed stamps carry whole seconds at most.
_DAY_END = timedelta(days=1, seconds=-1)

_UNREAD: tuple[int, ...] = ()  # a stamp with no date read from it


def _time_of_day(raw: str, parsed: datetime) -> tuple[int, ...] | None:
    """The stamp's time of day as integers (hours, minutes, seconds, fraction), or None
    when it names none. Without an ``hh:mm`` in the raw stamp, feedparser's reading says:
    it reads every zone-less day as 00:00 UTC, and a compact time it understands
    ("2025-05-03T14Z") as that time."""
    match = _TIME_OF_DAY.search(raw)
    if match is not None:
        return tuple(int(part or 0) for part in match.groups())
    read = (parsed.hour, parsed.minute, parsed.second, parsed.microsecond)
    return read if any(read) else None


def day_starts(stamps: Sequence[tuple[object, datetime | None]]) -> list[datetime | None]:
    """For each ``(raw stamp, parsed date)`` of one field across one document's items,
    the first instant of the day it names when it names a day only (see the module
    docstring; in the stamp's offset), else None. A stamp that did not parse (no raw
    string, or a date feedparser could not read) is not date-only and does not vote on
    what the document's timed stamps mean."""
    times = [
        _time_of_day(raw, parsed) if isinstance(raw, str) and parsed is not None else _UNREAD
        for raw, parsed in stamps
    ]
    placeholder = _placeholder_time(
        [(t, parsed) for t, (_raw, parsed) in zip(times, stamps, strict=True) if t]
    )
    return [
        parsed - _into_day(t)
        if parsed is not None and (t is None or (placeholder is not None and t == placeholder))
        else None
        for t, (_raw, parsed) in zip(times, stamps, strict=True)
    ]


def _placeholder_time(
    timed: list[tuple[tuple[int, ...], datetime | None]],
) -> tuple[int, ...] | None:
    """The time of day that stands for a date in these stamps (each a time of day and its
    parsed date), or None when they carry real times: midnight when no stamp has another
    time; another whole time of day when every stamp has it, on two days or more."""
    kinds = {t for t, _parsed in timed}
    if len(kinds) != 1:
        return None
    [only] = kinds
    if not any(only):
        return only
    days = {parsed - _into_day(only) for _t, parsed in timed if parsed is not None}
    return only if only[3] == 0 and len(days) >= 2 else None


def _into_day(time_of_day: tuple[int, ...] | None) -> timedelta:
    """How far into its day a whole time of day is (zero for a stamp with none)."""
    if not time_of_day:
        return timedelta(0)
    hours, minutes, seconds = time_of_day[:3]
    return timedelta(hours=hours, minutes=minutes, seconds=seconds)


def time_on_day(day_start: datetime, now: datetime) -> datetime:
    """The time of an item dated ``day_start``'s day only (``day_start``: that day's
    first instant in the stamp's offset, as the parser reads it), first seen ``now``.

    ``now`` while that day lasts: the item was published that day, before we saw it,
    and the time we first saw it is the closest to its filing that we know. Also ``now``
    before the day begins (a date ahead of ours, usually a zone east of ours that is
    already on the next day): never later than ``now``, as with any future date. The last
    second of that day once it is over (a backfill of older items): the latest instant the
    date allows, so the item is as close to when we saw it as its date lets it be, and
    items of earlier days still come in date order, before the items of later days and
    before everything first seen after that day."""
    return min(now, day_start + _DAY_END)
