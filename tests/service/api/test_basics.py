"""The API against a real Redis: health, articles paging and filters, feeds, errors."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import httpx
import pytest

from service.api.app import create_app
from service.api.routes import health
from service.liveness import Liveness
from service.models import FeedConfig, FeedState
from service.settings import Settings
from service.store import Store
from service.store.connection import RedisTarget
from tests.factories import make_article
from tests.support.redis_server import RedisServer

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
async def client(store: Store) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(Settings(page_staleness=0), store)  # read-your-writes for pages
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


async def test_health_and_ready(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok", "redis": None}
    ready = await client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["redis"] == "ok"


async def test_not_ready_while_redis_is_stalled(
    server_store: Store, redis_server: RedisServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A Redis that keeps its connections but answers nothing (CLIENT PAUSE here; a stuck
    # fork or fsync, a network dropping packets): readiness says so while it lasts, where
    # it waited for the whole stall and then answered "ok".
    monkeypatch.setattr(health, "READY_WAIT", 0.2)
    app = create_app(Settings(), server_store)
    admin = RedisTarget(url=redis_server.url, unix_socket=None).client()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        assert (await c.get("/readyz")).status_code == 200
        await admin.execute_command("CLIENT", "PAUSE", "3000", "ALL")
        stalled = await c.get("/readyz")
        await admin.ping()  # answered once the pause is over
        assert stalled.status_code == 503
        assert stalled.json()["detail"] == "redis did not answer within 0.2 s"
        assert (await c.get("/readyz")).status_code == 200
    await admin.aclose()


async def refuse_writes(refusal: str, store: Store, server: RedisServer) -> None:
    """Make the test's own Redis refuse writes as an operator's Redis may."""
    if refusal == "memory":
        await store.redis.config_set("maxmemory", 1)
    elif refusal == "disk":
        await server.fail_persistence(store.redis)
    else:  # a replica of a primary that is not there (port 1 refuses): it keeps its data
        await store.redis.execute_command("REPLICAOF", "127.0.0.1", "1")


async def take_writes_again(refusal: str, store: Store, server: RedisServer) -> None:
    if refusal == "memory":
        await store.redis.config_set("maxmemory", 0)
    elif refusal == "disk":
        await server.restore_persistence(store.redis)
    else:
        await store.redis.execute_command("REPLICAOF", "NO", "ONE")


@pytest.mark.parametrize(
    ("refusal", "said"),
    [
        (
            "memory",
            "refusing writes: storage is full (Redis maxmemory reached); writes are refused "
            "until an operator frees memory",
        ),
        (
            "disk",
            "refusing writes: storage cannot write to disk (Redis MISCONF); writes are "
            "refused until an operator fixes its disk",
        ),
        (
            "replica",
            "refusing writes: storage is a read-only replica (Redis READONLY); writes are "
            "refused until REDIS_URL names the primary",
        ),
    ],
)
async def test_ready_says_degraded_while_redis_refuses_writes(
    refusal: str, said: str, server_store: Store, redis_server: RedisServer
) -> None:
    """Redis full, unable to save or a replica answers PING (or refuses it: MISCONF): the
    instance still serves reads, so it stays ready, and says why writes are refused."""
    store = server_store
    await store.feeds.add(FeedConfig(url="https://a.example/rss"), first_poll=NOW)
    app = create_app(Settings(admin_key="sesame"), store)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        await refuse_writes(refusal, store, redis_server)
        try:
            ready = await c.get("/readyz")
            listed = await c.get("/v1/feeds")
            keys = await store.redis.dbsize()
        finally:
            await take_writes_again(refusal, store, redis_server)
        assert ready.status_code == 200
        assert ready.json() == {"status": "degraded", "redis": said}
        assert listed.status_code == 200 and len(listed.json()["items"]) == 1
        assert keys == await store.redis.dbsize()  # the probe wrote nothing
        assert not await store.redis.exists(store.keys.write_probe)
        assert (await c.get("/readyz")).json() == {"status": "ok", "redis": "ok"}


async def test_liveness_fails_when_the_process_cannot_recover_by_itself(store: Store) -> None:
    liveness = Liveness()
    problem: list[str] = []
    liveness.add(lambda: problem[0] if problem else None)
    app = create_app(Settings(), store, liveness=liveness)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        assert (await c.get("/healthz")).status_code == 200
        problem.append("embedded redis could not be restarted after 6 attempts")
        live = await c.get("/healthz")
        assert live.status_code == 503
        assert live.headers["content-type"] == "application/problem+json"
        assert live.json()["detail"] == problem[0]
        # Readiness is about Redis answering, which it still does here.
        assert (await c.get("/readyz")).status_code == 200


async def test_articles_page_through_everything(client: httpx.AsyncClient, store: Store) -> None:
    for n in range(7):
        article = make_article(n)
        await store.articles.ingest(article)
        await store.articles.index(article, "f1")
    ids: list[str] = []
    cursor = None
    while True:
        params: dict[str, str | int] = {"limit": 3}
        if cursor:
            params["cursor"] = cursor
        body = (await client.get("/v1/articles", params=params)).json()
        ids += [item["id"] for item in body["items"]]
        for item in body["items"]:
            assert {"id", "url", "title", "published", "feed_url", "sources"} <= item.keys()
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert ids == [f"art{n:04d}" for n in reversed(range(7))]


async def test_articles_filter_by_feed_url(client: httpx.AsyncClient, store: Store) -> None:
    feed_id, _ = await store.feeds.add(FeedConfig(url="https://a.example/feed"), first_poll=NOW)
    article = make_article(1)
    await store.articles.ingest(article, feed_id=feed_id)
    await store.articles.index(article, feed_id)
    body = (await client.get("/v1/articles", params={"feed": "https://a.example/feed"})).json()
    assert [i["id"] for i in body["items"]] == ["art0001"]
    missing = await client.get("/v1/articles", params={"feed": "https://nope.example/"})
    assert missing.status_code == 404
    assert missing.json()["title"] == "Not Found"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": "0"}, "limit"),
        ({"limit": "many"}, "limit"),
        ({"lang": "ENGLISH"}, "lang"),
        ({"since": "yesterday"}, "since"),
    ],
    ids=["limit-zero", "limit-not-int", "lang-pattern", "since-not-a-date"],
)
async def test_bad_queries_are_422_naming_the_field(
    client: httpx.AsyncClient, params: dict[str, str], field: str
) -> None:
    response = await client.get("/v1/articles", params=params)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert {"type", "title", "status", "detail"} <= body.keys()
    assert [e["field"] for e in body["errors"]] == [field]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"cursor": "garbage!"}, "cursor"), ({"since": "2026-11-01T10:00:00"}, "since")],
    ids=["cursor-not-ours", "since-naive"],
)
async def test_bad_values_are_400_naming_the_field(
    client: httpx.AsyncClient, params: dict[str, str], field: str
) -> None:
    response = await client.get("/v1/articles", params=params)
    assert response.status_code == 400
    assert response.json()["detail"].startswith(f"{field}:")


async def test_feeds_with_health(client: httpx.AsyncClient, store: Store) -> None:
    feed_id, _ = await store.feeds.add(
        FeedConfig(url="https://a.example/feed", name="A"), first_poll=NOW
    )
    await store.feeds.record_poll(
        feed_id,
        FeedState(
            url="https://a.example/feed",
            last_status=500,
            last_error="HTTP 500 Internal Server Error",
            consecutive_failures=2,
            next_poll=NOW,
        ),
    )
    body = (await client.get("/v1/feeds")).json()
    assert body["next_cursor"] is None
    (feed,) = body["items"]
    assert feed["url"] == "https://a.example/feed"
    assert feed["last_error"] == "HTTP 500 Internal Server Error"
    assert feed["consecutive_failures"] == 2
    assert feed["last_success"] is None
    assert feed["next_poll"].startswith("2026-11-01T12:00:00")


async def test_unknown_route_and_article_are_problems(client: httpx.AsyncClient) -> None:
    for path in ("/v1/nothing-here", "/v1/articles/doesnotexist"):
        response = await client.get(path)
        assert response.status_code == 404
        assert response.json()["status"] == 404


async def test_dead_letters_need_an_admin_key(store: Store) -> None:
    await store.redis.xadd(
        store.keys.dead_letters,
        {"stream": "s", "group": "process", "message_id": "1-0", "attempts": "5",
         "error": "KeyError: 'article'", "fields": '{"kind": "new"}'},
    )  # fmt: skip
    app = create_app(Settings(admin_key="sesame"), store)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        assert (await c.get("/v1/dead-letters")).status_code == 401
        wrong = await c.get("/v1/dead-letters", headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401
        ok = await c.get("/v1/dead-letters", headers={"Authorization": "Bearer sesame"})
    assert ok.status_code == 200
    body = ok.json()
    assert body["total"] == 1
    assert body["items"][0]["error"] == "KeyError: 'article'"
    assert body["items"][0]["fields"] == {"kind": "new"}


async def test_articles_and_feeds_have_etags_and_answer_304(
    client: httpx.AsyncClient, store: Store
) -> None:
    await store.feeds.add(FeedConfig(url="https://a.example/feed"), first_poll=NOW)
    article = make_article(1)
    await store.articles.ingest(article)
    await store.articles.index(article, "f1")
    etags = {}
    for path in ("/v1/articles", "/v1/feeds"):
        first = await client.get(path)
        etags[path] = first.headers["etag"]
        assert first.status_code == 200 and etags[path].startswith('"')
        again = await client.get(path, headers={"If-None-Match": etags[path]})
        assert (again.status_code, again.content) == (304, b"")
        assert again.headers["etag"] == etags[path]
    newer = make_article(2)
    await store.articles.ingest(newer)
    await store.articles.index(newer, "f1")
    changed = await client.get("/v1/articles", headers={"If-None-Match": etags["/v1/articles"]})
    assert changed.status_code == 200 and changed.json()["items"][0]["id"] == newer.id
