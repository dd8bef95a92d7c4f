"""bench/_support.py: a checkout's own modules compiled for a run, as a wheel has them; the
machine line names the machine's last start and its speed on a fixed workload."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bench._support import (
    PROJECT_PACKAGES,
    booted,
    compiled_modules,
    machine_line,
)


def _checkout(root: Path) -> Path:
    for package in PROJECT_PACKAGES:
        (root / package / "inner").mkdir(parents=True)
        (root / package / "__init__.py").write_text("")
        (root / package / "inner" / "__init__.py").write_text("VALUE = 1\n")
    return root


def test_the_modules_are_compiled_while_the_block_runs_and_removed_after(
    tmp_path: Path,
) -> None:
    checkout = _checkout(tmp_path)
    kept = checkout / "service" / "__pycache__"
    kept.mkdir()  # there before the run: left alone
    (kept / "old.pyc").write_bytes(b"")
    with compiled_modules(checkout, Path(sys.executable)):
        for package in PROJECT_PACKAGES:
            compiled = list((checkout / package / "inner" / "__pycache__").glob("*.pyc"))
            assert [p.name.split(".")[0] for p in compiled] == ["__init__"]
        # Where a process started with PYTHONDONTWRITEBYTECODE looks for the module's code.
        probe = "import workers.inner as m; print(m.__cached__)"
        done = subprocess.run(
            [sys.executable, "-c", probe], cwd=checkout, capture_output=True, text=True,
            check=True, env={"PYTHONDONTWRITEBYTECODE": "1", "PATH": ""},
        )  # fmt: skip
        assert Path(done.stdout.strip()).exists()
    assert not (checkout / "workers" / "__pycache__").exists()
    assert not (checkout / "workers" / "inner" / "__pycache__").exists()
    assert not (checkout / "service" / "inner" / "__pycache__").exists()
    assert (kept / "old.pyc").exists()


@pytest.mark.skipif(not Path("/proc/uptime").exists(), reason="reads /proc")
def test_the_machine_started_as_long_ago_as_its_uptime_says() -> None:
    uptime = float(Path("/proc/uptime").read_text().split()[0])
    started = booted()
    assert started is not None
    expected = datetime.fromtimestamp(time.time() - uptime, UTC)
    assert abs(started - expected) < timedelta(seconds=5)


def test_the_machine_line_names_the_start_and_the_reference_workload() -> None:
    line = machine_line()
    started = booted()
    named = f"{started:%Y-%m-%d %H:%M} UTC" if started else "unknown"
    assert f"booted {named}, " in line
    found = re.search(r"reference workload ([0-9.]+) ms of CPU$", line)
    assert found is not None and float(found.group(1)) > 0
