"""workers.other_counterparts: a name two reports share half a day apart, whose headlines
each name someone the other does not, is no evidence; alone, in English, Ukrainian and
Russian, and through the clusterer's check answers (workers/cluster.py) on real reports
of the held9 tuning part."""

from __future__ import annotations

import dataclasses
from typing import Any

from tests.factories import part_stories
from workers.cluster import Clusterer
from workers.link_evidence import LinkEvidence
from workers.other_counterparts import other_counterparts
from workers.story_linking import LinkConfig

HOURS = LinkConfig().counterpart_hours
# The check's hours rules as for stories dated by their day (the timed knobs off): the
# Brussels case's stories are timed 15.6 h apart, which ``timed_apart_hours`` reads apart.
BY_A_DAY = LinkConfig(timed_apart_hours=None, timed_place_cosine=None)

CALL_UK = ("Ердоган провів телефонну розмову з Трампом. Президент Туреччини Реджеп Ердоган "
           "обговорив з американським колегою війну на Близькому Сході.")  # fmt: skip
VISIT_EN = ("Erdogan hosts Orban in Ankara. Turkish President Recep Tayyip Erdogan received "
            "Hungarian Prime Minister Viktor Orban for talks on gas supplies.")  # fmt: skip
VISIT_RU = ("Эрдоган принял Орбана в Анкаре. Президент Турции Реджеп Тайип Эрдоган провел "
            "переговоры с премьер-министром Венгрии Орбаном о поставках газа.")  # fmt: skip


def test_one_leaders_call_and_his_guest_the_next_day_are_two_developments() -> None:
    """Erdogan is all they share: the Ukrainian headline names Trump, the English one
    Orban, and neither report writes the other's."""
    assert other_counterparts(CALL_UK, [VISIT_EN], 15.0, HOURS)
    assert other_counterparts(VISIT_EN, [CALL_UK], 15.0, HOURS)


def test_a_version_naming_the_same_counterpart_is_no_other_development() -> None:
    """The Russian report of the visit names Orban, as the English one does."""
    assert not other_counterparts(VISIT_RU, [VISIT_EN], 15.0, HOURS)
    assert not other_counterparts(VISIT_EN, [VISIT_RU, CALL_UK], 15.0, HOURS)


def test_the_reading_is_symmetric_and_ukrainian_and_russian_versions_meet() -> None:
    """The Russian version of the Ukrainian call writes Трамп as it does: no name of its
    own on either side, whichever report is the newcomer."""
    call_ru = ("Эрдоган провел телефонный разговор с Трампом. Президент Турции Реджеп Эрдоган "
               "обсудил с американским коллегой войну на Ближнем Востоке.")  # fmt: skip
    for one, other in ((CALL_UK, call_ru), (VISIT_EN, VISIT_RU), (CALL_UK, VISIT_EN)):
        assert other_counterparts(one, [other], 15.0, HOURS) == other_counterparts(
            other, [one], 15.0, HOURS
        )
    assert not other_counterparts(call_ru, [CALL_UK], 15.0, HOURS)


def test_within_half_a_day_or_with_the_rule_off_names_in_conflict_do_not_count() -> None:
    assert HOURS is not None and not other_counterparts(CALL_UK, [VISIT_EN], HOURS - 0.1, HOURS)
    assert not other_counterparts(CALL_UK, [VISIT_EN], 15.0, None)
    assert not other_counterparts(CALL_UK, [], 15.0, HOURS)


def test_a_headline_that_names_no_one_of_its_own_keeps_the_shared_name() -> None:
    """A Title Case headline's capitals say nothing, so it names no counterpart."""
    title_case = ("Erdogan Hosts Hungarian Leader For Gas Talks. Turkish President Recep Tayyip "
                  "Erdogan received Hungarian Prime Minister Viktor Orban in Ankara.")  # fmt: skip
    assert not other_counterparts(title_case, [CALL_UK], 15.0, HOURS)
    assert not other_counterparts(CALL_UK, [title_case], 15.0, HOURS)


ARRIVAL_RU = ("Зеленский прибыл в Брюссель. Президент Украины продолжает ряд своих "
              "дипломатических встреч: после переговоров в Лондоне он вечером прилетел в "
              "Бельгию.")  # fmt: skip
AUDIENCE_EN = ("Zelenskyy invites Pope to visit Ukraine. During an audience with Pope Leo XIV, "
               "Ukrainian President Volodymyr Zelenskyy invited him to visit Ukraine.")  # fmt: skip


def test_a_place_the_other_report_never_names_is_a_counterpart() -> None:
    """The Russian headline names no one but Zelensky, its subject; Brussels, a place the
    gazetteer reads in it, is what it names of its own, as the Pope is the English one's."""
    assert other_counterparts(ARRIVAL_RU, [AUDIENCE_EN], 15.6, HOURS)
    assert other_counterparts(AUDIENCE_EN, [ARRIVAL_RU], 15.6, HOURS)


def test_a_place_both_reports_name_in_their_own_scripts_is_no_counterpart() -> None:
    """The English report writes Brussels too, in its lead: read as one place with
    "Брюссель", so the Russian headline names nothing of its own; likewise the Ukrainian
    headline's "Брюсселя" beside it."""
    audience_after_brussels = (
        "Zelenskyy invites Pope to visit Ukraine. A day after his talks in Brussels, "
        "Ukrainian President Volodymyr Zelenskyy invited Pope Leo XIV to visit Ukraine."
    )
    arrival_uk = "Зеленський прибув до Брюсселя. Президент України продовжує дипломатичні зустрічі."
    for arrival in (ARRIVAL_RU, arrival_uk):
        assert not other_counterparts(arrival, [audience_after_brussels], 15.6, HOURS)
        assert not other_counterparts(audience_after_brussels, [arrival], 15.6, HOURS)


def test_a_country_is_no_counterpart() -> None:
    """A headline's country is left out (English writes countries as adjectives the
    gazetteer does not read): the English arrival in Germany names nothing of its own."""
    arrival_en = ("Zelenskyy arrives in Germany. The Ukrainian president flew in after talks "
                  "in London.")  # fmt: skip
    assert not other_counterparts(arrival_en, [AUDIENCE_EN], 15.6, HOURS)
    assert not other_counterparts(AUDIENCE_EN, [arrival_en], 15.6, HOURS)


def brussels_then_pope(config: LinkConfig) -> tuple[Clusterer, list[str]]:
    """The Russian "Зеленский прибыл в Брюссель" (8 December 2025, evening) and, 15.6 h
    later, the English "Zelenskyy invites Pope to visit Ukraine", each its own story; the
    English report's check has the Brussels story as its one candidate, answered at the
    cosine the embedding gives the two (0.825, the place band): (clusterer, [Brussels,
    Pope] story ids)."""
    clusterer, stories = part_stories(
        "held9", lambda row: row["id"] in ("24tv-ru-n2967300", "interfax-en-1127078"), config
    )
    [check] = clusterer.pending_checks()
    assert check.story == stories[1] and [sid for sid, _ in check.candidates] == stories[:1]
    [evidence] = clusterer.link_evidence(check.id, [0.825])
    assert evidence is not None and not evidence.same_place and not evidence.same_count
    assert HOURS is not None and HOURS <= evidence.hours_in_band < config.apart_hours
    clusterer.resolve_check(check.id, [0.825])
    return clusterer, stories


def test_a_leaders_arrival_and_his_next_days_audience_stay_two_stories() -> None:
    clusterer, stories = brussels_then_pope(BY_A_DAY)
    assert {story.id for story in clusterer.stories()} == set(stories)


def test_under_the_shipped_timed_hours_the_arrival_and_the_audience_stay_apart() -> None:
    clusterer, stories = brussels_then_pope(LinkConfig())
    assert {story.id for story in clusterer.stories()} == set(stories)


def test_without_the_rule_the_shared_name_merged_them() -> None:
    clusterer, [brussels, _] = brussels_then_pope(
        dataclasses.replace(BY_A_DAY, counterpart_hours=None)
    )
    [merged] = clusterer.stories()
    assert merged.id == brussels and set(merged.languages) == {"en", "ru"}


def brussels_dated_by_its_day(config: LinkConfig) -> LinkEvidence:
    """The Russian "Зеленский прибыл в Брюссель" dated 9 December 2025 by its day only, and
    "Zelenskyy invites Pope to visit Ukraine" filed 14:12 that day: the evidence of the
    English report's check on the Brussels story at 0.825."""

    def dated_by_its_day(row: dict[str, Any]) -> dict[str, Any]:
        if row["id"] != "24tv-ru-n2967300":
            return row
        return {**row, "published": "2025-12-09T00:00:00+02:00", "date_only": True}

    clusterer, _ = part_stories(
        "held9",
        lambda row: row["id"] in ("24tv-ru-n2967300", "interfax-en-1127078"),
        config,
        dated_by_its_day,
    )
    [check] = clusterer.pending_checks()
    [evidence] = clusterer.link_evidence(check.id, [0.825])
    assert evidence is not None
    return evidence


def test_a_date_only_report_is_read_by_its_day_beside_a_timed_one_of_that_day() -> None:
    """By the calendar (``LinkConfig.day_hours``, as the check's other hours rules read
    them) the two began 0 h apart, not the 14 h since the day's first instant the place
    band reads: no half a day between them, so the shared name stands."""
    evidence = brussels_dated_by_its_day(LinkConfig())
    assert evidence.hours < 1.0 and evidence.hours_in_band > 14.0
    assert evidence.same_name
    off = dataclasses.replace(LinkConfig(), counterpart_hours=None)
    assert brussels_dated_by_its_day(off).same_name
