"""A feed server that flaps (errors, a stall, garbage, HTML) then recovers: the feed backs
off, its health is visible in the API all along, one feed.failing event is emitted, and
after recovery nothing already stored is lost or duplicated."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx

from service.api.app import create_app
from service.models import FeedConfig
from service.settings import Settings
from service.store import Store
from tests.factories import BBC_WORLD as BBC
from tests.feedserver import GARBAGE, HTML_PAGE, FeedServer, drip, sequence, status
from workers.fetch_stage import FetchStage
from workers.http_fetch import Fetcher


async def test_flapping_feed_backs_off_reports_and_recovers(
    feed_server: FeedServer, store: Store
) -> None:
    settings = Settings(allow_private_targets=True, fetch_timeout=1.0, claim_lease=30, jitter=0)
    now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    flaps = [status(500), drip(BBC, chunk_size=16, interval=0.2), GARBAGE, HTML_PAGE, status(502)]
    url = feed_server.add("/flappy", sequence(BBC, *flaps, BBC))
    feed_id, _ = await store.feeds.add(FeedConfig(url=url, interval=300), first_poll=now)
    app = create_app(settings, store)
    api = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t")

    async def health() -> dict[str, object]:
        (feed,) = (await api.get("/v1/feeds")).json()["items"]
        return feed  # type: ignore[no-any-return]

    at = now
    delays = []
    async with Fetcher(settings) as fetcher:
        stage = FetchStage(settings, store, fetcher)
        for step in range(len(flaps) + 2):
            feed = await store.feeds.get(feed_id)
            assert feed is not None
            report = await stage.poll(feed, now=at)
            assert report.next_poll is not None
            delays.append((report.next_poll - at).total_seconds())
            shown = await health()
            if 1 <= step <= len(flaps):
                assert report.error, f"flap {step} must be an error"
                assert shown["consecutive_failures"] == step
                assert shown["last_error"] == report.error
            at = report.next_poll
        stored_before = [a.id for a in (await store.articles.get_many(await _all_ids(store)))]
        final = await health()
    await api.aclose()

    _first, *failing, recovered, last = delays
    assert failing == sorted(failing) and failing[-1] > failing[0], "exponential backoff"
    assert recovered >= 300 and last >= 300, "back to the normal interval after recovery"
    assert final["consecutive_failures"] == 0 and final["last_error"] is None
    assert final["last_status"] == 200
    events = await store.redis.xrange(store.keys.events_stream)
    assert [f["type"] for _i, f in events] == ["feed.failing"]
    # The first good poll stored 33 articles; recovery added none twice and lost none.
    assert len(stored_before) == len(set(stored_before)) == 33


async def _all_ids(store: Store) -> list[str]:
    rows = await store.redis.xrange(store.keys.entries_stream)
    return sorted({f["article"] for _i, f in rows})
