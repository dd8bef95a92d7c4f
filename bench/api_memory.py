"""API memory under story churn: does the API's RSS stay flat while stories change?

    .venv/bin/python bench/api_memory.py [--minutes 5] [--events-per-s 200] [--hot 400]
                                         [--max-members 0] [--rps 10] [--sample-every 10]
                                         [--diag] [--trace] [--malloc-trim] [--profile]
                                         [--json FILE]

The soak's API load in minutes, without the feeds and workers (everything on 127.0.0.1):

* **Redis**: the embedded server (``open_target``, as ``briefing`` runs it with no
  ``REDIS_URL``) in a temp dir.
* **data**, through the store's own write paths: ``--articles`` articles
  (``ArticleStore.ingest``) and ``--stories`` stories of 3 members in one ``everything``
  briefing (``StoryStore.save``).
* **the API** in its own process: ``service.cli.serve_api`` (what ``briefing api`` runs:
  AcceptAllServer, ``freeze_startup_heap``, JSON logs at INFO) with the briefing.
* **the writer** (this process): ``--events-per-s`` story updates per second, each one
  member appended to one of the ``--hot`` most recent stories in turn (a ``story.updated``
  event per save, so the timeline's render-cache version changes all the time, as in the
  soak), plus ``--articles-per-s`` articles ingested. Hot stories grow by
  ``events-per-s / hot`` members per second: wire-copy stories hold hundreds of members,
  so timeline pages of stories that list them all grow as long as the stories do (a
  megabyte or more). ``--max-members N`` stops them at N members (updates still emit
  events): pages of a constant size, so memory that follows the page size shows flat.
* **the client** (this process): open loop, ``--rps`` requests/s on each of
  ``GET /v1/articles?limit=50`` and ``GET /v1/briefings/everything/timeline?limit=50``, plus
  ``GET /metrics`` every 5 s: the soak's API load.

Printed every ``--sample-every`` s: the API's RSS (``/proc/PID/status`` VmRSS), its CPU
share since the last sample (``/proc/PID/stat`` utime + stime over wall time: 100 % is
one core), the hot stories' size and the last timeline body's size. At the end: the
API's CPU share over the run, and the client's latency per endpoint (p50 / p99 / max,
open loop: a slow server's queueing counts). With ``--diag`` the API process also
reports, at each sample, live objects (``gc.get_objects()``: count, the types that grew
most), glibc's heap (``mallinfo2``: bytes in use vs free in the arenas, mmapped; not
pymalloc's own 256 KiB arenas, which it maps itself), and the render caches' entries and
body bytes; ``--trace`` adds ``tracemalloc``, started at the first sample (the allocation
sites that grew most since then, by traceback; slows the API a lot); ``--malloc-trim``
calls ``malloc_trim(0)`` after each sample and reports RSS again (memory freed by Python
but kept by the allocator drops; live objects do not). ``--profile`` runs the API under
cProfile and prints its functions by own time and by cumulative time at the end (slows
the API: its latencies are not the figures). Results: docs/benchmarks.md ("API memory",
"API under story churn").
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import cProfile
import ctypes
import gc
import json
import os
import pstats
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._load import Endpoints  # noqa: E402
from bench._support import (  # noqa: E402
    Processes,
    cpu_seconds,
    free_port,
    latency_summary,
    load_average,
    log_level,
    machine_line,
    rss_kib,
    wait_for_port,
)
from service.config import AppConfig, BriefingConfig  # noqa: E402
from service.models import Article, Source, Story, StoryMember  # noqa: E402

BRIEFING = BriefingConfig(id="everything", title="Everything")
T0 = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
WORDS = (
    "strike ceasefire talks minister border drone port grain energy grid council vote "
    "court ruling flood rescue summit sanctions election protest market rates bridge"
).split()
OUTLETS = 120
METRICS_EVERY = 5.0
TIMELINE = f"/v1/briefings/{BRIEFING.id}/timeline?limit=50"
TRACE_FRAMES = 6


# --- data -------------------------------------------------------------------------------


def member(story: int, n: int) -> StoryMember:
    """A wire-copy-like member (URL, title and feed URL of realistic length)."""
    k = n % OUTLETS
    return StoryMember(
        article_id=f"{story:06x}{n:010x}",
        feed_url=f"http://127.0.0.1:8765/feeds/{k}/rss.xml",
        outlet=f"Outlet {k}",
        url=f"https://outlet{k}.example/world/2026/11/25/talks-resume-in-geneva-{story}-{n}",
        title="Talks resume in Geneva as envoys meet for a third day, officials say",
        published=T0 + timedelta(seconds=n),
        language="en",
        country="GB",
    )


def make_story(n: int) -> Story:
    words = [WORDS[(n * k + k) % len(WORDS)] for k in range(1, 10)]
    headline = f"{' '.join(words).capitalize()} as officials respond ({n})"
    return Story(
        id=f"st_{n:08d}",
        headline=headline,
        summary=(headline + ". ") * 3,
        first_seen=T0 + timedelta(seconds=n),
        last_updated=T0 + timedelta(seconds=n),
        members=tuple(member(n, j) for j in range(3)),
        languages=("en",),
        places=("Geneva",),
        keywords=tuple(words[:5]),
        briefings=(BRIEFING.id,),
    )


def make_article(n: int, when: datetime) -> Article:
    k = n % OUTLETS
    url = f"https://outlet{k}.example/news/{n}"
    return Article(
        id=f"a{n:015x}",
        identity=f"url:{url}",
        url=url,
        title=f"{WORDS[n % len(WORDS)].capitalize()} report number {n} from outlet {k}",
        text=" ".join(WORDS[(n + j) % len(WORDS)] for j in range(60)),
        published=when,
        first_seen=when,
        language="en",
        feed_url=f"http://127.0.0.1:8765/feeds/{k}/rss.xml",
        outlet=f"Outlet {k}",
        sources=(Source(f"http://127.0.0.1:8765/feeds/{k}/rss.xml", f"Outlet {k}", url, when),),
    )


class Writer:
    """Story updates and articles through the store's write paths, at fixed rates."""

    def __init__(self, store: Any, stories: int, hot: int, max_members: int = 0) -> None:
        from service.store.stories import Stored

        self.store = store
        self.stories = {n: make_story(n) for n in range(stories - hot, stories)}
        self.hot = sorted(self.stories)
        self.stored = {n: Stored.of(s) for n, s in self.stories.items()}
        self.max_members = max_members  # 0: stories grow all run
        self.updates = 0
        self.articles = 0

    async def fill(self, stories: int, articles: int) -> None:
        for n in range(articles):
            await self.store.articles.ingest(make_article(n, T0 + timedelta(seconds=n)))
        self.articles = articles
        for n in range(stories):
            await self._save(self.stories.get(n) or make_story(n), "story.created", n)

    async def _save(self, story: Story, event: str, n: int) -> None:
        from service.store.stories import Event, Stored
        from tests.factories import write_story

        await write_story(
            self.store,
            story,
            article_id=story.members[-1].article_id,
            new_briefings=story.briefings if event == "story.created" else (),
            events=[Event(event)],
            now=story.last_updated,
            stored=self.stored.get(n) if event == "story.updated" else None,
        )
        if n in self.stories:
            self.stored[n] = Stored.of(story)

    async def update(self, now: datetime) -> None:
        n = self.hot[self.updates % len(self.hot)]
        story = self.stories[n]
        members = story.members
        if not self.max_members or len(members) < self.max_members:
            members = (*members, member(n, len(members)))
        story = replace(story, members=members, last_updated=now)  # an event either way
        self.stories[n] = story
        await self._save(story, "story.updated", n)
        self.updates += 1

    async def article(self, now: datetime) -> None:
        await self.store.articles.ingest(make_article(self.articles, now))
        self.articles += 1

    @property
    def hot_members(self) -> int:
        return max(len(s.members) for s in self.stories.values())

    async def run(self, events_per_s: float, articles_per_s: float, until: float) -> None:
        start = time.monotonic()
        while (now := time.monotonic()) < until:
            due_updates = int((now - start) * events_per_s)
            due_articles = int((now - start) * articles_per_s)
            wall = datetime.now(UTC)
            while self.updates < due_updates:
                await self.update(wall)
            while self.articles_written(start) < due_articles:
                await self.article(wall)
            await asyncio.sleep(0.01)

    def articles_written(self, start: float) -> int:
        return self.articles - self._articles_at_start

    def mark(self) -> None:
        self._articles_at_start = self.articles


# --- the client ---------------------------------------------------------------------------


def client_of(base: str, rps: float) -> Endpoints:
    """Open loop (as the soak's): ``rps`` GETs/s on each endpoint, at most 32 in flight
    per endpoint, and ``/metrics`` every ``METRICS_EVERY`` s."""
    return Endpoints(
        base,
        {
            "/v1/articles?limit=50": (rps, 32),
            TIMELINE: (rps, 32),
            "/metrics": (1 / METRICS_EVERY, 1),
        },
    )


# --- the API process ---------------------------------------------------------------------


class MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena",  # non-mmapped bytes taken from the system (all arenas)
            "ordblks",
            "smblks",
            "hblks",
            "hblkhd",  # mmapped bytes
            "usmblks",
            "fsmblks",
            "uordblks",  # bytes in use
            "fordblks",  # free bytes kept in the arenas
            "keepcost",
        )
    ]


class Diagnostics:
    """In the API process: what its memory is made of, one JSON line per sample."""

    def __init__(self, out: Path, *, trace: bool, trim: bool) -> None:
        self.out = out
        self.trace = trace
        self.trim = trim
        self.libc = ctypes.CDLL("libc.so.6")
        self.libc.mallinfo2.restype = MallInfo2
        self.first_types: collections.Counter[str] | None = None
        self.first_snapshot: Any = None

    def sample(self, t: float) -> dict[str, Any]:
        from service.api.render_cache import RenderCache

        rss = rss_kib()
        trimmed = None
        if self.trim:  # before the work below allocates anything
            self.libc.malloc_trim(0)
            trimmed = rss_kib()
        gc.collect()
        objects = gc.get_objects()
        types = collections.Counter(type(o).__qualname__ for o in objects)
        caches = [o for o in objects if type(o) is RenderCache]
        del objects
        if self.first_types is None:
            self.first_types = types
        grown = (types - self.first_types).most_common(8)
        info = self.libc.mallinfo2()
        row: dict[str, Any] = {
            "t": round(t, 1),
            "rss_kib": rss,
            "gc_objects": sum(types.values()),
            "gc_frozen": gc.get_freeze_count(),
            "gc_enabled": gc.isenabled(),
            "gc_thresholds": gc.get_threshold(),
            "types_grown": grown,
            "heap_in_use_kib": info.uordblks // 1024,
            "heap_free_kib": info.fordblks // 1024,
            "heap_arena_kib": info.arena // 1024,
            "mmapped_kib": info.hblkhd // 1024,
            "render_caches": [_cache_stats(c) for c in caches],
        }
        if trimmed is not None:
            row["rss_after_trim_kib"] = trimmed
        if self.trace:
            import tracemalloc

            if not tracemalloc.is_tracing():
                # From the first sample on, not from start-up: tracing every allocation of
                # the startup heap made the API too slow to keep up (Redis reads timed out).
                tracemalloc.start(TRACE_FRAMES)
            snapshot = tracemalloc.take_snapshot().filter_traces(
                [tracemalloc.Filter(False, tracemalloc.__file__)]
            )
            if self.first_snapshot is None:
                self.first_snapshot = snapshot
            row["traced_kib"] = tracemalloc.get_traced_memory()[0] // 1024
            row["grown_sites"] = [
                {
                    "kib": stat.size_diff // 1024,
                    "count": stat.count_diff,
                    "at": [f"{f.filename}:{f.lineno}" for f in stat.traceback][-6:],
                }
                for stat in snapshot.compare_to(self.first_snapshot, "traceback")[:6]
            ]
        with self.out.open("a") as f:
            f.write(json.dumps(row) + "\n")
        return row

    async def run(self, every: float) -> None:
        start = time.monotonic()
        while True:
            await asyncio.sleep(every - (time.monotonic() - start) % every)
            self.sample(time.monotonic() - start)


def _cache_stats(cache: Any) -> dict[str, int]:
    entries = list(cache._entries.values())
    return {
        "entries": len(entries),
        "bytes": sum(len(e.body) for e in entries),
        "versions": len({e.version for e in entries}),
    }


async def serve(args: argparse.Namespace) -> int:
    """``bench/api_memory.py serve``: ``service.cli.serve_api`` as ``briefing api`` runs it."""
    from service.cli import open_store, serve_api, stop_on_signals
    from service.liveness import Liveness
    from service.logs import configure_logging
    from service.settings import Settings

    settings = Settings(
        redis_url=args.redis_url,
        host="127.0.0.1",
        port=args.port,
        data_dir=Path(tempfile.gettempdir()),
        log_level="INFO",
        log_format="json",
    )
    configure_logging(settings.log_level, settings.log_format)
    diag = None
    if args.diag_file:
        diag = Diagnostics(Path(args.diag_file), trace=args.trace, trim=args.malloc_trim)
    profile = cProfile.Profile() if args.profile_file else None
    if profile is not None:
        profile.enable()
    async with open_store(settings) as store:
        stop = stop_on_signals()
        task = asyncio.create_task(diag.run(args.sample_every)) if diag else None
        try:
            await serve_api(settings, store, AppConfig(briefings=(BRIEFING,)), stop, Liveness())
        finally:
            if task is not None:
                task.cancel()
            if profile is not None:
                profile.disable()
                profile.dump_stats(args.profile_file)
    return 0


# --- the run -------------------------------------------------------------------------------


async def measure(
    args: argparse.Namespace, redis_url: str, proc: subprocess.Popen[bytes], port: int
) -> dict[str, Any]:
    from service.store import Store
    from service.store.connection import open_target

    client_redis = open_target(redis_url, Path(tempfile.gettempdir())).client()
    store = Store(client_redis)
    writer = Writer(store, args.stories, args.hot, args.max_members)
    started = time.perf_counter()
    await writer.fill(args.stories, args.articles)
    print(f"filled {args.articles} articles, {args.stories} stories in "
          f"{time.perf_counter() - started:.1f} s", flush=True)  # fmt: skip
    wait_for_port(port, proc, what="the API")
    writer.mark()
    client = client_of(f"http://127.0.0.1:{port}", args.rps)
    start = time.monotonic()
    until = start + args.minutes * 60
    samples: list[dict[str, Any]] = []
    cpu_start = last_cpu = cpu_seconds(proc.pid)
    last_t = start

    async def sampler() -> None:
        nonlocal last_cpu, last_t
        while (now := time.monotonic()) < until + 0.5:
            cpu = cpu_seconds(proc.pid)
            row = {
                "t": round(now - start, 1),
                "rss_kib": rss_kib(proc.pid),
                "cpu_pct": round(100 * (cpu - last_cpu) / max(now - last_t, 1e-9), 1),
                "updates": writer.updates,
                "hot_members": writer.hot_members,
                "timeline_bytes": client.loads[TIMELINE].last_size,
            }
            last_cpu, last_t = cpu, now
            samples.append(row)
            print(f"t={row['t']:>6.1f} s  API RSS {row['rss_kib'] / 1024:7.1f} MiB  "
                  f"CPU {row['cpu_pct']:5.1f} %  "
                  f"updates {row['updates']:>7}  hot story members {row['hot_members']:>5}  "
                  f"timeline page {row['timeline_bytes'] / 1024:7.1f} KiB", flush=True)  # fmt: skip
            await asyncio.sleep(args.sample_every - (time.monotonic() - start) % args.sample_every)

    try:
        await asyncio.gather(
            writer.run(args.events_per_s, args.articles_per_s, until),
            client.run(until - time.monotonic()),
            sampler(),
        )
    finally:
        await client_redis.aclose()
    elapsed = time.monotonic() - start
    return {
        "samples": samples,
        "api_cpu_pct": round(100 * (cpu_seconds(proc.pid) - cpu_start) / elapsed, 1),
        "latency": {path: latency_summary(v) for path, v in sorted(client.latencies.items())},
        "timeline_bytes_max": client.loads[TIMELINE].max_size,
        "statuses": dict(client.statuses),
        "updates": writer.updates,
        "articles_written": writer.articles_written(0),
    }


def summary(samples: list[dict[str, Any]]) -> dict[str, float | None]:
    """RSS in MiB at the first sample and near 1, 2, 5 minutes and the end."""

    def at(t: float) -> float | None:
        rows = [s for s in samples if s["t"] <= t + 1]
        return round(rows[-1]["rss_kib"] / 1024, 1) if rows and rows[-1]["t"] >= t - 5 else None

    return {
        "start": round(samples[0]["rss_kib"] / 1024, 1),
        "1min": at(60),
        "2min": at(120),
        "5min": at(300),
        "end": round(samples[-1]["rss_kib"] / 1024, 1),
        "end_t": samples[-1]["t"],
    }


def run(args: argparse.Namespace) -> None:
    from service.store.connection import open_target

    load_before = load_average()
    print(f"# {machine_line()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-api-memory-") as tmp:
        target = open_target(None, Path(tmp))
        redis_url = f"unix://{target.unix_socket}"
        port = free_port()
        diag_file = Path(tmp) / "diag.jsonl"
        argv = [sys.executable, __file__, "serve", "--port", str(port), "--redis-url", redis_url]
        argv += ["--sample-every", str(args.sample_every)]
        if args.diag or args.trace or args.malloc_trim:
            argv += ["--diag-file", str(diag_file)]
        argv += ["--trace"] if args.trace else []
        argv += ["--malloc-trim"] if args.malloc_trim else []
        profile_file = Path(tmp) / "api.prof"
        argv += ["--profile-file", str(profile_file)] if args.profile else []
        env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_")}
        if args.malloc_arena_max:
            env["MALLOC_ARENA_MAX"] = str(args.malloc_arena_max)
        procs = Processes(Path(tmp))
        api, _ = procs.start("api", argv, env)
        try:
            result = asyncio.run(measure(args, redis_url, api.process, port))
        finally:
            procs.stop(timeout=15)
        assert api.log is not None
        lines = api.log.read_text(errors="replace").splitlines()
        errors = [line for line in lines if log_level(line) in ("error", "critical")]
        diag = [json.loads(line) for line in diag_file.read_text().splitlines()] if (
            diag_file.exists()
        ) else []  # fmt: skip
        if args.profile and profile_file.exists():
            for order in ("tottime", "cumulative"):
                pstats.Stats(str(profile_file)).sort_stats(order).print_stats(25)
        target.close()
    result.update(
        {
            "date": f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
            "args": {k: v for k, v in vars(args).items() if k != "mode"},
            "rss_mib": summary(result["samples"]),
            "load_before": load_before,
            "load_after": load_average(),
            "log_lines": len(lines),
            "log_errors": errors[:5],
            "diag": diag,
        }
    )
    for row in diag:
        caches = ", ".join(
            f"{c['entries']} entries / {c['bytes'] / 2**20:.1f} MiB / {c['versions']} versions"
            for c in row["render_caches"]
        )
        print(f"[api t={row['t']:>6.1f}] RSS {row['rss_kib'] / 1024:.1f} MiB"
              + (f" (after malloc_trim {row['rss_after_trim_kib'] / 1024:.1f})"
                 if "rss_after_trim_kib" in row else "")
              + f"; heap in use {row['heap_in_use_kib'] / 1024:.1f} MiB, free "
              f"{row['heap_free_kib'] / 1024:.1f}, mmapped {row['mmapped_kib'] / 1024:.1f}; "
              f"gc objects {row['gc_objects']} (frozen {row['gc_frozen']}); "
              f"render cache: {caches or 'none'}")  # fmt: skip
        if row["types_grown"]:
            print("    types grown:", ", ".join(f"{n} +{c}" for n, c in row["types_grown"]))
        for site in row.get("grown_sites", []):
            where = " <- ".join(site["at"][::-1])
            print(f"    {site['kib']:+d} KiB ({site['count']:+d} blocks) at {where}")
    print("RSS MiB:", json.dumps(result["rss_mib"]))
    print("responses:", json.dumps(result["statuses"]))
    print(f"API CPU over the run: {result['api_cpu_pct']} % of one core; largest timeline "
          f"page {result['timeline_bytes_max']} B")  # fmt: skip
    for path, stats in result["latency"].items():
        print(f"latency {path}: {json.dumps(stats)}")
    print(f"updates {result['updates']}, API log lines {len(lines)}, errors {len(errors)}")
    print(f"load average before {load_before}, after {result['load_after']}")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1))


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("mode", nargs="?", default="run", choices=["run", "serve"])
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--stories", type=int, default=2000)
    parser.add_argument("--hot", type=int, default=400, help="stories the updates go to")
    parser.add_argument(
        "--max-members",
        type=int,
        default=0,
        help="hot stories stop growing at this size (updates still emit events): pages "
        "of a constant size, to tell a leak from memory that follows the page size",
    )
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--events-per-s", type=float, default=200.0)
    parser.add_argument("--articles-per-s", type=float, default=100.0)
    parser.add_argument("--rps", type=float, default=10.0, help="per endpoint")
    parser.add_argument("--sample-every", type=float, default=10.0)
    parser.add_argument("--diag", action="store_true", help="the API reports its memory")
    parser.add_argument("--trace", action="store_true", help="--diag with tracemalloc")
    parser.add_argument("--malloc-trim", action="store_true", help="--diag with malloc_trim")
    parser.add_argument("--malloc-arena-max", type=int, default=0)
    parser.add_argument("--profile", action="store_true", help="the API under cProfile")
    parser.add_argument("--json", default=None)
    # serve mode (the API child)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--redis-url", default=None)
    parser.add_argument("--diag-file", default=None)
    parser.add_argument("--profile-file", default=None)
    args = parser.parse_args()
    if args.mode == "serve":
        from service.cli import run_async

        sys.exit(run_async(serve(args)))
    run(args)


if __name__ == "__main__":
    main()
