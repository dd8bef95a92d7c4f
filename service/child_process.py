"""What every child process this service starts asks of it: to run under this
interpreter's options (``interpreter_flags``), and not to outlive its parent
(``die_with_parent``).

Linux delivers a chosen signal to a process when its parent dies, even by SIGKILL
(``prctl(PR_SET_PDEATHSIG)``, prctl(2)); the request is made between fork and exec and
survives the exec. It fires when the parent *thread* that forked ends, so the child is to
be started from a thread that lives as long as the process (the event loop's).
"""

from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
from collections.abc import Callable

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int, sig: signal.Signals) -> Callable[[], None]:
    """A ``preexec_fn`` for ``subprocess.Popen``: ``sig`` to the child when the parent
    ``parent_pid`` dies (Linux; elsewhere nothing). The prctl function is resolved here,
    before the fork, so that the child calls it without taking a lock another thread of
    the parent might have held at the fork."""
    prctl = ctypes.CDLL(None, use_errno=True).prctl if sys.platform == "linux" else None

    def preexec() -> None:
        if prctl is not None:
            prctl(_PR_SET_PDEATHSIG, sig, 0, 0, 0)
        if os.getppid() != parent_pid:  # the parent died before prctl took effect
            os._exit(1)

    return preexec


def interpreter_flags() -> list[str]:
    """This interpreter's command-line options (``-O``, ``-W``, ``-X``, ``-E``, ``-s``, …)
    as arguments, so a child Python runs under the same rules (multiprocessing's
    ``spawn`` passes them with this same function of the standard library)."""
    return subprocess._args_from_interpreter_flags()  # type: ignore[attr-defined]


def describe_exit(returncode: int) -> str:
    """``Popen.returncode`` in words: "killed by SIGKILL", "exited with status 1"."""
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        return f"killed by {name}"
    return f"exited with status {returncode}"
