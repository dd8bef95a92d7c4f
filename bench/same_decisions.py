"""Whether two revisions of the code decide alike: each article's story and the final state.

    .venv/bin/python bench/same_decisions.py BASE [OTHER]

A change said to leave decisions identical (a faster loop, another data structure) is
checked here rather than trusted: BASE and OTHER (git revisions; OTHER defaults to
``HEAD``) are each exported with ``git archive`` into a temporary directory and run in a
process of their own, through the service's decision path
(``workers.cluster_eval.cluster_docs``: near-duplicates, the clusterer, cross-language
links when a stream holds several languages), over the tuning streams in ``STREAMS``
(never a held-out part). Per stream it prints whether the two agree on

* **decisions**: every article's story, in stream order;
* **state**: the SHA-256 of the decider's final snapshot (``StoryDecider.snapshot``, JSON
  with sorted keys), which holds every centroid weight, document frequency and
  near-duplicate signature, so a float summed in another order shows even when no
  decision moved.
* **views**: the SHA-256 of the story as each article left it (``StoryUpdate.story``:
  headline, summary, keywords, places, members), which the snapshot does not hold all
  of (a story's keywords are ranked when it is read).

The exit status is 0 when every stream agrees on both.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import hashlib
import json
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._support import export_revision  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
CROSSLINGUAL = ROOT / "bench" / "data" / "crosslingual"
# Tuning data only: the judged English stream, UCI headlines, the cross-language set and
# its tuning parts (bench/crosslingual.py's ``OWN_STREAMS``), read from this checkout,
# so both revisions see the same rows.
STREAMS = {
    "stream-dev": SHARED / "stream-dev.jsonl.gz",
    "uci-dev": SHARED / "uci-news-dev.jsonl.gz",
    "crosslingual set": CROSSLINGUAL / "stream.jsonl",
    "crosslingual dev": CROSSLINGUAL / "dev" / "stream.jsonl",
    "crosslingual fresh": CROSSLINGUAL / "fresh" / "stream.jsonl",
    "crosslingual held3": CROSSLINGUAL / "held3" / "stream.jsonl",
    "crosslingual held4": CROSSLINGUAL / "held4" / "stream.jsonl",
    "crosslingual held5": CROSSLINGUAL / "held5" / "stream.jsonl",
    "crosslingual held9": CROSSLINGUAL / "held9" / "stream.jsonl",
    "crosslingual held10": CROSSLINGUAL / "held10" / "stream.jsonl",
    "crosslingual held11": CROSSLINGUAL / "held11" / "stream.jsonl",
    "crosslingual held12": CROSSLINGUAL / "held12" / "stream.jsonl",
    "crosslingual held13": CROSSLINGUAL / "held13" / "stream.jsonl",
    "crosslingual held14": CROSSLINGUAL / "held14" / "stream.jsonl",
    "crosslingual held15": CROSSLINGUAL / "held15" / "stream.jsonl",
    "crosslingual held16": CROSSLINGUAL / "held16" / "stream.jsonl",
    "crosslingual held17": CROSSLINGUAL / "held17" / "stream.jsonl",
    "crosslingual held18": CROSSLINGUAL / "held18" / "stream.jsonl",
    "crosslingual held19": CROSSLINGUAL / "held19" / "stream.jsonl",
    "crosslingual held20": CROSSLINGUAL / "held20" / "stream.jsonl",
    "crosslingual held21": CROSSLINGUAL / "held21" / "stream.jsonl",
    "crosslingual held22": CROSSLINGUAL / "held22" / "stream.jsonl",
    "crosslingual held23": CROSSLINGUAL / "held23" / "stream.jsonl",
    "crosslingual held24": CROSSLINGUAL / "held24" / "stream.jsonl",
    "crosslingual held25": CROSSLINGUAL / "held25" / "stream.jsonl",
    "crosslingual held26": CROSSLINGUAL / "held26" / "stream.jsonl",
}


def rows_of(path: Path) -> list[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def decide(streams: dict[str, Path]) -> dict[str, dict[str, Any]]:
    """Per stream, the (article, story) pairs and the hash of the final state, by the code
    importable as ``workers`` (the revision whose root is first on ``sys.path``)."""
    import workers.cluster_eval as cluster_eval

    if not Path(cluster_eval.__file__).is_relative_to(sys.path[0]):
        raise RuntimeError(f"workers imported from {cluster_eval.__file__}, not {sys.path[0]}")
    made: list[Any] = []
    views = hashlib.sha256()
    decider_class = cluster_eval.StoryDecider

    class Kept(decider_class):  # type: ignore[misc,valid-type]
        """The decider ``cluster_docs`` makes, kept to read its final state (any revision's
        ``cluster_docs`` makes its own and returns only the decisions), and each story as
        an article left it."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            made.append(self)

        def cluster(self, *args: Any, **kwargs: Any) -> Any:
            update = super().cluster(*args, **kwargs)
            view = dataclasses.asdict(update.story)
            views.update(json.dumps(view, sort_keys=True, default=str).encode())
            return update

    cluster_eval.StoryDecider = Kept  # type: ignore[misc]
    try:
        out = {}
        for name, path in streams.items():
            docs = sorted(map(cluster_eval.to_doc, rows_of(path)), key=lambda d: d.published)
            placed = [list(pair) for pair in cluster_eval.cluster_docs(docs)]
            state = json.dumps(made[-1].snapshot(), sort_keys=True, default=str)
            out[name] = {"placed": placed, "state": hashlib.sha256(state.encode()).hexdigest(),
                         "views": views.hexdigest()}  # fmt: skip
            views = hashlib.sha256()
        return out
    finally:
        cluster_eval.StoryDecider = decider_class  # type: ignore[misc]


def differences(base: dict[str, Any], other: dict[str, Any]) -> dict[str, list[str]]:
    """Per stream, what differs: "decisions" (with the first article placed apart),
    "state" and/or "views" (the stories as each article left them); an empty list when
    the two agree."""
    out: dict[str, list[str]] = {}
    for name in base:
        found = []
        if base[name]["placed"] != other[name]["placed"]:
            moved = next(
                (a for (a, s), (_, t) in zip(base[name]["placed"], other[name]["placed"],
                                             strict=False) if s != t),
                "a different number of articles",
            )  # fmt: skip
            found.append(f"decisions (first: {moved})")
        if base[name]["state"] != other[name]["state"]:
            found.append("state")
        if base[name]["views"] != other[name]["views"]:
            found.append("views")
        out[name] = found
    return out


def run_revision(revision: str, streams: dict[str, Path]) -> dict[str, Any]:
    """``decide`` by the code of ``revision``, exported into a temporary directory."""
    with tempfile.TemporaryDirectory(prefix="same-decisions-") as tree:
        export_revision(revision, tree)
        out = Path(tree) / "decisions.json"
        subprocess.run(
            [sys.executable, __file__, "--decide", tree, str(out), json.dumps(
                {name: str(path) for name, path in streams.items()})],
            check=True,
        )  # fmt: skip
        return dict(json.loads(out.read_text()))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("base", nargs="?")
    parser.add_argument("other", nargs="?", default="HEAD")
    # The child process of one revision: its exported tree, where to write, the streams.
    parser.add_argument("--decide", nargs=3, metavar=("TREE", "OUT", "STREAMS"),
                        help=argparse.SUPPRESS)  # fmt: skip
    args = parser.parse_args(argv)
    if args.decide:
        tree, out, streams = args.decide
        sys.path.insert(0, tree)
        decided = decide({name: Path(path) for name, path in json.loads(streams).items()})
        Path(out).write_text(json.dumps(decided))
        return 0
    if args.base is None:
        parser.error("BASE: the revision to compare with")
    runs = [run_revision(revision, STREAMS) for revision in (args.base, args.other)]
    found = differences(*runs)
    print(f"| stream | articles | {args.base} vs {args.other} |\n|---|---:|---|")
    for name, what in found.items():
        verdict = "differ: " + ", ".join(what) if what else "identical decisions, state and views"
        print(f"| {name} | {len(runs[0][name]['placed'])} | {verdict} |")
    return 1 if any(found.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
