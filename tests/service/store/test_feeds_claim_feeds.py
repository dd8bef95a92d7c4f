"""FeedStore.claim_due_feeds: the atomic claim, returning each feed as stored (real Redis)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from service.models import FeedConfig, FeedState
from service.store import Store
from service.store.feeds import lease_end

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


async def test_claimed_feeds_come_with_config_and_state(store: Store) -> None:
    feed_id, _ = await store.feeds.add(
        FeedConfig(url="https://x.example/rss", name="X", interval=120), first_poll=NOW
    )
    state = FeedState(url="https://x.example/rss", etag='"e"', body_hash="h", last_success=NOW)
    await store.feeds.record_poll(feed_id, state)
    await store.feeds.schedule_now(feed_id, NOW)
    [(claimed_id, feed)] = await store.feeds.claim_due_feeds(now=NOW, limit=10, lease_seconds=60)
    assert claimed_id == feed_id and feed is not None
    assert feed == await store.feeds.get(feed_id)
    assert (feed.config.name, feed.config.interval) == ("X", 120)
    assert (feed.state.etag, feed.state.body_hash, feed.state.last_success) == ('"e"', "h", NOW)


async def test_concurrent_claims_never_hand_out_a_feed_twice(store: Store) -> None:
    for n in range(40):
        await store.feeds.add(FeedConfig(url=f"https://x.example/{n}"), first_poll=NOW)
    claims = await asyncio.gather(
        *(store.feeds.claim_due_feeds(now=NOW, limit=7, lease_seconds=60) for _ in range(10))
    )
    ids = [feed_id for claim in claims for feed_id, _ in claim]
    assert len(ids) == len(set(ids)) == 40
    assert all(feed is not None and feed.id == i for claim in claims for i, feed in claim)
    later = NOW + timedelta(seconds=59)
    assert await store.feeds.claim_due_feeds(now=later, limit=100, lease_seconds=60) == []
    expired = NOW + timedelta(seconds=61)
    assert len(await store.feeds.claim_due_feeds(now=expired, limit=100, lease_seconds=60)) == 40


async def test_a_scheduled_id_without_its_hash_comes_back_as_none(store: Store) -> None:
    feed_id, _ = await store.feeds.add(FeedConfig(url="https://x.example/gone"), first_poll=NOW)
    await store.redis.delete(store.keys.feed(feed_id))
    assert await store.feeds.claim_due_feeds(now=NOW, limit=10, lease_seconds=60) == [
        (feed_id, None)
    ]


async def test_a_claim_says_when_each_feed_was_due_and_can_be_handed_back(store: Store) -> None:
    ids = [
        (
            await store.feeds.add(
                FeedConfig(url=f"https://x.example/{n}"), first_poll=NOW - timedelta(seconds=n)
            )
        )[0]
        for n in range(3)
    ]
    claimed = await store.feeds.claim_due_batch(now=NOW, limit=10, lease_seconds=60)
    assert [c.id for c in claimed] == ids[::-1]  # oldest due first
    assert {c.id: c.due for c in claimed} == {
        feed_id: (NOW - timedelta(seconds=n)).timestamp() for n, feed_id in enumerate(ids)
    }
    held = lease_end(NOW, 60)
    # One of them was claimed again by another worker after its lease ran out.
    taken = ids[0]
    await store.redis.zadd(store.keys.feeds_due, {taken: held + 100}, xx=True)
    back = await store.feeds.hand_back({c.id: (held, c.due) for c in claimed})
    assert sorted(back) == sorted(ids[1:])
    again = await store.feeds.claim_due_batch(now=NOW, limit=10, lease_seconds=60)
    assert [c.id for c in again] == [ids[2], ids[1]]
    assert await store.redis.zscore(store.keys.feeds_due, taken) == held + 100
