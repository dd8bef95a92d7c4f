"""Retention on a real Redis: old articles and stories go, identities stay as tombstones."""

from __future__ import annotations

from datetime import timedelta

from service.store import Store
from service.store.keys import digest
from service.store.retention import prune
from tests.factories import T0, make_article
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
