"""Real processes in tests: run the ``briefing`` command as users run it, wait for a
condition, tell whether a process is still running, and keep a core busy."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from service.store.connection import open_target
from tests.support.net import free_port

ROOT = Path(__file__).resolve().parents[2]


def embedded_service_env(data_dir: Path, config: Path) -> dict[str, str]:
    """The environment of a `briefing` process on its own embedded Redis in ``data_dir``
    (never the suite's ``REDIS_URL``), reading ``config``, polling 127.0.0.1 at once."""
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env.update(
        BRIEFING_CONFIG=str(config),
        BRIEFING_ALLOW_PRIVATE_TARGETS="1",
        BRIEFING_DATA_DIR=str(data_dir),
        BRIEFING_LOG_LEVEL="WARNING",
        BRIEFING_FIRST_POLL_SPREAD="0",
    )
    return env


def briefing(
    *args: str, env: dict[str, str], timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "service.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@dataclass
class Run:
    """A `briefing run` or `briefing api` process; its stdout and stderr go to ``log``."""

    process: subprocess.Popen[bytes]
    base: str
    log: Path

    def stop(self) -> tuple[int, float]:
        """SIGTERM, as a service manager stops it; the exit status and seconds it took."""
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(timeout=30)
        return code, time.monotonic() - started

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8")


@contextlib.contextmanager
def briefing_run(env: dict[str, str], tmp_path: Path, command: str = "run") -> Iterator[Run]:
    """`briefing run` (or ``command``: `api`) on a free port, its data in tmp_path/data,
    yielded once it answers /readyz."""
    port = free_port()
    log = tmp_path / f"{command}.log"
    with log.open("w") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "service.cli", command, "--host", "127.0.0.1",
             "--port", str(port), "--data-dir", str(tmp_path / "data")],
            env=env, cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT,
        )  # fmt: skip
    run = Run(process, f"http://127.0.0.1:{port}", log)
    try:
        wait_for(lambda: httpx.get(f"{run.base}/readyz").status_code == 200)
        yield run
    finally:
        if process.poll() is None:
            run.stop()
        # Whatever happened to the run, no embedded server of this test's data dir remains.
        open_target(None, tmp_path / "data").close(force=True)


def wait_for(predicate: object, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():  # type: ignore[operator]
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError("condition not reached in time")


def alive(pid: int) -> bool:
    """Whether ``pid`` is a running process (a zombie counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


async def gone(pid: int, within: float = 30.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if not alive(pid):
            return True
        await asyncio.sleep(0.05)
    return False


def stage_children(pid: int) -> list[int]:
    """The process-stage children (`worker --role process`) of process ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            args = (entry / "cmdline").read_bytes().split(b"\0")
        except (OSError, IndexError):
            continue
        if int(stat[1]) == pid and alive(int(entry.name)) and b"process" in args:
            found.append(int(entry.name))
    return found


@contextlib.contextmanager
def busy_core() -> Iterator[int]:
    """One of this process's cores kept busy by a process that loops (at this process's
    priority, in its session) while the block runs; yields the core. A process pinned
    there (``os.sched_setaffinity``) at a lower priority waits for a CPU most of the
    time, as on a host whose cores are busy with better-ranked work."""
    core = min(os.sched_getaffinity(0))
    hog = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        os.sched_setaffinity(hog.pid, {core})
        yield core
    finally:
        hog.kill()
        hog.wait()
