"""Each process's start, the CPU from its launch until it is ready, installs alternating.

    .venv/bin/python bench/starts.py --install main=/path/to/main-checkout \\
        --install ours=. [--starts 3]

Each ``--install NAME=CHECKOUT`` is a checkout with its own virtualenv (``.venv``). In turn,
``--starts`` times each: ``briefing worker --role process`` and ``--role fetch`` from launch
to their ``workers running`` line (the worker process alone, /proc: a fetch worker's parse
processes start beside its first claims and are measured apart), and one parse process
(workers/parse_pool.py with the fetch stage's warm-up, ``warm_worker``) and one link-check
child (the process stage's, which loads the embedding model) from launch until it reports
ready: the processes case (cold) of bench/ingest.py starts, the link-check child at a
partition's first check.

Every install has a host cache of its own (``XDG_CACHE_HOME`` under the run's directory),
written by a first start that is not counted; one Redis on 127.0.0.1 for all, emptied
before each start. The config is bench/ingest.py's cold case: its 153 feeds (on an address
nothing serves, so the fetch worker's first polls fail fast) and the default briefings.
``--compiled``: the checkouts' own modules (service/, workers/) compiled first, as an
installed wheel or the Docker image has them; without it, a process started where
``PYTHONDONTWRITEBYTECODE`` is set (this project's development hosts) compiles each of them
from source at every start. The ``__pycache__`` directories the run writes are removed at
its end.
Results: docs/benchmarks.md ("The processes' starts").
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._support import (
    Processes,
    compiled_modules,
    load_average,
    machine_line,
    start_redis,
    worker_start,
)
from bench.ingest import config_toml, default_briefings

FEEDS = 153
# A pool process's start, run by the install's interpreter in its checkout: the CPU
# seconds of the pool's process once it is ready. WARM: the parse processes' warm-up, or
# the link-check child's (LinkCheckPool's default, whichever module holds it).
POOL_START = """
import asyncio
import inspect
import os
from pathlib import Path
from workers.link_check_pool import LinkCheckPool
from workers.parse_calls import warm_worker
from workers.parse_pool import ParsePool

WARMS = {"parse": warm_worker, "link": inspect.signature(LinkCheckPool).parameters["warm"].default}

async def main():
    pool = ParsePool(1, 120.0, initializer=WARMS[KIND])
    await pool.fill()
    (pid,) = pool.pids()
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    print((int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK"))
    pool.close()

asyncio.run(main())
"""


def parse_install(text: str) -> tuple[str, Path]:
    name, _, checkout = text.partition("=")
    if not (name and checkout):
        raise argparse.ArgumentTypeError(f"expected NAME=CHECKOUT, got {text!r}")
    return name, Path(checkout).resolve()


def pool_start(checkout: Path, kind: str, env: dict[str, str]) -> float:
    python = checkout / ".venv" / "bin" / "python"
    done = subprocess.run(
        [str(python), "-c", f"KIND = {kind!r}\n{POOL_START}"],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return float(done.stdout.split()[-1])


def flush(redis_url: str) -> None:
    import redis

    with redis.Redis.from_url(redis_url) as client:
        client.flushdb()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--install", type=parse_install, action="append", required=True)
    parser.add_argument("--starts", type=int, default=3, help="counted starts of each")
    parser.add_argument("--compiled", action="store_true", help="the modules compiled first")
    args = parser.parse_args()
    print(machine_line(), flush=True)
    print(f"load {load_average()}", flush=True)
    compiled = contextlib.ExitStack()  # closed at the end: the __pycache__ it wrote removed
    for _, checkout in args.install if args.compiled else []:
        compiled.enter_context(compiled_modules(checkout, checkout / ".venv" / "bin" / "python"))
    print("modules: " + ("compiled" if args.compiled else "as found"), flush=True)
    kinds = ("process", "fetch", "parse", "link")
    with tempfile.TemporaryDirectory(prefix="bench-starts-") as tmp_dir:
        tmp = Path(tmp_dir)
        config = tmp / "feeds.toml"
        urls = [f"http://127.0.0.1:9/v/{i}.xml" for i in range(FEEDS)]
        config.write_text(config_toml(urls, default_briefings(), "bench"))
        procs = Processes(tmp)
        try:
            _, redis_url = start_redis(procs, tmp)
            base = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_")}
            base.pop("PYTHONPATH", None)
            base |= {
                "REDIS_URL": redis_url,
                "BRIEFING_CONFIG": str(config),
                "BRIEFING_DATA_DIR": str(tmp / "data"),
                "BRIEFING_ALLOW_PRIVATE_TARGETS": "1",
            }
            envs = {
                name: base | {"XDG_CACHE_HOME": str(tmp / f"cache-{name}")}
                for name, _ in args.install
            }
            found: dict[tuple[str, str], list[float]] = {}
            for start in range(args.starts + 1):  # the first writes each install's cache
                for name, checkout in args.install:
                    for kind in kinds:
                        flush(redis_url)
                        if kind in ("parse", "link"):
                            cpu = pool_start(checkout, kind, envs[name])
                        else:
                            log = tmp / f"{name}-{kind}-{start}.log"
                            cpu, _ = worker_start(
                                checkout / ".venv" / "bin" / "python", checkout, kind,
                                envs[name], log, with_children=False,
                            )  # fmt: skip
                        if start > 0:
                            found.setdefault((name, kind), []).append(cpu)
                print(f"round {start}: load {load_average()}", flush=True)
            for name, _ in args.install:
                line = ", ".join(
                    f"{kind} " + " ".join(f"{cpu:.2f}" for cpu in found[(name, kind)])
                    for kind in kinds
                )
                print(f"{name:>8}: CPU s to ready: {line}", flush=True)
        finally:
            procs.stop()
            compiled.close()
    print(f"load {load_average()}", flush=True)


if __name__ == "__main__":
    main()
