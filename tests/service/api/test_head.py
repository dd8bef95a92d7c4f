"""HEAD is answered wherever GET is, with GET's headers and no body, on a real server."""

from __future__ import annotations

import asyncio

import httpx

from service.api.app import create_app
from service.settings import Settings
from service.store import Store
from tests.factories import make_article
from tests.support.live_server import serve
from tests.support.newsroom import CONFIG


async def test_head_has_gets_headers_and_no_body(store: Store) -> None:
    article = make_article(1)
    await store.articles.ingest(article)
    await store.articles.index(article, "f1")
    async with serve(create_app(Settings(), store, CONFIG)) as base, httpx.AsyncClient() as c:
        for path in ("/v1/articles", "/v1/feeds", "/v1/briefings/world/timeline.atom", "/healthz"):
            got, head = await c.get(base + path), await c.head(base + path)
            assert head.status_code == got.status_code == 200, path
            assert head.content == b"", path
            assert head.headers["content-type"] == got.headers["content-type"], path
            assert head.headers.get("etag") == got.headers.get("etag"), path
            assert head.headers["content-length"] == str(len(got.content)), path
        missing = await c.head(base + "/v1/articles/nope")
        assert missing.status_code == 404 and missing.content == b""


async def test_head_of_the_event_stream_ends_after_the_headers(store: Store) -> None:
    async with serve(create_app(Settings(), store, CONFIG)) as base, httpx.AsyncClient() as c:
        head = await asyncio.wait_for(c.head(base + "/v1/briefings/world/stream"), timeout=10)
        assert head.status_code == 200
        assert head.headers["content-type"].startswith("text/event-stream")
        assert head.content == b""
        # The server is still free: the stream did not keep running for the HEAD.
        assert (await c.get(base + "/healthz")).status_code == 200


async def test_a_405_allows_head_wherever_it_allows_get(client: httpx.AsyncClient) -> None:
    # RFC 9110 §10.2.1: Allow lists the methods the target resource supports; HEAD is one
    # wherever GET is (§9.3.2, served by HeadAsGet).
    for path in ("/v1/briefings/world/timeline", "/v1/briefings/world/timeline.atom"):
        refused = await client.delete(path)
        assert refused.status_code == 405, path
        assert refused.headers["allow"] == "GET, HEAD", path
    shared = await client.patch("/v1/briefings")  # GET elsewhere, POST in briefings_admin
    assert shared.status_code == 405
    assert {m.strip() for m in shared.headers["allow"].split(",")} == {"GET", "HEAD", "POST"}
    post_only = await client.get("/v1/deliveries/d1/redeliver")
    assert post_only.status_code == 405
    assert post_only.headers["allow"] == "POST"


async def test_a_405_lists_every_method_of_the_path(client: httpx.AsyncClient) -> None:
    # RFC 9110 §15.5.6: Allow lists the target resource's methods. A path's routes are
    # spread over routers, and Starlette lists only the first route matching the path.
    expected = {
        "/v1/subscriptions/sub_1": "DELETE, GET, HEAD, PATCH",
        "/v1/feeds": "GET, HEAD, POST",
        "/v1/feeds.opml": "GET, HEAD, POST",
        "/v1/briefings/world": "DELETE, GET, HEAD, PATCH, PUT",
        "/v1/feeds/f1": "DELETE, GET, HEAD",
    }
    for path, allow in expected.items():
        refused = await client.request("TRACE", path)
        assert refused.status_code == 405, path
        assert refused.headers["allow"] == allow, path
