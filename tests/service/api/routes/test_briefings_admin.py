"""Briefing administration on the real app and a real Redis: CRUD, auth, validation
problems, the version counter, and edits reaching every reader (lists, the page, feeds
out, another API process, and the running story stage)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import feedparser
import httpx
import pytest
from fastapi import FastAPI

from service.api.app import create_app
from service.api.briefing_lookup import BRIEFINGS_CHECK_EVERY
from service.api.http_protocol import ProblemHttpToolsProtocol
from service.config import BriefingConfig, load_config
from service.feed_url import MAX_URL_CHARS
from service.settings import Settings
from service.store import Store
from service.store.apikeys import create_api_key
from tests.factories import make_story, save_story
from tests.support.live_server import serve
from tests.support.newsroom import CONFIG, NOW, WORLD, Newsroom, rss
from workers.story_stage import StoryStage

ADMIN = {"Authorization": "Bearer sesame"}
STRIKES = {
    "id": "kharkiv-strikes",
    "title": "Strikes on Kharkiv",
    "description": "Attacks on the city and the oblast",
    "include": ["kharkiv", "strike*"],
    "exclude": ["football"],
    "languages": ["en", "uk"],
    "feeds": [],
    "places": ["UA", "Kharkiv"],
}


def app_for(store: Store, *, briefings_check_every: float = BRIEFINGS_CHECK_EVERY) -> FastAPI:
    # version_ttl=0: read-your-writes for the events version
    return create_app(
        Settings(admin_key="sesame", page_staleness=0),
        store,
        CONFIG,
        version_ttl=0,
        briefings_check_every=briefings_check_every,
    )


@pytest.fixture
async def admin(store: Store) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app_for(store))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


async def ids(client: httpx.AsyncClient) -> list[str]:
    return [b["id"] for b in (await client.get("/v1/briefings")).json()["items"]]


# --- auth ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/v1/briefings"), ("PUT", "/v1/briefings/world"),
     ("PATCH", "/v1/briefings/world"), ("DELETE", "/v1/briefings/world")],
)  # fmt: skip
async def test_every_write_needs_a_valid_admin_key(
    admin: httpx.AsyncClient, store: Store, method: str, path: str
) -> None:
    fields = {k: v for k, v in STRIKES.items() if k != "id"}
    body = {"POST": STRIKES, "DELETE": None}.get(method, fields)
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic c2VzYW1l"}):
        response = await admin.request(method, path, json=body, headers=headers)
        assert response.status_code == 401, (headers, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["www-authenticate"].startswith("Bearer")
    assert await ids(admin) == ["world", "ukraine"]  # nothing changed
    # A key made with `briefing keys create` (hashed at rest) works as well.
    key = await create_api_key(store, "editor")
    response = await admin.request(
        method, path, json=body, headers={"Authorization": f"Bearer {key}"}
    )
    assert response.status_code < 300, response.text


# --- CRUD and the version --------------------------------------------------------------


async def test_create_read_replace_patch_delete(admin: httpx.AsyncClient, store: Store) -> None:
    assert await ids(admin) == ["world", "ukraine"]  # the config seeded the store
    versions = [await store.briefings.version()]

    created = await admin.post("/v1/briefings", json=STRIKES, headers=ADMIN)
    assert created.status_code == 201, created.text
    assert created.headers["location"] == "/v1/briefings/kharkiv-strikes"
    assert created.json() == {**STRIKES, "story_count": 0}
    assert await ids(admin) == ["world", "ukraine", "kharkiv-strikes"]
    assert (await admin.get("/v1/briefings/kharkiv-strikes")).json()["title"] == STRIKES["title"]
    versions.append(await store.briefings.version())

    again = await admin.post("/v1/briefings", json={**STRIKES, "title": "x"}, headers=ADMIN)
    assert again.status_code == 409 and again.json()["detail"].startswith("id:")
    assert await store.briefings.version() == versions[-1]

    replaced = await admin.put(
        "/v1/briefings/kharkiv-strikes", json={"title": "Kharkiv", "include": ["kharkiv"]},
        headers=ADMIN,
    )  # fmt: skip
    assert replaced.status_code == 200
    assert replaced.json() == {
        "id": "kharkiv-strikes", "title": "Kharkiv", "description": "", "include": ["kharkiv"],
        "exclude": [], "languages": [], "feeds": [], "places": [], "story_count": 0,
    }  # fmt: skip
    versions.append(await store.briefings.version())

    patched = await admin.patch(
        "/v1/briefings/kharkiv-strikes",
        json={"description": "The city", "places": ["Kharkiv Oblast"]},
        headers=ADMIN,
    )
    assert patched.status_code == 200
    body = patched.json()
    assert (body["title"], body["include"]) == ("Kharkiv", ["kharkiv"])  # untouched
    assert (body["description"], body["places"]) == ("The city", ["Kharkiv Oblast"])
    assert (await admin.get("/v1/briefings/kharkiv-strikes")).json() == body
    versions.append(await store.briefings.version())

    made = await admin.put("/v1/briefings/odesa", json={"title": "Odesa"}, headers=ADMIN)
    assert made.status_code == 201 and made.json()["id"] == "odesa"
    versions.append(await store.briefings.version())

    assert (await admin.delete("/v1/briefings/kharkiv-strikes", headers=ADMIN)).status_code == 204
    versions.append(await store.briefings.version())
    assert await ids(admin) == ["world", "ukraine", "odesa"]
    gone = await admin.get("/v1/briefings/kharkiv-strikes")
    assert gone.status_code == 404 and gone.headers["content-type"] == "application/problem+json"
    for method in ("DELETE", "PATCH"):
        missing = await admin.request(
            method, "/v1/briefings/kharkiv-strikes", json={} if method == "PATCH" else None,
            headers=ADMIN,
        )  # fmt: skip
        assert missing.status_code == 404 and missing.json()["detail"].startswith("briefing_id:")
    assert await store.briefings.version() == versions[-1]  # failed writes bump nothing
    assert versions == sorted(set(versions)), versions


async def test_a_created_briefing_is_located_under_the_apps_root_path(store: Store) -> None:
    """Behind a proxy that mounts the API under a path (ASGI ``root_path``), the 201's
    ``Location`` names the new briefing under that path, as a client must request it
    (RFC 9110 §10.2.2), and following it reads the briefing."""
    transport = httpx.ASGITransport(app=app_for(store), root_path="/briefing")
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        created = await c.post("/briefing/v1/briefings", json=STRIKES, headers=ADMIN)
        assert created.status_code == 201, created.text
        assert created.headers["location"] == "/briefing/v1/briefings/kharkiv-strikes"
        read = await c.get(created.headers["location"])
    assert read.status_code == 200 and read.json()["id"] == "kharkiv-strikes"


async def test_writes_meet_their_preconditions(admin: httpx.AsyncClient, store: Store) -> None:
    # RFC 9110 §13.1.1-2: an origin server evaluates If-Match / If-None-Match before acting
    # and answers 412, writing nothing, when one is false.
    url = "/v1/briefings/kharkiv-strikes"
    fields = {k: v for k, v in STRIKES.items() if k != "id"}

    async def write(method: str, condition: dict[str, str], **body: Any) -> httpx.Response:
        return await admin.request(method, url, headers={**ADMIN, **condition}, **body)

    def problem_of(response: httpx.Response) -> str:
        assert response.status_code == 412, response.text
        assert response.json()["type"].endswith("/precondition-failed")
        return str(response.json()["detail"])

    # If-Match: * replaces only: no briefing, no write (PUT would have created it).
    assert "there is no briefing" in problem_of(await write("PUT", {"If-Match": "*"}, json=fields))
    assert await store.briefings.get("kharkiv-strikes") is None
    # If-None-Match: * creates only.
    assert (await write("PUT", {"If-None-Match": "*"}, json=fields)).status_code == 201
    renamed = {**fields, "title": "Renamed"}
    assert "exists" in problem_of(await write("PUT", {"If-None-Match": "*"}, json=renamed))
    assert (await write("PUT", {"If-Match": "*"}, json=renamed)).status_code == 200
    # A tag that is not the briefing's ETag matches nothing: no write of any kind.
    stale = {"If-Match": '"a-tag"'}
    for method, body in (("PUT", fields), ("PATCH", {"title": "Lost"}), ("DELETE", None)):
        assert "has changed" in problem_of(await write(method, stale, json=body))
    assert "exists" in problem_of(await write("PATCH", {"If-None-Match": "*"}, json=fields))
    assert "exists" in problem_of(await write("DELETE", {"If-None-Match": "*"}))
    kept = await store.briefings.get("kharkiv-strikes")
    assert kept is not None and kept.title == "Renamed"
    assert (await write("PATCH", {"If-Match": "*"}, json={"title": "Patched"})).status_code == 200
    # Without a valid key, or for no such briefing, the answer is what it would be
    # without the precondition (§13.2.1: a non-2xx answer ignores preconditions).
    anonymous = await admin.patch(url, json={"title": "x"}, headers={"If-Match": '"a-tag"'})
    assert anonymous.status_code == 401
    assert (await write("DELETE", {"If-Match": "*"})).status_code == 204
    for method in ("PATCH", "DELETE"):
        missing = await write(method, stale, json={"title": "x"} if method == "PATCH" else None)
        assert missing.status_code == 404, method


async def test_a_post_meets_the_preconditions_of_the_list_it_adds_to(
    admin: httpx.AsyncClient, store: Store
) -> None:
    # RFC 9110 §9.3.3, §13.1.1-2: a POST's target is the list, so If-Match and
    # If-None-Match compare the ETag GET /v1/briefings sends; evaluated before the create
    # (§13.2.1), so a stale list is a 412 even for an id that exists (409 without them).
    def created(response: httpx.Response) -> bool:
        return response.status_code == 201

    async def post(body: dict[str, Any], condition: dict[str, str]) -> httpx.Response:
        return await admin.post("/v1/briefings", json=body, headers={**ADMIN, **condition})

    listed = (await admin.get("/v1/briefings")).headers["etag"]
    stale = await post(STRIKES, {"If-Match": '"a-tag"'})
    assert stale.status_code == 412 and "has changed" in stale.json()["detail"]
    only_new = await post(STRIKES, {"If-None-Match": "*"})
    assert only_new.status_code == 412 and "PUT /v1/briefings/{id}" in only_new.json()["detail"]
    assert (await post(STRIKES, {"If-None-Match": listed})).status_code == 412  # unchanged
    assert await store.briefings.get("kharkiv-strikes") is None
    assert created(await post(STRIKES, {"If-Match": listed}))
    # The list changed with that create: its old ETag is stale for the next one.
    other = {**STRIKES, "id": "odesa", "title": "Odesa"}
    assert (await post(other, {"If-Match": listed})).status_code == 412
    assert (await post(other, {"If-Match": "W/" + listed})).status_code == 412  # weak: never
    now_listed = (await admin.get("/v1/briefings")).headers["etag"]
    assert (await post(STRIKES, {"If-Match": now_listed})).status_code == 409  # the id exists
    assert (await post(STRIKES, {"If-Match": "*"})).status_code == 409
    # A new story in any briefing changes the list's story_count, so its ETag.
    await save_story(store, make_story("st_new", briefings=("world",)))
    assert (await post(other, {"If-Match": now_listed})).status_code == 412
    assert created(await post(other, {"If-None-Match": now_listed}))
    assert await ids(admin) == ["world", "ukraine", "kharkiv-strikes", "odesa"]


async def test_a_write_with_the_etag_of_a_get_succeeds_until_the_briefing_changes(
    bbc: Newsroom, admin: httpx.AsyncClient, store: Store
) -> None:
    # RFC 9110 §13.1.1: If-Match compares the ETag a GET gave with the briefing's current
    # one (strong comparison); the body carries story_count, so a new story changes it.
    url = "/v1/briefings/world"
    got = await admin.get(url)
    etag = got.headers["etag"]
    assert got.status_code == 200 and got.json()["story_count"] > 20
    assert (await admin.get(url, headers={"If-None-Match": etag})).status_code == 304
    listed = await admin.get("/v1/briefings")
    again = await admin.get("/v1/briefings", headers={"If-None-Match": listed.headers["etag"]})
    assert again.status_code == 304

    patched = await admin.patch(url, json={"title": "One"}, headers={**ADMIN, "If-Match": etag})
    assert patched.status_code == 200, patched.text
    # The answer's ETag is the one GET now sends: a client can chain writes on it.
    assert patched.headers["etag"] == (await admin.get(url)).headers["etag"] != etag
    # The ETag read before that write is stale: nothing is written.
    lost = await admin.patch(url, json={"title": "Lost"}, headers={**ADMIN, "If-Match": etag})
    assert lost.status_code == 412 and "has changed" in lost.json()["detail"]
    # A weak tag never matches (§8.8.3.2), even over the same bytes.
    current = patched.headers["etag"]
    weak = await admin.patch(
        url, json={"title": "x"}, headers={**ADMIN, "If-Match": "W/" + current}
    )
    assert weak.status_code == 412
    assert (await store.briefings.get("world")) == replace(WORLD, title="One")

    # A new story in the briefing changes its story_count, so its ETag: a 412.
    published = rss("Wire", [("Quake strikes off the coast of Chile", "https://e.x/q", NOW)])
    assert await bbc.publish(published) > 0
    moved = await admin.put(url, json={"title": "Two"}, headers={**ADMIN, "If-Match": current})
    assert moved.status_code == 412, moved.text
    fresh = (await admin.get(url)).headers["etag"]
    assert fresh != current
    put = await admin.put(url, json={"title": "Two"}, headers={**ADMIN, "If-Match": fresh})
    assert put.status_code == 200, put.text
    # If-None-Match with the current tag asks that it changed: it has not, 412.
    unchanged = {**ADMIN, "If-None-Match": put.headers["etag"]}
    assert (await admin.delete(url, headers=unchanged)).status_code == 412
    assert (await admin.delete(url, headers={**ADMIN, "If-Match": fresh})).status_code == 412
    gone = await admin.delete(url, headers={**ADMIN, "If-Match": put.headers["etag"]})
    assert gone.status_code == 204
    assert await store.briefings.get("world") is None


async def test_the_list_etag_changes_with_an_edit_and_with_a_new_story(
    bbc: Newsroom, admin: httpx.AsyncClient
) -> None:
    # GET /v1/briefings carries every briefing's fields and story_count: a client
    # revalidating the list must not get a 304 after either changed.
    tags = [(await admin.get("/v1/briefings")).headers["etag"]]
    edited = await admin.patch("/v1/briefings/world", json={"title": "One"}, headers=ADMIN)
    assert edited.status_code == 200
    tags.append((await admin.get("/v1/briefings")).headers["etag"])
    published = rss("Wire", [("Quake strikes off the coast of Chile", "https://e.x/q", NOW)])
    assert await bbc.publish(published) > 0
    listed = await admin.get("/v1/briefings", headers={"If-None-Match": ", ".join(tags)})
    assert listed.status_code == 200 and listed.headers["etag"] not in tags
    assert len(set(tags)) == 2


async def test_edits_survive_a_restart_with_the_config_file(store: Store) -> None:
    first = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app_for(store)), base_url="http://t"
    )
    async with first:
        await first.delete("/v1/briefings/world", headers=ADMIN)
    second = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app_for(store)), base_url="http://t"
    )
    async with second:  # a new process with the same config file: Redis wins
        assert await ids(second) == ["ukraine"]


async def test_another_api_process_sees_an_edit(admin: httpx.AsyncClient, store: Store) -> None:
    other_app = app_for(store, briefings_check_every=0.0)  # the 1 s check, without waiting
    other = httpx.AsyncClient(transport=httpx.ASGITransport(app=other_app), base_url="http://t")
    async with other:
        assert await ids(other) == ["world", "ukraine"]
        await admin.patch("/v1/briefings/world", json={"title": "Everything"}, headers=ADMIN)
        assert (await other.get("/v1/briefings/world")).json()["title"] == "Everything"
        await admin.delete("/v1/briefings/ukraine", headers=ADMIN)
        assert (await other.get("/v1/briefings/ukraine/timeline")).status_code == 404
        assert await ids(other) == ["world"]


async def gets(store: Store) -> int:
    stats = await store.redis.info("commandstats")
    return int(stats.get("cmdstat_get", {}).get("calls", 0))


async def test_readers_do_not_read_the_briefings_per_request(
    admin: httpx.AsyncClient, store: Store
) -> None:
    """The briefings version is read at most once per second per process, not per
    request: 50 lookups cost at most two GETs (one if no second boundary is crossed)."""
    assert (await admin.get("/v1/briefings/world")).status_code == 200  # first load
    before = await gets(store)
    for _ in range(50):
        assert (await admin.get("/v1/briefings/world")).status_code == 200
    assert await gets(store) - before <= 2


# --- validation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "field", "says"),
    [
        ({"id": "Kharkiv_Strikes"}, "id", "pattern"),
        ({"id": ""}, "id", ""),
        ({"title": "   "}, "title", ""),
        ({"include": ["*"]}, "include.0", "match everything"),
        ({"include": ["fo*o"]}, "include.0", "'*' may only end"),
        ({"exclude": ["ok", "  "]}, "exclude.1", "blank"),
        ({"languages": ["xx"]}, "languages.0", "ISO 639-1"),
        ({"languages": ["ukr"]}, "languages.0", "pattern"),
        ({"feeds": ["ftp://a.example/rss"]}, "feeds.0", "http"),
        ({"feeds": ["kyiv independent"]}, "feeds.0", "http"),
        ({"places": ["Atlantis"]}, "places.0", "gazetteer"),
        ({"places": ["Britain"]}, "places.0", "United Kingdom"),
        ({"places": ["XX"]}, "places.0", "alpha-2"),
        ({"titel": "typo"}, "titel", "Extra inputs"),
        ({"include": "kharkiv"}, "include", "list"),
        # Control characters (a client's encoding bug) anywhere; a description's lines
        # may break, nothing else.
        ({"title": "Kharkiv\x00"}, "title", "'\\x00' at position 7: no control characters"),
        ({"description": "a\nb\x1b[31m"}, "description", "'\\x1b' at position 3"),
        ({"include": ["kharkiv\x85"]}, "include.0", "'\\x85' at position 7"),
        ({"places": ["Kharkiv\x7f"]}, "places.0", "no control characters"),
        ({"feeds": ["http://\x00/"]}, "feeds.0", "'\\x00' at position 7"),
        ({"feeds": ["https://a.example/r ss"]}, "feeds.0", "' ' at position 19"),
    ],
)
async def test_bad_input_is_422_naming_the_field(
    admin: httpx.AsyncClient, store: Store, change: dict[str, Any], field: str, says: str
) -> None:
    version = await store.briefings.version()
    response = await admin.post("/v1/briefings", json={**STRIKES, **change}, headers=ADMIN)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert [e["field"] for e in problem["errors"]] == [field]
    assert says in problem["errors"][0]["message"]
    assert await store.briefings.version() == version
    patch = {k: v for k, v in change.items() if k != "id"}
    if patch:  # PATCH applies the same rules to the fields it is given
        patched = await admin.patch("/v1/briefings/world", json=patch, headers=ADMIN)
        assert patched.status_code == 422
        assert [e["field"] for e in patched.json()["errors"]] == [field]


async def test_a_422_message_is_our_validators_sentence_without_pydantics_prefix(
    admin: httpx.AsyncClient,
) -> None:
    response = await admin.post("/v1/briefings", json={**STRIKES, "include": ["*"]}, headers=ADMIN)
    assert response.status_code == 422
    said = "must contain a word ('*' alone would match everything)"
    assert response.json()["errors"][0]["message"] == said
    assert response.json()["detail"] == f"include.0: {said}"


async def test_patch_null_resets_a_field_but_not_the_title(admin: httpx.AsyncClient) -> None:
    await admin.put("/v1/briefings/odesa", json={**STRIKES, "id": "odesa"}, headers=ADMIN)
    cleared = await admin.patch(
        "/v1/briefings/odesa", json={"places": None, "description": None}, headers=ADMIN
    )
    assert cleared.status_code == 200
    body = cleared.json()
    assert (body["places"], body["description"]) == ([], "")
    assert body["include"] == STRIKES["include"]  # not sent: kept
    untitled = await admin.patch("/v1/briefings/odesa", json={"title": None}, headers=ADMIN)
    assert untitled.status_code == 422
    assert [e["field"] for e in untitled.json()["errors"]] == ["title"]


async def test_put_body_id_must_match_the_path_and_path_id_is_a_slug(
    admin: httpx.AsyncClient,
) -> None:
    response = await admin.put("/v1/briefings/world", json=STRIKES, headers=ADMIN)
    assert response.status_code == 422 and response.json()["detail"].startswith("id:")
    bad = await admin.put("/v1/briefings/Not%20A%20Slug", json={"title": "x"}, headers=ADMIN)
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["briefing_id"]
    not_json = await admin.post(
        "/v1/briefings", content=b"{", headers={**ADMIN, "content-type": "application/json"}
    )
    assert not_json.status_code == 400


# Bodies of a POST that no briefing comes from: an id past its 64 characters, of another
# script, with a NUL; bytes that are no UTF-8; JSON nested past the parser's recursion.
HOSTILE_POSTS = [
    ("id", json.dumps({**STRIKES, "id": "x" * 10_000}).encode(), 422),
    ("id", json.dumps({**STRIKES, "id": "харків"}).encode(), 422),
    ("id", json.dumps({**STRIKES, "id": "a\u0000b"}).encode(), 422),
    ("utf-8", b'{"id": "\xff\xfe", "title": "x"}', 400),
    ("depth", b"[" * 50_000 + b"]" * 50_000, 400),
]


async def test_hostile_posts_get_a_4xx_problem_and_no_location_over_http(store: Store) -> None:
    """Over a real socket and the service's own HTTP protocol: each hostile body is a 4xx
    problem without ``Location``, the briefings' version unmoved; the valid POST after
    them is located at its id."""
    version = await store.briefings.version()
    headers = {**ADMIN, "content-type": "application/json"}
    server = serve(app_for(store), http=ProblemHttpToolsProtocol)
    async with server as base, httpx.AsyncClient(base_url=base) as http:
        for what, body, status in HOSTILE_POSTS:
            response = await http.post("/v1/briefings", content=body, headers=headers)
            assert response.status_code == status, (what, response.text[:300])
            assert response.headers["content-type"] == "application/problem+json", what
            assert "location" not in response.headers, what
        assert await store.briefings.version() == version
        created = await http.post("/v1/briefings", json=STRIKES, headers=ADMIN)
    assert created.status_code == 201
    assert created.headers["location"] == "/v1/briefings/kharkiv-strikes"


# --- readers follow edits: page, feeds out, the running story stage --------------------


async def test_page_and_feeds_out_reflect_edits_and_404_after_delete(
    bbc: Newsroom, admin: httpx.AsyncClient
) -> None:
    assert "<h1>World news</h1>" in (await admin.get("/briefings/world")).text
    atom = feedparser.parse((await admin.get("/v1/briefings/world/timeline.atom")).content)
    assert atom.feed.title.startswith("World news") or "World news" in atom.feed.title

    await admin.patch("/v1/briefings/world", json={"title": "Whole world"}, headers=ADMIN)
    assert "<h1>Whole world</h1>" in (await admin.get("/briefings/world")).text
    atom = feedparser.parse((await admin.get("/v1/briefings/world/timeline.atom")).content)
    assert "Whole world" in atom.feed.title
    feed = (await admin.get("/v1/briefings/world/timeline.json")).json()
    assert "Whole world" in feed["title"]

    assert (await admin.delete("/v1/briefings/world", headers=ADMIN)).status_code == 204
    for path in ("/briefings/world", "/v1/briefings/world", "/v1/briefings/world/timeline",
                 "/v1/briefings/world/timeline.atom", "/v1/briefings/world/timeline.json",
                 "/v1/briefings/world/stream"):  # fmt: skip
        response = await admin.get(path)
        assert response.status_code == 404, path
    assert await ids(admin) == ["ukraine"]
    # Stories keep their tag, so re-creating the id brings its timeline back.
    await admin.post("/v1/briefings", json={"id": "world", "title": "Again"}, headers=ADMIN)
    assert (await admin.get("/v1/briefings/world")).json()["story_count"] > 20


async def test_running_story_stage_tags_articles_after_an_edit(
    room: Newsroom, admin: httpx.AsyncClient, store: Store
) -> None:
    stage = room.process.stories
    assert isinstance(stage, StoryStage)
    stage.briefings.every = 0.0  # its 1 s version check, without sleeping in the test
    first = rss("Wire", [("Drones seen over Copenhagen airport halt all flights",
                          "https://wire.example/1", NOW - timedelta(minutes=5))])  # fmt: skip
    assert await room.publish(first, name="Wire") == 1
    (before,) = await store.redis.zrange(store.keys.stories_by("updated"), 0, -1)

    created = await admin.post(
        "/v1/briefings", json={"id": "drones", "title": "Drones", "include": ["drone*"]},
        headers=ADMIN,
    )  # fmt: skip
    assert created.status_code == 201
    second = rss("Farm news", [("Kenyan farmers turn to drones to spray their maize crops",
                                "https://farm.example/2", NOW)])  # fmt: skip
    assert await room.publish(second, name="Farm news") == 1
    assert [m.id for m in stage.matchers] == ["world", "ukraine", "drones"]

    timeline = (await admin.get("/v1/briefings/drones/timeline")).json()["items"]
    assert [s["headline"] for s in timeline] == [
        "Kenyan farmers turn to drones to spray their maize crops"
    ]
    assert timeline[0]["id"] != before and "drones" in timeline[0]["briefings"]
    # No retroactive tagging: the story stored before the edit stays out of it.
    old = await store.stories.get(before)
    assert old is not None and "drones" not in old.briefings

    await admin.delete("/v1/briefings/drones", headers=ADMIN)
    third = rss("Third", [("Police drones to patrol the Berlin marathon",
                           "https://third.example/3", NOW + timedelta(minutes=1))])  # fmt: skip
    await room.publish(third, name="Third")
    assert [m.id for m in stage.matchers] == ["world", "ukraine"]
    assert len(await room.story_ids("drones")) == 1  # the deleted briefing's index stays


def test_briefing_config_is_what_the_api_stores() -> None:
    # The admin API writes the BriefingConfig fields, nothing more: a new field in the
    # config must be added to the API models too (this test names the place to look).
    assert set(BriefingConfig.__dataclass_fields__) == set(STRIKES)


async def test_a_briefing_names_a_feed_by_the_longest_url_a_feed_may_have(
    admin: httpx.AsyncClient, tmp_path: Path
) -> None:
    """``POST /v1/feeds`` takes a URL of ``MAX_URL_CHARS``: a briefing's ``feeds`` filter
    takes the same URL, through the API as through the config file."""
    url = "https://a.example/" + "f" * (MAX_URL_CHARS - len("https://a.example/"))
    added = await admin.post("/v1/feeds", json={"url": url}, headers=ADMIN)
    assert added.status_code == 201, added.text
    created = await admin.post("/v1/briefings", json={**STRIKES, "feeds": [url]}, headers=ADMIN)
    assert created.status_code == 201, created.text
    assert created.json()["feeds"] == [url]
    over = await admin.post(
        "/v1/briefings", json={**STRIKES, "id": "over", "feeds": [url + "f"]}, headers=ADMIN
    )
    assert over.status_code == 422
    assert [e["field"] for e in over.json()["errors"]] == ["feeds.0"]
    config = tmp_path / "feeds.toml"
    config.write_text(f'[[briefings]]\nid = "x"\ntitle = "X"\nfeeds = ["{url}"]\n')
    assert load_config(config).briefings[0].feeds == (url,)
