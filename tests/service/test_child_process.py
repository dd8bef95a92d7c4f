"""service.child_process: a child started with ``die_with_parent`` does not outlive its
parent, even when the parent is killed with SIGKILL (Linux)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from service.child_process import describe_exit, die_with_parent

PARENT = """
import signal, subprocess, sys
from service.child_process import describe_exit, die_with_parent
import os
child = subprocess.Popen(["sleep", "600"], preexec_fn=die_with_parent(os.getpid(), signal.SIGKILL))
print(child.pid, flush=True)
sys.stdin.read()
"""


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie awaiting its reaper counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(sys.platform != "linux", reason="PR_SET_PDEATHSIG is Linux only")
def test_the_child_dies_when_its_parent_is_killed() -> None:
    with subprocess.Popen(
        [sys.executable, "-c", PARENT], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    ) as parent:
        assert parent.stdout is not None
        child = int(parent.stdout.readline())
        try:
            assert _alive(child)
            parent.send_signal(signal.SIGKILL)
            parent.wait()
            deadline = time.monotonic() + 30  # a bound on the wait, not a timing assertion
            while _alive(child) and time.monotonic() < deadline:
                time.sleep(0.05)
            assert not _alive(child)
        finally:
            if _alive(child):
                os.kill(child, signal.SIGKILL)


def test_a_parent_already_gone_makes_the_child_exit_at_once() -> None:
    """The check after prctl: a child whose recorded parent is not its parent exits 1
    before it runs anything (the parent died between fork and prctl)."""
    done = subprocess.run(["true"], preexec_fn=die_with_parent(-1, signal.SIGKILL), check=False)
    assert done.returncode == 1


@pytest.mark.parametrize(
    ("returncode", "words"),
    [
        (-signal.SIGKILL, "killed by SIGKILL"),
        (-signal.SIGTERM, "killed by SIGTERM"),
        (1, "exited with status 1"),
        (0, "exited with status 0"),
    ],
)
def test_exit_statuses_in_words(returncode: int, words: str) -> None:
    assert describe_exit(returncode) == words
