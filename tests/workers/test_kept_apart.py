"""workers.kept_apart: a check's candidate that began in the newcomer's language and holds
the newcomer's outlet's own report links only from the sure cosine; through the
clusterer's check answers (workers/cluster.py), on real items of the cross-lingual set."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from workers.cluster import ClusterConfig, ClusterDoc, Clusterer
from workers.kept_apart import kept_apart
from workers.story_linking import LinkConfig

SET = Path(__file__).resolve().parents[2] / "bench" / "data" / "crosslingual" / "stream.jsonl"
# The hours as for stories dated by their day: the statement came 9 h after the speech,
# which ``timed_apart_hours`` alone reads apart; these tests weigh the outlet's gate.
LINKING = LinkConfig(timed_apart_hours=None)
OP_EN, OP_UK = "Office of the President of Ukraine", "Офіс Президента України"


def test_a_candidate_of_the_newcomers_language_and_outlet_is_refused_below_sure_cosine() -> None:
    assert kept_apart("en", [OP_EN], "en", [OP_EN, OP_UK], 0.884, 0.90)
    assert not kept_apart("en", [OP_EN], "en", [OP_EN, OP_UK], 0.90, 0.90)


@pytest.mark.parametrize(
    ("candidate_language", "candidate_outlets"),
    [("uk", [OP_UK, OP_EN]), ("en", ["Reuters", OP_UK])],
    ids=["began in another language", "another outlet"],
)
def test_a_candidate_its_newcomers_clusterer_or_outlet_did_not_keep_apart_is_not_refused(
    candidate_language: str, candidate_outlets: list[str]
) -> None:
    assert not kept_apart("en", [OP_EN], candidate_language, candidate_outlets, 0.85, 0.90)


def test_the_gate_off_refuses_nothing() -> None:
    assert not kept_apart("en", [OP_EN], "en", [OP_EN], 0.85, None)


def test_an_empty_outlet_is_no_outlet_in_common() -> None:
    assert not kept_apart("en", [""], "en", ["", OP_UK], 0.85, 0.90)


def real_doc(real_id: str, outlet: str | None = None) -> ClusterDoc:
    [row] = [r for r in map(json.loads, SET.read_text(encoding="utf-8").splitlines())
             if r["id"] == real_id]  # fmt: skip
    published = datetime.fromisoformat(row["published"])
    return ClusterDoc(row["id"], row["title"], row["text"], published, row["language"],
                      row["source"] if outlet is None else outlet, row["url"])  # fmt: skip


def two_addresses(
    config: LinkConfig, outlet: str | None = None, speech_outlet: str | None = None
) -> tuple[Clusterer, str, str, list[int]]:
    """The Office of the President's speech to the Joint Expeditionary Force (15 Mar 2022,
    14:40, English and Ukrainian, linked), then its English statement after meeting three
    ministers 9 h later, which the English clusterer keeps apart from the speech and whose
    check names the speech's story (the set's embedding: 0.884 against its Ukrainian
    version): (clusterer, the speech's story, the statement's, the statement's check's
    candidate story ids)."""
    clusterer = Clusterer(ClusterConfig(link=config))
    speech_en = real_doc("resistinua-en-Qro8cVXj_IU", speech_outlet)
    speech_uk = real_doc("resistinua-uk-Qro8cVXj_IU")
    statement = real_doc("resistinua-en-UvzW0Vt6hO0", outlet)
    now = statement.published + timedelta(days=1)
    speech = clusterer.add(speech_en, now).story_id
    # The speech's versions share their names (the n-grams link them at once).
    assert clusterer.add(speech_uk, now).story_id == speech
    assert not clusterer.pending_checks()
    newcomer = clusterer.add(statement, now)
    assert newcomer.created  # the English clusterer kept it apart from the speech
    [check] = clusterer.pending_checks()
    assert [sid for sid, _ in check.candidates] == [speech]
    return clusterer, speech, newcomer.story_id, [check.id]


def answer_at(clusterer: Clusterer, check_id: int, cosine: float) -> set[str]:
    """The stories left after the check is answered at ``cosine``."""
    clusterer.resolve_check(check_id, [cosine])
    return {story.id for story in clusterer.stories()}


def test_a_check_does_not_merge_the_outlets_other_item_its_clusterer_kept_apart() -> None:
    clusterer, speech, statement, [check] = two_addresses(LINKING)
    assert answer_at(clusterer, check, 0.884) == {speech, statement}


def test_the_outlets_other_item_merges_from_the_sure_cosine() -> None:
    clusterer, speech, _, [check] = two_addresses(LINKING)
    assert answer_at(clusterer, check, 0.91) == {speech}


def test_another_outlets_report_kept_apart_by_its_clusterer_merges_as_before() -> None:
    clusterer, speech, _, [check] = two_addresses(LINKING, outlet="Reuters")
    assert answer_at(clusterer, check, 0.884) == {speech}


def test_two_stories_of_feeds_without_an_outlet_name_merge_as_before() -> None:
    """A feed with neither a configured name nor a title gives its items an empty outlet
    (workers/normalize.py); two such feeds are not one outlet."""
    clusterer, speech, _, [check] = two_addresses(LINKING, outlet="", speech_outlet="")
    assert answer_at(clusterer, check, 0.884) == {speech}


def test_with_the_gate_off_the_check_merges_the_outlets_other_item() -> None:
    off = dataclasses.replace(LINKING, own_outlet_cosine=None)
    clusterer, speech, _, [check] = two_addresses(off)
    assert answer_at(clusterer, check, 0.884) == {speech}


def test_a_restored_clusterer_keeps_the_outlets_other_item_apart() -> None:
    """The gate reads each story's first language and outlets, which the snapshot keeps,
    as it keeps the pending check."""
    clusterer, speech, statement, [check] = two_addresses(LINKING)
    snapshot = json.loads(json.dumps(clusterer.snapshot()))
    restored = Clusterer.restore(snapshot, ClusterConfig(link=LINKING))
    assert answer_at(restored, check, 0.884) == {speech, statement}
