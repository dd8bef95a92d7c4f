"""API benchmark: the timeline endpoint beside a FastAPI hello-world, and SSE fan-out.

Run by hand: ``.venv/bin/python bench/api.py [--stories 10000] [--connections 200]``
(``--only timeline`` or ``--only sse`` for one part; ``--help`` for the rest).

* ``timeline``: ``--stories`` stories (3 outlets each, realistic text sizes) written to
  one briefing as the story stage writes them (tests/factories.write_story); the API runs
  in its own process (uvicorn, one worker, through service/api/server.py's AcceptAllServer as
  ``briefing api`` runs it), and so does a FastAPI app whose only route returns
  ``{"hello": "world"}``, served the same way. Per server:
  (1) closed loop: wrk (Debian's package), one thread, ``--connections`` connections,
  2 s warm-up then ``--duration`` s: requests/s and p50/p99 (wrk's, which counts from
  the actual send, so a stall hides behind fewer requests sent: coordinated omission);
  (2) open loop at each ``--loads`` fraction of that wrk rate: our generator
  (``load`` mode, its own process on uvloop, the same connections kept alive, used
  round robin) schedules requests at a fixed rate whatever the server does, and a
  request's latency counts from its *scheduled* time (as wrk2 does; wrk2 is not
  packaged). The timeline is the first page (``limit=50``), served as the app serves
  it (cache hits answered by service/api/cache_hits.py) and, unless
  ``--no-route-too``, again with every request through FastAPI's routing (``route``,
  the app before that layer). Unless ``--no-stock-too``, wrk again against hello-world
  and the timeline on uvicorn's own server (``-stock``: libuv accepts one connection
  per loop iteration, which shows as a closed-loop tail: docs/design.md). With
  ``--diagnose``, after each wrk run our closed-loop generator (``closed`` mode) against
  the same server: each connection's first request apart from the rest, and the same
  samples with wrk's coordinated-omission correction applied. Last, the generator
  against a trivial raw-socket server (``serve-raw``) at the highest rate used: its
  own latency floor.
* ``sse``: ``--sse-clients`` event-stream clients connect to the same API process (raw
  asyncio sockets in this process); then ``--events`` story events are written as the
  story stage writes them (the story and a reference to it in one MULTI), one every
  ``--interval`` s, so the API's hub loads each story to build its frame. Per event: time
  from just before the MULTI to the moment the last client has read its ``id:`` line;
  p50/p99/max over the events.

Redis is an embedded server in a temp directory (``--redis-url`` uses a scratch server
and **flushes** the bench prefix). Numbers are printed; they go to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import gc
import json
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import cast

import uvloop

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._load import Connection, OpenLoop, get_request  # noqa: E402
from bench._support import (  # noqa: E402
    free_port,
    load_average,
    machine_line,
    percentile,
    wait_for_port,
)
from service.config import AppConfig, BriefingConfig  # noqa: E402
from service.models import Story, StoryMember  # noqa: E402
from service.store import Store  # noqa: E402
from service.store.connection import RedisTarget, open_target  # noqa: E402
from service.store.stories import Event  # noqa: E402
from tests.factories import write_story  # noqa: E402

PREFIX = "bench"
WARMUP = 2.0  # seconds of load before measuring (open loop; wrk runs a 2 s warm-up)
BRIEFING = BriefingConfig(id="bench", title="Bench briefing")
T0 = datetime(2026, 11, 1, tzinfo=UTC)
WORDS = (
    "strike ceasefire talks minister border drone port grain energy grid council vote "
    "court ruling flood rescue summit sanctions election protest market rates bridge"
).split()


# --- servers (child processes) -------------------------------------------------------


def serve_api(port: int, redis_url: str, *, route_only: bool = False, stock: bool = False) -> None:
    from service.api.app import create_app
    from service.api.cache_hits import CacheHits
    from service.settings import Settings
    from service.startup_heap import freeze_startup_heap

    # redis-py 8's asyncio pool refuses (MaxConnectionsError) past 100 connections in use
    # instead of waiting; 200 concurrent requests need more (see the report in docs).
    client = open_target(redis_url, Path(tempfile.gettempdir())).client(max_connections=1024)
    store = Store(client, prefix=PREFIX)
    app = create_app(Settings(redis_url=redis_url), store, AppConfig(briefings=(BRIEFING,)))
    if route_only:  # every request through FastAPI's routing, as before the CacheHits layer
        app.user_middleware = [m for m in app.user_middleware if m.cls is not CacheHits]
    freeze_startup_heap()  # as `briefing api` does
    run_uvicorn(app, port, stock=stock)


def serve_hello(port: int, *, stock: bool = False) -> None:
    from fastapi import FastAPI

    app = FastAPI()

    @app.get("/hello")
    async def hello() -> dict[str, str]:
        return {"hello": "world"}

    run_uvicorn(app, port, stock=stock)


def run_uvicorn(app: object, port: int, *, stock: bool) -> None:
    """One uvicorn worker on uvloop + httptools (its defaults here), through the server
    `briefing api` uses (AcceptAllServer: every queued connection accepted per readiness
    event), or with ``stock`` through uvicorn's own (libuv accepts one per loop iteration)."""
    import uvicorn

    from service.api.server import AcceptAllServer

    config = uvicorn.Config(
        app,  # type: ignore[arg-type]
        host="127.0.0.1",
        port=port,
        log_level="warning",
        access_log=False,
    )
    (uvicorn.Server(config) if stock else AcceptAllServer(config)).run()


@contextlib.contextmanager
def child(*args: str) -> Iterator[int]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, __file__, *args, "--port", str(port)])
    try:
        wait_for_port(port, proc, what=f"{args[0]} server")
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)


# --- data ----------------------------------------------------------------------------


def make_story(n: int) -> Story:
    when = T0 + timedelta(seconds=37 * n)
    words = [WORDS[(n * k + k) % len(WORDS)] for k in range(1, 10)]
    headline = f"{' '.join(words).capitalize()} as officials respond ({n})"
    members = tuple(
        StoryMember(
            article_id=f"a{n}-{k}",
            feed_url=f"https://outlet{k}.example/rss",
            outlet=f"Outlet {k}",
            url=f"https://outlet{k}.example/news/{n}",
            title=headline,
            published=when - timedelta(minutes=k),
            language="en",
            country="GB",
        )
        for k in range(3)
    )
    return Story(
        id=f"st_{n:08d}",
        headline=headline,
        summary=(headline + ". ") * 3,
        first_seen=when - timedelta(minutes=2),
        last_updated=when,
        members=members,
        languages=("en",),
        places=("Kyiv", "Odesa"),
        keywords=tuple(words[:5]),
        briefings=(BRIEFING.id,),
    )


async def fill(redis_url: str, count: int) -> None:
    target = open_target(redis_url, Path(tempfile.gettempdir()))
    client = target.client()
    try:
        for key in await client.keys(f"{PREFIX}:*"):
            await client.delete(key)
        store = Store(client, prefix=PREFIX)
        for n in range(count):
            s = make_story(n)
            await write_story(
                store,
                s,
                article_id=s.members[0].article_id,
                new_briefings=s.briefings,
                events=[Event("story.created")],
                log_entry=None,
                now=s.last_updated,
            )
    finally:
        await client.aclose()


# --- timeline vs hello-world with wrk --------------------------------------------------

_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def wrk(url: str, connections: int, duration: int) -> dict[str, float]:
    subprocess.run(
        ["wrk", "-t1", f"-c{connections}", "-d2s", url], check=True, capture_output=True
    )  # warm-up
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--latency", url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout

    def latency(pct: str) -> float:
        found = re.search(rf"^\s+{pct}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        assert found, out
        return float(found.group(1)) * _UNITS[found.group(2)]

    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    assert rps, out
    found = re.search(r"^\s+Latency\s+\S+\s+\S+\s+([\d.]+)(us|ms|s)\s", out, re.M)
    assert found, out
    return {
        "rps": float(rps.group(1)),
        "max_ms": float(found.group(1)) * _UNITS[found.group(2)],
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
        "non_2xx": float(errors.group(1)) if errors else 0.0,
    }


def bench_timeline(redis_url: str, args: argparse.Namespace) -> dict[str, dict[str, float]]:
    """Closed loop (wrk) then open loop at ``--loads`` of that capacity, per server; first
    the generator alone against a trivial server, at the highest rate used after."""
    results: dict[str, dict[str, float]] = {}
    fractions = [float(f) for f in args.loads.split(",") if f]
    with child("serve-hello") as port:
        url = f"http://127.0.0.1:{port}/hello"
        results["hello"] = wrk(url, args.connections, args.duration)
        if args.diagnose:
            results["hello/closed"] = closed_loop(url, args)
        for f in fractions:
            results[f"hello@{f:.0%}"] = open_loop(url, f * results["hello"]["rps"], args)
    if args.stock_too:
        with child("serve-hello", "--stock") as port:
            url = f"http://127.0.0.1:{port}/hello"
            results["hello-stock"] = wrk(url, args.connections, args.duration)
            if args.diagnose:
                results["hello-stock/closed"] = closed_loop(url, args)
    variants = [("timeline", ())] + ([("route", ("--route-only",))] if args.route_too else [])
    for name, extra in variants:
        with child("serve-api", "--redis-url", redis_url, *extra) as port:
            url = f"http://127.0.0.1:{port}/v1/briefings/{BRIEFING.id}/timeline"
            results[name] = wrk(url, args.connections, args.duration)
            if args.diagnose:
                results[f"{name}/closed"] = closed_loop(url, args)
            for f in fractions:
                results[f"{name}@{f:.0%}"] = open_loop(url, f * results[name]["rps"], args)
    if args.stock_too:
        with child("serve-api", "--redis-url", redis_url, "--stock") as port:
            url = f"http://127.0.0.1:{port}/v1/briefings/{BRIEFING.id}/timeline"
            results["timeline-stock"] = wrk(url, args.connections, args.duration)
            if args.diagnose:
                results["timeline-stock/closed"] = closed_loop(url, args)
    top = max((r["rate"] for r in results.values() if "rate" in r), default=0.0)
    if top:
        with child("serve-raw") as port:
            results["raw@max"] = open_loop(f"http://127.0.0.1:{port}/hello", top, args)
    return results


def report_timeline(results: dict[str, dict[str, float]], args: argparse.Namespace) -> None:
    print(f"closed loop (wrk -t1 -c{args.connections} -d{args.duration}s; *-stock: uvicorn's "
          "own server, libuv accepting one connection per loop iteration):")  # fmt: skip
    for name in ("hello", "hello-stock", "timeline", "timeline-stock", "route"):
        if name not in results:
            continue
        r = results[name]
        print(f"  {name:14} {r['rps']:7.0f} req/s  p50 {r['p50_ms']:7.2f} ms  "
              f"p99 {r['p99_ms']:7.2f} ms  max {r['max_ms']:7.2f} ms  "
              f"non-2xx {r['non_2xx']:.0f}")  # fmt: skip
    diagnosed = [name for name in results if name.endswith("/closed")]
    if diagnosed:
        print(
            f"closed loop, our generator ({args.connections} connections opened at once, "
            f"{args.duration} s, no warm-up; 'first' = each connection's first request):"
        )
    for name in diagnosed:
        r = results[name]
        print(f"  {name:21} {r['rps']:7.0f} req/s  p50 {r['p50_ms']:6.2f}  "
              f"p99 {r['p99_ms']:6.2f}  max {r['max_ms']:7.2f} ms; later requests "
              f"p99 {r['later_p99_ms']:6.2f} max {r['later_max_ms']:6.2f} ms; first requests "
              f"max {r['first_max_ms']:7.2f} ms, {r['first_over_100ms']:.0f} over 100 ms; "
              f"with wrk's correction p99 {r['wrk_corrected_p99_ms']:7.2f} ms "
              f"(+{r['synthetic']:.0f} synthetic samples)")  # fmt: skip
    hello, timeline = results["hello"], results["timeline"]
    print(f"  timeline / hello-world: {timeline['rps'] / hello['rps']:.0%} (target >= 60%), "
          f"p99 {timeline['p99_ms']:.1f} ms (target < 50 ms) at {args.connections} "
          f"connections; Little's law: mean latency = connections / throughput "
          f"= {args.connections / timeline['rps'] * 1000:.1f} ms")  # fmt: skip
    print(f"open loop ({args.connections} connections, {args.duration} s after a {WARMUP:.0f} s "
          "warm-up, latency from the scheduled send time):")  # fmt: skip
    for name, r in results.items():
        if "rate" in r:
            print(f"  {name:14} {r['rate']:7.0f} req/s offered {r['rps']:7.0f} served  "
                  f"p50 {r['p50_ms']:7.2f}  p90 {r['p90_ms']:7.2f}  p99 {r['p99_ms']:7.2f}  "
                  f"p99.9 {r['p999_ms']:7.2f}  max {r['max_ms']:7.2f} ms  "
                  f"non-2xx {r['non_2xx']:.0f}  lost {r['lost_connections']:.0f}")  # fmt: skip


# --- closed-loop diagnostic (wrk's loop, each request's latency kept) ---------------


class _ClosedClient(Connection):
    """One connection of the closed-loop diagnostic: the next request as soon as the
    answer is in; each latency recorded with the request's number on its connection."""

    def __init__(self, load: _ClosedLoop) -> None:
        super().__init__(load)
        self.seq = 0

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        super().connection_made(transport)
        self.send(time.perf_counter())


class _ClosedLoop:
    """wrk's closed loop in Python, to see which requests are slow: ``connections``
    connections opened at once (as wrk does), each sending its next request as soon as
    its answer arrives, for ``duration`` s. Records (request number on its connection,
    latency) per request."""

    def __init__(self, url: str, connections: int) -> None:
        self.host, self.port, self.request = get_request(url)
        self.connections = connections
        self.samples: list[tuple[int, float]] = []
        self.statuses: collections.Counter[int] = collections.Counter()
        self.sending = True
        self.closing = False
        self.lost = 0

    def done(self, connection: Connection, status: int, size: int) -> None:
        assert isinstance(connection, _ClosedClient)
        self.samples.append((connection.seq, time.perf_counter() - connection.scheduled))
        self.statuses[status] += 1
        connection.seq += 1
        if self.sending:
            connection.send(time.perf_counter())

    def lost_connection(self, connection: Connection) -> None:
        if not self.closing:
            self.lost += 1

    async def run(self, duration: float) -> dict[str, float]:
        loop = asyncio.get_running_loop()
        started = time.perf_counter()
        opened = await asyncio.gather(*(
            loop.create_connection(lambda: _ClosedClient(self), self.host, self.port)
            for _ in range(self.connections)
        ))  # fmt: skip
        await asyncio.sleep(duration - (time.perf_counter() - started))
        self.sending = False
        await asyncio.sleep(0.5)  # the last answers
        self.closing = True
        for transport, _ in opened:
            transport.close()
        elapsed = time.perf_counter() - started
        return closed_loop_summary(self.samples, self.connections, elapsed)


def closed_loop_summary(
    samples: list[tuple[int, float]], connections: int, elapsed: float
) -> dict[str, float]:
    """Percentiles of the raw samples; of every connection's first request apart; and of
    the same samples after wrk's coordinated-omission correction (wrk.c ``stats_correct``,
    applied before wrk prints any latency: a sample of latency L adds synthetic samples at
    L - i, L - 2i, ... down to i, where i = run time / requests per connection)."""
    ordered = sorted(latency for _, latency in samples)
    first = sorted(latency for seq, latency in samples if seq == 0)
    later = sorted(latency for seq, latency in samples if seq > 0)

    def pct(values: list[float], p: float) -> float:
        return percentile(values, p / 100) * 1000

    interval = elapsed / (len(samples) / connections)
    corrected = list(ordered)
    for latency in ordered:
        synthetic = latency - interval
        while latency >= 2 * interval and synthetic > interval:
            corrected.append(synthetic)
            synthetic -= interval
    corrected.sort()
    return {
        "requests": len(samples),
        "rps": len(samples) / elapsed,
        "p50_ms": pct(ordered, 50),
        "p99_ms": pct(ordered, 99),
        "max_ms": ordered[-1] * 1000,
        "later_p99_ms": pct(later, 99),
        "later_max_ms": later[-1] * 1000,
        "first_max_ms": first[-1] * 1000,
        "first_over_100ms": sum(1 for x in first if x > 0.1),
        "wrk_corrected_p99_ms": pct(corrected, 99),
        "synthetic": len(corrected) - len(ordered),
    }


def closed_loop(url: str, args: argparse.Namespace) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "closed", "--url", url,
         "--connections", str(args.connections), "--duration", str(args.duration)],
        check=True, stdout=subprocess.PIPE, text=True,
    ).stdout  # fmt: skip
    return dict(json.loads(out.strip().splitlines()[-1]))


def open_loop(url: str, rate: float, args: argparse.Namespace) -> dict[str, float]:
    """Run the generator in its own process (on uvloop), so its CPU is not the bench's."""
    out = subprocess.run(
        [sys.executable, __file__, "load", "--url", url, "--rate", str(rate),
         "--connections", str(args.connections), "--duration", str(args.duration)],
        check=True, stdout=subprocess.PIPE, text=True,
    ).stdout  # fmt: skip
    return dict(json.loads(out.strip().splitlines()[-1]))


def serve_raw(port: int) -> None:
    """A trivial HTTP server (fixed reply, no framework) to show the generator's ceiling."""
    reply = (
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 17\r\n\r\n"
        b'{"hello":"world"}'
    )

    class Raw(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            self.transport, self.buffer = cast(asyncio.Transport, transport), b""

        def data_received(self, data: bytes) -> None:
            self.buffer += data
            while (end := self.buffer.find(b"\r\n\r\n")) >= 0:
                self.buffer = self.buffer[end + 4 :]
                self.transport.write(reply)

    async def main() -> None:
        server = await asyncio.get_running_loop().create_server(Raw, "127.0.0.1", port)
        await server.serve_forever()

    uvloop.run(main())


# --- SSE fan-out ----------------------------------------------------------------------


class Arrivals:
    def __init__(self, clients: int) -> None:
        self.clients = clients
        self.counts: dict[str, int] = {}
        self.done: dict[str, asyncio.Event] = {}
        self.last: dict[str, float] = {}

    def expect(self, event_id: str) -> asyncio.Event:
        return self.done.setdefault(event_id, asyncio.Event())

    def arrived(self, event_id: str) -> None:
        self.counts[event_id] = self.counts.get(event_id, 0) + 1
        if self.counts[event_id] == self.clients:
            self.last[event_id] = time.perf_counter()
            self.expect(event_id).set()


# The API holds at most ``sse_max_streams_per_client`` (20) streams per client address, so
# the clients connect from many loopback addresses, as many real clients would.
SSE_CLIENTS_PER_ADDRESS = 10


async def sse_client(port: int, path: str, ready: asyncio.Event, arrivals: Arrivals,
                     connected: list[int], source: str) -> None:  # fmt: skip
    reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0))
    writer.write(
        f"GET {path} HTTP/1.1\r\nHost: bench\r\nAccept: text/event-stream\r\n\r\n".encode()
    )
    await writer.drain()
    try:
        while line := await reader.readline():
            if line.startswith(b": connected"):
                connected[0] += 1
                if connected[0] == arrivals.clients:
                    ready.set()
            elif line.startswith(b"id: "):
                arrivals.arrived(line[4:].strip().decode())
    finally:
        writer.close()


async def emit_story(store: Store, n: int) -> str:
    """A ``story.created`` as the story stage writes it: the story and a reference to it,
    in one MULTI."""
    story = make_story(10_000_000 + n)
    [event_id] = await write_story(
        store,
        story,
        article_id=story.members[-1].article_id,
        new_briefings=story.briefings,
        events=[Event("story.created")],
        now=story.last_updated,
    )
    return event_id


async def bench_sse(redis_url: str, args: argparse.Namespace) -> dict[str, float]:
    """Story written -> last of ``args.sse_clients`` clients, for ``args.events`` events
    (the time runs from just before ``emit_story`` is called)."""
    arrivals = Arrivals(args.sse_clients)
    ready = asyncio.Event()
    connected = [0]
    target = open_target(redis_url, Path(tempfile.gettempdir()))
    redis = target.client()
    store = Store(redis, prefix=PREFIX)
    with child("serve-api", "--redis-url", redis_url) as port:
        path = f"/v1/briefings/{BRIEFING.id}/stream"
        tasks = []
        for n in range(args.sse_clients):
            address = n // SSE_CLIENTS_PER_ADDRESS
            source = f"127.0.{1 + address // 250}.{1 + address % 250}"
            client = sse_client(port, path, ready, arrivals, connected, source)
            tasks.append(asyncio.create_task(client))
            await asyncio.sleep(0)
        await asyncio.wait_for(ready.wait(), 120)
        await asyncio.sleep(1.0)  # let the hub settle on its XREAD
        delays = []
        for n in range(args.events):
            sent = time.perf_counter()
            event_id = await emit_story(store, n)
            await asyncio.wait_for(arrivals.expect(event_id).wait(), 30)
            delays.append((arrivals.last[event_id] - sent) * 1000)
            await asyncio.sleep(args.interval)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    await redis.aclose()
    ordered = sorted(delays)
    return {
        "clients": args.sse_clients,
        "events": len(delays),
        "p50_ms": percentile(ordered, 0.5),
        "p99_ms": percentile(ordered, 0.99),
        "max_ms": ordered[-1],
    }


# --- main ------------------------------------------------------------------------------


def raise_nofile_limit() -> None:
    """Up to 65,536 descriptors: a thousand SSE clients and 200 connections each need one."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 65536)), hard))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "mode",
        nargs="?",
        default="run",
        choices=["run", "serve-api", "serve-hello", "serve-raw", "load", "closed"],
    )
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--redis-url", default=None)
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--duration", type=int, default=10, help="seconds per load run")
    parser.add_argument(
        "--loads",
        default="0.5,0.8",
        help="open-loop rates, as fractions of the wrk (closed-loop) req/s of the same server",
    )
    parser.add_argument("--url", default="", help="load: the URL")
    parser.add_argument("--rate", type=float, default=1000.0, help="load: requests/s")
    parser.add_argument("--sse-clients", type=int, default=1000)
    parser.add_argument("--events", type=int, default=50)
    parser.add_argument("--interval", type=float, default=0.2, help="seconds between events")
    parser.add_argument("--only", choices=["timeline", "sse"], default=None)
    parser.add_argument(
        "--route-too",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also the timeline with every request through FastAPI's routing (no CacheHits)",
    )
    parser.add_argument("--route-only", action="store_true", help="serve-api: no CacheHits")
    parser.add_argument(
        "--stock",
        action="store_true",
        help="serve-api/serve-hello: uvicorn's own server (libuv accepts one connection per "
        "loop iteration) instead of AcceptAllServer",
    )
    parser.add_argument(
        "--stock-too",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="closed loop also against hello-world and the timeline on uvicorn's own server",
    )
    parser.add_argument(
        "--diagnose",
        action="store_true",
        help="closed loop also with our generator (``closed`` mode) per server: raw "
        "percentiles, each connection's first request apart, wrk's correction applied",
    )
    args = parser.parse_args()
    raise_nofile_limit()
    if args.mode == "serve-api":
        serve_api(args.port, args.redis_url, route_only=args.route_only, stock=args.stock)
        return
    if args.mode == "serve-hello":
        serve_hello(args.port, stock=args.stock)
        return
    if args.mode == "serve-raw":
        serve_raw(args.port)
        return
    if args.mode == "closed":
        gc.disable()
        closed = _ClosedLoop(args.url, args.connections)
        print(json.dumps(uvloop.run(closed.run(args.duration))))
        return
    if args.mode == "load":
        gc.disable()  # a collection pause would show as the server's latency
        load = OpenLoop(args.url, args.rate, args.connections)
        uvloop.run(load.run(WARMUP, args.duration))
        print(json.dumps(load.summary(args.duration)))
        return

    if args.only in (None, "timeline") and shutil.which("wrk") is None:
        parser.error("wrk is not installed (Debian: apt-get install wrk): the closed loop runs it")
    with tempfile.TemporaryDirectory() as tmp:
        target = open_target(args.redis_url, Path(tmp))
        try:
            run_benchmarks(args, target)
        finally:
            target.close()  # an embedded Redis is stopped whatever failed


def run_benchmarks(args: argparse.Namespace, target: RedisTarget) -> None:
    redis_url = args.redis_url or f"unix://{target.unix_socket}"
    print(f"# {machine_line()}")
    started = time.perf_counter()
    asyncio.run(fill(redis_url, args.stories))
    print(f"filled {args.stories} stories in {time.perf_counter() - started:.1f} s")
    if args.only in (None, "timeline"):
        report_timeline(bench_timeline(redis_url, args), args)
    if args.only in (None, "sse"):
        sse = asyncio.run(bench_sse(redis_url, args))
        print(f"sse: {sse['clients']} clients, {sse['events']} events: "
              "MULTI (story + XADD) -> last client "
              f"p50 {sse['p50_ms']:.1f} ms, p99 {sse['p99_ms']:.1f} ms, "
              f"max {sse['max_ms']:.1f} ms (target p99 < 1000 ms)")  # fmt: skip
    print(f"load average after: {load_average()}")


if __name__ == "__main__":
    main()
