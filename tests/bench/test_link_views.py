"""bench/link_views.py: the neighbours a view reads, the margin, mutual nearest, the rule."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from bench.link_views import (
    Reports,
    choose_rule,
    margin,
    mutual_links,
    nearest_mean,
    tally,
    views,
)
from tests.factories import OTHER_OUTLET
from tests.factories import recorded_candidates as candidates
from workers.cluster import Clusterer
from workers.link_evidence import link_evidence

HOUR = 3600.0
WINDOW = 48 * HOUR


def unit(*values: float) -> np.ndarray:
    vector = np.array(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


def reports(rows: Sequence[tuple[str, float, str, np.ndarray]]) -> Reports:
    """Reports of (id, hours, language, vector), in that order; headlines as the texts."""
    vectors = np.stack([v for _, _, _, v in rows])
    return Reports(
        ids=[i for i, _, _, _ in rows],
        times=np.array([h * HOUR for _, h, _, _ in rows]),
        languages=np.array([lang for _, _, lang, _ in rows]),
        texts=vectors,
        titles=vectors,
        by_text={},
    )


def test_the_neighbours_are_earlier_reports_of_the_language_within_the_window() -> None:
    stream = reports([
        ("old", 0.0, "uk", unit(1, 0, 0)),
        ("uk1", 10.0, "uk", unit(1, 0, 0)),
        ("en1", 11.0, "en", unit(1, 0, 0)),
        ("uk2", 12.0, "uk", unit(1, 0, 0)),
        ("x", 50.0, "en", unit(1, 0, 0)),
        ("later", 51.0, "uk", unit(1, 0, 0)),
    ])  # fmt: skip
    assert stream.recent(4, "uk", WINDOW, set()).tolist() == [1, 3]
    assert stream.recent(4, "uk", WINDOW, {"uk2"}).tolist() == [1]
    assert stream.recent(4, "en", WINDOW, set()).tolist() == [2, 4]


def test_the_margin_reads_the_k_nearest_of_both_sides() -> None:
    assert nearest_mean(np.array([0.5, 0.9, 0.7]), 2) == pytest.approx(0.8)
    assert nearest_mean(np.array([0.5]), 4) == pytest.approx(0.5)
    assert nearest_mean(np.array([]), 2) is None
    assert margin(0.84, 0.80, 0.88, ratio=True) == pytest.approx(1.0)
    assert margin(0.84, 0.80, 0.80, ratio=False) == pytest.approx(0.04)
    assert margin(0.84, None, 0.80, ratio=False) == pytest.approx(0.04)
    assert margin(0.84, None, None, ratio=True) == 1.0


def test_a_version_is_mutual_nearest_and_a_same_topic_report_is_not() -> None:
    # A dense topic: every report near (1, 0, 0); the newcomer x and its version y lean the
    # same way off it, the other development z the other way.
    stream = reports([
        ("z", 1.0, "uk", unit(1, -0.3, 0.1)),
        ("y", 2.0, "uk", unit(1, 0.3, 0)),
        ("w", 3.0, "en", unit(1, -0.25, 0.1)),
        ("x", 4.0, "en", unit(1, 0.32, 0)),
    ])  # fmt: skip
    version = views(stream, 3, 1, {"x"}, {"y"}, WINDOW)
    other = views(stream, 3, 0, {"x"}, {"z"}, WINDOW)
    assert version["mutual"] == 1.0 and other["mutual"] == 0.0
    assert version["ratio k1 all"] == pytest.approx(1.0, abs=1e-6)
    assert other["ratio k1 all"] < 1.0
    assert version["difference k1 others"] > other["difference k1 others"]


def test_a_later_report_is_no_neighbour() -> None:
    stream = reports([
        ("y", 1.0, "uk", unit(1, 0.3, 0)),
        ("x", 2.0, "en", unit(1, 0.32, 0)),
        ("closer", 3.0, "uk", unit(1, 0.32, 0)),
    ])  # fmt: skip
    assert views(stream, 1, 0, {"x"}, {"y"}, WINDOW)["mutual"] == 1.0


def test_the_rule_takes_what_adds_no_other_development_anywhere() -> None:
    version = (link_evidence(0.83, [], 1.0), OTHER_OUTLET, False)
    other = (link_evidence(0.83, [], 1.0), OTHER_OUTLET, False)
    train = [(candidates([version, other], [True, False]), np.array([1.2, 1.0]))]
    rule = choose_rule(train, [])
    assert rule is not None and tally(train[0], *rule) == (1, 0)
    # A guard part whose other development reads as high as the version: nothing is taken.
    guard = (candidates([other], [False]), np.array([1.3]))
    assert choose_rule(train, [guard]) is None


def test_the_decision_path_is_the_services_again_after_the_measurement() -> None:
    service = Clusterer._evidence
    with mutual_links(reports([("x", 0.0, "en", unit(1, 0, 0))]), {}, 0.84):
        assert Clusterer._evidence is not service
    assert Clusterer._evidence is service
