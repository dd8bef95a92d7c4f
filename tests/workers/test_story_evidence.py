"""workers.story_evidence: the evidence between two reports and the verifier's probability."""

from __future__ import annotations

import dataclasses
import math
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path

import pytest

from workers.cluster import ClusterConfig
from workers.story_evidence import (
    FEATURE_NAMES,
    FRESH_HOURS,
    MAX_RARE_COUNT,
    RARE_IDF,
    RARE_IDF_CAP,
    SAME_DEVELOPMENT,
    UNDATED_HOURS,
    UNDATED_LOG_HOURS,
    PairEvidence,
    Weights,
    compare,
    verify,
)
from workers.story_features import Report

HOUR = 3600.0
# IDF as of the later report: every word of these tests is moderately common, but for
# the ones a test names.
IDF: defaultdict[str, float] = defaultdict(lambda: 3.0, {"hamilton": 9.0, "mercedes": 8.0})


def report(
    aid: str,
    title: dict[str, float],
    *,
    body: set[str] | None = None,
    names: set[str] = frozenset(),  # type: ignore[assignment]
    outlet: str = "A",
    when: float = 0.0,
    dated: bool = True,
    numbers: set[str] = frozenset(),  # type: ignore[assignment]
    roundup: bool = False,
) -> Report:
    words = body if body is not None else set(title)
    norm = math.sqrt(sum(w * w for w in title.values()))
    return Report.of(
        article_id=aid, outlet=outlet, when=when, dated=dated,
        vector={t: w / norm for t, w in title.items()},
        title=title, events={t: w for t, w in title.items() if t not in names},
        body=frozenset(words), names=frozenset(names), numbers=frozenset(numbers),
        roundup=roundup, series=False,
    )  # fmt: skip


VETTEL = report(
    "a",
    {"vettel": 5.0, "leav": 2.0, "ferrari": 4.0, "season": 1.5, "contract": 3.0, "talk": 2.0},
    names={"vettel", "ferrari"},
)


def test_identical_reports_from_two_outlets_are_one_development() -> None:
    other = dataclasses.replace(VETTEL, article_id="b", outlet="B", when=2 * HOUR)
    evidence = compare(VETTEL, other, IDF)
    assert evidence.cosine == pytest.approx(1.0)
    assert evidence.title_cover == evidence.event_cover == evidence.names_overlap == 1.0
    assert not evidence.same_outlet and not evidence.names_conflict
    assert SAME_DEVELOPMENT.probability(evidence) > 0.9


def test_same_name_other_event_is_unlikely() -> None:
    other = report(
        "b",
        {"vettel": 5.0, "crash": 3.0, "practic": 2.0, "monza": 4.0, "wet": 2.5, "track": 2.0},
        names={"vettel", "monza"},
        outlet="B",
        when=HOUR,
    )
    evidence = compare(VETTEL, other, IDF)
    assert evidence.who_not_what and evidence.event_cover == 0.0
    assert SAME_DEVELOPMENT.probability(evidence) < ClusterConfig().join_probability


def test_names_conflict_when_nobody_is_shared() -> None:
    other = report("b", {"hamilton": 5.0, "leav": 2.0, "mercedes": 4.0},
                   names={"hamilton", "mercedes"}, outlet="B")  # fmt: skip
    assert compare(VETTEL, other, IDF).names_conflict


def test_undated_reports_give_no_time_evidence() -> None:
    undated = dataclasses.replace(VETTEL, article_id="b", outlet="B", dated=False)
    assert compare(VETTEL, undated, IDF).log_hours == UNDATED_LOG_HOURS
    far = dataclasses.replace(VETTEL, article_id="c", outlet="B", when=48 * HOUR)
    assert compare(VETTEL, far, IDF).log_hours == pytest.approx(math.log1p(48))


def test_a_roundup_weighs_against_a_merge() -> None:
    live = dataclasses.replace(VETTEL, article_id="b", outlet="B", roundup=True)
    plain = dataclasses.replace(VETTEL, article_id="c", outlet="B")
    assert compare(VETTEL, live, IDF).roundup
    assert SAME_DEVELOPMENT.probability(compare(VETTEL, live, IDF)) < SAME_DEVELOPMENT.probability(
        compare(VETTEL, plain, IDF)
    )


def test_the_model_reads_every_feature_in_order() -> None:
    assert len(SAME_DEVELOPMENT.coefficients) == len(FEATURE_NAMES) == len(PairEvidence._fields)
    assert FEATURE_NAMES == (
        "cosine", "title_cosine", "title_cover", "names_overlap", "names_conflict",
        "event_cover", "who_not_what", "shared_numbers", "log_hours", "same_outlet",
        "roundup", "series", "rare_shared", "fresh_cosine", "rare_count",
    )  # fmt: skip
    evidence = compare(VETTEL, VETTEL, IDF)
    assert evidence.vector() == tuple(float(getattr(evidence, n)) for n in FEATURE_NAMES)
    with pytest.raises(AttributeError):
        evidence.cosine = 0.0  # type: ignore[misc]


def test_the_headline_overlaps_headroom_is_their_positive_weights() -> None:
    """What ``verify``'s bound adds for the overlaps it leaves out: each overlap's weight
    where it raises the logit, nothing where it lowers it."""
    at = [FEATURE_NAMES.index(n) for n in ("title_cosine", "title_cover", "event_cover",
                                          "who_not_what")]  # fmt: skip
    positive = sum(max(0.0, SAME_DEVELOPMENT.coefficients[i]) for i in at)
    assert SAME_DEVELOPMENT.overlap_headroom == positive > 0.0
    negated = Weights(-1.0, tuple(-c for c in SAME_DEVELOPMENT.coefficients))
    assert negated.overlap_headroom == sum(max(0.0, -SAME_DEVELOPMENT.coefficients[i]) for i in at)
    assert negated == Weights(-1.0, negated.coefficients)  # the headroom is derived, not compared


def test_a_rare_shared_word_is_stronger_evidence_than_a_common_one() -> None:
    rare = report("b", {"vettel": 5.0, "lysol": 9.0}, names={"vettel"}, outlet="B")
    common = report("c", {"vettel": 5.0, "week": 2.0}, names={"vettel"}, outlet="B")
    mine = report("a", {"lysol": 9.0, "week": 2.0, "warn": 3.0})
    idf = defaultdict(lambda: 3.0, {"lysol": 11.0, "week": 1.5})
    assert compare(mine, rare, idf).rare_shared == pytest.approx(11.0 / (3 * RARE_IDF_CAP))
    assert compare(mine, common, idf).rare_shared == pytest.approx(1.5 / (3 * RARE_IDF_CAP))
    capped = defaultdict(lambda: 3.0, {"lysol": 40.0})
    assert compare(mine, rare, capped).rare_shared == pytest.approx(1 / 3)


def test_the_cosine_fades_with_the_hours_between_reports() -> None:
    near = dataclasses.replace(VETTEL, article_id="b", outlet="B", when=HOUR)
    far = dataclasses.replace(VETTEL, article_id="c", outlet="B", when=48 * HOUR)
    undated = dataclasses.replace(VETTEL, article_id="d", outlet="B", dated=False)
    assert compare(VETTEL, near, IDF).fresh_cosine == pytest.approx(math.exp(-1 / FRESH_HOURS))
    assert compare(VETTEL, far, IDF).fresh_cosine == pytest.approx(math.exp(-48 / FRESH_HOURS))
    assert compare(VETTEL, undated, IDF).fresh_cosine == pytest.approx(
        math.exp(-UNDATED_HOURS / FRESH_HOURS)
    )
    assert SAME_DEVELOPMENT.probability(compare(VETTEL, far, IDF)) < SAME_DEVELOPMENT.probability(
        compare(VETTEL, near, IDF)
    )


def test_rare_words_in_common_are_counted_up_to_a_cap() -> None:
    words = {f"w{i}": 1.0 for i in range(8)}
    mine, other = report("a", words), report("b", words, outlet="B")
    three_rare = defaultdict(lambda: RARE_IDF - 1, {"w0": 9.0, "w1": 8.0, "w2": RARE_IDF + 0.1})
    assert compare(mine, other, three_rare).rare_count == pytest.approx(3 / MAX_RARE_COUNT)
    all_rare = defaultdict(lambda: RARE_IDF + 1)
    assert compare(mine, other, all_rare).rare_count == 1.0
    none_rare = defaultdict(lambda: RARE_IDF)
    assert compare(mine, other, none_rare).rare_count == 0.0


def _stream_reports() -> tuple[list[Report], Mapping[str, float]]:
    """Reports of real English news as the clusterer reads them (bench/data/crosslingual),
    and the IDF after the last."""
    from workers.cluster_eval import read_docs
    from workers.story_features import DocFreqs, FeatureReader, IdfMemo
    from workers.story_kinds import OutletMemory

    config = ClusterConfig()
    counts = DocFreqs(config.idf_window_days)
    reader = FeatureReader(config, counts, OutletMemory())
    docs = read_docs(Path(__file__).resolve().parents[2] / "bench/data/crosslingual/stream.jsonl")
    reports = [reader.read(d, d.published)[1] for d in docs if d.language == "en"]
    return reports, IdfMemo(counts.of("en"))


def test_verify_scores_what_compare_scores_or_only_refuses_what_cannot_reach_the_floor() -> None:
    reports, idf = _stream_reports()
    floor = ClusterConfig().join_probability
    refused = reached = 0
    for i, a in enumerate(reports):
        for b in reports[:i]:
            exact = SAME_DEVELOPMENT.probability(compare(a, b, idf))
            reached += exact >= floor
            bounded = verify(SAME_DEVELOPMENT, a, b, idf, floor)
            if bounded is None:
                refused += 1
                assert exact < floor
            else:
                assert bounded == exact  # the very same float
            assert verify(SAME_DEVELOPMENT, a, b, idf, 0.0) == exact
    pairs = len(reports) * (len(reports) - 1) // 2
    # Most pairs of a day's news are plainly different developments: the bound spares them.
    assert pairs > 1000 and refused > pairs // 2 and reached > 0
