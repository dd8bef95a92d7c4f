"""Story clustering benchmark: our Clusterer vs an online TF-IDF centroid baseline.

    .venv/bin/python bench/clustering.py [FILE] [--sweep] [--scale] [--scale-docs N]

On the labeled development file (default ../shared/data/uci-news-dev.jsonl.gz) it
prints pairwise and B-cubed precision/recall/F1 (definitions in that folder's
README), documents/s and peak traced memory for both methods side by side.
``--sweep`` reruns ours over a range of thresholds (is the default on a knife
edge?). ``--scale`` runs the synthetic 200,000-article / 30-day stream built from
the real headlines (distinct ids, times spread evenly, the headlines' order kept)
and reports documents/s per 20,000-document slice and peak memory.

Gold labels are read here, for scoring only: the clusterer gets ``ClusterDoc``s
built by ``workers.cluster_eval.to_doc``, which drops every other field.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import re
import sys
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workers.cluster import ClusterConfig, ClusterDoc, Clusterer  # noqa: E402
from workers.cluster_eval import to_doc  # noqa: E402

DEV = ROOT.parent / "shared" / "data" / "uci-news-dev.jsonl.gz"


# ---------------------------------------------------------------------------
# Scores (../shared/data/README.md)


def _pairs(sizes: Iterable[int]) -> int:
    return sum(n * (n - 1) // 2 for n in sizes)


def scores(pred: dict[str, str], gold: dict[str, str]) -> dict[str, float]:
    """Pairwise and B-cubed P/R/F1 of ``pred`` against ``gold`` (id -> cluster)."""
    ids = list(gold)
    joint = Counter((pred[i], gold[i]) for i in ids)
    pred_sizes = Counter(pred[i] for i in ids)
    gold_sizes = Counter(gold[i] for i in ids)
    tp = _pairs(joint.values())
    pp, gp = _pairs(pred_sizes.values()), _pairs(gold_sizes.values())
    p = tp / pp if pp else 1.0
    r = tp / gp if gp else 1.0
    # B-cubed: every document of a (pred, gold) cell has the same per-doc scores.
    bp = sum(n * n / pred_sizes[pc] for (pc, _), n in joint.items()) / len(ids)
    br = sum(n * n / gold_sizes[gc] for (_, gc), n in joint.items()) / len(ids)
    return {
        "pair_p": p, "pair_r": r, "pair_f1": _f1(p, r),
        "b3_p": bp, "b3_r": br, "b3_f1": _f1(bp, br),
        "stories": len(pred_sizes),
    }  # fmt: skip


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


# ---------------------------------------------------------------------------
# Baseline: the README's simple online TF-IDF centroid clustering


class Baseline:
    """Lowercase word TF-IDF, IDF from documents seen so far, cosine to story centroids.

    A document joins the most similar story active in the last ``window`` if the
    cosine is at least ``threshold``, else starts one. A full scan: it is the floor.
    """

    _word = re.compile(r"\w+")

    def __init__(self, threshold: float = 0.2, window: timedelta = timedelta(hours=72)) -> None:
        self.threshold, self.window = threshold, window
        self.df: Counter[str] = Counter()
        self.n = 0
        self.stories: list[tuple[Counter[str], list[object]]] = []  # (tf sums, [last, id])

    def add(self, doc: ClusterDoc) -> str:
        tf = Counter(self._word.findall(doc.title.lower() + " " + doc.text.lower()))
        self.n += 1
        self.df.update(tf.keys())

        def vec(counts: Counter[str]) -> dict[str, float]:
            v = {t: c * math.log((self.n + 1) / (self.df[t] + 1)) + 0.0 for t, c in counts.items()}
            norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
            return {t: x / norm for t, x in v.items()}

        dv = vec(tf)
        best, best_sim = None, 0.0
        horizon = doc.published - self.window
        self.stories = [s for s in self.stories if s[1][0] >= horizon]  # type: ignore[operator]
        for story in self.stories:
            cv = vec(story[0])
            sim = sum(w * cv.get(t, 0.0) for t, w in dv.items())
            if sim > best_sim:
                best, best_sim = story, sim
        if best is None or best_sim < self.threshold:
            best = (Counter(), [doc.published, doc.id])
            self.stories.append(best)
        best[0].update(tf)
        best[1][0] = doc.published
        return str(best[1][1])


# ---------------------------------------------------------------------------
# Runs


def load(path: Path) -> tuple[list[ClusterDoc], dict[str, str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    gold = {str(r["id"]): str(r["cluster"]) for r in rows}
    docs = sorted((to_doc(r) for r in rows), key=lambda d: d.published)
    return docs, gold


def timed(run: Callable[[], dict[str, str]]) -> tuple[dict[str, str], float, int]:
    """Result, seconds, peak traced bytes (tracemalloc slows both methods alike)."""
    started = time.perf_counter()
    pred = run()
    seconds = time.perf_counter() - started
    tracemalloc.start()
    run()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return pred, seconds, peak


def ours(docs: Sequence[ClusterDoc], config: ClusterConfig | None = None) -> dict[str, str]:
    clusterer = Clusterer(config)
    return {d.id: clusterer.add(d, now=d.published).story_id for d in docs}


def baseline(docs: Sequence[ClusterDoc]) -> dict[str, str]:
    base = Baseline()
    return {d.id: base.add(d) for d in docs}


def _row(name: str, s: dict[str, float], docs_s: float, peak: int) -> str:
    return (
        f"| {name} | {s['pair_p']:.3f} | {s['pair_r']:.3f} | **{s['pair_f1']:.3f}** | "
        f"{s['b3_p']:.3f} | {s['b3_r']:.3f} | **{s['b3_f1']:.3f}** | {int(s['stories'])} | "
        f"{docs_s:,.0f} | {peak / 2**20:.1f} |"
    )


HEADER = (
    "| method | pair P | pair R | pair F1 | B³ P | B³ R | B³ F1 | stories | docs/s | peak MiB |\n"
    "|---|---|---|---|---|---|---|---|---|---|"
)


def compare(docs: list[ClusterDoc], gold: dict[str, str]) -> None:
    print(HEADER)
    pred, secs, peak = timed(lambda: ours(docs))
    print(_row("ours (default ClusterConfig)", scores(pred, gold), len(docs) / secs, peak))
    pred, secs, peak = timed(lambda: baseline(docs))
    print(_row("baseline TF-IDF centroid 0.2/72 h", scores(pred, gold), len(docs) / secs, peak))


def sweep(docs: list[ClusterDoc], gold: dict[str, str]) -> None:
    default = ClusterConfig().threshold
    print("| threshold | pair P | pair R | pair F1 | B³ P | B³ R | B³ F1 | stories |")
    print("|---|---|---|---|---|---|---|---|")
    for step in range(-4, 5):
        threshold = round(default + 0.05 * step, 2)
        s = scores(ours(docs, replace(ClusterConfig(), threshold=threshold)), gold)
        mark = " (default)" if step == 0 else ""
        print(
            f"| {threshold:.2f}{mark} | {s['pair_p']:.3f} | {s['pair_r']:.3f} | "
            f"{s['pair_f1']:.3f} | "
            f"{s['b3_p']:.3f} | {s['b3_r']:.3f} | {s['b3_f1']:.3f} | {int(s['stories'])} |"
        )


def scale(docs: list[ClusterDoc], total: int, days: int = 30, slice_size: int = 20_000) -> None:
    """Synthetic stream: the real headlines repeated with distinct ids, spread over ``days``."""
    start = docs[0].published
    step = timedelta(days=days) / total
    print(f"synthetic stream: {total:,} documents over {days} days")
    clusterer = Clusterer()
    tracemalloc.start()
    started = last = time.perf_counter()
    slowest = float("inf")
    for i in range(total):
        src = docs[i % len(docs)]
        when = start + step * i
        doc = replace(src, id=f"{src.id}-{i // len(docs)}", published=when)
        clusterer.add(doc, now=when)
        if (i + 1) % slice_size == 0:
            now = time.perf_counter()
            rate = slice_size / (now - last)
            slowest = min(slowest, rate)
            current, peak = tracemalloc.get_traced_memory()
            print(f"  {i + 1:>7,} docs: {rate:,.0f} docs/s in this slice, "
                  f"live stories {len(clusterer.stories()):,}, traced {current / 2**20:.0f} MiB "
                  f"(peak {peak / 2**20:.0f} MiB)")  # fmt: skip
            last = now
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"total {total / elapsed:,.0f} docs/s (under tracemalloc), slowest slice "
          f"{slowest:,.0f} docs/s, peak traced memory {peak / 2**20:.0f} MiB")  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("file", nargs="?", default=str(DEV))
    parser.add_argument("--sweep", action="store_true", help="threshold sweep of ours")
    parser.add_argument("--scale", action="store_true", help="synthetic 200k/30-day stream")
    parser.add_argument("--scale-docs", type=int, default=200_000)
    args = parser.parse_args(argv)
    docs, gold = load(Path(args.file))
    print(f"{args.file}: {len(docs):,} documents, {len(set(gold.values())):,} gold stories\n")
    compare(docs, gold)
    if args.sweep:
        print()
        sweep(docs, gold)
    if args.scale:
        print()
        scale(docs, args.scale_docs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
