"""The render cache: one render per miss however many requests wait, one entry per page
that a new events version's render replaces, bounded in entries and bytes (also on the real
app while events keep coming), pages keyed by the scheme and host their links are built
from, and pages of an older version answered only within the staleness bound."""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI

from service.api.app import create_app
from service.api.conditional import etag_of
from service.api.render_cache import Freshness, RenderCache, Rendered
from service.models import StoryMember
from service.settings import Settings
from service.store import Store
from tests.factories import STORY_T0 as T0
from tests.factories import make_story, save_story
from tests.support.live_server import serve
from tests.support.newsroom import CONFIG, Newsroom


async def test_concurrent_misses_render_once() -> None:
    cache = RenderCache()
    gate = asyncio.Event()
    calls = 0

    async def render() -> Rendered:
        nonlocal calls
        calls += 1
        await gate.wait()
        return Rendered(version="1-0", at=0.0, body=b"page", etag=etag_of(b"page"))

    waiters = [
        asyncio.create_task(cache.get_or_render("k", "1-0", render, now=0.0)) for _ in range(20)
    ]
    await asyncio.sleep(0)
    gate.set()
    results = await asyncio.gather(*waiters)
    assert calls == 1 and {r.body for r in results} == {b"page"}
    assert cache.get("k", "1-0", now=1.0) is not None
    assert cache.get("k", "2-0", now=1.0) is None  # a new event: render again
    assert cache.get("k", "1-0", now=cache.max_age + 1) is None  # too old


def test_entries_are_bounded_least_recently_used_first() -> None:
    cache = RenderCache(max_entries=2)
    for key in ("a", "b"):
        cache.put(key, Rendered("1-0", 0.0, key.encode(), etag_of(key.encode())))
    assert cache.get("a", "1-0", now=0.0) is not None  # "a" is now the most recent
    cache.put("c", Rendered("1-0", 0.0, b"c", etag_of(b"c")))
    assert cache.get("b", "1-0", now=0.0) is None
    assert cache.get("a", "1-0", now=0.0) is not None


async def test_an_old_page_of_the_same_version_is_served_while_one_render_replaces_it() -> None:
    cache = RenderCache(max_age=2.0)
    cache.put("k", Rendered("1-0", 0.0, b"old", etag_of(b"old")))
    gate = asyncio.Event()
    calls = 0

    async def render() -> Rendered:
        nonlocal calls
        calls += 1
        await gate.wait()
        return Rendered("1-0", 3.0, b"new", etag_of(b"new"))

    assert cache.servable("k", "1-0", now=3.0) is None  # too old, and nothing renders it
    answers = [await cache.get_or_render("k", "1-0", render, now=3.0) for _ in range(5)]
    assert {a.body for a in answers} == {b"old"}  # at once, no waiting for the render
    stale = cache.servable("k", "1-0", now=3.0)
    assert stale is not None and stale.body == b"old"  # while its re-render runs
    assert cache.servable("k", "2-0", now=3.0) is None  # another version: never
    await asyncio.sleep(0)
    gate.set()
    for _ in range(3):
        await asyncio.sleep(0)
    assert calls == 1
    fresh = cache.get("k", "1-0", now=3.5)
    assert fresh is not None and fresh.body == b"new"


async def test_a_failed_background_render_keeps_the_page_and_is_retried(
    caplog: pytest.LogCaptureFixture,
) -> None:
    cache = RenderCache(max_age=2.0)
    cache.put("k", Rendered("1-0", 0.0, b"old", etag_of(b"old")))
    outcomes = iter([ConnectionError("redis went away"), None])

    async def render() -> Rendered:
        failure = next(outcomes)
        if failure is not None:
            raise failure
        return Rendered("1-0", 4.0, b"new", etag_of(b"new"))

    assert (await cache.get_or_render("k", "1-0", render, now=3.0)).body == b"old"
    for _ in range(3):
        await asyncio.sleep(0)
    assert "redis went away" in caplog.text
    assert (await cache.get_or_render("k", "1-0", render, now=4.0)).body == b"old"
    for _ in range(3):
        await asyncio.sleep(0)
    fresh = cache.get("k", "1-0", now=4.5)
    assert fresh is not None and fresh.body == b"new"


def page(version: str, at: float, body: bytes) -> Rendered:
    return Rendered(version, at, body, etag_of(body))


def test_a_new_version_replaces_the_entry_and_its_bytes() -> None:
    cache = RenderCache()
    for n in range(1, 100):
        cache.put("k", page(f"{n}-0", float(n), b"x" * n))
    assert len(cache) == 1 and cache.bytes == 99
    assert cache.get("k", "99-0", now=99.0) is not None
    assert cache.get("k", "98-0", now=99.0) is None


def test_a_render_started_earlier_does_not_replace_a_later_one() -> None:
    cache = RenderCache()
    cache.put("k", page("2-0", 2.0, b"newer"))
    cache.put("k", page("1-0", 1.0, b"older"))  # finished last, read the version first
    kept = cache.get("k", "2-0", now=2.0)
    assert kept is not None and kept.body == b"newer" and cache.bytes == len(b"newer")


def test_bytes_are_bounded_and_a_page_over_the_budget_is_not_kept() -> None:
    cache = RenderCache(max_bytes=100)
    for key in "abcde":
        cache.put(key, page("1-0", 0.0, key.encode() * 40))
    assert cache.bytes == 80 and len(cache) == 2  # "d" and "e", the most recent
    cache.put("big", page("1-0", 0.0, b"z" * 101))
    assert cache.get("big", "1-0", now=0.0) is None and cache.bytes == 80
    cache.put("d", page("2-0", 1.0, b"z" * 101))  # "d"'s new page is too big: "d" is gone
    assert cache.get("d", "1-0", now=1.0) is None and cache.bytes == 40


async def test_a_request_for_a_newer_version_does_not_wait_for_an_older_render() -> None:
    cache = RenderCache()
    gate = asyncio.Event()

    async def old() -> Rendered:
        await gate.wait()
        return page("1-0", 0.0, b"old")

    async def new() -> Rendered:
        return page("2-0", 1.0, b"new")

    slow = asyncio.create_task(cache.get_or_render("k", "1-0", old, now=0.0))
    await asyncio.sleep(0)
    assert (await cache.get_or_render("k", "2-0", new, now=1.0)).body == b"new"
    gate.set()
    assert (await slow).body == b"old"  # its own requests get it; the cache keeps "2-0"
    kept = cache.get("k", "2-0", now=1.0)
    assert kept is not None and kept.body == b"new"


# ------------------------------------------------------------------------------------------
# The render cache stays bounded while story events keep changing the events version (an
# entry per version would hold a dead page per version, up to the entry cap): a page's entry
# is replaced by the render of a new version, not added beside it, and pages no longer
# servable are not kept alive. Real Redis, real app, real write path.


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


# The render cache keys pages by everything their absolute links are built from: on a real
# uvicorn socket, a JSON Feed rendered for an https request from a trusted proxy
# (X-Forwarded-Proto) is never served to a plain http request, nor one host's to another.
async def test_cached_feed_links_follow_the_scheme_and_host_of_each_request(
    bbc: Newsroom, app: FastAPI
) -> None:
    async with serve(app) as base, httpx.AsyncClient(base_url=base, timeout=10) as client:
        path = "/v1/briefings/ukraine/timeline.json"
        proxied = await client.get(path, headers={"X-Forwarded-Proto": "https"})
        plain = await client.get(path)
        other_host = await client.get(path, headers={"Host": "briefing.example"})
        proxied_again = await client.get(path, headers={"X-Forwarded-Proto": "https"})
    assert proxied.json()["feed_url"].startswith("https://127.0.0.1:")
    assert plain.json()["feed_url"].startswith("http://127.0.0.1:")
    assert other_host.json()["feed_url"].startswith("http://briefing.example/")
    assert proxied_again.json()["feed_url"] == proxied.json()["feed_url"]
    assert proxied.json()["items"] and len(app.state.render_cache) == 3  # one entry each


# ------------------------------------------------------------------------------------------
# Bounded staleness: while story events change the version every few milliseconds, a page of
# an older version is answered as is for half of ``staleness``, then while one render
# replaces it, and never from ``staleness`` on.


def test_an_older_version_is_answered_within_the_staleness_bound_only() -> None:
    cache = RenderCache(staleness=1.0)
    entry = page("1-0", 10.0, b"old")
    assert cache.freshness(entry, "2-0", now=10.4) is Freshness.SERVE
    assert cache.freshness(entry, "2-0", now=10.6) is Freshness.REFRESH
    assert cache.freshness(entry, "2-0", now=11.0) is Freshness.RENDER
    assert cache.freshness(entry, "1-0", now=11.0) is Freshness.SERVE  # same version: max_age
    assert cache.freshness(None, "1-0", now=10.0) is Freshness.RENDER
    strict = RenderCache(staleness=0.0)  # read-your-writes
    assert strict.freshness(entry, "2-0", now=10.0) is Freshness.RENDER


async def test_a_stream_of_versions_is_rendered_once_per_half_staleness() -> None:
    cache = RenderCache(staleness=1.0)
    renders: list[float] = []

    def render_at(version: str, now: float) -> Callable[[], Awaitable[Rendered]]:
        async def render() -> Rendered:
            renders.append(now)
            return page(version, now, f"page of {version}".encode())

        return render

    served = []
    for n in range(200):  # a new version every 5 ms, a request each: one second of churn
        now, version = n * 0.005, f"{n}-0"
        entry = await cache.get_or_render("k", version, render_at(version, now), now=now)
        served.append(entry)
        await asyncio.sleep(0)  # background renders land
        assert now - entry.at < cache.staleness
    assert renders == [0.0, 0.5]  # the first miss, then one background render
    assert {e.version for e in served} == {"0-0", "100-0"}
    assert cache.renders == 2


async def test_a_request_past_the_bound_joins_a_render_started_within_it() -> None:
    cache = RenderCache(staleness=1.0)
    cache.put("k", page("1-0", 0.0, b"old"))
    gate = asyncio.Event()

    async def render() -> Rendered:
        await gate.wait()
        return page("2-0", 0.6, b"new")

    assert (await cache.get_or_render("k", "2-0", render, now=0.6)).body == b"old"
    assert cache.servable("k", "3-0", now=0.9) is not None  # its refresh runs
    late = asyncio.create_task(cache.get_or_render("k", "3-0", render, now=1.2))
    await asyncio.sleep(0)
    assert not late.done()  # past the bound: waits, for the render that started at 0.6
    gate.set()
    assert (await late).body == b"new" and cache.renders == 1


# A real app under a burst of story events: one render, not one per request, while the bound
# holds; conditional requests answer 304 for the page served; past the bound, the new story.

STALENESS = 1.0


@pytest.fixture
async def churn_app(store: Store) -> FastAPI:
    return create_app(Settings(page_staleness=STALENESS), store, CONFIG, version_ttl=0)


async def test_a_burst_of_events_is_served_from_one_render_then_shown_past_the_bound(
    store: Store, churn_app: FastAPI
) -> None:
    url = "/v1/briefings/ukraine/timeline"
    await save_story(store, make_story("st_first", "Drone attack on Kharkiv power plant"))
    transport = httpx.ASGITransport(app=churn_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        first = await client.get(url)
        started = time.monotonic()
        cache = churn_app.state.render_cache
        for n in range(20):  # events keep coming; every request reads a newer version
            await save_story(store, make_story(f"st_burst_{n}", f"Burst report {n}"))
            again = await client.get(url)
            if time.monotonic() - started < STALENESS / 2:
                assert again.content == first.content
                assert again.headers["etag"] == first.headers["etag"]
        assert cache.renders <= 1 + 2 * (time.monotonic() - started) / STALENESS + 1
        unchanged = await client.get(url, headers={"If-None-Match": first.headers["etag"]})
        if time.monotonic() - started < STALENESS / 2:
            assert unchanged.status_code == 304
            assert unchanged.headers["etag"] == first.headers["etag"]
        await asyncio.sleep(STALENESS)
        after = await client.get(url, headers={"If-None-Match": first.headers["etag"]})
    assert after.status_code == 200
    headlines = {item["headline"] for item in after.json()["items"]}
    assert {f"Burst report {n}" for n in range(20)} <= headlines
    assert after.headers["etag"] == etag_of(after.content) != first.headers["etag"]
