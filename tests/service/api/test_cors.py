"""Cross-origin requests from an allowed browser origin, as a browser makes them (Fetch
§3.2, the CORS protocol): preflights, and the response headers a script may read."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from service.api.app import create_app
from service.models import FeedConfig
from service.settings import Settings
from service.store import Store
from tests.support.newsroom import NOW

ORIGIN = "https://newsroom.example"


@pytest.fixture
async def client(store: Store) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(Settings(cors_origins=[ORIGIN], admin_key="sesame"), store)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        yield c


@pytest.mark.parametrize("method", ["HEAD", "GET"])
async def test_a_conditional_read_passes_its_preflight(
    client: httpx.AsyncClient, method: str
) -> None:
    # fetch(url, {method: "HEAD", headers: {"If-None-Match": etag}}) preflights: the
    # header is not safelisted. HeadAsGet answers HEAD wherever GET is.
    preflight = await client.options(
        "/v1/feeds",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": method,
            "Access-Control-Request-Headers": "if-none-match",
        },
    )
    assert preflight.status_code == 200, preflight.text
    assert preflight.headers["access-control-allow-origin"] == ORIGIN
    assert method in preflight.headers["access-control-allow-methods"].split(", ")
    answer = await client.request(method, "/v1/feeds", headers={"Origin": ORIGIN})
    assert answer.status_code == 200 and answer.headers["access-control-allow-origin"] == ORIGIN


async def test_a_script_may_read_etag_location_and_retry_after(client: httpx.AsyncClient) -> None:
    created = await client.post(
        "/v1/briefings",
        json={"id": "kharkiv", "title": "Kharkiv"},
        headers={"Origin": ORIGIN, "Authorization": "Bearer sesame"},
    )
    assert created.status_code == 201 and created.headers["location"] == "/v1/briefings/kharkiv"
    exposed = {
        h.strip().lower() for h in created.headers["access-control-expose-headers"].split(",")
    }
    assert {"etag", "location", "retry-after"} <= exposed


async def test_a_script_may_read_the_link_to_the_next_page(
    client: httpx.AsyncClient, store: Store
) -> None:
    # Link is no CORS-safelisted response header (Fetch §2.2.6): unexposed, a script
    # paging a list could not follow it.
    for n in range(2):
        await store.feeds.add(FeedConfig(url=f"https://f{n}.example/rss"), first_poll=NOW)
    page = await client.get("/v1/feeds", params={"limit": 1}, headers={"Origin": ORIGIN})
    assert page.headers["link"].endswith('; rel="next"')
    exposed = {h.strip().lower() for h in page.headers["access-control-expose-headers"].split(",")}
    assert "link" in exposed


async def test_a_conditional_write_passes_its_preflight(client: httpx.AsyncClient) -> None:
    # PUT with If-Match: * (replace only if it exists): both headers need the preflight.
    preflight = await client.options(
        "/v1/briefings/kharkiv",
        headers={
            "Origin": ORIGIN,
            "Access-Control-Request-Method": "PUT",
            "Access-Control-Request-Headers": "authorization, if-match",
        },
    )
    assert preflight.status_code == 200, preflight.text
    allowed = {
        h.strip().lower() for h in preflight.headers["access-control-allow-headers"].split(",")
    }
    assert "if-match" in allowed
