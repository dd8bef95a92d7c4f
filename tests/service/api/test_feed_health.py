"""service.api.feed_health: what the briefing page says about the feeds behind it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx

from service.api.app import create_app
from service.api.feed_health import (
    FeedHealth,
    FeedHealthReads,
    briefing_feed_health,
    of_briefing,
)
from service.config import AppConfig, BriefingConfig
from service.models import FeedConfig, FeedState
from service.settings import Settings
from service.store import Store
from service.store.feeds import StoredFeed

T0 = datetime(2026, 12, 3, 12, tzinfo=UTC)
ALL = BriefingConfig(id="all", title="All")


def feed(n: int, *, failures: int = 0, polled: bool = True, error: str = "") -> StoredFeed:
    url = f"https://user:pw@f{n}.example/rss"
    state = FeedState(url=url, consecutive_failures=failures, last_error=error or None,
                      last_attempt=T0 + timedelta(minutes=n) if polled else None)  # fmt: skip
    return StoredFeed(f"id{n}", FeedConfig(url=url, name=f"F{n}"), state)


def test_all_feeds_failing_says_so_with_the_latest_error_redacted() -> None:
    refused = "fetch https://user:pw@f2.example/rss: refused"
    feeds = [feed(1, failures=3, error="HTTP 500"), feed(2, failures=1, error=refused)]
    health = of_briefing(ALL, feeds)
    assert health == FeedHealth(total=2, failing=2, waiting=0, last_error=health.last_error)
    assert health.notice is not None and health.notice.startswith("All 2 feeds are failing")
    assert "refused" in health.notice and "pw" not in health.notice  # the latest, redacted


def test_some_failing_none_polled_none_configured_and_all_well() -> None:
    some = of_briefing(ALL, [feed(1, failures=2, error="HTTP 404"), feed(2)])
    assert some.notice == "1 of 2 feeds are failing (HTTP 404)."
    assert of_briefing(ALL, [feed(1, polled=False)]).notice == "The feeds have not been polled yet."
    assert of_briefing(ALL, []).notice == "No feed is configured for this briefing."
    assert of_briefing(ALL, [feed(1), feed(2)]).notice is None


def test_a_briefing_with_a_feeds_filter_only_counts_its_feeds() -> None:
    only_two = BriefingConfig(id="two", title="Two", feeds=("https://user:pw@f2.example/rss",))
    health = of_briefing(only_two, [feed(1, failures=5, error="HTTP 500"), feed(2)])
    assert (health.total, health.failing, health.notice) == (1, 0, None)


async def record_polls(store: Store, *, failures: int) -> None:
    """Feeds f1 and f2 (added if new), each polled once with ``failures`` in a row."""
    for n in (1, 2):
        config = FeedConfig(url=f"https://f{n}.example/rss", name=f"F{n}")
        found = await store.feeds.by_url(config.url)
        feed_id = found.id if found else (await store.feeds.add(config, first_poll=T0))[0]
        state = FeedState(url=config.url, consecutive_failures=failures,
                          last_error="HTTP 503" if failures else None,
                          last_attempt=T0, next_poll=T0 + timedelta(minutes=5))  # fmt: skip
        await store.feeds.record_poll(feed_id, state)


async def test_read_from_the_store_and_shown_on_the_page(store: Store) -> None:
    await record_polls(store, failures=2)
    health = await briefing_feed_health(store, ALL)
    assert (health.total, health.failing) == (2, 2)
    app = create_app(Settings(), store, AppConfig(briefings=(ALL,)))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        page = (await c.get("/briefings/all")).text
    assert '<p id="feed-health" class="feed-health" role="status">' in page
    assert "All 2 feeds are failing (HTTP 503); no news can arrive." in page


async def test_a_read_is_shared_per_briefing_and_feeds_filter(store: Store) -> None:
    await record_polls(store, failures=2)
    reads = FeedHealthReads(ttl=60.0)
    assert (await reads.read(store, ALL, now=0.0)).failing == 2
    await record_polls(store, failures=0)  # both recover
    assert (await reads.read(store, ALL, now=30.0)).failing == 2  # the shared read
    only_f1 = BriefingConfig(id="all", title="All", feeds=("https://f1.example/rss",))
    assert (await reads.read(store, only_f1, now=30.0)).notice is None  # an edit: read anew
    assert (await FeedHealthReads(ttl=0).read(store, ALL, now=30.0)).notice is None
