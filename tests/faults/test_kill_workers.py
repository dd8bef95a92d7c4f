"""Kill -9 worker processes at random moments while real feeds replay: at the end every
served entry is stored exactly once and every article is in exactly one story."""

from __future__ import annotations

import asyncio
import os
import random
import time
from collections import Counter
from pathlib import Path

import pytest

from service.store import Store
from service.store.connection import RedisTarget
from tests.faults.cluster import Workers, real_feeds, worker_env, write_config
from tests.feedserver import FeedServer
from workers.identity import article_id

pytestmark = pytest.mark.slow
KILLS = 12


async def converged(store: Store, expected: set[str]) -> None:
    """Wait until every expected article is in a story and nothing is pending."""
    while True:
        assigned = await store.redis.hlen(store.keys.story_of_article)
        pending = await store.redis.xpending(store.keys.entries_stream, "process")
        if assigned >= len(expected) and pending["pending"] == 0:
            return
        await asyncio.sleep(0.5)


async def test_kill_nine_loses_and_duplicates_nothing(
    tmp_path: Path, feed_server: FeedServer, store: Store, redis_target: RedisTarget
) -> None:
    seed = int(os.environ.get("FAULT_SEED", "20261125"))
    rng = random.Random(seed)
    feeds = real_feeds(limit=12)
    assert len(feeds) >= 6, "not enough real feed documents"
    config = tmp_path / "feeds.toml"
    write_config(config, feed_server, feeds)
    redis_url = os.environ.get("REDIS_URL") or f"unix://{redis_target.unix_socket}"
    workers = Workers(
        env=worker_env(redis_url, config),
        log_dir=tmp_path,
        roles=[["fetch", "process"], ["fetch", "process"], ["all"]],
    )
    await workers.start_all()
    try:
        for _kill in range(KILLS):
            await asyncio.sleep(rng.uniform(0.3, 1.5))
            assert not workers.crashed(), f"a worker crashed (seed {seed}); logs in {tmp_path}"
            victim = rng.randrange(len(workers.processes))
            await workers.kill(victim)
            await asyncio.sleep(rng.uniform(0.0, 0.5))
            await workers.start(victim)
        deadline = time.monotonic() + 90
        while not all(f.done for f in feeds) and time.monotonic() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.3)
        assert all(f.done for f in feeds), [(f.name, f.revealed, len(f.items)) for f in feeds]
        await asyncio.sleep(2.5)  # one more poll of every feed after its last reveal
        expected = {article_id("url:" + link) for f in feeds for _guid, link, _title in f.items}
        async with asyncio.timeout(60):
            await converged(store, expected)
    finally:
        codes = await workers.stop_all()
    assert all(code == 0 for code in codes), f"clean SIGTERM shutdown expected: {codes}"

    # Every served entry stored exactly once.
    messages = await store.redis.xrange(store.keys.entries_stream)
    news = Counter(f["article"] for _id, f in messages if f.get("kind") == "new")
    assert set(news) == expected, (
        f"missing {len(expected - set(news))}, extra {len(set(news) - expected)}"
    )
    assert max(news.values()) == 1
    assert await store.articles.count() == len(expected)

    # Every article in exactly one story, and stories agree with the assignment.
    assignment = await store.redis.hgetall(store.keys.story_of_article)
    assert set(assignment) == expected
    members: Counter[str] = Counter()
    for story in await store.stories.get_many(sorted(set(assignment.values()))):
        for member_id in story.article_ids:
            members[member_id] += 1
            assert assignment[member_id] == story.id
    assert set(members) == expected and max(members.values()) == 1
    created = [f for _i, f in await store.redis.xrange(store.keys.events_stream)
               if f["type"] == "story.created"]  # fmt: skip
    assert len(created) == len(set(assignment.values())), "one story.created per story"
