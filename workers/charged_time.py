"""The time a call in a worker process is charged: its wall time less the time the
process waited for a CPU, so that a busy host does not fail a call for its own load.

The parse processes run niced in sessions of their own (service/cpu_priority.py): on a
host whose cores are busy with other work they run a small share of the time, and a parse
that needs a tenth of its deadline of CPU can wait on a run queue past the whole deadline.
The deadline is there to stop a document too costly to parse, not to measure the host, so
a call is charged the time its process ran, slept or waited for anything but a CPU.

On Linux the kernel counts, per thread, its time on a CPU, its time waiting on a run queue
and its timeslices (``/proc/<pid>/schedstat``, nanoseconds; CONFIG_SCHED_INFO, on in
distribution kernels). It adds a wait to that count when the wait ends, as the thread gets
a CPU: a wait still going on is not in it yet. So a reading also notes whether the thread
is runnable (``/proc/<pid>/stat``); one that is runnable and has not run since an earlier
reading has waited for a CPU since then, uncounted, and that time is not charged either;
one that is runnable and ran since the last reading may have waited since it last ran, so
a call is past its deadline only once what it was charged, less that last stretch, is.

The files are the main thread's, which runs the calls (a library's helper threads are not
counted). Where they cannot be read (another platform, a kernel without them) the charged
time is the wall time, as if the process never waited; where they can no longer be read
(the process ended), the time since they last could is charged whole.

Pure but for ``read``: the readings are arguments.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

PROC = Path("/proc")
# The shortest wait between two readings: near its deadline a call is read again this
# soon, to tell a process that is running from one that is waiting for a CPU; a call
# is charged at most about this much past its deadline.
MIN_CHECK = 0.05


@dataclass(frozen=True, slots=True)
class Reading:
    """One reading of a call's clocks: the caller's wall clock (seconds, monotonic); the
    process's counted run-queue wait (seconds) and a mark that changes whenever it runs
    (its CPU time and timeslices), None where they cannot be read; whether it is
    runnable (running or waiting for a CPU)."""

    wall: float
    run_delay: float | None
    ran: tuple[int, int] | None = None
    runnable: bool = False


def read(pid: int, wall: float, *, state: bool = True) -> Reading:
    """Process ``pid``'s clocks now, beside ``wall`` (the caller's clock); without
    ``state``, not whether it is runnable (a call's first reading, which is never asked:
    one file read less at every call)."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        schedstat = (PROC / str(pid) / "schedstat").read_text().split()
        on_cpu, waited, slices = (int(field) for field in schedstat[:3])
        runnable = False
        if state:
            stat = (PROC / str(pid) / "stat").read_text()
            runnable = stat.rsplit(")", 1)[1].split()[0] == "R"
        return Reading(wall, waited / 1e9, (on_cpu, slices), runnable)
    return Reading(wall, None)


@dataclass(frozen=True, slots=True)
class CallTime:
    """A call's clocks from ``start`` to ``last`` (its latest reading). ``waiting_since``:
    the wall time since which the process has been waiting for a CPU without getting one
    (not counted by the kernel yet); ``unsure``: seconds before that time, or before
    ``last``, in which it may have been waiting so (it ran in them, and was runnable at
    their end)."""

    start: Reading
    last: Reading
    waiting_since: float | None = None
    unsure: float = 0.0

    @classmethod
    def starting(cls, reading: Reading) -> CallTime:
        return cls(reading, reading)

    def at(self, now: Reading) -> CallTime:
        """These clocks at a later reading ``now``."""
        if self.last.run_delay is None:
            return CallTime(self.start, now)
        if now.run_delay is None:  # the process gone since: the time between charged whole
            now = Reading(now.wall, self.last.run_delay, self.last.ran)
        if now.runnable and now.ran == self.last.ran:  # waiting for a CPU since `last`
            since = self.last.wall if self.waiting_since is None else self.waiting_since
            return CallTime(self.start, now, since, self.unsure)
        return CallTime(self.start, now, unsure=now.wall - self.last.wall if now.runnable else 0.0)

    @property
    def wall(self) -> float:
        """Seconds of wall time so far."""
        return self.last.wall - self.start.wall

    @property
    def charged(self) -> float:
        """Seconds charged so far: the wall time less the waits for a CPU, counted and not
        counted yet (the wall time where the waits cannot be read)."""
        if self.start.run_delay is None or self.last.run_delay is None:
            return self.wall
        waited = self.last.run_delay - self.start.run_delay
        if self.waiting_since is not None:
            waited += self.last.wall - self.waiting_since
        return min(self.wall, max(0.0, self.wall - waited))

    def past(self, deadline: float) -> bool:
        """Whether the call has been charged ``deadline`` seconds for sure."""
        return self.charged - self.unsure >= deadline

    def next_check(self, deadline: float, wall_cap: float) -> float:
        """Seconds of wall time to wait before a bound could be reached (``deadline``
        seconds charged, ``wall_cap`` of wall time; charged time runs no faster than wall
        time), at least MIN_CHECK; 0 when one is."""
        if self.past(deadline) or self.wall >= wall_cap:
            return 0.0
        return max(MIN_CHECK, min(deadline - self.charged, wall_cap - self.wall))
