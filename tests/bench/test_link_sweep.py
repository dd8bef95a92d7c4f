"""bench/link_sweep.py: settings read, decision steps named, merges traced, a rule chosen
leave one timed part out (for precision and for recall)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bench.link_sweep import (
    CARRIED,
    HOURS,
    NGRAM,
    PLACE,
    SAME_LANGUAGE,
    STREAMS,
    SURE,
    TIMED_PARTS,
    Merge,
    Tally,
    Trace,
    band_of,
    family,
    leave_one_timed_part_out,
    recall_leave_one_out,
    setting,
    step_of,
    traced,
)
from workers.cluster import ClusterConfig, ClusterDoc, Clusterer
from workers.cluster_eval import cluster_docs
from workers.link_evidence import link_evidence
from workers.story_decider import StoryDecider
from workers.story_linking import DEFAULT_LINKING


def test_a_setting_overrides_link_and_cluster_knobs_by_their_types() -> None:
    config = setting("sure_cosine=0.94,place_cosine=none,distinct_names=false,"
                     "place_scan=8,join_probability=0.8")  # fmt: skip
    assert config.link is not None
    assert config.link.sure_cosine == 0.94
    assert config.link.place_cosine is None
    assert config.link.distinct_names is False
    assert config.link.place_scan == 8
    assert config.join_probability == 0.8
    assert config.link.same_cosine == DEFAULT_LINKING.same_cosine
    assert setting("") == ClusterConfig()
    with pytest.raises(ValueError, match="unknown knob 'sure'"):
        setting("sure=0.9")
    with pytest.raises(ValueError, match="unknown knob 'link'"):
        setting("link=none")


def test_the_band_of_a_checks_link_follows_the_decision() -> None:
    def band(cosine: float, hours: float = 1.0, grown: float = 0.0) -> str:
        evidence = link_evidence(cosine, [], hours, same_place=True, grown_hours=grown)
        return band_of(evidence, DEFAULT_LINKING)

    assert band(0.93) == SURE
    assert band(0.93, hours=30.0, grown=30.0) == HOURS  # a story grown across days
    assert band(0.87) == HOURS
    assert band(0.82) == PLACE


def test_a_wrong_pair_is_put_under_the_merge_that_joined_its_two_developments() -> None:
    development = {"x1": "X", "x2": "X", "y1": "Y", "y2": "Y"}
    trace = Trace(merges=[
        Merge(SAME_LANGUAGE, frozenset({"x2"}), frozenset({"x1"})),
        Merge(NGRAM, frozenset({"y1"}), frozenset({"x1", "x2"})),  # the wrong link
        Merge(SAME_LANGUAGE, frozenset({"y2"}), frozenset({"x1", "x2", "y1"})),
    ], copy_of={"y3": "y2"})  # fmt: skip
    assert step_of("x1", "y2", development, trace) == NGRAM
    assert step_of("y3", "x2", development, trace) == NGRAM  # a copy stands for its original
    # Two developments joined through a third: no merge had them on its two sides alone.
    development.update({"z1": "Z", "z2": "Z"})
    chain = Trace(merges=[
        Merge(NGRAM, frozenset({"x1"}), frozenset({"z1"})),
        Merge(NGRAM, frozenset({"y1"}), frozenset({"z2"})),
        Merge(SURE, frozenset({"x1", "z1"}), frozenset({"y1", "z2"})),
    ])  # fmt: skip
    assert step_of("x1", "y1", development, chain) == f"{CARRIED} ({SURE})"


def test_traced_records_copies_and_leaves_the_decision_path_as_it_was() -> None:
    kept = (Clusterer.add, Clusterer.merge, StoryDecider.copy_of, StoryDecider.answer_checks)
    when = datetime(2026, 12, 6, 12, tzinfo=UTC)
    title = "Storm floods the harbour of Odesa, ferries halted for the day"
    docs = [ClusterDoc(id=f"a{k}", title=title, text=title * 3, published=when, language="en",
                       outlet=f"outlet{k}") for k in range(2)]  # fmt: skip
    with traced() as trace:
        story = dict(cluster_docs(docs, ClusterConfig(link=None)))
    assert story["a0"] == story["a1"]
    assert trace.copy_of == {"a1": "a0"}
    assert (Clusterer.add, Clusterer.merge, StoryDecider.copy_of,
            StoryDecider.answer_checks) == kept  # fmt: skip


def tally(versions: int, distractors: int) -> Tally:
    out = Tally()
    out.same["all"], out.same_of["all"] = versions, 100
    out.other["all"], out.other_of["all"] = distractors, 100
    return out


def test_settings_moving_the_same_knobs_are_one_family() -> None:
    assert family("a=1,b=2") == family("b=3,a=0") == frozenset({"a", "b"})
    assert family("a=1") != family("a=1,b=2")


def test_the_folds_are_the_timed_tuning_parts_held9_to_held26() -> None:
    assert list(TIMED_PARTS) == [
        "held9", "held10", "held11", "held12", "held13", "held14", "held15", "held16", "held17",
        "held18", "held19", "held20", "held21", "held22", "held23", "held24", "held25", "held26",
    ]  # fmt: skip
    assert set(TIMED_PARTS) <= {name for name, _ in STREAMS}


def test_a_rule_seen_in_two_timed_parts_is_chosen_and_scored_on_each_left_out() -> None:
    base = {f"held{n}": tally(50, 5) for n in range(9, 17)} | {"dev": tally(1000, 0)}
    # "x=1" removes a wrong pair on held9 and held10 at no cost; "x=2" removes three on
    # held11 but loses more versions on dev than the bound allows.
    good = base | {"held9": tally(50, 4), "held10": tally(50, 4)}
    costly = base | {"held11": tally(50, 2), "dev": tally(990, 0)}
    table = leave_one_timed_part_out({"default": base, "x=1": good, "x=2": costly})
    rows = {line.split(" | ")[0].strip("| "): line for line in table.splitlines()
            if line.startswith("| held") or line.startswith("| sum")}  # fmt: skip
    assert "x=1" in rows["held9"] and rows["held9"].endswith("| 1 / 0 |")
    assert rows["held11"].endswith("| 0 / 0 |") and "x=2" not in rows["held11"]
    assert rows["sum"].endswith("| 2 / 0 |")


def test_a_recall_rule_adding_no_wrong_pair_is_chosen_and_scored_on_each_left_out() -> None:
    base = {f"held{n}": tally(50, 5) for n in range(9, 27)} | {"dev": tally(1000, 0)}
    base |= {"fresh": tally(100, 0)}
    # "x=1" wins a version on held9 and held10 and adds nothing; "x=2" wins three on held11
    # but adds a wrong pair on held12; "x=3" wins on held13 but adds one on dev.
    good = base | {"held9": tally(51, 5), "held10": tally(51, 5)}
    costly = base | {"held11": tally(53, 5), "held12": tally(50, 6)}
    dev_cost = base | {"held13": tally(55, 5), "dev": tally(1000, 1)}
    table = recall_leave_one_out({"default": base, "x=1": good, "x=2": costly, "x=3": dev_cost})
    rows = {line.split(" | ")[0].strip("| "): line for line in table.splitlines()
            if line.startswith("| held") or line.startswith("| sum")}  # fmt: skip
    assert "x=1" in rows["held9"] and rows["held9"].endswith("| 1 / 0 |")
    # Left out, held12 no longer shows x=2's wrong pair: it is chosen and costs one there.
    assert "x=2" in rows["held12"] and rows["held12"].endswith("| 0 / 1 |")
    assert "x=3" not in table.split("| left out")[1]
    assert rows["sum"].endswith("| 2 / 1 |")
