"""Two reports that name one same day: their hours read as the least the filings allow."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from workers.cluster import ClusterConfig, ClusterDoc, Clusterer
from workers.filing_time import Filed, day_of
from workers.named_day import name_a_same_day, named_day_hours
from workers.story_linking import LinkConfig

SET = Path(__file__).resolve().parents[2] / "bench" / "data" / "crosslingual" / "stream.jsonl"
DAY = datetime(2026, 4, 14, tzinfo=UTC)
NEXT_DAY = day_of(DAY + timedelta(days=1))


def test_a_same_day_named_on_both_sides() -> None:
    assert name_a_same_day("The April 14 strike: toll rises to nine", ["Удар 14 квітня"])
    assert name_a_same_day("Удар по Києву 28 серпня", ["Other", "on the night of August 28"])


def test_other_days_weekdays_and_bare_numbers_are_no_same_day() -> None:
    assert not name_a_same_day("Сьогодні, 4 вересня, Рада проголосувала", ["3 сентября"])
    assert not name_a_same_day("arrived on Wednesday", ["в среду, 21 декабря, прибудет"])
    assert not name_a_same_day("14 killed in the strike", ["14 загиблих"])
    assert not name_a_same_day("No date here", [])


def test_the_hours_are_read_as_the_reading_only_beside_a_day_dated_beginning() -> None:
    """Two consecutive days' date-only beginnings that name one day touch (0 h as an
    interval, 24 h by the calendar); two timed beginnings are exact either way; a text
    naming another day, or the knob off, leaves the usual readings (None)."""
    day, timed = day_of(DAY), Filed.at((DAY + timedelta(hours=35)).timestamp())
    texts = ("Strike on April 14", ["Удар 14 квітня"])
    assert named_day_hours(day, NEXT_DAY, "interval", *texts) == pytest.approx(0.0, abs=0.01)
    assert named_day_hours(day, timed, "interval", *texts) == pytest.approx(11.0, abs=0.01)
    assert named_day_hours(timed, Filed.at(DAY.timestamp()), "interval", *texts) is None
    assert named_day_hours(day, NEXT_DAY, None, *texts) is None
    assert named_day_hours(day, NEXT_DAY, "interval", "Strike on April 15", texts[1]) is None


def test_a_day_named_far_from_both_beginnings_leaves_the_usual_readings() -> None:
    """A day both texts name that neither story's filings are near is no event day of
    theirs: the war's start ("since 24 February 2022") in two reports a day apart, or a
    deadline months ahead, leaves the usual readings (None)."""
    day = day_of(DAY)
    anniversary = ("Strike on Kharkiv, the worst since February 24, 2022",
                   ["Найбільший удар з 24 лютого 2022 року"])  # fmt: skip
    assert named_day_hours(day, NEXT_DAY, "interval", *anniversary) is None
    deadline = ("Parliament to vote on the budget by 1 September", ["Бюджет до 1 вересня"])
    assert named_day_hours(day, NEXT_DAY, "interval", *deadline) is None
    # The earlier story's day, or the day before it (a night's strike dated the next
    # morning, a feed's time zone), still counts.
    for named in ("April 13", "April 15"):
        hours = named_day_hours(day, NEXT_DAY, "interval", f"Strike on {named}", [named])
        assert hours == pytest.approx(0.0, abs=0.01)


def version(development: str, language: str, title: str, filed: Filed) -> ClusterDoc:
    """A real version of ``development`` in ``language``, its headline ending in ``title``,
    dated by its day only (``filed``)."""
    lines = SET.read_text(encoding="utf-8").splitlines()
    [row] = [r for r in map(json.loads, lines)
             if r["development"] == development and r["language"] == language]  # fmt: skip
    return ClusterDoc(row["id"], f"{row['title']} {title}", row["text"],
                      datetime.fromtimestamp(filed.earliest, UTC), row["language"],
                      row["source"], row["url"], filed=filed)  # fmt: skip


def consecutive_days(link: LinkConfig, second_title: str) -> tuple[Clusterer, str, str | None]:
    """A report dated 14 April only, naming that day, and its version in another language
    dated the next day only, its headline ending in ``second_title``, left to a check
    answered at a cosine between ``same_cosine`` and ``sure_cosine`` (where the hours
    decide): (clusterer, the first one's story, the story that survived the check, None:
    kept apart)."""
    assert link.sure_cosine is not None
    clusterer = Clusterer(ClusterConfig(link=link))
    now = DAY + timedelta(days=2)
    first = clusterer.add(version("dev-006", "en", "on April 14", day_of(DAY)), now)
    second = clusterer.add(version("dev-006", "uk", second_title, NEXT_DAY), now)
    assert second.created and clusterer.waiting(second.story_id)
    [check] = clusterer.pending_checks()
    answer = clusterer.resolve_check(check.id, [(link.same_cosine + link.sure_cosine) / 2])
    assert answer is not None
    return clusterer, first.story_id, answer.survivor


def test_consecutive_days_reports_naming_one_day_link_through_the_check() -> None:
    """By the calendar the two day-dated stories are 24 h apart and the check keeps them
    apart; naming one day (the first's), they are read as the least hours their days
    allow (0) and link. With no day named on the second, or the knob off, they stay apart
    (a second naming another day is no candidate: workers/headline_dates.py). The reading
    is off by default."""
    assert LinkConfig().named_day_hours is None
    link = LinkConfig(gram_link=2.0, named_day_hours="interval")  # every candidate: a check
    _, first, survivor = consecutive_days(link, "14 квітня")
    assert survivor == first
    assert consecutive_days(link, "")[2] is None
    calendar = dataclasses.replace(link, named_day_hours=None)
    assert consecutive_days(calendar, "14 квітня")[2] is None
