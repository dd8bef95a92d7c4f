"""The subscription store against real Redis: what deleting a subscription removes."""

from __future__ import annotations

import pytest

from service.store import Store, deliveries
from service.store.deliveries import (
    AttemptRecord,
    DeliveryStore,
    NewEvent,
    Outcome,
    Redelivery,
    delivery_id_for,
)
from service.store.subscriptions import SubscriptionStore
from tests.factories import STORY_T0 as NOW
from tests.support.webhooks import unheard


async def test_deleting_a_subscription_removes_every_delivery_still_queued(
    store: Store, subs: SubscriptionStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The delivery log keeps the newest ``LOG_KEPT`` deliveries; a queued delivery that
    fell out of it (more queued than that for an endpoint that keeps failing) has no
    expiry, so
    deleting the subscription must find it in the queue."""
    monkeypatch.setattr(deliveries, "LOG_KEPT", 2)
    sub = await unheard(subs)
    queue = DeliveryStore(store.redis, store.keys)
    events = [f"{n}-0" for n in range(1, 5)]
    await queue.enqueue_many(
        [NewEvent(e, "story.created", b"{}", [sub.id]) for e in events], now=NOW
    )
    page, _ = await queue.page_for(sub.id, before=None, limit=10)
    assert len(page) == 2  # the two oldest are queued but out of the log

    assert await subs.delete(sub.id)
    for event_id in events:
        delivery_id = delivery_id_for(sub.id, event_id)
        assert not await store.redis.exists(
            store.keys.delivery(delivery_id), store.keys.delivery_attempts(delivery_id)
        ), event_id
    assert not await store.redis.exists(store.keys.due_deliveries(sub.id))


async def test_a_delivery_of_a_deleted_subscription_is_not_redelivered(
    store: Store, subs: SubscriptionStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A finished delivery that fell out of the log outlives its deleted subscription
    until its record expires; redelivering it would queue, without an expiry, what no
    notifier can send. It is unknown, as the deliveries the delete removed are."""
    monkeypatch.setattr(deliveries, "LOG_KEPT", 1)
    sub = await unheard(subs)
    queue = DeliveryStore(store.redis, store.keys)
    await queue.enqueue_many(
        [NewEvent(e, "story.created", b"{}", [sub.id]) for e in ("1-0", "2-0")], now=NOW
    )
    claims = await queue.claim(now=NOW, lease_seconds=45, budget=10, default_cap=4, caps={})
    await queue.complete_many(
        [Outcome(c, "succeeded", 1, None, AttemptRecord(NOW, 204, 3.0)) for c in claims]
    )
    assert await subs.delete(sub.id)
    outlived = delivery_id_for(sub.id, "1-0")
    assert await queue.get(outlived) is not None  # out of the log, expiring on its own

    assert await queue.redeliver(outlived, now=NOW) is Redelivery.UNKNOWN
    assert not await store.redis.exists(store.keys.due_deliveries(sub.id))
    assert await store.redis.ttl(store.keys.delivery(outlived)) > 0
