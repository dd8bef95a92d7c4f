"""A story and its articles page by page, on the real app and a real Redis."""

from __future__ import annotations

import re

import httpx

from service.api.story_articles import STORY_REPORTS_PAGE
from service.models import Story
from service.store import Store
from tests.factories import STORY_T0, member, save_story

LINK = re.compile(r'^<([^>]+)>; rel="next"$')


def big_story(reports: int) -> Story:
    """A wire text and its copies: every other report copies the report before it."""
    members = tuple(
        member(n, f"Outlet {n % 300}", copy_of=f"a{n - 1}" if n % 2 else None)
        for n in range(reports)
    )
    return Story(
        id="st_big", headline="Big", summary="s", first_seen=STORY_T0, last_updated=STORY_T0,
        members=members, briefings=("world",),
    )  # fmt: skip


async def test_a_big_story_is_served_in_bounded_pages_holding_every_report(
    store: Store, client: httpx.AsyncClient
) -> None:
    # The story carries the first page of its 10,000 reports, the rest follows by cursor
    # and Link (RFC 8288), every report exactly once.
    story = big_story(10_000)
    await save_story(store, story)
    detail = await client.get("/v1/stories/st_big")
    assert detail.status_code == 200
    body = detail.json()
    assert len(detail.content) < 100_000
    assert body["source_count"] == 10_000 and body["article_count"] == 5_000
    on_first = sum(len(a["sources"]) + len(a["copies"]) for a in body["articles"])
    assert on_first == STORY_REPORTS_PAGE
    link = LINK.match(detail.headers["link"])
    assert link is not None and body["articles_next_cursor"] in link[1]

    seen = [(c["article_id"], c["url"]) for a in body["articles"] for c in a["copies"]]
    seen += [(a["article_id"], s["url"]) for a in body["articles"] for s in a["sources"]]
    url: str | None = f"{link[1]}&limit=1000"
    pages = 0
    while url is not None:
        page = await client.get(url)
        assert page.status_code == 200, page.text
        pages += 1
        items = page.json()["items"]
        seen += [(c["article_id"], c["url"]) for a in items for c in a["copies"]]
        seen += [(a["article_id"], s["url"]) for a in items for s in a["sources"]]
        assert sum(len(a["sources"]) + len(a["copies"]) for a in items) <= 1000
        found = LINK.match(page.headers.get("link", ""))
        assert (found is None) == (page.json()["next_cursor"] is None)
        url = found[1] if found else None
    assert pages == 10
    assert len(seen) == len(set(seen)) == 10_000
    assert {u for _a, u in seen} == {m.url for m in story.members}


async def test_a_page_of_articles_revalidates_and_refuses_a_bad_cursor(
    store: Store, client: httpx.AsyncClient
) -> None:
    await save_story(store, big_story(10))
    first = await client.get("/v1/stories/st_big/articles", params={"limit": 4})
    assert first.status_code == 200 and first.json()["next_cursor"] == "2.0"
    again = await client.get(
        "/v1/stories/st_big/articles", params={"limit": 4},
        headers={"If-None-Match": first.headers["etag"]},
    )  # fmt: skip
    assert again.status_code == 304 and "link" not in again.headers
    bad = await client.get("/v1/stories/st_big/articles", params={"cursor": "x"})
    assert bad.status_code == 400 and bad.json()["detail"].startswith("cursor:")
    assert (await client.get("/v1/stories/nope/articles")).status_code == 404
