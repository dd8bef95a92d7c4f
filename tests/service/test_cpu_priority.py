"""service/cpu_priority.py in child processes: a nice value, once raised, stays raised."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from service import cpu_priority
from service.cpu_priority import AUTOGROUP

ROOT = Path(__file__).resolve().parents[2]
PROBE = """
import json, os
from pathlib import Path
from service.cpu_priority import lower_priority
autogroup = Path("/proc/self/autogroup")
before = autogroup.read_text() if autogroup.exists() else ""
done = lower_priority({niceness})
print(json.dumps({{
    "nice": os.getpriority(os.PRIO_PROCESS, 0), "done": done,
    "before": before, "after": autogroup.read_text() if autogroup.exists() else "",
}}))
"""


def probe(niceness: int, *, own_session: bool) -> dict[str, object]:
    child = subprocess.run(
        [sys.executable, "-c", PROBE.format(niceness=niceness)],
        cwd=ROOT, capture_output=True, text=True, check=True, start_new_session=own_session,
    )  # fmt: skip
    result: dict[str, object] = json.loads(child.stdout)
    return result


def test_a_session_leader_lowers_itself_and_its_sessions_autogroup() -> None:
    own = os.getpriority(os.PRIO_PROCESS, 0)
    result = probe(5, own_session=True)
    lowered = min(19, own + 5)
    assert result["nice"] == lowered
    if AUTOGROUP.exists():  # a kernel with autogroup scheduling
        assert str(result["after"]).split()[-1] == str(lowered)
        assert result["done"] == [f"nice {lowered}", f"session autogroup nice {lowered}"]


def test_a_process_in_another_session_leaves_the_session_alone() -> None:
    own = os.getpriority(os.PRIO_PROCESS, 0)
    result = probe(5, own_session=False)
    assert result["nice"] == min(19, own + 5)
    assert result["after"] == result["before"]
    assert result["done"] == [f"nice {min(19, own + 5)}"]


def test_zero_keeps_the_priority() -> None:
    own = os.getpriority(os.PRIO_PROCESS, 0)
    result = probe(0, own_session=True)
    assert result["nice"] == own and result["done"] == []
    assert result["after"] == result["before"]


def test_a_session_leader_with_another_process_in_its_session_leaves_the_session_alone() -> None:
    # A shell that started the API in the background and then ``exec``'d the worker: the
    # worker leads a session the API is in, whose autogroup it must not lower.
    own = os.getpriority(os.PRIO_PROCESS, 0)
    script = (
        "import subprocess, sys; "
        "beside = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(30)']); "
        f"exec({PROBE.format(niceness=5)!r}); beside.kill()"
    )
    child = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT, capture_output=True, text=True, check=True, start_new_session=True,
    )  # fmt: skip
    result = json.loads(child.stdout)
    assert result["nice"] == min(19, own + 5)
    assert result["done"] == [f"nice {min(19, own + 5)}"]
    assert result["after"] == result["before"]


def test_without_proc_the_session_counts_as_shared(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(cpu_priority, "PROC", tmp_path / "no-proc")
    assert cpu_priority._others_in_session() is True
