"""API latency while the story stage restores after kill -9, and while it takes snapshots.

    .venv/bin/python bench/restore_latency.py                   # this tree against main
    .venv/bin/python bench/restore_latency.py --base REV        # against REV instead
    .venv/bin/python bench/restore_latency.py --items 38000 --feeds 8
    .venv/bin/python bench/restore_latency.py codec              # the snapshot codec alone
    .venv/bin/python bench/restore_latency.py --diagnose DIR     # and what Redis recorded

What runs, for each tree (the base first, then this one; each with its own fresh Redis):

1. A feed server (a process of its own) serves ``--feeds`` RSS documents on 127.0.0.1 that
   hold ``--items`` real headlines together (``../shared/data/uci-news-dev.jsonl.gz`` and
   ``stream-dev.jsonl.gz``, repeated with new ids and URLs as needed), dated over the 24 h
   before the run started, so the whole burst is inside the clusterer's window.
2. The real ``briefing run`` (the tree's code through ``PYTHONPATH``, shipped defaults; the
   config only lists the feeds and the default briefings, ``allow_private_targets`` on),
   against a ``redis-server`` of its own (``REDIS_URL``), so the kill below leaves Redis up.
3. ``briefing feeds poll`` forces a poll of every feed; a prober (a process of its own, the
   open-loop client of bench/_load.py) GETs the ``world`` timeline every 0.1 s. Every
   shrink of the clustering log is a snapshot written; the requests in flight or started
   in the ``--snapshot-window`` seconds before it are the "snapshot" figures, all requests
   until the entries are processed the "ingest" figures.
4. Once every poll is done and at most ``1 - --kill-at`` of the entries wait (the stage
   keeps pace with the polls, so in practice right after the last one; the streams are
   trimmed as they are processed, so the count is of what they hold then): ``kill -9`` of
   the service's process group,
   a restart, and the prober again from the moment the API answers. The restore's figures are
   the requests from then to the log line ``story clustering restored`` (the story stage
   restores at its first batch: the snapshot, then the log written after it; the window
   starts at the ``lease taken`` line, or when the API answers if later). "restore"
   is the time from the restarted service's ``lease taken`` line to that line, as the bench
   sees them appear in the log (polled every 0.05 s).

Latency is from each request's scheduled time (open loop). The base tree is a detached
worktree of ``--base`` (default: the merge base with ``main``) made under /tmp.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import gzip
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._load import OpenLoop
from bench._support import (
    HOST,
    ROOT,
    Processes,
    config_toml,
    default_briefings,
    free_port,
    latency_summary,
    machine_line,
    service_env,
    start_redis,
    wait_ready,
)

DATA = ROOT.parent / "shared" / "data"
SOURCES = ("uci-news-dev.jsonl.gz", "stream-dev.jsonl.gz")
TIMELINE = "/v1/briefings/world/timeline"
# The busy partition's "story clustering restored" line: it replayed log entries, after
# a snapshot or, when the kill came before the first snapshot, from the log alone.
RESTORED = re.compile(rb"story clustering restored: .*replayed [1-9]")
LEASED = "lease taken"


# --- the feeds -----------------------------------------------------------------------------


def headlines(count: int, end: datetime) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for name in SOURCES:
        with gzip.open(DATA / name, "rt", encoding="utf-8") as handle:
            rows += [json.loads(line) for line in handle if line.strip()]
    out = []
    for n in range(count):
        row = rows[n % len(rows)]
        copy = n // len(rows)
        out.append(
            {
                "id": f"{copy}-{row['id']}",
                "title": row["title"],
                "text": row.get("text") or "",
                "url": f"{row['url']}#{copy}" if copy else row["url"],
                "published": end - timedelta(seconds=86_400 * (count - n) / count),
            }
        )
    return out


def rss(items: Sequence[dict[str, Any]], n: int) -> bytes:
    body = "".join(
        f"<item><title>{escape(i['title'])}</title><link>{escape(i['url'])}</link>"
        f"<guid isPermaLink='false'>{escape(i['id'])}</guid>"
        f"<description>{escape(i['text'])}</description>"
        f"<pubDate>{format_datetime(i['published'])}</pubDate></item>"
        for i in items
    )
    head = f"<rss version='2.0'><channel><title>Bench feed {n}</title><link>http://{HOST}/</link>"
    return f"{head}<language>en</language>{body}</channel></rss>".encode()


def serve(args: argparse.Namespace) -> None:
    """``restore_latency.py serve``: the feed documents, built once, on a port printed,
    until SIGTERM."""
    from tests.feedserver import FeedServer

    items = headlines(args.items, datetime.fromtimestamp(args.end, UTC))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with FeedServer(HOST) as server:
        for n in range(args.feeds):
            server.add(f"/feed/{n}.xml", rss(items[n :: args.feeds], n))
        print(json.dumps({"port": server.port}), flush=True)
        while True:
            time.sleep(3600)


# --- the prober ----------------------------------------------------------------------------


def probe(args: argparse.Namespace) -> None:
    """``restore_latency.py probe``: GETs of ``--url`` at ``--rps`` until SIGTERM; writes
    each request's (scheduled, answered) wall-clock times to ``--out``."""

    async def main() -> None:
        stop = asyncio.Event()
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
        load = OpenLoop(args.url, args.rps, 4)
        print(json.dumps({"pid": os.getpid()}), flush=True)
        wall = time.time() - time.perf_counter()
        await load.run(stop=stop)
        args.out.write_text(json.dumps([[s + wall, a + wall] for s, _, a in load.timings]))

    asyncio.run(main())


class Prober:
    def __init__(self, procs: Processes, url: str, out: Path, rps: float) -> None:
        argv = [sys.executable, __file__, "probe", "--url", url, "--rps", str(rps)]
        self.child, _ = procs.start(out.stem, [*argv, "--out", str(out)], dict(os.environ),
                                    ready_line=True)  # fmt: skip
        self.out = out

    def stop(self) -> list[tuple[float, float]]:
        self.child.process.send_signal(signal.SIGTERM)
        self.child.process.wait(30)
        return [(s, a) for s, a in json.loads(self.out.read_text())]


def window(requests: Sequence[tuple[float, float]], start: float, end: float) -> dict[str, Any]:
    """Latencies of the requests scheduled in [start, end] or in flight at ``end``."""
    picked = [a - s for s, a in requests if start <= s <= end or s <= end <= a]
    return latency_summary(picked) if picked else {"n": 0}


# --- in-process: the snapshot codec alone ----------------------------------------------------


async def loop_gap(label: str, work: Callable[[], Awaitable[object]]) -> object:
    """Run ``work`` while a 1 ms ticker measures the event loop's longest gap."""
    gaps: list[float] = []
    done = asyncio.Event()

    async def tick() -> None:
        last = time.perf_counter()
        while not done.is_set():
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    ticker = asyncio.ensure_future(tick())
    await asyncio.sleep(0.01)  # ticking before the work starts
    started = time.perf_counter()
    result = await work()
    took = time.perf_counter() - started
    await asyncio.sleep(0.01)  # and the gap the work made is recorded
    done.set()
    await ticker
    print(f"  {label}: {took:.2f} s, the loop's longest gap {max(gaps) * 1000:.0f} ms", flush=True)
    return result


def codec(args: argparse.Namespace) -> None:
    """``restore_latency.py codec``: the snapshot of a decider that clustered ``--items``
    headlines (dated over 24 h), encoded and decoded the way the base code does (version 3:
    encoded on the loop, decoded in a thread) and the way this code does (version 4, in a
    thread with the collector paused), each with a ticker on the event loop."""
    from workers import gc_pause, story_snapshot
    from workers.cluster_eval import to_doc
    from workers.story_decider import StoryDecider

    decider = StoryDecider()
    for row in headlines(args.items, datetime(2026, 12, 1, tzinfo=UTC)):
        doc = to_doc({**row, "published": row["published"].isoformat(), "language": "en"})
        if decider.copy_of(doc, doc.published) is None:
            decider.cluster(doc, doc.published)

    def version_3() -> str:  # as the base code wrote it (story stage 3, clusterer 5)
        state = decider.snapshot()
        plain = {k: v for k, v in state["clusterer"].items() if k != "version"}
        text = json.dumps(plain, ensure_ascii=False, separators=(",", ":"))
        deflated = base64.b85encode(zlib.compress(text.encode(), 6)).decode("ascii")
        clusterer = {"version": 5, "deflated": deflated}
        return json.dumps({"version": 3, "clusterer": clusterer, "near": state["near"]},
                          separators=(",", ":"))  # fmt: skip

    async def main() -> None:
        async def on_loop() -> str:
            return version_3()

        def encode() -> Awaitable[str]:
            return gc_pause.run(lambda: story_snapshot.encode(decider))

        def decode(text: str) -> Callable[[], Awaitable[object]]:
            return lambda: gc_pause.run(lambda: story_snapshot.decode(text), freeze=True)

        old = str(await loop_gap("base: encode (on the loop)", on_loop))
        await loop_gap(
            "base: decode (thread)", lambda: asyncio.to_thread(story_snapshot.decode, old)
        )
        new = str(await loop_gap("this: encode (thread, collector paused)", encode))
        await loop_gap("this: decode (thread, collector paused)", decode(new))
        print(f"  bytes: version 3 {len(old):,}, version 4 {len(new):,}", flush=True)

    asyncio.run(main())


# --- one tree ------------------------------------------------------------------------------


async def redis_state(redis: Any) -> tuple[int, int, int]:
    """(entries in the process stage's streams, of them not processed yet, clustering-log
    entries), over every partition."""
    total = backlog = logged = 0
    async for key in redis.scan_iter(match="lb:*entries", _type="stream"):
        total += await redis.xlen(key)
        for group in await redis.xinfo_groups(key):
            backlog += int(group.get("lag") or 0) + int(group["pending"])
    async for key in redis.scan_iter(match="lb:*cluster:log"):
        logged += await redis.llen(key)
    return total, backlog, logged


async def redis_diagnosis_on(redis_url: str) -> None:
    """Redis records what held it: events over 10 ms (LATENCY) and commands over 5 ms
    (SLOWLOG), for ``redis_diagnosis`` to read at the end."""
    import redis.asyncio as aioredis

    async with aioredis.Redis.from_url(redis_url) as redis:
        await redis.config_set("latency-monitor-threshold", 10)
        await redis.config_set("slowlog-log-slower-than", 5000)
        await redis.config_set("slowlog-max-len", 10000)


async def redis_diagnosis(redis: Any) -> dict[str, Any]:
    """What Redis recorded (LATENCY events with their history, SLOWLOG with each
    command's first arguments, INFO commandstats and persistence)."""
    latest = await redis.execute_command("LATENCY", "LATEST")
    history = {}
    for row in latest:
        history[str(row[0])] = await redis.execute_command("LATENCY", "HISTORY", row[0])
    slow = []
    for entry in await redis.slowlog_get(10000):
        command = str(entry["command"])[:120]
        slow.append({"at": entry["start_time"], "us": entry["duration"], "command": command})
    return {
        "latest": latest,
        "history": history,
        "slowlog": slow,
        "commandstats": await redis.info("commandstats"),
        "persistence": await redis.info("persistence"),
        "doctor": await redis.execute_command("LATENCY", "DOCTOR"),
    }


def restored_line(log: Path, after: int) -> str:
    """The end of the restarted service's ``story clustering restored`` line."""
    with log.open("rb") as handle:
        handle.seek(after)
        lines = [line for line in handle if RESTORED.search(line)]
    return lines[0].decode().strip()[-60:] if lines else ""


def logged(log: Path, text: str | re.Pattern[bytes], after: int) -> bool:
    """Whether a line past byte ``after`` of ``log`` holds ``text`` (or matches it)."""
    with log.open("rb") as handle:
        handle.seek(after)
        tail = handle.read()
    return text.encode() in tail if isinstance(text, str) else text.search(tail) is not None


async def run_tree(name: str, tree: Path, args: argparse.Namespace, feed_urls: list[str],
                   tmp: Path) -> dict[str, Any]:  # fmt: skip
    import redis.asyncio as aioredis

    work = tmp / name
    work.mkdir()
    procs = Processes(work)
    try:
        _, redis_url = start_redis(procs, work)
        if args.diagnose:
            await redis_diagnosis_on(redis_url)
        config = work / "config.toml"
        toml = config_toml(feed_urls, default_briefings(), "Bench")
        config.write_text(toml)
        port = free_port()
        env = service_env(redis_url, config, work / "data", port) | {"PYTHONPATH": str(tree)}
        argv = [*briefing(tree), "run"]
        api = f"http://{HOST}:{port}"
        redis = aioredis.Redis.from_url(redis_url, decode_responses=True)
        service, _ = procs.start("service", argv, env)
        wait_ready(api + "/healthz")
        prober = Prober(procs, api + TIMELINE, work / "probe-ingest.json", args.rps)
        started = time.time()
        trims: list[float] = []  # when the clustering log shrank: a snapshot was written
        seen: dict[str, int] = {}  # the watcher's last reading
        polled = asyncio.Event()  # every poll has written its entries: the total is final
        kill = asyncio.Event()  # then set once ``--kill-at`` of them are processed

        async def watch() -> None:
            last_log = 0
            shown = time.monotonic()
            while True:
                after_polls = polled.is_set()  # before the reading: it holds every entry
                total, backlog, log_len = await redis_state(redis)
                seen.update(entries=total, unprocessed=backlog, log=log_len)
                if after_polls and total and backlog <= total * (1 - args.kill_at):
                    kill.set()
                if log_len < last_log:
                    trims.append(time.time())
                last_log = log_len
                if time.monotonic() - shown > 10:
                    print(f"  {name}: {total} entries, {backlog} to process, log {log_len}",
                          flush=True)  # fmt: skip
                    shown = time.monotonic()
                await asyncio.sleep(0.05)

        watcher = asyncio.ensure_future(watch())
        for url in feed_urls:
            poll = await asyncio.create_subprocess_exec(
                *briefing(tree), "feeds", "poll", url, env=env,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
            await poll.wait()
        polled.set()
        await kill.wait()
        watcher.cancel()
        killed = time.time()
        os.killpg(service.pid, signal.SIGKILL)
        service.process.wait()
        ingest = prober.stop()
        offset = service.log.stat().st_size if service.log else 0
        restarted = time.time()
        service, _ = procs.start("service", argv, env)
        wait_ready(api + "/healthz", timeout=120)
        ready = time.time()
        prober = Prober(procs, api + TIMELINE, work / "probe-restore.json", args.rps)
        assert service.log is not None
        leased = None
        give_up = time.monotonic() + 900
        while not logged(service.log, RESTORED, offset):
            if time.monotonic() > give_up:
                raise RuntimeError(f"no restored line within 900 s; see {service.log}")
            if leased is None and logged(service.log, LEASED, offset):
                leased = time.time()
            await asyncio.sleep(0.05)
        restored = time.time()
        await asyncio.sleep(3)
        after = prober.stop()
        if args.diagnose:
            recorded = await redis_diagnosis(redis)
            (args.diagnose / f"{name}-redis.json").write_text(json.dumps(recorded, default=str))
            marks = {"started": started, "killed": killed, "restarted": restarted, "ready": ready,
                     "leased": leased, "restored": restored, "trims": trims}  # fmt: skip
            probes = {"ingest": ingest, "restore": after, "marks": marks}
            (args.diagnose / f"{name}-probes.json").write_text(json.dumps(probes))
            (args.diagnose / f"{name}-service.log").write_bytes(service.log.read_bytes())
        await redis.aclose()
        before = args.snapshot_window
        snapshot_requests = [
            r for t in trims for r in ingest if t - before <= r[0] <= t or r[0] <= t <= r[1]
        ]
        return {
            "tree": name,
            "at_kill": seen,
            "restored": restored_line(service.log, offset),
            "ingest": window(ingest, started, killed),
            "snapshots": len(trims),
            "snapshot": window(snapshot_requests, 0, float("inf")),
            "restore": window(after, leased or ready, restored),
            "restore_s": round(restored - (leased or ready), 2),
            "startup_to_restored_s": round(restored - restarted, 2),
        }
    finally:
        procs.stop()


# ``python -c``/``-m`` put the working directory (this tree) first on sys.path, before
# PYTHONPATH: the tree to run goes in front of it.
PATH_FIRST = "import sys; sys.path.insert(0, {tree!r})"


def briefing(tree: Path) -> list[str]:
    """The ``briefing`` command running ``tree``'s code."""
    run = f"{PATH_FIRST.format(tree=str(tree))}; from service.cli import main; sys.exit(main())"
    return [sys.executable, "-c", run]


def which(tree: Path) -> str:
    """Where the ``workers`` package comes from when ``briefing(tree)`` runs."""
    argv = [sys.executable, "-c", f"{PATH_FIRST.format(tree=str(tree))}; import workers; "
            "print(workers.__file__)"]  # fmt: skip
    return subprocess.run(argv, capture_output=True, text=True, check=True).stdout.strip()


def base_tree(rev: str) -> Path:
    path = Path(tempfile.gettempdir()) / f"lb-restore-base-{rev.replace('/', '-')}"
    if not path.exists():
        subprocess.run(["git", "worktree", "add", "--detach", str(path), rev], cwd=ROOT,
                       check=True, capture_output=True)  # fmt: skip
    return path


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command")
    s = sub.add_parser("serve")
    s.add_argument("--items", type=int, required=True)
    s.add_argument("--feeds", type=int, required=True)
    s.add_argument("--end", type=float, required=True)
    c = sub.add_parser("codec", help="the snapshot codec alone, in this process")
    c.add_argument("--items", type=int, default=38_000)
    p = sub.add_parser("probe")
    p.add_argument("--url", required=True)
    p.add_argument("--rps", type=float, required=True)
    p.add_argument("--out", type=Path, required=True)
    parser.add_argument("--items", type=int, default=38_000)
    parser.add_argument("--feeds", type=int, default=8)
    parser.add_argument("--rps", type=float, default=10.0, help="timeline GETs per second")
    parser.add_argument("--kill-at", type=float, default=0.9, help="share processed at kill -9")
    parser.add_argument("--snapshot-window", type=float, default=15.0)
    parser.add_argument("--base", default=None, help="git revision (default: merge base with main)")
    parser.add_argument("--only", choices=("base", "this"), default=None)
    parser.add_argument("--diagnose", type=Path, default=None,
                        help="a directory for Redis's LATENCY/SLOWLOG records, each request's "
                        "timing and the service's log")  # fmt: skip
    args = parser.parse_args(argv)
    if args.command == "serve":
        return serve(args)
    if args.command == "probe":
        return probe(args)
    if args.command == "codec":
        print(machine_line(), flush=True)
        return codec(args)
    rev = args.base or subprocess.run(["git", "merge-base", "HEAD", "main"], cwd=ROOT, check=True,
                                      capture_output=True, text=True).stdout.strip()  # fmt: skip
    trees = {"base": base_tree(rev), "this": ROOT}
    print(machine_line(), f"base={rev[:10]}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        procs = Processes(Path(tmp))
        try:
            cmd = [sys.executable, __file__, "serve", "--items", str(args.items),
                   "--feeds", str(args.feeds), "--end", str(time.time())]  # fmt: skip
            _, line = procs.start("feeds", cmd, dict(os.environ), ready_line=True)
            port = json.loads(line)["port"]
            urls = [f"http://{HOST}:{port}/feed/{n}.xml" for n in range(args.feeds)]
            for name, tree in trees.items():
                if args.only in (None, name):
                    print(f"{name} runs {which(tree)}", flush=True)
                    result = asyncio.run(run_tree(name, tree, args, urls, Path(tmp)))
                    print(json.dumps(result), flush=True)
        finally:
            procs.stop()


if __name__ == "__main__":
    main()
