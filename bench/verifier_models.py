"""Would another verifier carry over to unseen weeks? Pairwise, on the time split.

    .venv/bin/python bench/verifier_models.py [STREAM] [PAIRS]

The judged pairs' evidence is computed exactly as ``bench/fit_verifier.py`` does (the
service's feature code, the IDF of the moment the later article arrives), then split at
the median time of the earlier article. Each candidate verifier is fitted on one half and
scored on the other, both ways: pairwise AUC, precision at recall 0.7, and the recall at
the probability that gives precision >= 0.90 on the fitted half (the way the join
probability is chosen; out of fold, so a model that memorizes its pairs is not favoured),
scored on the other half.

Candidates, each beside the shipped logistic model in the same run:

* the logistic model with pairwise products of the evidence (stronger ridge);
* gradient-boosted shallow trees (logistic loss, numpy, no new dependency);
* the logistic model plus evidence read from the article text, not only the headline:
  the share of each headline's rare words (IDF above ``RARE_IDF``) found anywhere in the
  other report's headline and text (both directions, the smaller and the larger), and
  the overlap of the two lead sentences;
* the logistic model plus "different outlets" interactions (cosine and rare words when
  the outlets differ).
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.fit_verifier import (  # noqa: E402
    PAIRS,
    STREAM,
    auc,
    fit,
    precision_at_recall,
    read_pairs,
    replay,
)
from workers.cluster import ClusterConfig, ClusterDoc  # noqa: E402
from workers.cluster_eval import read_docs  # noqa: E402
from workers.story_evidence import FEATURE_NAMES, RARE_IDF, compare  # noqa: E402
from workers.story_features import DocFreq, DocFreqs, FeatureReader, IdfMemo, Report  # noqa: E402
from workers.story_kinds import OutletMemory  # noqa: E402
from workers.story_text import STOP, WORD, stem, term_word  # noqa: E402

PRECISION = 0.90
TEXT_FEATURES = ("rare_title_in_text_min", "rare_title_in_text_max", "lead_sentence_cosine")

Model = Callable[[np.ndarray, np.ndarray], Callable[[np.ndarray], np.ndarray]]


def _terms(text: str, language: str, df: DocFreq) -> list[str]:
    """The words of ``text`` as the reader makes terms (names unstemmed, numbers marked)."""
    out = []
    for raw in WORD.findall(text):
        shape = term_word(raw)
        if shape is None:
            continue
        word, digits = shape
        if digits:
            out.append("#" + word.replace(",", ""))
        elif df.is_name(word):
            out.append(word)
        elif word not in STOP:
            out.append(stem(language, word))
    return out


def lead_sentence(text: str) -> str:
    cut = [i for i in (text.find(". "), text.find("! "), text.find("? ")) if i > 0]
    return text[: min(cut) + 1] if cut else text


def _rare_cover(a: Report, other: frozenset[str], idf: IdfMemo) -> float | None:
    rare = [t for t in a.title if idf[t] > RARE_IDF]
    if not rare:
        return None
    return sum(1 for t in rare if t in other) / len(rare)


def _cosine(a: list[str], b: list[str], idf: IdfMemo) -> float:
    va = {t: idf[t] for t in a}
    vb = {t: idf[t] for t in b}
    na = math.sqrt(sum(w * w for w in va.values()))
    nb = math.sqrt(sum(w * w for w in vb.values()))
    if not na or not nb:
        return 0.0
    return sum(w * vb[t] for t, w in va.items() if t in vb) / (na * nb)


def evidence_table(
    docs: Sequence[ClusterDoc], pairs: Sequence[dict[str, str]]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(shipped evidence, text evidence, judged same, time of the earlier article)."""
    config = ClusterConfig()
    counts = DocFreqs(config.idf_window_days)
    reader = FeatureReader(config, counts, OutletMemory())
    full: dict[str, frozenset[str]] = {}
    leads: dict[str, list[str]] = {}
    base, text, same, times = [], [], [], []
    for doc, report, idf, done in replay(docs, pairs, reader):
        df = counts.of(doc.language)
        full[doc.id] = report.body | frozenset(_terms(doc.text, doc.language, df))
        leads[doc.id] = _terms(lead_sentence(doc.text), doc.language, df)
        for pair, other in done:
            oid = other.article_id
            base.append(compare(report, other, idf).vector())
            covers = [
                c
                for c in (
                    _rare_cover(report, full[oid], idf),
                    _rare_cover(other, full[doc.id], idf),
                )
                if c is not None
            ]
            text.append(
                (
                    min(covers) if covers else 0.0,
                    max(covers) if covers else 0.0,
                    _cosine(leads[doc.id], leads[oid], idf),
                )
            )
            same.append(pair["label"] == "same")
            times.append(other.when)
    return np.array(base), np.array(text), np.array(same), np.array(times)


def logistic(l2: float = 1.0) -> Model:
    def train(x: np.ndarray, y: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
        w = fit(x, y, l2)
        coef = np.array(w.coefficients)
        return lambda z: 1.0 / (1.0 + np.exp(-(w.intercept + z @ coef)))

    return train


def with_products(l2: float) -> Model:
    """Logistic on the evidence and every pairwise product of it (standardized)."""

    def expand(x: np.ndarray) -> np.ndarray:
        i, j = np.triu_indices(x.shape[1], 1)
        return np.hstack([x, x[:, i] * x[:, j]])

    def train(x: np.ndarray, y: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
        big = expand(x)
        mu, sd = big.mean(0), big.std(0) + 1e-9
        inner = logistic(l2)((big - mu) / sd, y)
        return lambda z: inner((expand(z) - mu) / sd)

    return train


def boosted(trees: int, depth: int, rate: float, leaf: int = 10) -> Model:
    """Gradient boosting of regression trees on the logistic loss (Friedman 2001), Newton
    leaves, thresholds at the feature's observed midpoints."""

    def grow(x: np.ndarray, g: np.ndarray, h: np.ndarray, d: int) -> object:
        value = -g.sum() / (h.sum() + 1.0)
        if d == 0 or len(g) < 2 * leaf:
            return value
        best = (0.0, -1, 0.0)
        parent = g.sum() ** 2 / (h.sum() + 1.0)
        for j in range(x.shape[1]):
            order = np.argsort(x[:, j], kind="stable")
            xs, gs, hs = x[order, j], np.cumsum(g[order]), np.cumsum(h[order])
            for k in range(leaf - 1, len(xs) - leaf):
                if xs[k] == xs[k + 1]:
                    continue
                gl, hl = gs[k], hs[k]
                gr, hr = gs[-1] - gl, hs[-1] - hl
                gain = gl * gl / (hl + 1.0) + gr * gr / (hr + 1.0) - parent
                if gain > best[0]:
                    best = (gain, j, (xs[k] + xs[k + 1]) / 2)
        if best[1] < 0:
            return value
        _, j, t = best
        left = x[:, j] <= t
        return (
            j,
            t,
            grow(x[left], g[left], h[left], d - 1),
            grow(x[~left], g[~left], h[~left], d - 1),
        )

    def predict(node: object, z: np.ndarray) -> np.ndarray:
        if not isinstance(node, tuple):
            return np.full(len(z), node)
        j, t, lo, hi = node
        out = np.empty(len(z))
        left = z[:, j] <= t
        out[left] = predict(lo, z[left])
        out[~left] = predict(hi, z[~left])
        return out

    def train(x: np.ndarray, y: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
        prior = math.log(y.mean() / (1 - y.mean()))
        f = np.full(len(y), prior)
        forest = []
        for _ in range(trees):
            p = 1.0 / (1.0 + np.exp(-f))
            tree = grow(x, p - y, p * (1 - p), depth)
            forest.append(tree)
            f += rate * predict(tree, x)

        def score(z: np.ndarray) -> np.ndarray:
            s = np.full(len(z), prior)
            for tree in forest:
                s += rate * predict(tree, z)
            return 1.0 / (1.0 + np.exp(-s))

        return score

    return train


def out_of_fold(model: Model, x: np.ndarray, y: np.ndarray, folds: int = 5) -> np.ndarray:
    """Each pair scored by the model fitted on the other folds (every ``folds``-th pair in
    order): a fair score to choose the join probability on, for a model that memorizes
    its own training pairs (trees do)."""
    out = np.empty(len(y))
    for k in range(folds):
        held = np.arange(len(y)) % folds == k
        out[held] = model(x[~held], y[~held])(x[held])
    return out


def recall_at_fitted_precision(
    fitted: np.ndarray, fy: np.ndarray, scored: np.ndarray, sy: np.ndarray
) -> tuple[float, float]:
    """The lowest probability with precision >= 0.90 on the fitted half (its own pairs),
    applied to the other half: (precision, recall) there."""
    order = np.argsort(-fitted, kind="stable")
    hits = np.cumsum(fy[order])
    ok = [k for k in range(len(order)) if hits[k] / (k + 1) >= PRECISION]
    threshold = fitted[order[max(ok)]] if ok else 1.0
    taken = scored >= threshold
    tp = (taken & sy).sum()
    return (float(tp / taken.sum()) if taken.any() else 1.0), float(tp / sy.sum())


def split_cells(model: Model, x: np.ndarray, y: np.ndarray, early: np.ndarray) -> str:
    """A table row's cells for ``model`` fitted on one half and scored on the other, both
    ways (first → second, second → first): AUC | precision at recall 0.7 | P / R at the
    fitted half's 0.90."""
    cells = []
    for fit_mask in (early, ~early):
        scorer = model(x[fit_mask], y[fit_mask])
        own, other = out_of_fold(model, x[fit_mask], y[fit_mask]), scorer(x[~fit_mask])
        p, r = recall_at_fitted_precision(own, y[fit_mask], other, y[~fit_mask])
        cells.append((auc(other, y[~fit_mask]), precision_at_recall(other, y[~fit_mask], 0.7),
                      p, r))  # fmt: skip
    a, b = cells
    return (f"{a[0]:.3f}, {b[0]:.3f} | {a[1]:.3f}, {b[1]:.3f} | "
            f"{a[2]:.3f} / {a[3]:.3f}, {b[2]:.3f} / {b[3]:.3f}")  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("stream", nargs="?", default=str(STREAM))
    parser.add_argument("pairs", nargs="?", default=str(PAIRS))
    args = parser.parse_args(argv)
    base, text, y, times = evidence_table(read_docs(args.stream), read_pairs(Path(args.pairs)))
    early = times < np.median(times)
    outlet = FEATURE_NAMES.index("same_outlet")
    differ = 1.0 - base[:, outlet : outlet + 1]
    cross = base[:, [FEATURE_NAMES.index(n) for n in ("cosine", "rare_shared", "rare_count")]]
    print(f"{len(y)} judged pairs, {int(y.sum())} same; halves {int(early.sum())} / "
          f"{int((~early).sum())} pairs\n")  # fmt: skip
    print("| feature | AUC alone | mean (same) | mean (other) |\n|---|---|---|---|")
    for j, name in enumerate(TEXT_FEATURES):
        print(f"| {name} | {auc(text[:, j], y):.3f} | {text[y, j].mean():.2f} | "
              f"{text[~y, j].mean():.2f} |")  # fmt: skip
    candidates: list[tuple[str, np.ndarray, Model]] = [
        ("logistic (shipped)", base, logistic()),
        ("logistic, ridge 0.1", base, logistic(0.1)),
        ("logistic, ridge 10", base, logistic(10.0)),
        ("logistic + products, ridge 10", base, with_products(10.0)),
        ("logistic + products, ridge 30", base, with_products(30.0)),
        ("boosted trees 100 x depth 2, rate 0.1", base, boosted(100, 2, 0.1)),
        ("boosted trees 200 x depth 3, rate 0.05", base, boosted(200, 3, 0.05)),
        ("logistic + text evidence", np.hstack([base, text]), logistic()),
        ("logistic + different-outlet products", np.hstack([base, differ * cross]), logistic()),
        ("boosted 100 x 2 + text evidence", np.hstack([base, text]), boosted(100, 2, 0.1)),
    ]
    print("\n| verifier | AUC (1st→2nd, 2nd→1st) | precision at recall 0.7 | "
          "P / R at the fitted half's 0.90 |\n|---|---|---|---|")  # fmt: skip
    for name, x, model in candidates:
        print(f"| {name} | {split_cells(model, x, y, early)} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
