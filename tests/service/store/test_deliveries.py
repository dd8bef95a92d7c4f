"""The delivery store's lifetimes (real Redis): a body lasts as long as any record that
can still send it, and a redelivery whose body is gone is refused, leaving the record as
it was.

Redis expires keys on its own clock, so an old body is one stored with a short
retention: a store whose ``retention_seconds`` is 60 queues the body a delivery queued
30 days less a minute earlier would have (a minute left)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from service.store import Store
from service.store.deliveries import (
    DELIVERY_FORMAT,
    EXPIRED_ATTEMPT,
    NEWER_FORMAT_WAIT,
    AttemptRecord,
    Claim,
    DeliveryStore,
    NewEvent,
    Outcome,
    Redelivery,
    body_id_for,
    delivery_id_for,
    ms,
)
from service.store.subscriptions import SubscriptionStore
from tests.factories import STORY_T0 as NOW
from tests.support.webhooks import unheard

MONTH = 30 * 86_400
A_MINUTE_LEFT = 60


async def finished(
    store: Store, *, event_id: str, sub_id: str, queued_by: DeliveryStore, sent_as: str
) -> DeliveryStore:
    """One delivery of ``event_id`` (a ``story.merged``, sent as ``sent_as``) queued by
    ``queued_by``, then claimed and finished by a store keeping records a month."""
    body_id = body_id_for(event_id, "story.merged", sent_as)
    await queued_by.enqueue_many(
        [NewEvent(event_id, sent_as, b'{"type": "x"}', [sub_id], body_id)], now=NOW
    )
    month = DeliveryStore(store.redis, store.keys, retention_seconds=MONTH)
    [claim] = await month.claim(now=NOW, lease_seconds=45, budget=10, default_cap=4, caps={})
    await month.complete_many([succeeded(claim, NOW)])
    return month


@pytest.fixture
async def sub_id(subs: SubscriptionStore) -> str:
    return (await unheard(subs)).id


def succeeded(claim: Claim, at: datetime) -> Outcome:
    return Outcome(claim, "succeeded", claim.attempts + 1, None, AttemptRecord(at, 204, 3.0))


async def test_a_finished_deliverys_body_lives_as_long_as_its_record(
    store: Store, sub_id: str
) -> None:
    short = DeliveryStore(store.redis, store.keys, retention_seconds=A_MINUTE_LEFT)
    for event_id, sent_as in (("1-0", "story.merged"), ("2-0", "story.updated")):
        await finished(store, event_id=event_id, sub_id=sub_id, queued_by=short, sent_as=sent_as)
        record = store.keys.delivery(delivery_id_for(sub_id, event_id))
        body = store.keys.webhook_body(body_id_for(event_id, "story.merged", sent_as))
        assert await store.redis.ttl(body) >= await store.redis.ttl(record) > A_MINUTE_LEFT


async def test_a_redelivery_gives_its_body_a_whole_retention(store: Store, sub_id: str) -> None:
    """Redelivered a minute before its body would expire, a delivery's new round of
    attempts (up to a day and more) still has its body."""
    short = DeliveryStore(store.redis, store.keys, retention_seconds=A_MINUTE_LEFT)
    await short.enqueue_many([NewEvent("1-0", "story.merged", b"{}", [sub_id])], now=NOW)
    [claim] = await short.claim(now=NOW, lease_seconds=45, budget=10, default_cap=4, caps={})
    await short.complete_many([succeeded(claim, NOW)])  # body and record: a minute left

    month = DeliveryStore(store.redis, store.keys, retention_seconds=MONTH)
    assert await month.redeliver(claim.delivery_id, now=NOW) is Redelivery.QUEUED
    assert await store.redis.ttl(store.keys.webhook_body("1-0")) > MONTH - 5


async def test_a_redelivery_whose_body_is_gone_is_refused_and_changes_nothing(
    store: Store, sub_id: str
) -> None:
    month = await finished(
        store,
        event_id="1-0",
        sub_id=sub_id,
        queued_by=DeliveryStore(store.redis, store.keys, retention_seconds=MONTH),
        sent_as="story.updated",
    )
    delivery_id = delivery_id_for(sub_id, "1-0")
    before = await month.get(delivery_id)
    # The body expired (stored before bodies lived as long as their records) or was
    # evicted (a volatile maxmemory policy).
    await store.redis.delete(store.keys.webhook_body("1-0:story.updated"))

    assert await month.redeliver(delivery_id, now=NOW) is Redelivery.BODY_GONE
    assert await month.get(delivery_id) == before
    assert await store.redis.ttl(store.keys.delivery(delivery_id)) > MONTH - 5
    assert not await store.redis.zrange(store.keys.due_deliveries(sub_id), 0, -1)
    assert await month.redeliver("msg_nothing", now=NOW) is Redelivery.UNKNOWN


async def test_a_delivery_expired_after_failed_attempts_leaves_nothing_without_an_expiry(
    store: Store, sub_id: str
) -> None:
    """A delivery retried, then found without its body (it expired while the
    subscription was disabled) is marked failed, the reason last in its attempt log: its
    record and its attempt log both expire a retention later, and the subscription's
    failures are not counted (no request was made)."""
    month = DeliveryStore(store.redis, store.keys, retention_seconds=MONTH)
    await month.enqueue_many([NewEvent("1-0", "story.created", b"{}", [sub_id])], now=NOW)
    [claim] = await month.claim(now=NOW, lease_seconds=45, budget=10, default_cap=4, caps={})
    failed = AttemptRecord(NOW, 500, 3.0)
    await month.complete_many([Outcome(claim, "retry", 1, NOW, failed)])
    await store.redis.delete(store.keys.webhook_body("1-0"))
    [claim] = await month.claim(now=NOW, lease_seconds=45, budget=10, default_cap=4, caps={})

    assert not claim.body_stored
    await store.redis.hdel(store.keys.subscription(sub_id), "failing_since")

    [done] = await month.complete_many([Outcome.expired(claim, now=NOW)])
    assert done.applied and done.failing_since is None
    forgotten = await month.get(claim.delivery_id)
    assert forgotten is not None and forgotten.status == "failed"
    assert await month.attempts(claim.delivery_id) == [
        failed,
        AttemptRecord(NOW, None, 0.0, EXPIRED_ATTEMPT),
    ]
    assert not await store.redis.hexists(store.keys.subscription(sub_id), "failing_since")
    for key in (
        store.keys.delivery(claim.delivery_id),
        store.keys.delivery_attempts(claim.delivery_id),
    ):
        assert MONTH - 5 < await store.redis.ttl(key) <= MONTH, key


async def test_a_claim_whose_record_is_gone_leaves_its_queue_and_writes_nothing(
    store: Store, sub_id: str
) -> None:
    """A queued delivery whose record is gone (evicted by an ``allkeys-*`` maxmemory
    policy) has nothing to send: finishing its claim drops it from the queue, where it
    would come due again at every lease's end, and writes no record back."""
    month = DeliveryStore(store.redis, store.keys, retention_seconds=MONTH)
    await month.enqueue_many([NewEvent("1-0", "story.created", b"{}", [sub_id])], now=NOW)
    delivery_id = delivery_id_for(sub_id, "1-0")
    await store.redis.delete(store.keys.delivery(delivery_id))
    [claim] = await month.claim(now=NOW, lease_seconds=45, budget=10, default_cap=4, caps={})
    assert (claim.event_id, claim.body_stored) == (None, False)

    [done] = await month.complete_many([Outcome.expired(claim, now=NOW)])
    assert not done.applied
    assert not await store.redis.exists(
        store.keys.delivery(delivery_id), store.keys.delivery_attempts(delivery_id)
    )
    assert not await store.redis.zrange(store.keys.due_deliveries(sub_id), 0, -1)
    assert await store.redis.zscore(store.keys.due_endpoints, sub_id) is None


async def newer_format(store: Store, sub_id: str, *event_ids: str) -> list[str]:
    """Mark the deliveries of ``event_ids`` to ``sub_id`` as a newer release's records."""
    ids = [delivery_id_for(sub_id, e) for e in event_ids]
    for delivery_id in ids:
        await store.redis.hset(store.keys.delivery(delivery_id), "format", DELIVERY_FORMAT + 1)
    return ids


async def test_a_record_of_a_newer_format_is_left_queued_for_a_newer_notifier(
    store: Store, sub_id: str
) -> None:
    """A delivery record whose ``format`` is above the one this code reads (written by a
    newer release, beside this one in a rolling deploy) is neither leased nor sent here:
    it stays queued, due again ``NEWER_FORMAT_WAIT`` later, for a notifier that reads it;
    the endpoint's others are claimed."""
    month = DeliveryStore(store.redis, store.keys, retention_seconds=MONTH)
    events = [NewEvent(e, "story.created", b"{}", [sub_id]) for e in ("1-0", "2-0")]
    await month.enqueue_many(events, now=NOW)
    [newer] = await newer_format(store, sub_id, "1-0")
    record = await store.redis.hgetall(store.keys.delivery(newer))

    [claim] = await month.claim(now=NOW, lease_seconds=45, budget=10, default_cap=4, caps={})
    assert claim.delivery_id == delivery_id_for(sub_id, "2-0")
    back = NOW + timedelta(seconds=NEWER_FORMAT_WAIT)
    assert await store.redis.zscore(store.keys.due_deliveries(sub_id), newer) == ms(back)
    assert await month.claim(now=back, lease_seconds=45, budget=10, default_cap=4, caps={}) == []
    assert await store.redis.hgetall(store.keys.delivery(newer)) == record


async def test_records_of_a_newer_format_at_the_front_of_a_queue_hold_back_none_behind(
    store: Store, sub_id: str
) -> None:
    """After a rollback no notifier reads a newer release's records, and they stay queued
    without end: as many of them as an endpoint's cap, at the front of its queue, must
    not stop this code's own records behind them from being sent. They go a short wait
    back in the queue, unleased and untouched otherwise, and the record behind is taken."""
    month = DeliveryStore(store.redis, store.keys, retention_seconds=MONTH)
    events = [NewEvent(e, "story.created", b"{}", [sub_id]) for e in ("1-0", "2-0", "3-0")]
    await month.enqueue_many(events, now=NOW)
    newer = await newer_format(store, sub_id, "1-0", "2-0")

    [claim] = await month.claim(now=NOW, lease_seconds=45, budget=10, default_cap=2, caps={})
    assert claim.delivery_id == delivery_id_for(sub_id, "3-0")
    due = store.keys.due_deliveries(sub_id)
    back = ms(NOW) + int(NEWER_FORMAT_WAIT * 1000)
    assert [await store.redis.zscore(due, d) for d in newer] == [back, back]
    assert await store.redis.zscore(store.keys.due_endpoints, sub_id) == back
    assert [await store.redis.hget(store.keys.delivery(d), "status") for d in newer] == [
        "pending",
        "pending",
    ]


async def test_an_endpoint_with_only_newer_records_due_holds_back_no_other_endpoint(
    store: Store, subs: SubscriptionStore, sub_id: str
) -> None:
    """An endpoint whose due records are all of a newer format sorts first in ``wh:due``
    (its records are the oldest due): it must not take every claim's place, or no
    endpoint behind it would ever be claimed while no newer notifier runs."""
    other = (await unheard(subs)).id
    month = DeliveryStore(store.redis, store.keys, retention_seconds=MONTH)
    await month.enqueue_many([NewEvent("1-0", "story.created", b"{}", [sub_id])], now=NOW)
    await month.enqueue_many(
        [NewEvent("2-0", "story.created", b"{}", [other])], now=NOW + timedelta(seconds=1)
    )
    await newer_format(store, sub_id, "1-0")
    later = NOW + timedelta(seconds=2)

    claimed = []
    for _ in range(2):
        claimed += await month.claim(now=later, lease_seconds=45, budget=1, default_cap=4, caps={})
    assert [c.delivery_id for c in claimed] == [delivery_id_for(other, "2-0")]


async def test_an_expired_outcome_of_a_lost_lease_writes_nothing(store: Store, sub_id: str) -> None:
    """Finishing a claim as expired records that no request was made: a notifier whose
    lease ran out (another claimed the delivery since) does not own it and writes nothing,
    not even to its attempt log, where a real attempt's result goes whoever owns it."""
    month = DeliveryStore(store.redis, store.keys, retention_seconds=MONTH)
    await month.enqueue_many([NewEvent("1-0", "story.created", b"{}", [sub_id])], now=NOW)
    await store.redis.delete(store.keys.webhook_body("1-0"))
    [lost] = await month.claim(now=NOW, lease_seconds=45, budget=10, default_cap=4, caps={})
    later = NOW + timedelta(seconds=50)
    [owner] = await month.claim(now=later, lease_seconds=45, budget=10, default_cap=4, caps={})

    [done] = await month.complete_many([Outcome.expired(lost, now=later)])
    assert not done.applied
    assert await month.attempts(lost.delivery_id) == []
    [done] = await month.complete_many([Outcome.expired(owner, now=later)])
    assert done.applied
    assert await month.attempts(owner.delivery_id) == [
        AttemptRecord(later, None, 0.0, EXPIRED_ATTEMPT)
    ]
