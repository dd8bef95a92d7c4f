"""Background processes yield the CPU to the API when the cores are short.

On a host where the API and the workers share cores, a request that arrives while the
workers keep every core busy waits for one: the API's tail latency becomes the
scheduler's, not the API's work. ``briefing worker`` therefore lowers its own priority
at start (``BRIEFING_WORKER_NICENESS``). When the cores are free the workers run as fast
as before: niceness only decides who waits when processes compete.

Two scheduler facts decide where the value must go (sched(7)):

* A process's nice value ranks it against the processes of its own scheduling group.
  With autogroup scheduling (``/proc/sys/kernel/sched_autogroup_enabled``), every session
  is a group of its own, weighted by the group's nice value, which is written to
  ``/proc/<pid>/autogroup``. A worker that leads its own session (a supervisor that
  starts each process with ``setsid``) sets that too; one that shares a session with
  other processes leaves it alone, since it would lower them with it.
* Children inherit the nice value at fork: the parse and link-check processes lower
  theirs further from the worker's (workers/fetch_stage.py, workers/link_check_pool.py).

Containers and systemd units are cgroups of their own, weighted by the CPU weight the
deployment gives them (docker ``--cpu-shares``, systemd ``CPUWeight=``); there the nice
value only ranks a worker's own processes.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

PROC = Path("/proc")
AUTOGROUP = PROC / "self" / "autogroup"


def lower_priority(niceness: int) -> list[str]:
    """Raise this process's nice value by ``niceness`` (and its session's autogroup nice
    value to the result, when it leads its session and no other process is in it yet:
    say, an API started beside it before a shell ``exec``'d it); what was changed, for
    the log.

    Unprivileged processes can lower their priority, never raise it back, so this is
    called once, by the process that is to run at the lower priority."""
    done: list[str] = []
    if niceness <= 0:
        return done
    try:
        value = os.nice(niceness)
    except OSError:  # a platform or sandbox without setpriority
        return done
    done.append(f"nice {value}")
    if os.getsid(0) == os.getpid() and not _others_in_session():
        with contextlib.suppress(OSError):  # no autogroup support, or /proc read-only
            AUTOGROUP.write_text(str(value))
            done.append(f"session autogroup nice {value}")
    return done


def _others_in_session() -> bool:
    """Whether a process other than this one is in its session (Linux ``/proc``; True
    where there is none to tell, which leaves the session alone)."""
    session, me = os.getsid(0), os.getpid()
    try:
        entries = list(PROC.iterdir())
    except OSError:
        return True
    for entry in entries:
        if entry.name.isdigit() and int(entry.name) != me:
            with contextlib.suppress(OSError):  # gone meanwhile, or not ours to ask
                if os.getsid(int(entry.name)) == session:
                    return True
    return False
