"""bench/link_leads.py: the readings of a date-only first report's hours, and the story
vectors' wrapper of ``Linker.triage``."""

from __future__ import annotations

import inspect
from datetime import UTC, datetime

from bench.link_leads import seconds_apart, story_vectors
from workers.story_linking import Linker

HOUR = 3600.0
DATE_ONLY, TIMED = True, False
T0 = datetime(2026, 2, 17, 9, tzinfo=UTC)


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


def test_the_story_vectors_wrapper_takes_what_the_clusterer_passes_triage() -> None:
    # Clusterer.add calls triage(report, at_once=False) for a report that joined a story
    # of its language, and triage(report, held=...) otherwise: the wrapper passes both on.
    linker = Linker()
    when = T0.timestamp()
    strike = "Russian missiles strike Kharkiv power plant, leaving the city without light"
    linker.join("st_en", linker.read("a", "en", when, strike, ""))
    version = linker.read(
        "b", "uk", when + 600, "Нова атака на енергетику", "Обстріл ТЕЦ у Харкові: місто без світла"
    )
    wrapped = story_vectors(1, 0.0, always=True)  # any cosine: the wrapper's own candidate
    assert wrapped(linker, version, at_once=False) == wrapped(linker, version, held=lambda s: False)
    linked, band = wrapped(linker, version, at_once=False)
    assert linked is None and [sid for sid, _ in band][-1:] == ["st_en"]
    assert list(inspect.signature(wrapped).parameters) == list(
        inspect.signature(Linker.triage).parameters
    )
