"""GET /v1/articles while articles keep arriving: pages answered from one render within
the page staleness bound (a conditional request answers 304 for the page served), and a
new article listed once the bound has passed."""

from __future__ import annotations

import asyncio
import time

import httpx

from service.api.app import create_app
from service.api.conditional import etag_of
from service.settings import Settings
from service.store import Store
from tests.factories import make_article

STALENESS = 1.0
URL = "/v1/articles"


async def store_article(store: Store, n: int) -> None:
    article = make_article(n)
    await store.articles.ingest(article)
    await store.articles.index(article, "f1")


async def test_arriving_articles_share_one_render_within_the_bound(store: Store) -> None:
    await store_article(store, 1)
    app = create_app(Settings(page_staleness=STALENESS), store)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        first = await client.get(URL)
        started = time.monotonic()
        for n in range(2, 12):
            await store_article(store, n)
            again = await client.get(URL, headers={"If-None-Match": first.headers["etag"]})
            if time.monotonic() - started < STALENESS / 2:
                assert again.status_code == 304 and again.headers["etag"] == first.headers["etag"]
                assert app.state.render_cache.renders == 1
        await asyncio.sleep(STALENESS)
        after = await client.get(URL, headers={"If-None-Match": first.headers["etag"]})
    assert after.status_code == 200 and len(after.json()["items"]) == 11
    assert after.headers["etag"] == etag_of(after.content) != first.headers["etag"]
