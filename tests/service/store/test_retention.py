"""Retention on a real Redis: old articles and stories go, identities stay as tombstones."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from service.ids import digest
from service.store import Store
from service.store.retention import prune
from service.store.stories import StoryBatch
from tests.factories import STORY_T0, T0, make_article, make_story, save_story
from workers.story_stage import StoryStage


async def test_prune_removes_old_and_keeps_recent(store: Store) -> None:
    old = [make_article(n) for n in range(3)]
    recent = [make_article(n, feed="https://b.example/feed") for n in range(3, 5)]
    stage = StoryStage(store, [])
    for a in old + recent:
        await store.articles.ingest(a)
        await store.articles.index(a, "feedid")
        await stage.handle(a, now=a.published)

    # Everything older than 2 minutes after T0+... : make_article(n) is published T0+n min.
    now = T0 + timedelta(days=30, minutes=3)
    report = await prune(store, now=now, retention=timedelta(days=30))
    assert report.articles == 3
    assert report.stories >= 1

    assert await store.articles.get_many([a.id for a in old]) == []
    assert [a.id for a in await store.articles.get_many([a.id for a in recent])] == [
        a.id for a in recent
    ]
    assert [a.id for a in (await store.articles.page(limit=10)).items] == ["art0004", "art0003"]
    for key in await store.redis.keys(f"{store.keys.articles_by_time}:*"):
        assert set(await store.redis.zrange(key, 0, -1)) <= {"art0003", "art0004"}
    # The identity survives as a tombstone: the same item polled again is not "new".
    ttl = await store.redis.ttl(store.keys.identity(digest(old[0].identity, 32)))
    assert ttl > 30 * 86_400
    assert await store.articles.ingest(old[0]) == "duplicate"
    for story_id in await store.redis.zrange(store.keys.stories_by("updated"), 0, -1):
        story = await store.stories.get(story_id)
        assert story is not None and story.last_updated >= now - timedelta(days=30)

    again = await prune(store, now=now, retention=timedelta(days=30))
    assert again.articles == 0 and again.stories == 0


async def test_a_merged_story_redirects_as_long_as_its_survivor_exists(store: Store) -> None:
    recent = make_story("st_recent")
    old = replace(make_story("st_old"), last_updated=STORY_T0 - timedelta(days=40))
    for survivor, absorbed in ((recent, "st_a"), (old, "st_b")):
        await save_story(store, survivor)
        batch = StoryBatch()
        batch.merge(survivor, make_story(absorbed), new_briefings=(), now=STORY_T0, stored=None)
        await store.stories.write_batch(batch, None)
    # st_c was merged into st_b before st_b went into st_old: a chain.
    await store.redis.hset(store.keys.story_merged_into, "st_c", "st_b")
    await prune(store, now=STORY_T0, retention=timedelta(days=30))
    assert await store.stories.get("st_old") is None
    assert await store.redis.hgetall(store.keys.story_merged_into) == {"st_a": "st_recent"}
    assert await store.stories.merged_into("st_a") == "st_recent"


async def merge(store: Store, survivor: str, absorbed: str) -> None:
    batch = StoryBatch()
    batch.merge(make_story(survivor), make_story(absorbed), new_briefings=(), now=STORY_T0,
                stored=None)  # fmt: skip
    await store.stories.write_batch(batch, None)


async def test_a_merge_during_the_prune_keeps_the_redirects_it_extends(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    for story_id in ("st_s", "st_t"):
        await save_story(store, make_story(story_id))
    await merge(store, "st_t", "st_a")
    read = store.redis.hgetall

    async def read_then_merge(key: str) -> Any:
        # The process stage merges st_t into st_s right after the prune read the
        # redirects: st_a -> st_t now leads on to st_s, though st_t's record is gone.
        found = await read(key)
        monkeypatch.setattr(store.redis, "hgetall", read)
        await merge(store, "st_s", "st_t")
        return found

    monkeypatch.setattr(store.redis, "hgetall", read_then_merge)
    await prune(store, now=STORY_T0, retention=timedelta(days=30))
    assert await store.redis.hgetall(store.keys.story_merged_into) == {
        "st_a": "st_t",
        "st_t": "st_s",
    }
    assert await store.stories.merged_into("st_a") == "st_s"
