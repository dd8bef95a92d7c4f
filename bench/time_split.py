"""Judge a clustering change on news its settings never saw: the time-split protocol.

    .venv/bin/python bench/time_split.py [--jobs N] [STREAM] [PAIRS]

The judged pairs (default ../shared/data/stream-dev-pairs.jsonl) are split at the median
time of their earlier article. For each half: the verifier is refitted on that half's pairs
(``bench/fit_verifier.py``'s procedure), the clusterer runs over the whole stream with those
weights at each join probability of ``LEVELS``, and the level with the best recall at
precision >= 0.90 *on that half* is chosen; the other half's pairs score it. Both
directions are printed, with the other half's `same` pairs found, so a change (a feature,
a setting) is judged by what carries over to a later period, not by fitting these pairs.
Each level's row shows both halves, so the table also says how far the choice was from
the knife's edge.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.clustering import judged, ours  # noqa: E402
from bench.fit_verifier import PAIRS, STREAM, pair_evidence, read_pairs, split_weights  # noqa: E402
from workers.cluster import ClusterConfig, ClusterDoc  # noqa: E402
from workers.cluster_eval import read_docs  # noqa: E402
from workers.story_evidence import Weights  # noqa: E402

LEVELS = (0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8)
PRECISION = 0.90

_docs: list[ClusterDoc] = []  # the stream, shared with worker processes


def _init(path: str) -> None:
    global _docs
    _docs = read_docs(path)


def _cluster(job: tuple[Weights, float]) -> dict[str, str]:
    weights, level = job
    return ours(_docs, replace(ClusterConfig(), verifier=weights, join_probability=level))


def split_pairs(
    docs: Sequence[ClusterDoc], pairs: Sequence[dict[str, str]], median: float
) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """The judged pairs whose earlier article was published before ``median`` (a POSIX
    time), and the others."""
    when = {d.id: d.published.timestamp() for d in docs}
    early = [p for p in pairs if min(when[p["a"]], when[p["b"]]) < median]
    late = [p for p in pairs if min(when[p["a"]], when[p["b"]]) >= median]
    return early, late


def print_split(
    preds: Sequence[dict[str, str]],
    early: Sequence[dict[str, str]],
    late: Sequence[dict[str, str]],
) -> None:
    """The time-split table: ``preds`` holds the clusterer's runs with the first half's
    weights at each of ``LEVELS``, then the second half's; each half chooses its level
    and the other half scores it."""
    print("| fitted on | join probability | fitted half P / R | other half P / R | other same |")
    print("|---|---:|---:|---:|---:|")
    for k, (name, fitted, scored) in enumerate((("first", early, late), ("second", late, early))):
        same = sum(p["label"] == "same" for p in scored)
        rows = []
        for i, level in enumerate(LEVELS):
            pred = preds[k * len(LEVELS) + i]
            own, other = judged(pred, fitted), judged(pred, scored)
            rows.append((level, own, other))
            found = round(other["r"] * same)
            print(f"| {name} half | {level:.2f} | {own['p']:.3f} / {own['r']:.3f} | "
                  f"{other['p']:.3f} / {other['r']:.3f} | {found}/{same} |")  # fmt: skip
        passing = [r for r in rows if r[1]["p"] >= PRECISION] or rows[-1:]
        level, _, other = max(passing, key=lambda r: (r[1]["r"], r[1]["p"]))
        print(f"| **{name} half, chosen** | **{level:.2f}** | | **{other['p']:.3f} / "
              f"{other['r']:.3f}** | **{round(other['r'] * same)}/{same}** |")  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("stream", nargs="?", default=str(STREAM))
    parser.add_argument("pairs", nargs="?", default=str(PAIRS))
    parser.add_argument("--jobs", type=int, default=1, help="clusterer runs in parallel")
    args = parser.parse_args(argv)
    _init(args.stream)
    pairs = read_pairs(Path(args.pairs))
    median, halves = split_weights(pair_evidence(_docs, pairs, ClusterConfig()))
    early, late = split_pairs(_docs, pairs, median)
    jobs = [(weights, level) for weights in halves for level in LEVELS]
    with ProcessPoolExecutor(args.jobs, initializer=_init, initargs=(args.stream,)) as pool:
        preds = list(pool.map(_cluster, jobs))
    print_split(preds, early, late)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
