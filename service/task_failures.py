"""Background tasks whose failure is seen when it happens, not lost.

asyncio keeps a task's exception until someone asks for it. A task started to run beside
others and awaited only at shutdown (gathered there with ``return_exceptions``), or never
awaited, ends silently when it fails: its work stops while the process looks alive, and
the exception surfaces at shutdown at best, or as asyncio's "Task exception was never
retrieved" whenever the task happens to be collected. ``watch`` logs the failure with its
traceback as the task ends, once (asking for the exception marks it retrieved, so asyncio
does not report it again), and lets the owner act on it (stop the process, say).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any, TypeVar

log = logging.getLogger(__name__)

TaskT = TypeVar("TaskT", bound="asyncio.Task[Any]")


class TaskFailed(Exception):
    """A task the process cannot serve without ended with an exception (logged with its
    traceback when it ended); the process exits with an error."""


def watch(
    task: TaskT,
    consequence: str,
    *,
    on_failure: Callable[[BaseException], None] | None = None,
) -> TaskT:
    """Log ``task`` if it ends with an exception: its name, ``consequence`` (what its
    failure means for the process, in the operator's terms) and the traceback; then call
    ``on_failure`` with the exception. A cancelled task is no failure."""

    def ended(done: asyncio.Task[Any]) -> None:
        if done.cancelled() or (error := done.exception()) is None:
            return
        log.error("task %s failed: %s", done.get_name(), consequence, exc_info=error)
        if on_failure is not None:
            on_failure(error)

    task.add_done_callback(ended)
    return task
