"""Where a process's request latency goes: its event loop's lag, its GC pauses, and (for
an ASGI app) each request's time inside the app.

Why: a client measures latency from the scheduled send to the last byte read, which adds
up its own loop's delays, the server's loop lag (a request waits while the loop runs
something else), the time inside the app and the wait for a core. Measured in each
process, the parts can be told apart: a slow request whose time inside the app is short
and whose process saw no loop stall waited elsewhere.

* ``LoopLag``: a task that sleeps ``every`` seconds and records by how much each wake-up
  was late: a loop busy with one long callback (a render, a JSON encode, a big decode)
  shows as one late wake-up of about that length.
* ``GcPauses``: ``gc.callbacks`` timing each collection of the cyclic GC.
* ``RequestTimes`` (filled by the ASGI middleware ``TimedApp``): per HTTP request, the
  path, the wall time it reached the app and the time until its last response message
  was sent.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import gc
import time
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Any

from bench._support import percentile

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

STALL_S = 0.02  # a late wake-up at least this long is kept with its wall time


def run_queue_wait(pid: int) -> tuple[float, float]:
    """Seconds the main thread of ``pid`` has run on a core and waited in a run queue for
    one (``/proc/PID/schedstat``, kernel docs sched-stats.rst); zeros if it is gone."""
    with contextlib.suppress(OSError, ValueError):
        ran, waited, _ = Path(f"/proc/{pid}/schedstat").read_text().split()
        return int(ran) / 1e9, int(waited) / 1e9
    return 0.0, 0.0


class LoopLag:
    def __init__(self, every: float = 0.005) -> None:
        self.every = every
        self.lags: list[float] = []  # seconds each wake-up was late
        self.stalls: list[tuple[float, float]] = []  # (wall time of the wake-up, lag)
        # Of each stall, the CPU seconds this thread ran meanwhile: about the whole lag
        # when the loop was busy (a long callback, a GC pause), much less when the thread
        # was runnable but waiting for a core.
        self.stall_cpu: list[float] = []

    async def run(self, stop: asyncio.Event | None = None) -> None:
        while stop is None or not stop.is_set():
            before, cpu_before = time.perf_counter(), time.thread_time()
            await asyncio.sleep(self.every)
            lag = max(0.0, time.perf_counter() - before - self.every)
            self.lags.append(lag)
            if lag >= STALL_S:
                self.stalls.append((time.time(), lag))
                self.stall_cpu.append(time.thread_time() - cpu_before)

    def summary(self) -> dict[str, Any]:
        ordered = sorted(self.lags)
        return {
            "samples": len(ordered),
            "p50_ms": percentile(ordered, 0.5) * 1000,
            "p99_ms": percentile(ordered, 0.99) * 1000,
            "max_ms": (ordered[-1] if ordered else float("nan")) * 1000,
            "stalls": len(self.stalls),
            "stalled_s": sum(lag for _, lag in self.stalls),
            # stalls during which the thread ran for at least half the lag: busy, not waiting
            "busy_stalls": sum(
                1
                for (_, lag), cpu in zip(self.stalls, self.stall_cpu, strict=True)
                if cpu >= lag / 2
            ),
            "stall_cpu_s": sum(self.stall_cpu),
        }


class GcPauses:
    def __init__(self) -> None:
        self.pauses: list[tuple[float, int, float]] = []  # (wall time, generation, seconds)
        self.cpu: list[float] = []  # CPU seconds of each pause (less when descheduled)
        self._started = self._cpu = 0.0

    def install(self) -> None:
        gc.callbacks.append(self._callback)

    def _callback(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started, self._cpu = time.perf_counter(), time.thread_time()
        else:
            self.cpu.append(time.thread_time() - self._cpu)
            self.pauses.append(
                (time.time(), info["generation"], time.perf_counter() - self._started)
            )

    def summary(self) -> dict[str, Any]:
        longest = max((p for _, _, p in self.pauses), default=0.0)
        return {
            "by_generation": {
                g: [len(ps := [p for _, gen, p in self.pauses if gen == g]), max(ps, default=0)]
                for g in (0, 1, 2)
            },
            "collections": len(self.pauses),
            "total_s": sum(p for _, _, p in self.pauses),
            "max_ms": longest * 1000,
            "max_cpu_ms": max(self.cpu, default=0.0) * 1000,
            "over_10ms": sum(1 for _, _, p in self.pauses if p >= 0.01),
        }


class RequestTimes:
    """Per HTTP request: (path, wall time it reached the app, seconds to its last response
    message), kept by ``TimedApp`` middleware."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, float, float]] = []

    def summary(self) -> dict[str, dict[str, float]]:
        by_path: dict[str, list[float]] = {}
        for path, _, seconds in self.requests:
            by_path.setdefault(path, []).append(seconds)
        return {
            path: {
                "n": len(values),
                "p50_ms": percentile(values, 0.5) * 1000,
                "p99_ms": percentile(values, 0.99) * 1000,
                "max_ms": max(values) * 1000,
            }
            for path, values in by_path.items()
        }


class TimedApp:
    """ASGI middleware filling ``times``; starts ``lag`` on the app's loop at the first
    request."""

    def __init__(self, app: ASGIApp, times: RequestTimes, lag: LoopLag) -> None:
        self.app = app
        self.times = times
        self.lag = lag
        self._lag_task: asyncio.Task[None] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self._lag_task is None:
            self._lag_task = asyncio.get_running_loop().create_task(self.lag.run())
        wall, started = time.time(), time.perf_counter()

        async def timed_send(message: Message) -> None:
            await send(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                self.times.requests.append((scope["path"], wall, time.perf_counter() - started))

        await self.app(scope, receive, timed_send)


def overlaps(stalls: list[tuple[float, float]], start: float, end: float) -> float:
    """Seconds of the stalls (each ending at its wall time) inside ``start``..``end``."""
    return sum(
        max(0.0, min(end, at) - max(start, at - lag)) for at, lag in stalls if at - lag < end
    )


def explain_slow(
    client: list[tuple[float, float, float]],
    app: list[tuple[float, float]],
    client_stalls: list[tuple[float, float]],
    api_stalls: list[tuple[float, float]],
    threshold: float,
) -> list[dict[str, float]]:
    """Each client request slower than ``threshold`` s, in parts (seconds): ``written``
    (scheduled to written: the client's loop or no free connection), ``in_app`` (the API's
    own time for the request that reached it first after it was written), and the stalls
    of either loop during it. ``client`` is (scheduled, written, answered) and ``app``
    (wall time in, seconds) of one path, all in wall-clock seconds."""
    ordered = sorted(app)
    starts = [t for t, _ in ordered]
    slow = []
    for scheduled, written, answered in client:
        if answered - scheduled < threshold:
            continue
        i = bisect.bisect_left(starts, written - 0.002)  # clocks of two processes
        in_app = ordered[i][1] if i < len(starts) and starts[i] <= answered else float("nan")
        slow.append(
            {
                "at": scheduled,
                "latency": answered - scheduled,
                "written": written - scheduled,
                "in_app": in_app,
                "client_stall": overlaps(client_stalls, scheduled, answered),
                "api_stall": overlaps(api_stalls, written, answered),
            }
        )
    return slow
