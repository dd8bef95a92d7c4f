"""Ingest benchmark: the real ``briefing worker`` processes vs lemon24's ``reader``.

    .venv/bin/python bench/ingest.py [--copies 20] [--rounds 2] [--only a,b,c,cold,reader]
                                     [--tuned BRIEFING_MAX_CONNECTIONS=200] [--json FILE]
                                     [--command worker|run]

Everything runs on one machine, all traffic on loopback, ours and reader in one run
against one feed server:

* **feed server**: ``tests.feedserver.FeedServer`` in its **own process**
  (``bench/ingest.py serve``) listening on ``--addresses`` loopback addresses
  (127.0.0.1, 127.0.0.2, …, one port), so feeds live on many hosts as they do in the
  wild and the per-host politeness limit applies as it would there. It serves the real
  documents of ``../shared/feeds/real`` from memory, each under ``--copies`` paths twice
  over: ``/v/<copy>/<file>`` with ETag + Last-Modified (304 to a matching conditional
  GET) and ``/p/<copy>/<file>`` without validators (always 200, same bytes). Feed *i*
  is served from address *i* mod ``--addresses``. A trivial raw-socket client first
  measures the server's own capacity, to show it is not the bottleneck.
* **documents**: only those reader can parse are used, for both sides (a first update
  by reader finds the others); the left-out ones are listed in the output.
* **ours**: ``briefing worker --role fetch`` started as a user starts it, with the
  shipped defaults: a ``BRIEFING_CONFIG`` file listing the feeds, the data directory
  of an embedded Redis this script started, ``BRIEFING_ALLOW_PRIVATE_TARGETS=1`` (the
  feeds are on loopback) and nothing else; their host cache (``XDG_CACHE_HOME``, unless
  set) is this virtualenv's own (``HOST_CACHE``), written by the first start.
  ``--compiled``: our checkout's own modules (service/, workers/) compiled before the
  clock, as an installed wheel or the Docker image has them (``compiled_modules``);
  without it, where ``PYTHONDONTWRITEBYTECODE`` is set (this project's development hosts,
  an editable install) each of our processes compiles them from source at its start,
  inside case (cold)'s clock. reader is an installed package: its modules are compiled.
  ``--tuned NAME=VALUE`` adds a second run of every case with settings the README lists
  as tuning knobs (the results say which).
  Feeds are added with their first poll a day away before the worker starts; a round
  makes every feed due at once (score = now in ``feeds:due``) and ends when no feed is
  due or claimed any more; each feed's stored state is then checked (304s for (a), 200s
  with an unchanged body for (b)). ``--command run`` polls (a) and (b) with ``briefing
  run`` instead (the API and every role in one process, its process stage in a child; on
  a free port), measured as the process and its children.

  (a) polls/s, every feed answers 304: ``--copies`` × documents ``/v`` feeds, their
      validators and body hashes stored beforehand (one plain fetch each, by this script),
      one untimed round, then ``--rounds`` timed rounds (the best is kept).
  (b) polls/s, bodies unchanged: the same on ``/p`` feeds (200, same bytes, the parse is
      skipped by the body hash).
  (c) entries/s, first update into a fresh Redis of each document once (one copy): the
      fetch worker alone (entries counted in the entries streams; the note says when
      the first, the median and the last of them were written), then beside a
      ``briefing worker --role process`` (defaults: index and story clustering with the
      default briefings), the clock stopped when the process stage has acknowledged
      every entry (counted as the fetch worker alone wrote them: beside the process
      stage the streams are trimmed while the case runs).
  (cold) entries/s, first ingest as a user starts the service: the same documents, an
      emptied Redis, the feeds only in the config file, and the clock started as the
      worker processes are launched (their imports, parse processes and language model
      included) and stopped when every feed is polled (fetch worker alone) or, beside a
      ``briefing worker --role process`` launched with it, when the process stage has
      acknowledged every entry (counted as in (c)). The workers seed the feeds
      themselves with ``BRIEFING_FIRST_POLL_SPREAD=0``, so that they are all due at once:
      not a documented tuning knob, named in the results; by default a start spreads the
      first polls over 300 s. The embedded Redis runs already (this script's, emptied):
      its own start is outside the clock. CPU of every process from its launch.

* **reader** (``bench/.env``, its own virtualenv, made on first use with
  ``pip install reader``): ``update_feeds(scheduled=False)`` on the same URLs of copy 0
  (first update, then ``--reader-rounds`` 304 rounds) and of the ``/p`` feeds (first
  update untimed, then unchanged rounds), ``workers=1`` (its default) and
  ``--reader-workers``. For (cold): a fresh ``python -c`` that makes a fresh database,
  adds the feeds and runs ``update_feeds(scheduled=False, workers=1)``, timed from
  launch to exit (its start included), its CPU from the rusage of the finished child.

Rates are per wall-clock second and per CPU-second of the measured process (ours: the
worker and its parse processes; CPU read from /proc), next to the CPU share of every
process (worker, Redis, feed server). Results: docs/benchmarks.md ("Ingest").
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from service.store import Store

if str(Path(__file__).resolve().parent.parent) not in sys.path:  # run as a script
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._support import (
    FEEDS,
    HOST,
    ROOT,
    Case,
    Meter,
    Pids,
    address,
    compiled_modules,
    config_toml,
    default_briefings,
    descendants,
    free_port,
    load_average,
    machine_line,
    print_ratios,
    serve_on_addresses,
)

BENCH_VENV = ROOT / "bench" / ".env"
BRIEFING = Path(sys.executable).parent / "briefing"
# A round is over when no feed is due or claimed before this many seconds past its
# start: a claim holds a feed 30 s past the claim (claim_lease, renewed while the poll
# runs), a polled feed is due again after its interval (900 s less 10% jitter). A failed
# poll is due again after its backoff (60 s): a round whose count stops falling for
# STALL seconds is over too, and the check of every feed's state names the failures.
# STALL is longer than the backpressure deferral (BRIEFING_BACKPRESSURE_MAX_DELAY, 20 s):
# beside a process stage that is behind, the fetch worker holds due polls that long.
ROUND_HORIZON = 600.0
STALL = 30.0
PRIME_BATCH = 5_000  # feeds' primed states written per script call
# Case (cold) makes the configured feeds due at once, as a burst of new feeds would be
# (an OPML import, "poll now"): the README does not list this setting as a tuning knob,
# and by default a start spreads the first polls over 300 s, with no burst to measure.
COLD_START = {"BRIEFING_FIRST_POLL_SPREAD": "0"}
# The workers' host cache (workers/host_cache.py), unless the environment names one: this
# virtualenv's own. Each checkout's virtualenv is another install of the packages the
# cached copies are derived from, and writing a copy removes the other copies of its kind,
# so runs of two checkouts on one host (a worktree of main beside a branch) would each
# derive them again at every start, as a host's first start does.
HOST_CACHE = Path(sys.prefix) / "host-cache"


# --- feeds and the feed server, in its own process ---------------------------------------


def feed_urls(port: int, kind: str, copies: int, names: Sequence[str], addresses: int) -> list[str]:
    """Feed *i* on address *i* mod ``addresses``: every host serves a share of them."""
    paths = [f"/{kind}/{copy}/{name}" for copy in range(copies) for name in names]
    return [f"http://{address(i, addresses)}:{port}{path}" for i, path in enumerate(paths)]


def document_names(feeds: Path) -> list[str]:
    return sorted(p.name for p in feeds.iterdir() if p.is_file())


def serve(copies: int, feeds: Path, addresses: int) -> None:
    """``bench/ingest.py serve``: run the feed server until stdin closes."""
    from tests.feedserver import FeedServer, _guess_type, document

    with FeedServer(HOST) as server:
        tagged = server.add_directory(feeds, prefix="/v/0/")  # ETag + Last-Modified
        for url in tagged:  # the same handlers (validators included) under other copies
            name = url.rsplit("/", 1)[1]
            for copy in range(1, copies):
                server.routes[f"/v/{copy}/{name}"] = server.routes[f"/v/0/{name}"]
        for name in document_names(feeds):
            body = (feeds / name).read_bytes()
            handler = document(body, content_type=_guess_type(feeds / name, body))
            for copy in range(copies):
                server.routes[f"/p/{copy}/{name}"] = handler  # no validators: always 200
        serve_on_addresses(server, addresses)
        print(json.dumps({"port": server.port, "pid": os.getpid()}), flush=True)
        sys.stdin.read()  # the parent closes our stdin (or dies): stop


async def server_capacity(
    port: int, paths: Sequence[str], conditional: bool, seconds: float
) -> float:
    """Requests/s the feed server answers to a trivial keep-alive client (raw sockets,
    64 connections, no parsing beyond the headers). ``conditional`` sends
    ``If-None-Match: *`` so every answer is a 304."""
    extra = "If-None-Match: *\r\n" if conditional else ""
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


# --- ours: real worker processes ---------------------------------------------------------


def tuning_knobs() -> set[str]:
    """The settings the README's table documents (``BRIEFING_*`` names)."""
    import re

    text = (ROOT / "README.md").read_text()
    return set(re.findall(r"`(BRIEFING_[A-Z_]+)`", text))


class Worker:
    """One ``briefing worker`` process, started as a user starts it."""

    def __init__(
        self,
        tmp: Path,
        role: str,
        config: Path,
        tuned: dict[str, str],
        ready: bool = True,
        command: str = "worker",
    ) -> None:
        """``ready``: return once it logs that its workers run; else at once (its start
        is then part of what the caller measures). ``command``: ``worker`` (``briefing
        worker --role ROLE``) or ``run`` (``briefing run``: every role and the API)."""
        self.log = tmp / f"worker-{role}-{time.monotonic_ns()}.log"
        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("BRIEFING_") and k != "REDIS_URL"
        }
        env.setdefault("XDG_CACHE_HOME", str(HOST_CACHE))
        env |= {
            "BRIEFING_CONFIG": str(config),
            "BRIEFING_DATA_DIR": str(tmp / "data"),
            "BRIEFING_ALLOW_PRIVATE_TARGETS": "1",
            **tuned,
        }
        heartbeat = tmp / f"heartbeat-{role}"
        argv = [str(BRIEFING), "worker", "--role", role, "--heartbeat-file", str(heartbeat)]
        if command == "run":
            argv = [str(BRIEFING), "run"]
            env["BRIEFING_PORT"] = str(free_port())
        if os.environ.get("BENCH_PROFILE_DIR"):  # where a cProfile of each worker goes
            profile = Path(os.environ["BENCH_PROFILE_DIR"]) / f"{role}-{time.monotonic_ns()}.prof"
            argv = [sys.executable, "-m", "cProfile", "-o", str(profile), *argv]
        with self.log.open("w") as out:
            self.process = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT)
        if ready:
            self._wait_for("workers running")

    def _wait_for(self, line: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if line in self.log.read_text(errors="replace"):
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        self.stop()
        tail = self.log.read_text(errors="replace")[-2000:]
        raise RuntimeError(f"worker did not start ({line!r} not logged):\n{tail}")

    def pids(self) -> list[int]:
        return descendants(self.process.pid)  # the worker and its parse process

    def children(self) -> list[int]:
        """Its parse processes (fetch) or link-check process (process), not itself."""
        return descendants(self.process.pid)[1:]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def launched_pids(launched: Sequence[Worker], index: int, *, children: bool) -> list[int]:
    """The pids of the ``index``-th worker launched so far (none before its launch): the
    worker itself, or only its children."""
    found = launched[index : index + 1]
    return [p for w in found for p in w.children()] if children else [w.process.pid for w in found]


def entries_case(
    case: str, roles: list[str], entries: int, meter: Meter, measured: list[str], note: str
) -> Case:
    """A run of a first-ingest case (``case``: "c", "cold"): entries/s of the fetch worker
    alone or beside a process worker, the note ending with CPU per entry and the load."""
    name = f"({case}) entries/s, " + (
        "fetch worker" if roles == ["fetch"] else "+ process worker (stories)"
    )
    note += f"; {meter.per_item(entries, 'entry')}; load {load_average()}"
    return Case.of(name, "entries/s", entries, meter, measured, note)


async def process_batches(store: Store, entries: int) -> str:
    """How the process stage read and wrote ``entries`` since the store's last
    ``reset_command_stats``: its stream reads (XREADGROUP), its written batches (one XACK
    in each batch's MULTI), and Redis' own time in every command per entry (INFO
    commandstats: the fetch worker's and this script's checks too; Redis' event loop and
    sockets are not in it)."""
    stats = await store.command_stats()
    reads = stats.get("cmdstat_xreadgroup", {}).get("calls", 0)
    batches = stats.get("cmdstat_xack", {}).get("calls", 0)
    usec = sum(each.get("usec", 0) for each in stats.values())
    per = f"{entries / reads:.1f}" if reads else "-"
    each = f"{entries / batches:.1f}" if batches else "-"
    return (
        f"process stream reads {reads} ({per} entries each), written batches {batches}"
        f" ({each} each), Redis commands {usec / max(entries, 1):.0f} us per entry"
    )


@contextlib.contextmanager
def workers(
    tmp: Path,
    roles: Sequence[str],
    config: Path,
    tuned: dict[str, str],
    ready: bool = True,
    command: str = "worker",
) -> Iterator[list[Worker]]:
    started: list[Worker] = []
    try:
        for role in roles:
            started.append(Worker(tmp, role, config, tuned, ready, command))
        yield started
    finally:
        for worker in started:
            worker.stop()


class Ours:
    """Rounds of polls by real worker processes, against an embedded Redis of our own."""

    def __init__(self, args: argparse.Namespace, port: int, server_pid: int, names: list[str]):
        self.args = args
        self.port = port
        self.server_pid = server_pid
        self.names = names

    async def run(self, tmp: Path) -> list[Case]:
        from service.store import Store
        from service.store.connection import open_target

        target = open_target(None, tmp / "data")
        redis = target.client()
        try:
            self.store = Store(redis)
            self.redis_pid = int((await self.store.server_info())["process_id"])
            return await self._cases(tmp)
        finally:
            await redis.aclose()
            target.close()

    async def _cases(self, tmp: Path) -> list[Case]:
        only, cases = self.args.only, list[Case]()
        settings: list[tuple[str, dict[str, str]]] = [("shipped defaults", {})]
        if self.args.tuned:
            settings.append(
                (", ".join(f"{k}={v}" for k, v in self.args.tuned.items()), self.args.tuned)
            )
        for label, tuned in settings:
            for kind, letter in (("v", "a"), ("p", "b")):
                if letter in only:
                    cases.append(await self._polls(tmp, kind, letter, label, tuned))
                    print(cases[-1].show(), flush=True)
        if "c" in only:
            for label, tuned in settings:
                for case in await self._first_update(tmp, label, tuned):
                    cases.append(case)
                    print(case.show(), flush=True)
        if "cold" in only:
            for label, tuned in settings:
                for case in await self._cold_start(tmp, label, tuned):
                    cases.append(case)
                    print(case.show(), flush=True)
        return cases

    async def _fresh(
        self,
        tmp: Path,
        urls: Sequence[str],
        briefings: Sequence[dict[str, Any]] = (),
        warm: str = "",
    ) -> Path:
        """An empty Redis holding ``urls`` as feeds first due in a day (and ``warm`` due
        now: the worker's first poll, before any clock starts); their config file."""
        from service.models import FeedConfig

        await self.store.redis.flushdb()
        now = datetime.now(UTC)
        later = now + timedelta(days=1)
        feeds = [(FeedConfig(url=u), later) for u in urls]
        feeds += [(FeedConfig(url=warm), now)] if warm else []
        await self.store.feeds.add_many(feeds)
        config = tmp / f"feeds-{time.monotonic_ns()}.toml"
        config.write_text(config_toml([*urls, warm] if warm else urls, briefings, "bench"))
        return config

    async def _prime(self, urls: Sequence[str]) -> None:
        """Store each feed's validators and body hash as its first poll would have (one
        plain fetch each, here, untimed): the rounds are then all 304s or all unchanged."""
        import dataclasses

        from service.settings import Settings
        from workers.http_fetch import Fetcher

        settings = Settings(allow_private_targets=True, per_host_concurrency=100)
        now = datetime.now(UTC)
        sem = asyncio.Semaphore(100)
        async with Fetcher(settings) as fetcher:

            async def primed(url: str) -> tuple[str, Any, None]:
                async with sem:
                    result = await fetcher.fetch(url)
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
                    next_poll=now + timedelta(days=1),
                )
                return feed.id, state, None

            records = await asyncio.gather(*(primed(u) for u in urls))
        # In batches: one script call with every feed's record (50,000 feeds) goes past
        # Redis's limits and the server drops the connection.
        for start in range(0, len(records), PRIME_BATCH):
            await self.store.feeds.record_polls(records[start : start + PRIME_BATCH])

    async def _caught_up(self, process: bool, within: float = 120.0) -> None:
        """Wait until nothing is due now (and the process stage, if any, is idle)."""
        from service.store.backlog import Backlog

        backlog = Backlog(self.store.redis, self.store.keys)
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            due = await self.store.feeds.count_due_by(datetime.now(UTC) + timedelta(seconds=60))
            age = await backlog.entries_age(now_ms=int(time.time() * 1000)) if process else 0
            if not due and not age:
                return
            await asyncio.sleep(0.05)
        raise RuntimeError("the warm-up poll did not finish")

    async def _round(self, meter_pids: dict[str, Pids]) -> tuple[Meter, float]:
        """Make every feed due now; return once none is due or claimed."""
        ids = await self.store.feeds.ids()
        start = time.time()
        with Meter(meter_pids) as meter:
            # As "poll now" does (FeedStore.schedule_many): the write wakes idle workers.
            await self.store.feeds.schedule_many(ids, datetime.fromtimestamp(start, UTC))
            left, progress = len(ids), time.monotonic()
            while left and time.monotonic() - progress < STALL:
                await asyncio.sleep(0.01)
                now_left = await self.store.feeds.count_due_by(
                    datetime.fromtimestamp(start + ROUND_HORIZON, UTC)
                )
                if now_left < left:
                    left, progress = now_left, time.monotonic()
        return meter, start

    async def _states(self, since: float) -> Counter[str]:
        """How each feed's last poll ended, for the feeds polled since ``since``."""
        outcomes: Counter[str] = Counter()
        after: str | None = None
        while True:
            page, after = await self.store.feeds.page(after=after, limit=1000)
            for feed in page:
                state = feed.state
                if state.last_attempt is None or state.last_attempt.timestamp() < since - 1:
                    outcomes["not polled"] += 1
                elif state.last_error:
                    outcomes[f"error: {state.last_error[:60]}"] += 1
                else:
                    outcomes[f"HTTP {state.last_status}"] += 1
            if after is None:
                return outcomes

    async def _polls(
        self, tmp: Path, kind: str, case: str, label: str, tuned: dict[str, str]
    ) -> Case:
        urls = feed_urls(self.port, kind, self.args.copies, self.names, self.args.addresses)
        config = await self._fresh(tmp, urls)
        await self._prime(urls)
        expect = "HTTP 304" if kind == "v" else "HTTP 200"
        name = f"({case}) polls/s, " + ("all 304" if kind == "v" else "unchanged")
        command = self.args.command
        with workers(tmp, ["fetch"], config, tuned, command=command) as (worker,):
            pids: dict[str, Pids] = {
                "worker": worker.pids,
                "redis": self.redis_pid,
                "server": self.server_pid,
            }
            _meter, start = await self._round(pids)  # untimed: connections, parse process
            outcomes = await self._states(start)
            if outcomes[expect] != len(urls):
                raise RuntimeError(f"{name}: expected {expect} for every feed: {outcomes}")
            best: Case | None = None
            for _ in range(self.args.rounds):
                meter, start = await self._round(pids)
                outcomes = await self._states(start)
                if outcomes[expect] != len(urls):
                    raise RuntimeError(f"{name}: expected {expect} for every feed: {outcomes}")
                note = f"{len(urls)} feeds on {self.args.addresses} addresses; {label}"
                note += "; briefing run" if command == "run" else ""
                round_case = Case.of(name, "polls/s", len(urls), meter, ["worker"], note)
                best = round_case if best is None or round_case.rate > best.rate else best
        assert best is not None
        return best

    async def _entries(self) -> int:
        return await self.store.articles.entries_held()

    async def _written(self, since: float) -> str:
        """When the round's entries reached the entries streams (their stream ids are the
        milliseconds of their XADD), from the round's start: the first, the median, the
        last. How soon the first comes is how soon a process stage can start."""
        added = await self.store.articles.entry_times_ms(since_ms=int(since * 1000))
        times = [ms / 1000 - since for ms in added]
        if not times:
            return "no entries written"
        times.sort()
        first, median, last = times[0], times[len(times) // 2], times[-1]
        return f"entries written from +{first:.2f} s, half by +{median:.2f} s, all by +{last:.2f} s"

    async def _first_update(self, tmp: Path, label: str, tuned: dict[str, str]) -> list[Case]:
        from service.store.backlog import Backlog

        urls = feed_urls(self.port, "v", 1, self.names, self.args.addresses)
        # Polled before the clock starts, so that the clock starts with a running service:
        # the parse processes (started with the worker) and the process stage (on its
        # first document) have done their starts.
        smallest = min(self.names, key=lambda n: (self.args.feeds / n).stat().st_size)
        warm = f"http://{HOST}:{self.port}/p/0/{smallest}"
        briefings = default_briefings()
        cases: list[Case] = []
        written = 0
        for roles in (["fetch"], ["fetch", "process"]):
            runs: list[Case] = []
            for _ in range(self.args.repeat):
                config = await self._fresh(tmp, urls, briefings, warm)
                with workers(tmp, roles, config, tuned) as started:
                    await self._caught_up("process" in roles)
                    before = await self._entries()
                    # Each worker apart from its children (parse or link-check processes):
                    # the CPU per entry of every process says where the cores go.
                    pids: dict[str, Pids] = {}
                    for role, worker in zip(roles, started, strict=True):
                        pids |= {role: worker.process.pid, f"{role} children": worker.children}
                    measured = list(pids)
                    pids |= {"redis": self.redis_pid, "server": self.server_pid}
                    backlog = Backlog(self.store.redis, self.store.keys)
                    with Meter(pids) as meter:
                        _polls, start = await self._round(pids)
                        while "process" in roles and await backlog.entries_age(  # noqa: ASYNC110
                            now_ms=int(time.time() * 1000)
                        ):
                            await asyncio.sleep(0.02)
                    outcomes = await self._states(start)
                    # Beside a process worker the streams are trimmed (and old articles
                    # pruned) while the case runs: count what the fetch worker alone
                    # wrote of the same documents into the same fresh Redis.
                    entries = await self._entries() - before if roles == ["fetch"] else written
                note = f"{len(urls)} feeds, polls {dict(outcomes)}; {label}"
                if roles == ["fetch"]:  # beside a process stage the streams are trimmed
                    note += "; " + await self._written(start)
                runs.append(entries_case("c", roles, entries, meter, measured, note))
                written = entries
            cases.append(max(runs, key=lambda case: case.rate))
        return cases

    async def _cold_start(self, tmp: Path, label: str, tuned: dict[str, str]) -> list[Case]:
        """Case (cold): the clock from the launch of the worker processes, into an empty
        Redis, the feeds only in their config file and due at once."""
        urls = feed_urls(self.port, "v", 1, self.names, self.args.addresses)
        config = tmp / f"feeds-cold-{time.monotonic_ns()}.toml"
        config.write_text(config_toml(urls, default_briefings(), "bench"))
        setting = ", ".join(f"{k}={v}" for k, v in COLD_START.items())
        cases: list[Case] = []
        written = 0
        for roles in (["fetch"], ["fetch", "process"]):
            runs: list[Case] = []
            for _ in range(self.args.repeat):
                await self.store.redis.flushdb()
                launched: list[Worker] = []
                # Each worker apart from its children, read from /proc at the end: before
                # the launch there is none, and every process counts from its start.
                pids: dict[str, Pids] = {}
                for i, role in enumerate(roles):
                    pids[role] = functools.partial(launched_pids, launched, i, children=False)
                    pids[f"{role} children"] = functools.partial(
                        launched_pids, launched, i, children=True
                    )
                measured = list(pids)
                pids |= {"redis": self.redis_pid, "server": self.server_pid}
                await self.store.reset_command_stats()  # the process stage's commands
                meter = Meter(pids).__enter__()
                with workers(tmp, roles, config, {**tuned, **COLD_START}, ready=False) as started:
                    launched += started
                    try:
                        polled = await self._cold_done(len(urls), "process" in roles)
                    finally:
                        meter.__exit__(None, None, None)
                    outcomes = await self._states(0.0)
                    # Beside a process worker the streams are trimmed while the case runs:
                    # count what the fetch worker alone wrote from the same cold start.
                    entries = await self._entries() if roles == ["fetch"] else written
                note = f"{len(urls)} feeds, polls {dict(outcomes)}; {label}, {setting}"
                note += f"; every feed polled by +{polled - meter.started:.2f} s"
                if "process" in roles:
                    note += "; " + await process_batches(self.store, entries)
                runs.append(entries_case("cold", roles, entries, meter, measured, note))
                written = entries
            cases.append(max(runs, key=lambda case: case.rate))
        return cases

    async def _cold_done(self, feeds: int, process: bool, within: float = 300.0) -> float:
        """Wait until the workers have seeded ``feeds`` feeds and polled every one (none due
        or claimed), and the process stage, if any, has acknowledged every entry: its
        partitions set, each entries stream's group made, nothing unread or pending.
        Returns when every feed was first seen polled (``time.perf_counter``)."""
        from service.store.backlog import Backlog
        from service.store.keys import ENTRIES_GROUP
        from service.store.streams import has_group

        redis, keys = self.store.redis, self.store.keys
        deadline = time.monotonic() + within
        polled: float | None = None
        while time.monotonic() < deadline:
            await asyncio.sleep(0.01)
            if polled is None:
                if len(await self.store.feeds.ids()) < feeds:
                    continue
                if await self.store.feeds.count_due_by(
                    datetime.now(UTC) + timedelta(seconds=ROUND_HORIZON)
                ):
                    continue
                polled = time.perf_counter()
            if not process:
                return polled
            if not await self.store.partitions.is_set():
                continue
            partitions = await self.store.partitions.count()
            streams = [keys.entries(p) for p in range(partitions)]
            if not all([await has_group(redis, s, ENTRIES_GROUP) for s in streams]):
                continue
            # A Backlog of its own each time: a Backlog keeps the partition count 30 s.
            backlog = Backlog(redis, keys)
            if not await backlog.entries_age(now_ms=int(time.time() * 1000)):
                return polled
        raise RuntimeError(f"cold start: not done in {within:.0f} s: {await self._states(0.0)}")


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
    """``bench/ingest.py reader``: runs inside bench/.env; prints one JSON line.
    With ``--probe``: only which documents reader cannot parse."""
    import reader as reader_lib
    from reader import make_reader

    names = args.names.split(",")
    results: dict[str, Any] = {"version": reader_lib.__version__, "cases": []}

    def measure(name: str, unit: str, work: Callable[[], int], note: str) -> None:
        pids: dict[str, Pids] = {"reader": os.getpid(), "server": args.server_pid}
        with Meter(pids) as meter:
            count = work()
        if unit == "entries/s":
            note += f"; {meter.per_item(count, 'entry')}; load {load_average()}"
        case = Case.of(name, unit, count, meter, ["reader"], note)
        print(case.show(), file=sys.stderr, flush=True)
        results["cases"].append(case.__dict__)

    with tempfile.TemporaryDirectory(prefix="bench-reader-") as tmp:
        if args.probe:
            db = make_reader(str(Path(tmp) / "probe.sqlite"))
            urls = feed_urls(args.port, "v", 1, names, args.addresses)
            for url in urls:
                db.add_feed(url)
            db.update_feeds(scheduled=False, workers=1)
            broken = {f.url.rsplit("/", 1)[1] for f in db.get_feeds(broken=True)}
            print(json.dumps({"broken": sorted(broken)}), flush=True)
            return
        for kind in ("v", "p"):
            for workers_ in sorted({1, args.reader_workers}):
                db = make_reader(str(Path(tmp) / f"{kind}-{workers_}.sqlite"))
                urls = feed_urls(args.port, kind, 1, names, args.addresses)
                for url in urls:
                    db.add_feed(url)

                def update(db: Any = db, workers_: int = workers_) -> None:
                    db.update_feeds(scheduled=False, workers=workers_)

                def first(db: Any = db, update: Callable[[], None] = update) -> int:
                    update()
                    return int(db.get_entry_counts().total)

                def polls(update: Callable[[], None] = update, n: int = len(urls)) -> int:
                    for _ in range(args.reader_rounds):
                        update()
                    return n * args.reader_rounds

                label = f"workers={workers_}"
                rounds = f"{len(urls)} feeds x {args.reader_rounds} rounds, {label}"
                if kind == "v":
                    measure("(c) entries/s, first update", "entries/s", first, label)
                    measure("(a) polls/s, all 304", "polls/s", polls, rounds)
                else:
                    first()  # untimed: the unchanged case starts from a stored copy
                    measure("(b) polls/s, unchanged", "polls/s", polls, rounds)
                db.close()
    print(json.dumps(results), flush=True)


def run_reader(
    args: argparse.Namespace, port: int, server_pid: int, names: Sequence[str], probe: bool
) -> dict[str, Any]:
    python = ensure_reader_venv(args.reader_venv)
    command = [
        str(python),
        __file__,
        "reader",
        "--port",
        str(port),
        "--server-pid",
        str(server_pid),
    ]
    command += ["--names", ",".join(names), "--addresses", str(args.addresses)]
    command += ["--reader-rounds", str(args.reader_rounds)]
    command += ["--reader-workers", str(args.reader_workers)]
    command += ["--probe"] if probe else []
    if not probe:
        print(f"reader ({python}):", flush=True)
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError("reader run failed (its traceback is above)")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# Reader's cold start: a fresh interpreter, a fresh database, every feed updated once.
READER_COLD_START = """
import sys
from reader import make_reader
db = make_reader(sys.argv[1])
for url in sys.argv[2:]:
    db.add_feed(url)
db.update_feeds(scheduled=False, workers=1)
print(db.get_entry_counts().total)
"""


def run_reader_cold(
    args: argparse.Namespace, port: int, server_pid: int, names: Sequence[str]
) -> dict[str, Any]:
    """Case (cold) for reader: ``python -c`` from launch to exit (its start included), CPU
    from the rusage of the waited-for child; the best of ``--repeat`` runs."""
    import resource

    python = ensure_reader_venv(args.reader_venv)
    urls = feed_urls(port, "v", 1, names, args.addresses)
    best: Case | None = None
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory(prefix="bench-reader-cold-") as tmp:
            command = [str(python), "-c", READER_COLD_START, str(Path(tmp) / "db.sqlite"), *urls]
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            with Meter({"server": server_pid}) as meter:
                done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
        meter.cpu = {"reader": cpu / meter.wall, **meter.cpu}
        count = int(done.stdout.strip().splitlines()[-1])
        note = f"workers=1; {meter.per_item(count, 'entry')}; load {load_average()}"
        case = Case.of(
            "(cold) entries/s, first update", "entries/s", count, meter, ["reader"], note
        )
        print(f"reader:\n{case.show()}", flush=True)
        best = case if best is None or case.rate > best.rate else best
    assert best is not None
    return best.__dict__


# --- the run -----------------------------------------------------------------------------


def start_server(args: argparse.Namespace) -> tuple[subprocess.Popen[str], int, int]:
    command = [sys.executable, __file__, "serve", "--copies", str(args.copies)]
    command += ["--feeds", str(args.feeds), "--addresses", str(args.addresses)]
    server = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert server.stdout is not None
    ready = json.loads(server.stdout.readline() or "{}")
    if "port" not in ready:
        server.kill()
        raise RuntimeError("feed server did not start")
    return server, int(ready["port"]), int(ready["pid"])


# Where a process of this interpreter started as our workers are (a script, with this
# environment) finds ``service``: ``-P`` leaves the current directory off its path.
_FIND_SERVICE = "import importlib.util as u; print(u.find_spec('service').origin)"


def our_checkout() -> Path:
    """The checkout whose ``service`` and ``workers`` our workers import: ``PYTHONPATH``
    first, else this virtualenv's install. Asked of a process started as theirs are, since
    this script puts its own checkout first on its path (``sys.path`` above), which they
    do not: with ``PYTHONPATH`` on a worktree of main, they import main's modules."""
    done = subprocess.run(
        [sys.executable, "-P", "-c", _FIND_SERVICE], capture_output=True, text=True, check=True
    )
    return Path(done.stdout.strip()).resolve().parent.parent


def parse_tuned(values: Sequence[str]) -> dict[str, str]:
    knobs = tuning_knobs()
    tuned = {}
    for value in values:
        name, _, setting = value.partition("=")
        if name not in knobs:
            raise SystemExit(f"--tuned {name}: not a setting the README documents")
        tuned[name] = setting
    return tuned


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("mode", nargs="?", default="run", choices=["run", "serve", "reader"])
    parser.add_argument("--feeds", type=Path, default=FEEDS, help="directory of documents")
    parser.add_argument("--copies", type=int, default=20, help="paths per document for (a)/(b)")
    parser.add_argument("--addresses", type=int, default=100, help="loopback addresses served")
    parser.add_argument("--rounds", type=int, default=2, help="timed rounds for (a)/(b), best kept")
    parser.add_argument("--repeat", type=int, default=2, help="(c) runs per variant (best kept)")
    parser.add_argument(
        "--tuned",
        action="append",
        default=[],
        metavar="BRIEFING_X=VALUE",
        help="also run the cases with this documented setting (repeatable)",
    )
    parser.add_argument(
        "--only", default="a,b,c,cold,reader", help="cases to run: a,b,c,cold,reader"
    )
    parser.add_argument("--reader-rounds", type=int, default=3)
    parser.add_argument("--reader-venv", type=Path, default=BENCH_VENV, help="reader's virtualenv")
    parser.add_argument("--reader-workers", type=int, default=8, help="besides workers=1")
    parser.add_argument("--json", type=Path, default=None, help="also write results here")
    parser.add_argument(
        "--compiled",
        action="store_true",
        help="our modules compiled before the clock, as an installed wheel has them",
    )
    parser.add_argument(
        "--command",
        choices=["worker", "run"],
        default="worker",
        help="what polls (a) and (b): briefing worker --role fetch, or briefing run",
    )
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--names", help=argparse.SUPPRESS)
    parser.add_argument("--probe", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--server-pid", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    args.only = set(args.only.split(","))
    if args.mode == "serve":
        return serve(args.copies, args.feeds, args.addresses)
    if args.mode == "reader":
        return reader_child(args)
    args.tuned = parse_tuned(args.tuned)

    server, port, server_pid = start_server(args)
    try:
        print(machine_line())
        where = f"port {port} on {args.addresses} addresses"
        print(f"feed server: own process (pid {server_pid}), {where}")
        names = document_names(args.feeds)
        broken = run_reader(args, port, server_pid, names, probe=True)["broken"]
        names = [n for n in names if n not in broken]
        print(f"documents: {len(names)} both parse; left out ({len(broken)}): {', '.join(broken)}")
        for conditional, kind in ((True, "v"), (False, "p")):
            paths = [u.split(str(port), 1)[1] for u in feed_urls(port, kind, 1, names, 1)]
            rate = asyncio.run(server_capacity(port, paths, conditional, seconds=2.0))
            what = "304s" if conditional else "200s (full bodies)"
            print(f"  feed server capacity, trivial client: {rate:,.0f} {what}/s")
        ours: list[Case] = []
        if args.only - {"reader"}:
            checkout = our_checkout()
            modules = (
                compiled_modules(checkout, Path(sys.executable))
                if args.compiled
                else contextlib.nullcontext()
            )
            print(f"our modules ({checkout}): {'compiled' if args.compiled else 'as found'}")
            with tempfile.TemporaryDirectory(prefix="bench-ingest-") as tmp, modules:
                ours = asyncio.run(Ours(args, port, server_pid, names).run(Path(tmp)))
        theirs = (
            run_reader(args, port, server_pid, names, probe=False)
            if "reader" in args.only
            else {"cases": []}
        )
        if "cold" in args.only:
            theirs["cases"].append(run_reader_cold(args, port, server_pid, names))
    finally:
        assert server.stdin is not None
        server.stdin.close()
        server.wait(10)
    print_ratios(ours, theirs["cases"], "reader")
    print(f"load average at the end: {load_average()}")
    if args.json:
        record = {
            "date": datetime.now(UTC).isoformat(),
            "args": {**vars(args), "only": sorted(args.only)},
            "left_out": broken,
            "ours": [c.__dict__ for c in ours],
            "reader": theirs,
        }
        args.json.write_text(json.dumps(record, indent=1, default=str))


if __name__ == "__main__":
    main()
