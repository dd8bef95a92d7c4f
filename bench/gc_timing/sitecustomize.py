"""Times the fetch worker's garbage collections: ``PYTHONPATH=bench/gc_timing
BENCH_GC_OUT=/tmp/gc flock /tmp/lb-bench.lock .venv/bin/python bench/ingest.py ...``.

Python imports ``sitecustomize`` at start-up in every process with this directory on its
path; only a ``briefing worker --role fetch`` or a ``briefing run`` records: per
generation, the collections, their thread CPU (``gc.callbacks``) and the objects they
freed, and at exit the tracked objects left in generation 2, the frozen ones and the
process's CPU, as JSON in ``$BENCH_GC_OUT.<pid>`` (docs/benchmarks.md, "Scale, the memos frozen").
"""

from __future__ import annotations

import os
import sys

_FETCHING = ("worker" in sys.argv and "fetch" in sys.argv) or sys.argv[1:2] == ["run"]
if _FETCHING and os.environ.get("BENCH_GC_OUT"):
    import atexit
    import gc
    import json
    import time
    from typing import Any

    _by_generation = {generation: [0, 0.0, 0] for generation in range(3)}
    _started = [0.0]

    def _timed(phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            _started[0] = time.thread_time()
            return
        totals = _by_generation[info["generation"]]
        totals[0] += 1
        totals[1] += time.thread_time() - _started[0]
        totals[2] += info["collected"]

    def _write() -> None:
        with open(f"{os.environ['BENCH_GC_OUT']}.{os.getpid()}", "w") as out:
            json.dump(
                {
                    "collections_seconds_freed": _by_generation,
                    "gen2_objects": len(gc.get_objects(2)),
                    "frozen": gc.get_freeze_count(),
                    "cpu": time.process_time(),
                },
                out,
            )

    gc.callbacks.append(_timed)
    atexit.register(_write)
