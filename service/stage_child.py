"""The process stage in a child process of its own, below the API's and the fetch loop's
CPU priority.

The process stage (story clustering and its link checks) is the CPU-heavy part of the
background half. Sharing a process with the API or the fetch loop, it shares their event
loop: a request or a due poll waits behind a batch, and no nice value can rank the two
apart. So ``briefing run`` (API, scheduler and every stage), and ``briefing worker``
when it runs the process stage beside another role, start it as a child: the same code
as ``briefing worker --role process``, with the same environment, working directory and
data directory, against the parent's Redis (the embedded server's socket when the parent
runs or attaches to one: the child never starts a server). The child lowers its priority
in a session of its own (``BRIEFING_WORKER_NICENESS``, service/cpu_priority.py), so the
API's requests and the fetch loop's polls go first when the cores are short, against
every session on the host.

``StageChild.run`` supervises it:

- it dies with its parent, even by SIGKILL (Linux ``PR_SET_PDEATHSIG``, SIGKILL, as the
  parse processes do): ``kill -9`` of the service leaves no stage behind, and the leases
  the child held run out as they would have with the stage in the parent;
- when it exits on its own (a crash, the OOM killer), it is started again after
  ``restart_delay``; ``problem()`` (liveness) names it once ``FAILING_AFTER`` starts in
  a row ended early, or while a running child's heartbeat file is stale (a wedged loop).
  A child started while Redis is unreachable waits for it, beating (``worker --child``
  has no ``BRIEFING_STARTUP_WAIT`` limit): an outage is readiness, never an early exit;
- when the parent stops, it gets SIGTERM and ``STOP_TIMEOUT`` seconds to end its batch
  (workers/runtime.py: 10 s of stage grace), then SIGKILL; the parent's Redis stops
  after that.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

from service import heartbeat
from service.child_process import describe_exit, die_with_parent, interpreter_flags

log = logging.getLogger(__name__)

# A child that ran this long is healthy: its exit starts the delays from the first again.
STABLE_AFTER = 60.0
FIRST_DELAY = 1.0
MAX_DELAY = 30.0
# Starts in a row that ended within STABLE_AFTER before liveness names the stage.
FAILING_AFTER = 5
# The stage's grace at shutdown (workers/runtime.py STAGE_GRACE) and its start-up.
STOP_TIMEOUT = 30.0
WATCH_INTERVAL = 0.5
LOG_NAME = "process stage"  # the ``child`` field of the child's log lines (service/logs.py)


def restart_delay(failures: int) -> float:
    """Seconds before the next start after ``failures`` early exits in a row (>= 1):
    1 s, doubling, at most 30 s."""
    return min(MAX_DELAY, FIRST_DELAY * 2 ** max(0, failures - 1))


# The directory this code was imported from: the child imports the same code, wherever
# it was started from.
CODE_ROOT = Path(__file__).resolve().parents[1]


def process_stage_argv(heartbeat_file: Path) -> list[str]:
    """The child's command line: this interpreter running ``briefing worker --role
    process --child "process stage"``: its log lines say so, and it leaves the feeds to
    its parent. ``-P``: the working directory is not put first on ``sys.path`` (it could
    hold another checkout); ``process_stage_env`` puts this code's directory there."""
    return [
        sys.executable, *interpreter_flags(), "-P", "-m", "service.cli", "worker",
        "--role", "process",
        "--heartbeat-file", str(heartbeat_file), "--child", LOG_NAME,
    ]  # fmt: skip


def process_stage_env(env: Mapping[str, str]) -> dict[str, str]:
    """``env`` with this code's directory first on ``PYTHONPATH``."""
    paths = [str(CODE_ROOT), *([env["PYTHONPATH"]] if env.get("PYTHONPATH") else [])]
    return {**env, "PYTHONPATH": os.pathsep.join(paths)}


def child_heartbeat_file() -> Path:
    """A heartbeat file of this parent's own (a second service on the host has another)."""
    return Path(tempfile.gettempdir()) / f"briefing-process-stage-{os.getpid()}.heartbeat"


class StageChild:
    """One supervised child process; ``argv`` and ``env`` are what it is started with."""

    def __init__(
        self, argv: list[str], env: Mapping[str, str], heartbeat_file: Path, name: str
    ) -> None:
        self.argv = argv
        self.env = dict(env)
        self.heartbeat_file = heartbeat_file
        self.name = name
        self.process: subprocess.Popen[bytes] | None = None
        self.failures = 0
        self.last_exit = ""
        self._started = 0.0

    def problem(self) -> str | None:
        """Why the stage is not working and restarts have not helped, or None (liveness)."""
        running = self.process is not None and self.process.poll() is None
        ran = time.monotonic() - self._started if running else 0.0
        # A child that has run STABLE_AFTER since the last restart is healthy again.
        if self.failures >= FAILING_AFTER and ran <= STABLE_AFTER:
            return f"{self.name} ended {self.failures} times in a row, last {self.last_exit}"
        if ran > heartbeat.STALE_AFTER:
            stale = heartbeat.check(self.heartbeat_file)
            if stale is not None:
                return f"{self.name}: {stale}"
        return None

    async def run(self, stop: asyncio.Event) -> None:
        """Keep the child running until ``stop`` is set, then stop it. Call from the event
        loop's thread: the death signal follows the thread that started the child."""
        try:
            while not stop.is_set():
                try:
                    self._start()
                except OSError as exc:  # fork or exec refused (EAGAIN, ENOMEM, EMFILE)
                    self.process = None
                    self.failures += 1
                    self.last_exit = f"could not be started ({exc})"
                    delay = restart_delay(self.failures)
                    log.error("%s %s; trying again in %.0f s", self.name, self.last_exit, delay)
                else:
                    status = await self._exit_or_stop(stop)
                    if status is None:
                        break
                    ran = time.monotonic() - self._started
                    self.failures = 1 if ran > STABLE_AFTER else self.failures + 1
                    self.last_exit = describe_exit(status)
                    delay = restart_delay(self.failures)
                    log.error(
                        "%s (pid %d) %s after %.0f s; starting it again in %.0f s",
                        self.name,
                        self.process.pid if self.process else 0,
                        self.last_exit,
                        ran,
                        delay,
                        extra={"exit_status": status},
                    )
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=delay)
        finally:
            await self._stop()

    def _start(self) -> None:
        self.process = subprocess.Popen(
            self.argv,
            env=self.env,
            stdin=subprocess.DEVNULL,
            close_fds=True,
            # Its own session: its lowered priority then weighs against every session on
            # the host (service/cpu_priority.py), and a terminal's Ctrl-C reaches only the
            # parent, which stops it.
            start_new_session=True,
            # Runs between fork and exec: one prctl call through a function resolved
            # before the fork, so it takes no lock another thread might hold.
            preexec_fn=die_with_parent(os.getpid(), signal.SIGKILL),
        )
        self._started = time.monotonic()
        log.info("%s started (pid %d)", self.name, self.process.pid)

    async def _exit_or_stop(self, stop: asyncio.Event) -> int | None:
        """The child's exit status, or None once ``stop`` is set while it runs."""
        assert self.process is not None
        while not stop.is_set():
            status = self.process.poll()
            if status is not None:
                return status
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=WATCH_INTERVAL)
        return None

    async def _stop(self) -> None:
        process = self.process
        if process is None or process.poll() is not None:
            self.heartbeat_file.unlink(missing_ok=True)
            return
        process.send_signal(signal.SIGTERM)
        try:
            await asyncio.to_thread(process.wait, STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            log.warning("%s (pid %d) did not stop in time; killed", self.name, process.pid)
            process.kill()
            await asyncio.to_thread(process.wait)
        self.heartbeat_file.unlink(missing_ok=True)  # a killed child leaves it behind
