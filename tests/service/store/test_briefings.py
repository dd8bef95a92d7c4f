"""Briefings in Redis (service/store/briefings.py): seed once, edit, version, cache."""

from __future__ import annotations

import argparse
import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
import redis

from service.config import BriefingConfig
from service.store import Store
from service.store.briefings import BriefingCache, briefing_from_json, briefing_to_json
from service.store.connection import RedisTarget
from tests.support.redis_fixture import redis_url_of

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
WORLD = BriefingConfig(id="world", title="World news")
UKRAINE = BriefingConfig(
    id="ukraine",
    title="Ukraine",
    description="The war",
    include=("ukrain*", "kyiv"),
    exclude=("football",),
    languages=("en", "uk"),
    feeds=("https://kyivindependent.example/rss",),
    places=("UA", "Kharkiv"),
)
SPORT = BriefingConfig(id="sport", title="Sport", include=("football",))


def test_json_round_trip_keeps_every_field() -> None:
    assert briefing_from_json(briefing_to_json(UKRAINE)) == UKRAINE


async def test_seed_writes_only_into_a_never_seeded_store(store: Store) -> None:
    assert await store.briefings.version() == 0
    assert await store.briefings.seed([WORLD, UKRAINE]) is True
    assert await store.briefings.all() == (WORLD, UKRAINE)  # the file's order
    version = await store.briefings.version()
    assert version > 0
    # A restart with another file: Redis keeps what it holds (admin edits survive).
    assert await store.briefings.seed([SPORT]) is False
    assert await store.briefings.all() == (WORLD, UKRAINE)
    assert await store.briefings.version() == version


async def test_deleting_every_briefing_still_counts_as_seeded(store: Store) -> None:
    await store.briefings.seed([WORLD])
    assert await store.briefings.delete("world") is True
    assert await store.briefings.seed([WORLD, SPORT]) is False
    assert await store.briefings.all() == ()


async def test_seeding_nothing_marks_the_store_seeded(store: Store) -> None:
    assert await store.briefings.seed([]) is True
    assert await store.briefings.version() == 1
    assert await store.briefings.seed([WORLD]) is False


async def test_every_change_bumps_the_version(store: Store) -> None:
    await store.briefings.seed([WORLD])
    versions = [await store.briefings.version()]

    assert await store.briefings.create(SPORT, now=NOW) is True
    versions.append(await store.briefings.version())
    assert await store.briefings.create(replace(SPORT, title="Other"), now=NOW) is False
    assert await store.briefings.version() == versions[-1]  # refused: no change, no bump
    assert (await store.briefings.get("sport")) == SPORT

    assert await store.briefings.put(replace(SPORT, title="Games"), now=NOW) is False  # replaced
    versions.append(await store.briefings.version())
    changed = await store.briefings.update("sport", lambda b: replace(b, languages=("en",)))
    assert changed == replace(SPORT, title="Games", languages=("en",))
    versions.append(await store.briefings.version())
    assert await store.briefings.delete("sport") is True
    versions.append(await store.briefings.version())
    assert await store.briefings.delete("sport") is False
    assert await store.briefings.update("sport", lambda b: b) is None
    assert await store.briefings.version() == versions[-1]

    assert versions == sorted(set(versions)), versions  # strictly increasing
    assert await store.briefings.get("sport") is None


async def test_list_order_is_file_order_then_creation_and_replace_keeps_place(
    store: Store,
) -> None:
    await store.briefings.seed([WORLD, UKRAINE])
    await store.briefings.put(SPORT, now=NOW)
    later = BriefingConfig(id="a-later-one", title="Later")
    await store.briefings.create(later, now=NOW + timedelta(seconds=1))
    await store.briefings.put(replace(WORLD, title="World"), now=NOW + timedelta(seconds=2))
    ids = [b.id for b in await store.briefings.all()]
    assert ids == ["world", "ukraine", "sport", "a-later-one"]


async def test_concurrent_updates_lose_nothing(store: Store) -> None:
    await store.briefings.seed([WORLD])

    def add(word: str):  # type: ignore[no-untyped-def]
        return lambda b: replace(b, include=(*b.include, word))

    words = [f"word{i}" for i in range(20)]
    await asyncio.gather(*(store.briefings.update("world", add(w)) for w in words))
    world = await store.briefings.get("world")
    assert world is not None and sorted(world.include) == sorted(words)


async def test_a_write_decides_again_on_what_another_writer_or_a_new_story_left(
    store: Store, redis_target: RedisTarget
) -> None:
    # ``write`` hands ``decide`` the briefing and its story count and writes what it
    # returns in one transaction: a change or a new story between the read and the write
    # makes it read and decide again (the API compares If-Match with an ETag over both).
    await store.briefings.seed([WORLD])
    other = redis.Redis.from_url(redis_url_of(redis_target), decode_responses=True)
    timeline = store.keys.briefing_stories("world", "updated")
    seen: list[tuple[str, int]] = []

    def decide(current: BriefingConfig | None, stories: int) -> BriefingConfig:
        assert current is not None
        seen.append((current.title, stories))
        if len(seen) == 1:  # another writer, then a new story, get in between
            other.hset(store.keys.briefings, "world", briefing_to_json(replace(WORLD, title="B")))
        elif len(seen) == 2:
            other.zadd(timeline, {"story-1": 1})
        return replace(current, description="decided")

    try:
        before, after = await store.briefings.write("world", decide)
    finally:
        other.close()
    assert seen == [("World news", 0), ("B", 0), ("B", 1)]
    assert before == replace(WORLD, title="B")
    assert (
        after
        == await store.briefings.get("world")
        == replace(WORLD, title="B", description="decided")
    )


async def test_a_checked_create_checks_again_on_what_another_writer_or_a_new_story_left(
    store: Store, redis_target: RedisTarget
) -> None:
    # ``create_checked`` hands ``check`` every briefing and its story count and creates in
    # one transaction with that read: a change or a new story in any briefing between
    # them makes it read and check again (the API compares the list's ETag with both).
    await store.briefings.seed([WORLD, UKRAINE])
    other = redis.Redis.from_url(redis_url_of(redis_target), decode_responses=True)
    seen: list[tuple[tuple[str, ...], tuple[int, ...]]] = []

    def check(current: tuple[BriefingConfig, ...], counts: tuple[int, ...]) -> None:
        seen.append((tuple(b.title for b in current), counts))
        if len(seen) == 1:  # another writer, then a new story, get in between
            other.hset(store.keys.briefings, "world", briefing_to_json(replace(WORLD, title="B")))
        elif len(seen) == 2:
            other.zadd(store.keys.briefing_stories("ukraine", "updated"), {"story-1": 1})

    try:
        assert await store.briefings.create_checked(SPORT, check, now=NOW) is True
    finally:
        other.close()
    assert seen == [
        (("World news", "Ukraine"), (0, 0)),
        (("B", "Ukraine"), (0, 0)),
        (("B", "Ukraine"), (0, 1)),
    ]
    assert [b.id for b in await store.briefings.all()] == ["world", "ukraine", "sport"]

    def refuse(_current: tuple[BriefingConfig, ...], _counts: tuple[int, ...]) -> None:
        raise LookupError("refused")

    version = await store.briefings.version()
    with pytest.raises(LookupError):
        await store.briefings.create_checked(replace(SPORT, id="other"), refuse, now=NOW)
    assert await store.briefings.create_checked(SPORT, lambda _b, _n: None, now=NOW) is False
    assert await store.briefings.version() == version  # neither wrote anything


async def test_cache_keeps_initial_list_until_seeded_then_follows_the_version(
    store: Store,
) -> None:
    cache = BriefingCache(store.briefings, initial=[WORLD], every=1.0)
    assert await cache.refresh(now=0.0) is False  # never seeded: the initial list stands
    assert cache.briefings == (WORLD,)

    await store.briefings.seed([WORLD, UKRAINE])
    assert await cache.refresh(now=0.5) is False  # checked less than `every` ago: no read
    assert cache.briefings == (WORLD,)
    assert await cache.refresh(now=1.0) is True
    assert cache.briefings == (WORLD, UKRAINE)
    assert cache.version == await store.briefings.version()

    assert await cache.refresh(now=2.0) is False  # version unchanged
    await store.briefings.delete("world")
    assert await cache.refresh(now=2.1, force=True) is True  # after an edit: at once
    assert cache.briefings == (UKRAINE,)


async def test_cache_seeds_once_and_concurrent_first_readers_wait_for_it(store: Store) -> None:
    cache = BriefingCache(store.briefings, initial=[WORLD], seed=[WORLD, SPORT])
    assert cache.due(0.0)
    results = await asyncio.gather(*(cache.refresh(now=0.0) for _ in range(5)))
    assert results == [True] * 5  # all waited for the one first read
    assert not cache.due(0.5)
    assert cache.briefings == (WORLD, SPORT)
    assert await store.briefings.all() == (WORLD, SPORT)


async def test_cache_serves_the_seed_while_redis_refuses_it_and_seeds_once_it_takes_writes(
    server_store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    """A never-seeded store whose Redis is full: the seed is refused, the initial list
    stands (one warning, not one per check), and a later check writes the seed."""
    store = server_store
    cache = BriefingCache(store.briefings, initial=[WORLD, SPORT], seed=[WORLD, SPORT])
    await store.redis.config_set("maxmemory", 1)
    try:
        assert await cache.refresh(now=0.0) is False
        assert await cache.refresh(now=5.0) is False
        with pytest.raises(redis.exceptions.ResponseError, match="maxmemory"):
            await cache.seeded()  # what a writer calls first: the refusal, raised
    finally:
        await store.redis.config_set("maxmemory", 0)
    assert cache.briefings == (WORLD, SPORT)
    refused = [r for r in caplog.records if "briefings not seeded" in r.getMessage()]
    assert len(refused) == 1 and "out of memory" in refused[0].getMessage()
    assert await store.briefings.version() == 0
    await cache.refresh(now=10.0)
    assert await store.briefings.all() == (WORLD, SPORT)
    assert cache.version == await store.briefings.version() == 1


async def test_cli_start_seeds_once_then_runs_with_what_redis_holds(store: Store) -> None:
    from service.cli import seed_briefings
    from service.config import AppConfig

    config = AppConfig(briefings=(WORLD, UKRAINE))
    assert (await seed_briefings(store, config)).briefings == (WORLD, UKRAINE)
    await store.briefings.delete("ukraine")
    await store.briefings.put(SPORT, now=NOW)
    # The next start with the same file: the workers and the API get the edited list.
    assert (await seed_briefings(store, config)).briefings == (WORLD, SPORT)


async def test_briefing_check_reports_briefings_edited_since_the_seed(
    store: Store, redis_target: RedisTarget, capsys: pytest.CaptureFixture[str]
) -> None:
    from service.cli import cmd_check, seed_briefings
    from service.config import AppConfig
    from service.settings import Settings

    config = AppConfig(briefings=(WORLD, UKRAINE))
    url = redis_url_of(redis_target)
    settings = Settings(redis_url=url)
    await seed_briefings(store, config)
    assert await cmd_check(argparse.Namespace(), settings, config) == 0
    assert "briefings: Redis holds" not in capsys.readouterr().out
    await store.briefings.delete("world")
    assert await cmd_check(argparse.Namespace(), settings, config) == 0
    assert "briefings: Redis holds 1 (ukraine), edited since" in capsys.readouterr().out
