"""Story clustering benchmark: our Clusterer vs an online TF-IDF centroid baseline.

    .venv/bin/python bench/clustering.py [FILE] [--sweep] [--ablate] [--scale] [--scale-docs N]

On the labeled development file (default ../shared/data/uci-news-dev.jsonl.gz) it
prints pairwise and B-cubed precision/recall/F1 (definitions in that folder's
README), documents per CPU-second and peak traced memory for both methods side by side.
``--sweep`` reruns ours over a range of thresholds (is the default on a knife
edge?), ``--ablate`` switches single features off. ``--scale`` runs the synthetic
200,000-article / 30-day stream built from the real headlines (distinct ids, times
spread evenly, the headlines' order kept) and reports documents/s per 20,000-document
slice and peak memory.

Gold labels are read here, for scoring only: the clusterer gets ``ClusterDoc``s
built by ``workers.cluster_eval.to_doc``, which drops every other field.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import os
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
    """Result, CPU seconds, peak traced bytes (tracemalloc slows both methods alike).

    CPU time of this process, not wall time: the machine is shared with other
    work, and a busy neighbour must not make either method look slower.
    """
    started = time.process_time()
    pred = run()
    seconds = time.process_time() - started
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
    for step in range(-3, 4):  # the default +- 40 %, in steps of 2/15 of it
        threshold = round(default * (1 + step * 2 / 15), 3)
        s = scores(ours(docs, replace(ClusterConfig(), threshold=threshold)), gold)
        mark = " (default)" if step == 0 else ""
        print(
            f"| {threshold:.3f}{mark} | {s['pair_p']:.3f} | {s['pair_r']:.3f} | "
            f"{s['pair_f1']:.3f} | "
            f"{s['b3_p']:.3f} | {s['b3_r']:.3f} | {s['b3_f1']:.3f} | {int(s['stories'])} |"
        )


ABLATIONS: dict[str, dict[str, object]] = {
    "default": {},
    "no URL slug words": {"url_weight": 0.0},
    "no bigrams": {"bigram_weight": 0.0},
    "no number/place boosts": {"number_boost": 1.0, "place_boost": 1.0},
    "centroid 0.5 + nearest member 0.5": {"centroid_weight": 0.5},
    "no time decay (72 h idle window only)": {
        "decay_grace": timedelta(hours=72), "window": timedelta(hours=72)},
    "IDF over 7 days": {"idf_window_days": 7},
}  # fmt: skip


def ablate(docs: list[ClusterDoc], gold: dict[str, str]) -> None:
    print("| variant of ours | pair P | pair R | pair F1 | B³ P | B³ R | B³ F1 | stories |")
    print("|---|---|---|---|---|---|---|---|")
    for name, changes in ABLATIONS.items():
        s = scores(ours(docs, replace(ClusterConfig(), **changes)), gold)  # type: ignore[arg-type]
        print(
            f"| {name} | {s['pair_p']:.3f} | {s['pair_r']:.3f} | {s['pair_f1']:.3f} | "
            f"{s['b3_p']:.3f} | {s['b3_r']:.3f} | {s['b3_f1']:.3f} | {int(s['stories'])} |"
        )


def _rss_mib() -> float:
    """Resident memory now (Linux /proc); tracemalloc would slow the timed loop."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except OSError:
        return float("nan")
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def scale(docs: list[ClusterDoc], total: int, days: int = 30, slice_size: int = 20_000) -> None:
    """Synthetic stream: the real headlines repeated with distinct ids, spread over ``days``."""
    start = docs[0].published
    step = timedelta(days=days) / total
    print(
        f"synthetic stream: {total:,} documents over {days} days; RSS before {_rss_mib():.0f} MiB"
    )
    print("| documents | docs/s in slice | live stories | vocabulary (IDF) | RSS MiB |")
    print("|---|---|---|---|---|")
    clusterer = Clusterer()
    started = last = time.process_time()  # CPU time: see ``timed``
    rates = []
    for i in range(total):
        src = docs[i % len(docs)]
        when = start + step * i
        doc = replace(src, id=f"{src.id}-{i // len(docs)}", published=when)
        clusterer.add(doc, now=when)
        if (i + 1) % slice_size == 0:
            now = time.process_time()
            rates.append(slice_size / (now - last))
            print(f"| {i + 1:,} | {rates[-1]:,.0f} | {len(clusterer):,} | "
                  f"{clusterer.vocabulary_size():,} | {_rss_mib():.0f} |")  # fmt: skip
            last = time.process_time()  # the report above is not part of the next slice
    elapsed = time.process_time() - started
    print(f"\ntotal {total / elapsed:,.0f} docs/s; slowest slice {min(rates):,.0f} docs/s; "
          f"peak RSS {_peak_rss_mib():.0f} MiB")  # fmt: skip


def _peak_rss_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("file", nargs="?", default=str(DEV))
    parser.add_argument("--sweep", action="store_true", help="threshold sweep of ours")
    parser.add_argument("--ablate", action="store_true", help="feature ablations of ours")
    parser.add_argument("--scale", action="store_true", help="synthetic 200k/30-day stream")
    parser.add_argument("--scale-docs", type=int, default=200_000)
    parser.add_argument("--skip-compare", action="store_true", help="only the extra runs")
    args = parser.parse_args(argv)
    docs, gold = load(Path(args.file))
    print(f"{args.file}: {len(docs):,} documents, {len(set(gold.values())):,} gold stories\n")
    if not args.skip_compare:
        compare(docs, gold)
    if args.sweep:
        print()
        sweep(docs, gold)
    if args.ablate:
        print()
        ablate(docs, gold)
    if args.scale:
        print()
        scale(docs, args.scale_docs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
