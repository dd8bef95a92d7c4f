"""The ``Link: <…>; rel="next"`` of every paged list (service/api/paging.py), on the real
app and a real Redis: each page links the next with the request's other parameters kept,
the last page links nothing, a 304 links nothing, and a render-cache hit links as the
route does."""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest
from starlette.datastructures import URL

from service.api.app import create_app
from service.api.paging import next_link
from service.models import FeedConfig
from service.settings import Settings
from service.store import Store
from tests.factories import make_article, make_story, save_story
from tests.service.api.test_cache_hits import layer_of
from tests.support.newsroom import CONFIG, NOW

LINK = re.compile(r'^<([^>]+)>; rel="next"$')
ADMIN = {"Authorization": "Bearer sesame"}
HOOK = {"url": "http://127.0.0.1:9/hook", "events": ["story.created"]}


def test_next_link_swaps_the_cursor_and_keeps_every_other_parameter() -> None:
    url = URL("http://t/v1/articles?lang=en&cursor=old&limit=2")
    assert next_link(url, "new") == '<http://t/v1/articles?lang=en&limit=2&cursor=new>; rel="next"'
    spaced = next_link(URL("http://t/v1/feeds"), "a b")
    assert spaced == '<http://t/v1/feeds?cursor=a+b>; rel="next"'
    assert next_link(url, None) is None


@pytest.fixture
async def client(store: Store, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(
        data_dir=tmp_path, admin_key="sesame", allow_private_targets=True, page_staleness=0
    )
    app = create_app(settings, store, CONFIG, version_ttl=0)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://test", headers=ADMIN
    ) as c:
        yield c


async def three_of_each(store: Store, client: httpx.AsyncClient) -> dict[str, str]:
    """Three items in every paged list; returns each list's first URL (limit 1, and a
    parameter the next pages must keep where the list takes one)."""
    for n in range(3):
        await store.feeds.add(FeedConfig(url=f"https://f{n}.example/rss"), first_poll=NOW)
        article = make_article(n)
        await store.articles.ingest(article)
        await store.articles.index(article, "f1")
        await save_story(store, make_story(f"st_{n}", briefings=("world",)))
    sub = (await client.post("/v1/subscriptions", json=HOOK)).json()["id"]
    await client.post("/v1/subscriptions", json=HOOK)
    await client.post("/v1/subscriptions", json=HOOK)
    for _ in range(3):
        assert (await client.post(f"/v1/subscriptions/{sub}/ping")).status_code == 202
    return {
        "feeds": "/v1/feeds?limit=1",
        "articles": "/v1/articles?lang=en&limit=1",
        "timeline": "/v1/briefings/world/timeline?order=created&limit=1",
        "search": "/v1/search?q=Kharkiv&limit=1",
        "subscriptions": "/v1/subscriptions?limit=1",
        "deliveries": f"/v1/subscriptions/{sub}/deliveries?limit=1",
    }


async def pages_linked(
    client: httpx.AsyncClient, first: str, named_next: Callable[[httpx.Response], str | None]
) -> int:
    """Follow the ``Link`` headers from ``first``: each names the page ``named_next`` reads
    from the body, and the last (None) links nothing. Returns how many pages were read."""
    url, pages = f"http://test{first}", 0
    while True:
        page = await client.get(url)
        assert page.status_code == 200, (first, page.text)
        pages += 1
        expected = named_next(page)
        found = LINK.match(page.headers.get("link", ""))
        if expected is None:
            assert found is None, (first, page.headers["link"])
            return pages
        assert found is not None and found[1] == expected, (first, pages, found)
        url = expected


def next_cursor_url(page: httpx.Response) -> str | None:
    """The page's own URL with the body's cursor: its other parameters kept."""
    cursor = page.json()["next_cursor"]
    return None if cursor is None else str(URL(str(page.url)).include_query_params(cursor=cursor))


async def test_every_paged_list_links_its_next_page_until_the_last(
    store: Store, client: httpx.AsyncClient
) -> None:
    firsts = await three_of_each(store, client)
    for name, first in firsts.items():
        assert await pages_linked(client, first, next_cursor_url) == 3, name


async def test_a_304_links_nothing_and_a_cache_hit_links_as_the_route(
    store: Store, client: httpx.AsyncClient
) -> None:
    await three_of_each(store, client)
    url = "/v1/briefings/world/timeline?limit=1"
    app = client._transport.app  # type: ignore[attr-defined]
    first = await client.get(url)
    hits = layer_of(app).hits
    again = await client.get(url)
    assert layer_of(app).hits == hits + 1  # answered in front of FastAPI
    assert LINK.match(first.headers["link"])
    assert again.headers["link"] == first.headers["link"]
    for listed in (url, "/v1/feeds?limit=1", "/v1/articles?limit=1"):
        etag = (await client.get(listed)).headers["etag"]
        unchanged = await client.get(listed, headers={"If-None-Match": etag})
        assert unchanged.status_code == 304 and "link" not in unchanged.headers, listed


@pytest.mark.parametrize(
    ("first", "next_in_document"),
    [
        (
            "/v1/briefings/world/timeline.atom?order=created&limit=1",
            r'<link rel="next" type="application/atom\+xml" href="([^"]+)"/>',
        ),
        ("/v1/briefings/world/timeline.json?order=created&limit=1", r'"next_url":\s*"([^"]+)"'),
        ("/briefings/world?limit=1", r'<a id="older" href="([^"]*)"'),
    ],
)
async def test_the_timelines_feeds_and_page_link_their_next_page_in_a_header_too(
    first: str, next_in_document: str, store: Store, client: httpx.AsyncClient
) -> None:
    """Atom, JSON Feed and the HTML page name their next page in the document; the
    ``Link`` header names the same page, until the last; a 304 links nothing."""
    await three_of_each(store, client)

    def in_document(page: httpx.Response) -> str | None:
        # The page's own link is relative to it: the URL it names.
        found = re.search(next_in_document, html.unescape(page.text))
        return str(page.url.join(found[1])) if found and found[1] else None

    assert await pages_linked(client, first, in_document) == 3
    etag = (await client.get(first)).headers["etag"]
    unchanged = await client.get(first, headers={"If-None-Match": etag})
    assert unchanged.status_code == 304 and "link" not in unchanged.headers


async def test_a_cached_feeds_link_names_the_host_it_was_asked_of_and_head_sends_it(
    store: Store, client: httpx.AsyncClient
) -> None:
    """The render cache keeps a page's Link with it, under a key of its host: a second
    host's request never gets the first one's link, from a render or a cache hit."""
    await three_of_each(store, client)
    first = "/v1/briefings/world/timeline.atom?order=created&limit=1"
    for host in ("a.example", "b.example", "a.example", "b.example"):
        page = await client.get(first, headers={"Host": host})
        assert page.headers["link"].startswith(f"<http://{host}{first}&cursor="), host
    head = await client.head(first, headers={"Host": "c.example"})
    assert head.status_code == 200 and head.content == b""
    assert head.headers["link"].startswith(f"<http://c.example{first}&cursor=")
