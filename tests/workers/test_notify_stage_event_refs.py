"""Webhooks from story references: the notifier builds each body from the story as it
reads the event, stores it once, and every retry sends those same bytes (real Redis, a
real receiver on 127.0.0.1)."""

from __future__ import annotations

import dataclasses

from service.metrics import metrics
from service.store import Store
from service.store.deliveries import DeliveryStore, delivery_id_for
from service.store.keys import EVENTS_GROUP
from service.store.stories import story_payload
from service.store.subscriptions import SubscriptionStore
from service.webhooks.filters import Filters
from service.webhooks.payload import build_body
from service.webhooks.schedule import RETRY_DELAYS
from tests.factories import legacy_event, make_story, save_story
from tests.support.webhook_receiver import Receiver, Reply
from tests.support.webhooks import FakeClock, StageFactory, pump, subscribe


async def test_a_reference_is_delivered_with_the_same_body_as_an_inline_event(
    store: Store,
    subs: SubscriptionStore,
    receiver: Receiver,
    clock: FakeClock,
    make_stage: StageFactory,
) -> None:
    await subscribe(subs, receiver, clock)
    story = make_story("s1")
    ref_id = await save_story(store, story)
    # The previous release's entry for the same story, and a feed event: all three work.
    legacy_id = await legacy_event(store, "story.created", {"story": story_payload(story)})
    feed = {"feed": {"url": "https://x.example/rss", "last_error": "HTTP 500"}}
    feed_id = await legacy_event(store, "feed.failing", {**feed, "internal": "not public"})

    await pump(make_stage())

    by_event = {r.json["event_id"]: r for r in receiver.received}
    assert set(by_event) == {ref_id, legacy_id, feed_id}
    assert all(r.verified_with for r in receiver.received)
    occurred = "2026-11-20T08:00:00Z"
    expected = build_body(ref_id, "story.created", occurred, {"story": story_payload(story)})
    assert by_event[ref_id].body == expected
    assert by_event[ref_id].json["data"] == by_event[legacy_id].json["data"]
    assert by_event[feed_id].json["data"] == {"feed": feed["feed"]}


async def test_every_retry_sends_the_bytes_stored_first_though_the_story_changed(
    store: Store, subs: SubscriptionStore, clock: FakeClock, make_stage: StageFactory
) -> None:
    replies = iter([Reply(500), Reply(503), Reply(204)])
    receiver = Receiver(clock=clock, reply=lambda _r: next(replies))
    await receiver.start()
    try:
        sub = await subscribe(subs, receiver, clock, events=("story.created",))
        story = make_story("s1")
        event_id = await save_story(store, story)
        stage = make_stage()
        await pump(stage)
        # The story moves on between attempts (its own update event is not subscribed).
        grown = dataclasses.replace(story, headline="Power restored in Kharkiv")
        await save_story(store, grown, "story.updated")
        for delay in RETRY_DELAYS[1:3]:
            clock.advance(delay)
            await pump(stage)
        # A second notifier re-reading the event (say the first died before XACK) must
        # not replace the stored body either.
        await store.redis.xgroup_setid(store.keys.events_stream, EVENTS_GROUP, "0-0")
        await pump(make_stage("n2"))
    finally:
        await receiver.stop()

    bodies = [r.body for r in receiver.received]
    assert len(bodies) == 3 and len(set(bodies)) == 1
    assert receiver.received[0].json["data"]["story"]["headline"] == story.headline
    delivery = await DeliveryStore(store.redis, store.keys).get(delivery_id_for(sub.id, event_id))
    assert delivery is not None and delivery.status == "succeeded" and delivery.attempts == 3


async def test_an_event_whose_story_is_gone_is_recorded_not_delivered(
    store: Store,
    subs: SubscriptionStore,
    receiver: Receiver,
    clock: FakeClock,
    make_stage: StageFactory,
) -> None:
    await subscribe(subs, receiver, clock)
    gone = make_story("gone")
    gone_id = await save_story(store, gone)
    await store.redis.delete(store.keys.story(gone.id))  # pruned before the notifier read it
    kept_id = await save_story(store, make_story("kept"))
    skipped_before = _skipped()

    await pump(make_stage())

    assert [r.json["event_id"] for r in receiver.received] == [kept_id]
    assert await store.redis.get(store.keys.webhook_body(gone_id)) is None
    # Acknowledged, so it is not read again, and counted for /metrics.
    pending = await store.redis.xpending(store.keys.events_stream, EVENTS_GROUP)
    assert pending["pending"] == 0
    assert _skipped() == skipped_before + 1


def _skipped() -> float:
    return metrics._pending.get('briefing_events_skipped_total{reason="story_missing"}', 0.0)


async def test_filters_match_the_story_as_read(
    store: Store,
    subs: SubscriptionStore,
    receiver: Receiver,
    clock: FakeClock,
    make_stage: StageFactory,
) -> None:
    await subscribe(subs, receiver, clock, filters=Filters(min_sources=3))
    story = make_story("s1", outlets=("BBC",))
    await save_story(store, story)
    # Two more outlets join before the notifier reads the created event.
    await save_story(store, make_story("s1", outlets=("BBC", "DW", "Reuters")), "story.updated")

    await pump(make_stage())

    got = [(r.json["type"], r.json["data"]["story"]["source_count"]) for r in receiver.received]
    assert sorted(got) == [("story.created", 3), ("story.updated", 3)]  # sent concurrently
