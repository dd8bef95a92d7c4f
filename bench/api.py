"""API benchmark: the timeline endpoint beside a FastAPI hello-world, and SSE fan-out.

Run by hand: ``.venv/bin/python bench/api.py [--stories 10000] [--connections 200]``
(``--only timeline`` or ``--only sse`` for one part; ``--help`` for the rest).

* ``timeline``: ``--stories`` stories (3 outlets each, realistic text sizes) written to
  one briefing through the real write path (StoryStore.save); the API runs in its own
  process (uvicorn, one worker, as ``briefing api`` runs it), and so does a FastAPI app
  whose only route returns ``{"hello": "world"}``, served the same way. wrk (Debian's
  package) loads each in turn from one thread with ``--connections`` connections:
  requests/s and p50/p99 latency, first page (``limit=50``) of the timeline.
* ``sse``: ``--sse-clients`` event-stream clients connect to the same API process (raw
  asyncio sockets in this process); then ``--events`` story events are XADDed, one every
  ``--interval`` s. Per event: time from the XADD to the moment the last client has read
  it; p50/p99/max over the events.

Redis is an embedded server in a temp directory (``--redis-url`` uses a scratch server
and **flushes** the bench prefix). Numbers are printed; they go to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import platform
import re
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from service.config import AppConfig, BriefingConfig  # noqa: E402
from service.models import Story, StoryMember  # noqa: E402
from service.store import Store  # noqa: E402
from service.store.connection import open_target  # noqa: E402
from service.store.stories import Event, story_payload  # noqa: E402

PREFIX = "bench"
BRIEFING = BriefingConfig(id="bench", title="Bench briefing")
T0 = datetime(2026, 11, 1, tzinfo=UTC)
WORDS = (
    "strike ceasefire talks minister border drone port grain energy grid council vote "
    "court ruling flood rescue summit sanctions election protest market rates bridge"
).split()


# --- servers (child processes) -------------------------------------------------------


def serve_api(port: int, redis_url: str) -> None:
    import uvicorn

    from service.api.app import create_app
    from service.settings import Settings

    # redis-py 8's asyncio pool refuses (MaxConnectionsError) past 100 connections in use
    # instead of waiting; 200 concurrent requests need more (see the report in docs).
    client = open_target(redis_url, Path(tempfile.gettempdir())).client(max_connections=1024)
    store = Store(client, prefix=PREFIX)
    app = create_app(Settings(redis_url=redis_url), store, AppConfig(briefings=(BRIEFING,)))
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def serve_hello(port: int) -> None:
    import uvicorn
    from fastapi import FastAPI

    app = FastAPI()

    @app.get("/hello")
    async def hello() -> dict[str, str]:
        return {"hello": "world"}

    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def child(*args: str) -> Iterator[int]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, __file__, *args, "--port", str(port)])
    try:
        for _ in range(200):
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
                break
            time.sleep(0.05)
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
            await store.stories.save(
                s,
                article_id=s.members[0].article_id,
                new_briefings=s.briefings,
                events=[Event("story.created", {"story": story_payload(s)})],
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
    return {
        "rps": float(rps.group(1)),
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
        "non_2xx": float(errors.group(1)) if errors else 0.0,
    }


def bench_timeline(redis_url: str, args: argparse.Namespace) -> dict[str, dict[str, float]]:
    with child("serve-hello") as hello_port:
        hello = wrk(f"http://127.0.0.1:{hello_port}/hello", args.connections, args.duration)
    with child("serve-api", "--redis-url", redis_url) as api_port:
        url = f"http://127.0.0.1:{api_port}/v1/briefings/{BRIEFING.id}/timeline"
        timeline = wrk(url, args.connections, args.duration)
    return {"hello": hello, "timeline": timeline}


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


async def sse_client(port: int, path: str, ready: asyncio.Event, arrivals: Arrivals,
                     connected: list[int]) -> None:  # fmt: skip
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
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


async def bench_sse(redis_url: str, args: argparse.Namespace) -> dict[str, float]:
    arrivals = Arrivals(args.sse_clients)
    ready = asyncio.Event()
    connected = [0]
    target = open_target(redis_url, Path(tempfile.gettempdir()))
    redis = target.client()
    store = Store(redis, prefix=PREFIX)
    with child("serve-api", "--redis-url", redis_url) as port:
        path = f"/v1/briefings/{BRIEFING.id}/stream"
        tasks = []
        for _ in range(args.sse_clients):
            tasks.append(asyncio.create_task(sse_client(port, path, ready, arrivals, connected)))
            await asyncio.sleep(0)
        await asyncio.wait_for(ready.wait(), 120)
        await asyncio.sleep(1.0)  # let the hub settle on its XREAD
        delays = []
        for n in range(args.events):
            s = make_story(10_000_000 + n)
            data = json.dumps({"story": story_payload(s)}, separators=(",", ":"))
            sent = time.perf_counter()
            event_id = await redis.xadd(
                store.keys.events_stream, {"type": "story.created", "data": data}
            )
            await asyncio.wait_for(arrivals.expect(str(event_id)).wait(), 30)
            delays.append((arrivals.last[str(event_id)] - sent) * 1000)
            await asyncio.sleep(args.interval)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    await redis.aclose()
    ordered = sorted(delays)
    return {
        "clients": args.sse_clients,
        "events": len(delays),
        "p50_ms": statistics.median(ordered),
        "p99_ms": ordered[max(0, round(0.99 * len(ordered)) - 1)],
        "max_ms": ordered[-1],
    }


# --- main ------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "mode", nargs="?", default="run", choices=["run", "serve-api", "serve-hello"]
    )
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--redis-url", default=None)
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run")
    parser.add_argument("--sse-clients", type=int, default=1000)
    parser.add_argument("--events", type=int, default=50)
    parser.add_argument("--interval", type=float, default=0.2, help="seconds between events")
    parser.add_argument("--only", choices=["timeline", "sse"], default=None)
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 65536)), hard))
    if args.mode == "serve-api":
        serve_api(args.port, args.redis_url)
        return
    if args.mode == "serve-hello":
        serve_hello(args.port)
        return

    with tempfile.TemporaryDirectory() as tmp:
        target = open_target(args.redis_url, Path(tmp))
        redis_url = args.redis_url or f"unix://{target.unix_socket}"
        print(f"# {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.platform()}, "
              f"{os.cpu_count()} cores, Python {platform.python_version()}")  # fmt: skip
        started = time.perf_counter()
        asyncio.run(fill(redis_url, args.stories))
        print(f"filled {args.stories} stories in {time.perf_counter() - started:.1f} s")
        if args.only in (None, "timeline"):
            result = bench_timeline(redis_url, args)
            hello, timeline = result["hello"], result["timeline"]
            for name, r in result.items():
                print(f"{name:9} {r['rps']:9.0f} req/s  p50 {r['p50_ms']:6.2f} ms  "
                      f"p99 {r['p99_ms']:6.2f} ms  non-2xx {r['non_2xx']:.0f}")  # fmt: skip
            print(f"timeline / hello-world: {timeline['rps'] / hello['rps']:.0%} (target >= 60%), "
                  f"p99 {timeline['p99_ms']:.1f} ms (target < 50 ms) "
                  f"at {args.connections} connections")  # fmt: skip
        if args.only in (None, "sse"):
            sse = asyncio.run(bench_sse(redis_url, args))
            print(f"sse: {sse['clients']} clients, {sse['events']} events: XADD -> last client "
                  f"p50 {sse['p50_ms']:.1f} ms, p99 {sse['p99_ms']:.1f} ms, "
                  f"max {sse['max_ms']:.1f} ms (target p99 < 1000 ms)")  # fmt: skip
        target.close()


if __name__ == "__main__":
    main()
