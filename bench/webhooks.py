"""Webhook delivery throughput and latency: one notifier process, a local receiver.

Run by hand: ``.venv/bin/python bench/webhooks.py [--subs 100] [--events 1000]``.

Three runs, each on a fresh key prefix, against a receiver in its own process that
answers 204 at once (except /hang, which never answers):

* ``burst``    ``--subs`` subscriptions, ``--events`` events written at once: deliveries/s
  from the first event to the last delivery (the notifier's ceiling);
* ``paced``    the same, events at ``--rate`` per second: event-to-delivery latency
  (``occurred_at`` of the event to its arrival at the receiver) p50/p99;
* ``hanging``  as ``burst`` but one of the subscriptions never answers (its attempts time
  out after ``--timeout`` s): deliveries/s to the others, compared with ``burst``.

Events are written as the process stage writes them: a story record per event and a
reference in the events stream, so the notifier loads the stories (one MGET per batch)
to build the bodies.

The receiver does not verify signatures (the tests do): it must not be the bottleneck.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import socket
import sys
import tempfile
import time
from collections.abc import Coroutine
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._support import free_port, machine_line, percentile, wait_for_port  # noqa: E402
from service.models import Story, StoryMember  # noqa: E402
from service.store import Store  # noqa: E402
from service.store.connection import open_target  # noqa: E402
from service.store.events import story_ref_fields  # noqa: E402
from service.store.stories import queue_story  # noqa: E402
from service.store.subscriptions import SubscriptionStore  # noqa: E402
from service.webhooks.filters import Filters  # noqa: E402
from service.webhooks.secretbox import load_secret_box  # noqa: E402
from workers.notify_stage import NotifyConfig, NotifyStage  # noqa: E402

# --- the receiver (runs in a child process) ------------------------------------------------


class _ReceiverProtocol(asyncio.Protocol):
    stats: dict[str, Any]

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports are not asyncio.Transport subclasses, but have write().
        self.transport = cast(asyncio.Transport, transport)
        self.buffer = b""

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self.buffer[:end].lower()
            length, at = 0, head.find(b"\r\ncontent-length:")
            if at >= 0:
                line_end = head.find(b"\r\n", at + 2)
                length = int(head[at + 17 : line_end if line_end >= 0 else None])
            if len(self.buffer) < end + 4 + length:
                return
            body = self.buffer[end + 4 : end + 4 + length]
            self.buffer = self.buffer[end + 4 + length :]
            path = head[: head.find(b"\r\n")].split(b" ")[1]
            if path == b"/stats":
                counts = {k: v for k, v in self.stats.items() if k != "latencies"}
                self._reply(200, json.dumps(counts).encode())
            elif path == b"/latencies":
                self._reply(200, json.dumps(self.stats["latencies"]).encode())
            elif path == b"/hang":
                return  # never answer: the notifier's timeout must deal with it
            else:
                self._record(body)
                self.transport.write(b"HTTP/1.1 204 No Content\r\n\r\n")

    def _record(self, body: bytes) -> None:
        now = time.time()
        stats = self.stats
        stats["count"] += 1
        stats["first"] = stats["first"] or now
        stats["last"] = now
        start = body.find(b'"timestamp":"') + 13
        stamp = body[start : body.find(b'"', start)].decode()
        occurred = datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp()
        stats["latencies"].append(round(now - occurred, 4))

    def _reply(self, status: int, body: bytes) -> None:
        head = f"HTTP/1.1 {status} X\r\ncontent-length: {len(body)}\r\n\r\n".encode()
        self.transport.write(head + body)


async def _serve(port: int) -> None:
    _ReceiverProtocol.stats = {"count": 0, "first": 0.0, "last": 0.0, "latencies": []}
    loop = asyncio.get_running_loop()
    server = await loop.create_server(_ReceiverProtocol, "127.0.0.1", port)
    async with server:
        await server.serve_forever()


# --- the driver ----------------------------------------------------------------------------


def _stats(port: int, what: str = "/stats") -> Any:
    """``/stats``: counters (cheap, polled); ``/latencies``: every latency (once, at the end)."""
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.sendall(f"GET {what} HTTP/1.1\r\nhost: x\r\n\r\n".encode())
        data = b""
        while True:
            chunk = s.recv(1 << 20)
            if not chunk:
                break
            data += chunk
            end = data.find(b"\r\n\r\n")
            if end >= 0:
                length = int(data.split(b"content-length: ")[1].split(b"\r\n")[0])
                if len(data) >= end + 4 + length:
                    return json.loads(data[end + 4 : end + 4 + length])
    raise RuntimeError("receiver closed the stats connection")


def _cpu_seconds() -> float:
    """CPU time of this process (the notifier; the receiver is a child, not counted):
    deliveries per CPU second is the rate with a core to itself, whatever else runs."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def _run(
    name: str,
    redis: Any,
    data_dir: Path,
    *,
    subs: int,
    events: int,
    rate: float | None,
    hanging: bool,
    attempt_timeout: float,
) -> dict[str, Any]:
    port = free_port()
    receiver = await asyncio.create_subprocess_exec(
        sys.executable, __file__, "--serve", str(port), stdout=asyncio.subprocess.DEVNULL
    )
    try:
        await asyncio.to_thread(wait_for_port, port, what="the receiver")
        store = Store(redis, prefix=f"bench-{name}-{os.getpid()}")
        box = load_secret_box(None, data_dir)
        sub_store = SubscriptionStore(store.redis, store.keys, box)
        now = datetime.now(UTC)
        for n in range(subs):
            path = "/hang" if hanging and n == 0 else f"/s/{n}"
            await sub_store.create(
                url=f"http://127.0.0.1:{port}{path}",
                events=["story.created"],
                filters=Filters(),
                description="bench",
                now=now,
            )
        config = NotifyConfig(allow_private=True, timeout=attempt_timeout)
        stage = NotifyStage(store, box, config, consumer_name="bench")
        await stage.consumer.ensure_group()
        stop = asyncio.Event()
        runner = asyncio.create_task(stage.run(stop))
        expected = (subs - 1 if hanging else subs) * events
        stories = [_story(n) for n in range(events)]
        # The records exist before their events, as after the stage's MULTI.
        async with redis.pipeline(transaction=False) as pipe:
            for st in stories:  # header + members list, as StoryStore.queue writes them
                queue_story(pipe, store.keys, st, None)
            await pipe.execute()
        cpu_before = _cpu_seconds()
        started = time.perf_counter()
        for n in range(events):
            occurred = datetime.now(UTC).isoformat().replace("+00:00", "Z")
            st = stories[n]
            key = f"story.created|{st.id}|{st.members[-1].article_id}"
            fields = story_ref_fields("story.created", st.id, st.briefings, occurred, key)
            await redis.xadd(store.keys.events_stream, fields)
            if rate:
                await asyncio.sleep(max(0.0, started + (n + 1) / rate - time.perf_counter()))
        first_event = time.time() - (time.perf_counter() - started)
        deadline = time.perf_counter() + 600
        while time.perf_counter() < deadline:
            got = await asyncio.to_thread(_stats, port)
            if got["count"] >= expected:
                break
            await asyncio.sleep(0.5)
        cpu = _cpu_seconds() - cpu_before
        stop.set()
        await runner
        lat = await asyncio.to_thread(_stats, port, "/latencies")
        seconds = got["last"] - first_event
        result = {
            "run": name,
            "subscriptions": subs,
            "events": events,
            "delivered": got["count"],
            "expected": expected,
            "seconds": round(seconds, 2),
            "deliveries_per_s": round(got["count"] / seconds),
            "notifier_cpu_s": round(cpu, 1),
            "deliveries_per_cpu_s": round(got["count"] / cpu),
            "latency_p50_ms": round(percentile(lat, 0.50) * 1000),
            "latency_p99_ms": round(percentile(lat, 0.99) * 1000),
        }
        return result
    finally:
        receiver.terminate()
        await receiver.wait()


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="lb-bench-webhooks-") as tmp:
        target = open_target(os.environ.get("REDIS_URL"), Path(tmp))
        redis = target.client()
        try:
            common = {
                "subs": args.subs,
                "events": args.events,
                "attempt_timeout": args.timeout,
            }
            plans = {
                "burst": {"rate": None, "hanging": False},
                "paced": {"rate": args.rate, "hanging": False},
                "hanging": {"rate": None, "hanging": True},
            }
            results = []
            for name in args.runs.split(","):
                result = await _run(name, redis, Path(tmp), **plans[name], **common)
                print(json.dumps(result), flush=True)
                results.append(result)
        finally:
            await redis.aclose()
            target.close()
    print(f"# {machine_line()}, notifier loop: {args.loop}")
    by_name = {r["run"]: r for r in results}
    if "burst" in by_name and "hanging" in by_name:
        for metric in ("deliveries_per_s", "deliveries_per_cpu_s"):
            ratio = by_name["hanging"][metric] / by_name["burst"][metric]
            print(f"hanging receiver: others' {metric} = {ratio:.0%} of burst")


def _story(n: int) -> Story:
    """A story of the usual size: four reports from four outlets."""
    now = datetime.now(UTC)
    members = tuple(
        StoryMember(
            article_id=f"a{n}-{m}",
            feed_url=f"https://feed{m}.bench.example/rss",
            outlet=f"Bench outlet {m}",
            url=f"https://outlet{m}.bench.example/news/{n}",
            title="Bench headline about a developing story",
            published=now,
            language="en",
            country="UA",
        )
        for m in range(4)
    )
    return Story(
        id=f"s{n}",
        headline="Bench headline about a developing story",
        summary="A summary of about the usual length for a news story. " * 3,
        first_seen=now,
        last_updated=now,
        members=members,
        languages=("en",),
        places=("Kyiv",),
        keywords=("bench", "story"),
        briefings=("world",),
    )


def _run_on(main_coroutine: Coroutine[Any, Any, None], loop: str) -> None:
    factory = None
    if loop == "uvloop":
        try:
            import uvloop

            factory = uvloop.new_event_loop
        except ImportError:
            print("# uvloop is not installed: the stdlib loop", flush=True)
    with asyncio.Runner(loop_factory=factory) as runner:
        runner.run(main_coroutine)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subs", type=int, default=100)
    parser.add_argument("--events", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=5.0, help="events/s in the paced run")
    parser.add_argument("--timeout", type=float, default=15.0)
    parser.add_argument("--runs", default="burst,paced,hanging")
    parser.add_argument(
        "--loop",
        choices=["uvloop", "asyncio"],
        default="uvloop",
        help="the notifier's event loop (`briefing` runs on uvloop where installed)",
    )
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parsed = parser.parse_args()
    if parsed.serve:
        _run_on(_serve(parsed.serve), "uvloop")  # the receiver must not be the bottleneck
    else:
        _run_on(main(parsed), parsed.loop)
