"""workers.nearer_rival: a check's candidate that a rival nearly ties and that began much
further from the newcomer is refused, and one of two timed stories whatever the hours;
through the clusterer's check answers (workers/cluster.py), on real reports of the held5
and held15 tuning parts."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta

from tests.factories import part_stories
from workers.cluster import ClusterConfig, ClusterDoc, Clusterer
from workers.link_evidence import LinkEvidence
from workers.nearer_rival import nearer_rival
from workers.story_linking import LinkConfig

LINKING = LinkConfig()
T0 = datetime(2026, 2, 17, 9, tzinfo=UTC)


def evidence(cosine: float, hours: float) -> LinkEvidence:
    return LinkEvidence(cosine=cosine, margin=0.0, hours=hours)


def test_a_near_tie_goes_to_the_candidate_nearer_in_time() -> None:
    preview, event = evidence(0.873, 18.3), evidence(0.867, 0.0)
    assert nearer_rival([preview, event], 0.01, 12.0, 0.90) == [True, False]


def test_a_rival_further_below_or_not_much_nearer_overrules_nothing() -> None:
    assert nearer_rival([evidence(0.873, 18.3), evidence(0.86, 0.0)], 0.01, 12.0, 0.90) == [
        False,
        False,
    ]
    assert nearer_rival([evidence(0.873, 11.0), evidence(0.87, 0.0)], 0.01, 12.0, 0.90) == [
        False,
        False,
    ]


def test_a_sure_cosine_is_not_overruled() -> None:
    assert nearer_rival([evidence(0.91, 18.3), evidence(0.905, 0.0)], 0.01, 12.0, 0.90) == [
        False,
        False,
    ]


def test_the_rule_off_or_nothing_compared_overrules_nothing() -> None:
    pair = [evidence(0.873, 18.3), evidence(0.867, 0.0)]
    assert nearer_rival(pair, None, 12.0, 0.90) == [False, False]
    assert nearer_rival([None, evidence(0.867, 0.0)], 0.01, 12.0, 0.90) == [False, False]


def finland(config: LinkConfig) -> tuple[Clusterer, list[str]]:
    """The Ukrainian preview "Finland will officially become a NATO member on 4 April"
    (dated 3 April), the English "Finland officially a NATO member" (dated 4 April) and
    the Russian "Finland officially became NATO's 31st member" (4 April, 15:16 UTC), each
    its own story; the English report's check is answered "not linked", and the Russian
    report's check has the preview's story and the English one as its candidates:
    (clusterer, [preview, English, Russian] story ids)."""
    clusterer, stories = part_stories(
        "held5", lambda row: row["development"] in ("hd5-014", "hd5-015"), config
    )
    english_check, russian_check = clusterer.pending_checks()
    assert clusterer.resolve_check(english_check.id, [0.80]) is not None
    assert [sid for sid, _ in russian_check.candidates] == stories[:2]
    clusterer.resolve_check(russian_check.id, [0.873, 0.867])
    return clusterer, stories


def test_the_russian_accession_report_links_its_english_version_not_the_preview() -> None:
    clusterer, [preview, english, _] = finland(LINKING)
    assert {story.id for story in clusterer.stories()} == {preview, english}
    merged = clusterer.story(english)
    assert merged is not None and set(merged.languages) == {"en", "ru"}


def test_with_the_rule_off_the_check_links_the_preview_too() -> None:
    off = dataclasses.replace(LINKING, tie_cosine=None)
    clusterer, [preview, _, _] = finland(off)
    assert {story.id for story in clusterer.stories()} == {preview}


def timed(cosine: float, hours: float) -> LinkEvidence:
    return LinkEvidence(cosine=cosine, margin=0.0, hours=hours, timed=True)


def test_two_timed_stories_short_of_the_best_by_a_tie_are_refused_whatever_the_hours() -> None:
    # held15: the Russian "the blackout lasted more than three hours" check; the blackout
    # story 0.888 at 2.2 h, the Ukrainian substation strike story 0.867 at 5.6 h.
    best, further = timed(0.888, 2.2), timed(0.867, 5.6)
    assert nearer_rival([best, further], 0.01, 12.0, 0.90, timed_ties=True) == [False, True]
    assert nearer_rival([best, further], 0.01, 12.0, 0.90, timed_ties=False) == [False, False]


def test_a_timed_best_within_the_tie_of_the_second_is_refused_too() -> None:
    first, second = timed(0.872, 1.0), timed(0.866, 3.0)
    assert nearer_rival([first, second], 0.01, 12.0, 0.90, timed_ties=True) == [True, True]


def test_timed_ties_leave_a_clear_best_a_sure_cosine_and_untimed_stories_alone() -> None:
    assert nearer_rival([timed(0.88, 1.0), timed(0.86, 1.0)], 0.01, 12.0, 0.90, True) == [
        False,
        True,
    ]
    assert nearer_rival([timed(0.93, 1.0), timed(0.925, 1.0)], 0.01, 12.0, 0.90, True) == [
        False,
        False,
    ]
    untimed = [evidence(0.872, 1.0), evidence(0.866, 3.0)]
    assert nearer_rival(untimed, 0.01, 12.0, 0.90, True) == [False, False]


CHERNOBYL = ("regionews-ua-1759329306", "glavnoe-na-chornobylskij-aes-stavsya-blekaut",
             "novosti-dn-ua-ru-406988")  # fmt: skip


def chernobyl(config: LinkConfig) -> tuple[Clusterer, list[str]]:
    """held15's Ukrainian "Russia struck the substation in Slavutych" (17:34), Ukrainian
    "a blackout at the Chernobyl plant after a Russian strike" (20:57), two stories the
    Ukrainian clusterer kept apart, and the Russian "the shelling caused a blackout at the
    Chernobyl plant" (22:19), whose check is answered with its cosines to them as
    measured (0.918 to the blackout, 0.883 to the substation, whose leads share a place):
    (clusterer, [substation, blackout, Russian] story ids)."""
    return answered("held15", CHERNOBYL, [0.883, 0.918], config)


def answered(part: str, ids: tuple[str, ...], cosines: list[float], config: LinkConfig
             ) -> tuple[Clusterer, list[str]]:  # fmt: skip
    """The rows ``ids`` of ``part`` in a clusterer linking by ``config``, the last one's
    check answered with ``cosines``, one per earlier row's story in filing order:
    (clusterer, each row's story id)."""
    clusterer, stories = part_stories(part, lambda row: row["id"] in ids, config)
    (check,) = clusterer.pending_checks()
    cosine = dict(zip(stories, cosines, strict=False))
    clusterer.resolve_check(check.id, [cosine[sid] for sid, _ in check.candidates])
    return clusterer, stories


def test_the_strike_on_a_substation_stays_apart_from_the_blackout_it_caused() -> None:
    clusterer, [substation, blackout, _] = chernobyl(LINKING)
    assert {story.id for story in clusterer.stories()} == {substation, blackout}
    merged = clusterer.story(blackout)
    assert merged is not None and set(merged.languages) == {"uk", "ru"}


def test_with_timed_ties_off_the_check_took_the_substation_strike_as_well() -> None:
    off = dataclasses.replace(LINKING, timed_ties=False)
    clusterer, _ = chernobyl(off)
    assert len(clusterer.stories()) == 1


def test_a_rival_naming_the_candidates_own_story_is_no_rival() -> None:
    # Two candidates merged into one story while the check waited (``CheckQueue.merged``
    # renames one into the other): the check compares it through both texts, at 0.872
    # and 0.866; one story is no tie of itself.
    same = [timed(0.872, 1.0), timed(0.866, 1.0)]
    assert nearer_rival(same, 0.01, 12.0, 0.90, True, ["st_a", "st_a"]) == [False, False]
    assert nearer_rival(same, 0.01, 12.0, 0.90, True, ["st_a", "st_b"]) == [True, True]


def test_a_check_still_links_two_candidates_merged_while_it_waited() -> None:
    """The Ukrainian strike on a Dnipro block and, two hours on, the rescuers at its
    rubble (kept apart by the Ukrainian clusterer), then the English report of its toll,
    whose check waits while the two Ukrainian stories merge (another report's check
    joined them): the check names one story twice and links it."""
    clusterer = Clusterer(ClusterConfig(link=LinkConfig(gram_link=2.0)))
    now = T0 + timedelta(days=1)
    hit = clusterer.add(ClusterDoc("uk1", "Ракета влучила в багатоповерхівку в Дніпрі", "", T0,
                                   "uk", "A"), now)  # fmt: skip
    toll = clusterer.add(ClusterDoc("uk2", "Рятувальники розбирають завали у Дніпрі, загиблих 23",
                                    "", T0 + timedelta(hours=2), "uk", "B"), now)  # fmt: skip
    en = clusterer.add(ClusterDoc("en1", "Death toll in Russian strike on Dnipro block rises to 23",
                                  "", T0 + timedelta(hours=3), "en", "C"), now)  # fmt: skip
    [check] = clusterer.pending_checks()
    assert {sid for sid, _ in check.candidates} == {hit.story_id, toll.story_id}
    survivor, _ = clusterer.merge(hit.story_id, toll.story_id)
    answer = clusterer.resolve_check(check.id, [0.872, 0.866])
    assert answer is not None and answer.merges == [(survivor, en.story_id)]


def test_a_refused_rival_below_the_timed_candidate_ties_nothing() -> None:
    # held10: the Russian "Cardinal Prevost became the 267th pope" check; the English
    # election story 0.837 (linked) and "Ukraine hopes for the Vatican's further support"
    # 0.828, which the decision refuses (under the timed place band).
    elected, hopes = timed(0.837, 2.5), timed(0.828, 0.6)
    links = [True, False]
    assert nearer_rival([elected, hopes], 0.01, 12.0, 0.90, True, None, links, 0.0) == [
        False,
        True,
    ]
    assert nearer_rival([elected, hopes], 0.01, 12.0, 0.90, True, None, links, None) == [
        True,
        True,
    ]


def test_a_refused_rival_above_ties_only_when_it_began_nearer_the_newcomer() -> None:
    # held11: the English "Russia, U.S. and Ukraine meet in Abu Dhabi" check; the Russian
    # preview "talks will take place in Abu Dhabi" 0.869 at 7.7 h (refused on its hours)
    # and the talks' own story 0.854 at 4.4 h.
    preview, talks = timed(0.869, 7.7), timed(0.854, 4.4)
    links = [False, True]
    assert nearer_rival([preview, talks], 0.01, 12.0, 0.90, True, None, links, 0.0) == [
        False,
        False,
    ]
    # Began nearer than the candidate (or within the hours allowed further): it ties.
    assert nearer_rival([timed(0.869, 3.0), talks], 0.01, 12.0, 0.90, True, None, links,
                        0.0) == [False, True]  # fmt: skip
    assert nearer_rival([preview, talks], 0.01, 12.0, 0.90, True, None, links, 6.0) == [
        False,
        True,
    ]


def test_a_refused_rival_above_that_began_as_near_as_the_candidate_still_ties() -> None:
    # The hours tell the two apart only when one began nearer: at the same hours (two
    # stories begun by one instant, or a date-only rival whose day holds the newcomer's
    # filing against a candidate begun with it, both read 0 h) the tie stands.
    rival, candidate = timed(0.869, 4.4), timed(0.854, 4.4)
    links = [False, True]
    assert nearer_rival([rival, candidate], 0.01, 12.0, 0.90, True, None, links, 0.0) == [
        False,
        True,
    ]
    day_dated = LinkEvidence(cosine=0.869, margin=0.0, hours=0.0)
    assert nearer_rival([day_dated, timed(0.854, 0.0)], 0.01, 12.0, 0.90, True, None, links,
                        0.0) == [False, True]  # fmt: skip


def test_a_rival_the_decision_links_ties_as_before() -> None:
    best, further = timed(0.888, 2.2), timed(0.867, 5.6)
    assert nearer_rival([best, further], 0.01, 12.0, 0.90, True, None, [True, True], 0.0) == [
        False,
        True,
    ]


GREENLAND = ("inform-kz-tramp-prigrozil-poshlinami-grenlandiya",
             "report-az-ru-tramp-vvodit-poshliny-grenlandiya", "sud-ua-uk-351156")  # fmt: skip


def greenland(config: LinkConfig) -> tuple[Clusterer, list[str]]:
    """held18's Russian "Trump threatened tariffs on those against US control of
    Greenland" (16 January, 19:15 UTC), the Russian "Trump imposes tariffs on a number of
    European countries over Greenland" (17 January, 16:35) and the Ukrainian "Trump
    imposed tariffs on eight countries over Greenland" (16:58), whose check is answered
    with its cosines to the two Russian stories as measured (0.860 to the threat, which
    began 21.7 h before it, 0.853 to the tariffs, 0.4 h): (clusterer, [threat, tariffs,
    Ukrainian] story ids)."""
    return answered("held18", GREENLAND, [0.860, 0.853], config)


def test_the_ukrainian_tariffs_report_links_its_russian_version_not_the_days_old_threat() -> None:
    clusterer, [threat, tariffs, _] = greenland(LINKING)
    assert {story.id for story in clusterer.stories()} == {threat, tariffs}
    merged = clusterer.story(tariffs)
    assert merged is not None and set(merged.languages) == {"ru", "uk"}


def test_with_every_rival_tying_the_threat_refused_the_tariffs_version() -> None:
    every = dataclasses.replace(LINKING, refused_rival_hours=None)
    clusterer, stories = greenland(every)
    assert {story.id for story in clusterer.stories()} == set(stories)
