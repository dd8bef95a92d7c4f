"""Prometheus metrics shared by every process through Redis.

Workers have no HTTP port and there may be many of them, so each process counts in
memory and flushes increments into one Redis hash every few seconds (HINCRBYFLOAT is
atomic); the API's ``GET /metrics`` renders that hash plus gauges read from Redis at
scrape time (stream lag, pending, dead letters). The text format is written here
directly (Prometheus exposition format 0.0.4) because prometheus_client's registry is
per process, which is exactly what we must not depend on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections import defaultdict
from collections.abc import Iterable

from service.clock import utcnow
from service.store import Store, codec

log = logging.getLogger(__name__)

FETCH_SECONDS_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0, 30.0)
_FIELD = re.compile(r"^(?P<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?P<labels>\{.*\})?$")


def _field(name: str, labels: dict[str, str]) -> str:
    if not labels:
        return name
    inner = ",".join(f'{k}="{_escape(str(v))}"' for k, v in sorted(labels.items()))
    return f"{name}{{{inner}}}"


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


class Metrics:
    """In-process increments waiting to be flushed to Redis."""

    def __init__(self) -> None:
        self._pending: dict[str, float] = defaultdict(float)

    def inc(self, name: str, by: float = 1.0, **labels: str) -> None:
        self._pending[_field(name, labels)] += by

    def observe(
        self,
        name: str,
        value: float,
        buckets: Iterable[float] = FETCH_SECONDS_BUCKETS,
        **labels: str,
    ) -> None:
        for bound in buckets:
            if value <= bound:
                self._pending[_field(f"{name}_bucket", {**labels, "le": f"{bound:g}"})] += 1
        self._pending[_field(f"{name}_bucket", {**labels, "le": "+Inf"})] += 1
        self._pending[_field(f"{name}_sum", labels)] += value
        self._pending[_field(f"{name}_count", labels)] += 1

    async def flush(self, store: Store) -> None:
        if not self._pending:
            return
        pending, self._pending = self._pending, defaultdict(float)
        try:
            async with store.redis.pipeline(transaction=False) as pipe:
                for field, value in pending.items():
                    pipe.hincrbyfloat(store.keys.metrics, field, value)
                await pipe.execute()
        except Exception:
            # Redis away: keep the counts for the next flush rather than lose them.
            for field, value in pending.items():
                self._pending[field] += value
            raise

    async def run_flusher(self, store: Store, stop: asyncio.Event, every: float = 5.0) -> None:
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=every)
            try:
                await self.flush(store)
            except Exception as exc:
                log.warning("metrics flush failed: %s", exc)


# One per process, like prometheus_client's default registry: every stage counts here.
metrics = Metrics()

HELP = {
    "briefing_polls_total": ("counter", "Feed polls by outcome."),
    "briefing_fetch_seconds": ("histogram", "Time to fetch one feed."),
    "briefing_entries_total": (
        "counter",
        "Entries ingested by outcome (new/new_source/duplicate).",
    ),
    "briefing_processed_total": ("counter", "Entries handled by the process stage."),
    "briefing_story_events_total": ("counter", "Story events emitted by type."),
    "briefing_near_duplicates_total": ("counter", "Articles folded as near-duplicate copies."),
    "briefing_deliveries_total": ("counter", "Webhook delivery attempts by outcome."),
    "briefing_events_skipped_total": (
        "counter",
        "Events the notifier did not deliver, by reason (story_missing: pruned story).",
    ),
    "briefing_backpressure_ticks_total": (
        "counter",
        "Claim ticks that deferred due feeds because the process stage lagged.",
    ),
    "stream_near_cap_total": ("counter", "Trim runs that found a stream past 80 % of its ceiling."),
    "stream_trimmed_total": ("counter", "Entries removed by the consumer-aware stream trim."),
}


def _ms(stream_id: str) -> int:
    return int(stream_id.split("-", 1)[0]) if stream_id and stream_id != "0-0" else 0


async def render(store: Store) -> str:
    """The exposition text: flushed counters plus gauges read from Redis now."""
    counters: dict[str, str] = await store.redis.hgetall(store.keys.metrics)
    families: dict[str, list[str]] = defaultdict(list)
    for field, value in sorted(counters.items()):
        match = _FIELD.match(field)
        if match is None:
            continue
        name = match["name"]
        family = re.sub(r"_(bucket|sum|count)$", "", name) if name not in HELP else name
        families[family].append(f"{field} {float(value):g}")
    lines: list[str] = []
    for family, samples in families.items():
        kind, text = HELP.get(family, ("untyped", family))
        lines += [f"# HELP {family} {text}", f"# TYPE {family} {kind}", *samples]

    gauges: list[tuple[str, str, list[str]]] = []
    lag, pending = [], []
    # One entries stream per process partition (the count every process uses is in Redis).
    partitions = int(await store.redis.get(store.keys.partition_count) or 1)
    streams = [(store.keys.entries(p), f',partition="{p}"') for p in range(partitions)]
    for stream, extra in [*streams, (store.keys.events_stream, "")]:
        try:
            info = await store.redis.xinfo_stream(stream)
            groups = await store.redis.xinfo_groups(stream)
        except Exception:  # stream not created yet
            continue
        if not info:
            continue
        now_ms = codec.epoch_ms(utcnow())
        for group in groups:
            labels = f'{{stream="{stream}",group="{group["name"]}"{extra}}}'
            # Lag: age of the oldest entry the group has not read yet (0 when caught up).
            unread = await store.redis.xrange(
                stream, f"({group.get('last-delivered-id') or '0-0'}", "+", count=1
            )
            age = max(0, now_ms - _ms(unread[0][0])) / 1000 if unread else 0
            lag.append(f"briefing_stream_lag_seconds{labels} {age:g}")
            pending.append(f"briefing_stream_pending{labels} {group.get('pending', 0)}")
    gauges.append(("briefing_stream_lag_seconds", "Age of the oldest unread entry.", lag))
    gauges.append(("briefing_stream_pending", "Read but not yet acknowledged.", pending))
    redis, keys = store.redis, store.keys
    scalars = {
        "briefing_dead_letters": ("Poison messages kept.", await redis.xlen(keys.dead_letters)),
        "briefing_feeds": ("Feeds configured.", await redis.scard(keys.feeds)),
        "briefing_articles": ("Articles stored.", await redis.zcard(keys.articles_by_time)),
        "briefing_stories": ("Stories stored.", await redis.zcard(keys.stories_by("updated"))),
        "briefing_redis_used_bytes": (
            "Redis memory in use.",
            (await redis.info("memory")).get("used_memory", 0),
        ),
    }
    gauges += [(name, text, [f"{name} {value}"]) for name, (text, value) in scalars.items()]
    for name, text, samples in gauges:
        if samples:
            lines += [f"# HELP {name} {text}", f"# TYPE {name} gauge", *samples]
    return "\n".join(lines) + "\n"
