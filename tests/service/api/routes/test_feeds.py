"""One feed's own resource (GET /v1/feeds/{id}) on the real app and a real Redis: what
it shows beyond the list, its validators, its 404, who may read it, and the
``Location`` of an add leading to it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from service.api.app import create_app
from service.api.http_protocol import ProblemHttpToolsProtocol
from service.config import AppConfig, BriefingConfig
from service.models import FeedConfig, FeedState, FetchResult
from service.settings import Settings
from service.store import Store
from tests.factories import make_article
from tests.support.live_server import serve
from workers.poll_schedule import PollPolicy, state_after_poll

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
ADMIN = {"Authorization": "Bearer sesame"}
URL = "https://a.example/rss?api_token=hunter2"
# Briefings naming the feed by URL (another case) or by outlet name, naming another feed
# only, and naming no feed (every feed's reports may enter).
BRIEFINGS = (
    BriefingConfig(id="by-url", title="By URL", feeds=(URL.upper(),)),
    BriefingConfig(id="by-outlet", title="By outlet", feeds=("a desk",)),
    BriefingConfig(id="elsewhere", title="Elsewhere", feeds=("https://b.example/rss",)),
    BriefingConfig(id="everything", title="Everything"),
)


@pytest.fixture
async def client(store: Store) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(
        Settings(admin_key="sesame", page_staleness=0),
        store,
        AppConfig(briefings=BRIEFINGS),
        version_ttl=0,
    )
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        yield c


async def failing_feed(store: Store) -> str:
    """A feed whose last poll failed after a redirect moved it, with two articles."""
    feed_id, _ = await store.feeds.add(FeedConfig(url=URL, name="A Desk"), first_poll=NOW)
    await store.feeds.record_poll(
        feed_id,
        FeedState(
            url=URL,
            title="A <b>feed</b>",
            last_status=502,
            last_error="fetch https://a.example/moved?token=hunter2: HTTP 502 Bad Gateway",
            last_attempt=NOW,
            consecutive_failures=3,
            next_poll=NOW,
            moved_to="https://a.example/moved?token=hunter2",
            site_url="https://a.example/",
            ttl_minutes=30,
        ),
    )
    for n in (1, 2):
        article = make_article(n, feed=URL)
        await store.articles.ingest(article, feed_id=feed_id)
        await store.articles.index(article, feed_id)
    return feed_id


async def test_one_feed_shows_the_lists_fields_and_what_the_list_leaves_out(
    client: httpx.AsyncClient, store: Store
) -> None:
    feed_id = await failing_feed(store)
    response = await client.get(f"/v1/feeds/{feed_id}")  # no key: as public as the list
    assert response.status_code == 200, response.text
    detail = response.json()
    [listed] = (await client.get("/v1/feeds")).json()["items"]
    assert {k: detail[k] for k in listed} == listed
    assert detail["last_error"] == "fetch https://a.example/moved?token=***: HTTP 502 Bad Gateway"
    assert (detail["consecutive_failures"], detail["last_status"]) == (3, 502)
    assert detail["moved_to"] == "https://a.example/moved?token=***"
    assert (detail["site_url"], detail["ttl_minutes"]) == ("https://a.example/", 30)
    assert detail["briefings"] == ["by-url", "by-outlet", "everything"]
    assert detail["article_count"] == 2
    assert "hunter2" not in response.text


async def test_a_feed_without_a_name_enters_briefings_by_its_titles_text(
    client: httpx.AsyncClient, store: Store
) -> None:
    """Articles of a feed without a configured name speak for its title as text
    (workers/normalize.py), and a briefing's feed filter names that outlet."""
    feed_id, _ = await store.feeds.add(FeedConfig(url="https://c.example/rss"), first_poll=NOW)
    await store.feeds.record_poll(
        feed_id, FeedState(url="https://c.example/rss", title="A <i>Desk</i>", last_status=200)
    )
    detail = (await client.get(f"/v1/feeds/{feed_id}")).json()
    assert detail["briefings"] == ["by-outlet", "everything"]
    assert (detail["article_count"], detail["moved_to"], detail["site_url"]) == (0, None, None)


async def test_moved_to_names_where_the_last_poll_was_redirected_until_the_next_poll(
    client: httpx.AsyncClient, store: Store
) -> None:
    """A 301/308 moves the feed (its ``url`` from then on); ``moved_to`` says so for the
    poll that was redirected and is null again after the next (workers/poll_schedule.py),
    as docs/api.md and the schema describe it."""
    config = FeedConfig(url="https://c.example/rss")
    feed_id, _ = await store.feeds.add(config, first_poll=NOW)
    moved = "https://c.example/new-rss"
    stored = await store.feeds.get(feed_id)
    assert stored is not None
    before = stored.state
    redirected = FetchResult(config.url, 200, body_hash="a", permanent_url=moved)
    polls = [(redirected, NOW), (FetchResult(moved, 304), NOW + timedelta(hours=1))]
    shown = []
    for result, now in polls:
        after = state_after_poll(PollPolicy(), feed_id, config, before, result, None, None, now=now)
        await store.feeds.record_poll(feed_id, after, previous=before)
        before = after
        detail = (await client.get(f"/v1/feeds/{feed_id}")).json()
        shown.append((detail["url"], detail["moved_to"]))
    assert shown == [(moved, moved), (moved, None)]


async def test_one_feed_has_a_strong_etag_304_and_412(
    client: httpx.AsyncClient, store: Store
) -> None:
    feed_id = await failing_feed(store)
    path = f"/v1/feeds/{feed_id}"
    first = await client.get(path)
    etag = first.headers["etag"]
    assert etag.startswith('"') and first.headers["cache-control"] == "no-cache"
    again = await client.get(path, headers={"If-None-Match": etag})
    assert (again.status_code, again.content, again.headers["etag"]) == (304, b"", etag)
    held = await client.get(path, headers={"If-Match": etag})
    assert held.status_code == 200 and held.content == first.content
    stale = await client.get(path, headers={"If-Match": '"other"'})
    assert stale.status_code == 412
    assert stale.headers["content-type"] == "application/problem+json"
    head = await client.head(path)
    assert (head.status_code, head.content, head.headers["etag"]) == (200, b"", etag)
    newer = make_article(3, feed=URL)
    await store.articles.ingest(newer, feed_id=feed_id)
    await store.articles.index(newer, feed_id)
    changed = await client.get(path, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.json()["article_count"] == 3
    assert changed.headers["etag"] != etag


async def test_an_unknown_feed_is_a_404_problem_whatever_the_preconditions(
    client: httpx.AsyncClient,
) -> None:
    for headers in ({}, {"If-Match": "*"}, {"If-None-Match": "*"}):
        response = await client.get("/v1/feeds/0123456789abcdef", headers=headers)
        assert response.status_code == 404, headers
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["detail"] == "feed_id: no feed '0123456789abcdef'"


async def test_the_location_of_an_added_feed_reads_it_under_the_apps_root_path(
    store: Store,
) -> None:
    """A 201's ``Location`` (RFC 9110 §15.3.2) is a resource a GET reads, here behind a
    proxy that mounts the API under a path (ASGI ``root_path``)."""
    app = create_app(Settings(admin_key="sesame"), store)
    transport = httpx.ASGITransport(app=app, root_path="/briefing")
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
        created = await c.post(
            "/briefing/v1/feeds", json={"url": "https://a.example/rss"}, headers=ADMIN
        )
        assert created.status_code == 201, created.text
        location = created.headers["location"]
        assert location == f"/briefing/v1/feeds/{created.json()['id']}"
        read = await c.get(location)
    assert read.status_code == 200
    assert {k: read.json()[k] for k in created.json()} == created.json()


# Feed ids as a client may send them: oversized, percent-encoded bytes that are no UTF-8
# (a lone byte, an overlong "/", an encoded surrogate), a NUL, another script, dots.
ODD_IDS = [
    "f" * 8000,
    "%FF%FE",
    "%C0%AF",
    "%ED%A0%80",
    "%00",
    "%D0%BA%D0%B8%D1%97%D0%B2",
    "..%2F..%2Fetc",
    "%25",
]
# If-Match values no client should send: empty, a comma alone, an unclosed tag, a weak
# tag among strong ones, "*" in a list, a thousand tags, bytes beyond ASCII.
ODD_IF_MATCH = [
    "",
    ",",
    '"',
    'W/"x", "y"',
    '*, "x"',
    ", ".join(f'"{n:04}"' for n in range(1000)),
    "\xff\xfe",
]


async def test_odd_ids_and_if_match_lists_get_a_4xx_problem_over_http(store: Store) -> None:
    """Over a real socket and the service's own HTTP protocol (it reads the bytes and
    percent-decoding as a client sends them): an id that names no feed is a 404 problem,
    and an If-Match list that names no current tag a 412 problem, on GET and HEAD alike,
    never a 500."""
    feed_id = await failing_feed(store)
    app = create_app(
        Settings(page_staleness=0), store, AppConfig(briefings=BRIEFINGS), version_ttl=0
    )
    server = serve(app, http=ProblemHttpToolsProtocol)
    async with server as base, httpx.AsyncClient(base_url=base) as http:
        for odd in ODD_IDS:
            for method in ("GET", "HEAD"):
                response = await http.request(method, f"/v1/feeds/{odd}")
                assert response.status_code == 404, (method, odd[:20], response.text[:200])
                assert response.headers["content-type"] == "application/problem+json"
        for value in ODD_IF_MATCH:
            headers = {"If-Match": value.encode("latin-1")}
            for method in ("GET", "HEAD"):
                response = await http.request(method, f"/v1/feeds/{feed_id}", headers=headers)
                assert response.status_code == 412, (method, value[:20], response.text[:200])
                assert response.headers["content-type"] == "application/problem+json"
            unknown = await http.get("/v1/feeds/0123456789abcdef", headers=headers)
            assert unknown.status_code == 404
