"""Timeline and articles cache hits answered in front of FastAPI (service/api/cache_hits.py)
are the route's answers byte for byte: status, every header, body; 304s; CORS; and
whatever is not a hit (bad input, unknown or deleted briefings, new events, a feed
filter) is still the route's."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from service.api.app import create_app
from service.api.cache_hits import CacheHits
from service.settings import Settings
from service.store import Store
from tests.support.newsroom import CONFIG, NOW, Newsroom, rss

ORIGIN = "https://reader.example"
ADMIN = {"Authorization": "Bearer sesame"}


def make_app(store: Store) -> FastAPI:
    settings = Settings(admin_key="sesame", cors_origins=[ORIGIN], page_staleness=0)
    # version_ttl=0: read-your-writes, each request reads the events version
    return create_app(settings, store, CONFIG, version_ttl=0, briefings_check_every=0.0)


def layer_of(app: FastAPI) -> CacheHits:
    """The app's CacheHits instance (the middleware stack is built on first request)."""
    node = app.middleware_stack
    while node is not None and not isinstance(node, CacheHits):
        node = getattr(node, "app", None)
    assert isinstance(node, CacheHits)
    return node


@pytest.fixture
async def app(store: Store) -> FastAPI:
    return make_app(store)


def same(a: httpx.Response, b: httpx.Response) -> None:
    assert a.status_code == b.status_code
    assert a.headers.multi_items() == b.headers.multi_items()
    assert a.content == b.content


async def by_route(
    app: FastAPI, client: httpx.AsyncClient, url: str, **kw: object
) -> httpx.Response:
    """The same request with the layer stepping aside: FastAPI's route answers."""
    layer = layer_of(app)
    routes, layer.routes = layer.routes, ()
    try:
        return await client.get(url, **kw)
    finally:
        layer.routes = routes


@pytest.mark.parametrize(
    "url",
    [
        "/v1/briefings/world/timeline",
        "/v1/briefings/world/timeline?limit=3&order=created",
        "/v1/briefings/ukraine/timeline?q=kyiv&min_sources=1",
    ],
)
@pytest.mark.parametrize("headers", [{}, {"Origin": ORIGIN}], ids=["plain", "cors"])
async def test_a_hit_is_the_routes_response(
    bbc: Newsroom, app: FastAPI, client: httpx.AsyncClient, url: str, headers: dict[str, str]
) -> None:
    first = await client.get(url, headers=headers)  # a miss: the route renders it
    assert first.status_code == 200
    layer = layer_of(app)
    hits = layer.hits
    again = await client.get(url, headers=headers)
    assert layer.hits == hits + 1  # answered in front of FastAPI
    same(again, first)
    same(again, await by_route(app, client, url, headers=headers))
    if headers:
        assert again.headers["access-control-allow-origin"] == ORIGIN
        assert "etag" in again.headers["access-control-expose-headers"].lower()


async def test_not_modified_is_the_routes_304(
    bbc: Newsroom, app: FastAPI, client: httpx.AsyncClient
) -> None:
    url = "/v1/briefings/world/timeline"
    etag = (await client.get(url)).headers["etag"]
    layer = layer_of(app)
    for header in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        hits = layer.hits
        hit = await client.get(url, headers={"If-None-Match": header})
        assert hit.status_code == 304 and hit.content == b"" and layer.hits == hits + 1
        same(hit, await by_route(app, client, url, headers={"If-None-Match": header}))
    changed = await client.get(url, headers={"If-None-Match": '"other"'})
    assert changed.status_code == 200 and changed.headers["etag"] == etag


async def test_a_stale_if_match_is_the_routes_412(
    bbc: Newsroom, app: FastAPI, client: httpx.AsyncClient
) -> None:
    """RFC 9110 §13.1.1: If-Match is evaluated on a read too, in front of FastAPI as by
    the route."""
    url = "/v1/briefings/world/timeline"
    etag = (await client.get(url)).headers["etag"]
    layer = layer_of(app)
    for header, status in ((etag, 200), ('"stale"', 412), (f"W/{etag}", 412)):
        hits = layer.hits
        hit = await client.get(url, headers={"If-Match": header})
        assert hit.status_code == status and layer.hits == hits + 1, header
        same(hit, await by_route(app, client, url, headers={"If-Match": header}))


async def test_what_is_not_a_hit_is_answered_by_the_route(
    bbc: Newsroom, app: FastAPI, client: httpx.AsyncClient
) -> None:
    await client.get("/v1/briefings/world/timeline")
    layer = layer_of(app)
    hits = layer.hits
    for url in (
        "/v1/briefings/world/timeline?limit=0",  # 422 problem
        "/v1/briefings/world/timeline?cursor=nonsense",  # 400 problem
        "/v1/briefings/nope/timeline",  # 404 problem
        "/v1/briefings/world/timeline/",  # not the route's path (307 to it)
    ):
        answer = await client.get(url)
        assert answer.status_code != 200, url
        same(answer, await by_route(app, client, url))
    assert layer.hits == hits
    # HEAD runs as GET with the body dropped (service/api/head.py), a hit like the GET.
    head = await client.head("/v1/briefings/world/timeline")
    assert head.status_code == 200 and head.content == b""


async def test_a_new_event_or_a_deleted_briefing_is_never_served_from_the_layer(
    bbc: Newsroom, app: FastAPI, client: httpx.AsyncClient
) -> None:
    url = "/v1/briefings/world/timeline"
    before = await client.get(url)
    assert (await client.get(url)).content == before.content  # cached
    await bbc.publish(
        rss("Later", [("Dam breach floods villages near Kherson", "https://later.example/dam",
                       NOW)]),
        name="Later",
    )  # fmt: skip
    after = await client.get(url)  # a new events version: a miss, rendered again
    assert after.json()["items"][0]["headline"] == "Dam breach floods villages near Kherson"
    assert after.headers["etag"] != before.headers["etag"]
    assert (await client.delete("/v1/briefings/world", headers=ADMIN)).status_code == 204
    gone = await client.get(url)
    assert gone.status_code == 404 and gone.headers["content-type"] == "application/problem+json"


async def test_an_articles_hit_is_the_routes_response(bbc: Newsroom, store: Store) -> None:
    # A page staleness long enough that every repeat below is within it (articles pages
    # have no events version: only the staleness bound serves them again).
    settings = Settings(page_staleness=60)
    app = create_app(settings, store, CONFIG, version_ttl=0, briefings_check_every=0.0)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        url = "/v1/articles?limit=5"
        first = await client.get(url)  # a miss: the route renders it
        assert first.status_code == 200 and len(first.json()["items"]) == 5
        layer = layer_of(app)
        hits = layer.hits
        again = await client.get(url)
        assert layer.hits == hits + 1  # answered in front of FastAPI
        same(again, first)
        same(again, await by_route(app, client, url))
        unchanged = await client.get(url, headers={"If-None-Match": first.headers["etag"]})
        assert unchanged.status_code == 304 and layer.hits == hits + 2
        bad = await client.get("/v1/articles?limit=0")  # never cached: the route's 422
        assert bad.status_code == 422 and layer.hits == hits + 2


async def test_an_articles_page_of_a_removed_feed_is_the_routes_404(
    bbc: Newsroom, store: Store
) -> None:
    settings = Settings(page_staleness=60)
    app = create_app(settings, store, CONFIG, version_ttl=0, briefings_check_every=0.0)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        (feed,), _ = await store.feeds.page(after=None, limit=10)
        url = f"/v1/articles?limit=5&feed={feed.id}"
        first = await client.get(url)
        assert first.status_code == 200 and first.json()["items"]
        layer = layer_of(app)
        hits = layer.hits
        assert (await client.get(url)).content == first.content  # cached, by the route
        assert layer.hits == hits  # a feed filter is always the route's
        assert await store.feeds.remove(feed.config.url)
        gone = await client.get(url)
    assert gone.status_code == 404 and gone.headers["content-type"] == "application/problem+json"
