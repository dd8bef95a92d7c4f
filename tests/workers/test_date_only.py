"""workers.date_only: which stamps name a day only, and where such an item goes. Feeds
as parsed: tests/workers/test_parse.py; articles: tests/workers/test_normalize.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from workers.date_only import day_starts, time_on_day

DAY = datetime(2025, 5, 2, 21, tzinfo=UTC)  # 3 May 2025 00:00 at +03:00
UTC_DAY = datetime(2025, 5, 3, tzinfo=UTC)  # how feedparser reads a day with no time


@pytest.mark.parametrize(
    ("raw", "parsed", "date_only"),
    [
        pytest.param("2025-05-03", UTC_DAY, True, id="iso-day"),
        pytest.param("Sat, 03 May 2025", UTC_DAY, True, id="rfc822-day"),
        # The offset's "03:00" is no time of day (feedparser drops the offset here).
        pytest.param("2025-05-03+03:00", UTC_DAY, True, id="iso-day-with-offset"),
        # A compact time feedparser reads is a time, though it has no "hh:mm".
        pytest.param("2025-05-03T14Z", UTC_DAY.replace(hour=14), False, id="compact-time"),
        pytest.param("2025-05-03T00:00:00+03:00", DAY, True, id="midnight"),
        pytest.param("2025-05-03T00:00+03:00", DAY, True, id="midnight-no-seconds"),
        pytest.param("2025-05-03T00:00:00.000+03:00", DAY, True, id="midnight-millis"),
        pytest.param("2025-05-03T00:00:00.001+03:00", DAY, False, id="a-millisecond-past"),
        pytest.param("2025-05-03T00:00:01+03:00", DAY, False, id="a-second-past"),
        pytest.param("Sat, 03 May 2025 0:00 +0300", DAY, True, id="one-digit-hour"),
    ],
)
def test_one_stamp(raw: str, parsed: datetime, date_only: bool) -> None:
    assert day_starts([(raw, parsed)]) == [parsed if date_only else None]


def date_only_stamps(stamps: list[tuple[object, datetime | None]]) -> list[bool]:
    return [start is not None for start in day_starts(stamps)]


def test_midnights_are_date_only_only_while_no_stamp_of_the_field_has_a_time() -> None:
    midnight, timed = ("2025-05-03T00:00:00+03:00", DAY), ("2025-05-02T09:15:00+03:00", DAY)
    assert date_only_stamps([midnight, midnight]) == [True, True]
    assert date_only_stamps([midnight, timed, midnight]) == [False, False, False]
    # A day without a time is date-only whatever the other stamps carry.
    assert date_only_stamps([("2025-05-03", UTC_DAY), timed]) == [True, False]
    # Stamps that were not read (absent, unparseable, not text) neither count nor vote.
    unread = [(None, None), ("soon, 10:30", None), (20250503, DAY)]
    assert date_only_stamps([*unread, midnight]) == [False, False, False, True]
    assert date_only_stamps([*unread, timed, midnight]) == [False] * 5
    assert date_only_stamps([]) == []


NOON = timedelta(hours=12)


def test_one_whole_time_on_every_item_and_several_days_is_a_placeholder() -> None:
    """Radio Svoboda's scraper-made feed: every item at 12:00:00 +0000, on its own day."""
    noon = [(f"Tue, {d:02d} Jun 2025 12:00:00 +0000", datetime(2025, 6, d, 12, tzinfo=UTC))
            for d in (10, 10, 21)]  # fmt: skip
    days = [datetime(2025, 6, d, tzinfo=UTC) for d in (10, 10, 21)]
    assert day_starts(noon) == days
    # In its own offset: 12:00 at +03:00 is 09:00 UTC, its day began at 21:00 UTC before.
    east = [
        ("2025-06-10T12:00:00+03:00", DAY + NOON),
        ("2025-06-11T12:00:00+03:00", DAY + NOON * 3),
    ]
    assert day_starts(east) == [DAY, DAY + NOON * 2]
    # One day's identical stamps are when the document was made; a second time, real times.
    built = ("Mon, 24 Apr 2006 22:04:33 GMT", datetime(2006, 4, 24, 22, 4, 33, tzinfo=UTC))
    assert day_starts([built, built]) == [None, None]
    assert day_starts([*noon, ("Tue, 01 Jul 2025 12:30:00 +0000", UTC_DAY)]) == [None] * 4
    assert day_starts([("2025-06-10T12:00:00.5Z", UTC_DAY), ("2025-06-11T12:00:00.5Z", DAY)]) == [
        None,
        None,
    ]


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        pytest.param(DAY - timedelta(hours=1), DAY - timedelta(hours=1), id="before-the-day"),
        pytest.param(DAY, DAY, id="its-first-instant"),
        pytest.param(DAY + timedelta(hours=14), DAY + timedelta(hours=14), id="that-day"),
        pytest.param(
            DAY + timedelta(hours=23, minutes=59, seconds=59, microseconds=500_000),
            DAY + timedelta(hours=23, minutes=59, seconds=59),
            id="its-last-second",
        ),
        pytest.param(DAY + timedelta(days=3), DAY + timedelta(days=1, seconds=-1), id="after"),
    ],
)
def test_time_on_day(now: datetime, expected: datetime) -> None:
    assert time_on_day(DAY, now) == expected
