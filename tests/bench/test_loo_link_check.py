"""bench/loo_link_check.py: the decision over recorded candidates, the choice and the model."""

from __future__ import annotations

import dataclasses
import itertools

import numpy as np

from bench.loo_link_check import (
    choose,
    configured,
    counts,
    fit_logistic,
    service_decides,
)
from tests.factories import OTHER_OUTLET, SAME_OUTLET
from tests.factories import recorded_candidates as candidates
from workers.link_evidence import link_evidence, linked
from workers.story_linking import DEFAULT_LINKING


def test_the_arrays_decide_as_linked_the_gate_and_the_calendar() -> None:
    found = [
        (link_evidence(cosine, [0.81], hours, place, count, band, name), outlets, apart)
        for cosine, hours, band, place, count, name, outlets, apart in itertools.product(
            (0.79, 0.805, 0.835, 0.86, 0.89, 0.91, 0.95),
            (0.5, 1.5, 18.0, 21.0, 25.0),
            (None, 30.0),
            (False, True),
            (False, True),
            (False, True),  # a name counts for the best candidate only (0.835 up here)
            (SAME_OUTLET, OTHER_OUTLET),
            (False, True),
        )
    ]
    recorded = candidates(found, [True] * len(found))
    configs = [
        DEFAULT_LINKING,
        configured(sure_cosine=0.88, apart_hours=24.0),
        configured(place_cosine=None, close=(0.83, 2.0)),
        configured(shared_counts=False, own_outlet_cosine=None),
        dataclasses.replace(DEFAULT_LINKING, distinct_names=False),
        dataclasses.replace(DEFAULT_LINKING, sure_cosine=None),
    ]
    for config in configs:
        service = service_decides(found, config)
        assert recorded.accepted(config).tolist() == service
        assert 0 < sum(service) < len(found)


def test_the_choice_keeps_the_default_when_every_gain_costs_an_other_candidate() -> None:
    # A version in the band with nothing shared beside another development just as close:
    # no setting takes the one without the other, so the default stays.
    version = (link_evidence(0.83, [], 1.0), OTHER_OUTLET, False)
    other = (link_evidence(0.83, [], 1.0), OTHER_OUTLET, False)
    sure = (link_evidence(0.93, [], 1.0), OTHER_OUTLET, False)
    train = [candidates([version, other, sure], [True, False, True])]
    assert choose(train) == DEFAULT_LINKING
    assert counts(train[0], train[0].accepted(DEFAULT_LINKING)) == (1, 0)
    # A version refused only by the hours, with no other development near: a setting that
    # waives the hours (a lower sure_cosine or more apart_hours) takes it.
    late = (link_evidence(0.885, [], 22.0), OTHER_OUTLET, False)
    chosen = choose([candidates([late, other], [True, False])])
    assert chosen != DEFAULT_LINKING
    assert linked(late[0], chosen) and not linked(other[0], chosen)


def test_the_logistic_regression_orders_by_the_evidence_it_was_fitted_on() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, 2))
    y = (x[:, 0] + 0.2 * rng.normal(size=400) > 0).astype(float)
    w = fit_logistic(x, y)
    assert w[0] > 1.0 and abs(w[1]) < 0.5 * w[0]
    predicted = (x @ w[:-1] + w[-1]) > 0
    assert (predicted == (y > 0)).mean() > 0.9
