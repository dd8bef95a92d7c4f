"""What the linker's retrieval by place costs a report, by how many live stories name its city.

    flock /tmp/lb-bench.lock .venv/bin/python bench/city_scan.py [BASE [OTHER]]
    flock /tmp/lb-bench.lock .venv/bin/python bench/city_scan.py main HEAD --stories 500,2000,8000

A briefing of a war names its capital in most stories: a report naming Kyiv that the
n-grams do not link looks for the closest story of another language naming Kyiv
(workers/story_linking.py, ``Linker._by_place``). Per revision (``git archive`` into a
temporary directory, each measured in a process of its own, the two alternating for
``--rounds``), a ``Linker`` with the shipped defaults is given N English stories, one kept
report each naming Kyiv, spread over the 47 h before the reports (all inside the
linker's window), and ``--reports`` Ukrainian reports naming Київ are retrieved for
(``_by_place`` alone, nothing scored by the n-grams). Two cases:

* **nearest**: no story is set apart, so the closest one is the candidate;
* **apart**: every story's headline names another date than the report's
  (``LinkReport.apart_from``), so none is a candidate: the worst case, every story
  examined by a scan that reads all of them.

Printed: microseconds per report (the best of three passes over the reports, each
round's), the mean microseconds a story's ``join`` took while the stories were built (the
index kept up to date), and whether both revisions found the same candidates.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._support import machine_line  # noqa: E402

HOUR = 3600.0
CASES = {
    # (story headline, report headline)
    "nearest": ("Strike on Kyiv: {i} buildings damaged", "Удар по Києву: пошкоджено будинки"),
    "apart": ("Strike on Kyiv on 3 March: {i} buildings damaged",
              "Удар по Києву 5 березня: пошкоджено будинки"),
}  # fmt: skip


def measure(stories: int, case: str, reports: int) -> dict[str, Any]:
    """Microseconds per report and the candidates found, by the ``workers`` importable."""
    from workers.story_linking import Linker

    story_title, report_title = CASES[case]
    linker = Linker()
    start = 100 * 24 * HOUR
    kept = [
        linker.read(f"en-{i}", "en", start + 47 * HOUR * i / stories, story_title.format(i=i),
                    "Air raid in Kyiv.")
        for i in range(stories)
    ]  # fmt: skip
    began = time.perf_counter()
    for i, report in enumerate(kept):
        linker.join(f"st_{i:05d}", report)
    joined = time.perf_counter() - began
    end = start + 47 * HOUR
    queries = [
        linker.read(f"uk-{j}", "uk", end + j, report_title, "Повітряна тривога в Києві.")
        for j in range(reports)
    ]
    best = float("inf")
    found: list[list[str]] = []
    for _ in range(3):
        began = time.perf_counter()
        found = [[sid for sid, _ in linker._by_place(q, set())] for q in queries]
        best = min(best, time.perf_counter() - began)
    return {"us": best / reports * 1e6, "join_us": joined / stories * 1e6, "found": found}


def run_revision(tree: str, sizes: Sequence[int], reports: int) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, __file__, "--measure", tree, ",".join(map(str, sizes)), str(reports)],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return dict(json.loads(out))


def export(revision: str, into: str) -> None:
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", revision], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", into], input=archive, check=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("base", nargs="?", default="main")
    parser.add_argument("other", nargs="?", default="HEAD")
    parser.add_argument("--stories", default="500,2000,8000")
    parser.add_argument("--reports", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=2)
    # The child process of one revision: its exported tree, the sizes, the reports.
    parser.add_argument("--measure", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        tree, sizes, reports = args.measure
        sys.path.insert(0, tree)
        result = {
            f"{n} {case}": measure(int(n), case, int(reports))
            for n in sizes.split(",")
            for case in CASES
        }
        print(json.dumps(result))
        return 0
    sizes = [int(n) for n in args.stories.split(",")]
    print(machine_line())
    revisions = (args.base, args.other)
    with tempfile.TemporaryDirectory() as base_tree, tempfile.TemporaryDirectory() as other_tree:
        trees = dict(zip(revisions, (base_tree, other_tree), strict=True))
        for revision, tree in trees.items():
            export(revision, tree)
        runs: dict[str, list[dict[str, Any]]] = {revision: [] for revision in revisions}
        for _ in range(args.rounds):
            for revision, tree in trees.items():
                runs[revision].append(run_revision(tree, sizes, args.reports))
    print(f"\n| live stories naming Kyiv | case | {args.base} µs/report | "
          f"{args.other} µs/report | join µs/story {args.base} / {args.other} | "
          "same candidates |\n|---:|---|---:|---:|---|---|")  # fmt: skip
    same = True
    for key in runs[args.base][0]:
        n, case = key.split()
        figures = [
            " / ".join(f"{run[key]['us']:,.1f}" for run in runs[revision]) for revision in revisions
        ]
        joins = " / ".join(
            f"{sum(run[key]['join_us'] for run in runs[revision]) / args.rounds:.1f}"
            for revision in revisions
        )
        agree = all(run[key]["found"] == runs[args.base][0][key]["found"]
                    for revision in revisions for run in runs[revision])  # fmt: skip
        same &= agree
        verdict = "yes" if agree else "NO"
        print(f"| {int(n):,} | {case} | {figures[0]} | {figures[1]} | {joins} | {verdict} |")
    print(f"\n{machine_line()}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
