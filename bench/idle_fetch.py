"""Idle fetch worker: the CPU a ``briefing worker --role fetch`` and its Redis spend while
nothing is due.

    flock /tmp/lb-bench.lock .venv/bin/python bench/idle_fetch.py [--seconds 30]
        [--pairs 2] [--base /work/wt-base/.venv/bin/briefing]

Each run starts an embedded Redis of its own (in a fresh data directory) with one feed
scheduled two minutes ahead, then the worker as a user starts it (shipped defaults, a
``BRIEFING_CONFIG`` without feeds), waits for it to settle and reads the CPU seconds of
the worker (and its children) and of the Redis server over ``--seconds``. With
``--base`` (another checkout's ``briefing``), runs alternate base / this checkout
``--pairs`` times, so both see the same load.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._support import config_toml, cpu_seconds, descendants, load_average, machine_line

BRIEFING = Path(sys.executable).parent / "briefing"
# Nothing is due for longer than the run: what the worker spends is its idle cost.
FEED_DUE_IN = timedelta(minutes=2)
SETTLE_SECONDS = 3.0


async def idle_cpu(briefing: Path, seconds: float) -> tuple[float, float]:
    """CPU seconds per wall second of the worker and of its Redis, while idle."""
    from service.clock import utcnow
    from service.models import FeedConfig
    from service.store import Store
    from service.store.connection import open_target

    with tempfile.TemporaryDirectory(prefix="idle-fetch-") as name:
        tmp = Path(name)
        target = open_target(None, tmp / "data")
        redis = target.client()
        worker: asyncio.subprocess.Process | None = None
        try:
            redis_pid = int((await redis.info("server"))["process_id"])
            await Store(redis).feeds.add(
                FeedConfig(url="http://127.0.0.1:9/later.xml"), first_poll=utcnow() + FEED_DUE_IN
            )
            config = tmp / "briefing.toml"
            config.write_text(config_toml([], [], "idle"))
            env = {
                k: v
                for k, v in os.environ.items()
                if not k.startswith("BRIEFING_") and k != "REDIS_URL"
            }
            env |= {"BRIEFING_CONFIG": str(config), "BRIEFING_DATA_DIR": str(tmp / "data")}
            log = tmp / "worker.log"
            with log.open("w") as out:
                worker = await asyncio.create_subprocess_exec(
                    str(briefing),
                    "worker",
                    "--role",
                    "fetch",
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            deadline = time.monotonic() + 60
            while "workers running" not in log.read_text(errors="replace"):
                if worker.returncode is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"worker did not start:\n{log.read_text()[-2000:]}")
                await asyncio.sleep(0.05)
            await asyncio.sleep(SETTLE_SECONDS)
            pids = descendants(worker.pid)
            before = cpu_seconds(pids), cpu_seconds(redis_pid)
            started = time.monotonic()
            await asyncio.sleep(seconds)
            wall = time.monotonic() - started
            after = cpu_seconds(pids), cpu_seconds(redis_pid)
            return (after[0] - before[0]) / wall, (after[1] - before[1]) / wall
        finally:
            if worker is not None and worker.returncode is None:
                worker.send_signal(signal.SIGTERM)
                await asyncio.wait_for(worker.wait(), 30)
            await redis.aclose()
            target.close()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--pairs", type=int, default=1)
    parser.add_argument("--base", type=Path, help="another checkout's briefing executable")
    args = parser.parse_args(argv)
    print(machine_line())
    runs = [("base", args.base), ("this", BRIEFING)] if args.base else [("this", BRIEFING)]
    for _ in range(args.pairs):
        for label, briefing in runs:
            worker, redis = asyncio.run(idle_cpu(briefing, args.seconds))
            print(
                f"{label}: worker {worker * 1000:.1f} ms CPU/s, its Redis {redis * 1000:.1f}, "
                f"together {(worker + redis) * 1000:.1f} over {args.seconds:g} s "
                f"(load {load_average()})",
                flush=True,
            )


if __name__ == "__main__":
    main()
