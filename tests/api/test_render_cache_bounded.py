"""The render cache stays bounded while story events keep changing the events version
(an entry per version would hold a dead page per version, up to the entry cap): a page's
entry is replaced by the render of a new version, not added beside it, and pages no
longer servable are not kept alive. Real Redis, real app, real write path."""

from __future__ import annotations

import gc
from dataclasses import replace
from datetime import timedelta

import httpx
from fastapi import FastAPI

from service.api.render_cache import RenderCache, Rendered
from service.models import StoryMember
from service.store import Store
from tests.event_stories import T0, make_story, save_story

URLS = ("/v1/briefings/ukraine/timeline", "/v1/briefings/ukraine/timeline?limit=5")
EVENTS = 60


def live_pages(versions: set[str]) -> list[Rendered]:
    gc.collect()
    return [o for o in gc.get_objects() if isinstance(o, Rendered) and o.version in versions]


async def test_pages_of_superseded_versions_are_not_kept(
    store: Store, app: FastAPI, client: httpx.AsyncClient
) -> None:
    story = make_story("st_growing")
    versions = [await save_story(store, story)]
    bodies: dict[str, bytes] = {}
    for n in range(EVENTS):
        # The story gains a source per event, as wire copies arrive: its pages grow.
        member = StoryMember(
            article_id=f"copy-{n}",
            feed_url=f"https://wire{n}.example/rss",
            outlet=f"Wire {n}",
            url=f"https://wire{n}.example/world/drone-attack-on-kharkiv-power-plant-{n}",
            title=story.headline,
            published=T0 + timedelta(minutes=10 + n),
            language="en",
            country="UA",
        )
        story = replace(
            story, members=(*story.members, member), last_updated=T0 + timedelta(minutes=10 + n)
        )
        at = story.last_updated
        versions.append(await save_story(store, story, "story.updated", now=at))
        for url in URLS:
            for _ in range(2):  # the second is a cache hit of the same version
                response = await client.get(url)
                assert response.status_code == 200
                assert response.json()["watermark"] == versions[-1]
                assert response.json()["items"][0]["article_count"] == len(story.members)
                bodies[url] = response.content

    cache = app.state.render_cache
    assert isinstance(cache, RenderCache)
    assert len(cache) == len(URLS)  # one entry per URL, whatever the number of versions
    assert cache.bytes == sum(len(body) for body in bodies.values())
    assert not live_pages(set(versions[:-1]))  # nothing holds a superseded page
    assert len(live_pages({versions[-1]})) == len(URLS)


async def test_the_cache_holds_at_most_max_bytes_of_pages(
    store: Store, app: FastAPI, client: httpx.AsyncClient
) -> None:
    for n in range(8):
        await save_story(store, make_story(f"st_{n}"))
    first = await client.get("/v1/briefings/ukraine/timeline?limit=1")
    budget = 3 * len(first.content) + 10  # about three one-story pages
    app.state.render_cache = RenderCache(max_bytes=budget)
    for limit in range(1, 9):  # distinct URLs (odd queries), each page bigger
        assert (await client.get(f"/v1/briefings/ukraine/timeline?limit={limit}")).is_success
        cache = app.state.render_cache
        assert 0 < cache.bytes <= budget and 1 <= len(cache) <= 3
