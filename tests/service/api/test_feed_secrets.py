"""A feed URL with credentials and a token: stored whole (it is what is polled), shown
redacted in /v1/feeds, the OPML export, feed.failing events and poll reports."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from service.api.app import create_app
from service.models import FeedConfig
from service.settings import Settings
from service.store import Store
from tests.feedserver import FeedServer, status
from workers.fetch_stage import FAILING_AFTER, FetchStage
from workers.http_fetch import Fetcher

ADMIN = {"Authorization": "Bearer sesame"}
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
SECRETS = ("hunter2", "s3cr3t", "desk:")


@pytest.fixture
async def client(store: Store) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(Settings(admin_key="sesame"), store)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        yield c


def shows_no_secret(text: str) -> bool:
    return not any(secret in text for secret in SECRETS)


async def test_feed_list_and_opml_show_no_credentials(
    client: httpx.AsyncClient, store: Store
) -> None:
    url = "https://desk:hunter2@private.example/rss?api_token=s3cr3t&lang=en"
    created = await client.post("/v1/feeds", json={"url": url}, headers=ADMIN)
    assert created.status_code == 201
    assert created.json()["url"] == "https://***@private.example/rss?api_token=***&lang=en"
    listed = await client.get("/v1/feeds")
    assert listed.json()["items"][0]["url"] == created.json()["url"]
    opml = await client.get("/v1/feeds.opml")
    assert "private.example/rss" in opml.text and shows_no_secret(opml.text)
    stored = await store.feeds.by_url(url)  # the poller still has the whole URL
    assert stored is not None and stored.config.url == url


async def test_feed_failing_event_and_poll_reports_show_no_credentials(
    feed_server: FeedServer, store: Store
) -> None:
    url = feed_server.add("/private.xml", status(500)).replace("http://", "http://desk:hunter2@")
    url += "?token=s3cr3t"
    await store.feeds.add(FeedConfig(url=url), first_poll=NOW)
    settings = Settings(allow_private_targets=True, parse_processes=0)
    reports = []
    async with Fetcher(settings) as fetcher:
        stage = FetchStage(settings, store, fetcher)
        for attempt in range(FAILING_AFTER):
            feed = await store.feeds.by_url(url)
            assert feed is not None
            reports.append(await stage.poll(feed, now=NOW + timedelta(minutes=attempt)))
    assert all(r.error and shows_no_secret(r.url + r.error) for r in reports)
    events = await store.redis.xrange(store.keys.events_stream)
    failing = [fields for _id, fields in events if fields.get("type") == "feed.failing"]
    assert len(failing) == 1
    assert "***@127.0.0.1" in str(failing[0]) and shows_no_secret(str(failing[0]))
