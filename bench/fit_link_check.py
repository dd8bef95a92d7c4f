"""Choose the link check's decision (workers/link_evidence.py) and show whether it carries over.

    .venv/bin/python bench/fit_link_check.py [--dev PATH ...]   # default: the dev part

Runs the service's decision path (``cluster_docs``) over the cross-lingual set with the
check decided by the cosine alone (``same_cosine``), and at each check's answer reads the
evidence of every candidate as the clusterer would weigh it then
(``Clusterer.link_evidence``) with the features measured beside it
(bench/_link_features.py), labelled "same" when the two stories share a development.
Then:

* per feature: its AUC over the checked candidates, and the means of each label;
* the sweep that chooses ``LinkConfig.sure_cosine``, ``apart_hours`` and the close band
  (``close_cosine``, ``close_hours``): per half of the set by time (as
  ``bench/crosslingual.py --halves``), the whole set and each ``--dev`` stream, the
  checked candidates each setting links, "same" / "other", beside the cosine alone;
* the decision path run end to end with the cosine alone, the default decision and its
  neighbours (``DECISIONS``), on the same streams (a ``--dev`` stream: the dev part of
  real independently written reports, bench/data/crosslingual/dev/): versions linked and
  distractor pairs linked.

The check part (bench/data/crosslingual/check/) is never read here: it is held out.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._link_features import LINK_FEATURES, MeasuredEvidence, gram_cosine, measured  # noqa: E402
from bench.crosslingual import DATA, halves, pairs_of, share, together  # noqa: E402
from bench.fit_verifier import auc  # noqa: E402
from workers.cluster import ClusterConfig, Clusterer  # noqa: E402
from workers.cluster_eval import cluster_docs, to_doc  # noqa: E402
from workers.link_checks import LinkCheck  # noqa: E402
from workers.link_evidence import linked  # noqa: E402
from workers.story_linking import DEFAULT_LINKING, LinkConfig  # noqa: E402

DEV = DATA.parent / "dev" / "stream.jsonl"
COSINE_ONLY = dataclasses.replace(DEFAULT_LINKING, sure_cosine=None)
# The default (0.90, 20 h apart, no close band), its hours moved, and the optional close
# band (``LinkConfig.close_cosine``, off by default) in three settings.
CLOSE_BAND = dataclasses.replace(DEFAULT_LINKING, close_cosine=0.83, close_hours=2.0)
DECISIONS = (
    ("cosine >= 0.85 alone", COSINE_ONLY),
    ("0.90, 16 h apart, no close band", dataclasses.replace(DEFAULT_LINKING, apart_hours=16.0)),
    ("default", DEFAULT_LINKING),
    ("close band 0.83, < 2 h", CLOSE_BAND),
    ("close band 0.83, < 6 h", dataclasses.replace(CLOSE_BAND, close_hours=6.0)),
    ("close band 0.82, < 2 h", dataclasses.replace(CLOSE_BAND, close_cosine=0.82)),
)  # fmt: skip
SWEEP = tuple(
    dataclasses.replace(DEFAULT_LINKING, sure_cosine=sure, apart_hours=hours,
                        close_cosine=close, close_hours=close_hours)
    for sure in (0.88, 0.90, 1.01)
    for hours in (16.0, 20.0, 24.0)
    for close, close_hours in ((None, 0.0), (0.80, 2.0), (0.82, 2.0), (0.83, 2.0), (0.83, 6.0))
)  # fmt: skip
Checked = list[tuple[MeasuredEvidence, bool]]  # (evidence, same development)


def read_rows(path: Path) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    rows.sort(key=lambda r: datetime.fromisoformat(r["published"]))
    return rows


def run(rows: list[dict[str, Any]], link: LinkConfig) -> tuple[dict[str, str], Checked]:
    """The decision path over ``rows`` with ``link``: each article's story, and every
    checked candidate's evidence and label."""
    development = {r["id"]: r["development"] for r in rows}
    checked: Checked = []

    def observe(clusterer: Clusterer, check: LinkCheck, scores: list[float]) -> None:
        own = clusterer.story(check.story)
        if own is None:
            return
        ours = {development[m.article_id] for m in own.members}
        evidence = clusterer.link_evidence(check.id, scores)
        for (target, texts), found in zip(check.candidates, evidence, strict=True):
            story = clusterer.story(target)
            if found is None or story is None:
                continue
            theirs = {development[m.article_id] for m in story.members}
            grams = gram_cosine(clusterer, check.story, target)
            checked.append((measured(found, check.text, texts[0], grams), bool(ours & theirs)))

    docs = sorted((to_doc(r) for r in rows), key=lambda d: d.published)
    return dict(cluster_docs(docs, ClusterConfig(link=link), observe=observe)), checked


def describe(checked: Checked) -> None:
    x = np.array([e.vector() for e, _ in checked])
    y = np.array([s for _, s in checked], dtype=bool)
    print(f"{len(checked)} checked candidates, {int(y.sum())} same development\n")
    print("| feature | AUC alone | AUC at cosine >= 0.80 | mean (same) | mean (other) |\n"
          "|---|---|---|---|---|")  # fmt: skip
    near = x[:, 0] >= 0.80
    for j, name in enumerate(LINK_FEATURES):
        print(f"| {name} | {auc(x[:, j], y):.3f} | {auc(x[near, j], y[near]):.3f} | "
              f"{x[y, j].mean():.3f} | {x[~y, j].mean():.3f} |")  # fmt: skip


def sweep(parts: Sequence[tuple[str, Checked]]) -> None:
    """Checked candidates linked, "same" / "other", per setting and part."""
    print("\n| sure_cosine | apart_hours | close band | "
          + " | ".join(name for name, _ in parts) + " |\n|---|---|---|"
          + "---|" * len(parts))  # fmt: skip
    for config in (COSINE_ONLY, *SWEEP):
        cells = []
        for _, checked in parts:
            same = sum(1 for e, s in checked if s and linked(e.decided, config))
            other = sum(1 for e, s in checked if not s and linked(e.decided, config))
            cells.append(f"{same} / {other}")
        sure = "-" if config.sure_cosine is None else f"{config.sure_cosine:.2f}"
        band = ("-" if config.close_cosine is None or config.sure_cosine is None
                else f"{config.close_cosine:.2f}, < {config.close_hours:g} h")  # fmt: skip
        print(f"| {sure} | {config.apart_hours:g} | {band} | " + " | ".join(cells) + " |")


def score(rows: list[dict[str, Any]], story: dict[str, str]) -> tuple[str, str]:
    _, same, other = pairs_of(rows)
    return (share(together(story, rows, same), len(same), 1),
            share(together(story, rows, other), len(other), 2))  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--dev", type=Path, action="append",
                        help=f"a dev stream (default: {DEV.relative_to(ROOT)})")  # fmt: skip
    args = parser.parse_args(argv)
    streams = [(name, sub) for name, sub, _, _ in halves(args.data)]
    streams.append(("the set", read_rows(args.data)))
    streams += [(str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path),
                 read_rows(path)) for path in args.dev or [DEV]]  # fmt: skip
    checked = [(name, run(rows, COSINE_ONLY)[1]) for name, rows in streams]
    for name, found in checked:
        print(f"\n{name}: ", end="")
        describe(found)
    sweep(checked)
    print("\n| stream | decision | versions linked | distractor pairs linked |\n"
          "|---|---|---|---|")  # fmt: skip
    for name, rows in streams:
        for rule, link in DECISIONS:
            linked_, wrong = score(rows, run(rows, link)[0])
            print(f"| {name} | {rule} | {linked_} | {wrong} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
