"""Metrics: counts from several processes add up in Redis; /metrics renders them."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

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
    assert 'briefing_polls_total{outcome="new_entries"} 3' in lines
    assert 'briefing_polls_total{outcome="error"} 1' in lines
    assert "# TYPE briefing_polls_total counter" in lines
    assert 'briefing_fetch_seconds_bucket{le="0.25"} 0' not in lines
    assert 'briefing_fetch_seconds_bucket{le="0.5"} 1' in lines
    assert 'briefing_fetch_seconds_bucket{le="+Inf"} 1' in lines
    assert "briefing_fetch_seconds_count 1" in lines
    assert "# TYPE briefing_fetch_seconds histogram" in lines
    (lag,) = [line for line in lines if line.startswith("briefing_stream_lag_seconds{")]
    assert 0 <= float(lag.rsplit(" ", 1)[1]) < 600  # one unread entry, just written
    assert (
        'briefing_stream_pending{stream="lb:stream:entries",group="process",partition="0"} 0'
        in lines
    )
    assert "briefing_dead_letters 0" in lines


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
        'briefing_stream_pending{stream="lb:{p2}:entries",group="process",partition="2"} 1' in lines
    )
    assert (
        'briefing_stream_pending{stream="lb:stream:entries",group="process",partition="0"} 0'
        in lines
    )
    lags = [line for line in lines if line.startswith("briefing_stream_lag_seconds{")]
    assert any('partition="0"' in line for line in lags)


def test_every_counted_family_has_help_and_a_type() -> None:
    """A family counted without a HELP entry renders as ``untyped`` with its name as its
    help text; scan the code for every name it counts so a new one cannot slip by."""
    root = Path(__file__).resolve().parents[2]
    counted = {
        name
        for folder in ("service", "workers")
        for path in (root / folder).rglob("*.py")
        for name in re.findall(r'metrics\.(?:inc|observe)\(\s*"([a-z_]+)"', path.read_text())
    }
    assert len(counted) >= 10  # the scan found the call sites
    assert sorted(counted - set(HELP)) == []
