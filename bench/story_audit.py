"""Story audit sheet: a seeded sample of multi-outlet stories for a person to judge.

    .venv/bin/python bench/story_audit.py [--stream FILE] [--stories 40] [--seed N]
                                          [--baseline] [--out FILE]

Clusters a real stream (default ../shared/data/stream-dev.jsonl.gz) with the service's own
decision path (``workers.cluster_eval.cluster_docs``, default ``ClusterConfig``) and prints
a random sample of the stories that hold reports from two or more outlets, each with its
reports' times, outlets and headlines in time order. ``--baseline`` prints a sample drawn
the same way from the online TF-IDF centroid baseline of bench/clustering.py, so both sheets
come from one run.

The judged pairs (bench/clustering.py) score pairs an editor picked; this sheet shows what
a reader of the page sees: is each story one development (clean), one development with a
loosely related follow-up (borderline), or unrelated news put together (mixed)? The
verdicts are a person's reading, so docs/benchmarks.md records them with the seed and who
read them; nothing here scores itself.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.clustering import baseline, ours  # noqa: E402
from bench.fit_verifier import STREAM  # noqa: E402
from workers.cluster import ClusterDoc  # noqa: E402
from workers.cluster_eval import read_docs  # noqa: E402

SHOWN_REPORTS = 12  # a longer story prints its first reports and a count of the rest


def multi_outlet_stories(
    docs: Sequence[ClusterDoc], assigned: dict[str, str]
) -> list[list[ClusterDoc]]:
    """Stories with reports from two or more outlets, each in time order, in first-report order."""
    stories: dict[str, list[ClusterDoc]] = defaultdict(list)
    for doc in docs:
        stories[assigned[doc.id]].append(doc)
    multi = [
        sorted(members, key=lambda d: d.published)
        for members in stories.values()
        if len({d.outlet for d in members}) >= 2
    ]
    return sorted(multi, key=lambda members: (members[0].published, members[0].id))


def sheet(name: str, docs: Sequence[ClusterDoc], assigned: dict[str, str], count: int,
          seed: int) -> str:  # fmt: skip
    stories = len(set(assigned.values()))
    multi = multi_outlet_stories(docs, assigned)
    sample = random.Random(seed).sample(multi, min(count, len(multi)))
    lines = [
        f"# {name}: {len(docs)} reports, {stories} stories, {len(multi)} with 2+ outlets; "
        f"{len(sample)} drawn with seed {seed}"
    ]
    for number, members in enumerate(sample, 1):
        lines.append(f"\n## {number} ({len(members)} reports)")
        for doc in members[:SHOWN_REPORTS]:
            when = doc.published.strftime("%Y-%m-%d %H:%M")
            lines.append(f"  {when}  [{doc.outlet[:14]}]  {doc.title[:110]}")
        if len(members) > SHOWN_REPORTS:
            lines.append(f"  ... {len(members) - SHOWN_REPORTS} more")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stream", default=str(STREAM), help="a real stream (JSONL, .gz ok)")
    parser.add_argument("--stories", type=int, default=40, help="stories per sheet")
    parser.add_argument("--seed", type=int, default=20261204)
    parser.add_argument("--baseline", action="store_true", help="also the TF-IDF baseline")
    parser.add_argument("--out", help="write the sheets here instead of printing them")
    args = parser.parse_args(argv)
    docs = read_docs(args.stream)
    runs = [("ours (default settings)", ours(docs))]
    if args.baseline:
        runs.append(("TF-IDF centroid baseline", baseline(docs)))
    text = "\n".join(sheet(name, docs, pred, args.stories, args.seed) for name, pred in runs)
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
