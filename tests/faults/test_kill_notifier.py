"""A notifier killed -9 between fanning a merge out and delivering it: its deliveries
are queued in Redis, each as the type its subscription receives it as (``story.merged``,
or ``story.updated`` for a subscription without ``story.merged``), and a notifier started
again delivers each once, under its webhook-id, with the body stored first, even when it
reads the events again (as after a kill before the XACK)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from service.clock import utcnow
from service.store import Store
from service.store.connection import RedisTarget
from service.store.deliveries import DeliveryStore, delivery_id_for
from service.store.keys import EVENTS_GROUP
from service.store.subscriptions import SubscriptionStore
from service.webhooks.filters import Filters
from service.webhooks.secretbox import SecretBox
from tests.factories import make_story, save_story
from tests.support.redis_fixture import redis_url_of
from tests.support.webhook_receiver import Receiver
from tests.support.webhooks import merge, waiting_story
from tests.support.worker_processes import Workers, worker_env

pytestmark = pytest.mark.slow
SECRET = "kill-notifier-secret-key"
PLANS = {
    "/grows": ["story.created", "story.updated"],
    "/merges": ["story.merged"],
    "/all": ["story.created", "story.updated", "story.merged"],
}


async def attempted(deliveries: DeliveryStore, ids: list[str]) -> bool:
    """Whether every one of these deliveries is queued and has had its first attempt."""
    found = [await deliveries.get(i) for i in ids]
    return all(d is not None and d.attempts >= 1 for d in found)


async def test_a_notifier_killed_between_fan_out_and_delivery_loses_and_repeats_nothing(
    tmp_path: Path, store: Store, redis_target: RedisTarget
) -> None:
    config = tmp_path / "feeds.toml"
    config.write_text('[[briefings]]\nid = "all"\ntitle = "Everything"\n')
    receiver = Receiver(clock=utcnow)  # not listening yet: every first attempt is refused
    subscriptions = SubscriptionStore(store.redis, store.keys, SecretBox.from_passphrase(SECRET))
    subs = {}
    for path, events in PLANS.items():
        sub, secret = await subscriptions.create(
            url=receiver.url(path), events=events, filters=Filters(), description="", now=utcnow()
        )
        receiver.secrets.append(secret)
        subs[path] = sub.id
    older, newer = make_story("st_old"), make_story("st_new", outlets=("Ukrinform",))
    created_id = await save_story(store, older)
    await waiting_story(store, newer)
    _merged, merge_id = await merge(store, older, newer)
    expected = {
        ("/grows", "story.created", created_id),
        ("/grows", "story.updated", merge_id),
        ("/merges", "story.merged", merge_id),
        ("/all", "story.created", created_id),
        ("/all", "story.merged", merge_id),
    }
    ids = [delivery_id_for(subs[path], event) for path, _type, event in expected]
    env = {**worker_env(redis_url_of(redis_target), config), "BRIEFING_SECRET_KEY": SECRET}
    workers = Workers(env=env, log_dir=tmp_path, roles=[["notify"]])
    deliveries = DeliveryStore(store.redis, store.keys)
    await workers.start_all()
    try:
        async with asyncio.timeout(60):
            while not await attempted(deliveries, ids):  # noqa: ASYNC110
                await asyncio.sleep(0.05)
        await workers.kill(0)  # its retries (5 s on) are queued in Redis, not sent
        # As if it had died before acknowledging the events: they are read again.
        await store.redis.xgroup_setid(store.keys.events_stream, EVENTS_GROUP, "0-0")
        await receiver.start()
        await workers.start(0)
        async with asyncio.timeout(60):
            while len(receiver.received) < len(expected):  # noqa: ASYNC110
                await asyncio.sleep(0.1)
        await asyncio.sleep(1.0)  # a repeat would be due at once, before the retries
        assert not workers.crashed(), f"the notifier crashed; logs in {tmp_path}"
    finally:
        codes = await workers.stop_all()
        await receiver.stop()
    assert codes == [0], codes

    got = [(r.path, r.json["type"], r.json["event_id"]) for r in receiver.received]
    assert sorted(got) == sorted(expected)
    assert all(r.verified_with for r in receiver.received)
    for r in receiver.received:
        assert r.webhook_id == delivery_id_for(subs[r.path], r.json["event_id"])
        delivery = await deliveries.get(r.webhook_id)
        assert delivery is not None and delivery.status == "succeeded"
        assert delivery.type == r.json["type"] and delivery.attempts == 2
