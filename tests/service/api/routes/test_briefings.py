"""Briefings and timelines over stories made by the real pipeline from real feeds, and the
bounded sources of their items."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import feedparser
import httpx
import pytest

from service.api.app import create_app
from service.models import Story
from service.settings import Settings
from service.store import Store, codec
from service.store.stories import MAX_EVENT_SOURCES, StoryBatch
from tests.factories import WIDE_OUTLETS, make_story, save_story, wide_story
from tests.support.live_server import serve
from tests.support.newsroom import CONFIG, NOW, Newsroom, rss

GENEVA_TALKS = datetime(2026, 2, 17, 20, 30, tzinfo=UTC)  # BBC ran it at 20:05


async def page_all(client: httpx.AsyncClient, url: str, **params: object) -> list[dict]:
    items: list[dict] = []
    cursor = None
    while True:
        query = {**params, **({"cursor": cursor} if cursor else {})}
        response = await client.get(url, params=query)
        assert response.status_code == 200, response.text
        body = response.json()
        items += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            return items


async def test_briefings_list_and_get(bbc: Newsroom, client: httpx.AsyncClient) -> None:
    body = (await client.get("/v1/briefings")).json()
    assert [b["id"] for b in body["items"]] == ["world", "ukraine"]
    world = body["items"][0]
    assert world["title"] == "World news"
    assert world["story_count"] == len(await bbc.story_ids("world")) > 20
    one = await client.get("/v1/briefings/ukraine")
    assert one.status_code == 200 and one.json()["include"][0] == "ukrain*"
    missing = await client.get("/v1/briefings/nope")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert "briefing" in missing.json()["detail"]


async def test_timeline_is_every_story_newest_activity_first(
    bbc: Newsroom, client: httpx.AsyncClient
) -> None:
    items = await page_all(client, "/v1/briefings/world/timeline", limit=7)
    assert [i["id"] for i in items] == await bbc.story_ids("world")
    times = [i["last_updated"] for i in items]
    assert times == sorted(times, reverse=True)
    first = items[0]
    assert {"id", "headline", "summary", "first_seen", "last_updated", "article_count",
            "sources", "places", "languages"} <= first.keys()  # fmt: skip
    assert first["sources"][0]["outlet"] == "BBC World"
    assert first["sources"][0]["url"].startswith("https://www.bbc.")
    created = await page_all(client, "/v1/briefings/world/timeline", order="created", limit=50)
    assert sorted(i["id"] for i in created) == sorted(i["id"] for i in items)
    assert [i["first_seen"] for i in created] == sorted(
        (i["first_seen"] for i in created), reverse=True
    )


async def test_keyword_briefing_holds_only_matching_stories(
    bbc: Newsroom, client: httpx.AsyncClient
) -> None:
    items = await page_all(client, "/v1/briefings/ukraine/timeline")
    headlines = [i["headline"].lower() for i in items]
    assert any("ukraine" in h for h in headlines)
    assert len(items) < len(await bbc.story_ids("world"))


async def test_filters(bbc: Newsroom, client: httpx.AsyncClient) -> None:
    url = "/v1/briefings/world/timeline"
    jackson = await page_all(client, url, q="jesse JACKSON")
    assert jackson and all("jackson" in i["headline"].lower() for i in jackson)
    assert await page_all(client, url, q="no-such-words-anywhere") == []
    english = await page_all(client, url, lang="en")
    assert len(english) == len(await bbc.story_ids("world"))
    assert await page_all(client, url, lang="uk") == []
    by_outlet = await page_all(client, url, source="bbc world")
    assert len(by_outlet) == len(english)
    assert await page_all(client, url, min_sources=2) == []
    places = {p for i in english for p in i["places"]}
    if places:  # the capture names places; each one filters to stories naming it
        place = sorted(places)[0]
        assert all(place in i["places"] for i in await page_all(client, url, place=place))


async def test_a_second_outlet_makes_a_multi_source_story(
    bbc: Newsroom, client: httpx.AsyncClient
) -> None:
    await bbc.publish(
        rss("Wire", [("First day of Russia-Ukraine peace talks ends in Geneva",
                      "https://wire.example/geneva-talks", GENEVA_TALKS)]),
        name="Wire",
    )  # fmt: skip
    multi = await page_all(client, "/v1/briefings/ukraine/timeline", min_sources=2)
    assert len(multi) == 1
    assert {s["outlet"] for s in multi[0]["sources"]} == {"BBC World", "Wire"}
    detail = (await client.get(f"/v1/stories/{multi[0]['id']}")).json()
    assert detail["article_count"] == len(detail["articles"]) >= 2
    wire = [a for a in detail["articles"] if a["sources"][0]["outlet"] == "Wire"]
    assert [a["url"] for a in wire] == ["https://wire.example/geneva-talks"]


async def test_etag_and_304(bbc: Newsroom, client: httpx.AsyncClient) -> None:
    url = "/v1/briefings/world/timeline"
    first = await client.get(url)
    etag = first.headers["etag"]
    again = await client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    assert (await client.get(url, headers={"If-None-Match": f'"x", W/{etag}'})).status_code == 304
    await bbc.publish(
        rss("Later", [("Dam breach floods villages near Kherson", "https://later.example/dam",
                       NOW - timedelta(minutes=5))]),
    )  # fmt: skip
    changed = await client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    assert "Kherson" in changed.json()["items"][0]["headline"]


async def test_since_time_and_since_event_id(bbc: Newsroom, client: httpx.AsyncClient) -> None:
    url = "/v1/briefings/ukraine/timeline"
    before = (await client.get(url)).json()
    watermark = before["watermark"]
    assert (await client.get(url, params={"since": watermark})).json()["items"] == []
    await bbc.publish(
        rss("Later", [("Dam breach floods villages near Kherson", "https://later.example/dam",
                       NOW - timedelta(minutes=5))]),
    )  # fmt: skip
    changed = (await client.get(url, params={"since": watermark})).json()
    assert [i["headline"] for i in changed["items"]] == ["Dam breach floods villages near Kherson"]
    assert changed["watermark"] != watermark
    assert (await client.get(url, params={"since": changed["watermark"]})).json()["items"] == []
    by_time = (await client.get(url, params={"since": "2026-02-18T01:50:00Z"})).json()
    assert [i["headline"] for i in by_time["items"]] == ["Dam breach floods villages near Kherson"]


async def test_since_older_than_the_retained_events_is_410(
    bbc: Newsroom, client: httpx.AsyncClient, store: Store
) -> None:
    first_id = (await store.redis.xrange(store.keys.events_stream, count=1))[0][0]
    await store.redis.xtrim(store.keys.events_stream, maxlen=1, approximate=False)
    gone = await client.get("/v1/briefings/world/timeline", params={"since": first_id})
    assert gone.status_code == 410
    assert gone.json()["detail"].startswith("since:")


async def test_bad_parameters_name_the_field(client: httpx.AsyncClient) -> None:
    url = "/v1/briefings/world/timeline"
    cases = {
        "cursor": {"cursor": "bm90LWEtY3Vyc29y"},
        "since": {"since": "yesterday"},
    }
    for field, params in cases.items():
        response = await client.get(url, params=params)
        assert response.status_code == 400, field
        assert response.json()["detail"].startswith(f"{field}:")
    naive = await client.get(url, params={"since": "2026-11-01T00:00:00"})
    assert naive.status_code == 400 and "timezone" in naive.json()["detail"]
    for params in ({"limit": "0"}, {"limit": "999"}, {"lang": "EN"}, {"order": "random"}):
        response = await client.get(url, params=params)
        assert response.status_code == 422
        assert response.json()["errors"][0]["field"] == next(iter(params))


async def test_story_detail_and_search(bbc: Newsroom, client: httpx.AsyncClient) -> None:
    story_id = (await bbc.story_ids("world"))[0]
    detail = await client.get(f"/v1/stories/{story_id}")
    assert detail.status_code == 200
    body = detail.json()
    assert body["id"] == story_id and body["articles"]
    assert body["articles"][0]["sources"][0]["outlet"] == "BBC World"
    assert (await client.get("/v1/stories/nope")).status_code == 404
    found = (await client.get("/v1/search", params={"q": "Jesse Jackson"})).json()
    assert found["items"] and all("Jackson" in i["headline"] for i in found["items"])
    assert (await client.get("/v1/search", params={"q": ""})).status_code == 422


# Redis stream ids are two unsigned 64-bit integers; Redis answers anything else in an
# XRANGE with an error. Non-ASCII digits ("١") pass a plain \d, and "$" matches before
# a trailing newline: a check with either would let them reach Redis.
OUT_OF_RANGE_IDS = [
    "18446744073709551616-0",
    "0-18446744073709551616",
    "99999999999999999999-0",
    "18446744073709551615-18446744073709551615",  # the largest id: nothing can follow it
    "١٢-٠",
    "1-0\n",
]


@pytest.mark.parametrize("path", ["timeline", "timeline.atom", "timeline.json"])
async def test_event_ids_outside_redis_range_are_400_on_a_real_socket(
    store: Store, path: str
) -> None:
    app = create_app(Settings(), store, CONFIG)
    async with serve(app) as base, httpx.AsyncClient(base_url=base, timeout=10) as client:
        url = f"/v1/briefings/world/{path}"
        for since in OUT_OF_RANGE_IDS:
            response = await client.get(url, params={"since": since})
            assert response.status_code == 400, (since, response.text)
            assert response.headers["content-type"] == "application/problem+json"
            assert response.json()["detail"].startswith("since:"), since
        # In range, and past every id this store gave out (none yet): reload, not a 400.
        largest_start = await client.get(url, params={"since": "18446744073709551615-0"})
        assert largest_start.status_code == 410
        assert largest_start.json()["type"].endswith("/since-unknown")


async def test_a_since_past_the_newest_event_is_410_reload(store: Store) -> None:
    """An event id newer than every event (another deployment's watermark, a made-up
    one) would answer "nothing changed" and hand the id back as the watermark, so a
    polling client would miss every event until the ids reach it: 410, reload."""
    newest = await save_story(store, make_story("st_one", briefings=BRIEFINGS))
    ms, seq = (int(part) for part in newest.split("-"))
    app = create_app(Settings(page_staleness=0), store, CONFIG, version_ttl=0)
    async with serve(app) as base, httpx.AsyncClient(base_url=base, timeout=10) as client:
        for path in ("timeline", "timeline.atom", "timeline.json"):
            url = f"/v1/briefings/world/{path}"
            assert (await client.get(url, params={"since": newest})).status_code == 200
            for since in (f"{ms}-{seq + 1}", f"{ms + 86_400_000}-0", "18446744073709551615-0"):
                response = await client.get(url, params={"since": since})
                assert response.status_code == 410, (path, since, response.text)
                problem = response.json()
                assert problem["type"].endswith("/since-unknown")
                assert problem["detail"].startswith(f"since: event {since} is newer")


# ------------------------------------------------------------------------------------------
# Timeline items list bounded sources: the first report of each outlet, at
# most MAX_EVENT_SOURCES, and ``source_count`` for every report, in every place that renders
# timeline items (JSON timeline, since=, search, Atom, JSON Feed, the page); filters still
# match on every member; the story detail still lists every report. Real Redis, the store's
# own write path, the real app.


OUTLETS = WIDE_OUTLETS  # more than MAX_EVENT_SOURCES
BRIEFINGS = ("world", "ukraine")
TIMELINE = "/v1/briefings/world/timeline"


def first_reports(story: Story, n: int) -> list[dict[str, str]]:
    return [
        {"outlet": m.outlet, "country": m.country, "language": m.language, "url": m.url,
         "time": codec.iso(m.published) or ""}
        for m in story.members[:n]
    ]  # fmt: skip


async def save_small_and_wide(store: Store) -> Story:
    """A two-outlet story, then the wide one (newer: first in the timeline)."""
    await save_story(store, make_story("st_small", briefings=BRIEFINGS))
    wide = wide_story()
    await save_story(store, wide)
    return wide


async def timeline_items(client: httpx.AsyncClient, **params: object) -> dict[str, dict]:
    response = await client.get(TIMELINE, params={"limit": 50, **params})
    assert response.status_code == 200, response.text
    return {i["id"]: i for i in response.json()["items"]}


def check_bounded(item: dict, story: Story) -> None:
    assert item["sources"] == first_reports(story, MAX_EVENT_SOURCES)
    assert item["source_count"] == len(story.members) == 2 * OUTLETS
    assert item["article_count"] == len(story.original_ids)


async def test_an_item_lists_the_first_report_of_50_outlets_and_counts_all(
    store: Store, client: httpx.AsyncClient
) -> None:
    wide, small = wide_story(), make_story("st_small", briefings=BRIEFINGS)
    await save_story(store, small)
    watermark = await save_story(store, wide)
    items = await timeline_items(client)
    check_bounded(items["st_wide"], wide)
    assert items["st_small"]["sources"] == first_reports(small, 2)
    assert items["st_small"]["source_count"] == 2
    # The same item from since=, search and the created order.
    before = await store.redis.xrange(store.keys.events_stream, count=1)
    changed = await timeline_items(client, since=before[0][0])
    check_bounded(changed["st_wide"], wide)
    assert (await timeline_items(client, since=watermark)) == {}
    check_bounded((await timeline_items(client, order="created"))["st_wide"], wide)
    found = (await client.get("/v1/search", params={"q": "geneva ceasefire"})).json()["items"]
    assert [i["id"] for i in found] == ["st_wide"]
    check_bounded(found[0], wide)


async def test_filters_match_on_every_member_not_the_listed_sources(
    store: Store, client: httpx.AsyncClient
) -> None:
    wide = await save_small_and_wide(store)
    unlisted = wide.members[OUTLETS - 1]  # Outlet 59: not among the 50 listed sources
    assert unlisted.outlet not in {s["outlet"] for s in first_reports(wide, MAX_EVENT_SOURCES)}
    second_report = wide.members[-1]  # Outlet 59's second report, from its own feed
    for params in (
        {"source": unlisted.outlet.upper()},
        {"source": second_report.feed_url},
        {"min_sources": OUTLETS},  # above what the item lists: counted on every member
        {"min_sources": MAX_EVENT_SOURCES},
        {"min_sources": 3},
    ):
        items = await timeline_items(client, **params)
        assert list(items) == ["st_wide"], params
        check_bounded(items["st_wide"], wide)  # the match does not change the item
    for params in ({"min_sources": OUTLETS + 1}, {"source": "Outlet 60"}):
        assert await timeline_items(client, **params) == {}, params
    both = await timeline_items(client, source="Kyiv Independent")
    assert list(both) == ["st_small"]


async def test_story_detail_lists_the_bounded_sources_and_its_articles(
    store: Store, client: httpx.AsyncClient
) -> None:
    wide = wide_story()
    await save_story(store, wide)
    detail = (await client.get("/v1/stories/st_wide")).json()
    assert detail["sources"] == first_reports(wide, MAX_EVENT_SOURCES)  # as in the timeline
    assert detail["source_count"] == len(wide.members)
    assert len(detail["articles"]) == detail["article_count"] == len(wide.original_ids)
    assert detail["articles_next_cursor"] is None  # one page holds them all
    assert sum(len(a["sources"]) for a in detail["articles"]) == len(wide.members)


async def test_feeds_and_page_show_the_bounded_sources(
    store: Store, client: httpx.AsyncClient
) -> None:
    wide = await save_small_and_wide(store)
    unlisted = len(wide.members) - MAX_EVENT_SOURCES
    feed = (await client.get("/v1/briefings/world/timeline.json")).json()
    item = next(i for i in feed["items"] if i["_live_briefing"]["story_id"] == "st_wide")
    assert [s["outlet"] for s in item["_live_briefing"]["sources"]] == [
        f"Outlet {k}" for k in range(MAX_EVENT_SOURCES)
    ]
    assert item["_live_briefing"]["source_count"] == 2 * OUTLETS
    assert len(item["authors"]) == MAX_EVENT_SOURCES
    atom = feedparser.parse((await client.get("/v1/briefings/world/timeline.atom")).content)
    entry = next(e for e in atom.entries if e.id.endswith(":st_wide"))
    assert len([link for link in entry.links if link.rel == "related"]) == MAX_EVENT_SOURCES
    assert entry.summary.endswith(f"Outlet 49 and {unlisted} more reports.)")
    small = next(e for e in atom.entries if e.id.endswith(":st_small"))
    assert small.summary.endswith("(Reported by Kyiv Independent, Ukrainska Pravda.)")
    html = (await client.get("/briefings/world")).text
    wide_html = html.split('id="story-st_wide"')[1].split("</li>")[0]
    reported = wide_html.split('<p class="reported">')[1].split("</p>")[0]
    assert reported.count('rel="noopener"') == MAX_EVENT_SOURCES
    assert f"and {unlisted} more reports" in wide_html
    assert "more report" not in html.split('id="story-st_small"')[1].split("</li>")[0]


async def test_a_merged_story_redirects_to_its_survivor(
    store: Store, client: httpx.AsyncClient
) -> None:
    older, newer = make_story("st_older"), make_story("st_newer", outlets=("Ukrinform",))
    await save_story(store, older)
    await save_story(store, newer)
    batch = StoryBatch()
    merged = replace(older, members=older.members + newer.members)
    batch.merge(merged, newer, new_briefings=(), now=NOW, stored=None)
    await store.stories.write_batch(batch, None)
    moved = await client.get("/v1/stories/st_newer")
    assert moved.status_code == 308
    assert moved.headers["location"] == "/v1/stories/st_older"
    followed = await client.get("/v1/stories/st_newer", follow_redirects=True)
    assert followed.status_code == 200 and followed.json()["id"] == "st_older"
    assert len(followed.json()["articles"]) == len(merged.members)
    # A page of its articles leads to the same page of the survivor's.
    page = await client.get("/v1/stories/st_newer/articles", params={"cursor": "1.0"})
    assert page.status_code == 308
    assert page.headers["location"] == "/v1/stories/st_older/articles?cursor=1.0"
    assert (await client.get("/v1/stories/st_never")).status_code == 404
