"""Rare names across scripts in the link check's band, swept over the tuning streams.

    .venv/bin/python bench/rare_names.py [--shares off,0.005,0.01,0.02] [--windows 0,50,100]
                                         [--background [--per-day 150]]

Runs the service's decision path (``cluster_docs``) over the set, the dev part and the fresh
part, each in its own stream, once per setting of ``LinkConfig.rare_name_share`` and
``rare_name_window`` (workers/story_linking.py; "off": no name is evidence), and prints per
stream the versions linked and the distractor pairs linked, as bench/crosslingual.py
scores them, and the same on the pairs whose two rows both carry a filing time. The
held-out parts (check/, held3/, held4/, held5/) are never read.

``--background`` mixes each stream with real news of the three languages re-dated into its
days (bench/_background.py, ``--per-day`` items a day) and adds two columns: the labelled
rows linked to a background row of another language (wrong: different events) and the
background rows linked across languages among themselves (reported, not scored).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._background import (  # noqa: E402
    FEEDS,
    PER_DAY,
    background,
    remember_every_embedding,
    wrong_background_links,
)
from bench.crosslingual import DATA, OWN_STREAMS, by_dating, pairs_of, share, together  # noqa: E402
from workers.cluster import ClusterConfig  # noqa: E402
from workers.cluster_eval import cluster_docs, to_doc  # noqa: E402
from workers.story_linking import DEFAULT_LINKING  # noqa: E402

STREAMS = (("set", DATA), *OWN_STREAMS)


def settings(shares: list[str], windows: list[int]) -> list[tuple[str, ClusterConfig]]:
    """One clusterer configuration per share and window ("off": names are no evidence)."""
    out = []
    for raw in shares:
        if raw == "off":
            link = replace(DEFAULT_LINKING, rare_name_share=None)
            default = " (default)" if link == DEFAULT_LINKING else ""
            out.append((f"off{default}", ClusterConfig(link=link)))
            continue
        for window in windows:
            link = replace(DEFAULT_LINKING, rare_name_share=float(raw), rare_name_window=window)
            default = " (default)" if link == DEFAULT_LINKING else ""
            out.append((f"share {raw}, window {window}{default}", ClusterConfig(link=link)))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shares", default="off,0.005,0.01,0.02")
    parser.add_argument("--windows", default="0,50,100")
    parser.add_argument(
        "--background",
        action="store_true",
        help="mix real news of en/uk/ru into each stream (bench/_background.py)",
    )
    parser.add_argument("--per-day", type=int, default=PER_DAY,
                        help="with --background: items a day")  # fmt: skip
    parser.add_argument("--streams", default=",".join(name for name, _ in STREAMS))
    args = parser.parse_args(argv)
    if args.background and not (FEEDS / "MANIFEST.tsv").exists():
        parser.error(f"--background: the shared feeds are not at {FEEDS}")
    runs = settings(args.shares.split(","), [int(w) for w in args.windows.split(",")])
    wanted = args.streams.split(",")
    extra = " | labelled linked to background | background linked across languages"
    print("| stream | setting | versions linked | distractor pairs | two timed: versions "
          f"| two timed: distractors{extra if args.background else ''} |\n"
          f"|---|---|---|---|---|---|{'---|---|' if args.background else ''}")  # fmt: skip
    if args.background:
        remember_every_embedding()
    for stream, path in (s for s in STREAMS if s[0] in wanted):
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
        rows, same, other = pairs_of(rows)
        mixed = background(rows, args.per_day) if args.background else []
        timed_same = by_dating(rows, same)["two timed"]
        timed_other = by_dating(rows, other)["two timed"]
        docs = sorted((to_doc(r) for r in [*rows, *mixed]), key=lambda d: d.published)
        for name, config in runs:
            story = dict(cluster_docs(docs, config))
            counts = ""
            if mixed:
                labelled, among = wrong_background_links(story, [*rows, *mixed])
                counts = f" {labelled}/{len(rows)} | {among}/{len(mixed)} |"
            print(f"| {stream} | {name} | {share(together(story, rows, same), len(same), 1)} | "
                  f"{share(together(story, rows, other), len(other), 2)} | "
                  f"{share(together(story, rows, timed_same), len(timed_same), 1)} | "
                  f"{share(together(story, rows, timed_other), len(timed_other), 2)} |{counts}",
                  flush=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
