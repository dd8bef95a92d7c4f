"""The worker heartbeat file: fresh while live, stale or gone otherwise."""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

import pytest

from service.heartbeat import STALE_AFTER, beat, check, problem
from service.liveness import Liveness


@pytest.mark.parametrize(
    ("age", "alive"),
    [
        pytest.param(None, False, id="no-file"),
        pytest.param(0.0, True, id="just-now"),
        pytest.param(STALE_AFTER, True, id="at-the-limit"),
        pytest.param(STALE_AFTER + 1, False, id="stale"),
    ],
)
def test_problem(age: float | None, alive: bool) -> None:
    assert (problem(age) is None) is alive


def test_check_reads_the_files_age(tmp_path: Path) -> None:
    path = tmp_path / "hb"
    assert check(path) is not None
    path.touch()
    assert check(path) is None
    old = time.time() - 120
    os.utime(path, (old, old))
    assert "last heartbeat 120 s ago" in (check(path) or "")


async def test_beats_only_while_live_and_removes_the_file_at_stop(tmp_path: Path) -> None:
    path = tmp_path / "hb"
    stop = asyncio.Event()
    broken = Liveness()
    broken.add(lambda: "embedded redis could not be restarted")
    task = asyncio.create_task(beat(path, broken, stop))
    await asyncio.sleep(0.1)
    assert not path.exists()  # not live: never touched
    stop.set()
    await task
    stop = asyncio.Event()
    task = asyncio.create_task(beat(path, Liveness(), stop))
    await asyncio.sleep(0.1)
    assert check(path) is None
    stop.set()
    await task
    assert not path.exists()
