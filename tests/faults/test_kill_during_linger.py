"""A process worker killed -9 while its read lingers (BRIEFING_PROCESS_LINGER) for more
entries: what it had read stays pending and is taken over, what arrived meanwhile is read
by its successor; every article ends in exactly one story, once."""

from __future__ import annotations

import asyncio
from collections import Counter
from pathlib import Path

import pytest
from redis.exceptions import ResponseError

from service.store import Store
from service.store.connection import RedisTarget
from tests import factories
from tests.support.redis_fixture import redis_url_of
from tests.support.worker_processes import (
    Workers,
    entry_messages,
    keep_entries,
    one_story_each,
    pending_entries,
    worker_env,
)

pytestmark = pytest.mark.slow
KILLS = 4


async def pending_articles(store: Store) -> set[str]:
    """Articles whose entries a consumer has read and not acknowledged."""
    found: set[str] = set()
    for partition in range(int(await store.redis.get(store.keys.partition_count) or 1)):
        stream = store.keys.entries(partition)
        try:
            rows = await store.redis.xpending_range(stream, "process", "-", "+", 1000)
        except ResponseError:  # no group yet: the worker has not started reading
            continue
        held = {row["message_id"] for row in rows}
        found |= {f["article"] for i, f in await store.redis.xrange(stream) if i in held}
    return found


async def test_kill_nine_during_a_linger_loses_and_duplicates_nothing(
    tmp_path: Path, store: Store, redis_target: RedisTarget
) -> None:
    config = tmp_path / "feeds.toml"
    config.write_text('[[briefings]]\nid = "all"\ntitle = "Everything"\n')
    workers = Workers(
        # The longest linger allowed: a read of one entry waits half a second for more,
        # so the kill below lands in it (its batch takes milliseconds after it).
        env={**worker_env(redis_url_of(redis_target), config), "BRIEFING_PROCESS_LINGER": "0.5"},
        log_dir=tmp_path,
        roles=[["process"]],
    )
    await keep_entries(store)
    await workers.start_all()
    articles = [factories.make_article(n) for n in range(2 * KILLS)]
    try:
        for kill in range(KILLS):
            read, arriving = articles[2 * kill], articles[2 * kill + 1]
            await store.articles.ingest(read)
            async with asyncio.timeout(60):  # the (re)started worker reads it, and lingers
                while read.id not in await pending_articles(store):
                    assert not workers.crashed(), f"the worker crashed; logs in {tmp_path}"
                    await asyncio.sleep(0.02)
            await store.articles.ingest(arriving)
            await workers.kill(0)
            # Killed with the entry read and unacknowledged.
            assert read.id in await pending_articles(store)
            await workers.start(0)
        async with asyncio.timeout(90):
            while (  # noqa: ASYNC110 (polling Redis)
                await store.redis.hlen(store.keys.story_of_article) < len(articles)
                or await pending_entries(store) > 0
            ):
                await asyncio.sleep(0.2)
    finally:
        codes = await workers.stop_all()
    assert all(code == 0 for code in codes), f"clean SIGTERM shutdown expected: {codes}"

    expected = {a.id for a in articles}
    news = Counter(f["article"] for _id, f in await entry_messages(store))
    assert set(news) == expected and max(news.values()) == 1
    await one_story_each(store, expected)
