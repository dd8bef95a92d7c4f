"""Ingest benchmark: our fetch pipeline vs lemon24's ``reader``, same feeds, same server.

    .venv/bin/python bench/ingest.py [--copies 20] [--rounds 2] [--concurrency 100]
                                     [--only a,b,c,reader] [--json FILE]

What is measured, in one run (all traffic on 127.0.0.1):

* **feed server**: ``tests.feedserver.FeedServer`` (asyncio, uvloop when installed) in
  its **own process** (``bench/ingest.py serve``), so its CPU is not ours. It serves the
  163 real documents of ``../shared/feeds/real`` from memory, each under ``--copies``
  distinct paths twice over: ``/v/<copy>/<file>`` with ETag + Last-Modified (answers
  304 to a matching conditional GET) and ``/p/<copy>/<file>`` with no validators
  (always 200, same bytes). A trivial raw-socket client first measures the server's
  own capacity for both kinds of answer, to show it is not the bottleneck.
* **ours** (this process; uvloop as in ``briefing run``, or ``--loop asyncio``;
  ``--parse-processes N``: parse + normalize in a pool, ``Settings.parse_processes``,
  whose workers' CPU counts as ours): the real ``FetchScheduler.tick`` (atomic claim) →
  ``FeedStore.get`` → ``FetchStage.poll`` (real ``Fetcher``, conditional GET, body hash,
  parse, normalize, Lua ingest, ``record_poll``) against a real Redis (embedded via
  ``open_target`` in a temp dir, or ``--redis-url``, which is FLUSHED). The scheduler's
  timer is not used: ``tick()`` is called again as soon as poll slots free up
  (``--concurrency`` of them; ``claim_batch`` and ``per_host_concurrency`` are raised to
  it, because every feed here lives on one host, which the per-host politeness limit of 2
  would otherwise measure).

  (a) polls/s, every feed answers 304: ``--copies`` × 163 ``/v`` feeds, ``--rounds`` rounds.
  (b) polls/s, bodies unchanged: the same on ``/p`` feeds (200, same bytes, parse skipped
      by body hash).
      Before (a) and (b) each feed is primed with one plain fetch whose validators and
      body hash are stored as a first poll would store them (untimed).
  (c) new entries/s, first update into a fresh (flushed) Redis, the 163 distinct
      documents once: fetch + parse + normalize + ingest (XADD to the entries stream);
      then again with the process stage running beside it in this process and the clock
      stopped when the stream is fully acknowledged: index only (``ProcessStage`` without
      stories), and index + story clustering (``StoryStage`` with the default config's
      briefings).

* **reader** (``bench/.env``, its own virtualenv, created on first use with
  ``pip install reader``): ``update_feeds(scheduled=False)`` on the 163 ``/v/0`` feeds
  (first update, then ``--reader-rounds`` 304 rounds) and on the 163 ``/p/0`` feeds
  (first update untimed, then unchanged rounds), with ``workers=1`` (its default) and
  ``--reader-workers``. It runs as a subprocess of this script (``bench/ingest.py reader``).

CPU seconds of each process (bench, Redis, feed server) are read from /proc around every
case, so a saturated core is visible. Results: docs/benchmarks.md ("Ingest").
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FEEDS = ROOT.parent / "shared" / "feeds" / "real"
BENCH_VENV = ROOT / "bench" / ".env"
HOST = "127.0.0.1"
# Far enough apart that every feed is due again whatever interval, ttl and jitter say.
ROUND_STEP = timedelta(days=3)


# --- measuring ---------------------------------------------------------------------------


def cpu_seconds(pid: int | list[int]) -> float:
    """User + system CPU seconds of a process (or the sum over processes) so far (Linux /proc)."""
    if isinstance(pid, list):
        return sum(cpu_seconds(p) for p in pid)
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return float("nan")
    fields = stat.rsplit(")", 1)[1].split()  # the name may contain spaces and ")"
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Meter:
    """Wall time and per-process CPU share of one measured case."""

    pids: dict[str, int | list[int]]
    started: float = 0.0
    wall: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)

    def __enter__(self) -> Meter:
        self._cpu0 = {name: cpu_seconds(pid) for name, pid in self.pids.items()}
        self.started = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.started
        self.cpu = {
            name: (cpu_seconds(pid) - self._cpu0[name]) / self.wall
            for name, pid in self.pids.items()
        }

    def describe(self) -> str:
        return ", ".join(f"{name} {share:.0%}" for name, share in self.cpu.items())


# --- the feed server, in its own process -------------------------------------------------


def serve(copies: int, feeds: Path) -> None:
    """``bench/ingest.py serve``: run the feed server until stdin closes."""
    sys.path.insert(0, str(ROOT))
    from tests.feedserver import FeedServer, document

    documents = sorted(p for p in feeds.iterdir() if p.is_file())
    with FeedServer(HOST) as server:
        tagged = server.add_directory(feeds, prefix="/v/0/")  # ETag + Last-Modified
        for path in tagged:  # the same handlers (validators included) under other copies
            name = path.rsplit("/", 1)[1]
            for copy in range(1, copies):
                server.routes[f"/v/{copy}/{name}"] = server.routes[f"/v/0/{name}"]
        for file in documents:
            handler = document(file.read_bytes(), content_type=_content_type(file))
            for copy in range(copies):
                server.routes[f"/p/{copy}/{file.name}"] = handler  # no validators: always 200
        print(json.dumps({"base": server.base_url, "pid": os.getpid()}), flush=True)
        sys.stdin.read()  # the parent closes our stdin (or dies): stop


def _content_type(file: Path) -> str:
    from tests.feedserver import _guess_type  # the same guess as add_directory makes

    return _guess_type(file, file.read_bytes())


def feed_urls(base: str, kind: str, copies: int, feeds: Path) -> list[str]:
    names = sorted(p.name for p in feeds.iterdir() if p.is_file())
    return [f"{base}/{kind}/{copy}/{name}" for copy in range(copies) for name in names]


async def server_capacity(
    base: str, urls: Sequence[str], conditional: bool, seconds: float
) -> float:
    """Requests/s the feed server answers to a trivial keep-alive client (raw sockets,
    64 connections, no parsing beyond the headers). ``conditional`` sends
    ``If-None-Match: *`` so every answer is a 304."""
    port = int(base.rsplit(":", 1)[1])
    extra = "If-None-Match: *\r\n" if conditional else ""
    paths = [u.removeprefix(base) for u in urls]
    done = 0
    deadline = time.perf_counter() + seconds

    async def connection(offset: int) -> None:
        nonlocal done
        reader, writer = await asyncio.open_connection(HOST, port)
        i = offset
        while time.perf_counter() < deadline:
            path = paths[i % len(paths)]
            i += 64
            writer.write(f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\n{extra}\r\n".encode())
            await writer.drain()
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            await reader.readexactly(length)
            done += 1
        writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(connection(i) for i in range(64)))
    return done / (time.perf_counter() - started)


# --- ours --------------------------------------------------------------------------------


@dataclass
class Case:
    """One measured number. ``per_cpu`` is ``count`` per CPU second of the measured
    process itself: what one free core would give, when neighbours steal the CPU."""

    name: str
    rate: float
    unit: str
    count: int
    wall: float
    per_cpu: float
    cpu: str
    note: str = ""

    @classmethod
    def of(cls, name: str, unit: str, count: int, meter: Meter, process: str, note: str) -> Case:
        # The parse workers (--parse-processes) do our work too: their CPU counts as ours.
        busy = (meter.cpu[process] + meter.cpu.get("parse", 0.0)) * meter.wall
        per_cpu = count / busy if busy > 0 else float("nan")
        return cls(
            name, count / meter.wall, unit, count, meter.wall, per_cpu, meter.describe(), note
        )

    def show(self) -> str:
        return (
            f"  {self.name:<42} {self.rate:>8,.0f} {self.unit}"
            f"  ({self.per_cpu:,.0f} per CPU-second)\n"
            f"      {self.count} in {self.wall:.2f} s; CPU {self.cpu}; {self.note}"
        )


async def drive(scheduler: Any, total: int) -> list[Any]:
    """Poll ``total`` due feeds through ``scheduler.tick()``, ticking as soon as slots free."""
    tasks: list[asyncio.Task[Any]] = []
    claimed = 0
    while claimed < total:
        before = set(scheduler.inflight)
        started = await scheduler.tick()
        tasks.extend(scheduler.inflight - before)  # tick() starts tasks without yielding after
        claimed += started
        if claimed < total and started == 0:
            if not scheduler.inflight:
                raise RuntimeError(f"only {claimed} of {total} feeds were due")
            await asyncio.wait(scheduler.inflight, return_when=asyncio.FIRST_COMPLETED)
    return list(await asyncio.gather(*tasks))


async def parse_worker_pids(processes: int) -> list[int]:
    """Start the fetch stage's parse pool now (untimed, profiles loaded) and return its
    workers' pids, so the Meter can count their CPU."""
    from service.settings import Settings
    from workers.fetch_stage import _pool

    pool = _pool(processes, Settings().parse_timeout)
    await asyncio.gather(*(pool.run(os.getpid) for _ in range(processes)))
    return pool.pids()  # every worker, idle or not


class Ours:
    """Our pipeline on a real Redis, driven through the real scheduler."""

    def __init__(self, args: argparse.Namespace, base: str, server_pid: int) -> None:
        self.args = args
        self.base = base
        self.server_pid = server_pid

    async def run(self) -> list[Case]:
        sys.path.insert(0, str(ROOT))
        from service.settings import Settings
        from service.store import Store
        from service.store.connection import open_target
        from workers.fetch import Fetcher

        n = self.args.concurrency
        self.settings = Settings(
            allow_private_targets=True,
            max_connections=n,
            per_host_concurrency=n,
            claim_batch=n,
            parse_processes=self.args.parse_processes,
        )
        with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp:
            target = open_target(self.args.redis_url, Path(tmp))
            # redis-py 8 caps a pool at 100 connections and raises beyond: leave room for
            # `concurrency` polls, the claim tick and the process stage's blocking read.
            redis = target.client(max_connections=n + 20)
            try:
                info = await redis.info("server")
                self.pids: dict[str, int | list[int]] = {
                    "bench": os.getpid(),
                    "redis": int(info["process_id"]),
                    "server": self.server_pid,
                }
                if self.settings.parse_processes:
                    self.pids["parse"] = await parse_worker_pids(self.settings.parse_processes)
                self.store = Store(redis, stream_maxlen=self.settings.stream_maxlen)
                async with Fetcher(self.settings) as self.fetcher:
                    return await self._cases()
            finally:
                await redis.aclose()
                target.close()

    async def _cases(self) -> list[Case]:
        only = self.args.only
        cases: list[Case] = []
        copies, rounds = self.args.copies, self.args.rounds
        if "a" in only:
            urls = feed_urls(self.base, "v", copies, self.args.feeds)
            cases.append(await self._polls("(a) polls/s, all 304", urls, rounds, "not_modified"))
            print(cases[-1].show(), flush=True)
        if "b" in only:
            urls = feed_urls(self.base, "p", copies, self.args.feeds)
            cases.append(await self._polls("(b) polls/s, unchanged", urls, rounds, "unchanged"))
            print(cases[-1].show(), flush=True)
        if "c" in only:
            for case in await self._first_update():
                cases.append(case)
                print(case.show(), flush=True)
        return cases

    def _scheduler(self, clock: Callable[[], datetime]) -> Any:
        from workers.fetch_stage import FetchStage
        from workers.scheduler import FetchScheduler

        stage = FetchStage(self.settings, self.store, self.fetcher)
        return FetchScheduler(self.settings, self.store, stage, clock=clock)

    async def _add(self, urls: Sequence[str], now: datetime) -> None:
        from service.models import FeedConfig

        await self.store.redis.flushdb()
        sem = asyncio.Semaphore(self.args.concurrency)

        async def add(url: str) -> None:
            async with sem:
                await self.store.feeds.add(FeedConfig(url=url), first_poll=now)

        await asyncio.gather(*(add(u) for u in urls))

    async def _prime(self, urls: Sequence[str], now: datetime) -> None:
        """Store validators and body hash as a first poll would (one plain fetch each)."""
        import dataclasses

        sem = asyncio.Semaphore(self.args.concurrency)

        async def prime(url: str) -> None:
            async with sem:  # every Redis call inside: the pool holds concurrency + 20
                result = await self.fetcher.fetch(url)
                feed = await self.store.feeds.by_url(url)
                if result.error or feed is None:
                    raise RuntimeError(f"priming {url}: {result.error}")
                state = dataclasses.replace(
                    feed.state,
                    url=url,
                    etag=result.facts.etag,
                    last_modified=result.facts.last_modified,
                    body_hash=result.body_hash,
                    last_status=result.status,
                    last_success=now,
                    next_poll=now,
                )
                await self.store.feeds.record_poll(feed.id, state)

        await asyncio.gather(*(prime(u) for u in urls))

    async def _polls(self, name: str, urls: Sequence[str], rounds: int, expect: str) -> Case:
        now = datetime.now(UTC)
        await self._add(urls, now)
        await self._prime(urls, now)
        clock = [now]
        scheduler = self._scheduler(lambda: clock[0])
        outcomes: Counter[str] = Counter()
        with Meter(self.pids) as meter:
            for round_ in range(1, rounds + 1):
                clock[0] = now + round_ * ROUND_STEP
                outcomes.update(r.outcome for r in await drive(scheduler, len(urls)))
        polls = sum(outcomes.values())
        if outcomes[expect] != polls:
            raise RuntimeError(f"{name}: expected every poll {expect!r}, got {dict(outcomes)}")
        note = f"{len(urls)} feeds x {rounds} rounds"
        return Case.of(name, "polls/s", polls, meter, "bench", note)

    async def _first_update(self) -> list[Case]:
        from service.config import load_config
        from service.settings import DEFAULT_CONFIG_FILE
        from workers.story_stage import StoryStage

        urls = feed_urls(self.base, "v", 1, self.args.feeds)
        briefings = load_config(DEFAULT_CONFIG_FILE).briefings
        # (name, run the process stage beside the polls?, with story clustering?)
        variants = [
            ("(c) entries/s, fetch stage", False, False),
            ("(c) entries/s, + process (index)", True, False),
            ("(c) entries/s, + process (index+stories)", True, True),
        ]
        cases = []
        for name, process, clustering in variants:
            stories = (lambda: StoryStage(self.store, briefings)) if clustering else (lambda: None)
            best: Case | None = None
            for _ in range(self.args.repeat):
                case = await self._first_update_once(name, urls, stories if process else None)
                best = case if best is None or case.rate > best.rate else best
            assert best is not None
            cases.append(best)
        return cases

    async def _first_update_once(
        self, name: str, urls: Sequence[str], stories: Callable[[], Any] | None
    ) -> Case:
        from workers.process_stage import ProcessStage

        now = datetime.now(UTC)
        await self._add(urls, now)
        scheduler = self._scheduler(lambda: now)
        process = None
        if stories is not None:
            process = ProcessStage(self.store, "bench", stories=stories(), clock=lambda: now)
            await process.start()
            if not await process.hold_lease():
                raise RuntimeError("process lease is held by someone else")
        with Meter(self.pids) as meter:
            polling = asyncio.create_task(drive(scheduler, len(urls)))
            acked = 0
            while process is not None:
                # Consume beside the polls, as `briefing run` does; stop once drained.
                polled_all = polling.done()
                got = await process.run_once(count=100, block_ms=20)
                acked += got
                if polled_all and not got:
                    break
            reports = await polling
        entries = sum(r.new + r.new_sources + r.duplicates for r in reports)
        new = sum(r.new for r in reports)
        errors = [r for r in reports if r.error]
        note = f"{new} new articles ({new / meter.wall:.0f}/s), {len(urls)} feeds"
        if process is not None:
            note += f", {acked} stream messages processed"
        if errors:
            kinds = Counter(r.error.split(" (")[0] for r in errors if r.error)
            note += f", {len(errors)} feeds failed: {dict(kinds)}"
            print(f"    a {name!r} run: {len(errors)} feeds failed: {dict(kinds)}", flush=True)
        return Case.of(name, "entries/s", entries, meter, "bench", note)


# --- reader, in its own virtualenv --------------------------------------------------------


def ensure_reader_venv(venv: Path) -> Path:
    """reader's own virtualenv, made on first use. reader vendors a feedparser that still
    imports ``sgmllib``, which feedparser 6.0.12+ no longer pulls in: add ``sgmllib3k``."""
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    probe = subprocess.run([str(python), "-c", "import reader, sgmllib"], capture_output=True)
    if probe.returncode != 0:
        install = [str(python), "-m", "pip", "install", "-q", "reader", "sgmllib3k"]
        subprocess.run(install, check=True)
    return python


def reader_child(args: argparse.Namespace) -> None:
    """``bench/ingest.py reader``: runs inside bench/.env; prints one JSON line."""
    import reader as reader_lib
    from reader import make_reader

    results: dict[str, Any] = {"version": reader_lib.__version__, "cases": []}

    def measure(name: str, unit: str, work: Callable[[], int], note: str) -> None:
        pids = {"reader": os.getpid(), "server": args.server_pid}
        with Meter(pids) as meter:
            count = work()
        case = Case.of(name, unit, count, meter, "reader", note)
        print(case.show(), file=sys.stderr, flush=True)
        results["cases"].append(case.__dict__)

    with tempfile.TemporaryDirectory(prefix="bench-reader-") as tmp:
        for kind in ("v", "p"):
            for workers in sorted({1, args.reader_workers}):
                db = make_reader(str(Path(tmp) / f"{kind}-{workers}.sqlite"))
                urls = feed_urls(args.base, kind, 1, args.feeds)
                for url in urls:
                    db.add_feed(url)

                def update(db: Any = db, workers: int = workers) -> None:
                    db.update_feeds(scheduled=False, workers=workers)

                def first(db: Any = db, update: Callable[[], None] = update) -> int:
                    update()
                    broken = list(db.get_feeds(broken=True))
                    if broken:
                        why = Counter(
                            (f.last_exception.type_name if f.last_exception else "?")
                            for f in broken
                        )
                        print(f"reader: {len(broken)} feeds failed: {dict(why)}", file=sys.stderr)
                    return int(db.get_entry_counts().total)

                def polls(update: Callable[[], None] = update, n: int = len(urls)) -> int:
                    for _ in range(args.reader_rounds):
                        update()
                    return n * args.reader_rounds

                label = f"workers={workers}"
                rounds = f"{len(urls)} feeds x {args.reader_rounds} rounds, {label}"
                if kind == "v":
                    measure("(c) entries/s, first update", "entries/s", first, label)
                    measure("(a) polls/s, all 304", "polls/s", polls, rounds)
                else:
                    first()  # untimed: the unchanged case starts from a stored copy
                    measure("(b) polls/s, unchanged", "polls/s", polls, rounds)
                db.close()
    print(json.dumps(results), flush=True)


def run_reader(args: argparse.Namespace, base: str, server_pid: int) -> dict[str, Any]:
    python = ensure_reader_venv(args.reader_venv)
    command = [str(python), __file__, "reader", "--base", base, "--server-pid", str(server_pid)]
    command += ["--feeds", str(args.feeds), "--reader-rounds", str(args.reader_rounds)]
    command += ["--reader-workers", str(args.reader_workers)]
    print(f"reader ({python}):", flush=True)
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError("reader run failed (its traceback is above)")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# --- the run -----------------------------------------------------------------------------


def run_loop(main: Coroutine[Any, Any, list[Case]], loop: str) -> list[Case]:
    """Run our side on uvloop (as `briefing run` does where it is installed) or on the
    stdlib loop."""
    factory = None
    if loop == "uvloop":
        import uvloop

        factory = uvloop.new_event_loop
    with asyncio.Runner(loop_factory=factory) as runner:
        return runner.run(main)


def start_server(args: argparse.Namespace) -> tuple[subprocess.Popen[str], str, int]:
    command = [sys.executable, __file__, "serve", "--copies", str(args.copies)]
    command += ["--feeds", str(args.feeds)]
    server = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert server.stdout is not None
    ready = json.loads(server.stdout.readline() or "{}")
    if "base" not in ready:
        server.kill()
        raise RuntimeError("feed server did not start")
    return server, ready["base"], int(ready["pid"])


def print_table(ours: list[Case], theirs: list[dict[str, Any]]) -> None:
    """Ours against every reader run of the same case, by wall clock and per CPU-second
    (the second is what to compare when other processes compete for the cores)."""
    print("\nsummary: rate (per CPU-second); ratio = ours / reader, wall (per CPU-second)")
    for case in ours:
        print(f"  {case.name:<42} ours   {case.rate:>7,.0f} ({case.per_cpu:,.0f})")
        for peer in theirs:
            if case.name.split(",")[0] == peer["name"].split(",")[0]:
                wall = case.rate / peer["rate"]
                cpu = case.per_cpu / peer["per_cpu"]
                label = f"reader, {peer['note'].split(', ')[-1]}"
                print(
                    f"      {label:<40} {peer['rate']:>7,.0f} ({peer['per_cpu']:,.0f})"
                    f"   ratio {wall:.1f}x ({cpu:.1f}x)"
                )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("mode", nargs="?", default="run", choices=["run", "serve", "reader"])
    parser.add_argument("--feeds", type=Path, default=FEEDS, help="directory of documents")
    parser.add_argument("--copies", type=int, default=20, help="paths per document for (a)/(b)")
    parser.add_argument("--rounds", type=int, default=2, help="poll rounds for (a)/(b)")
    parser.add_argument("--repeat", type=int, default=3, help="(c) runs per variant (best kept)")
    parser.add_argument("--concurrency", type=int, default=100, help="polls in flight")
    parser.add_argument(
        "--loop",
        choices=["asyncio", "uvloop"],
        default="uvloop",
        help="event loop for our side (uvloop: what `briefing run` uses when installed)",
    )
    parser.add_argument(
        "--parse-processes",
        type=int,
        default=0,
        help="Settings.parse_processes: parse + normalize in a pool of N processes",
    )
    parser.add_argument("--redis-url", default=None, help="a scratch Redis: it is FLUSHED")
    parser.add_argument("--only", default="a,b,c,reader", help="cases to run: a,b,c,reader")
    parser.add_argument("--reader-rounds", type=int, default=3)
    parser.add_argument("--reader-venv", type=Path, default=BENCH_VENV, help="reader's virtualenv")
    parser.add_argument("--reader-workers", type=int, default=8, help="besides workers=1")
    parser.add_argument("--json", type=Path, default=None, help="also write results here")
    parser.add_argument("--base", help=argparse.SUPPRESS)
    parser.add_argument("--server-pid", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.only = set(args.only.split(","))
    if args.mode == "serve":
        return serve(args.copies, args.feeds)
    if args.mode == "reader":
        return reader_child(args)

    server, base, server_pid = start_server(args)
    try:
        load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, load {load}")
        print(f"feed server: tests.feedserver.FeedServer, own process (pid {server_pid}), {base}")
        print(f"our event loop: {args.loop}, parse_processes={args.parse_processes}")
        for conditional, kind in ((True, "v"), (False, "p")):
            urls = feed_urls(base, kind, args.copies, args.feeds)
            rate = asyncio.run(server_capacity(base, urls, conditional, seconds=3.0))
            what = "304s" if conditional else "200s (full bodies)"
            print(f"  capacity with a trivial client: {rate:,.0f} {what}/s")
        ours = (
            run_loop(Ours(args, base, server_pid).run(), args.loop)
            if args.only - {"reader"}
            else []
        )
        theirs = run_reader(args, base, server_pid) if "reader" in args.only else {"cases": []}
    finally:
        assert server.stdin is not None
        server.stdin.close()
        server.wait(10)
    print_table(ours, theirs["cases"])
    print("load average at the end: " + " / ".join(f"{x:.1f}" for x in os.getloadavg()))
    if args.json:
        record = {
            "date": datetime.now(UTC).isoformat(),
            "args": {**vars(args), "only": sorted(args.only)},
            "server": base,
            "ours": [c.__dict__ for c in ours],
            "reader": theirs,
        }
        args.json.write_text(json.dumps(record, indent=1, default=str))


if __name__ == "__main__":
    main()
