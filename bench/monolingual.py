"""Same-language wrong merges: the story clusterer alone, per language, on the war news.

    .venv/bin/python bench/monolingual.py [--data FILE ...] [--list] [--feeds DIR]

The judged stream (bench/clustering.py) is English only; this measures the same-language
clusterer in Ukrainian and Russian too. It runs the service's decision path
(``workers.cluster_eval.cluster_docs``: near-duplicates, then the clusterer) with
cross-language linking off (``ClusterConfig(link=None)``: every language alone) over each
labelled stream, and counts, per language:

* **wrong merges**: pairs of reports in one language, of different developments, put into
  one story (a wrong merge hides a development: precision first);
* **versions together**: pairs of reports in one language of one development put into one
  story (a change that splits everything is no fix).

Streams (``--data``; default every tuning part, ``TUNING_PARTS``): the cross-lingual set
(bench/data/crosslingual/stream.jsonl), its dev part (dev/stream.jsonl: real,
independently written reports, several per language for most developments), its fresh
part (fresh/stream.jsonl) and the parts held3/, held4/, held5/ and held9/-held26/ (real reports
too, each tuning data since it was scored held out and retired). The held-out parts
(``HELD_OUT``) are never read here. ``--list`` prints every wrong pair with its
headlines. ``--feeds DIR`` (default ../shared/feeds/real beside the repo) also reads every
feed its MANIFEST.tsv marks Russian or Ukrainian (declared or not) through the service's
parse and normalize steps, clusters them the same way and prints each story of two or
more reports, to be read by hand (no labels there).
"""

from __future__ import annotations

import argparse
import collections
import itertools
import json
import sys
import time
import warnings
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service.models import FeedConfig  # noqa: E402
from workers.cluster import ClusterConfig, ClusterDoc  # noqa: E402
from workers.cluster_eval import cluster_docs, to_doc  # noqa: E402
from workers.normalize import normalize_entry  # noqa: E402
from workers.parse import parse_feed  # noqa: E402
from workers.story_stage import cluster_doc  # noqa: E402

SETS = ROOT / "bench" / "data" / "crosslingual"
TUNING_PARTS = (
    ".", "dev", "fresh", "held3", "held4", "held5", "held9", "held10", "held11", "held12",
    "held13", "held14", "held15", "held16", "held17", "held18", "held19", "held20",
    "held21", "held22", "held23", "held24", "held25", "held26",
)  # fmt: skip
STREAMS = tuple(SETS / part / "stream.jsonl" for part in TUNING_PARTS)
FEEDS = ROOT.parent / "shared" / "feeds" / "real"
# MANIFEST.tsv's language column for the feeds read with --feeds.
FEED_LANGUAGES = ("ru", "uk", "undeclared(ru?)", "undeclared(uk?)")
LANGUAGES = ("en", "uk", "ru")
MONO = ClusterConfig(link=None)
# Parts of the set scored only by the lead, once per frozen decision (README of the data).
HELD_OUT = (
    "check", "held6", "held7", "held8", "held27", "held28", "held29", "held30", "held31", "held32",
)  # fmt: skip


def score(rows: list[dict[str, Any]], story: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Per language: wrong pairs (a list of row pairs) and one-development pairs, in one
    story and in all."""
    out: dict[str, dict[str, Any]] = {}
    for a, b in itertools.combinations(rows, 2):
        if a["language"] != b["language"]:
            continue
        counts = out.setdefault(a["language"], {"wrong": [], "versions": 0, "together": 0})
        joined = story[a["id"]] == story[b["id"]]
        if a["development"] == b["development"]:
            counts["versions"] += 1
            counts["together"] += joined
        elif joined:
            counts["wrong"].append((a, b))
    return out


def labelled(path: Path, listing: bool) -> None:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    docs = sorted((to_doc(r) for r in rows), key=lambda d: d.published)
    started = time.perf_counter()
    story = dict(cluster_docs(docs, MONO))
    seconds = time.perf_counter() - started
    counts = score(rows, story)
    print(f"\n{path.relative_to(ROOT)}: {len(rows)} reports, {len(set(story.values()))} "
          f"stories ({seconds:.1f} s)\n\n| language | reports | wrong merges (pairs) | "
          "versions together (pairs) |\n|---|---:|---:|---:|")  # fmt: skip
    for language in (lang for lang in LANGUAGES if lang in counts):
        c = counts[language]
        reports = sum(r["language"] == language for r in rows)
        together = f"{c['together']} of {c['versions']}"
        print(f"| {language} | {reports} | {len(c['wrong'])} | {together} |")
    if listing:
        for language in (lang for lang in LANGUAGES if lang in counts):
            for a, b in counts[language]["wrong"]:
                print(f"\n[{language}] {a['development']} / {b['development']}")
                for r in (a, b):
                    print(f"  {r['published'][:16]} {r['id']}: {r['title']}")


def feed_docs(directory: Path) -> list[ClusterDoc]:
    """The documents of the feeds MANIFEST.tsv marks Russian or Ukrainian, normalized as
    the service does (an undated entry gets the fixed ``now`` below)."""
    manifest = directory.parent / "MANIFEST.tsv"
    now = datetime(2026, 2, 18, tzinfo=UTC)
    docs = []
    for line in manifest.read_text(encoding="utf-8").splitlines()[1:]:
        fields = line.split("\t")
        if len(fields) < 6 or fields[5] not in FEED_LANGUAGES:
            continue
        path = directory.parent / fields[0]
        url = path.resolve().as_uri()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parsed = parse_feed(path.read_bytes(), url)
        config = FeedConfig(url=url, name=parsed.title or path.name)
        for entry in parsed.entries:
            article = normalize_entry(entry, parsed, config, now=now, text_max_chars=2000)
            if article is not None:
                docs.append(cluster_doc(article))
    return sorted(docs, key=lambda d: d.published)


def feeds(directory: Path) -> None:
    docs = feed_docs(directory)
    story = dict(cluster_docs(docs, MONO))
    members: dict[str, list[ClusterDoc]] = collections.defaultdict(list)
    for doc in docs:
        members[story[doc.id]].append(doc)
    shared = [m for m in members.values() if len(m) > 1]
    languages = collections.Counter(d.language for d in docs)
    print(f"\n{directory}: {len(docs)} reports of the Russian and Ukrainian feeds "
          f"({dict(languages)}), {len(members)} stories, {len(shared)} of two or more "
          "reports:")  # fmt: skip
    for group in shared:
        print()
        for d in group:
            print(f"  [{d.language}] {d.published:%Y-%m-%d %H:%M} {d.outlet}: {d.title[:120]}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, nargs="+", default=list(STREAMS))
    parser.add_argument("--list", action="store_true", help="print every wrong pair")
    parser.add_argument("--feeds", type=Path, nargs="?", const=FEEDS, default=None,
                        help="also cluster the Russian and Ukrainian real feeds")  # fmt: skip
    args = parser.parse_args(argv)
    for path in args.data:
        if path.resolve().parent.name in HELD_OUT:
            parser.error(f"{path}: a held-out part is never read here")
        labelled(path.resolve(), args.list)
    if args.feeds is not None:
        feeds(args.feeds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
