"""Feed administration, OPML, CORS and the request-size limit, on a real Redis."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from xml.etree import ElementTree

import httpx
import pytest

from service.api.app import create_app
from service.models import FeedState
from service.opml import read_subscriptions
from service.settings import Settings
from service.store import Store
from service.store.feeds import FeedStore, StoredFeed

ADMIN = {"Authorization": "Bearer sesame"}
OPML = b"""<?xml version="1.0"?>
<opml version="2.0"><head><title>mine</title></head><body>
  <outline text="News"><outline type="rss" text="A" xmlUrl="https://a.example/rss"/></outline>
  <outline type="rss" title="B" xmlUrl="https://b.example/atom"/>
  <outline type="rss" text="Local" xmlUrl="http://127.0.0.1/feed"/>
  <outline text="folder without a feed"/>
</body></opml>"""


@pytest.fixture
async def client(store: Store) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(admin_key="sesame", cors_origins=["https://newsroom.example"],
                        max_request_bytes=4096)  # fmt: skip
    app = create_app(settings, store)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        yield c


async def test_add_pause_resume_poll_remove(client: httpx.AsyncClient, store: Store) -> None:
    body = {"url": "https://a.example/rss", "name": "A", "country": "UA", "language": "uk"}
    assert (await client.post("/v1/feeds", json=body)).status_code == 401
    created = await client.post("/v1/feeds", json=body, headers=ADMIN)
    assert created.status_code == 201
    feed = created.json()
    assert (feed["url"], feed["name"], feed["paused"]) == ("https://a.example/rss", "A", False)
    paused = await client.post(f"/v1/feeds/{feed['id']}/pause", headers=ADMIN)
    assert paused.json()["paused"] is True
    resumed = await client.post(f"/v1/feeds/{feed['id']}/resume", headers=ADMIN)
    assert resumed.json()["paused"] is False
    assert (await client.post(f"/v1/feeds/{feed['id']}/poll", headers=ADMIN)).status_code == 202
    assert (await client.delete(f"/v1/feeds/{feed['id']}", headers=ADMIN)).status_code == 204
    assert await store.feeds.ids() == []
    missing = await client.post("/v1/feeds/nope/pause", headers=ADMIN)
    assert missing.status_code == 404 and missing.json()["detail"].startswith("feed_id:")


@pytest.mark.parametrize("conditions", [{}, {"If-Match": "*"}])
async def test_an_add_names_the_feed_it_created_and_an_update_creates_nothing(
    client: httpx.AsyncClient, store: Store, conditions: dict[str, str]
) -> None:
    """RFC 9110 §15.3.2: a 201 names what it created in ``Location`` (without one it
    would name its target, the list); a POST of a feed that exists updates its
    settings, which creates nothing: a 200."""
    body = {"url": "https://a.example/rss", "name": "A"}
    created = await client.post("/v1/feeds", json=body, headers=ADMIN | conditions)
    assert created.status_code == 201
    assert created.headers["location"] == f"/v1/feeds/{created.json()['id']}"
    updated = await client.post(
        "/v1/feeds", json=body | {"name": "A desk"}, headers=ADMIN | conditions
    )
    assert updated.status_code == 200 and "location" not in updated.headers
    assert (updated.json()["id"], updated.json()["name"]) == (created.json()["id"], "A desk")
    assert (await client.delete(created.headers["location"], headers=ADMIN)).status_code == 204
    assert await store.feeds.ids() == []


async def test_next_poll_says_when_the_feed_is_due_from_its_adding_on(
    client: httpx.AsyncClient, store: Store
) -> None:
    created = await client.post("/v1/feeds", json={"url": "https://a.example/rss"}, headers=ADMIN)
    feed = created.json()
    assert feed["next_poll"] is not None  # polled right away, not "unknown"
    [listed] = (await client.get("/v1/feeds")).json()["items"]
    assert listed["next_poll"] == feed["next_poll"]
    planned = datetime(2100, 1, 1, tzinfo=UTC)  # what a poll planned, far off
    state = FeedState(url="https://a.example/rss", last_status=200, next_poll=planned)
    await store.feeds.record_poll(feed["id"], state)
    [listed] = (await client.get("/v1/feeds")).json()["items"]
    assert listed["next_poll"] == "2100-01-01T00:00:00Z"
    polled = (await client.post(f"/v1/feeds/{feed['id']}/poll", headers=ADMIN)).json()
    assert polled["next_poll"] < "2100"  # due now, as the 202 says
    [listed] = (await client.get("/v1/feeds")).json()["items"]
    assert listed["next_poll"] == polled["next_poll"]


async def test_remove_removes_the_feed_asked_for_when_another_moved_to_its_url(
    client: httpx.AsyncClient, store: Store
) -> None:
    new = "https://new.example/rss"
    ids = [(await client.post("/v1/feeds", json={"url": f"https://old{n}.example/rss"},
                              headers=ADMIN)).json()["id"] for n in (1, 2)]  # fmt: skip
    for feed_id in ids:  # both answered 301 to the same URL (aliases of one document)
        await store.feeds.record_poll(feed_id, FeedState(url=new, moved_to=new, last_status=301))
    assert (await client.delete(f"/v1/feeds/{ids[0]}", headers=ADMIN)).status_code == 204
    assert await store.feeds.ids() == [ids[1]]
    assert await store.feeds.get(ids[0]) is None
    # The URL's key named the feed that moved last; it still does.
    kept = await store.feeds.by_url(new)
    assert kept is not None and kept.id == ids[1]
    assert (await client.delete(f"/v1/feeds/{ids[1]}", headers=ADMIN)).status_code == 204
    assert await store.feeds.ids() == [] and await store.feeds.by_url(new) is None


@pytest.mark.parametrize(
    ("body", "field"),
    [({"url": "ftp://a.example/x"}, "url"), ({"url": "https://a.example/", "country": "ukr"},
                                               "country")],
    ids=["scheme", "country"],
)  # fmt: skip
async def test_bad_feed_is_422_naming_the_field(
    client: httpx.AsyncClient, body: dict[str, str], field: str
) -> None:
    response = await client.post("/v1/feeds", json=body, headers=ADMIN)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]


async def test_loopback_feed_is_refused(client: httpx.AsyncClient) -> None:
    response = await client.post("/v1/feeds", json={"url": "http://127.0.0.1/feed"}, headers=ADMIN)
    assert response.status_code == 400 and "loopback" in response.json()["detail"]


async def test_opml_import_then_export_round_trip(client: httpx.AsyncClient) -> None:
    imported = await client.post("/v1/feeds.opml", content=OPML, headers=ADMIN)
    assert imported.status_code == 200
    report = imported.json()
    assert (report["added"], report["updated"]) == (2, 0)
    assert len(report["refused"]) == 1 and "127.0.0.1" in report["refused"][0]
    again = (await client.post("/v1/feeds.opml", content=OPML, headers=ADMIN)).json()
    assert (again["added"], again["updated"]) == (0, 2)
    exported = await client.get("/v1/feeds.opml")
    assert exported.headers["content-type"].startswith("text/x-opml")
    root = ElementTree.fromstring(exported.content)
    assert root.get("version") == "2.0"
    outlines = {o.get("xmlUrl"): o.get("title") for o in root.iter("outline")}
    assert outlines == {"https://a.example/rss": "A", "https://b.example/atom": "B"}


async def test_urls_with_masked_credentials_are_refused_not_polled_with_them(
    client: httpx.AsyncClient, store: Store
) -> None:
    private = {"url": "https://reader:s3cr3t@a.example/rss?api_key=k", "name": "Private"}
    assert (await client.post("/v1/feeds", json=private, headers=ADMIN)).status_code == 201
    exported = (await client.get("/v1/feeds.opml")).content
    assert b"s3cr3t" not in exported and b"https://***@a.example/rss?api_key=***" in exported
    await client.delete(f"/v1/feeds/{(await store.feeds.page(after=None, limit=1))[0][0].id}",
                        headers=ADMIN)  # fmt: skip
    report = (await client.post("/v1/feeds.opml", content=exported, headers=ADMIN)).json()
    assert (report["added"], report["updated"]) == (0, 0)
    assert report["refused"] == [
        "https://***@a.example/rss?api_key=***: its credentials are masked (***), as feed "
        "listings and the OPML export show them: add the feed with its real credentials"
    ]
    copied = await client.post("/v1/feeds", json={"url": "https://***@a.example/rss"},
                               headers=ADMIN)  # fmt: skip
    assert copied.status_code == 400 and "masked" in copied.json()["detail"]
    assert await store.feeds.page(after=None, limit=10) == ([], None)


async def test_opml_import_refuses_urls_no_poll_could_fetch(
    client: httpx.AsyncClient, store: Store
) -> None:
    # An attribute keeps a newline only as a character reference (XML 1.0 §3.3.3).
    opml = b"""<opml version="2.0"><body>
    <outline text="space" xmlUrl="http://exa mple.com/feed"/>
    <outline text="newline" xmlUrl="http://example.com/feed&#10;Host: x"/>
    <outline text="port" xmlUrl="http://example.com:0/feed"/>
    </body></opml>"""
    report = (await client.post("/v1/feeds.opml", content=opml, headers=ADMIN)).json()
    assert report["added"] == 0 and len(report["refused"]) == 3
    assert await store.feeds.page(after=None, limit=10) == ([], None)


async def test_opml_import_judges_each_feed_as_one_added_alone(
    client: httpx.AsyncClient, store: Store, fake_dns: dict[str, list[str]]
) -> None:
    fake_dns.update({"inside.test": ["10.0.0.7"], "later.test": []})
    opml = b"""<opml version="2.0"><body>
    <outline text="inside" xmlUrl="https://inside.test/rss"/>
    <outline text="not resolving yet" xmlUrl="https://later.test/rss"/>
    <outline text="A" xmlUrl="https://a.example/rss"/>
    <outline text="A again" xmlUrl="https://A.example:443/rss"/>
    </body></opml>"""
    report = (await client.post("/v1/feeds.opml", content=opml, headers=ADMIN)).json()
    assert report == {
        "added": 2,
        "updated": 1,  # the second spelling of a.example's feed
        "refused": ["https://inside.test/rss: refused: inside.test resolves to 10.0.0.7, "
                    "a private address"],
    }  # fmt: skip
    feeds, _cursor = await store.feeds.page(after=None, limit=10)
    assert sorted(f.config.url for f in feeds) == [
        "https://a.example/rss",
        "https://later.test/rss",
    ]


async def test_opml_export_names_the_site_a_poll_found(
    client: httpx.AsyncClient, store: Store
) -> None:
    await client.post("/v1/feeds.opml", content=OPML, headers=ADMIN)
    feed = await store.feeds.by_url("https://a.example/rss")
    assert feed is not None
    polled = dataclasses.replace(feed.state, site_url="https://a.example/")
    await store.feeds.record_poll(feed.id, polled)
    root = ElementTree.fromstring((await client.get("/v1/feeds.opml")).content)
    sites = {o.get("xmlUrl"): o.get("htmlUrl") for o in root.iter("outline")}
    # Only a feed that was polled has a site; none is invented for the other.
    assert sites == {"https://a.example/rss": "https://a.example/", "https://b.example/atom": None}


async def test_opml_export_is_well_formed_whatever_a_feed_calls_itself(
    client: httpx.AsyncClient, store: Store
) -> None:
    """A feed's own title can hold characters XML 1.0 cannot (a JSON Feed's "\\u0001", a
    control character a lenient parse kept): the export drops them (XML 1.0 §2.2), or
    one such feed would make a reader refuse the whole file. A title of nothing else
    leaves the feed named by its URL, as a feed without a title is."""
    titles = {
        "https://a.example/rss": "Desk\x01\x0b News\ufffe",
        "https://b.example/rss": "\x01\x02",
    }
    for url, title in titles.items():
        await client.post("/v1/feeds", json={"url": url}, headers=ADMIN)
        feed = await store.feeds.by_url(url)
        assert feed is not None
        polled = dataclasses.replace(feed.state, title=title, site_url=f"{url[:18]}\x02")
        await store.feeds.record_poll(feed.id, polled)
    exported = (await client.get("/v1/feeds.opml")).content
    outlines = {o.get("xmlUrl"): o for o in ElementTree.fromstring(exported).iter("outline")}
    assert outlines["https://a.example/rss"].get("htmlUrl") == "https://a.example/"
    assert sorted(read_subscriptions(exported).feeds) == [
        ("https://a.example/rss", "Desk News"),
        ("https://b.example/rss", "https://b.example/rss"),
    ]


@pytest.mark.parametrize(
    "body",
    [
        b"not xml at all",
        b'<!DOCTYPE x [<!ENTITY a "aaaa">]><opml><body>&a;</body></opml>',
        b'<?xml version="1.0" encoding="x-bogus"?><opml version="2.0"><body/></opml>',
    ],
    ids=["garbage", "entity", "unknown-encoding"],
)
async def test_bad_opml_is_a_400(client: httpx.AsyncClient, body: bytes) -> None:
    response = await client.post("/v1/feeds.opml", content=body, headers=ADMIN)
    assert response.status_code == 400 and response.json()["detail"].startswith("body:")


async def test_oversized_bodies_get_413_announced_or_not(client: httpx.AsyncClient) -> None:
    big = b"<opml>" + b" " * 5000 + b"</opml>"
    announced = await client.post("/v1/feeds.opml", content=big, headers=ADMIN)
    assert announced.status_code == 413
    assert announced.json()["title"] == "Payload Too Large"

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(10):
            yield b" " * 1000

    streamed = await client.post("/v1/feeds.opml", content=chunks(), headers=ADMIN)
    assert streamed.status_code == 413


async def test_remove_meets_its_preconditions(client: httpx.AsyncClient, store: Store) -> None:
    # RFC 9110 §13.1.1-2: a feed has no ETag, so If-Match with a tag matches nothing.
    body = {"url": "https://a.example/rss"}
    feed_id = (await client.post("/v1/feeds", json=body, headers=ADMIN)).json()["id"]
    for condition in ({"If-Match": '"a-tag"'}, {"If-None-Match": "*"}):
        refused = await client.delete(f"/v1/feeds/{feed_id}", headers={**ADMIN, **condition})
        assert refused.status_code == 412, condition
    assert await store.feeds.get(feed_id) is not None
    removed = await client.delete(f"/v1/feeds/{feed_id}", headers={**ADMIN, "If-Match": "*"})
    assert removed.status_code == 204 and await store.feeds.get(feed_id) is None


async def test_an_add_meets_the_lists_preconditions(
    client: httpx.AsyncClient, store: Store
) -> None:
    """RFC 9110 §13.1: a POST's target is the list, so its preconditions are compared
    with the ETag of the page GET /v1/feeds sends, before the URL is judged (§13.2.1: a
    loopback URL would be a 400)."""
    await client.post("/v1/feeds", json={"url": "https://a.example/rss"}, headers=ADMIN)
    etag = (await client.get("/v1/feeds")).headers["etag"]
    conditions = ({"If-Match": '"stale"'}, {"If-None-Match": etag}, {"If-None-Match": "*"})
    for url in ("https://b.example/rss", "http://127.0.0.1/feed"):
        for condition in conditions:
            refused = await client.post("/v1/feeds", json={"url": url}, headers=ADMIN | condition)
            assert refused.status_code == 412, (url, condition)
            assert refused.json()["type"].endswith("/precondition-failed")
    assert len(await store.feeds.ids()) == 1

    async def add(url: str, condition: dict[str, str]) -> int:
        added = await client.post("/v1/feeds", json={"url": url}, headers=ADMIN | condition)
        return added.status_code

    assert await add("https://b.example/rss", {"If-Match": etag}) == 201
    # The list has changed: that ETag no longer matches, and If-None-Match with it holds.
    assert await add("https://c.example/rss", {"If-Match": etag}) == 412
    assert await add("https://c.example/rss", {"If-None-Match": etag}) == 201
    assert await add("https://d.example/rss", {"If-Match": "*"}) == 201
    assert len(await store.feeds.ids()) == 4


async def test_an_add_whose_list_keeps_changing_is_a_503(
    client: httpx.AsyncClient, store: Store
) -> None:
    """A conditional add whose first page is polled between every check and write gives
    up after a few tries: a 503 with Retry-After and nothing written, not a request
    that never answers (the polls stop after a thousand: an add that tries without
    bound then gets through, a 201)."""
    await client.post("/v1/feeds", json={"url": "https://a.example/rss"}, headers=ADMIN)
    [polled] = await store.feeds.ids()
    stop = asyncio.Event()

    async def poll_often() -> None:
        for attempt in range(1000):
            if stop.is_set():
                return
            await store.redis.hset(store.keys.feed(polled), "title", f"poll {attempt}")

    poller = asyncio.create_task(poll_often())
    try:
        added = await client.post(
            "/v1/feeds", json={"url": "https://b.example/rss"}, headers=ADMIN | {"If-Match": "*"}
        )
    finally:
        stop.set()
        await poller
    assert added.status_code == 503
    assert added.headers["retry-after"] == "1"
    assert added.json()["type"].endswith("/feed-list-contended")
    assert await store.feeds.ids() == [polled]
    again = await client.post(
        "/v1/feeds", json={"url": "https://b.example/rss"}, headers=ADMIN | {"If-Match": "*"}
    )
    assert again.status_code == 201


async def test_cors_allows_the_configured_origin_only(client: httpx.AsyncClient) -> None:
    allowed = await client.get("/v1/feeds", headers={"Origin": "https://newsroom.example"})
    assert allowed.headers["access-control-allow-origin"] == "https://newsroom.example"
    other = await client.get("/v1/feeds", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers


async def test_opml_export_reads_back_as_the_subscriptions_imported(
    client: httpx.AsyncClient,
) -> None:
    # Folders, htmlUrl and an outline without type: what OPML 2.0 subscription lists
    # carry. The export names each feed by its text and title alike (OPML 2.0: text is
    # required), so importing it again gives the same feeds and names.
    nested = b"""<opml version="2.0"><head><title>mine</title></head><body>
      <outline text="World"><outline text="Europe">
        <outline type="rss" text="Kyiv desk" title="Ukrinform" xmlUrl="https://a.example/rss"
                 htmlUrl="https://a.example/"/></outline></outline>
      <outline text="JSON" xmlUrl="https://c.example/feed.json"/>
    </body></opml>"""
    imported = (await client.post("/v1/feeds.opml", content=nested, headers=ADMIN)).json()
    assert imported == {"added": 2, "updated": 0, "refused": []}
    exported = (await client.get("/v1/feeds.opml")).content
    assert sorted(read_subscriptions(exported).feeds) == sorted(read_subscriptions(nested).feeds)
    again = (await client.post("/v1/feeds.opml", content=exported, headers=ADMIN)).json()
    assert again == {"added": 0, "updated": 2, "refused": []}


async def test_opml_import_of_something_else_is_a_readable_400(client: httpx.AsyncClient) -> None:
    feed = b'<rss version="2.0"><channel><outline xmlUrl="https://a.example/rss"/></channel></rss>'
    response = await client.post("/v1/feeds.opml", content=feed, headers=ADMIN)
    assert response.status_code == 400
    assert response.json()["detail"] == "body: not OPML: the root element is <rss>, not <opml>"


async def test_actions_meet_their_preconditions(client: httpx.AsyncClient, store: Store) -> None:
    # RFC 9110 §13.1.1: pause, resume and poll change the feed, so they evaluate
    # If-Match / If-None-Match on it (no ETag: a tag matches nothing, and
    # If-None-Match: * fails on a feed that exists); a 412 does nothing.
    body = {"url": "https://a.example/rss"}
    feed_id = (await client.post("/v1/feeds", json=body, headers=ADMIN)).json()["id"]
    before = await store.feeds.get(feed_id)
    for action in ("pause", "resume", "poll"):
        for condition in ({"If-Match": '"a-tag"'}, {"If-None-Match": "*"}):
            path = f"/v1/feeds/{feed_id}/{action}"
            refused = await client.post(path, headers={**ADMIN, **condition})
            assert refused.status_code == 412, (action, condition, refused.text)
            assert refused.json()["type"].endswith("/precondition-failed")
    assert await store.feeds.get(feed_id) == before
    paused = await client.post(f"/v1/feeds/{feed_id}/pause", headers={**ADMIN, "If-Match": "*"})
    assert paused.status_code == 200 and paused.json()["paused"] is True
    missing = await client.post("/v1/feeds/nope/pause", headers={**ADMIN, "If-None-Match": "*"})
    assert missing.status_code == 404  # §13.2.1: the 404 stands


@pytest.mark.parametrize("action", ["pause", "resume"])
async def test_an_action_racing_a_removal_leaves_no_half_feed(
    client: httpx.AsyncClient, store: Store, monkeypatch: pytest.MonkeyPatch, action: str
) -> None:
    # The feed is removed by another client just after the route read it: pausing must
    # find it gone (404), not write ``paused`` into a new hash that reads back as a feed
    # without a URL.
    body = {"url": "https://a.example/rss"}
    feed_id = (await client.post("/v1/feeds", json=body, headers=ADMIN)).json()["id"]
    read = FeedStore.get

    async def read_then_removed(self: FeedStore, wanted: str) -> StoredFeed | None:
        feed = await read(self, wanted)
        if feed is not None:
            await self.remove_feed(feed)
        return feed

    monkeypatch.setattr(FeedStore, "get", read_then_removed)
    answer = await client.post(f"/v1/feeds/{feed_id}/{action}", headers=ADMIN)
    monkeypatch.undo()
    assert answer.status_code == 404, answer.text
    assert not await store.redis.exists(store.keys.feed(feed_id))


async def test_an_add_compares_if_match_strongly_and_if_none_match_weakly_over_a_list(
    client: httpx.AsyncClient, store: Store
) -> None:
    """RFC 9110 §13.1.1: If-Match uses the strong comparison, so the list's own ETag
    sent weak fails; §13.1.2: If-None-Match the weak one, over a list of tags."""
    await client.post("/v1/feeds", json={"url": "https://a.example/rss"}, headers=ADMIN)
    etag = (await client.get("/v1/feeds")).headers["etag"]
    assert not etag.startswith("W/")

    async def add(url: str, condition: dict[str, str]) -> httpx.Response:
        return await client.post("/v1/feeds", json={"url": url}, headers=ADMIN | condition)

    weak = await add("https://b.example/rss", {"If-Match": f"W/{etag}"})
    assert weak.status_code == 412 and weak.json()["type"].endswith("/precondition-failed")
    listed = await add("https://b.example/rss", {"If-None-Match": f'"other", W/{etag}'})
    assert listed.status_code == 412
    assert (await add("https://b.example/rss", {"If-Match": f'"other", {etag}'})).status_code == 201
    assert len(await store.feeds.ids()) == 2
