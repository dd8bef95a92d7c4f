"""Process-stage benchmark: how many articles/s the process stage drains, clustering on.

    .venv/bin/python bench/process.py [--articles 10000] [--batch 100] [--partitions N]
                                      [--redis-url URL] [--json FILE]

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
  the stream with ``run_once(count=--batch)`` until every message is acknowledged
  (``--partitions`` > 1: one stage holding every partition, or ``--stages`` stages
  splitting them in this one process);
* the ceiling, same run, same order: ``Clusterer.add`` alone (workers/cluster.py) on the
  articles' ``ClusterDoc``s, and the in-memory part of the story stage (near-duplicate
  index + clusterer + briefing match + places), no Redis.

Printed per case: articles/s (wall), CPU seconds of this process and of Redis (from
/proc), and after the drain a consistency check (every article in exactly one story).
Results: docs/benchmarks.md ("Soak" → "Process stage").
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from service.models import Article, FeedConfig, Source  # noqa: E402
from service.store.keys import digest  # noqa: E402

FEEDS = ROOT.parent / "shared" / "feeds" / "real"
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process (from /proc; 0 when unreadable)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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


def workload(count: int) -> tuple[list[Article], int]:
    base = base_articles(FEEDS)
    copies = -(-count // len(base))
    articles = [copy_of(a, k) for k in range(copies) for a in base][:count]
    # Arrival order: published time (copies of one report arrive together, as wires do).
    articles.sort(key=lambda a: (a.published, a.id))
    return articles, len(base)


def ceilings(articles: list[Article], briefings: Any) -> list[dict[str, Any]]:
    from workers.briefings import ArticleFacts, BriefingMatcher, matching_briefings
    from workers.cluster import Clusterer
    from workers.dedupe import NearDuplicateIndex
    from workers.places import find_places
    from workers.story_stage import cluster_doc

    docs = [cluster_doc(a) for a in articles]
    clusterer = Clusterer()
    cpu0, t0 = time.process_time(), time.perf_counter()
    for doc in docs:
        clusterer.add(doc, NOW)
    wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    rows = [_row("Clusterer.add alone (ceiling)", len(docs), wall, cpu, 0.0)]

    matchers = [BriefingMatcher.of(b) for b in briefings]
    clusterer, near = Clusterer(), NearDuplicateIndex()
    cpu0, t0 = time.process_time(), time.perf_counter()
    for article, doc in zip(articles, docs, strict=True):
        if near.find(article) is not None:
            continue
        near.add(article, NOW)
        clusterer.add(doc, NOW)
        facts = ArticleFacts(
            title=article.title,
            text=article.text,
            language=article.language,
            feed_url=article.feed_url,
            outlet=article.outlet,
            places=find_places(f"{article.title}\n{article.text}"),
        )
        matching_briefings(matchers, facts)
    wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    rows.append(_row("story stage in memory, no Redis", len(docs), wall, cpu, 0.0))
    return rows


def _row(name: str, n: int, wall: float, cpu: float, redis_cpu: float) -> dict[str, Any]:
    return {
        "case": name,
        "articles": n,
        "wall_s": round(wall, 2),
        "articles_per_s": round(n / wall, 1),
        "cpu_s": round(cpu, 2),
        "redis_cpu_s": round(redis_cpu, 2),
    }


async def drain(
    args: argparse.Namespace, articles: list[Article], briefings: Any
) -> dict[str, Any]:
    from service.store import Store
    from service.store.connection import open_target
    from workers.process_stage import ProcessStage
    from workers.story_stage import StoryStage

    with tempfile.TemporaryDirectory(prefix="bench-process-") as tmp:
        target = open_target(args.redis_url, Path(tmp))
        redis = target.client()
        try:
            await redis.flushdb()
            redis_pid = int((await redis.info("server"))["process_id"])
            store = _store(Store, redis, args.partitions)
            sem = asyncio.Semaphore(50)

            async def ingest(a: Article) -> None:
                async with sem:
                    await store.articles.ingest(a, feed_id=digest(a.feed_url))

            await asyncio.gather(*(ingest(a) for a in articles))
            stages = [
                ProcessStage(
                    store, f"bench-{i}", stories=StoryStage(store, briefings), clock=lambda: NOW
                )
                for i in range(args.stages)
            ]
            for stage in stages:
                await stage.start()
            await _hold(stages)
            cpu0, rcpu0 = time.process_time(), cpu_seconds(redis_pid)
            t0 = time.perf_counter()
            done = 0
            idle = 0
            while done < len(articles) and idle < 3:
                got = sum(
                    await asyncio.gather(
                        *(s.run_once(count=args.batch, block_ms=50) for s in stages)
                    )
                )
                done += got
                idle = 0 if got else idle + 1
            wall = time.perf_counter() - t0
            cpu, rcpu = time.process_time() - cpu0, cpu_seconds(redis_pid) - rcpu0
            row = _row(f"process stage, batch {args.batch}", done, wall, cpu, rcpu)
            row["consistency"] = await _consistency(store, articles)
            return row
        finally:
            await redis.aclose()
            target.close(force=True)


def _store(store_cls: Any, redis: Any, partitions: int) -> Any:
    if partitions > 1:
        return store_cls(redis, partitions=partitions)
    return store_cls(redis)


async def _hold(stages: list[Any]) -> None:
    for stage in stages:
        holder = getattr(stage, "hold_leases", None) or stage.hold_lease
        await holder()


async def _consistency(store: Any, articles: list[Article]) -> str:
    story_of = await store.redis.hgetall(store.keys.story_of_article)
    missing = [a.id for a in articles if a.id not in story_of]
    members: dict[str, int] = {}
    for story in await store.stories.get_many(sorted(set(story_of.values()))):
        for aid in story.article_ids:
            members[aid] = members.get(aid, 0) + 1
    twice = [aid for aid, n in members.items() if n != 1]
    wrong = [aid for aid, sid in story_of.items() if aid not in members]
    return (
        f"{len(story_of)} assigned, {len(set(story_of.values()))} stories, "
        f"{len(missing)} unassigned, {len(twice)} in more than one story, "
        f"{len(wrong)} assigned but not a member"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--partitions", type=int, default=1)
    parser.add_argument("--stages", type=int, default=1, help="process stages (one process)")
    parser.add_argument("--redis-url", default=None, help="FLUSHED; default: embedded")
    parser.add_argument("--no-ceiling", action="store_true")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()

    from service.config import load_config
    from service.settings import DEFAULT_CONFIG_FILE

    briefings = load_config(DEFAULT_CONFIG_FILE).briefings
    t0 = time.perf_counter()
    articles, base = workload(args.articles)
    langs: dict[str, int] = {}
    for a in articles:
        langs[a.language] = langs.get(a.language, 0) + 1
    print(
        f"{len(articles)} articles from {base} real ones ({time.perf_counter() - t0:.1f} s to "
        f"parse), languages: {dict(sorted(langs.items(), key=lambda kv: -kv[1])[:8])}",
        flush=True,
    )
    print(f"load average before: {os.getloadavg()}", flush=True)
    rows = [] if args.no_ceiling else ceilings(articles, briefings)
    for row in rows:
        print(row, flush=True)
    row = asyncio.run(drain(args, articles, briefings))
    print(row, flush=True)
    rows.append(row)
    print(f"load average after: {os.getloadavg()}", flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
