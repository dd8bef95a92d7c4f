"""The render cache and the shared version read: one render per miss however many
requests wait, one entry per page that a new events version's render replaces, bounded in
entries and bytes, and a version read is shared."""

from __future__ import annotations

import asyncio

import pytest

from service.api.conditional import _matches, etag_of
from service.api.render_cache import RenderCache, Rendered, VersionClock


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


async def test_version_reads_are_shared_then_refreshed_in_the_background() -> None:
    clock = VersionClock(ttl=1.0)
    versions = iter(["1-0", "2-0", "3-0"])
    reads = 0

    async def fetch() -> str:
        nonlocal reads
        reads += 1
        return next(versions)

    assert await clock.read(fetch, now=0.0) == "1-0"
    assert await clock.read(fetch, now=0.5) == "1-0"
    assert reads == 1
    assert await clock.read(fetch, now=2.0) == "1-0"  # expired: stale value, one refresh
    assert await clock.read(fetch, now=2.1) == "1-0"
    await asyncio.sleep(0)
    assert reads == 2 and await clock.read(fetch, now=2.2) == "2-0"


async def test_zero_ttl_reads_every_time() -> None:
    clock = VersionClock(ttl=0)
    values = iter(["1-0", "2-0"])

    async def fetch() -> str:
        return next(values)

    assert [await clock.read(fetch, now=0.0), await clock.read(fetch, now=0.0)] == ["1-0", "2-0"]


def test_if_none_match_uses_weak_comparison_and_lists() -> None:
    tag = etag_of(b"x")
    assert _matches(tag, tag) and _matches(f"W/{tag}", tag) and _matches(f'"a", {tag}', tag)
    assert _matches("*", tag) and not _matches('"other"', tag)


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
