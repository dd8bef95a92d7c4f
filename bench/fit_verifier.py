"""Fit the story verifier's weights on editor-judged pairs, and show they carry over.

    .venv/bin/python bench/fit_verifier.py [STREAM] [PAIRS]

Replays the stream (default ../shared/data/stream-dev.jsonl.gz) in time order through the
service's own feature code (``workers.story_features.FeatureReader``, default
``ClusterConfig``), and when the later article of a judged pair arrives, computes the pair's
evidence exactly as the clusterer would at that moment (``workers.story_evidence.compare``
with the IDF of then). Then:

* a logistic regression (L2, Newton's method) of "same" against "related"/"unrelated";
* the time split: fit on the pairs of the first half of the period, score the second half,
  and the other way round: pairwise AUC and precision at recall 0.7 on unseen weeks;
* the weights fitted on every pair, as the Python literal that ``SAME_DEVELOPMENT`` holds.

bench/clustering.py --pairs runs the clusterer itself with the split weights too.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workers.cluster import ClusterConfig, ClusterDoc  # noqa: E402
from workers.cluster_eval import read_docs  # noqa: E402
from workers.story_evidence import FEATURE_NAMES, PairEvidence, Weights, compare  # noqa: E402
from workers.story_features import DocFreqs, FeatureReader, IdfMemo, Report  # noqa: E402
from workers.story_kinds import OutletMemory  # noqa: E402

STREAM = ROOT.parent / "shared" / "data" / "stream-dev.jsonl.gz"
PAIRS = ROOT.parent / "shared" / "data" / "stream-dev-pairs.jsonl"
L2 = 1.0  # ridge penalty on the coefficients (not the intercept)


def read_pairs(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def replay(
    docs: Sequence[ClusterDoc], pairs: Sequence[dict[str, str]], reader: FeatureReader
) -> Iterator[tuple[ClusterDoc, Report, IdfMemo, list[tuple[dict[str, str], Report]]]]:
    """Each document read in stream order: (document, its report, the IDF then, the judged
    pairs it completes with the earlier article's report)."""
    position = {d.id: i for i, d in enumerate(docs)}
    wanted: dict[str, list[dict[str, str]]] = {}
    for pair in pairs:
        if pair["a"] in position and pair["b"] in position:
            later = max(pair["a"], pair["b"], key=position.__getitem__)
            wanted.setdefault(later, []).append(pair)
    reports: dict[str, Report] = {}
    for doc in docs:
        _, report, idf = reader.read(doc, doc.published)
        reports[doc.id] = report
        done = [
            (p, reports[p["b"] if p["a"] == doc.id else p["a"]]) for p in wanted.get(doc.id, ())
        ]
        yield doc, report, idf, done


def pair_evidence(
    docs: Sequence[ClusterDoc], pairs: Sequence[dict[str, str]], config: ClusterConfig
) -> list[tuple[PairEvidence, bool, float]]:
    """(evidence, judged same, time of the earlier article) per pair whose articles exist."""
    reader = FeatureReader(config, DocFreqs(config.idf_window_days), OutletMemory())
    return [
        (compare(report, other, idf), pair["label"] == "same", other.when)
        for _, report, idf, done in replay(docs, pairs, reader)
        for pair, other in done
    ]


def fit(x: np.ndarray, y: np.ndarray, l2: float = L2) -> Weights:
    """L2-regularized logistic regression by Newton's method (a few iterations suffice)."""
    xb = np.hstack([np.ones((len(x), 1)), x])
    w = np.zeros(xb.shape[1])
    penalty = np.full(xb.shape[1], l2)
    penalty[0] = 0.0
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-xb @ w))
        gradient = xb.T @ (p - y) + penalty * w
        hessian = (xb * (p * (1 - p))[:, None]).T @ xb + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return Weights(float(w[0]), tuple(round(float(c), 3) for c in w[1:]))


def auc(scores: np.ndarray, y: np.ndarray) -> float:
    pos, neg = scores[y], scores[~y]
    greater = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return float(greater / (len(pos) * len(neg)))


def precision_at_recall(scores: np.ndarray, y: np.ndarray, recall: float) -> float:
    order = np.argsort(-scores, kind="stable")
    hits = np.cumsum(y[order])
    k = int(np.searchsorted(hits, recall * y.sum()))
    return float(hits[k] / (k + 1))


def split_weights(
    evidence: list[tuple[PairEvidence, bool, float]],
) -> tuple[float, tuple[Weights, Weights]]:
    """The median time of the pairs, and weights fitted on the pairs before and after it."""
    times = np.array([t for _, _, t in evidence])
    x = np.array([e.vector() for e, _, _ in evidence])
    y = np.array([s for _, s, _ in evidence])
    median = float(np.median(times))
    early = times < median
    return median, (fit(x[early], y[early]), fit(x[~early], y[~early]))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("stream", nargs="?", default=str(STREAM))
    parser.add_argument("pairs", nargs="?", default=str(PAIRS))
    args = parser.parse_args(argv)
    docs = read_docs(args.stream)
    evidence = pair_evidence(docs, read_pairs(Path(args.pairs)), ClusterConfig())
    x = np.array([e.vector() for e, _, _ in evidence])
    y = np.array([s for _, s, _ in evidence])
    times = np.array([t for _, _, t in evidence])
    print(f"{len(evidence)} judged pairs, {int(y.sum())} same\n")
    print("| feature | AUC alone | mean (same) | mean (other) |\n|---|---|---|---|")
    for j, name in enumerate(FEATURE_NAMES):
        print(f"| {name} | {auc(x[:, j], y):.3f} | {x[y, j].mean():.2f} | {x[~y, j].mean():.2f} |")
    median, (early_w, late_w) = split_weights(evidence)
    early = times < median
    print("\n| fitted on | scored on | AUC | precision at recall 0.7 |\n|---|---|---|---|")
    for name, weights, mask in (("first half", early_w, ~early), ("second half", late_w, early)):
        scores = np.array(
            [weights.probability(e) for (e, _, _), m in zip(evidence, mask, strict=True) if m]
        )
        other = "second half" if name == "first half" else "first half"
        print(f"| {name} | {other} | {auc(scores, y[mask]):.3f} | "
              f"{precision_at_recall(scores, y[mask], 0.7):.3f} |")  # fmt: skip
    weights = fit(x, y)
    print("\nSAME_DEVELOPMENT = Weights(")
    print(f"    intercept={weights.intercept:.3f},")
    print(f"    coefficients={weights.coefficients},")
    print(")")
    print("# " + ", ".join(f"{n} {c:+.2f}" for n, c in zip(FEATURE_NAMES, weights.coefficients,
                                                          strict=True)))  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
