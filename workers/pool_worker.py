"""A pool worker's life (workers/parse_pool.py): ask to die with its parent, run the
initializer, announce readiness, then answer calls until the pipe closes.

A module apart from the pool: a worker's interpreter imports this, its connection and its
calls' modules, not the pool's side (the event loop, its threads and subprocesses: about
0.015 s of CPU at each worker's start on this project's reference machine).
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from multiprocessing.connection import Connection

from service.child_process import die_with_parent

READY = "ready"
# What a worker sends instead of READY when its initializer raised, with the exception
# in one line: the parent's log then says why no worker starts (a model file missing),
# not only that none did.
NOT_READY = "not ready"
# The most of the exception's text sent (one log line, whatever the exception holds).
_REASON_CHARS = 500


def serve(conn: Connection, initializer: Callable[[], None] | None) -> None:
    """A worker's life: announce readiness (or why the initializer failed), then answer
    calls until the pipe closes."""
    # SIGKILL when the parent exits; exit now if it already has (not Linux: the pipe's
    # end-of-file remains).
    die_with_parent(os.getppid(), signal.SIGKILL)()
    if initializer is not None:
        try:
            initializer()
        except Exception as exc:
            text = " ".join(str(exc).split())[:_REASON_CHARS]
            conn.send((NOT_READY, f"{type(exc).__name__}: {text}"))
            raise  # the traceback goes to stderr, the exit status is non-zero
    conn.send(READY)
    while True:
        try:
            fn, args = conn.recv()
        except (EOFError, OSError):  # the parent is gone or closed us
            return
        try:
            answer: tuple[str, object] = ("ok", fn(*args))
        except Exception as exc:  # the caller re-raises it
            answer = ("error", exc)
        try:
            conn.send(answer)
        except (EOFError, OSError):
            return
        except Exception as exc:  # an unpicklable result or exception
            conn.send(("error", RuntimeError(f"parse worker could not send its answer: {exc}")))
