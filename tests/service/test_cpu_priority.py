"""service/cpu_priority.py in child processes: a nice value, once raised, stays raised; a
session's autogroup nice value is raised by the niceness from where it stood."""

from __future__ import annotations

import errno
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
from service.cpu_priority import {function}
autogroup = Path("/proc/self/autogroup")
before = autogroup.read_text() if autogroup.exists() else ""
done = {function}({niceness})
print(json.dumps({{
    "nice": os.getpriority(os.PRIO_PROCESS, 0), "done": done,
    "before": before, "after": autogroup.read_text() if autogroup.exists() else "",
}}))
"""


def probe(
    niceness: int,
    *,
    own_session: bool,
    started_at: int = 0,
    function: str = "lower_priority",
) -> dict[str, object]:
    """What ``function(niceness)`` did in a child process (started ``started_at`` above
    this process's nice value, as by ``nice -n``)."""
    child = subprocess.run(
        ["nice", "-n", str(started_at), sys.executable, "-c",
         PROBE.format(niceness=niceness, function=function)],
        cwd=ROOT, capture_output=True, text=True, check=True, start_new_session=own_session,
    )  # fmt: skip
    result: dict[str, object] = json.loads(child.stdout)
    return result


def test_a_session_leader_lowers_itself_and_its_sessions_autogroup() -> None:
    own = os.getpriority(os.PRIO_PROCESS, 0)
    result = probe(5, own_session=True)
    assert result["nice"] == min(19, own + 5)
    if AUTOGROUP.exists():  # a kernel with autogroup scheduling
        lowered = min(19, autogroup_nice(result["before"], own) + 5)
        assert autogroup_nice(result["after"]) == lowered
        assert result["done"] == [f"nice {min(19, own + 5)}", f"session autogroup nice {lowered}"]


def autogroup_nice(text: object, nice: int | None = None) -> int:
    """The nice value a probe's session weighs at: its autogroup's, or in init's session
    (the default autogroup, whose file reads empty) the probe's own ``nice`` value."""
    return int(str(text).split()[-1]) if str(text).strip() or nice is None else nice


@pytest.mark.skipif(not AUTOGROUP.exists(), reason="no autogroup scheduling")
@pytest.mark.parametrize(
    ("function", "own_session"),
    [("lower_priority", True), ("lower_in_own_session", False)],
)
def test_a_process_started_niced_lowers_its_autogroup_by_the_niceness_alone(
    function: str, own_session: bool
) -> None:
    # Started with ``nice -n 10``: its nice value ranked it within its session only, so
    # its new session ranks 5 below the one it was in, not at its nice value (19).
    own = os.getpriority(os.PRIO_PROCESS, 0)
    result = probe(5, own_session=own_session, started_at=10, function=function)
    assert result["nice"] == min(19, own + 15)
    lowered = min(19, autogroup_nice(result["before"], min(19, own + 10)) + 5)
    assert autogroup_nice(result["after"]) == lowered
    assert result["done"] == [f"nice {min(19, own + 15)}", f"session autogroup nice {lowered}"]


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
        f"exec({PROBE.format(niceness=5, function='lower_priority')!r}); beside.kill()"
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


class RefusingAutogroup:
    """``/proc/self/autogroup`` as the kernel answers it: ``errors`` refusals first (an
    errno each), then the value written."""

    def __init__(self, *errors: int) -> None:
        self.errors = list(errors)
        self.written: list[str] = []

    def write_text(self, text: str) -> int:
        if self.errors:
            code = self.errors.pop(0)
            raise OSError(code, os.strerror(code))
        self.written.append(text)
        return len(text)


def test_in_inits_session_a_process_weighs_at_its_own_nice_value(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # The default autogroup's file reads empty; a process there ranks among the sessions'
    # groups by its own nice value, so a new session's group starts from that.
    empty = tmp_path / "autogroup"
    empty.write_text("")
    monkeypatch.setattr(cpu_priority, "AUTOGROUP", empty)
    assert cpu_priority._autogroup_nice() == os.getpriority(os.PRIO_PROCESS, 0)
    empty.write_text("/autogroup-7 nice 3\n")
    assert cpu_priority._autogroup_nice() == 3
    monkeypatch.setattr(cpu_priority, "AUTOGROUP", tmp_path / "none")
    assert cpu_priority._autogroup_nice() is None


def test_an_autogroup_write_refused_for_the_kernels_rate_limit_is_tried_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    autogroup = RefusingAutogroup(errno.EAGAIN, errno.EAGAIN)
    monkeypatch.setattr(cpu_priority, "AUTOGROUP", autogroup)
    waits: list[float] = []
    assert cpu_priority._write_autogroup(7, sleep=waits.append)
    assert autogroup.written == ["7"]
    assert waits == [cpu_priority.AUTOGROUP_RETRY] * 2


def test_an_autogroup_write_gives_up_after_its_tries_or_on_another_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    always = RefusingAutogroup(*[errno.EAGAIN] * cpu_priority.AUTOGROUP_TRIES)
    monkeypatch.setattr(cpu_priority, "AUTOGROUP", always)
    assert not cpu_priority._write_autogroup(7, sleep=lambda _: None)
    assert always.written == []
    read_only = RefusingAutogroup(errno.EROFS)
    monkeypatch.setattr(cpu_priority, "AUTOGROUP", read_only)
    waits: list[float] = []
    assert not cpu_priority._write_autogroup(7, sleep=waits.append)
    assert waits == []
