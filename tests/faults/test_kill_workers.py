"""Kill -9 worker processes at random moments while real feeds replay: at the end every
served entry is stored exactly once, every article is in exactly one story, and every
event reached a verifying webhook receiver at least once, under one webhook-id. One
worker runs its process stage in a child (service/stage_child.py): it is killed with its
parent, or alone (its parent starts it again)."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import time
from collections import Counter
from pathlib import Path

import pytest

from service.clock import utcnow
from service.store import Store
from service.store.connection import RedisTarget
from service.store.subscriptions import SubscriptionStore
from service.webhooks.filters import Filters
from service.webhooks.secretbox import SecretBox
from tests.feedserver import FeedServer
from tests.support.processes import stage_children
from tests.support.redis_fixture import redis_url_of
from tests.support.webhook_receiver import Receiver
from tests.support.worker_processes import (
    Workers,
    entry_messages,
    keep_entries,
    one_story_each,
    pending_entries,
    real_feeds,
    worker_env,
    write_config,
)
from workers.entry_identity import article_id

pytestmark = pytest.mark.slow
KILLS = 12
SECRET = "fault-test-secret-key"
SPLIT = 2  # the worker whose process stage runs in a child


async def kill_stage_child(workers: Workers, pause: float) -> None:
    """Kill -9 the split worker's process-stage child (once it has one; its parent starts
    it again after a second); the parent must go on running."""
    parent = workers.processes[SPLIT]
    assert parent is not None
    async with asyncio.timeout(60):
        while not (children := stage_children(parent.pid)):  # noqa: ASYNC110
            await asyncio.sleep(0.1)
    os.kill(children[0], signal.SIGKILL)
    await asyncio.sleep(pause)
    assert parent.returncode is None, "the worker ended with its process-stage child"


async def converged(store: Store, expected: set[str]) -> None:
    """Wait until every expected article is in a story and nothing is pending."""
    while True:
        assigned = await store.redis.hlen(store.keys.story_of_article)
        if assigned >= len(expected) and await pending_entries(store) == 0:
            return
        await asyncio.sleep(0.5)


async def all_delivered(store: Store, receiver: Receiver) -> None:
    """Wait until the receiver got every event of the events stream."""
    while True:
        events = {i for i, _f in await store.redis.xrange(store.keys.events_stream)}
        got = {r.json["event_id"] for r in receiver.received if r.verified_with}
        if events <= got:
            return
        await asyncio.sleep(0.5)


async def test_kill_nine_loses_and_duplicates_nothing(
    tmp_path: Path, feed_server: FeedServer, store: Store, redis_target: RedisTarget
) -> None:
    seed = int(os.environ.get("FAULT_SEED", "20261125"))
    rng = random.Random(seed)
    feeds = real_feeds(limit=12, at_least=6)
    assert len(feeds) >= 6, "not enough real feed documents"
    config = tmp_path / "feeds.toml"
    write_config(config, feed_server, feeds)
    redis_url = redis_url_of(redis_target)
    receiver = Receiver(clock=utcnow)
    await receiver.start()
    subscriptions = SubscriptionStore(store.redis, store.keys, SecretBox.from_passphrase(SECRET))
    _sub, secret = await subscriptions.create(
        url=receiver.url(),
        events=["story.created", "story.updated", "feed.failing"],
        filters=Filters(),
        description="fault test",
        now=utcnow(),
    )
    receiver.secrets.append(secret)
    workers = Workers(
        env={**worker_env(redis_url, config), "BRIEFING_SECRET_KEY": SECRET},
        log_dir=tmp_path,
        roles=[["fetch", "process"], ["fetch", "process"], ["all"]],
        # A niceness above 0 puts this worker's process stage in a child process; 1 keeps
        # it scheduled promptly enough for leases of 2 s beside the suite.
        env_of={SPLIT: {"BRIEFING_WORKER_NICENESS": "1"}},
    )
    await keep_entries(store)
    await workers.start_all()
    try:
        for _kill in range(KILLS):
            await asyncio.sleep(rng.uniform(0.3, 1.5))
            assert not workers.crashed(), f"a worker crashed (seed {seed}); logs in {tmp_path}"
            victim = rng.randrange(len(workers.processes) + 1)
            if victim == len(workers.processes):  # the split worker's process-stage child
                await kill_stage_child(workers, rng.uniform(0.0, 0.5))
                continue
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
        async with asyncio.timeout(60):
            await all_delivered(store, receiver)
    finally:
        codes = await workers.stop_all()
        await receiver.stop()
    assert all(code == 0 for code in codes), f"clean SIGTERM shutdown expected: {codes}"

    # Every served entry stored exactly once.
    messages = await entry_messages(store)
    news = Counter(f["article"] for _id, f in messages if f.get("kind") == "new")
    assert set(news) == expected, (
        f"missing {len(expected - set(news))}, extra {len(set(news) - expected)}"
    )
    assert max(news.values()) == 1
    assert await store.articles.count() == len(expected)

    # Every article in exactly one story, and stories agree with the assignment.
    await one_story_each(store, expected)

    # Every event delivered at least once, verified, and under exactly one webhook-id.
    assert receiver.received and all(r.verified_with for r in receiver.received), [
        r.problem for r in receiver.received if not r.verified_with
    ]
    ids_per_event: dict[str, set[str]] = {}
    for r in receiver.received:
        ids_per_event.setdefault(r.json["event_id"], set()).add(r.webhook_id)
    events = [i for i, _f in await store.redis.xrange(store.keys.events_stream)]
    assert set(events) <= set(ids_per_event)
    assert all(len(ids) == 1 for ids in ids_per_event.values())
    assert len({next(iter(ids)) for ids in ids_per_event.values()}) == len(ids_per_event)
