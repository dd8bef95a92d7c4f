"""Timeline items list bounded sources: the first report of each
outlet, at most MAX_EVENT_SOURCES, and ``source_count`` for every report, in every place
that renders timeline items (JSON timeline, since=, search, Atom, JSON Feed, the page);
filters still match on every member; the story detail still lists every report. Real
Redis, the store's own write path, the real app."""

from __future__ import annotations

import feedparser
import httpx

from service.models import Story
from service.store import Store, codec
from service.store.stories import MAX_EVENT_SOURCES, story_to_json
from tests.event_stories import make_story, save_story

OUTLETS = 60  # more than MAX_EVENT_SOURCES
BRIEFINGS = ("world", "ukraine")
TIMELINE = "/v1/briefings/world/timeline"


def wide_story(story_id: str = "st_wide", outlets: int = OUTLETS) -> Story:
    """``outlets`` outlets, each reporting twice (every first report before any second):
    members 0..outlets-1 are the first reports, in order."""
    names = tuple(f"Outlet {k}" for k in range(outlets))
    return make_story(story_id, "Ceasefire talks resume in Geneva", briefings=BRIEFINGS,
                      outlets=names + names)  # fmt: skip


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


async def test_story_detail_still_lists_every_report(
    store: Store, client: httpx.AsyncClient
) -> None:
    wide = wide_story()
    await save_story(store, wide)
    detail = (await client.get("/v1/stories/st_wide")).json()
    assert detail["sources"] == first_reports(wide, len(wide.members))
    assert detail["source_count"] == len(wide.members)
    assert len(detail["articles"]) == detail["article_count"] == len(wide.original_ids)


async def test_a_previous_release_record_gives_the_same_item(
    store: Store, client: httpx.AsyncClient
) -> None:
    """A story still in the previous release's record (members inline, no list) reads to
    the same bounded item as the header-only path."""
    await save_story(store, wide_story("st_new"))
    legacy = wide_story("st_old")
    await save_story(store, legacy)
    await store.redis.delete(store.keys.story_members("st_old"))
    await store.redis.set(store.keys.story("st_old"), story_to_json(legacy))
    items = await timeline_items(client)
    check_bounded(items["st_old"], legacy)
    check_bounded(items["st_new"], wide_story("st_new"))
    assert items["st_old"].keys() == items["st_new"].keys()
    filtered = await timeline_items(client, source="Outlet 59")
    assert set(filtered) == {"st_old", "st_new"}


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
