"""bench/link_misses.py: a missed version pair's cause, from what the run recorded."""

from __future__ import annotations

import dataclasses

from bench.link_misses import (
    Compared,
    Triage,
    Watch,
    cause,
    compared_texts,
    filings_apart,
    refused_on_hours,
    split_twin,
)
from workers.filing_time import Filed
from workers.link_evidence import link_evidence
from workers.story_linking import DEFAULT_LINKING

TIMED = {"a": True, "b": True, "c": False, "d": False}


def compared(cosine: float, hours: float, shared: bool, firsts: tuple[str, str] = ("a", "b")
             ) -> Compared:  # fmt: skip
    timed = all(TIMED[first] for first in firsts)
    evidence = link_evidence(cosine, [], hours, same_place=shared, timed=timed)
    return Compared(frozenset({"a"}), frozenset({"b"}), cosine, hours, shared, False, firsts,
                    evidence=evidence)  # fmt: skip


def test_a_check_that_compared_the_two_stories_names_what_it_lacked() -> None:
    def why(*checks: Compared) -> str:
        return cause("a", "b", Watch(compared=list(checks)), DEFAULT_LINKING, TIMED)

    assert why(compared(0.78, 1.0, True)) == "cosine < 0.80"
    assert why(compared(0.82, 1.0, False)) == "band, nothing shared"
    assert why(compared(0.84, 30.0, True)) == "hours, timed"
    assert why(compared(0.82, 3.0, True)) == "timed, place band 0.80-0.83"
    assert why(compared(0.87, 10.0, False)) == "timed, hours 6-12"
    assert why(compared(0.87, 15.0, False)) == "timed, hours 12-20"
    assert why(compared(0.87, 30.0, False), compared(0.79, 1.0, True)) == "hours, timed"
    assert why(compared(0.87, 30.0, False, ("c", "b"))) == "hours, one first report date-only"
    assert why(compared(0.87, 30.0, False, ("c", "d"))) == "hours, both first reports date-only"
    linked = Compared(frozenset({"b"}), frozenset({"a"}), 0.95, 1.0, False, True, ("a", "b"))
    assert why(linked) == "refused"
    named = dataclasses.replace(linked, rule="timed tie")
    assert why(named) == "refused: timed tie"


def test_without_a_check_the_later_rows_triage_says_where_it_stopped() -> None:
    def why(triage: Triage | None) -> str:
        watch = Watch(triage={} if triage is None else {"b": triage})
        return cause("a", "b", watch, DEFAULT_LINKING, TIMED)

    story_a = frozenset({"a"})
    assert why(None) == "own language"
    assert why(Triage()) == "no shared gram"
    assert why(Triage(scored=[(story_a, 0.001, 0)])) == "below floor"
    assert why(Triage(scored=[(story_a, 0.05, 6)])) == "not in top"
    assert why(Triage(scored=[(story_a, 0.05, 0)])) == "filtered"
    assert why(Triage(scored=[(story_a, 0.05, 0)], linked=frozenset({"x"}))) == "n-grams elsewhere"


DAY = 86400.0


def test_filings_apart_places_two_beginnings_by_their_intervals() -> None:
    day_one, day_two = Filed(0.0, DAY - 1), Filed(DAY, 2 * DAY - 1)

    def cell(a: Filed, b: Filed) -> str:
        return filings_apart(a, b, 20.0)

    assert cell(Filed.at(0.0), Filed.at(30 * 3600.0)) == "both timed"
    assert cell(day_one, Filed.at(21 * 3600.0)) == "timed within the day"
    assert cell(Filed.at(DAY + 5 * 3600.0), day_one) == "timed outside the day, under 20 h"
    assert cell(day_one, Filed.at(DAY + 21 * 3600.0)) == "20 h or more between any instants"
    assert cell(day_one, day_two) == "two days, consecutive"
    assert cell(day_one, Filed(2 * DAY, 3 * DAY - 1)) == "20 h or more between any instants"


def test_refused_on_hours_is_a_refusal_that_zero_hours_would_link() -> None:
    link = DEFAULT_LINKING
    assert refused_on_hours(link_evidence(0.87, [], 24.0), link)
    assert not refused_on_hours(link_evidence(0.87, [], 2.0), link)  # linked
    assert not refused_on_hours(link_evidence(0.95, [], 48.0), link)  # linked, sure
    assert not refused_on_hours(link_evidence(0.82, [], 24.0), link)  # nothing shared
    assert not refused_on_hours(link_evidence(0.78, [], 24.0, same_place=True), link)
    # The place band reads its own hours (a timed report late in a day-dated one's day).
    assert refused_on_hours(link_evidence(0.82, [], 0.0, same_place=True, band_hours=21.0), link)


def test_compared_texts_shows_the_best_checks_texts_and_what_the_band_read() -> None:
    """A band miss is read by the two texts its best check compared: the listing names
    the places and counts the band found in each, or that it found none."""
    texts = ("Удар по Харкову: 12 загиблих", ("Strike on Kharkiv kills 12",))
    best = Compared(frozenset({"a"}), frozenset({"b"}), 0.83, 1.0, True, False, ("a", "b"),
                    texts=texts)  # fmt: skip
    worse = Compared(frozenset({"b"}), frozenset({"a"}), 0.81, 1.0, False, False, ("a", "b"),
                     texts=("Обстріл", ("Shelling",)))  # fmt: skip
    listing = compared_texts("a", "b", Watch(compared=[worse, best]))
    assert listing.splitlines()[0].strip() == "0.830, 1.0 h"
    assert listing.count("places ['Kharkiv'] counts ['12']") == 2
    assert "Shelling" not in listing


def test_a_missed_pair_whose_language_holds_a_twin_in_the_other_story_is_a_split() -> None:
    rows = [
        {"id": "en1", "development": "d", "language": "en"},
        {"id": "en2", "development": "d", "language": "en"},
        {"id": "ru1", "development": "d", "language": "ru"},
        {"id": "en3", "development": "e", "language": "en"},
    ]
    # en1 linked with ru1; en2, of the same development in English, stayed apart.
    story = {"en1": "s1", "ru1": "s1", "en2": "s2", "en3": "s1"}
    twin = split_twin(rows[1], rows[2], rows, story)
    assert twin is not None and twin["id"] == "en1"
    # No row of either language of the development sits in the other's story.
    story = {"en1": "s2", "ru1": "s1", "en2": "s2", "en3": "s1"}
    assert split_twin(rows[1], rows[2], rows, story) is None
