"""The CPU-heavy processes yield the CPU to the API and the fetch loop when cores are short.

On a host where the API and the workers share cores, a request that arrives while the
workers keep every core busy waits for one: the API's tail latency becomes the
scheduler's, not the API's work. The same holds for a poll that falls due. So the
CPU-heavy processes lower their priority at start: the process stage
(``BRIEFING_WORKER_NICENESS``; in a child process of its own wherever it runs beside the
API or the fetch loop, service/stage_child.py), its link-check child and the parse
processes. The API, the fetch loop (claims and polls: light, and due at set times) and
the notifier keep theirs. When the cores are free every process runs as fast as before:
niceness only decides who waits when processes compete.

Two scheduler facts decide where the value must go (sched(7)):

* A process's nice value ranks it against the processes of its own scheduling group.
  With autogroup scheduling (``/proc/sys/kernel/sched_autogroup_enabled``), every session
  is a group of its own, weighted by the group's nice value, which is written to
  ``/proc/<pid>/autogroup``. A worker that leads its own session (a supervisor that
  starts each process with ``setsid``) raises that by its niceness too; one that shares
  a session with other processes leaves it alone, since it would lower them with it.
  By its niceness from where the group stood, not to the process's own nice value: that
  value does not weigh a session against the others, so a service started with
  ``nice -n 10`` in a shell's session weighs as a nice-0 group does, and its workers
  rank their niceness below it, not 19.
  A child process that is to rank below everything else on the host, not only below
  its parent, therefore starts a session of its own first (``lower_in_own_session``).
* Children inherit the nice value at fork: the link-check process lowers its own further
  from the process stage's (workers/link_check_pool.py).

Containers and systemd units are cgroups of their own, weighted by the CPU weight the
deployment gives them (docker ``--cpu-shares``, systemd ``CPUWeight=``); there the nice
value only ranks a worker's own processes.
"""

from __future__ import annotations

import contextlib
import errno
import os
import time
from collections.abc import Callable
from pathlib import Path

PROC = Path("/proc")
AUTOGROUP = PROC / "self" / "autogroup"
# The highest nice value (the lowest priority), for processes and autogroups alike.
MAX_NICE = 19
# Tries at an autogroup's nice value that the kernel refuses for its once-a-tenth-of-a-
# second limit (EAGAIN), and the wait between them: a few processes starting together
# each get theirs within a second.
AUTOGROUP_TRIES = 10
AUTOGROUP_RETRY = 0.11


def lower_priority(niceness: int) -> list[str]:
    """Raise this process's nice value by ``niceness`` (and its session's autogroup nice
    value by as much, when it leads its session and no other process is in it yet: say,
    an API started beside it before a shell ``exec``'d it); what was changed, for the log.

    Unprivileged processes can lower their priority, never raise it back, so this is
    called once, by the process that is to run at the lower priority."""
    return _lower(niceness, _autogroup_nice())


def lower_in_own_session(niceness: int) -> list[str]:
    """``lower_priority`` in a new session that this process leads alone, so that under
    autogroup scheduling its niceness counts against every other session on the host,
    not only within its parent's (a parse process beside the API in ``briefing run``,
    or in a worker that leads its own session). The new session's autogroup nice value
    is ``niceness`` above the one this process ranked in until now: its parent's
    session's, which the parent's own nice value does not change (a service started with
    ``nice -n 10`` in a shell's session weighs as that session does against the others,
    so its parse processes rank 10 below it, not 19; in init's session, whose processes
    weigh one by one, they rank ``niceness`` below this process). The process leaves its
    parent's process group with it: a terminal's Ctrl-C no longer reaches it, and whoever
    started it stops it (the parse pools and service/stage_child.py do)."""
    below = _autogroup_nice()
    if niceness > 0:
        with contextlib.suppress(OSError):  # already a process group leader
            os.setsid()
    return _lower(niceness, below)


def _lower(niceness: int, autogroup: int | None) -> list[str]:
    """``lower_priority``, with the autogroup nice value the session's is to be
    ``niceness`` above (None: no autogroup scheduling to read)."""
    done: list[str] = []
    if niceness <= 0:
        return done
    try:
        value = os.nice(niceness)
    except OSError:  # a platform or sandbox without setpriority
        return done
    done.append(f"nice {value}")
    if autogroup is None:
        return done
    if os.getsid(0) == os.getpid() and not _others_in_session():
        lowered = min(MAX_NICE, autogroup + niceness)
        if _write_autogroup(lowered):
            done.append(f"session autogroup nice {lowered}")
    return done


def _write_autogroup(value: int, *, sleep: Callable[[float], None] = time.sleep) -> bool:
    """Set this session's autogroup nice value to ``value``; whether it was set.

    The kernel lets a process without CAP_SYS_ADMIN change an autogroup's nice value
    once per tenth of a second, host-wide, and answers EAGAIN in between
    (kernel/sched/autogroup.c, ``proc_sched_autogroup_set_nice``): parse processes
    started together would otherwise leave all but the first at their parent's group
    weight. So EAGAIN is tried again, ``AUTOGROUP_TRIES`` times at most; any other error
    (a read-only /proc) gives up at once."""
    for _ in range(AUTOGROUP_TRIES):
        try:
            AUTOGROUP.write_text(str(value))
            return True
        except OSError as exc:
            if exc.errno != errno.EAGAIN:
                return False
        sleep(AUTOGROUP_RETRY)
    return False


def _autogroup_nice() -> int | None:
    """The nice value this process's session weighs at against the other sessions: its
    autogroup's (``/proc/self/autogroup``: ``/autogroup-N nice V``); None where the kernel
    has no autogroup scheduling.

    Init's session, and every process started in it without ``setsid`` (a VM's or CI
    runner's services), is in the default autogroup: the root task group itself, whose
    file the kernel leaves empty (kernel/sched/autogroup.c,
    ``proc_sched_autogroup_show_task`` prints only a task group that is an autogroup).
    Its processes weigh against the sessions' groups one by one, each at its own nice
    value, so that value is where the session stands."""
    try:
        text = AUTOGROUP.read_text()
    except OSError:
        return None
    if not text.strip():
        return os.getpriority(os.PRIO_PROCESS, 0)
    with contextlib.suppress(ValueError, IndexError):
        return int(text.split()[-1])
    return None


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
