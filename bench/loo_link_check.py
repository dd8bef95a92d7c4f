"""The link check's decision chosen by leave-one-part-out, against the default.

    flock /tmp/lb-bench.lock .venv/bin/python bench/loo_link_check.py \
        [--record /tmp/loo.pickle] [--knob-runs | --no-end-to-end]

Runs the service's decision path (``cluster_docs``) with the default decision on each of
the twenty-three tuning parts of real reports (dev, fresh, held3, held4, held5, held9-held26:
each its own stream, as ``bench/crosslingual.py --linker --parts`` runs them) and on the set's two
halves by time, and at each check's answer records every candidate's evidence as the
service reads it (``Clusterer.link_evidence``: cosine, margin, hours, the band's hours, a
shared place or count), whether the own-outlet gate (workers/kept_apart.py) and the
calendar (``Clusterer._apart``) apply to it, and the measured-only features
(bench/_link_features.py), labelled "same" when the two stories share a development.
Then:

* where the missed versions stand: per part, the cross-language pairs of one
  development that end apart, split into those a check compared (some threshold could
  move them) and those never compared (no threshold moves them);
* per knob of ``LinkConfig``, moved alone from the default: the checked candidates it
  links, "same" / "other", per part;
* leave one part out: per fold, the grid's (``GRID``) setting that links the most
  "same" candidates on the other four parts with no more "other" candidates on any of
  them than the default, then both decisions run end to end on the held-out part
  (versions linked, distractor pairs linked), and the mean over the folds;
* with ``--knob-runs``, ``KNOB_RUNS`` (one knob moved each, the n-grams' immediate link
  and the retrieval among them) end to end on every part, and leave one part out over
  those runs by their versions and distractor pairs;
* a logistic regression over the evidence (numpy only), fitted on four parts with its
  threshold set so no training part links more "other" candidates than the default, and
  scored on the fifth beside the default, candidate by candidate.

``--record PATH`` keeps the recorded candidates in PATH (a pickle, read back when it is
there: the analysis then runs in seconds without the decision path). It is read back as
it is, so remove it after any change to the decision path, its evidence or the data.

The candidate figures read every checked candidate the decision accepts (the service
merges the best accepted and those of the others that are parts of its development), as
recorded under the default's merges: a proxy, which is why each fold's choice is scored
end to end. The held-out parts (check/, held6/-held8/, held27/-held32/) are
never read here.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import pickle
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._link_features import gram_cosine, measured  # noqa: E402
from bench.crosslingual import DATA, OWN_STREAMS, halves, pairs_of, together  # noqa: E402
from bench.fit_link_check import read_rows  # noqa: E402
from workers.cluster import ClusterConfig, Clusterer  # noqa: E402
from workers.cluster_eval import cluster_docs, to_doc  # noqa: E402
from workers.kept_apart import kept_apart  # noqa: E402
from workers.link_checks import LinkCheck  # noqa: E402
from workers.link_evidence import LinkEvidence, linked  # noqa: E402
from workers.story_linking import DEFAULT_LINKING, LinkConfig  # noqa: E402

# The decision's knobs the grid moves, each with the values tried (the default's among
# them). ``sure_cosine`` from ``same_cosine`` up; the close band as (cosine, hours).
KNOBS: dict[str, tuple[Any, ...]] = {
    "same_cosine": (0.84, 0.85, 0.86, 0.87),
    "sure_cosine": (0.88, 0.90, 0.92, 0.94),
    "apart_hours": (16.0, 20.0, 24.0, 28.0),
    "place_cosine": (None, 0.78, 0.79, 0.80, 0.81, 0.82, 0.83),
    "shared_counts": (True, False),
    "close": (None, (0.82, 2.0), (0.83, 2.0)),
    "own_outlet_cosine": (None, 0.88, 0.90, 0.92),
}


def configured(**knobs: Any) -> LinkConfig:
    """The default decision with ``knobs`` (``KNOBS``' names) set."""
    close = knobs.pop("close", "keep")
    config = dataclasses.replace(DEFAULT_LINKING, **knobs)
    if close != "keep":
        band = (None, config.close_hours) if close is None else close
        config = dataclasses.replace(config, close_cosine=band[0], close_hours=band[1])
    return config


GRID = tuple(
    configured(**dict(zip(KNOBS, values, strict=True)))
    for values in itertools.product(*KNOBS.values())
    if values[1] > values[0]
)
# The features the model reads (``Candidates.features``).
MODEL_FEATURES = ("cosine", "margin", "hours/24 (to 48 h)", "hours under 20", "band hours/24",
                  "n-gram cosine", "shared place", "shared count", "places in conflict",
                  "numbers in conflict", "own outlet")  # fmt: skip


@dataclass(frozen=True, slots=True)
class Candidates:
    """Every checked candidate of one stream, one entry per candidate in each array."""

    cosine: np.ndarray
    margin: np.ndarray
    hours: np.ndarray
    band_hours: np.ndarray
    place: np.ndarray
    count: np.ndarray
    name: np.ndarray  # a rare name only the best candidate shares (``LinkEvidence.shared``)
    own_outlet: np.ndarray  # same first language and an outlet in common (kept_apart)
    apart: np.ndarray  # another day's development by the calendar: never merged
    grams: np.ndarray
    place_conflict: np.ndarray
    numbers_conflict: np.ndarray
    same: np.ndarray

    def __len__(self) -> int:
        return len(self.same)

    def accepted(self, config: LinkConfig) -> np.ndarray:
        """Per candidate, whether ``config``'s decision (``linked``), the own-outlet gate
        and the calendar let it merge: ``linked`` over the arrays."""
        cos, same, sure = self.cosine, config.same_cosine, config.sure_cosine
        shared = (
            self.place | (self.count & config.shared_counts) | (self.name & config.distinct_names)
        )
        below = np.zeros(len(self), dtype=bool)
        if config.close_cosine is not None:
            below |= ((cos >= config.close_cosine) & (self.hours < config.close_hours)
                      & (self.margin >= 0.0))  # fmt: skip
        if config.place_cosine is not None:
            below |= (cos >= config.place_cosine) & shared & (self.band_hours < config.apart_hours)
        if sure is None:
            decided = cos >= same
        else:
            decided = np.where(
                cos >= sure,
                cos >= same,
                np.where(cos >= same, self.hours < config.apart_hours, below),
            )
        gate = config.own_outlet_cosine
        refused = self.apart | (self.own_outlet & (cos < gate) if gate is not None else self.apart)
        return decided & ~refused

    def features(self) -> np.ndarray:
        """The evidence as the model reads it (``MODEL_FEATURES``)."""
        hours = np.minimum(self.hours, 48.0) / 24.0
        return np.column_stack([
            self.cosine, self.margin, hours, (self.hours < 20.0).astype(float),
            np.minimum(self.band_hours, 48.0) / 24.0, self.grams, self.place, self.count,
            self.place_conflict, self.numbers_conflict, self.own_outlet,
        ]).astype(float)  # fmt: skip


RawCandidate = tuple[LinkEvidence, tuple[str, tuple[str, ...], str, tuple[str, ...]], bool]
Raw = list[RawCandidate]
# What a check compared for a candidate: the newcomer's text, the candidate's texts, and
# the ids of the two stories' reports when the check was answered.
Compared = tuple[str, tuple[str, ...], frozenset[str], frozenset[str]]


@dataclass
class Recorded:
    """One stream's run under the default: its candidates, and per candidate the
    service's evidence, gate and calendar (kept to check ``Candidates.accepted``)."""

    candidates: Candidates
    raw: Raw
    compared: set[tuple[str, str]]
    story: dict[str, str]
    texts: list[Compared]  # per candidate (bench/link_views.py reads them)


def record(rows: list[dict[str, Any]]) -> Recorded:
    """The decision path over ``rows`` with the default decision, every checked
    candidate's evidence recorded (module docstring)."""
    development = {r["id"]: r["development"] for r in rows}
    columns: dict[str, list[Any]] = {f.name: [] for f in dataclasses.fields(Candidates)}
    raw: list[Any] = []
    compared: set[tuple[str, str]] = set()
    checked_texts: list[Compared] = []

    def observe(clusterer: Clusterer, check: LinkCheck, scores: list[float]) -> None:
        own = clusterer._stories.get(check.story)
        if own is None:
            return
        ours = {m.article_id for m in own.members}
        evidence = clusterer.link_evidence(check.id, scores)
        for (target, texts), found in zip(check.candidates, evidence, strict=True):
            story = clusterer._stories.get(target)
            if found is None or story is None:
                continue
            theirs = {m.article_id for m in story.members}
            compared.update((a, b) for a in ours for b in theirs)
            compared.update((b, a) for a in ours for b in theirs)
            extra = measured(found, check.text, texts[0], gram_cosine(clusterer, check.story,
                                                                      target))  # fmt: skip
            outlets = (own.language, tuple(own.outlets), story.language, tuple(story.outlets))
            own_outlet = kept_apart(*outlets, cosine=0.0, own_outlet_cosine=1.0)
            apart = clusterer._apart(check.story, target)
            same = bool({development[a] for a in ours} & {development[b] for b in theirs})
            raw.append((found, outlets, apart))
            checked_texts.append((check.text, tuple(texts), frozenset(ours), frozenset(theirs)))
            for name, value in (
                ("cosine", found.cosine), ("margin", found.margin), ("hours", found.hours),
                ("band_hours", found.hours_in_band), ("place", found.same_place),
                ("count", found.same_count), ("name", found.same_name and found.margin >= 0.0),
                ("own_outlet", own_outlet), ("apart", apart),
                ("grams", extra.grams), ("place_conflict", extra.place_conflict),
                ("numbers_conflict", extra.numbers_conflict), ("same", same),
            ):  # fmt: skip
                columns[name].append(value)

    docs = sorted((to_doc(r) for r in rows), key=lambda d: d.published)
    story = dict(cluster_docs(docs, ClusterConfig(link=DEFAULT_LINKING), observe=observe))
    arrays = {
        name: np.array(values, dtype=float if name in _FLOATS else bool)
        for name, values in columns.items()
    }
    return Recorded(Candidates(**arrays), raw, compared, story, checked_texts)


_FLOATS = {"cosine", "margin", "hours", "band_hours", "grams"}


def service_decides(raw: Sequence[RawCandidate], config: LinkConfig) -> list[bool]:
    """Per recorded candidate (evidence, the two stories' first languages and outlets, the
    calendar's refusal), whether the service's ``linked``, own-outlet gate and calendar
    accept it under ``config`` (a count is read only with ``shared_counts``, as
    ``Clusterer._evidence`` reads it)."""
    return [
        not apart
        and linked(dataclasses.replace(e, same_count=e.same_count and config.shared_counts,
                                       same_name=e.same_name and config.distinct_names),
                   config)
        and not kept_apart(*outlets, e.cosine, config.own_outlet_cosine)
        for e, outlets, apart in raw
    ]  # fmt: skip


def agrees(recorded: Recorded, configs: Sequence[LinkConfig]) -> bool:
    """Whether ``Candidates.accepted`` decides as ``service_decides`` on every recorded
    candidate, for each of ``configs``."""
    return all(
        np.array_equal(np.array(service_decides(recorded.raw, config), dtype=bool),
                       recorded.candidates.accepted(config))
        for config in configs
    )  # fmt: skip


def counts(candidates: Candidates, accepted: np.ndarray) -> tuple[int, int]:
    """Checked candidates accepted: (same development, other)."""
    return int((accepted & candidates.same).sum()), int((accepted & ~candidates.same).sum())


def moved(config: LinkConfig) -> str:
    """What ``config`` changes from the default, in words."""
    changes = [f"{f.name}={getattr(config, f.name)}" for f in dataclasses.fields(LinkConfig)
               if getattr(config, f.name) != getattr(DEFAULT_LINKING, f.name)]  # fmt: skip
    return ", ".join(changes) or "default"


def distance(config: LinkConfig) -> int:
    return sum(getattr(config, f.name) != getattr(DEFAULT_LINKING, f.name)
               for f in dataclasses.fields(LinkConfig))  # fmt: skip


def choose(train: Sequence[Candidates], guards: Sequence[Candidates] = ()) -> LinkConfig:
    """The grid's setting that accepts the most "same" candidates over ``train`` with no
    more "other" ones on any of ``train`` and ``guards`` than the default; ties: fewer
    "other", then the fewest knobs moved from the default."""
    bounded = [*train, *guards]
    limits = [counts(c, c.accepted(DEFAULT_LINKING))[1] for c in bounded]
    best: tuple[int, int, int] | None = None
    chosen = DEFAULT_LINKING
    for config in GRID:
        found = [counts(c, c.accepted(config)) for c in bounded]
        if any(other > limit for (_, other), limit in zip(found, limits, strict=True)):
            continue
        mine = found[: len(train)]
        key = (-sum(s for s, _ in mine), sum(o for _, o in mine), distance(config))
        if best is None or key < best:
            best, chosen = key, config
    return chosen


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1.0) -> np.ndarray:
    """Weights (bias last) of an L2-regularised logistic regression, by Newton's method."""
    design = np.column_stack([x, np.ones(len(x))])
    w = np.zeros(design.shape[1])
    penalty = np.eye(len(w)) * l2
    penalty[-1, -1] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-design @ w))
        gradient = design.T @ (p - y) + penalty @ w
        hessian = design.T @ (design * (p * (1 - p))[:, None]) + penalty
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


def model_fold(train: Sequence[Candidates], test: Candidates) -> tuple[tuple[int, int], float]:
    """The model fitted on ``train`` (features standardised there; the calendar's refusals
    left out, as the service never merges them), its threshold the lowest at which no
    training part accepts more "other" candidates than the default; ``test``'s
    candidates it accepts (same, other) and the threshold."""
    x = np.vstack([c.features()[~c.apart] for c in train])
    y = np.concatenate([c.same[~c.apart] for c in train]).astype(float)
    mean, scale = x.mean(axis=0), x.std(axis=0) + 1e-9
    w = fit_logistic((x - mean) / scale, y)

    def probability(c: Candidates) -> np.ndarray:
        z = ((c.features() - mean) / scale) @ w[:-1] + w[-1]
        return np.where(c.apart, 0.0, 1.0 / (1.0 + np.exp(-z)))

    limits = [counts(c, c.accepted(DEFAULT_LINKING))[1] for c in train]
    threshold = 1.0
    for t in np.unique(np.concatenate([probability(c) for c in train]))[::-1]:
        if any(counts(c, probability(c) >= t)[1] > limit
               for c, limit in zip(train, limits, strict=True)):  # fmt: skip
            break
        threshold = float(t)
    return counts(test, probability(test) >= threshold), threshold


def end_to_end(rows: list[dict[str, Any]], config: LinkConfig) -> tuple[int, int, int, int]:
    """The decision path over ``rows`` with ``config``: (versions linked, versions,
    distractor pairs linked, distractor pairs)."""
    _, same, other = pairs_of(rows)
    docs = sorted((to_doc(r) for r in rows), key=lambda d: d.published)
    story = dict(cluster_docs(docs, ClusterConfig(link=config)))
    return together(story, rows, same), len(same), together(story, rows, other), len(other)


def missed(rows: list[dict[str, Any]], recorded: Recorded) -> tuple[int, int, int, int]:
    """(versions, linked, apart though a check compared them, apart and never compared)."""
    _, same, _ = pairs_of(rows)
    ids = [(rows[i]["id"], rows[j]["id"]) for i, j in same]
    apart = [(a, b) for a, b in ids if recorded.story[a] != recorded.story[b]]
    seen = sum(1 for pair in apart if pair in recorded.compared)
    return len(ids), len(ids) - len(apart), seen, len(apart) - seen


# One knob moved each, run end to end on every part (``--knob-runs``): those that raise
# some part's "same" candidates most with the fewest "other" ones.
KNOB_RUNS = (
    configured(sure_cosine=0.88),
    configured(apart_hours=24.0),
    configured(place_cosine=0.79),
    configured(close=(0.83, 2.0)),
    configured(same_cosine=0.84),
    # What decides before the check or whether a story is checked at all: the n-grams'
    # immediate link and the candidates retrieved (end to end only: no record reads them).
    configured(gram_link=0.18),
    configured(gram_link=0.22),
    configured(gram_sure=None),
    configured(gram_sure=0.25),
    configured(gram_link_hours=16.0),
    configured(gram_link_hours=24.0),
    configured(max_candidates=8),
    configured(place_candidates=2),
    configured(gram_floor=0.01),
)


def refusals(c: Candidates) -> dict[str, tuple[int, int]]:
    """The candidates the default refuses, (same, other) per reason: the knob that would
    have to move to take them."""
    config = DEFAULT_LINKING
    refused = ~c.accepted(config)
    ungated = c.accepted(dataclasses.replace(config, own_outlet_cosine=None))
    shared = c.place | c.count | c.name
    band = (c.cosine >= 0.80) & (c.cosine < config.same_cosine)
    open_ = refused & ~c.apart & ~(ungated & refused)
    cells = {
        "the calendar (another day's development)": refused & c.apart,
        "the own-outlet gate": refused & ungated & ~c.apart,
        "cosine < 0.75": open_ & (c.cosine < 0.75),
        "cosine 0.75-0.80": open_ & (c.cosine >= 0.75) & (c.cosine < 0.80),
        "band, nothing shared, < 20 h": open_ & band & ~shared & (c.hours < config.apart_hours),
        "band, nothing shared, >= 20 h": open_ & band & ~shared & (c.hours >= config.apart_hours),
        "band, shared, band hours >= 20": open_ & band & shared,
        "0.85-0.90, hours >= 20": open_ & (c.cosine >= config.same_cosine),
    }
    return {name: counts(c, cells[name]) for name in cells}


def one_knob_moves() -> Iterator[LinkConfig]:
    for name, values in KNOBS.items():
        for value in values:
            config = configured(**{name: value})
            if config != DEFAULT_LINKING and (config.sure_cosine or 1.0) > config.same_cosine:
                yield config


Rows = list[dict[str, Any]]


def recorded_streams(
    kept: Path | None,
) -> tuple[list[tuple[str, Rows]], list[str], dict[str, Recorded]]:
    """The six tuning parts' streams then the set's halves, the parts' names (the folds),
    and each stream's ``record``, kept in ``kept`` (read back when it is there)."""
    streams = [(name, read_rows(path)) for name, path in OWN_STREAMS]
    folds = [name for name, _ in streams]
    streams += [(name, sub) for name, sub, _, _ in halves(DATA)]
    if kept is not None and kept.exists():
        recorded: dict[str, Recorded] = pickle.loads(kept.read_bytes())
    else:
        recorded = {name: record(rows) for name, rows in streams}
        if kept is not None:
            kept.write_bytes(pickle.dumps(recorded))
    return streams, folds, recorded


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-end-to-end", action="store_true",
                        help="candidate figures only (no end-to-end run per fold)")  # fmt: skip
    parser.add_argument("--record", type=Path,
                        help="keep the recorded candidates (read back if there)")  # fmt: skip
    parser.add_argument("--knob-runs", action="store_true",
                        help="run KNOB_RUNS end to end on every part too")  # fmt: skip
    args = parser.parse_args(argv)
    streams, folds, recorded = recorded_streams(args.record)
    rows_of = dict(streams)
    probes = [DEFAULT_LINKING, *one_knob_moves(), *GRID[:: max(1, len(GRID) // 40)]]
    for name, found in recorded.items():
        if not agrees(found, probes):
            raise SystemExit(f"{name}: Candidates.accepted decides otherwise than linked")
    print(f"{len(GRID)} settings in the grid; the vectorised decision agrees with `linked` "
          f"on every recorded candidate for {len(probes)} of them\n")  # fmt: skip

    print(
        "| part | checked candidates (same / other) | versions | linked by the default | "
        "apart, compared by a check | apart, never compared |\n|---|---|---|---|---|---|"
    )
    for name, rows in streams:
        c = recorded[name].candidates
        total, joined, seen, never = missed(rows, recorded[name])
        print(f"| {name} | {int(c.same.sum())} / {int((~c.same).sum())} | {total} | {joined} | "
              f"{seen} | {never} |")  # fmt: skip

    names = [name for name, _ in streams]
    print("\nWhat the default refuses, checked candidates same / other:\n")
    print("| reason | " + " | ".join(names) + " |\n|---|" + "---|" * len(names))
    reasons = {name: refusals(recorded[name].candidates) for name in names}
    for reason in reasons[names[0]]:
        tally = [reasons[n][reason] for n in names]
        print(f"| {reason} | " + " | ".join(f"{s} / {o}" for s, o in tally) + " |")
    print("\n| decision (moved from the default) | " + " | ".join(names)
          + " |\n|---|" + "---|" * len(names))  # fmt: skip
    for config in (DEFAULT_LINKING, *one_knob_moves()):
        cells = [counts(recorded[n].candidates, recorded[n].candidates.accepted(config))
                 for n in names]  # fmt: skip
        print(f"| {moved(config)} | " + " | ".join(f"{s} / {o}" for s, o in cells) + " |")

    guards = [recorded[name].candidates for name in names if name not in folds]
    runs: dict[tuple[str, LinkConfig], tuple[int, int, int, int]] = {}

    def scored(part: str, config: LinkConfig) -> tuple[int, int, int, int]:
        if (part, config) not in runs:
            runs[part, config] = end_to_end(rows_of[part], config)
        return runs[part, config]

    for title, guarded in (("the other four parts", []), ("the other four parts, no more "
                           "other candidates on the set's halves either", guards)):  # fmt: skip
        print(f"\nLeave one part out (the grid chosen on {title}):\n")
        print("| held-out part | chosen setting | candidates: default same / other | chosen | "
              "model (threshold) | end to end: default versions, distractors | chosen |\n"
              "|---|---|---|---|---|---|---|")  # fmt: skip
        means: list[tuple[float, float, float, float]] = []
        for held in folds:
            train = [recorded[n].candidates for n in folds if n != held]
            test = recorded[held].candidates
            chosen = choose(train, guarded)
            (ms, mo), threshold = model_fold(train, test)
            base = counts(test, test.accepted(DEFAULT_LINKING))
            mine = counts(test, test.accepted(chosen))
            row = [f"{base[0]} / {base[1]}", f"{mine[0]} / {mine[1]}",
                   f"{ms} / {mo} ({threshold:.2f})"]  # fmt: skip
            if args.no_end_to_end:
                row += ["-", "-"]
            else:
                shares: list[float] = []
                for config in (DEFAULT_LINKING, chosen):
                    got, versions, wrong, distractors = scored(held, config)
                    shares += [got / versions, wrong / max(distractors, 1)]
                    row.append(f"{got}/{versions} = {got / versions:.1%}, "
                               f"{wrong}/{distractors}")  # fmt: skip
                means.append((shares[0], shares[1], shares[2], shares[3]))
            print(f"| {held} | {moved(chosen)} | " + " | ".join(row) + " |", flush=True)
        if means:
            m = np.mean(np.array(means), axis=0)
            print(f"| mean | | | | | {m[0]:.1%}, {m[1]:.2%} | {m[2]:.1%}, {m[3]:.2%} |")
    if args.knob_runs:
        print("\nEnd to end, one knob moved (versions linked, distractor pairs linked):\n")
        print("| decision | " + " | ".join(folds) + " |\n|---|" + "---|" * len(folds))
        for config in (DEFAULT_LINKING, *KNOB_RUNS):
            part_runs = [scored(part, config) for part in folds]
            print(
                f"| {moved(config)} | "
                + " | ".join(f"{g}/{v}, {w}/{d}" for g, v, w, d in part_runs)
                + " |",
                flush=True,
            )
        print("\nLeave one part out over those runs (the most versions linked on four parts, "
              "no more distractor pairs on any of them than the default):\n")  # fmt: skip
        print("| held-out part | chosen | default | chosen's figures |\n|---|---|---|---|")
        for held in folds:
            others = [part for part in folds if part != held]
            limits = {part: scored(part, DEFAULT_LINKING)[2] for part in others}
            allowed = [config for config in (DEFAULT_LINKING, *KNOB_RUNS)
                       if all(scored(p, config)[2] <= limits[p] for p in others)]  # fmt: skip
            chosen = max(
                allowed, key=lambda c: (sum(scored(p, c)[0] for p in others), -distance(c))
            )
            default_run, chosen_run = scored(held, DEFAULT_LINKING), scored(held, chosen)
            print(f"| {held} | {moved(chosen)} | {default_run[0]}/{default_run[1]}, "
                  f"{default_run[2]}/{default_run[3]} | {chosen_run[0]}/{chosen_run[1]}, "
                  f"{chosen_run[2]}/{chosen_run[3]} |")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
