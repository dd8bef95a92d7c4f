"""Redis memory per processed article: a quick, deterministic measure.

    .venv/bin/python bench/memory.py [--feeds 2000] [--items 3] [--text-max-chars 1500]
                                     [--stream-maxlen N] [--events-retention S]
                                     [--events-cap N] [--json FILE]

What runs, in one process, against a fresh embedded Redis (``open_target`` in a temp dir,
as ``briefing run`` starts it):

* the soak's feeds (bench/_live_feeds.py ``LiveFeed``, built from the real documents of
  ``../shared/feeds/real``: real titles, HTML descriptions and languages, links and GUIDs
  rewritten per feed, outlet "Soak <n>", feed URLs on 127.0.0.1 like the soak's), seeded
  with ``seed_feeds`` from the soak's config (its briefings included), then ``used_memory``
  is taken as the baseline;
* each feed's document (``--items`` items) goes through the fetch stage's own path:
  ``parse_feed`` -> ``normalize_document`` -> ``storage_article`` -> ``ArticleStore.ingest``
  (the ingest Lua script: identity key, article JSON, sources hash, entries stream);
* the real ``ProcessStage`` with a ``StoryStage`` (indexes, near-duplicates, clustering,
  briefings, story records, events) runs until the entries stream is drained, on a fixed
  clock (so two runs store the same bytes); then the clustering snapshot is taken as the
  stage takes it every few minutes (so the snapshot, not the replay log, holds the state);
* measured: ``used_memory`` minus the baseline, per stored article, and ``MEMORY USAGE`` per
  key family (SCAN, a sample of up to 1,000 sorted keys per family, extrapolated; streams and
  single keys exactly), per stored article;
* what-ifs, measured after the above, each on top of the previous: the maintenance job's
  stream trim (``service.store.trim.trim_streams`` with ``--events-retention``, by default
  the setting's 600 s: the acknowledged entries streams go; events are kept for the window,
  counted from the wall clock, as their ids are XADD ``*`` ids; no notify group runs here),
  then ``--events-cap N``: the events stream cut to its newest N entries.

Everything is deterministic (fixed clock, fixed documents), so a change in the figures is
a change in what is stored. Results: docs/benchmarks.md ("Redis memory").
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make service/, workers/ and bench/ importable
    sys.path.insert(0, str(ROOT))

from bench._live_feeds import LiveFeed, load_documents, write_config  # noqa: E402
from bench._redis_memory import memory_breakdown  # noqa: E402
from bench._support import FEEDS, load_average  # noqa: E402

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
PUBLISH_EVERY = 30.0
TARGET = 4096


async def measure(args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    from service.cli import seed_feeds
    from service.config import load_config
    from service.store import Store
    from service.store.connection import open_target
    from service.store.feeds import feed_id_for
    from workers.fetch_stage import storage_article
    from workers.normalize import normalize_document
    from workers.parse import parse_feed
    from workers.process_stage import ProcessStage
    from workers.story_stage import StoryStage

    docs = load_documents(args.docs)
    # The soak's feed URLs: http://127.0.0.1:<port>/f/<n>.xml (same lengths as there).
    urls = [f"http://127.0.0.1:40000/f/{n}.xml" for n in range(args.feeds)]
    config_file = tmp / "memory.toml"
    write_config(config_file, urls, 60)
    config = load_config(config_file)

    target = open_target(None, tmp / "data")
    redis = target.client()
    try:
        store = Store(redis, stream_maxlen=args.stream_maxlen)
        empty = int((await redis.info("memory"))["used_memory"])
        await seed_feeds(store, config, spread_seconds=300)
        stage = ProcessStage(
            store,
            "bench-memory",
            stories=StoryStage(store, config.briefings),
            clock=lambda: NOW,
        )
        await stage.start()
        baseline = int((await redis.info("memory"))["used_memory"])

        started = time.monotonic()
        outcomes = {"new": 0, "new_source": 0, "duplicate": 0}
        t0 = NOW.timestamp() - args.items * PUBLISH_EVERY
        for n, feed_config in enumerate(config.feeds):
            feed = LiveFeed(n, docs[n % len(docs)], t0, PUBLISH_EVERY, args.items, args.items)
            parsed = parse_feed(feed.render(args.items).encode(), feed_config.url)
            articles = normalize_document(
                parsed, feed_config, now=NOW, text_max_chars=args.text_max_chars
            )
            for article in articles:
                outcome = await store.articles.ingest(
                    storage_article(article), feed_id=feed_id_for(feed_config.url)
                )
                outcomes[outcome] += 1
        ingest_s = time.monotonic() - started
        fetched = await _settled_memory(redis)
        fetch_families = await memory_breakdown(redis, per_family=1000)

        started = time.monotonic()
        processed = 0
        while True:
            done = await stage.run_once(count=100, block_ms=None)
            processed += done
            if done == 0 and not await _unprocessed(redis, store):
                break
        process_s = time.monotonic() - started
        with_log = await _settled_memory(redis)
        assert stage.stories is not None
        stage.stories._log_len = max(stage.stories._log_len, 1)  # force the periodic snapshot
        stage.stories.snapshot_every = 1
        await stage.stories._maybe_snapshot(NOW)
        final = await _settled_memory(redis)
        families = await memory_breakdown(redis, per_family=1000)
        counts = {
            "stories": int(await redis.zcard(store.keys.stories_by("created"))),
            "events": int(await redis.xlen(store.keys.events_stream)),
            "entries": int(await redis.xlen(store.keys.entries_stream)),
        }
        sizes = await _event_sizes(redis, store)
        stories = await _story_parts(redis, store)
        # One ProcessStage and no partition count stored: every article is in partition 0.
        raw_snapshot = await redis.get(store.keys.cluster_snapshot(0))
        parts = _snapshot_parts(raw_snapshot)
        if args.snapshot_out and raw_snapshot:
            args.snapshot_out.write_text(raw_snapshot)
        # What-if: the maintenance job's trim (every minute in a worker, so the soak's
        # Redis has it applied), on the wall clock the event ids were written with.
        from service.store.trim import trim_streams

        trims = await trim_streams(
            store,
            now=datetime.now(UTC),
            events_retention=timedelta(seconds=args.events_retention),
            ceiling=args.stream_maxlen,
        )
        trimmed = await _settled_memory(redis)
        trimmed_families = await memory_breakdown(redis, per_family=1000)
        # What-if: the events stream capped at --events-cap entries (the newest kept, as an
        # XADD ... MAXLEN would keep them); a proposal, measured on the same data.
        capped = None
        if args.events_cap is not None:
            await redis.xtrim(store.keys.events_stream, maxlen=args.events_cap, approximate=False)
            capped = await _settled_memory(redis)
    finally:
        await redis.aclose()
        target.close(force=True)

    stored = outcomes["new"]
    return {
        "date": f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "args": {k: str(v) for k, v in vars(args).items()},
        "outcomes": outcomes,
        "processed": processed,
        "ingest_s": round(ingest_s, 1),
        "process_s": round(process_s, 1),
        "used_memory": {
            "empty": empty,
            "baseline": baseline,
            "fetched": fetched,
            "processed_with_log": with_log,
            "final": final,
            "trimmed": trimmed,
            "events_capped": capped,
        },
        "per_article": {
            "fetch_side": (fetched - baseline) / stored,
            "processed_with_log": (with_log - baseline) / stored,
            "final": (final - baseline) / stored,
            "trimmed": (trimmed - baseline) / stored,
            "events_capped": None if capped is None else (capped - baseline) / stored,
        },
        "trims": {t.stream: [t.trimmed, t.length] for t in trims},
        "families_trimmed": {k: [n, b] for k, (n, b) in trimmed_families.items()},
        "counts": counts,
        "event_sizes": sizes,
        "snapshot_parts": parts,
        "story_parts": stories,
        "families_after_fetch": {k: [n, b] for k, (n, b) in fetch_families.items()},
        "families": {k: [n, b] for k, (n, b) in families.items()},
    }


async def _settled_memory(redis: Any) -> int:
    """used_memory without what clients hold transiently: a multi-MB SET (the snapshot)
    leaves its query buffer allocated until Redis' client cron shrinks it (idle > 2 s)."""
    await asyncio.sleep(3)
    info = await redis.info("memory")
    return int(info["used_memory"]) - int(info.get("mem_clients_normal", 0))


async def _unprocessed(redis: Any, store: Any) -> int:
    """Entries not yet read by the group plus those read and not acknowledged."""
    groups = await redis.xinfo_groups(store.keys.entries_stream)
    pending = sum(int(g["pending"]) for g in groups)
    info = await redis.xinfo_stream(store.keys.entries_stream)
    last = info["last-generated-id"]
    behind = sum(1 for g in groups if g["last-delivered-id"] != last)
    return pending + behind


async def _event_sizes(redis: Any, store: Any) -> dict[str, float]:
    """Mean length of each field of the events stream's entries (bytes of UTF-8)."""
    rows = await redis.xrange(store.keys.events_stream, count=100_000)
    if not rows:
        return {}
    totals: dict[str, int] = {}
    for _id, fields in rows:
        for name, value in fields.items():
            totals[name] = totals.get(name, 0) + len(value.encode())
    return {name: round(total / len(rows), 1) for name, total in totals.items()}


async def _story_parts(redis: Any, store: Any) -> dict[str, float]:
    """Mean bytes of a story's stored JSON by part: its header (``keys.story``) by field,
    and its members list (``keys.story_members``, one JSON array per member) by member
    field."""
    from service.store.stories import MEMBER_FIELDS

    ids = sorted(await redis.zrange(store.keys.stories_by("created"), 0, -1))
    if not ids:
        return {}
    async with redis.pipeline(transaction=True) as pipe:
        for i in ids:
            pipe.get(store.keys.story(i))
            pipe.lrange(store.keys.story_members(i), 0, -1)
        replies = await pipe.execute()
    records = [(h, rows) for h, rows in zip(replies[::2], replies[1::2], strict=True) if h]
    totals: dict[str, int] = {}

    def add(name: str, value: object) -> None:
        size = len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode())
        totals[name] = totals.get(name, 0) + size

    for header, rows in records:
        story = json.loads(header)
        members = [dict(zip(MEMBER_FIELDS, json.loads(r), strict=True)) for r in rows]
        listed = sum(len(r.encode()) for r in rows)
        totals["total"] = totals.get("total", 0) + len(header.encode()) + listed
        totals["header"] = totals.get("header", 0) + len(header.encode())
        totals["members_list"] = totals.get("members_list", 0) + listed
        totals["members"] = totals.get("members", 0) + len(members)
        for name, value in story.items():
            add(name, value)
        for member in members:
            for name, value in member.items():
                add(f"members.{name}", value)
    return {name: round(total / len(records), 1) for name, total in totals.items()}


def _snapshot_parts(raw: str | None) -> dict[str, int]:
    """Bytes of the clustering snapshot by part (JSON text of each, as stored)."""
    if not raw:
        return {}
    parts: dict[str, int] = {"total": len(raw.encode())}
    if "\n" in raw:  # a header and packed lines (workers/story_snapshot.py): the total only
        return parts
    snapshot = json.loads(raw)
    for name, value in snapshot.items():
        if isinstance(value, dict):
            for inner, part in value.items():
                parts[f"{name}.{inner}"] = len(json.dumps(part, separators=(",", ":")).encode())
    return parts


def report(result: dict[str, Any]) -> str:
    stored = result["outcomes"]["new"]
    per = result["per_article"]
    mem = result["used_memory"]
    lines = [
        f"{result['date']}, {os.cpu_count()} cores; {stored:,} articles stored "
        f"({result['outcomes']}), {result['processed']:,} stream messages processed; "
        f"ingest {result['ingest_s']} s, process {result['process_s']} s",
        f"counts: {result['counts']}; mean event field bytes: {result['event_sizes']}",
        f"clustering snapshot bytes by part: {result['snapshot_parts']}",
        f"story record, mean bytes by part: {result['story_parts']}",
        f"used_memory: empty {mem['empty']:,}, baseline (feeds seeded) {mem['baseline']:,}, "
        f"after fetch {mem['fetched']:,}, processed {mem['processed_with_log']:,}, "
        f"after snapshot {mem['final']:,}",
        f"used_memory delta / stored article: fetch side {per['fetch_side']:,.0f} B, "
        f"processed (clustering log) {per['processed_with_log']:,.0f} B, "
        f"processed + snapshot {per['final']:,.0f} B (target < {TARGET} B: "
        f"{'met' if per['final'] < TARGET else 'MISSED'})",
        f"what-if, the stream trim job (events window {result['args']['events_retention']} s; "
        f"stream: [trimmed, left] {result['trims']}): {per['trimmed']:,.0f} B per stored "
        f"article (target < {TARGET} B: {'met' if per['trimmed'] < TARGET else 'MISSED'})",
        *(
            [
                f"what-if, also the events stream capped at {result['args']['events_cap']} "
                "entries: "
                f"{per['events_capped']:,.0f} B per stored article"
            ]
            if per.get("events_capped") is not None
            else []
        ),
        "",
        f"{'key family':<34} {'keys':>8} {'bytes':>12} {'B/article':>10}",
    ]
    families = sorted(result["families"].items(), key=lambda kv: -kv[1][1])
    total = 0.0
    for family, (keys, size) in families:
        total += size
        lines.append(f"{family:<34} {keys:>8,} {size:>12,.0f} {size / stored:>10,.1f}")
    lines.append(f"{'sum of MEMORY USAGE':<34} {'':>8} {total:>12,.0f} {total / stored:>10,.1f}")
    # A story is its header (lb:story:*) plus its members list (lb:story:*:members).
    story_bytes = sum(size for family, (_k, size) in families if family.startswith("lb:story:*"))
    lines.append(
        f"story records (header + members list): {story_bytes:,.0f} B, "
        f"{story_bytes / stored:,.1f} B/article"
    )
    after_trim = {
        family: round(size / stored, 1)
        for family, (_keys, size) in result["families_trimmed"].items()
        if ":stream:" in family or family.endswith(":entries")
    }
    lines.append(f"streams after the trim what-if, B/article: {after_trim}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--feeds", type=int, default=2000)
    parser.add_argument("--items", type=int, default=3, help="items per feed document")
    parser.add_argument("--text-max-chars", type=int, default=None, help="default: settings")
    parser.add_argument("--stream-maxlen", type=int, default=None, help="default: settings")
    parser.add_argument("--docs", type=Path, default=FEEDS, help="real feed documents")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument(
        "--events-cap", type=int, help="what-if: also measure with the events stream this long"
    )
    parser.add_argument(
        "--events-retention",
        type=float,
        default=None,
        help="seconds of events the trim what-if keeps (default: settings)",
    )
    parser.add_argument("--snapshot-out", type=Path, help="write the clustering snapshot here")
    args = parser.parse_args(argv)
    from service.settings import Settings

    defaults = Settings()
    if args.text_max_chars is None:
        args.text_max_chars = defaults.text_max_chars
    if args.stream_maxlen is None:
        args.stream_maxlen = defaults.stream_maxlen
    if args.events_retention is None:
        args.events_retention = defaults.events_retention
    load = load_average()
    print(f"load average before: {load}", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as tmp:
        result = asyncio.run(measure(args, Path(tmp)))
    result["load_before"] = load
    result["load_after"] = load_average()
    print(report(result))
    print(f"load average after: {result['load_after']}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
