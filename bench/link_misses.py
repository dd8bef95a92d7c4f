"""Where the linker loses versions: every missed cross-language version pair, by cause.

    .venv/bin/python bench/link_misses.py [--data PATH] [--list] [--hours] [--day-hours READING]
    .venv/bin/python bench/link_misses.py --data bench/data/crosslingual/fresh/stream.jsonl
    .venv/bin/python bench/link_misses.py --parts [--list] [--texts]

Runs the service's decision path (``cluster_docs``, the default ``LinkConfig``) over one
stream, watching the n-grams' triage of each report and every answered link check, then
puts each version pair (two rows of one development in two languages) that ended in two
stories under the first cause that holds, looked up from the later row's side:

=================  ===========================================================================
``own language``   the later row joined a story of its own language and no triage ran (the
                   story already held a report in another language, or
                   ``LinkConfig.recheck_grown`` is off), and no check compared the two
                   stories after
``no shared gram`` triage ran, the other row's story shared no n-gram with it
``below floor``    it shared some, below ``gram_floor``
``not in top``     above the floor, outside the ``max_candidates`` best
``filtered``       in the top, left out by the window or the calendar (another day's item,
                   headlines naming other dates)
``n-grams elsewhere`` the n-grams linked the row at once to another story
``cosine < 0.80``  a check compared the two stories: the embedding cosine under the place band
``band, nothing``  0.80 <= cosine < 0.90, but no place or count in common
``hours``          the decision refused on the hours (20 h or more between first reports,
                   read as ``LinkConfig.day_hours`` says, or as ``--day-hours``);
                   split by how many of the two stories' first reports are dated by
                   their day only (none, one, both)
``band, no check`` in the band, but no answered check compared the two (dropped)
``refused``        the decision linked the candidate but the check merged another or none,
                   named by ``Clusterer.link_verdicts`` (the rule of the check that refused
                   it, workers/cluster.py ``LINK_REFUSALS``): ``own outlet``
                   (workers/kept_apart.py), ``timed tie`` or ``nearer rival``
                   (workers/nearer_rival.py), ``preview``, ``reaction``, ``procedure
                   step``, ``commentary``, or past those ``another day`` (another day's
                   development than a story taken before it, by the calendar), ``best
                   apart`` (the best grew apart since the check: nothing linked), ``not a
                   part`` (a further candidate in a language the taken stories hold,
                   neither a split part nor a shared place or count near the best)
=================  ===========================================================================

A missed pair is also flagged a *same-language split* when a row of its development in
the language of one of its rows sits in the other row's story (``split_twin``): that
language's clusterer split the development, one half linked and the half holding the
pair's row did not (a same-language recall matter).

Beside each cause: how many of its pairs have both rows carrying a time (``date_only``
rows are stamped 00:00 of their offset: their day is known, their hour is not).

``--hours`` adds what the hours rule weighs: where the two stories' beginnings stand by
their filing intervals (workers/filing_time.py, ``Filed``; ``filings_apart``), the missed
pairs of the ``hours`` causes by that, and beside them every checked candidate that only
the hours refused (linked with 0 h between the stories), of one development (a version)
or of another: what a looser hours rule in that cell would gain and what it would let
through.

``--parts`` runs every tuning part of real reports in its own stream (dev, fresh, held3,
held4, held5, held9-held26: ``bench/crosslingual.py``'s ``OWN_STREAMS``) and prints their
causes side by side. ``--texts`` lists, under each missed pair of a band, hours, cosine or
timed cause, the two texts its best check compared with what the band reads in them
(``specific_places``, ``counts``): what was left to read a missed version by.

Tuning data only: the dev, fresh, held3, held4, held5 and held9-held26 parts (each retired
from held-out into tuning). The held-out parts (bench/data/crosslingual/check/, held6/,
held7/, held8/, held27/-held32/) are never read here.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.crosslingual import OWN_STREAMS, pairs_of  # noqa: E402
from bench.fit_link_check import DEV, read_rows, timed  # noqa: E402
from workers.cluster import ClusterConfig, Clusterer  # noqa: E402
from workers.cluster_eval import cluster_docs, to_doc  # noqa: E402
from workers.filing_time import READINGS, Filed, seconds_apart  # noqa: E402
from workers.link_checks import LinkCheck  # noqa: E402
from workers.link_counts import counts  # noqa: E402
from workers.link_evidence import LinkEvidence, linked  # noqa: E402
from workers.places import specific_places  # noqa: E402
from workers.story_linking import DEFAULT_LINKING, LinkConfig, Linker, LinkReport  # noqa: E402

Members = frozenset[str]
# Where the timed hours cause is split: versions filed within half a day of each other and
# later ones.
HALF_DAY = 12.0
# The row of ``--parts``' table counting the missed pairs of every cause that are a
# same-language split (``split_twin``).
SPLIT = "(of them a same-language split)"


@dataclass
class Triage:
    """What the n-grams said of one report: every other-language story they scored (its
    members, n-gram cosine, rank), those the band kept, and the story linked at once."""

    scored: list[tuple[Members, float, int]] = field(default_factory=list)
    band: list[Members] = field(default_factory=list)
    linked: Members | None = None


@dataclass
class Compared:
    """One candidate of an answered check."""

    own: Members
    other: Members
    cosine: float
    hours: float
    shared: bool
    decided: bool
    firsts: tuple[str, str]  # the two stories' first reports
    began: tuple[Filed, Filed] | None = None  # when the two stories began
    hours_only: bool = False  # refused, and linked with 0 h between the stories
    texts: tuple[str, tuple[str, ...]] = ("", ())  # the newcomer's text, the candidate's
    evidence: LinkEvidence | None = None
    rule: str = ""  # what the check did with it (``Clusterer.link_verdicts``)


@dataclass
class Watch:
    """What the run showed: triage per article id, every answered check's candidates."""

    triage: dict[str, Triage] = field(default_factory=dict)
    compared: list[Compared] = field(default_factory=list)
    merged: list[tuple[Members, Members]] = field(default_factory=list)


def watched_run(rows: list[dict[str, Any]], link: LinkConfig) -> tuple[dict[str, str], Watch]:
    """The decision path over ``rows``, with the triage and checks recorded."""
    watch = Watch()
    current: list[Clusterer] = []
    original_add, original_triage = Clusterer.add, Linker.triage

    def first(sid: str) -> str:
        story = current[0]._stories[sid]
        return min(story.members, key=lambda m: m.published).article_id

    def members(sid: str) -> Members:
        story = current[0]._stories.get(sid)
        return frozenset(m.article_id for m in story.members) if story else frozenset()

    def add(self: Clusterer, doc: Any, now: datetime) -> Any:
        if not current:
            current.append(self)
        return original_add(self, doc, now)

    def triage(self: Linker, report: LinkReport, at_once: bool = True,
               held: Callable[[str], bool] | None = None) -> Any:  # fmt: skip
        result = original_triage(self, report, at_once, held)
        seen = Triage()
        limit = self.config.max_candidates
        try:
            self.config = _with(self.config, max_candidates=10_000)
            everything = self._candidates(report)
        finally:
            self.config = _with(self.config, max_candidates=limit)
        for rank, (gram, sid) in enumerate(everything):
            seen.scored.append((members(sid), gram, rank))
        seen.band = [members(sid) for sid, _ in result[1]]
        if result[0] is not None:
            seen.linked = members(result[0])
        watch.triage[report.article_id] = seen
        return result

    def observe(clusterer: Clusterer, check: LinkCheck, scores: list[float]) -> None:
        own = members(check.story)
        cfg = clusterer.config.link or DEFAULT_LINKING
        everything = clusterer.link_evidence(check.id, scores)
        rules = clusterer.link_verdicts(check.id, scores)
        for (target, texts), evidence, rule in zip(check.candidates, everything, rules,
                                                   strict=True):  # fmt: skip
            if evidence is None:
                continue
            firsts = (first(check.story), first(target))
            decided = linked(evidence, cfg)
            stories = current[0]._stories
            began = (stories[check.story].began, stories[target].began)
            watch.compared.append(
                Compared(
                    own,
                    members(target),
                    evidence.cosine,
                    evidence.hours,
                    evidence.shared,
                    decided,
                    firsts,
                    began,
                    refused_on_hours(evidence, cfg),
                    (check.text, tuple(texts)),
                    evidence,
                    rule,
                )
            )

    Clusterer.add = add  # type: ignore[method-assign]
    Linker.triage = triage  # type: ignore[method-assign]
    try:
        docs = sorted((to_doc(r) for r in rows), key=lambda d: d.published)
        story = dict(cluster_docs(docs, ClusterConfig(link=link), observe=observe))
    finally:
        Clusterer.add = original_add  # type: ignore[method-assign]
        Linker.triage = original_triage  # type: ignore[method-assign]
    return story, watch


def _with(config: LinkConfig, **changes: Any) -> LinkConfig:
    return dataclasses.replace(config, **changes)


def checks_between(a: str, b: str, watch: Watch) -> list[Compared]:
    """The answered checks' candidates that compared the stories of rows ``a`` and ``b``."""
    return [c for c in watch.compared
            if (a in c.own and b in c.other) or (b in c.own and a in c.other)]  # fmt: skip


def refused_on_hours(evidence: LinkEvidence, link: LinkConfig) -> bool:
    """Whether the decision refused ``evidence`` for the hours alone: it links the same
    evidence with the two stories begun at one instant."""
    at_once = dataclasses.replace(evidence, hours=0.0, band_hours=None)
    return not linked(evidence, link) and linked(at_once, link)


def filings_apart(a: Filed, b: Filed, apart_hours: float) -> str:
    """Where two stories' beginnings stand by their filing intervals: both timed; filed
    ``apart_hours`` or more apart by the least hours their intervals allow; two days
    closer than that (consecutive days, or one day in two zones); a timed beginning
    within the day-dated one's day; or outside it, less than ``apart_hours`` away."""
    if not a.day_dated and not b.day_dated:
        return "both timed"
    if seconds_apart(a, b, "interval") >= apart_hours * 3600.0:
        return f"{apart_hours:g} h or more between any instants"
    if a.day_dated and b.day_dated:
        return "two days, consecutive"
    if seconds_apart(a, b, "interval") == 0.0:
        return "timed within the day"
    return f"timed outside the day, under {apart_hours:g} h"


def cause(a: str, b: str, watch: Watch, link: LinkConfig, has_time: dict[str, bool]) -> str:
    """Why rows ``a`` (earlier) and ``b`` (later) ended apart (the module docstring)."""
    checks = checks_between(a, b, watch)
    if checks:
        decided = [c for c in checks if c.decided]
        if decided:
            rule = max(decided, key=lambda c: c.cosine).rule
            return f"refused: {rule}" if rule else "refused"
        best = max(checks, key=lambda c: c.cosine)
        return refusal(best, link, has_time)
    seen = watch.triage.get(b)
    if seen is None:
        return "own language"
    if seen.linked is not None and a not in seen.linked:
        return "n-grams elsewhere"
    for members, gram, rank in seen.scored:
        if a in members:
            if gram < link.gram_floor:
                return "below floor"
            if rank >= link.max_candidates:
                return "not in top"
            if not any(a in m for m in seen.band):
                return "filtered"
            return "band, no check"
    return "no shared gram"


def refusal(best: Compared, link: LinkConfig, has_time: dict[str, bool]) -> str:
    """Which of the decision's rules refused the best check between two stories: the
    cosine under the place band, the timed stories' knobs (their place band from
    ``timed_place_cosine``, their hours from ``timed_apart_hours``: the candidate links
    read as two untimed stories), the hours, or the band with nothing shared."""
    place = link.place_cosine if link.place_cosine is not None else link.same_cosine
    evidence = best.evidence
    if best.cosine < place or evidence is None:
        return f"cosine < {place:.2f}"
    if evidence.timed and linked(dataclasses.replace(evidence, timed=False), link):
        timed_place = link.timed_place_cosine or place
        if evidence.cosine < timed_place:
            return f"timed, place band {place:.2f}-{timed_place:.2f}"
        low, high = link.timed_apart_hours or link.apart_hours, link.apart_hours
        return (f"timed, hours {low:g}-{HALF_DAY:g}" if evidence.hours < HALF_DAY
                else f"timed, hours {HALF_DAY:g}-{high:g}")  # fmt: skip
    if refused_on_hours(evidence, link):
        dated_by_day = sum(not has_time[f] for f in best.firsts)
        return ("hours, timed", "hours, one first report date-only",
                "hours, both first reports date-only")[dated_by_day]  # fmt: skip
    if evidence.cosine < link.same_cosine and not evidence.shared:
        return "band, nothing shared"
    return "other rule"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEV)
    parser.add_argument("--parts", action="store_true",
                        help="every tuning part in its own stream, side by side")  # fmt: skip
    parser.add_argument("--list", action="store_true", help="print every missed pair")
    parser.add_argument("--texts", action="store_true",
                        help="with --list: a check's two texts, what they read")  # fmt: skip
    parser.add_argument("--hours", action="store_true",
                        help="the hours causes by where the filings stand, and the "
                             "candidates only the hours refused")  # fmt: skip
    parser.add_argument("--day-hours", choices=READINGS, default=DEFAULT_LINKING.day_hours,
                        help="how a date-only first report's hours are read")  # fmt: skip
    args = parser.parse_args(argv)
    link = _with(DEFAULT_LINKING, day_hours=args.day_hours)
    streams = list(OWN_STREAMS) if args.parts else [(args.data.parent.name, args.data)]
    table: dict[str, Counter[str]] = {}
    for name, path in streams:
        table[name] = misses(path, link, args)
    if len(table) > 1:
        names = list(table)
        total: Counter[str] = sum(table.values(), Counter())
        print(f"\n| cause | {' | '.join(names)} | parts |\n|---|{'---:|' * (len(names) + 1)}")
        for why, _ in total.most_common():
            print(f"| {why} | {' | '.join(str(table[n][why]) for n in names)} | "
                  f"{sum(bool(table[n][why]) for n in names)} |")  # fmt: skip
        alls = [sum(n for why, n in table[name].items() if why != SPLIT) for name in names]
        print(f"| **all** | {' | '.join(map(str, alls))} | |")
    return 0


def misses(path: Path, link: LinkConfig, args: argparse.Namespace) -> Counter[str]:
    """Run one stream, print its missed pairs by cause (and what ``args`` asks), and
    return the count per cause."""
    rows = read_rows(path)
    rows, same, _ = pairs_of(rows)
    has_time = timed(rows)
    story, watch = watched_run(rows, link)
    causes: Counter[str] = Counter()
    on_time: Counter[str] = Counter()
    split: Counter[str] = Counter()
    listed: dict[str, list[str]] = defaultdict(list)
    missed = 0
    for i, j in same:
        a, b = rows[i], rows[j]
        if story[a["id"]] == story[b["id"]]:
            continue
        missed += 1
        both_timed = has_time[a["id"]] and has_time[b["id"]]
        why = cause(a["id"], b["id"], watch, link, has_time)
        causes[why] += 1
        on_time[why] += both_timed
        twin = split_twin(a, b, rows, story)
        split[why] += twin is not None
        mark = f" [split: {twin['language']} twin {twin['id']}]" if twin else ""
        listed[why].append(f"  {a['development']}: {a['language']} {a['title'][:60]!r} / "
                           f"{b['language']} {b['title'][:60]!r}{mark}")  # fmt: skip
        if args.texts and why.startswith(("band", "hours", "cosine", "timed")):
            listed[why].append(compared_texts(a["id"], b["id"], watch))
    print(f"{path}: {len(same) - missed}/{len(same)} versions linked, {missed} missed")
    print("\n| cause | missed pairs | of them both timed | of them a same-language split |"
          "\n|---|---:|---:|---:|")  # fmt: skip
    for why, n in causes.most_common():
        print(f"| {why} | {n} | {on_time[why]} | {split[why]} |")
    causes[SPLIT] = sum(split.values())
    never = [r["id"] for r in rows if r["id"] not in watch.triage]
    print(f"\nrows never triaged (joined their language's story): {len(never)}/{len(rows)}")
    if args.hours:
        missed_pairs = [(rows[i]["id"], rows[j]["id"]) for i, j in same
                        if story[rows[i]["id"]] != story[rows[j]["id"]]]  # fmt: skip
        print_hours(watch, link, missed_pairs, {r["id"]: r["development"] for r in rows},
                    args.list)  # fmt: skip
    if args.list:
        for why, lines in listed.items():
            print(f"\n{why}:")
            print("\n".join(lines))
    return causes


def split_twin(
    a: dict[str, Any], b: dict[str, Any], rows: list[dict[str, Any]], story: dict[str, str]
) -> dict[str, Any] | None:
    """A row of the development of missed pair ``a`` / ``b`` in the language of one of
    them that sits in the other's story: that language's clusterer split the development,
    and the half the pair's row is in stayed unlinked (None: no such twin)."""
    for mine, theirs in ((a, b), (b, a)):
        for row in rows:
            if (row["development"] == mine["development"] and row["id"] != mine["id"]
                    and row["language"] == mine["language"]
                    and story[row["id"]] == story[theirs["id"]]):  # fmt: skip
                return row
    return None


def compared_texts(a: str, b: str, watch: Watch) -> str:
    """The two texts the best check between the stories of ``a`` and ``b`` compared, with
    the cosine and what the band reads in each (places, counts)."""
    best = max(checks_between(a, b, watch), key=lambda c: c.cosine)
    text, others = best.texts
    lines = [f"    {best.cosine:.3f}, {best.hours:.1f} h"]
    for t in (text, *others):
        lines.append(f"    | {t[:240]!r}\n    |   places {sorted(specific_places(t))} "
                     f"counts {sorted(counts(t))}")  # fmt: skip
    return "\n".join(lines)


def print_hours(
    watch: Watch,
    link: LinkConfig,
    missed: list[tuple[str, str]],
    development: dict[str, str],
    listing: bool,
) -> None:
    """The ``--hours`` table (the module docstring): per ``filings_apart`` cell, the missed
    pairs of the hours causes, and the checked candidates only the hours refused."""
    pairs: Counter[str] = Counter()
    for a, b in missed:
        checks = checks_between(a, b, watch)
        best = max(checks, key=lambda c: c.cosine) if checks else None
        if best is not None and best.hours_only and best.began is not None:
            pairs[filings_apart(*best.began, link.apart_hours)] += 1
    versions: Counter[str] = Counter()
    others: Counter[str] = Counter()
    lines: list[str] = []
    for c in watch.compared:
        if not c.hours_only or c.began is None:
            continue
        cell = filings_apart(*c.began, link.apart_hours)
        ours = {development[m] for m in c.own}
        theirs = {development[m] for m in c.other}
        version = bool(ours & theirs)
        (versions if version else others)[cell] += 1
        lines.append(f"  {'version' if version else 'other'} {c.cosine:.3f} "
                     f"{'shared ' if c.shared else ''}{c.hours:.1f} h, {cell}: "
                     f"{sorted(ours)} / {sorted(theirs)}")  # fmt: skip
    print("\n| filings of the two stories' first reports | missed pairs (hours) "
          "| candidates refused on the hours: versions | other developments |"
          "\n|---|---:|---:|---:|")  # fmt: skip
    for cell in sorted(set(pairs) | set(versions) | set(others)):
        print(f"| {cell} | {pairs[cell]} | {versions[cell]} | {others[cell]} |")
    if listing:
        print("\ncandidates refused on the hours:")
        print("\n".join(sorted(lines, reverse=True)))


if __name__ == "__main__":
    raise SystemExit(main())
