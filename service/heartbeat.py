"""A worker's heartbeat file: the liveness check of a process that serves no HTTP.

``briefing worker`` touches the file every ``BEAT_EVERY`` seconds while its liveness
checks (service/liveness.py) find no problem; ``briefing worker --check`` exits 0 while
the file is younger than ``STALE_AFTER``, 1 otherwise, for a container HEALTHCHECK with
a restart policy. The file stops being touched when the event loop is wedged (the task
never runs) or when the process cannot recover by itself (liveness reports it), and it
is removed at a clean stop. The default path is in the temporary directory, which each
container has to itself; workers sharing a machine outside containers pass their own
``--heartbeat-file``.
"""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
from pathlib import Path

from service.clock import utcnow
from service.liveness import Liveness

DEFAULT_FILE = Path(tempfile.gettempdir()) / "briefing-worker.heartbeat"
BEAT_EVERY = 10.0
STALE_AFTER = 60.0  # six missed beats


def problem(age: float | None, stale_after: float = STALE_AFTER) -> str | None:
    """Why a heartbeat ``age`` seconds old (None: no file) is not alive, else None."""
    if age is None:
        return "no heartbeat file: the worker is not running (or has not started yet)"
    if age > stale_after:
        return f"last heartbeat {age:.0f} s ago (more than {stale_after:.0f} s)"
    return None


def check(path: Path, *, now: float | None = None) -> str | None:
    """``problem()`` of the heartbeat file at ``path``."""
    try:
        modified = path.stat().st_mtime
    except FileNotFoundError:
        return problem(None)
    return problem(max(0.0, (utcnow().timestamp() if now is None else now) - modified))


async def beat(path: Path, liveness: Liveness, stop: asyncio.Event) -> None:
    """Touch ``path`` every ``BEAT_EVERY`` seconds while live, until ``stop``; then remove
    it, so a stopped worker is not reported alive."""
    try:
        while not stop.is_set():
            if not liveness.problems():
                _touch(path)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=BEAT_EVERY)
    finally:
        _remove(path)


# Plain calls on the loop: a touch of a small local file takes microseconds, every 10 s.
def _touch(path: Path) -> None:
    path.touch()


def _remove(path: Path) -> None:
    path.unlink(missing_ok=True)
