"""The subscription store against real Redis: what deleting a subscription removes."""

from __future__ import annotations

import pytest

from service.store import Store, deliveries
from service.store.deliveries import DeliveryStore, NewEvent, delivery_id_for
from service.store.subscriptions import SubscriptionStore
from service.webhooks.filters import Filters
from tests.factories import STORY_T0 as NOW


async def test_deleting_a_subscription_removes_every_delivery_still_queued(
    store: Store, subs: SubscriptionStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The delivery log keeps the newest ``LOG_KEPT`` deliveries; a queued delivery that
    fell out of it (a subscription disabled while events kept coming) has no expiry, so
    deleting the subscription must find it in the queue."""
    monkeypatch.setattr(deliveries, "LOG_KEPT", 2)
    sub, _secret = await subs.create(
        url="http://127.0.0.1:9/hook", events=["story.created"], filters=Filters(),
        description="", now=NOW,
    )  # fmt: skip
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
