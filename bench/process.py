"""Process-stage benchmark: how many articles/s the process stage drains, clustering on.

    .venv/bin/python bench/process.py [--articles 10000] [--batch 100] [--redis-url URL]
                                      [--partitions P --languages en=0,ru=1 --workers W]
                                      [--stream FILE.jsonl[.gz]] [--json FILE]
                                      [--stories FILE]
                                      [--profile FILE]

    # the cross-language case: English, Ukrainian and Russian reports of the war
    .venv/bin/python bench/process.py --stream bench/data/crosslingual/stream.jsonl

What runs (everything on 127.0.0.1, nothing from the network):

* the real documents of ``../shared/feeds/real`` are parsed and normalized once with the
  real steps (``parse_feed`` → ``normalize_entry`` → ``storage_article``, as
  ``workers/backfill.py`` does). To reach ``--articles``, copy ``k`` of every article
  gets its own feed URL, article URL (``?c=k``), identity and id but keeps its title and
  text: so copies exercise the near-duplicate path as wire copies do in the soak (each
  real text recurs about ``articles / base`` times), in published order;
* a fresh Redis (embedded ``redis-server`` in a temp dir via ``open_target``, or
  ``--redis-url``, which is FLUSHED) is filled through ``store.articles.ingest`` (the
  real Lua ingest: article, sources, XADD to the entries stream), untimed;
* timed: ``ProcessStage`` with a ``StoryStage`` (config/feeds.toml's briefings) drains
  the stream with ``run_once(count=--batch)`` until every message is acknowledged, in
  this process (the gazetteer loaded before the clock, as ``briefing worker --role
  process`` loads it at its start); or, with ``--workers W``, W worker processes (``bench/process.py
  worker``, each what ``briefing worker --role process`` runs: ``PartitionedProcess``)
  share ``--partitions`` partitions (the count and ``--languages`` placements are set
  in Redis before the fill, as the first process worker would) and the clock stops
  when every article is assigned to a story. ``--relabel-languages N`` (synthetic, for
  the scale-out question only) gives the base articles N made-up languages in turn, so
  partitions are balanced, which real language mixes are not;
* the ceiling, same run, same order: ``Clusterer.add`` alone (workers/cluster.py) on the
  articles' ``ClusterDoc``s, and the in-memory part of the story stage (near-duplicate
  index + clusterer + briefing match + places), no Redis.

Printed per case: articles/s (wall), CPU seconds of this process and of Redis (from
/proc), the texts the cross-language linker embedded and their share of the articles
(in this process, so not the link checks its child process scores: the model is loaded
and its memo cleared before each clock starts;
the story stage links only articles of a briefing that follows several languages, the
Clusterer ceiling every one), and after the drain a consistency check (every article in
exactly one story; ``--stories FILE`` writes the stories as groups of article ids, to
compare two runs' decisions with ``diff``). With link checks (workers/link_checks.py): how
many were queued, the share answered when the last article was acknowledged, and, the
stage going on idle until all are answered, the wall time from a check's queueing to its
answer (p50, p95, max) and when the last was answered (from the clock's start).

``--profile FILE`` (in-process drain only): each timed ``run_once`` under cProfile, the
statistics written to FILE (``pstats``) and the heaviest functions printed; the
profiler's overhead makes that run's figures incomparable with others.
Results: docs/benchmarks.md ("Process stage").
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import dataclasses
import json
import logging
import pstats
import signal
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench._support import (  # noqa: E402
    FEEDS,
    EmbeddingCount,
    cpu_seconds,
    load_average,
    machine_line,
)
from service.ids import digest  # noqa: E402
from service.models import Article, FeedConfig, Source  # noqa: E402

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def base_articles(feeds: Path) -> list[Article]:
    """Every article of the real documents, normalized as a poll would store it."""
    from workers.fetch_stage import storage_article
    from workers.normalize import normalize_entry
    from workers.parse import parse_feed

    found: dict[str, Article] = {}
    for path in sorted(p for p in feeds.iterdir() if p.is_file()):
        url = path.resolve().as_uri()
        parsed = parse_feed(path.read_bytes(), url)
        if parsed.error is not None:
            continue
        config = FeedConfig(url=url, name=parsed.title or path.name)
        for entry in parsed.entries:
            article = normalize_entry(entry, parsed, config, now=NOW, text_max_chars=1500)
            if article is not None:
                article = storage_article(article)
                found.setdefault(article.id, article)
    return list(found.values())


def copy_of(article: Article, k: int) -> Article:
    """Copy ``k`` of an article: another feed, URL, identity and id; same words."""
    if k == 0:
        return article
    feed_url = f"{article.feed_url}?c={k}"
    url = f"{article.url}?c={k}" if article.url else ""
    return dataclasses.replace(
        article,
        id=digest(f"{article.id}|{k}", 32),
        identity=f"{article.identity}|c{k}",
        url=url,
        feed_url=feed_url,
        sources=(
            Source(feed_url=feed_url, outlet=article.outlet, url=url, seen_at=article.first_seen),
        ),
    )


def stream_articles(path: Path) -> list[Article]:
    """The articles of a real stream (cluster-eval's input lines), as a poller stores them."""
    from datetime import timedelta

    from workers.cluster_eval import read_docs

    articles = []
    for doc in read_docs(path):
        feed = f"https://{digest(doc.outlet, 8)}.example/rss"
        seen = doc.published + timedelta(seconds=30)  # polled after it was published: dated
        articles.append(
            Article(
                id=digest(doc.id, 32), identity=f"guid:{doc.id}", url=doc.url, title=doc.title,
                text=doc.text, published=doc.published, first_seen=seen,
                language=doc.language, feed_url=feed, outlet=doc.outlet,
                sources=(Source(feed_url=feed, outlet=doc.outlet, url=doc.url, seen_at=seen),),
            )
        )  # fmt: skip
    return articles


def workload(count: int, relabel: int = 0, stream: Path | None = None) -> tuple[list[Article], int]:
    if stream is not None:
        articles = stream_articles(stream)[:count]
        return articles, len(articles)
    base = base_articles(FEEDS)
    if relabel:
        # Synthetic: spread the articles over ``relabel`` made-up languages (l0, l1, ...;
        # no stemmer knows them) so that partitions get equal shares of the work.
        base = [dataclasses.replace(a, language=f"l{i % relabel}") for i, a in enumerate(base)]
    copies = -(-count // len(base))
    articles = [copy_of(a, k) for k in range(copies) for a in base][:count]
    # Arrival order: published time (copies of one report arrive together, as wires do).
    articles.sort(key=lambda a: (a.published, a.id))
    return articles, len(base)


def ceilings(articles: list[Article], briefings: Any) -> list[dict[str, Any]]:
    from workers.briefing_match import ArticleFacts, BriefingMatcher, matching_briefings
    from workers.cluster import Clusterer
    from workers.story_decider import StoryDecider
    from workers.story_stage import cluster_doc

    docs = [cluster_doc(a) for a in articles]
    clusterer = Clusterer()
    embedded = EmbeddingCount()
    cpu0, t0 = time.process_time(), time.perf_counter()
    for doc in docs:
        clusterer.add(doc, NOW)  # every document linkable, as ClusterDoc's default
    wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    rows = [_row("Clusterer.add alone (ceiling)", len(docs), wall, cpu, 0.0, embedded.texts)]

    matchers = [BriefingMatcher.of(b) for b in briefings]
    decider = StoryDecider()
    embedded = EmbeddingCount()
    cpu0, t0 = time.process_time(), time.perf_counter()
    for article, doc in zip(articles, docs, strict=True):
        if decider.copy_of(doc, NOW) is not None:
            continue
        facts = ArticleFacts.of(article)  # as the story stage: its places serve the clusterer
        decider.cluster(dataclasses.replace(doc, places=facts.places), NOW)
        matching_briefings(matchers, facts)
    wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    rows.append(_row("story stage in memory, no Redis", len(docs), wall, cpu, 0.0, embedded.texts))
    return rows


def _row(
    name: str, n: int, wall: float, cpu: float, redis_cpu: float, embedded: int | None = None
) -> dict[str, Any]:
    row = {
        "case": name,
        "articles": n,
        "wall_s": round(wall, 2),
        "articles_per_s": round(n / wall, 1),
        "cpu_s": round(cpu, 2),
        "redis_cpu_s": round(redis_cpu, 2),
    }
    if embedded is not None:  # texts the cross-language linker embedded (this process)
        row["texts_embedded"] = embedded
        row["embedded_share"] = f"{embedded / max(1, n):.1%}"
    return row


async def drain(
    args: argparse.Namespace, articles: list[Article], briefings: Any
) -> dict[str, Any]:
    from service.store import Store
    from service.store.connection import open_target

    with tempfile.TemporaryDirectory(prefix="bench-process-") as tmp:
        target = open_target(args.redis_url, Path(tmp))
        redis = target.client()
        try:
            await redis.flushdb()
            store = Store(redis)
            redis_pid = int((await store.server_info())["process_id"])
            if args.partitions > 1:
                from workers.partitions import ensure_partitions, parse_languages

                await ensure_partitions(store, args.partitions, parse_languages(args.languages))
            # One at a time, so the stream holds the articles in the workload's order (a
            # concurrent fill reorders articles of one second from run to run).
            for a in articles:
                await store.articles.ingest(a, feed_id=digest(a.feed_url))
            aof0 = await _aof_size(redis)
            if args.workers:
                url = args.redis_url or f"unix://{target.unix_socket}"
                row = await _drain_in_workers(args, store, url, len(articles), redis_pid)
            else:
                row = await _drain_here(args, store, briefings, len(articles), redis_pid)
            aof1 = await _aof_size(redis)
            if aof0 is not None and aof1 is not None:
                # Bytes the drain appended to the AOF: every write of the process stage.
                row["aof_bytes"] = aof1 - aof0
                row["aof_bytes_per_article"] = round((aof1 - aof0) / max(1, row["articles"]))
            story_of = await store.stories.assignments()
            row["consistency"] = await _consistency(store, articles, story_of)
            if args.stories:
                args.stories.write_text(_partition(story_of))
            return row
        finally:
            await redis.aclose()
            target.close(force=True)


async def _aof_size(redis: Any) -> int | None:
    """The AOF's size, with automatic rewrites off so it only grows (None: AOF off)."""
    info = await redis.info("persistence")
    if not int(info.get("aof_enabled", 0)):
        return None
    await redis.config_set("auto-aof-rewrite-percentage", 0)
    while int(info.get("aof_rewrite_in_progress", 0)):
        await asyncio.sleep(0.2)
        info = await redis.info("persistence")
    return int(info["aof_current_size"])


async def _drain_here(
    args: argparse.Namespace, store: Any, briefings: Any, total: int, redis_pid: int
) -> dict[str, Any]:
    from workers.process_stage import ProcessStage
    from workers.runtime import warm_up
    from workers.story_stage import StoryStage

    warm_up(["process"])  # the gazetteer loaded before the clock, as `briefing worker` does
    stage = ProcessStage(store, "bench", stories=StoryStage(store, briefings), clock=lambda: NOW)
    await stage.start()
    assert await stage.hold_lease()
    embedded = EmbeddingCount()
    checks = LinkCheckTimes(stage.stories)
    cpu0, rcpu0 = time.process_time(), cpu_seconds(redis_pid)
    t0 = time.perf_counter()
    done = idle = 0
    profile = cProfile.Profile() if args.profile else None
    while done < total and idle < 3:
        with profile if profile is not None else contextlib.nullcontext():
            got = await stage.run_once(count=args.batch, block_ms=50)
        checks.track()
        done += got
        idle = 0 if got else idle + 1
    wall = time.perf_counter() - t0
    cpu, rcpu = time.process_time() - cpu0, cpu_seconds(redis_pid) - rcpu0
    if profile is not None:
        profile.dump_stats(args.profile)
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
    row = _row(f"process stage, batch {args.batch}", done, wall, cpu, rcpu, embedded.texts)
    if checks.queued:
        # After the drain: the stage goes on (idle) until every link check is answered.
        row.update(checks.at_drain_end())
        deadline = time.perf_counter() + 600
        while checks.pending() and time.perf_counter() < deadline:
            await stage.run_once(count=args.batch, block_ms=50)
            checks.track()
        row.update(checks.latencies(t0))
    return row


class LinkCheckTimes:
    """When each link check was queued and answered (or dropped), in wall time, as seen
    between batches: the stage queues checks in a batch and answers them in a later one
    (workers/link_checks.py)."""

    def __init__(self, stories: Any) -> None:
        self.stories = stories
        self.queued: dict[int, float] = {}
        self.answered: dict[int, float] = {}

    def pending(self) -> set[int]:
        return {c.id for c in self.stories.decider.clusterer.pending_checks()}

    def track(self) -> None:
        now, pending = time.perf_counter(), self.pending()
        for check_id in pending:
            self.queued.setdefault(check_id, now)
        for check_id in self.queued.keys() - pending - self.answered.keys():
            self.answered[check_id] = now

    def at_drain_end(self) -> dict[str, Any]:
        return {
            "link_checks": len(self.queued),
            "answered_by_drain_end": f"{len(self.answered) / len(self.queued):.1%}",
            "dropped": self.stories.decider.clusterer.dropped_checks,
        }

    def latencies(self, t0: float) -> dict[str, Any]:
        waits = sorted(self.answered[c] - self.queued[c] for c in self.answered)
        return {
            "answer_s_p50": round(waits[len(waits) // 2], 2),
            "answer_s_p95": round(waits[int(len(waits) * 0.95)], 2),
            "answer_s_max": round(waits[-1], 2),
            "all_answered_after_s": round(max(self.answered.values()) - t0, 2),
        }


async def _drain_in_workers(
    args: argparse.Namespace, store: Any, url: str, total: int, redis_pid: int
) -> dict[str, Any]:
    """W worker processes share the partitions; timed until every article is assigned."""
    command = [sys.executable, __file__, "worker", "--redis-url", url]
    workers = [
        await asyncio.create_subprocess_exec(*command, str(i), cwd=ROOT)
        for i in range(args.workers)
    ]
    cpu = dict.fromkeys(range(args.workers), 0.0)
    try:
        # The clock starts once every partition has a holder (start-up is not measured;
        # the first holders may have begun a batch or two by then).
        partitions = range(args.partitions)
        while not all(await store.partitions.lease_holders(partitions)):  # noqa: ASYNC110
            await asyncio.sleep(0.01)
        before = {i: cpu_seconds(w.pid) for i, w in enumerate(workers)}
        done_before = await store.stories.assigned_count()
        rcpu0 = cpu_seconds(redis_pid)
        t0 = time.perf_counter()
        while await store.stories.assigned_count() < total:
            for i, w in enumerate(workers):
                cpu[i] = cpu_seconds(w.pid) - before[i]
            if any(w.returncode is not None for w in workers):
                raise RuntimeError("a bench worker died")
            await asyncio.sleep(0.05)
        wall = time.perf_counter() - t0
    finally:
        for w in workers:
            if w.returncode is None:
                w.send_signal(signal.SIGTERM)
        for w in workers:
            await w.wait()
    rcpu = cpu_seconds(redis_pid) - rcpu0
    row = _row(
        f"{args.workers} worker process(es), {args.partitions} partitions",
        total - done_before,
        wall,
        sum(cpu.values()),
        rcpu,
    )
    row["cpu_s_per_worker"] = [round(c, 2) for c in cpu.values()]
    row["assigned_before_clock"] = done_before
    return row


def worker(url: str, name: str) -> None:
    """``bench/process.py worker URL NAME``: the process role of one worker, until SIGTERM."""
    from service.config import load_config
    from service.settings import DEFAULT_CONFIG_FILE, Settings
    from service.store import Store
    from workers.partitions import PartitionedProcess, partition_count
    from workers.story_stage import StoryStage

    briefings = load_config(DEFAULT_CONFIG_FILE).briefings
    logging.basicConfig(level=logging.WARNING, format=f"worker {name}: %(message)s")

    async def run() -> None:
        import redis.asyncio as aioredis

        client = aioredis.Redis.from_url(url, decode_responses=True)
        store = Store(client)
        stop = asyncio.Event()
        asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
        process = PartitionedProcess(
            store,
            f"bench-worker-{name}",
            lambda: StoryStage(store, briefings),
            partitions=await partition_count(store),
            lease_ms=3000,
            linger=Settings().process_linger,  # BRIEFING_PROCESS_LINGER, as a worker reads it
        )
        await process.run(stop)
        await client.aclose()

    asyncio.run(run())


async def _consistency(store: Any, articles: list[Article], story_of: dict[str, str]) -> str:
    missing = [a.id for a in articles if a.id not in story_of]
    members: dict[str, int] = {}
    largest = 0
    for story in await store.stories.get_many(sorted(set(story_of.values()))):
        largest = max(largest, len(story.members))
        for aid in story.article_ids:
            members[aid] = members.get(aid, 0) + 1
    twice = [aid for aid, n in members.items() if n != 1]
    wrong = [aid for aid, sid in story_of.items() if aid not in members]
    return (
        f"{len(story_of)} assigned, {len(set(story_of.values()))} stories, "
        f"{len(missing)} unassigned, {len(twice)} in more than one story, "
        f"{len(wrong)} assigned but not a member; largest story {largest} members"
    )


def _partition(story_of: dict[str, str]) -> str:
    """The stories (``story_of``: article id -> story id) as groups of article ids, one
    story a line (ids sorted, lines sorted): two runs decided alike when their files are
    equal, whatever ids the stories got."""
    groups: dict[str, list[str]] = {}
    for article_id, story_id in story_of.items():
        groups.setdefault(story_id, []).append(article_id)
    return "".join(sorted(" ".join(sorted(ids)) + "\n" for ids in groups.values()))


def main() -> None:
    if sys.argv[1:2] == ["worker"]:
        worker(sys.argv[sys.argv.index("--redis-url") + 1], sys.argv[-1])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--partitions", type=int, default=1)
    parser.add_argument("--languages", default="", help='placements, e.g. "en=0,ru=1"')
    parser.add_argument("--workers", type=int, default=0, help="worker processes (0: here)")
    parser.add_argument(
        "--relabel-languages",
        type=int,
        default=0,
        help="synthetic: spread articles over N made-up languages (balanced partitions)",
    )
    parser.add_argument("--redis-url", default=None, help="FLUSHED; default: embedded")
    parser.add_argument(
        "--stream",
        type=Path,
        default=None,
        help="a real stream instead (cluster-eval JSONL, e.g. ../shared/data/stream-dev.jsonl.gz):"
        " its articles as they are, in time order, up to --articles",
    )
    parser.add_argument("--no-ceiling", action="store_true")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument(
        "--stories", type=Path, default=None, help="write the stories (article id groups) to FILE"
    )
    parser.add_argument(
        "--profile", type=Path, default=None, help="cProfile the in-process drain into FILE"
    )
    args = parser.parse_args()
    if args.profile and args.workers:
        parser.error("--profile profiles the in-process drain: no --workers")

    from service.config import load_config
    from service.settings import DEFAULT_CONFIG_FILE

    briefings = load_config(DEFAULT_CONFIG_FILE).briefings
    t0 = time.perf_counter()
    articles, base = workload(args.articles, args.relabel_languages, args.stream)
    langs: dict[str, int] = {}
    for a in articles:
        langs[a.language] = langs.get(a.language, 0) + 1
    print(
        f"{len(articles)} articles from {base} real ones ({time.perf_counter() - t0:.1f} s to "
        f"parse), languages: {dict(sorted(langs.items(), key=lambda kv: -kv[1])[:8])}",
        flush=True,
    )
    print(machine_line(), flush=True)
    rows = [] if args.no_ceiling else ceilings(articles, briefings)
    for row in rows:
        print(row, flush=True)
    row = asyncio.run(drain(args, articles, briefings))
    print(row, flush=True)
    rows.append(row)
    print(f"load average after: {load_average()}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
