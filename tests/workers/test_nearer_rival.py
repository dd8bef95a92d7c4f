"""workers.nearer_rival: a check's candidate that a rival nearly ties and that began much
further from the newcomer is refused; through the clusterer's check answers
(workers/cluster.py), on real reports of the held5 tuning part."""

from __future__ import annotations

import dataclasses

from tests.factories import part_stories
from workers.cluster import Clusterer
from workers.link_evidence import LinkEvidence
from workers.nearer_rival import nearer_rival
from workers.story_linking import LinkConfig

LINKING = LinkConfig()


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
