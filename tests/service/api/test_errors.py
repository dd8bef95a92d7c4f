"""Problem documents (RFC 9457) for what goes wrong, with the status RFC 9110 names;
against the shared test Redis, and against a Redis of the test's own, stopped or full."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from service.api.app import create_app
from service.settings import Settings
from service.store import Store
from tests.factories import make_story, save_story
from tests.support.newsroom import CONFIG
from tests.support.redis_server import RedisServer

ADMIN = {"Authorization": "Bearer sesame"}
SPORT = {"id": "sport", "title": "Sport"}


@pytest.mark.parametrize("path", ["/v1/feeds", "/v1/subscriptions", "/v1/briefings"])
async def test_a_body_that_is_not_json_is_a_400_problem(store: Store, path: str) -> None:
    # RFC 9110 §15.5.1: 400 for a malformed request; 422 (§15.5.21) would say the
    # content's syntax was correct. RFC 9457 §3.1: type, title, status, detail.
    app = create_app(Settings(admin_key="sesame"), store, CONFIG)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        response = await client.post(
            path, content=b'{"url": ', headers={**ADMIN, "content-type": "application/json"}
        )
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "https://live-briefing.dev/problems/invalid-json"
    assert (body["title"], body["status"]) == ("Bad Request", 400)
    assert body["detail"].startswith("body: not JSON (")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        # RFC 8259 §8.1: JSON exchanged between systems is UTF-8. Latin-1 "é" is not.
        (b'{"url": "https://news.example.org/caf\xe9"}', "not UTF-8 (RFC 8259 §8.1)"),
        # Deeper than the parser's recursion: no syntax error, yet nothing it can read.
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ],
    ids=["latin-1", "deep"],
)
async def test_a_body_that_cannot_be_read_as_json_is_the_documented_400(
    store: Store, content: bytes, reason: str
) -> None:
    # docs/api.md: "a JSON body that does not parse is a 400, type ending invalid-json";
    # FastAPI answers these two with its own bare 400 "There was an error parsing the body".
    app = create_app(Settings(admin_key="sesame"), store, CONFIG)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        headers = {"content-type": "application/json"}
        response = await client.post("/v1/feeds", content=content, headers={**ADMIN, **headers})
        anonymous = await client.post("/v1/feeds", content=content, headers=headers)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "https://live-briefing.dev/problems/invalid-json"
    assert (body["title"], body["status"]) == ("Bad Request", 400)
    assert body["detail"].startswith(f"body: not JSON ({reason}")
    # Without a key, only that (as for any other malformed body): nothing about the input.
    assert anonymous.status_code == 401


@pytest.mark.parametrize(
    ("method", "path", "content_type", "sent"),
    [
        # what `curl -d` sends without -H
        (
            "POST",
            "/v1/feeds",
            "application/x-www-form-urlencoded",
            "application/x-www-form-urlencoded",
        ),
        ("POST", "/v1/subscriptions", "text/plain; charset=utf-8", "text/plain"),
        ("PATCH", "/v1/briefings/world", None, "no Content-Type"),
    ],
)
async def test_a_json_body_sent_as_another_media_type_is_a_415_naming_json(
    store: Store, method: str, path: str, content_type: str | None, sent: str
) -> None:
    # RFC 9110 §15.5.16: 415 when the content is in a format the resource does not take.
    app = create_app(Settings(admin_key="sesame"), store, CONFIG)
    transport = httpx.ASGITransport(app=app)
    headers = dict(ADMIN)
    if content_type is not None:
        headers["content-type"] = content_type
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        response = await client.request(
            method, path, content=b'{"url": "https://news.example.org/rss"}', headers=headers
        )
    assert response.status_code == 415
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "https://live-briefing.dev/problems/unsupported-media-type"
    assert body["detail"] == (f"body: send JSON with Content-Type: application/json (got {sent})")
    # RFC 5789 §3.1: a PATCH's 415 names the patch formats the resource accepts.
    assert response.headers.get("accept-patch") == (
        "application/json" if method == "PATCH" else None
    )


@pytest.mark.parametrize(
    "content_type", ["application/json; charset=utf-8", "application/feed+json"]
)
async def test_json_media_types_with_parameters_or_a_suffix_are_read_as_json(
    store: Store, content_type: str
) -> None:
    app = create_app(Settings(admin_key="sesame"), store, CONFIG)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        response = await client.post(
            "/v1/feeds",
            content=b'{"url": "https://news.example.org/rss"}',
            headers={**ADMIN, "content-type": content_type},
        )
    assert response.status_code == 201, response.text


async def test_a_missing_body_is_still_a_422_naming_it(store: Store) -> None:
    app = create_app(Settings(admin_key="sesame"), store, CONFIG)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        response = await client.post("/v1/feeds", headers=ADMIN)
    assert response.status_code == 422
    assert response.json()["errors"][0]["in"] == "body"


NEW_FEED = {"url": "https://news.example.org/rss"}


@pytest.fixture
async def client(server_store: Store) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(Settings(admin_key="sesame", page_staleness=0), server_store, version_ttl=0)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        yield c


def assert_store_unavailable(response: httpx.Response, detail: str) -> None:
    assert response.status_code == 503
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"] == "5"
    problem = response.json()
    assert problem["type"].endswith("/storage-unavailable")
    assert detail in problem["detail"]


async def test_redis_stopped_is_a_503_to_retry_and_then_served_again(
    client: httpx.AsyncClient, redis_server: RedisServer
) -> None:
    assert (await client.get("/v1/articles")).status_code == 200
    await redis_server.kill()
    for path in ("/v1/articles", "/v1/feeds", "/v1/briefings"):
        assert_store_unavailable(await client.get(path), "unreachable")
    assert_store_unavailable(await client.post("/v1/feeds", json=NEW_FEED, headers=ADMIN), "")
    await redis_server.start()
    assert (await client.get("/v1/articles")).status_code == 200


async def test_redis_out_of_memory_is_a_503_and_writes_nothing(
    client: httpx.AsyncClient, server_store: Store
) -> None:
    await server_store.redis.config_set("maxmemory", 1)
    try:
        refused = await client.post("/v1/feeds", json=NEW_FEED, headers=ADMIN)
        assert_store_unavailable(refused, "storage is full")
        assert await server_store.redis.dbsize() == 0
    finally:
        await server_store.redis.config_set("maxmemory", 0)
    created = await client.post("/v1/feeds", json=NEW_FEED, headers=ADMIN)
    assert created.status_code == 201
    listed = (await client.get("/v1/feeds")).json()["items"]
    assert [feed["url"] for feed in listed] == [NEW_FEED["url"]]


async def test_an_api_started_while_redis_is_full_serves_briefings_and_stories(
    server_store: Store,
) -> None:
    """Redis at ``maxmemory`` refuses MULTI even around reads: the story read (header and
    members) and the briefings read (list, order, version) run without it, so an API
    process started while Redis is full serves both."""
    story = make_story("st_full", "Storm floods the northern coast", briefings=("world",))
    await save_story(server_store, story)
    await server_store.briefings.seed(CONFIG.briefings)
    await server_store.redis.config_set("maxmemory", 1)
    try:
        app = create_app(Settings(), server_store, CONFIG)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            briefings = await client.get("/v1/briefings")
            read = await client.get("/v1/stories/st_full")
            timeline = await client.get("/v1/briefings/world/timeline")
    finally:
        await server_store.redis.config_set("maxmemory", 0)
    assert briefings.status_code == 200
    assert [b["id"] for b in briefings.json()["items"]] == ["world", "ukraine"]
    assert read.status_code == 200 and read.json()["headline"] == story.headline
    assert [s["id"] for s in timeline.json()["items"]] == ["st_full"]


async def test_an_api_started_on_a_never_written_store_while_redis_is_full_reads_the_config(
    server_store: Store,
) -> None:
    """Nothing was ever written and Redis is full: the briefings cannot be seeded. Reads
    serve the config file's briefings (empty timelines) while /readyz says degraded; a
    briefing write is the 503 naming the cause; once Redis takes writes, that write
    seeds first, so the config's briefings are not lost to it."""
    await server_store.redis.config_set("maxmemory", 1)
    try:
        app = create_app(Settings(admin_key="sesame"), server_store, CONFIG)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
            briefings = await client.get("/v1/briefings")
            one = await client.get("/v1/briefings/world")
            timeline = await client.get("/v1/briefings/world/timeline")
            page = await client.get("/briefings/world")
            ready = await client.get("/readyz")
            refused = await client.post("/v1/briefings", json=SPORT, headers=ADMIN)
            assert await server_store.redis.dbsize() == 0
            await server_store.redis.config_set("maxmemory", 0)
            created = await client.post("/v1/briefings", json=SPORT, headers=ADMIN)
            after = await client.get("/v1/briefings")
    finally:
        await server_store.redis.config_set("maxmemory", 0)
    assert briefings.status_code == 200
    assert [b["id"] for b in briefings.json()["items"]] == ["world", "ukraine"]
    assert one.status_code == 200 and one.json()["story_count"] == 0
    assert timeline.status_code == 200 and timeline.json()["items"] == []
    assert page.status_code == 200
    assert ready.json()["status"] == "degraded"
    assert_store_unavailable(refused, "storage is full (Redis maxmemory reached)")
    assert created.status_code == 201
    assert [b["id"] for b in after.json()["items"]] == ["world", "ukraine", "sport"]


async def test_redis_unable_to_write_to_disk_is_a_503_that_says_so(
    client: httpx.AsyncClient, server_store: Store, redis_server: RedisServer
) -> None:
    await redis_server.fail_persistence(server_store.redis)
    refused = await client.post("/v1/feeds", json=NEW_FEED, headers=ADMIN)
    assert_store_unavailable(refused, "storage cannot write to disk (Redis MISCONF")
    assert (await client.get("/v1/feeds")).status_code == 200  # reads are served
    await redis_server.restore_persistence(server_store.redis)
    assert (await client.post("/v1/feeds", json=NEW_FEED, headers=ADMIN)).status_code == 201


async def test_redis_become_a_read_only_replica_is_a_503_that_says_so(
    client: httpx.AsyncClient, server_store: Store
) -> None:
    # A replica of a primary that is not there (port 1 refuses): it keeps its data, serves
    # reads and refuses writes with READONLY, as REDIS_URL naming a replica would.
    await server_store.redis.execute_command("REPLICAOF", "127.0.0.1", "1")
    try:
        refused = await client.post("/v1/feeds", json=NEW_FEED, headers=ADMIN)
        assert_store_unavailable(refused, "storage is a read-only replica (Redis READONLY")
        assert (await client.get("/v1/feeds")).status_code == 200  # reads are served
    finally:
        await server_store.redis.execute_command("REPLICAOF", "NO", "ONE")
    assert (await client.post("/v1/feeds", json=NEW_FEED, headers=ADMIN)).status_code == 201
