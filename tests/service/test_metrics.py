"""Metrics: counts from several processes add up in Redis; /metrics renders them as
valid exposition (read back with prometheus_client's own parsers)."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from prometheus_client.openmetrics.parser import (
    text_string_to_metric_families as parse_openmetrics,
)
from prometheus_client.parser import text_string_to_metric_families as parse_text

from service.api.app import create_app
from service.metrics import HELP, Metrics
from service.settings import Settings
from service.store import Store


async def test_counts_from_two_processes_add_up_and_render(store: Store) -> None:
    first, second = Metrics(), Metrics()
    first.inc("briefing_polls_total", outcome="new_entries")
    second.inc("briefing_polls_total", 2, outcome="new_entries")
    second.inc("briefing_polls_total", outcome="error")
    first.observe("briefing_fetch_seconds", 0.3)
    await first.flush(store)
    await second.flush(store)
    await first.flush(store)  # nothing pending: no double counting
    await store.redis.xadd(store.keys.entries_stream, {"article": "a"})
    await store.redis.xgroup_create(store.keys.entries_stream, "process", id="0")

    app = create_app(Settings(), store)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        response = await c.get("/metrics")
    assert response.status_code == 200
    lines = response.text.splitlines()
    assert 'briefing_polls_total{outcome="new_entries"} 3.0' in lines
    assert 'briefing_polls_total{outcome="error"} 1.0' in lines
    assert "# TYPE briefing_polls_total counter" in lines
    assert 'briefing_fetch_seconds_bucket{le="0.25"} 0.0' in lines
    assert 'briefing_fetch_seconds_bucket{le="0.5"} 1.0' in lines
    assert 'briefing_fetch_seconds_bucket{le="+Inf"} 1.0' in lines
    assert "briefing_fetch_seconds_count 1.0" in lines
    assert "# TYPE briefing_fetch_seconds histogram" in lines
    (lag,) = [line for line in lines if line.startswith("briefing_stream_lag_seconds{")]
    assert 0 <= float(lag.rsplit(" ", 1)[1]) < 600  # one unread entry, just written
    assert (
        'briefing_stream_pending{group="process",partition="0",stream="lb:stream:entries"} 0.0'
        in lines
    )
    assert "briefing_dead_letters 0.0" in lines


async def test_stream_gauges_per_process_partition(store: Store) -> None:
    await store.redis.set(store.keys.partition_count, 3)
    for partition in (0, 2):
        await store.redis.xadd(store.keys.entries(partition), {"article": "a"})
        await store.redis.xgroup_create(store.keys.entries(partition), "process", id="0")
    await store.redis.xreadgroup("process", "c", {store.keys.entries(2): ">"})
    app = create_app(Settings(), store)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        lines = (await c.get("/metrics")).text.splitlines()
    assert (
        'briefing_stream_pending{group="process",partition="2",stream="lb:{p2}:entries"} 1.0'
        in lines
    )
    assert (
        'briefing_stream_pending{group="process",partition="0",stream="lb:stream:entries"} 0.0'
        in lines
    )
    lags = [line for line in lines if line.startswith("briefing_stream_lag_seconds{")]
    assert any('partition="0"' in line for line in lags)


def test_every_counted_family_has_help_and_a_type() -> None:
    """A family counted without a HELP entry is not rendered; scan the code for every name
    it counts so a new one cannot slip by, and every name has the ``briefing_`` prefix."""
    root = Path(__file__).resolve().parents[2]
    counted = {
        name
        for folder in ("service", "workers")
        for path in (root / folder).rglob("*.py")
        for name in re.findall(r'metrics\.(?:inc|observe)\(\s*"([a-z_]+)"', path.read_text())
    }
    assert len(counted) >= 10  # the scan found the call sites
    assert sorted(counted - set(HELP)) == []
    assert [name for name in HELP if not name.startswith("briefing_")] == []


async def _scrape(store: Store, accept: str = "") -> httpx.Response:
    app = create_app(Settings(), store)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        return await c.get("/metrics", headers={"Accept": accept} if accept else {})


async def _histogram_counts(store: Store) -> None:
    metrics = Metrics()
    for seconds in (0.01, 0.3, 1.5, 3.0, 12.0, 25.0, 99.0):
        metrics.observe("briefing_fetch_seconds", seconds)
    metrics.inc("briefing_stream_trimmed_total", 40, stream="lb:events")
    await metrics.flush(store)


async def test_openmetrics_parser_reads_every_family_buckets_in_order(store: Store) -> None:
    """Buckets sorted as numbers (1, 2.5, 10; not as text: +Inf, 1, 10, 2.5), which
    OpenMetrics requires and its parser checks; process metrics of the API process."""
    await _histogram_counts(store)
    response = await _scrape(store, "application/openmetrics-text; version=1.0.0")
    assert response.headers["content-type"].startswith("application/openmetrics-text")
    assert response.headers["vary"] == "Accept"  # negotiated (RFC 9110 §12.5.5)
    families = {f.name: f for f in parse_openmetrics(response.text)}
    fetch = families["briefing_fetch_seconds"]
    assert fetch.type == "histogram"
    buckets = [(s.labels["le"], s.value) for s in fetch.samples if s.name.endswith("_bucket")]
    assert [le for le, _ in buckets] == [
        "0.05", "0.1", "0.25", "0.5", "1.0", "2.5", "5.0", "10.0", "20.0", "30.0", "+Inf",
    ]  # fmt: skip
    assert [count for _, count in buckets] == [1, 1, 1, 2, 2, 3, 4, 4, 5, 6, 7]
    trimmed = families["briefing_stream_trimmed"]
    assert trimmed.type == "counter"
    assert [(s.labels, s.value) for s in trimmed.samples] == [({"stream": "lb:events"}, 40)]
    assert families["process_cpu_seconds"].samples[0].value >= 0
    assert families["process_resident_memory_bytes"].samples[0].value > 0
    assert "briefing_dead_letters" in families


async def test_prometheus_text_parser_reads_the_default_format(store: Store) -> None:
    await _histogram_counts(store)
    response = await _scrape(store)
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    assert response.headers["vary"] == "Accept"
    families = {f.name: f for f in parse_text(response.text)}
    bounds = [
        float(s.labels["le"])
        for s in families["briefing_fetch_seconds"].samples
        if s.name.endswith("_bucket")
    ]
    assert bounds == sorted(bounds) and bounds[-1] == float("inf")
    assert families["briefing_stream_trimmed"].type == "counter"
    assert "process_open_fds" in families
    assert all(name.startswith(("briefing_", "process_", "python_")) for name in families)
