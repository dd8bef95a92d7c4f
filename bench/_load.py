"""Open-loop HTTP load: GETs sent at a fixed rate whatever the server does.

A request whose turn comes while every connection is busy waits for the next free one,
and its latency counts from its *scheduled* time, so a stalled server shows as latency,
not as requests never sent (no coordinated omission, as wrk2 does it). Connections are
keep-alive HTTP/1.1 on raw asyncio sockets, one request in flight each: cheap enough for
the generator to keep up with the server it measures, and its CPU is a known small share.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import math
import re
import socket
import time
from typing import Protocol, cast
from urllib.parse import urlsplit

from bench._support import percentile


def get_request(url: str) -> tuple[str, int, bytes]:
    """Host, port and the bytes of a ``GET`` of ``url``."""
    parts = urlsplit(url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    request = f"GET {target} HTTP/1.1\r\nHost: {parts.netloc}\r\n\r\n".encode()
    return parts.hostname or "127.0.0.1", parts.port or 80, request


class Driver(Protocol):
    """What drives a set of ``Connection`` objects: the request, and what to do next."""

    request: bytes

    def done(self, connection: Connection, status: int, size: int) -> None: ...

    def lost_connection(self, connection: Connection) -> None: ...


class Connection(asyncio.Protocol):
    """One keep-alive HTTP/1.1 connection: one request in flight at a time, responses
    framed by Content-Length (our servers always send it; 304/204 carry no body)."""

    def __init__(self, driver: Driver) -> None:
        self.driver = driver
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.scheduled = 0.0
        self.sent_at = 0.0  # perf_counter when the request was written
        self.busy = False
        self.ready = asyncio.get_running_loop().create_future()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        transport = cast(asyncio.Transport, transport)  # uvloop's is not a subclass
        transport.get_extra_info("socket").setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.transport = transport
        self.ready.set_result(None)

    def send(self, scheduled: float) -> None:
        assert self.transport is not None
        self.scheduled = scheduled
        self.sent_at = time.perf_counter()
        self.busy = True
        self.transport.write(self.driver.request)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            return
        head = bytes(self.buffer[:end]).lower()
        status = int(head[9:12])
        found = re.search(rb"\r\ncontent-length:\s*(\d+)", head)
        if found is None and status not in (204, 304):
            raise RuntimeError(f"no Content-Length in {head[:200]!r}")
        size = int(found.group(1)) if found else 0
        if len(self.buffer) < end + 4 + size:
            return
        del self.buffer[: end + 4 + size]
        self.busy = False
        self.driver.done(self, status, size)

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.ready.done():
            self.ready.set_exception(exc or ConnectionError("closed"))
        self.driver.lost_connection(self)


class OpenLoop:
    """GETs of ``url`` scheduled at ``rate`` per second over ``connections`` connections,
    used round robin (FIFO) so that at a high rate every one stays busy.

    A connection the server closes while idle (its keep-alive timeout) is replaced; one
    closed with a request in flight counts in ``lost`` and the request goes again on a
    new connection (RFC 9110 section 9.2.2: a GET is idempotent, so a client may retry
    it), its latency still from its scheduled time."""

    def __init__(self, url: str, rate: float, connections: int) -> None:
        self.host, self.port, self.request = get_request(url)
        self.rate = rate
        self.connections = connections
        self.idle: collections.deque[Connection] = collections.deque()
        self.waiting: collections.deque[float] = collections.deque()
        self.latencies: list[float] = []  # seconds, of requests scheduled after the warm-up
        # (scheduled, written, answered) perf_counter times of the same requests
        self.timings: list[tuple[float, float, float]] = []
        self.statuses: collections.Counter[int] = collections.Counter()
        self.last_size = 0  # body bytes of the latest 2xx response
        self.max_size = 0
        self.measure_from = 0.0
        self.sent = 0  # requests scheduled after the warm-up
        self.lost = 0  # connections the server closed with a request in flight
        self.closing = False
        self.expected = math.inf  # requests to wait for at the end (known once sending stops)
        self.drained = asyncio.Event()
        self.open: set[Connection] = set()
        self._opening: set[asyncio.Task[None]] = set()

    def done(self, connection: Connection, status: int, size: int) -> None:
        now = time.perf_counter()
        if 200 <= status < 300:
            self.last_size = size
            self.max_size = max(self.max_size, size)
        if connection.scheduled >= self.measure_from:
            self.latencies.append(now - connection.scheduled)
            self.timings.append((connection.scheduled, connection.sent_at, now))
            self.statuses[status] += 1
            if len(self.latencies) >= self.expected:
                self.drained.set()
        self._free(connection)

    def lost_connection(self, connection: Connection) -> None:
        self.open.discard(connection)
        if self.closing:
            return
        if connection in self.idle:
            self.idle.remove(connection)
        elif connection.busy:
            self.lost += 1
            self.waiting.appendleft(connection.scheduled)
        task = asyncio.get_running_loop().create_task(self._replace())
        self._opening.add(task)
        task.add_done_callback(self._opening.discard)

    def _free(self, connection: Connection) -> None:
        if self.waiting:
            connection.send(self.waiting.popleft())
        else:
            self.idle.append(connection)

    async def _open(self) -> Connection:
        loop = asyncio.get_running_loop()
        _, connection = await loop.create_connection(lambda: Connection(self), self.host, self.port)
        await connection.ready
        self.open.add(connection)
        return connection

    async def _replace(self) -> None:
        while not self.closing:
            try:
                connection = await self._open()
            except OSError:
                await asyncio.sleep(0.1)
                continue
            self._free(connection)
            return

    async def run(
        self, warmup: float = 0.0, duration: float = math.inf, stop: asyncio.Event | None = None
    ) -> None:
        """Send for ``warmup`` + ``duration`` seconds, or until ``stop`` is set; then wait
        up to 10 s for the requests sent to finish. Only requests scheduled after the
        warm-up count."""
        self.idle.extend([await self._open() for _ in range(self.connections)])
        start = time.perf_counter()
        self.measure_from = start + warmup
        end = self.measure_from + duration
        issued = 0
        while (now := time.perf_counter()) < end and not (stop and stop.is_set()):
            due = math.floor((now - start) * self.rate) + 1  # scheduled at or before now
            for n in range(issued, due):
                scheduled = start + n / self.rate
                if self.idle:
                    self.idle.popleft().send(scheduled)
                else:
                    self.waiting.append(scheduled)
            issued = max(issued, due)
            # uvloop timers have 1 ms resolution; at a low rate, sleep to the next send
            next_send = start + issued / self.rate
            await asyncio.sleep(min(max(next_send - time.perf_counter(), 0.001), 0.1))
        self.sent = issued - math.ceil(warmup * self.rate)
        self.expected = self.sent
        if len(self.latencies) >= self.sent:
            self.drained.set()
        with contextlib.suppress(TimeoutError):  # what was sent finishes, or counts as lost
            await asyncio.wait_for(self.drained.wait(), 10)
        self.closing = True
        for task in list(self._opening):
            task.cancel()
        for connection in list(self.open):
            if connection.transport is not None:
                connection.transport.close()

    def summary(self, duration: float) -> dict[str, float]:
        """Rate, percentiles in ms and failures of the measured requests."""
        ordered = sorted(self.latencies)

        def pct(p: float) -> float:
            return percentile(ordered, p / 100) * 1000

        return {
            "rate": self.rate,
            "sent": self.sent,
            "completed": len(ordered),
            "rps": len(ordered) / duration,
            "p50_ms": pct(50),
            "p90_ms": pct(90),
            "p99_ms": pct(99),
            "p999_ms": pct(99.9),
            "max_ms": ordered[-1] * 1000 if ordered else float("nan"),
            "non_2xx": sum(n for s, n in self.statuses.items() if not 200 <= s < 400),
            "lost_connections": self.lost,
        }


class Endpoints:
    """Open loops on several paths of one server at once: ``{path: (rate, connections)}``."""

    def __init__(self, base: str, paths: dict[str, tuple[float, int]]) -> None:
        self.loads = {path: OpenLoop(base + path, *load) for path, load in paths.items()}

    async def run(self, duration: float = math.inf, stop: asyncio.Event | None = None) -> None:
        await asyncio.gather(*(load.run(0.0, duration, stop) for load in self.loads.values()))

    @property
    def latencies(self) -> dict[str, list[float]]:
        return {path: load.latencies for path, load in self.loads.items()}

    @property
    def statuses(self) -> collections.Counter[str]:
        """``"<path> <status>"`` -> responses, and each path's lost connections."""
        counted: collections.Counter[str] = collections.Counter()
        for path, load in self.loads.items():
            counted.update({f"{path} {status}": n for status, n in load.statuses.items()})
            if load.lost:
                counted[f"{path} connection lost (request retried)"] += load.lost
        return counted
