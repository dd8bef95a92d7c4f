"""Two installs on one host sharing the host cache: a worker's start CPU, starts alternating.

    .venv/bin/python bench/host_cache_installs.py \\
        --install main=/work/main/.venv/bin/python@/path/to/code \\
        --install ours=.venv/bin/python@. [--role process] [--starts 4]

Each ``--install NAME=PYTHON@CODE`` is a virtualenv's interpreter (its packages' data, so
its copies' sources: workers/host_cache.py names a copy after its source's path) running
the service's code at CODE (``python -m service.cli`` from that directory, so CODE's
modules come first). The installs' ``briefing worker --role ROLE`` start in turn, ``--starts``
times each, against one fresh Redis on 127.0.0.1 and one host cache (a fresh
``XDG_CACHE_HOME`` for the run, so the first start of each install writes its copies);
each is stopped once it logs ``workers running``.

Printed per start: the install, the CPU seconds of the worker and its children from launch
to that line (/proc), the wall time, and the copies it wrote (``host cache: writing``
lines of its log). With two installs each deriving its copies once, every start after the
first of each reads them; an install whose copy the other removed writes it again.
Results: docs/benchmarks.md ("Host cache shared by two installs").
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._support import (
    Processes,
    load_average,
    machine_line,
    start_redis,
    worker_start,
)

WRITING = "host cache: writing"


def parse_install(text: str) -> tuple[str, Path, Path]:
    name, _, rest = text.partition("=")
    python, _, code = rest.partition("@")
    if not (name and python and code):
        raise argparse.ArgumentTypeError(f"expected NAME=PYTHON@CODE, got {text!r}")
    return name, Path(python).absolute(), Path(code).resolve()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--install", type=parse_install, action="append", required=True)
    parser.add_argument("--role", default="process")
    parser.add_argument("--starts", type=int, default=4, help="starts of each install")
    args = parser.parse_args()
    print(machine_line(), flush=True)
    print(f"load {load_average()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-host-cache-") as tmp_dir:
        tmp = Path(tmp_dir)
        procs = Processes(tmp)
        try:
            _, redis_url = start_redis(procs, tmp)
            env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_")}
            env |= {
                "REDIS_URL": redis_url,
                "BRIEFING_DATA_DIR": str(tmp / "data"),
                "XDG_CACHE_HOME": str(tmp / "cache"),
            }
            env.pop("PYTHONPATH", None)
            totals: dict[str, list[float]] = {}
            for start in range(args.starts):
                for name, python, code in args.install:
                    log = tmp / f"{name}-{start}.log"
                    cpu, wall = worker_start(python, code, args.role, env, log)
                    written = log.read_text(errors="replace").count(WRITING)
                    if start > 0:
                        totals.setdefault(name, []).append(cpu)
                    print(
                        f"start {start + 1} {name:>8}: {cpu:.2f} s CPU, {wall:.2f} s wall, "
                        f"{written} copies written",
                        flush=True,
                    )
            for name, cpus in totals.items():
                print(f"{name}: starts after the first {min(cpus):.2f}-{max(cpus):.2f} s CPU")
        finally:
            procs.stop()
    print(f"load {load_average()}", flush=True)


if __name__ == "__main__":
    main()
