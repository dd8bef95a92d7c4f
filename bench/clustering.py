"""Story clustering benchmark: our Clusterer vs an online TF-IDF centroid baseline.

    .venv/bin/python bench/clustering.py [--uci FILE] [--stream FILE --pairs FILE]
                                         [--sweep] [--ablate] [--scale] [--scale-docs N]

Two labeled development sets (../shared/data, see its README), both methods side by side
in the same run, with documents per CPU-second and peak traced memory:

* **the real stream** (stream-dev.jsonl.gz + stream-dev-pairs.jsonl): of the editor-judged
  pairs put into one story, the share judged "same development" (precision), and of the
  "same" pairs, the share put into one story (recall). Also the clusterer with the
  verifier's weights fitted on one half of the period only (bench/fit_verifier.py), scored
  on the pairs of the other half: what to expect on news the weights never saw.
* **UCI headlines** (uci-news-dev.jsonl.gz): pairwise and B-cubed precision/recall/F1
  against Google News' stories.

``--sweep`` reruns ours over a range of join probabilities (is the default on a knife
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
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.fit_verifier import PAIRS, STREAM, pair_evidence, read_pairs, split_weights  # noqa: E402
from workers.cluster import ClusterConfig, ClusterDoc, Clusterer  # noqa: E402
from workers.cluster_eval import cluster_docs, read_docs, to_doc  # noqa: E402

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
    cosine is at least ``threshold``, else starts one. It is the floor, so it is kept
    simple, with two shortcuts that make it run in minutes rather than hours on the stream:
    only stories sharing a word with the document that at most ``COMMON`` of the documents
    seen contain are scored (one sharing only "the" and "of" cannot reach the threshold),
    and a story's centroid vector is recomputed under the current IDF when it changed or
    ``REFRESH`` documents have passed since (the IDF of thousands of documents moves little).
    """

    COMMON = 0.05
    REFRESH = 200

    _word = re.compile(r"\w+")

    def __init__(self, threshold: float = 0.2, window: timedelta = timedelta(hours=72)) -> None:
        self.threshold, self.window = threshold, window
        self.df: Counter[str] = Counter()
        self.n = 0
        # key -> (tf sums, [last time, first id, vector, n when computed])
        self.stories: dict[int, tuple[Counter[str], list[Any]]] = {}
        self.postings: dict[str, set[int]] = {}

    def _vec(self, counts: Counter[str]) -> dict[str, float]:
        v = {t: c * math.log((self.n + 1) / (self.df[t] + 1)) + 0.0 for t, c in counts.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        return {t: x / norm for t, x in v.items()}

    def add(self, doc: ClusterDoc) -> str:
        tf = Counter(self._word.findall(doc.title.lower() + " " + doc.text.lower()))
        self.n += 1
        self.df.update(tf.keys())
        dv = self._vec(tf)
        horizon = doc.published - self.window
        for key in [k for k, s in self.stories.items() if s[1][0] < horizon]:
            for term in self.stories.pop(key)[0]:
                self.postings[term].discard(key)
        limit = max(self.COMMON * self.n, 5)
        rare = [t for t in tf if self.df[t] <= limit]
        candidates = sorted({k for t in rare for k in self.postings.get(t, ())})
        best, best_sim = None, 0.0
        for key in candidates:
            counts, meta = self.stories[key]
            if meta[2] is None or self.n - meta[3] >= self.REFRESH:
                meta[2], meta[3] = self._vec(counts), self.n
            cv = meta[2]
            sim = sum(w * cv.get(t, 0.0) for t, w in dv.items())
            if sim > best_sim:
                best, best_sim = key, sim
        if best is None or best_sim < self.threshold:
            best = self.n  # one new story per document at most: a unique, growing key
            self.stories[best] = (Counter(), [doc.published, doc.id, None, 0])
        counts, meta = self.stories[best]
        counts.update(tf)
        meta[0], meta[2] = doc.published, None
        for term in tf:
            self.postings.setdefault(term, set()).add(best)
        return str(meta[1])


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
    """The service's decision path (near-duplicate copies, then clustering), as cluster-eval."""
    return dict(cluster_docs(docs, config))


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


def judged(pred: dict[str, str], pairs: Sequence[dict[str, str]]) -> dict[str, float]:
    """Precision and recall of "same development" over the judged pairs (data README)."""
    together = [p for p in pairs if pred[p["a"]] == pred[p["b"]]]
    hits = sum(p["label"] == "same" for p in together)
    same = sum(p["label"] == "same" for p in pairs)
    precision = hits / len(together) if together else 1.0
    recall = hits / same if same else 1.0
    return {"p": precision, "r": recall, "f1": _f1(precision, recall), "merged": len(together),
            "pairs": len(pairs), "stories": len(set(pred.values()))}  # fmt: skip


STREAM_HEADER = (
    "| method | judged pairs | precision | recall | F1 | wrong merges | stories | docs/s "
    "| peak MiB |\n|---|---|---|---|---|---|---|---|---|"
)


def _stream_row(name: str, s: dict[str, float], docs_s: float | None, peak: int | None) -> str:
    speed = f"{docs_s:,.0f}" if docs_s is not None else "–"
    memory = f"{peak / 2**20:.1f}" if peak is not None else "–"
    return (
        f"| {name} | {int(s['pairs'])} | **{s['p']:.3f}** | **{s['r']:.3f}** | {s['f1']:.3f} | "
        f"{int(s['merged'] - round(s['p'] * s['merged']))} | {int(s['stories'])} | {speed} "
        f"| {memory} |"
    )


def compare_stream(docs: list[ClusterDoc], pairs: list[dict[str, str]]) -> None:
    print(STREAM_HEADER)
    pred, secs, peak = timed(lambda: ours(docs))
    print(_stream_row("ours (default ClusterConfig)", judged(pred, pairs), len(docs) / secs, peak))
    pred, secs, peak = timed(lambda: baseline(docs))
    print(_stream_row("baseline TF-IDF centroid 0.2/72 h", judged(pred, pairs),
                      len(docs) / secs, peak))  # fmt: skip
    # The verifier fitted on one half of the period, scored on the other half's pairs.
    evidence = pair_evidence(docs, pairs, ClusterConfig())
    median, (early_w, late_w) = split_weights(evidence)
    when = {d.id: d.published.timestamp() for d in docs}
    early = [p for p in pairs if min(when[p["a"]], when[p["b"]]) < median]
    late = [p for p in pairs if min(when[p["a"]], when[p["b"]]) >= median]
    for name, weights, scored in (("first", early_w, late), ("second", late_w, early)):
        other = "second" if name == "first" else "first"
        pred = ours(docs, replace(ClusterConfig(), verifier=weights))
        print(_stream_row(f"ours, verifier fitted on the {name} half, {other} half's pairs",
                          judged(pred, scored), None, None))  # fmt: skip
        base = baseline(docs)
        print(_stream_row(f"baseline, {other} half's pairs", judged(base, scored), None, None))


def compare(docs: list[ClusterDoc], gold: dict[str, str]) -> None:
    print(HEADER)
    pred, secs, peak = timed(lambda: ours(docs))
    print(_row("ours (default ClusterConfig)", scores(pred, gold), len(docs) / secs, peak))
    pred, secs, peak = timed(lambda: baseline(docs))
    print(_row("baseline TF-IDF centroid 0.2/72 h", scores(pred, gold), len(docs) / secs, peak))


SWEEP = (0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.8)


def sweep(
    uci: list[ClusterDoc],
    gold: dict[str, str],
    stream: list[ClusterDoc],
    pairs: list[dict[str, str]],
) -> None:
    default = ClusterConfig().join_probability
    print("| join probability | stream P | stream R | UCI pair F1 | UCI B³ F1 | UCI stories |")
    print("|---|---|---|---|---|---|")
    for level in SWEEP:
        config = replace(ClusterConfig(), join_probability=level)
        j = judged(ours(stream, config), pairs)
        s = scores(ours(uci, config), gold)
        mark = " (default)" if level == default else ""
        print(f"| {level:.2f}{mark} | {j['p']:.3f} | {j['r']:.3f} | {s['pair_f1']:.3f} | "
              f"{s['b3_f1']:.3f} | {int(s['stories'])} |")  # fmt: skip


ABLATIONS: dict[str, dict[str, object]] = {
    "default": {},
    "no URL slug words": {"url_weight": 0.0},
    "bigrams of adjacent words at 0.5": {"bigram_weight": 0.5},
    "no number/place boosts": {"number_boost": 1.0, "place_boost": 1.0},
    "verify 2 reports (first + latest)": {"verify_reports": 2},
    "4 candidates": {"max_candidates": 4},
    "IDF over 7 days": {"idf_window_days": 7},
}  # fmt: skip


def ablate(
    uci: list[ClusterDoc],
    gold: dict[str, str],
    stream: list[ClusterDoc],
    pairs: list[dict[str, str]],
) -> None:
    print("| variant of ours | stream P | stream R | UCI pair F1 | UCI B³ F1 |")
    print("|---|---|---|---|---|")
    for name, changes in ABLATIONS.items():
        config = replace(ClusterConfig(), **changes)  # type: ignore[arg-type]
        j = judged(ours(stream, config), pairs)
        s = scores(ours(uci, config), gold)
        print(f"| {name} | {j['p']:.3f} | {j['r']:.3f} | {s['pair_f1']:.3f} | {s['b3_f1']:.3f} |")


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
                  f"{clusterer._df.terms():,} | {_rss_mib():.0f} |")  # fmt: skip
            last = time.process_time()  # the report above is not part of the next slice
    elapsed = time.process_time() - started
    slowest = f"{min(rates):,.0f} docs/s" if rates else f"none (fewer than {slice_size:,} docs)"
    print(f"\ntotal {total / elapsed:,.0f} docs/s; slowest slice {slowest}; "
          f"peak RSS {_peak_rss_mib():.0f} MiB")  # fmt: skip


def _peak_rss_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--uci", default=str(DEV), help="labeled headlines (B³, pairwise)")
    parser.add_argument("--stream", default=str(STREAM), help="a real stream")
    parser.add_argument("--pairs", default=str(PAIRS), help="editor-judged pairs of --stream")
    parser.add_argument("--sweep", action="store_true", help="join probability sweep of ours")
    parser.add_argument("--ablate", action="store_true", help="feature ablations of ours")
    parser.add_argument("--scale", action="store_true", help="synthetic 200k/30-day stream")
    parser.add_argument("--scale-docs", type=int, default=200_000)
    parser.add_argument("--skip-compare", action="store_true", help="only the extra runs")
    args = parser.parse_args(argv)
    uci, gold = load(Path(args.uci))
    stream = read_docs(args.stream)
    pairs = read_pairs(Path(args.pairs))
    if not args.skip_compare:
        print(f"{args.stream}: {len(stream):,} documents, {len(pairs):,} judged pairs\n")
        compare_stream(stream, pairs)
        print(f"\n{args.uci}: {len(uci):,} documents, {len(set(gold.values())):,} gold stories\n")
        compare(uci, gold)
    if args.sweep:
        print()
        sweep(uci, gold, stream, pairs)
    if args.ablate:
        print()
        ablate(uci, gold, stream, pairs)
    if args.scale:
        print()
        scale(uci, args.scale_docs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
