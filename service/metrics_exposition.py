"""``GET /metrics``: the counters every process flushed to Redis (service/metrics.py),
gauges read from Redis now, and this process's own process and runtime metrics, rendered
by prometheus_client.

    Redis hash of sample fields + stream/gauge reads      (one snapshot per scrape)
      ──► metric families: counters, histograms with buckets in ``le`` order, gauges
      ──► a registry of its own with prometheus_client's process, platform and GC
          collectors ──► the encoder the scraper's Accept asks for (Prometheus text
          0.0.4, or OpenMetrics 1.0)

The registry is built per scrape and never global: the families are a snapshot of
Redis, and the process metrics describe the API process that answers the scrape.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from prometheus_client import (
    CollectorRegistry,
    GCCollector,
    PlatformCollector,
    ProcessCollector,
)
from prometheus_client.exposition import choose_encoder
from prometheus_client.metrics_core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
    Metric,
)
from prometheus_client.registry import Collector
from prometheus_client.utils import floatToGoString

from service.clock import utcnow
from service.metrics import HELP
from service.store import Store, codec
from service.store.partitions import partition_count
from service.store.stats import group_states
from service.store.stats import sizes as store_sizes

_FIELD = re.compile(r"^(?P<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?P<labels>.*)\})?$")
_LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')
_UNESCAPE = {"\\\\": "\\", "\\n": "\n", '\\"': '"'}
_HISTOGRAM_PART = re.compile(r"_(bucket|sum|count)$")


@dataclass(frozen=True, slots=True)
class Sample:
    name: str
    labels: dict[str, str]
    value: float


def parse_field(field: str) -> tuple[str, dict[str, str]] | None:
    """``name{k="v",...}`` (as service/metrics.py writes it) -> name and labels."""
    match = _FIELD.match(field)
    if match is None:
        return None
    labels = {
        key: re.sub(r"\\[\\n\"]", lambda m: _UNESCAPE[m[0]], value)
        for key, value in _LABEL.findall(match["labels"] or "")
    }
    return match["name"], labels


def counter_families(fields: dict[str, str]) -> list[Metric]:
    """The flushed counters and histograms, one family per name known to ``HELP``."""
    grouped: dict[str, list[Sample]] = defaultdict(list)
    for field, value in fields.items():
        parsed = parse_field(field)
        if parsed is None:
            continue
        name, labels = parsed
        family = name if name in HELP else _HISTOGRAM_PART.sub("", name)
        if family in HELP:
            grouped[family].append(Sample(name, labels, float(value)))
    families: list[Metric] = []
    for family, samples in sorted(grouped.items()):
        kind, text = HELP[family]
        if kind == "histogram":
            families.append(_histogram(family, text, samples))
        else:
            counter = CounterMetricFamily(family, text)
            for sample in sorted(samples, key=lambda s: sorted(s.labels.items())):
                counter.add_sample(counter.name + "_total", sample.labels, sample.value)
            families.append(counter)
    return families


def _histogram(family: str, text: str, samples: Iterable[Sample]) -> Metric:
    """Buckets in ascending ``le`` order per label set, then ``_sum`` and ``_count``; the
    stored buckets are already cumulative (Metrics.observe counts every bound a value
    fits under)."""
    series: dict[tuple[tuple[str, str], ...], list[Sample]] = defaultdict(list)
    for sample in samples:
        key = tuple(sorted((k, v) for k, v in sample.labels.items() if k != "le"))
        series[key].append(sample)
    histogram = HistogramMetricFamily(family, text)
    for key, parts in sorted(series.items()):
        labels = dict(key)
        buckets = sorted(
            (s for s in parts if s.name.endswith("_bucket")),
            key=lambda s: float(s.labels["le"]),
        )
        for bucket in buckets:
            le = floatToGoString(float(bucket.labels["le"]))
            histogram.add_sample(family + "_bucket", {**labels, "le": le}, bucket.value)
        for part in ("_count", "_sum"):
            for s in parts:
                if s.name == family + part:
                    histogram.add_sample(s.name, labels, s.value)
    return histogram


def _ms(stream_id: str) -> int:
    return int(stream_id.split("-", 1)[0]) if stream_id and stream_id != "0-0" else 0


async def gauge_families(store: Store) -> list[Metric]:
    """Stream lag and pending per consumer group, and sizes, read from Redis now."""
    redis, keys = store.redis, store.keys
    lag = GaugeMetricFamily("briefing_stream_lag_seconds", "Age of the oldest unread entry.")
    pending = GaugeMetricFamily("briefing_stream_pending", "Read but not yet acknowledged.")
    # One entries stream per process partition (the count every process uses is in Redis).
    partitions = await partition_count(redis, keys)
    streams = [(keys.entries(p), {"partition": str(p)}) for p in range(partitions)]
    for stream, extra in [*streams, (keys.events_stream, {})]:
        groups = await group_states(redis, stream)
        if groups is None:
            continue
        now_ms = codec.epoch_ms(utcnow())
        for group in groups:
            labels = {"stream": stream, "group": group.name, **extra}
            # Lag: age of the oldest entry the group has not read yet (0 when caught up).
            unread = group.oldest_unread
            age = max(0, now_ms - _ms(unread)) / 1000 if unread else 0
            lag.add_sample(lag.name, labels, age)
            pending.add_sample(pending.name, labels, group.pending)
    stored = await store_sizes(redis, keys)
    sizes = {
        "briefing_dead_letters": ("Poison messages kept.", stored.dead_letters),
        "briefing_feeds": ("Feeds configured.", stored.feeds),
        "briefing_articles": ("Articles stored.", stored.articles),
        "briefing_stories": ("Stories stored.", stored.stories),
        "briefing_redis_used_bytes": ("Redis memory in use.", stored.used_memory),
    }
    scalars: list[Metric] = [
        GaugeMetricFamily(name, text, value=v) for name, (text, v) in sizes.items()
    ]
    return [family for family in (lag, pending) if family.samples] + scalars


class _Snapshot(Collector):
    def __init__(self, families: list[Metric]) -> None:
        self._families = families

    def collect(self) -> Iterator[Metric]:
        return iter(self._families)


async def render(store: Store, accept: str = "") -> tuple[bytes, str]:
    """The exposition body and its content type, in the format ``accept`` asks for."""
    families = counter_families(await store.counters.read())
    families += await gauge_families(store)
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Snapshot(families))
    ProcessCollector(registry=registry)  # process_*: CPU, memory, open fds of this process
    PlatformCollector(registry=registry)
    GCCollector(registry=registry)
    encode, content_type = choose_encoder(accept)
    return encode(registry), content_type
