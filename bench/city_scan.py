"""What the linker's retrieval by place costs a report, by how many live stories name its city.

    flock /tmp/lb-bench.lock .venv/bin/python bench/city_scan.py [BASE [OTHER]]
    flock /tmp/lb-bench.lock .venv/bin/python bench/city_scan.py main HEAD --stories 500,2000,8000
    flock /tmp/lb-bench.lock .venv/bin/python bench/city_scan.py BASE HEAD --restore --stories 8000

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

``--restore`` measures instead what restoring the linker from its snapshot costs
(``Linker.restore`` of the snapshot read back from JSON, the best of three): N stories of
three kept reports each, in English, naming two of four cities, at random times over 47 h
(the index is derived from the kept reports at restore; the snapshot holds none of it).

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

from bench._support import export_revision, machine_line  # noqa: E402

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


def measure_restore(stories: int) -> dict[str, Any]:
    """Milliseconds ``Linker.restore`` takes for ``stories`` stories of three kept reports
    naming two cities, and whether the restored linker retrieves as the one kept."""
    import random

    from workers.story_linking import Linker

    rng = random.Random(stories)
    cities = ["Kyiv", "Kharkiv", "Odesa", "Lviv"]
    linker = Linker()
    start = 100 * 24 * HOUR
    for i in range(stories * 3):
        two = rng.sample(cities, 2)
        report = linker.read(f"en-{i}", "en", start + rng.uniform(0.0, 47 * HOUR),
                             f"Strike on {two[0]} and {two[1]}", "Air raid.")  # fmt: skip
        linker.join(f"st_{i % stories:05d}", report)
    state = json.loads(json.dumps(linker.snapshot()))
    copies = [json.loads(json.dumps(state)) for _ in range(3)]  # read back outside the timing
    best = float("inf")
    for copy in copies:
        began = time.perf_counter()
        restored = Linker.restore(copy)
        best = min(best, time.perf_counter() - began)
    query = linker.read("uk-1", "uk", start + 47 * HOUR, "Удар по Києву", "Тривога в Києві.")
    same = restored._by_place(query, set()) == linker._by_place(query, set())
    return {"ms": best * 1e3, "same": same}


def run_revision(
    tree: str, sizes: Sequence[int], reports: int, restore: bool = False
) -> dict[str, Any]:
    mode = ["--restore"] if restore else []
    out = subprocess.run(
        [sys.executable, __file__, *mode, "--measure", tree, ",".join(map(str, sizes)),
         str(reports)],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return dict(json.loads(out))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("base", nargs="?", default="main")
    parser.add_argument("other", nargs="?", default="HEAD")
    parser.add_argument("--stories", default="500,2000,8000")
    parser.add_argument("--reports", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--restore", action="store_true", help="time Linker.restore instead")
    # The child process of one revision: its exported tree, the sizes, the reports.
    parser.add_argument("--measure", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:
        tree, sizes, reports = args.measure
        sys.path.insert(0, tree)
        if args.restore:
            print(json.dumps({n: measure_restore(int(n)) for n in sizes.split(",")}))
            return 0
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
            export_revision(revision, tree)
        runs: dict[str, list[dict[str, Any]]] = {revision: [] for revision in revisions}
        for _ in range(args.rounds):
            for revision, tree in trees.items():
                runs[revision].append(run_revision(tree, sizes, args.reports, args.restore))
    if args.restore:
        return print_restore(runs, revisions, sizes)
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


def print_restore(
    runs: dict[str, list[dict[str, Any]]], revisions: Sequence[str], sizes: Sequence[int]
) -> int:
    print(f"\n| stories (3 kept reports each) | {revisions[0]} restore ms | "
          f"{revisions[1]} restore ms | same retrieval after restore |")  # fmt: skip
    print("|---:|---:|---:|---|")
    same = True
    for n in map(str, sizes):
        figures = [" / ".join(f"{run[n]['ms']:,.1f}" for run in runs[r]) for r in revisions]
        agree = all(run[n]["same"] for r in revisions for run in runs[r])
        same &= agree
        print(f"| {int(n):,} | {figures[0]} | {figures[1]} | {'yes' if agree else 'NO'} |")
    print(f"\n{machine_line()}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
