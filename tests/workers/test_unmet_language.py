"""A timed candidate in languages the newcomer's story does not write
(workers/unmet_language.py), alone and through the clusterer's check."""

from __future__ import annotations

import dataclasses
import functools
import itertools
import json
from datetime import UTC, datetime, timedelta

from workers.cluster import ClusterConfig, ClusterDoc, Clusterer
from workers.link_evidence import link_evidence, linked
from workers.story_linking import DEFAULT_LINKING, LinkConfig
from workers.unmet_language import unmet_band_start, unmet_language

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
# Every candidate goes to a check (no immediate n-gram link), the rule's default start.
CHECKED = LinkConfig(gram_link=2.0)
OFF = dataclasses.replace(CHECKED, unmet_place_cosine=None)


def under_timed_band(config: LinkConfig) -> float:
    """A cosine from ``unmet_place_cosine`` up and under ``timed_place_cosine``."""
    assert config.unmet_place_cosine is not None and config.timed_place_cosine is not None
    assert config.unmet_place_cosine < config.timed_place_cosine
    return (config.unmet_place_cosine + config.timed_place_cosine) / 2


def test_a_candidate_is_unmet_when_it_holds_none_of_the_newcomers_languages() -> None:
    assert unmet_language(["uk"], ["en"])
    assert unmet_language(["uk", "ru"], ["en"])
    assert not unmet_language(["uk"], ["en", "uk"])
    assert not unmet_language(["ru", "en"], ["en"])


def test_the_band_starts_lower_only_for_an_unmet_timed_candidate() -> None:
    assert unmet_band_start(0.83, unmet=True, timed_band=True, unmet_cosine=0.82) == 0.82
    assert unmet_band_start(0.83, unmet=False, timed_band=True, unmet_cosine=0.82) == 0.83
    assert unmet_band_start(0.83, unmet=True, timed_band=False, unmet_cosine=0.82) == 0.83
    assert unmet_band_start(0.83, unmet=True, timed_band=True, unmet_cosine=None) == 0.83
    assert unmet_band_start(None, unmet=True, timed_band=True, unmet_cosine=0.82) is None
    # Never above where the band starts already (a shared count's ``place_cosine``).
    assert unmet_band_start(0.80, unmet=True, timed_band=True, unmet_cosine=0.82) == 0.80


def test_the_decision_reads_an_unmet_timed_candidate_from_its_own_start() -> None:
    """Two timed stories under ``timed_place_cosine`` naming a place in common link from
    ``unmet_place_cosine`` when the candidate holds none of the newcomer's languages,
    within ``timed_apart_hours`` and with a place shared only; the default's knob is on."""
    config = DEFAULT_LINKING
    assert config.unmet_place_cosine is not None and config.timed_apart_hours is not None
    cosine = under_timed_band(config)
    near = config.timed_apart_hours / 2
    assert linked(link_evidence(cosine, [], near, same_place=True, timed=True, unmet=True),
                  config)  # fmt: skip
    assert not linked(link_evidence(cosine, [], near, same_place=True, timed=True), config)
    assert not linked(link_evidence(cosine, [], near, timed=True, unmet=True), config)
    late = config.timed_apart_hours + 1.0
    assert not linked(link_evidence(cosine, [], late, same_place=True, timed=True, unmet=True),
                      config)  # fmt: skip
    off = dataclasses.replace(config, unmet_place_cosine=None)
    assert not linked(link_evidence(cosine, [], near, same_place=True, timed=True, unmet=True),
                      off)  # fmt: skip
    below = config.unmet_place_cosine - 0.005
    assert not linked(link_evidence(below, [], near, same_place=True, timed=True, unmet=True),
                      config)  # fmt: skip


def report(id_: str, title: str, language: str, source: str, at: datetime) -> ClusterDoc:
    return ClusterDoc(id_, title, "", at, language, source, "")


def test_a_check_links_a_timed_version_its_language_never_read() -> None:
    """An English report of a strike on Kharkiv, then a Ukrainian one 40 minutes later,
    scored under ``timed_place_cosine``: the English story holds no Ukrainian report, so
    the check links them (the band from ``unmet_place_cosine``); with the knob off it
    does not."""
    cosine = [under_timed_band(CHECKED)]
    later = T0 + timedelta(minutes=40)
    answers = []
    for config in (CHECKED, OFF):
        clusterer = Clusterer(ClusterConfig(link=config))
        older = clusterer.add(report("en-1", "Russian missiles hit Kharkiv overnight", "en",
                                     "A", T0), T0)  # fmt: skip
        clusterer.add(report("uk-1", "Російські ракети вдарили по Харкову вночі", "uk", "B",
                             later), later)  # fmt: skip
        [check] = clusterer.pending_checks()
        [found] = clusterer.link_evidence(check.id, cosine)
        assert found is not None and found.timed and found.same_place and found.unmet
        answers.append(clusterer.link_targets(check.id, cosine))
        if config is CHECKED:
            assert answers[-1] == (check.story, older.story_id)
    assert answers[1] == ()


def test_a_candidate_holding_the_newcomers_language_keeps_the_timed_band() -> None:
    """The English story already holds a Ukrainian report (a check merged it) that the
    Ukrainian clusterer kept apart from the Ukrainian newcomer: the candidate is not
    unmet, and under ``timed_place_cosine`` the check does not link it."""
    clusterer = Clusterer(ClusterConfig(link=CHECKED))
    older = clusterer.add(report("en-1", "Russian missiles hit Kharkiv overnight", "en", "A",
                                 T0), T0)  # fmt: skip
    at = T0 + timedelta(minutes=20)
    clusterer.add(report("uk-1", "Російські ракети вдарили по Харкову вночі", "uk", "B", at),
                  at)  # fmt: skip
    [first] = clusterer.pending_checks()
    answer = clusterer.resolve_check(first.id, [0.95])
    assert answer is not None and answer.survivor == older.story_id
    later = T0 + timedelta(minutes=40)
    clusterer.add(report("uk-2", "Мер Харкова закликав мешканців до укриттів через загрозу",
                         "uk", "C", later), later)  # fmt: skip
    [check] = clusterer.pending_checks()
    cosine = [under_timed_band(CHECKED)]
    [found] = clusterer.link_evidence(check.id, cosine)
    assert found is not None and found.timed and found.same_place and not found.unmet
    assert clusterer.link_targets(check.id, cosine) == ()


def two_checks_on_one_candidate() -> tuple[Clusterer, str, int, int]:
    """An English report of a strike on Kharkiv, then two Ukrainian reports 20 and 30
    minutes later that the Ukrainian clusterer keeps apart, each with a check on the
    English story: the English story's id, the first check's id, the second's."""
    clusterer = Clusterer(ClusterConfig(link=CHECKED))
    older = clusterer.add(report("en-1", "Russian missiles hit Kharkiv overnight", "en", "A",
                                 T0), T0)  # fmt: skip
    for minutes, id_, title, outlet in (
        (20, "uk-1", "Російські ракети вдарили по Харкову вночі", "B"),
        (30, "uk-2", "Мер Харкова закликав мешканців до укриттів через загрозу", "C"),
    ):
        at = T0 + timedelta(minutes=minutes)
        clusterer.add(report(id_, title, "uk", outlet, at), at)
    first, second = clusterer.pending_checks()
    assert [story for story, _ in first.candidates] == [older.story_id]
    assert [story for story, _ in second.candidates] == [older.story_id]
    return clusterer, older.story_id, first.id, second.id


def test_the_languages_are_read_when_the_check_is_answered() -> None:
    """A candidate's story that gains the newcomer's language while the check waits (a
    second Ukrainian report merged into it, which the Ukrainian clusterer kept apart from
    the newcomer) is read as it stands at the answer: no longer unmet, it keeps the timed
    band; answered before that merge, the same scores link it."""
    cosine = [under_timed_band(CHECKED)]
    clusterer, english, first, second = two_checks_on_one_candidate()
    [before] = clusterer.link_evidence(first, cosine)
    assert before is not None and before.unmet
    assert clusterer.link_targets(first, cosine)[1:] == (english,)
    answer = clusterer.resolve_check(second, [0.95])
    assert answer is not None and answer.survivor == english
    [after] = clusterer.link_evidence(first, cosine)
    assert after is not None and after.timed and after.same_place and not after.unmet
    unlinked = clusterer.resolve_check(first, cosine)
    assert unlinked is not None and unlinked.survivor is None


def test_a_restored_clusterer_answers_a_waiting_check_as_the_live_one() -> None:
    """The languages the check reads are the stories' own, which the snapshot keeps: a
    clusterer restored while the check of an unmet candidate waits links it as the live
    one does, and after the merge that makes it met refuses it as the live one does."""
    cosine = [under_timed_band(CHECKED)]
    for merge_first in (False, True):
        live, _, first, second = two_checks_on_one_candidate()
        if merge_first:
            live.resolve_check(second, [0.95])
        restored = Clusterer.restore(
            json.loads(json.dumps(live.snapshot())), ClusterConfig(link=CHECKED)
        )
        assert restored.link_evidence(first, cosine) == live.link_evidence(first, cosine)
        answers = [c.resolve_check(first, cosine) for c in (live, restored)]
        assert answers[0] == answers[1]
        assert (answers[0] is not None and answers[0].survivor is not None) is not merge_first


def test_unmet_moves_only_the_timed_place_bands_start() -> None:
    """Over a grid of evidence, ``unmet`` changes the decision only for two timed stories
    with a place shared and no count (a shared count keeps ``place_cosine``), a
    cosine from ``unmet_place_cosine`` to ``timed_place_cosine`` and under
    ``timed_apart_hours``: the sure, hours, close and untimed place bands read as before."""
    config = dataclasses.replace(DEFAULT_LINKING, close_cosine=0.82, close_hours=2.0)
    low, high = config.unmet_place_cosine, config.timed_place_cosine
    assert low is not None and high is not None and config.timed_apart_hours is not None
    moved = []
    for cosine in (0.79, 0.805, low - 0.001, low, (low + high) / 2, high, 0.86, 0.95):
        for hours in (0.5, 3.0, config.timed_apart_hours + 1.0, 30.0):
            for timed, place, count, margin in itertools.product((False, True), repeat=4):
                rivals = [] if margin else [cosine + 0.005]
                read = functools.partial(link_evidence, cosine, rivals, hours, place, count)
                a = linked(read(timed=timed), config)
                b = linked(read(timed=timed, unmet=True), config)
                assert a <= b  # never refuses what the band linked
                if a != b:
                    moved.append((cosine, hours, timed, place, count))
    assert moved
    assert all(
        timed and place and not count and low <= cosine < high
        and hours < config.timed_apart_hours
        for cosine, hours, timed, place, count in moved
    )  # fmt: skip


def test_a_rival_the_band_links_ties_a_timed_candidate() -> None:
    """Two Ukrainian stories of a strike on Kharkiv that their clusterer kept apart, and an
    English report 40 minutes on scoring 0.837 with the first and 0.828 with the second:
    the band from ``unmet_place_cosine`` links the second, and a linked rival within
    ``tie_cosine`` ties a timed candidate (workers/nearer_rival.py), so neither merges;
    with the knob off the second is refused and, scoring lower, ties nothing (fresh's
    Kharkiv TV tower; docs/design.md, "A timed candidate in languages the newcomer does
    not write", has what keeping the band out of the tie measured)."""
    verdicts = []
    for config in (CHECKED, OFF):
        clusterer = Clusterer(ClusterConfig(link=config))
        for minutes, id_, title, outlet, language in (
            (0, "uk-1", "Російські ракети вдарили по Харкову вночі", "B", "uk"),
            (10, "uk-2", "Мер Харкова закликав мешканців до укриттів через ракетний удар",
             "C", "uk"),
            (40, "en-1", "Russian missiles hit Kharkiv overnight", "A", "en"),
        ):  # fmt: skip
            at = T0 + timedelta(minutes=minutes)
            clusterer.add(report(id_, title, language, outlet, at), at)
        [check] = clusterer.pending_checks()
        assert len(check.candidates) == 2
        scores = [0.837, 0.828]
        evidence = clusterer.link_evidence(check.id, scores)
        assert all(e is not None and e.timed and e.same_place and e.unmet for e in evidence)
        verdicts.append(clusterer.link_verdicts(check.id, scores))
    assert verdicts == [["timed tie", "timed tie"], ["taken", "not linked"]]
