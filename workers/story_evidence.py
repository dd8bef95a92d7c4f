"""Is this the same development? The verifier behind every story merge (pure).

Retrieval (workers/cluster.py) finds stories that share vocabulary with a new document;
sharing vocabulary is what *related* reports do too ("Matt Hancock announces a drug trial" /
"Matt Hancock announces wider testing"). So each candidate is verified against the
story's reports one by one, on evidence an editor would use:

==================  ==========================================================================
``cosine``          TF-IDF cosine of headline + lead (+ URL slug, bigrams, places, numbers)
``title_cosine``    IDF-weighted overlap of the two headlines' words
``title_cover``     the share (IDF-weighted) of each headline's words found in the other
                    report; the smaller of the two directions
``names_overlap``   names in common over the names of the report naming fewer
``names_conflict``  both name someone or something, and nothing in common
``event_cover``     like ``title_cover`` for the headlines' common words only: *what
                    happened* ("leave", "Ferrari" is a name) must agree, not just *who*
``who_not_what``    names in common but none of the headlines' common words: the same
                    people or places doing something else (a related development)
``shared_numbers``  numbers in common (at most 3): a toll, a score, a sum
``log_hours``       log(1 + hours between the reports); undated reports carry no time
                    evidence (``UNDATED_HOURS``, half a day), so undated items that all
                    got the minute they were first seen are not pulled together by it
``same_outlet``     one outlet rarely files the same development twice, but often files
                    related ones (two announcements of one briefing)
``roundup``         a live blog, roundup or gallery (workers/story_kinds.py)
``series``          the outlet's recurring headline template
``rare_shared``     the IDF of the rarest words both reports use (the three rarest, capped
                    and scaled to 0..1): one rare name or term in common ("Lysol",
                    "#10633") is strong evidence even when little else is shared
``fresh_cosine``    ``cosine`` fading with the hours between the reports (``FRESH_HOURS``):
                    the same words a day apart are more often a follow-up development
``rare_count``      how many rare words (``RARE_IDF``: used by fewer than about one document
                    in 400) both reports use, up to ``MAX_RARE_COUNT``, scaled to 0..1:
                    several specific terms in common, not one coincidence
==================  ==========================================================================

A logistic model turns the evidence into a probability; its weights (``SAME_DEVELOPMENT``)
were fitted by ``bench/fit_verifier.py`` on editor-judged pairs of a real seven-outlet
stream (../shared/data/stream-dev-pairs.jsonl), in the service's own feature code, with a
time split (fit on the first half of the period, score the second, and back) reported
beside the fit in docs/benchmarks.md to show that they carry over to news they never saw.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from workers.story_features import Report

UNDATED_HOURS = 12.0
UNDATED_LOG_HOURS = math.log1p(UNDATED_HOURS)
MAX_SHARED_NUMBERS = 3
RARE_SHARED_WORDS = 3
# An IDF above this is "seen in almost no document": rarer still adds no evidence.
RARE_IDF_CAP = 12.0
FRESH_HOURS = 24.0
# BM25's IDF is above 6 for a word in fewer than about 1/400 of the documents seen.
RARE_IDF = 6.0
MAX_RARE_COUNT = 5


class PairEvidence(NamedTuple):
    """The evidence for two reports being one development (see the module docstring). A
    named tuple: ``verify`` builds one or two for every report it compares (several per
    document), and a frozen dataclass's ``__init__`` (an ``object.__setattr__`` call per
    field) costs about three times more."""

    cosine: float
    title_cosine: float
    title_cover: float
    names_overlap: float
    names_conflict: bool
    event_cover: float
    who_not_what: bool
    shared_numbers: int
    log_hours: float
    same_outlet: bool
    roundup: bool
    series: bool
    rare_shared: float
    fresh_cosine: float
    rare_count: float

    def vector(self) -> tuple[float, ...]:
        """The evidence as the model's inputs, in ``Weights`` order."""
        return (
            self.cosine, self.title_cosine, self.title_cover, self.names_overlap,
            float(self.names_conflict), self.event_cover, float(self.who_not_what),
            float(self.shared_numbers),
            self.log_hours, float(self.same_outlet), float(self.roundup), float(self.series),
            self.rare_shared, self.fresh_cosine, self.rare_count,
        )  # fmt: skip


FEATURE_NAMES = PairEvidence._fields


# Where the headline overlaps sit in ``PairEvidence.vector()``, and the slack (in logits)
# of the bound ``verify`` draws without them: far above floating-point error, far below
# any probability a decision could turn on.
_OVERLAP_AT = tuple(
    FEATURE_NAMES.index(name)
    for name in ("title_cosine", "title_cover", "event_cover", "who_not_what")
)
_BOUND_SLACK = 1e-6


@dataclass(frozen=True, slots=True)
class Weights:
    """Logistic model: P(same) = 1 / (1 + exp(-(intercept + sum(w_i * x_i))))."""

    intercept: float
    coefficients: tuple[float, ...]  # in ``FEATURE_NAMES`` order
    # The most the headline overlaps can add to the logit, each at its most favourable
    # value in [0, 1] (``verify``'s bound): fixed by the coefficients, so summed once.
    overlap_headroom: float = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        headroom = sum([max(0.0, self.coefficients[i]) for i in _OVERLAP_AT])
        object.__setattr__(self, "overlap_headroom", headroom)

    def logit(self, evidence: PairEvidence) -> float:
        return self.intercept + sum(
            [w * x for w, x in zip(self.coefficients, evidence.vector(), strict=True)]
        )

    def probability(self, evidence: PairEvidence) -> float:
        z = self.logit(evidence)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


# Fitted by bench/fit_verifier.py (docs/benchmarks.md, "Story clustering").
SAME_DEVELOPMENT = Weights(
    intercept=-2.888,
    coefficients=(
        2.422,
        0.407,
        0.978,
        0.387,
        -0.879,
        0.8,
        -0.581,
        0.063,
        -0.302,
        -0.988,
        -2.068,
        -0.622,
        2.24,
        1.6,
        1.734,
    ),
)


def compare(a: Report, b: Report, idf: Mapping[str, float]) -> PairEvidence:
    """The evidence between two reports; ``idf`` weighs words as of the later report."""
    return _with_overlaps(a, b, _without_overlaps(a, b, idf))


@functools.lru_cache(maxsize=16)
def _bound_floor(floor: float) -> float:
    """The logit ``verify``'s bound must reach for a pair to be scored against ``floor``
    (the callers pass one or two floors, so it is computed once per floor)."""
    return math.log(floor / (1.0 - floor)) - _BOUND_SLACK


def verify(
    weights: Weights, a: Report, b: Report, idf: Mapping[str, float], floor: float
) -> float | None:
    """``weights.probability(compare(a, b, idf))``, or None when it is certainly below
    ``floor``: the headline overlaps (``title_cosine``, ``title_cover``, ``event_cover``
    and ``who_not_what``, the costliest evidence) are computed only when the rest of the
    evidence, with each of them at its most favourable value in [0, 1], can reach
    ``floor``. A report that cannot reach the join probability cannot decide a join."""
    known = _without_overlaps(a, b, idf)
    if 0.0 < floor < 1.0 and (
        weights.logit(known) + weights.overlap_headroom < _bound_floor(floor)
    ):
        return None
    return weights.probability(_with_overlaps(a, b, known))


def _without_overlaps(a: Report, b: Report, idf: Mapping[str, float]) -> PairEvidence:
    """The evidence with every headline overlap at 0 (see ``verify``)."""
    other = b.vector
    cosine = sum([w * other[t] for t, w in a.vector.items() if t in other])
    hours = abs(a.when - b.when) / 3600.0 if a.dated and b.dated else UNDATED_HOURS
    shared_idf = sorted([idf[t] for t in a.body & b.body], reverse=True)
    rarest = shared_idf[:RARE_SHARED_WORDS]
    shared_names = a.names & b.names
    fewer = min(len(a.names), len(b.names))
    rarest_capped = sum([min(w, RARE_IDF_CAP) for w in rarest])
    rare = len([w for w in shared_idf if w > RARE_IDF])
    return PairEvidence(
        cosine=cosine,
        title_cosine=0.0,
        title_cover=0.0,
        names_overlap=len(shared_names) / fewer if fewer else 0.0,
        names_conflict=bool(fewer) and not shared_names,
        event_cover=0.0,
        who_not_what=False,
        shared_numbers=min(len(a.numbers & b.numbers), MAX_SHARED_NUMBERS),
        log_hours=math.log1p(hours),
        same_outlet=a.outlet == b.outlet,
        roundup=a.roundup or b.roundup,
        series=a.series or b.series,
        rare_shared=rarest_capped / (RARE_SHARED_WORDS * RARE_IDF_CAP),
        fresh_cosine=cosine * math.exp(-hours / FRESH_HOURS),
        rare_count=min(rare, MAX_RARE_COUNT) / MAX_RARE_COUNT,
    )


def _with_overlaps(a: Report, b: Report, known: PairEvidence) -> PairEvidence:
    """``known`` with the headline overlaps computed."""
    title_cosine = 0.0
    if a.title_norm and b.title_norm:
        shared = sum([w * b.title[t] for t, w in a.title.items() if t in b.title])
        title_cosine = shared / (a.title_norm * b.title_norm)
    event_cover = (
        min(_cover(a.events, a.events_total, b.body), _cover(b.events, b.events_total, a.body))
        if a.events and b.events
        else 0.0
    )
    return PairEvidence(
        cosine=known.cosine,
        title_cosine=title_cosine,
        title_cover=min(
            _cover(a.title, a.title_total, b.body), _cover(b.title, b.title_total, a.body)
        ),
        names_overlap=known.names_overlap,
        names_conflict=known.names_conflict,
        event_cover=event_cover,
        # Names in common: exactly when their overlap is above 0.
        who_not_what=known.names_overlap > 0 and not event_cover,
        shared_numbers=known.shared_numbers,
        log_hours=known.log_hours,
        same_outlet=known.same_outlet,
        roundup=known.roundup,
        series=known.series,
        rare_shared=known.rare_shared,
        fresh_cosine=known.fresh_cosine,
        rare_count=known.rare_count,
    )


def _cover(words: dict[str, float], total: float, other: frozenset[str]) -> float:
    """The weighted share of ``words`` that ``other`` holds too."""
    return sum([w for t, w in words.items() if t in other]) / total if total else 0.0
