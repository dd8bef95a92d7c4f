"""service/stage_child.py with real child processes: started again when it exits, named
by liveness once restarts do not help, stopped with SIGTERM (SIGKILL when it ignores it)."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import pytest

from service import stage_child
from service.stage_child import StageChild, restart_delay


def test_restart_delays_double_from_one_second_to_thirty() -> None:
    assert [restart_delay(n) for n in range(1, 8)] == [1, 2, 4, 8, 16, 30, 30]


def child(tmp_path: Path, code: str) -> StageChild:
    argv = [sys.executable, "-c", code]
    return StageChild(argv, {}, tmp_path / "child.heartbeat", "test stage")


async def stop_once_ready(supervised: StageChild, ready: Path) -> None:
    """Run ``supervised`` until its child has created ``ready``, then stop it."""
    stop = asyncio.Event()
    task = asyncio.create_task(supervised.run(stop))
    async with asyncio.timeout(60):
        while not ready.exists():  # noqa: ASYNC110, ASYNC240
            await asyncio.sleep(0.05)
    stop.set()
    await asyncio.wait_for(task, timeout=30)


async def test_a_child_that_keeps_failing_is_started_again_and_named_by_liveness(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stage_child, "FIRST_DELAY", 0.01)
    starts = tmp_path / "starts"
    failing = child(tmp_path, f"open({str(starts)!r}, 'a').write('x'); raise SystemExit(3)")
    stop = asyncio.Event()
    task = asyncio.create_task(failing.run(stop))
    async with asyncio.timeout(60):
        while failing.problem() is None:  # noqa: ASYNC110
            await asyncio.sleep(0.05)
    stop.set()
    await task
    assert failing.problem() == (
        f"test stage ended {stage_child.FAILING_AFTER} times in a row, last exited with status 3"
    )
    assert len(starts.read_text()) >= stage_child.FAILING_AFTER


async def test_stop_sends_sigterm_then_sigkill_to_a_child_that_ignores_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stage_child, "STOP_TIMEOUT", 0.5)
    ready = tmp_path / "ready"
    stubborn = child(
        tmp_path,
        "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
        f"open({str(ready)!r}, 'w').close(); time.sleep(600)",
    )
    await stop_once_ready(stubborn, ready)
    assert stubborn.process is not None and stubborn.process.returncode == -9
    assert stubborn.problem() is None


async def test_a_child_that_stops_on_sigterm_exits_cleanly(tmp_path: Path) -> None:
    ready = tmp_path / "ready"
    polite = child(tmp_path, f"import time; open({str(ready)!r}, 'w').close(); time.sleep(600)")
    await stop_once_ready(polite, ready)
    assert polite.process is not None and polite.process.returncode == -15


async def test_a_child_that_cannot_be_started_is_tried_again_and_named_by_liveness(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """fork or exec failing (here: no such program) counts as an early exit: the
    supervisor keeps trying and liveness names the stage, instead of the supervising task
    ending with the stage gone and /healthz still answering 200."""
    monkeypatch.setattr(stage_child, "FIRST_DELAY", 0.01)
    missing = tmp_path / "no-such-interpreter"
    absent = StageChild([str(missing)], {}, tmp_path / "child.heartbeat", "test stage")
    stop = asyncio.Event()
    task = asyncio.create_task(absent.run(stop))
    async with asyncio.timeout(60):
        while absent.problem() is None and not task.done():  # noqa: ASYNC110
            await asyncio.sleep(0.05)
    assert not task.done()
    problem = absent.problem()
    assert problem is not None and problem.startswith(
        f"test stage ended {stage_child.FAILING_AFTER} times in a row, last could not be "
        "started ([Errno 2] No such file or directory"
    ), problem
    stop.set()
    await asyncio.wait_for(task, timeout=30)


def test_the_child_runs_under_this_interpreters_options(tmp_path: Path) -> None:
    """`python -X dev -W error -m service.cli run`: the process stage runs with them too."""
    code = (
        "import json, pathlib; from service.stage_child import process_stage_argv; "
        "print(json.dumps(process_stage_argv(pathlib.Path('beat'))))"
    )
    shown = subprocess.run(
        [sys.executable, "-X", "dev", "-W", "error", "-c", code],
        capture_output=True, text=True, check=True, cwd=Path(stage_child.__file__).parents[1],
    )  # fmt: skip
    argv = json.loads(shown.stdout)
    assert argv[0] == sys.executable
    options = argv[1 : argv.index("-m")]
    assert "-Werror" in options and options[options.index("-X") + 1] == "dev", argv


async def test_liveness_clears_once_a_restarted_child_has_run_stably(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Five early exits name the stage; a later start that stays up past STABLE_AFTER
    (Redis back, say) is healthy, and /healthz must say so again."""
    monkeypatch.setattr(stage_child, "FIRST_DELAY", 0.01)
    monkeypatch.setattr(stage_child, "STABLE_AFTER", 1.0)
    starts = tmp_path / "starts"
    code = (
        f"import time; f = open({str(starts)!r}, 'a'); f.write('x'); f.close(); "
        f"n = len(open({str(starts)!r}).read()); "
        f"raise SystemExit(3) if n <= {stage_child.FAILING_AFTER} else time.sleep(600)"
    )
    recovering = child(tmp_path, code)
    stop = asyncio.Event()
    task = asyncio.create_task(recovering.run(stop))
    async with asyncio.timeout(60):
        while recovering.problem() is None:  # noqa: ASYNC110
            await asyncio.sleep(0.01)
        while recovering.problem() is not None:  # noqa: ASYNC110
            await asyncio.sleep(0.05)
    assert recovering.process is not None and recovering.process.poll() is None
    assert len(starts.read_text()) == stage_child.FAILING_AFTER + 1
    stop.set()
    await asyncio.wait_for(task, timeout=30)
