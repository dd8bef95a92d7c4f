"""The notify stage end to end: real Redis, a real receiver on 127.0.0.1, an injected clock."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import re
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TypeVar

import pytest
import redis

from service.metrics import metrics
from service.store import Store, codec, deliveries
from service.store.deliveries import DeliveryStore, Redelivery, delivery_id_for
from service.store.keys import EVENTS_GROUP
from service.store.stories import StoryBatch, story_payload
from service.store.subscriptions import SubscriptionStore
from service.task_cancel import cancel_and_wait
from service.webhooks.filters import Filters
from service.webhooks.payload import build_body, public_data
from service.webhooks.schedule import MAX_ATTEMPTS, RETRY_DELAYS
from service.webhooks.secretbox import SecretBox, load_secret_box
from tests.factories import STORY_T0 as NOW
from tests.factories import feed_failing, make_story, save_story, write_story
from tests.factories import story_data as story
from tests.support.lost_cancellation import LosingOneCancellation, task_losing_a_cancellation
from tests.support.net import NON_CANONICAL_LOOPBACK, aiohttp_without_canonical_ipv4_check
from tests.support.redis_server import RedisServer
from tests.support.webhook_receiver import Received, Receiver, Reply
from tests.support.webhooks import (
    FakeClock,
    StageFactory,
    emit,
    merge,
    pump,
    subscribe,
    waiting_story,
)
from workers.notify_stage import NotifyConfig, NotifyStage

StageT = TypeVar("StageT", bound=NotifyStage)


def queue(store: Store) -> DeliveryStore:
    return DeliveryStore(store.redis, store.keys)


async def one_attempt(
    store: Store,
    subs: SubscriptionStore,
    clock: FakeClock,
    stage: NotifyStage,
    reply: Callable[[Received], Reply],
) -> tuple[str, datetime]:
    """One event delivered once to a receiver answering ``reply``: the delivery id and when."""
    receiver = Receiver(clock=clock, reply=reply)
    await receiver.start()
    try:
        sub = await subscribe(subs, receiver, clock)
        event_id = await emit(store, "story.created", {"story": story()}, clock)
        start = clock()
        await pump(stage)
    finally:
        await receiver.stop()
    assert len(receiver.received) == 1
    return delivery_id_for(sub.id, event_id), start


async def up_for_the_second_attempt(
    receiver: Receiver, clock: FakeClock, stage: NotifyStage
) -> None:
    """The receiver, down for a delivery's first attempt, is up when its retry comes."""
    await receiver.start()
    try:
        clock.advance(RETRY_DELAYS[1])
        assert await pump(stage) == 1
    finally:
        await receiver.stop()


async def test_story_event_is_delivered_signed_and_verified(
    store: Store,
    subs: SubscriptionStore,
    receiver: Receiver,
    clock: FakeClock,
    make_stage: StageFactory,
) -> None:
    sub = await subscribe(subs, receiver, clock)
    event_id = await emit(store, "story.created", {"story": story()}, clock)

    await pump(make_stage())

    [got] = receiver.received
    assert got.problem is None and got.verified_with is not None
    assert got.webhook_id == delivery_id_for(sub.id, event_id)
    assert got.headers["content-type"] == "application/json"
    body = got.json
    assert body["type"] == "story.created" and body["version"] == 1
    assert body["event_id"] == event_id
    assert body["data"]["story"]["headline"] == story()["headline"]
    delivery = await queue(store).get(got.webhook_id)
    assert delivery is not None and delivery.status == "succeeded"


async def test_rotation_signs_with_old_and_new_secret_for_24_hours(
    store: Store,
    subs: SubscriptionStore,
    receiver: Receiver,
    clock: FakeClock,
    make_stage: StageFactory,
) -> None:
    sub = await subscribe(subs, receiver, clock)
    old_secret = receiver.secrets[0]
    rotated = await subs.rotate_secret(sub.id, now=clock())
    assert rotated is not None
    new_secret, _until = rotated

    # A consumer that has not switched yet still verifies; so does one that has.
    receiver.secrets = [old_secret]
    await emit(store, "story.created", {"story": story("a")}, clock)
    stage = make_stage()
    await pump(stage)
    receiver.secrets = [new_secret]
    await emit(store, "story.created", {"story": story("b")}, clock)
    await pump(stage)

    first, second = receiver.received
    assert first.verified_with == old_secret and second.verified_with == new_secret
    assert len(second.headers["webhook-signature"].split(" ")) == 2

    # After the overlap only the new secret signs.
    clock.advance(24 * 3600 + 1)
    receiver.secrets = [old_secret]
    await emit(store, "story.created", {"story": story("c")}, clock)
    await pump(stage)
    third = receiver.received[2]
    assert third.problem == "no signature matches"
    assert len(third.headers["webhook-signature"].split(" ")) == 1


async def test_receiver_down_then_up_gets_the_same_message_on_schedule(
    store: Store, subs: SubscriptionStore, clock: FakeClock, make_stage: StageFactory
) -> None:
    receiver = Receiver(clock=clock)  # not started: connections are refused
    sub = await subscribe(subs, receiver, clock)
    event_id = await emit(store, "story.created", {"story": story()}, clock)
    stage = make_stage()
    start = clock()

    await pump(stage)
    msg_id = delivery_id_for(sub.id, event_id)
    delivery = await queue(store).get(msg_id)
    assert delivery is not None and delivery.status == "pending" and delivery.attempts == 1
    assert delivery.next_attempt is not None
    assert (delivery.next_attempt - start).total_seconds() == RETRY_DELAYS[1]

    await receiver.start()
    try:
        clock.advance(RETRY_DELAYS[1] - 1)
        assert await pump(stage) == 0  # not due yet
        clock.advance(1)
        assert await pump(stage) == 1
    finally:
        await receiver.stop()

    [got] = receiver.received
    assert got.webhook_id == msg_id and got.problem is None
    attempts = await queue(store).attempts(msg_id)
    assert [a.status_code for a in attempts] == [None, 204]
    assert attempts[0].error and "connection" in attempts[0].error


async def test_a_retry_keeps_its_body_until_its_next_attempt_whatever_the_retention(
    store: Store, subs: SubscriptionStore, clock: FakeClock, make_stage: StageFactory
) -> None:
    """The schedule's last attempts come more than a day after the first (27 h 35 min in
    all), and a Retry-After may ask for 24 h, while BRIEFING_RETENTION_DAYS may be 1: a
    delivery being retried keeps its body, from each attempt, until a retention after its
    next one. Here the retention is a second of Redis's clock and the retry 5 s away."""
    receiver = Receiver(clock=clock)  # not started: connections are refused
    sub = await subscribe(subs, receiver, clock)
    event_id = await emit(store, "story.created", {"story": story()}, clock)
    stage = make_stage(retention_seconds=1)
    await pump(stage)
    body_key = store.keys.webhook_body(event_id)
    assert 1 + RETRY_DELAYS[1] - 1 < await store.redis.ttl(body_key) <= 1 + RETRY_DELAYS[1]
    await asyncio.sleep(1.1)  # past the retention counted from the queueing

    await up_for_the_second_attempt(receiver, clock, stage)
    [got] = receiver.received
    assert got.webhook_id == delivery_id_for(sub.id, event_id) and got.problem is None


async def test_retry_after_is_honoured_on_429(
    store: Store, subs: SubscriptionStore, clock: FakeClock, make_stage: StageFactory
) -> None:
    msg_id, start = await one_attempt(
        store, subs, clock, make_stage(), lambda _r: Reply(429, {"Retry-After": "120"})
    )
    delivery = await queue(store).get(msg_id)
    assert delivery is not None and delivery.next_attempt is not None
    assert (delivery.next_attempt - start).total_seconds() == 120


async def test_410_disables_the_subscription_at_once(
    store: Store, subs: SubscriptionStore, clock: FakeClock, make_stage: StageFactory
) -> None:
    receiver = Receiver(clock=clock, reply=lambda _r: Reply(410))
    await receiver.start()
    try:
        sub = await subscribe(subs, receiver, clock)
        await emit(store, "story.created", {"story": story("a")}, clock)
        stage = make_stage()
        await pump(stage)
        await emit(store, "story.created", {"story": story("b")}, clock)
        clock.advance(3600)
        await pump(stage)
    finally:
        await receiver.stop()
    assert len(receiver.received) == 1
    after = await subs.get(sub.id)
    assert after is not None and after.status == "disabled"
    assert after.disabled_reason is not None and "410" in after.disabled_reason


async def test_a_disabled_subscription_gets_nothing_of_its_time_disabled_and_its_queue_on_enable(
    store: Store,
    subs: SubscriptionStore,
    receiver: Receiver,
    clock: FakeClock,
    make_stage: StageFactory,
) -> None:
    """Events that happen while a subscription is disabled are not queued for it (as
    Stripe does); one a fan-out queued as the disable ran (it read the subscription just
    before) waits, unsent, and is sent on re-enabling, as is what was queued before."""
    sub = await subscribe(subs, receiver, clock)
    stage = make_stage()
    await subs.disable(sub.id, reason="by hand", now=clock())
    await emit(store, "story.created", {"story": story("while-disabled")}, clock)
    await queue(store).enqueue(event_id="1-0", event_type="story.created", body=b"{}",
                               subscription_ids=[sub.id], now=clock())  # fmt: skip
    await pump(stage)
    assert receiver.received == []
    assert await store.redis.zscore(store.keys.due_endpoints, sub.id) is None

    await subs.enable(sub.id, now=clock())
    await pump(stage)
    assert [r.webhook_id for r in receiver.received] == [delivery_id_for(sub.id, "1-0")]


async def test_a_disable_redis_refuses_after_the_outcome_is_stored_says_so(
    store: Store,
    subs: SubscriptionStore,
    clock: FakeClock,
    make_stage: StageFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The 410 is stored, then Redis refuses the write that disables the subscription:
    the line says the outcome is stored (the delivery is not due again) and the
    subscription is disabled at its next failed delivery."""
    receiver = Receiver(clock=clock, reply=lambda _r: Reply(410))
    await receiver.start()
    stage = make_stage()

    async def refused(*_args: object, **_kwargs: object) -> None:
        raise redis.exceptions.OutOfMemoryError(
            "command not allowed when used memory > 'maxmemory'."
        )

    stage.subscriptions.disable = refused  # type: ignore[method-assign]
    try:
        sub = await subscribe(subs, receiver, clock)
        await emit(store, "story.created", {"story": story("a")}, clock)
        with caplog.at_level(logging.INFO, logger="workers.notify_stage"):
            await pump(stage)
    finally:
        await receiver.stop()
    [got] = receiver.received
    delivery = await queue(store).get(got.webhook_id)
    assert delivery is not None and delivery.status == "failed"  # final: not due again
    after = await subs.get(sub.id)
    assert after is not None and after.status != "disabled"
    [record] = [r for r in caplog.records if r.name == "workers.notify_stage"]
    assert record.levelno == logging.ERROR and record.exc_info is None
    assert record.getMessage().startswith(
        f"delivery {got.webhook_id} to {sub.id}: outcome stored; subscription not disabled"
    )


async def test_500s_exhaust_the_schedule_then_five_days_of_failure_disable(
    store: Store, subs: SubscriptionStore, clock: FakeClock, make_stage: StageFactory
) -> None:
    receiver = Receiver(clock=clock, reply=lambda _r: Reply(500))
    await receiver.start()
    try:
        sub = await subscribe(subs, receiver, clock)
        event_id = await emit(store, "story.created", {"story": story()}, clock)
        msg_id = delivery_id_for(sub.id, event_id)
        stage = make_stage()
        await pump(stage)
        for attempt in range(1, MAX_ATTEMPTS):
            delivery = await queue(store).get(msg_id)
            assert delivery is not None and delivery.status == "pending"
            assert delivery.next_attempt is not None
            gap = (delivery.next_attempt - clock()).total_seconds()
            assert gap == RETRY_DELAYS[attempt]
            clock.advance(gap)
            assert await pump(stage) == 1
        delivery = await queue(store).get(msg_id)
        assert delivery is not None and delivery.status == "failed"
        clock.advance(30 * 3600)
        assert await pump(stage) == 0  # nothing left to try
        assert len(receiver.on("/hook")) == MAX_ATTEMPTS
        assert {r.webhook_id for r in receiver.received} == {msg_id}

        still = await subs.get(sub.id)
        assert still is not None and still.active and still.failing_since is not None

        # Five days after the first failure, the next failed attempt disables it.
        clock.now = still.failing_since + timedelta(days=5)
        await emit(store, "story.created", {"story": story("later")}, clock)
        await pump(stage)
    finally:
        await receiver.stop()
    disabled = await subs.get(sub.id)
    assert disabled is not None and disabled.status == "disabled"
    assert disabled.disabled_reason is not None and "failed since" in disabled.disabled_reason


async def test_a_worker_killed_mid_delivery_is_redelivered_after_its_lease(
    store: Store, subs: SubscriptionStore, clock: FakeClock, make_stage: StageFactory
) -> None:
    hang = True
    receiver = Receiver(clock=clock, reply=lambda _r: Reply(hang=hang))
    await receiver.start()
    try:
        sub = await subscribe(subs, receiver, clock)
        await emit(store, "story.created", {"story": story()}, clock)
        doomed = make_stage("doomed", timeout=60.0)
        await doomed.consumer.ensure_group()
        await doomed.fan_out_once(block_ms=None)
        assert await doomed.deliver_due_once() == 1
        await asyncio.wait_for(receiver.arrived.wait(), 10)  # the POST is in; the worker "dies"
        await doomed.aclose()

        hang = False
        survivor = make_stage("survivor")
        clock.advance(doomed.config.lease_seconds - 1)
        assert await pump(survivor) == 0  # still leased: never two sends at once
        clock.advance(1)
        assert await pump(survivor) == 1
    finally:
        await receiver.stop()
    first, second = receiver.received
    assert first.webhook_id == second.webhook_id
    delivery = await queue(store).get(second.webhook_id)
    assert delivery is not None and delivery.status == "succeeded"
    assert sub.id == delivery.subscription_id


async def test_an_outcome_a_full_redis_refused_is_one_line_and_the_delivery_due_again(
    server_store: Store,
    redis_server: RedisServer,
    box: SecretBox,
    clock: FakeClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Redis reaches ``maxmemory`` while the receiver answers: the attempt's outcome is
    refused. That is no defect: one error line without a traceback, and the delivery is
    sent again (same webhook-id) once its lease ends."""
    store = server_store
    filler = redis.Redis.from_url(redis_server.url)

    def fill_then_answer(_received: Received) -> Reply:
        filler.config_set("maxmemory", 1)  # between the send and the recording
        return Reply(204)

    receiver = Receiver(clock=clock, reply=fill_then_answer)
    await receiver.start()
    config = NotifyConfig(allow_private=True, timeout=5.0)
    stage = NotifyStage(store, box, config, consumer_name="n1", clock=clock, rng=lambda: 0.5)
    try:
        subs = SubscriptionStore(store.redis, store.keys, box)
        sub = await subscribe(subs, receiver, clock)
        await emit(store, "story.created", {"story": story()}, clock)
        with caplog.at_level(logging.INFO, logger="workers.notify_stage"):
            await pump(stage)
        await store.redis.config_set("maxmemory", 0)
        receiver.reply = lambda _r: Reply(204)
        clock.advance(config.lease_seconds)
        assert await pump(stage) == 1
    finally:
        await store.redis.config_set("maxmemory", 0)
        await stage.aclose()
        await receiver.stop()
        filler.close()
    [record] = [r for r in caplog.records if r.name == "workers.notify_stage"]
    assert record.levelno == logging.ERROR and record.exc_info is None
    assert f"to {sub.id}: outcome not stored; due again when its lease ends (Redis out of " in (
        record.getMessage()
    )
    first, second = receiver.received
    assert first.webhook_id == second.webhook_id
    delivery = await queue(store).get(second.webhook_id)
    assert delivery is not None and delivery.status == "succeeded"


class CountedClaims(NotifyStage):
    """A notify stage that counts its rounds of claiming due deliveries."""

    rounds = 0

    async def deliver_due_once(self) -> int:
        self.rounds += 1
        return await super().deliver_due_once()


@contextlib.asynccontextmanager
async def subscribed(
    kind: type[StageT], store: Store, box: SecretBox, clock: FakeClock
) -> AsyncIterator[tuple[StageT, Receiver]]:
    """A stage of ``kind`` and a receiver subscribed to every event; afterwards Redis takes
    writes again (a test may fill it), the stage is closed and the receiver stopped."""
    receiver = Receiver(clock=clock)
    await receiver.start()
    config = NotifyConfig(allow_private=True, timeout=5.0)
    stage = kind(store, box, config, consumer_name="n1", clock=clock, rng=lambda: 0.5)
    try:
        await subscribe(SubscriptionStore(store.redis, store.keys, box), receiver, clock)
        yield stage, receiver
    finally:
        await store.redis.config_set("maxmemory", 0)
        await stage.aclose()
        await receiver.stop()


async def test_claims_refused_by_a_full_redis_are_one_line_per_outage(
    server_store: Store, box: SecretBox, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    """The delivery loop retries every second: one error line when Redis fills, one info
    line when claims work again, however many rounds failed in between."""
    store = server_store
    stop = asyncio.Event()
    async with subscribed(CountedClaims, store, box, clock) as (stage, receiver):
        await emit(store, "story.created", {"story": story()}, clock)
        await stage.consumer.ensure_group()
        await stage.fan_out_once(block_ms=None)  # one delivery due
        await store.redis.config_set("maxmemory", 1)
        with caplog.at_level(logging.INFO, logger="workers.notify_stage"):
            loop = asyncio.create_task(stage._delivery_loop(stop))
            while stage.rounds < 3:  # noqa: ASYNC110 (rounds a second apart)
                await asyncio.sleep(0.05)
            await store.redis.config_set("maxmemory", 0)
            while not receiver.received:  # noqa: ASYNC110 (delivered once claims work)
                await asyncio.sleep(0.05)
            stop.set()
            stage._wake.set()
            await loop
    lines = [(r.levelno, r.getMessage().split(" (")[0]) for r in caplog.records]
    assert lines[:2] == [
        (logging.ERROR, "claiming due deliveries failed; retrying in 1 s"),
        (logging.INFO, "claiming due deliveries again"),
    ]
    assert sum(level == logging.ERROR for level, _ in lines) == 1  # for three failed rounds
    assert len(receiver.received) == 1


async def test_a_stage_started_while_redis_refuses_writes_fans_out_once_it_takes_them(
    server_store: Store, box: SecretBox, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    """The consumer group cannot be made while Redis refuses writes: the fan-out retries
    every second, one line per outage, and delivers once writes go through, rather than
    the stage ending (which stops its worker)."""
    store = server_store
    stop = asyncio.Event()
    async with subscribed(NotifyStage, store, box, clock) as (stage, receiver):
        await store.redis.config_set("maxmemory", 1)
        with caplog.at_level(logging.INFO, logger="workers.notify_stage"):
            running = asyncio.create_task(stage.run(stop))
            started = asyncio.get_running_loop().time()
            while not caplog.records:  # the first refused round
                assert asyncio.get_running_loop().time() - started < 60 and not running.done()
                await asyncio.sleep(0.05)
            await store.redis.config_set("maxmemory", 0)
            await emit(store, "story.created", {"story": story()}, clock)
            while not receiver.received:
                assert asyncio.get_running_loop().time() - started < 60 and not running.done()
                await asyncio.sleep(0.05)
            stop.set()
            await asyncio.wait_for(running, 60)
    lines = [(r.levelno, r.getMessage().split(" (")[0]) for r in caplog.records]
    assert lines[:2] == [
        (logging.ERROR, "notify fan-out failed; retrying in 1 s"),
        (logging.INFO, "notify fan-out again"),
    ]
    assert len(receiver.received) == 1


async def test_a_hanging_endpoint_holds_only_its_own_slots(
    store: Store, subs: SubscriptionStore, clock: FakeClock, make_stage: StageFactory
) -> None:
    receiver = Receiver(clock=clock, reply=lambda r: Reply(hang=r.path == "/slow"))
    await receiver.start()
    try:
        slow = await subscribe(subs, receiver, clock, path="/slow")
        await subscribe(subs, receiver, clock, path="/fast")
        for n in range(20):
            await emit(store, "story.created", {"story": story(f"s{n}")}, clock)
        stage = make_stage(per_endpoint=4, timeout=60.0)
        await stage.consumer.ensure_group()
        await stage.fan_out_once(block_ms=None)
        while len(receiver.on("/fast")) < 20:
            stage._wake.clear()  # set whenever an attempt finishes
            if not await stage.deliver_due_once():
                await asyncio.wait_for(stage._wake.wait(), 10)
        assert stage._in_flight[slow.id] == 4  # the hanging endpoint: its 4 slots, no more
        assert len(receiver.on("/slow")) == 4
    finally:
        await receiver.stop()


async def test_redeliver_sends_the_same_message_again(
    store: Store,
    subs: SubscriptionStore,
    receiver: Receiver,
    clock: FakeClock,
    make_stage: StageFactory,
) -> None:
    sub = await subscribe(subs, receiver, clock)
    event_id = await emit(store, "story.created", {"story": story()}, clock)
    stage = make_stage()
    await pump(stage)
    msg_id = delivery_id_for(sub.id, event_id)
    assert await queue(store).redeliver(msg_id, now=clock()) is Redelivery.QUEUED
    assert await queue(store).redeliver(msg_id, now=clock()) is Redelivery.PENDING  # not twice
    await pump(stage)
    assert [r.webhook_id for r in receiver.received] == [msg_id, msg_id]


async def test_an_event_read_twice_is_delivered_once(
    store: Store, subs: SubscriptionStore, receiver: Receiver, clock: FakeClock
) -> None:
    sub = await subscribe(subs, receiver, clock)
    q = queue(store)
    for _ in range(2):  # e.g. the notifier died after enqueueing, before XACK
        await q.enqueue(
            event_id="1-0",
            event_type="story.created",
            body=b"{}",
            subscription_ids=[sub.id],
            now=clock(),
        )
    page, _ = await q.page_for(sub.id, before=None, limit=10)
    assert len(page) == 1


async def test_concurrent_claims_never_hand_out_a_delivery_twice(
    store: Store, subs: SubscriptionStore, receiver: Receiver, clock: FakeClock
) -> None:
    q = queue(store)
    for n in range(10):
        sub = await subscribe(subs, receiver, clock, path=f"/{n}")
        for e in range(10):
            await q.enqueue(
                event_id=f"{e}-0",
                event_type="story.created",
                body=b"{}",
                subscription_ids=[sub.id],
                now=clock(),
            )
    claims = await asyncio.gather(
        *(
            q.claim(now=clock(), lease_seconds=60, budget=13, default_cap=4, caps={})
            for _ in range(20)
        )
    )
    ids = [c.delivery_id for batch in claims for c in batch]
    assert len(ids) == len(set(ids)) == 100


async def test_private_targets_are_refused_again_at_delivery_time(
    store: Store,
    subs: SubscriptionStore,
    receiver: Receiver,
    clock: FakeClock,
    make_stage: StageFactory,
) -> None:
    # Accepted earlier (say DNS said public then); the notifier checks every attempt.
    sub = await subscribe(subs, receiver, clock)
    event_id = await emit(store, "story.created", {"story": story()}, clock)
    await pump(make_stage(allow_private=False))
    assert receiver.received == []
    [attempt] = await queue(store).attempts(delivery_id_for(sub.id, event_id))
    assert attempt.status_code is None
    assert attempt.error is not None and "loopback" in attempt.error


async def test_a_host_name_that_now_resolves_to_loopback_is_refused_at_delivery_time(
    store: Store,
    subs: SubscriptionStore,
    receiver: Receiver,
    clock: FakeClock,
    make_stage: StageFactory,
) -> None:
    # The name is judged by the resolver that hands addresses to the connection.
    sub, secret = await subs.create(
        url=f"http://localhost:{receiver.port}/hook",
        events=["story.created"],
        filters=Filters(),
        description="test",
        now=clock(),
    )
    receiver.secrets.append(secret)
    event_id = await emit(store, "story.created", {"story": story()}, clock)
    await pump(make_stage(allow_private=False))
    assert receiver.received == []
    [attempt] = await queue(store).attempts(delivery_id_for(sub.id, event_id))
    assert attempt.status_code is None
    assert attempt.error is not None and "loopback" in attempt.error


@pytest.mark.parametrize("allow_private", [False, True], ids=["public-only", "private-allowed"])
async def test_non_canonical_numeric_hosts_are_refused_at_delivery_whatever_aiohttp_does(
    store: Store,
    subs: SubscriptionStore,
    receiver: Receiver,
    clock: FakeClock,
    make_stage: StageFactory,
    monkeypatch: pytest.MonkeyPatch,
    allow_private: bool,
) -> None:
    # Stored without the API's check; an aiohttp that takes "127.1" for an address and
    # never asks the resolver: the transport's own check is all that refuses it.
    aiohttp_without_canonical_ipv4_check(monkeypatch)
    hosts = [h for h in NON_CANONICAL_LOOPBACK if h != "0177.0.0.1"]  # httpx refuses that one
    created = []
    for host in hosts:
        sub, secret = await subs.create(
            url=f"http://{host}:{receiver.port}/hook",
            events=["story.created"],
            filters=Filters(),
            description=host,
            now=clock(),
        )
        receiver.secrets.append(secret)
        created.append(sub)
    event_id = await emit(store, "story.created", {"story": story()}, clock)
    await pump(make_stage(allow_private=allow_private))
    assert receiver.received == []
    for sub in created:
        [attempt] = await queue(store).attempts(delivery_id_for(sub.id, event_id))
        assert attempt.status_code is None
        assert attempt.error is not None and "not a canonical IPv4 address" in attempt.error


async def test_a_redirect_is_a_failed_attempt_and_is_not_followed(
    store: Store, subs: SubscriptionStore, clock: FakeClock, make_stage: StageFactory
) -> None:
    receiver = Receiver(
        clock=clock,
        reply=lambda r: Reply(307, {"Location": "/elsewhere"}) if r.path == "/hook" else Reply(),
    )
    await receiver.start()
    try:
        sub = await subscribe(subs, receiver, clock)
        event_id = await emit(store, "story.created", {"story": story()}, clock)
        await pump(make_stage())
    finally:
        await receiver.stop()
    assert [r.path for r in receiver.received] == ["/hook"]
    delivery = await queue(store).get(delivery_id_for(sub.id, event_id))
    assert delivery is not None and delivery.status == "pending"
    assert delivery.last_status == 307 and delivery.last_error == "HTTP 307"


async def test_many_subscriptions_are_queued_in_slices_and_all_delivered(
    store: Store,
    subs: SubscriptionStore,
    receiver: Receiver,
    clock: FakeClock,
    make_stage: StageFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(deliveries, "ENQUEUE_CHUNK", 2)
    made = [await subscribe(subs, receiver, clock, path=f"/{n}") for n in range(5)]
    first = await emit(store, "story.created", {"story": story("a")}, clock)
    second = await emit(store, "story.created", {"story": story("b")}, clock)
    q = queue(store)
    new = await q.enqueue_many(
        [
            deliveries.NewEvent(first, "story.created", b"{}", [s.id for s in made]),
            deliveries.NewEvent("none", "story.created", b"{}", []),
            deliveries.NewEvent(second, "story.created", b"{}", [s.id for s in made[:3]]),
        ],
        now=clock(),
    )
    assert new == [
        [delivery_id_for(s.id, first) for s in made],
        [],
        [delivery_id_for(s.id, second) for s in made[:3]],
    ]
    # The stream fan-out finds those queued already (idempotent), adds the rest, and
    # every delivery is sent once, with the body stored first.
    await pump(make_stage())
    got = sorted(r.webhook_id for r in receiver.received)
    assert got == sorted(delivery_id_for(s.id, e) for s in made for e in (first, second))
    assert all(r.problem is None for r in receiver.received)
    assert {r.body for r in receiver.received} == {b"{}"}


async def test_an_attempt_that_outlives_the_timeout_is_a_failed_attempt_retried_on_schedule(
    store: Store, subs: SubscriptionStore, clock: FakeClock, make_stage: StageFactory
) -> None:
    msg_id, start = await one_attempt(
        store, subs, clock, make_stage(timeout=0.2), lambda _r: Reply(hang=True)
    )
    [attempt] = await queue(store).attempts(msg_id)
    assert attempt.status_code is None and attempt.error == "timeout after 0.2 s"
    delivery = await queue(store).get(msg_id)
    assert delivery is not None and delivery.status == "pending"
    assert delivery.next_attempt is not None
    assert (delivery.next_attempt - start).total_seconds() == RETRY_DELAYS[1]


async def test_a_2xx_with_megabytes_of_headers_is_a_failed_attempt_retried_on_schedule(
    store: Store, subs: SubscriptionStore, clock: FakeClock, make_stage: StageFactory
) -> None:
    # 250 fields of 8,000 bytes: each within the per-field limit, 2 MB together.
    padding = {f"x-pad-{i}": "a" * 8000 for i in range(250)}
    msg_id, start = await one_attempt(
        store, subs, clock, make_stage(), lambda _r: Reply(200, padding)
    )
    [attempt] = await queue(store).attempts(msg_id)
    assert attempt.status_code is None
    assert attempt.error is not None and "over the 65,536-byte limit" in attempt.error
    delivery = await queue(store).get(msg_id)
    assert delivery is not None and delivery.status == "pending"
    assert delivery.next_attempt is not None
    assert (delivery.next_attempt - start).total_seconds() == RETRY_DELAYS[1]


async def test_an_answer_the_error_quotes_at_length_is_stored_cut_short(
    store: Store, subs: SubscriptionStore, clock: FakeClock, make_stage: StageFactory
) -> None:
    """A broken or hostile endpoint's malformed answer is quoted in the parser's error
    (an 8,000-byte invalid header line here): the attempt log keeps its first
    ``ERROR_KEPT`` characters and says how long it was, so one endpoint cannot store
    kilobytes per attempt (50 attempts per delivery, 10,000 deliveries listed)."""
    garbage = {"Bad Name": "z" * 8000}  # a space in a field name: no header token
    msg_id, _ = await one_attempt(store, subs, clock, make_stage(), lambda _r: Reply(200, garbage))
    [attempt] = await queue(store).attempts(msg_id)
    assert attempt.status_code is None and attempt.error is not None
    head, _, tail = attempt.error.partition("…")
    assert head.startswith("RemoteProtocolError: ") and len(head) == deliveries.ERROR_KEPT
    assert re.fullmatch(r" \(cut: [0-9,]+ characters in all\)", tail), tail
    delivery = await queue(store).get(msg_id)
    assert delivery is not None and delivery.last_error == attempt.error


async def test_a_delivery_whose_request_cannot_be_built_is_a_recorded_failed_attempt(
    store: Store,
    subs: SubscriptionStore,
    receiver: Receiver,
    clock: FakeClock,
    make_stage: StageFactory,
) -> None:
    # The API refuses such a URL; one written to Redis otherwise must make failed attempts
    # that are recorded (and so end in auto-disable), not crash every attempt.
    sub, secret = await subs.create(
        url=receiver.url("/ho\tok"),
        events=["story.created"],
        filters=Filters(),
        description="test",
        now=clock(),
    )
    receiver.secrets.append(secret)
    event_id = await emit(store, "story.created", {"story": story()}, clock)
    await pump(make_stage())
    assert receiver.received == []
    delivery_id = delivery_id_for(sub.id, event_id)
    [attempt] = await queue(store).attempts(delivery_id)
    assert attempt.status_code is None
    assert attempt.error is not None and "invalid URL" in attempt.error
    delivery = await queue(store).get(delivery_id)
    assert delivery is not None and delivery.status == "pending" and delivery.attempts == 1
    stored = await subs.get(sub.id)
    assert stored is not None and stored.failing_since is not None


async def test_a_secret_this_key_cannot_decrypt_is_a_recorded_failed_attempt(
    store: Store,
    receiver: Receiver,
    clock: FakeClock,
    make_stage: StageFactory,
    tmp_path: Path,
) -> None:
    # Encrypted under another BRIEFING_SECRET_KEY than the notifier's (make_stage's box).
    other = SubscriptionStore(store.redis, store.keys, load_secret_box(None, tmp_path / "other"))
    sub = await subscribe(other, receiver, clock)
    event_id = await emit(store, "story.created", {"story": story()}, clock)
    await pump(make_stage())
    assert receiver.received == []
    [attempt] = await queue(store).attempts(delivery_id_for(sub.id, event_id))
    assert attempt.status_code is None
    assert attempt.error is not None and "cannot sign" in attempt.error


# ------------------------------------------------------------------------------------------
# Webhooks from story references: the notifier builds each body from the story as it reads the
# event, stores it once, and every retry sends those same bytes (real Redis, a real receiver
# on 127.0.0.1).


async def test_a_reference_and_an_inline_event_are_delivered(
    store: Store,
    subs: SubscriptionStore,
    receiver: Receiver,
    clock: FakeClock,
    make_stage: StageFactory,
) -> None:
    await subscribe(subs, receiver, clock)
    story = make_story("s1")
    ref_id = await save_story(store, story)
    feed = {"feed": {"url": "https://x.example/rss", "last_error": "HTTP 500"}}
    feed_id = await feed_failing(store, {**feed, "internal": "not public"})

    await pump(make_stage())

    by_event = {r.json["event_id"]: r for r in receiver.received}
    assert set(by_event) == {ref_id, feed_id}
    assert all(r.verified_with for r in receiver.received)
    occurred = "2026-11-20T08:00:00Z"
    expected = build_body(ref_id, "story.created", occurred, {"story": story_payload(story)})
    assert by_event[ref_id].body == expected
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


async def test_a_delivery_whose_body_expired_while_queued_is_failed_and_logged(
    store: Store,
    subs: SubscriptionStore,
    receiver: Receiver,
    clock: FakeClock,
    make_stage: StageFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A queued delivery whose body expired is failed, the reason in its attempt log, and
    counted as expired. One whose record is gone (evicted under an ``allkeys-*``
    maxmemory-policy) has nothing to send or mark: it leaves the queue, the log says its
    record is gone, and it is not counted as expired."""
    sub = await subscribe(subs, receiver, clock)
    for event_id in ("1-0", "2-0"):
        await queue(store).enqueue(event_id=event_id, event_type="story.created", body=b"{}",
                                   subscription_ids=[sub.id], now=clock())  # fmt: skip
    await store.redis.delete(store.keys.webhook_body("1-0"))  # as when it expired
    delivery_id, evicted = (delivery_id_for(sub.id, e) for e in ("1-0", "2-0"))
    await store.redis.delete(store.keys.delivery(evicted))

    expired_before = _attempts("expired")
    with caplog.at_level(logging.WARNING, logger="workers.notify_stage"):
        await pump(make_stage())
    assert receiver.received == []
    delivery = await queue(store).get(delivery_id)
    assert delivery is not None and delivery.status == "failed"
    why = deliveries.AttemptRecord(clock(), None, 0.0, deliveries.EXPIRED_ATTEMPT)
    assert await queue(store).attempts(delivery_id) == [why]
    assert _attempts("expired") == expired_before + 1
    assert await queue(store).get(evicted) is None
    assert await store.redis.zrange(store.keys.due_deliveries(sub.id), 0, -1) == []
    expected = f"delivery {delivery_id} to {sub.id}: its body expired before it was sent; "
    assert sorted(r.getMessage() for r in caplog.records) == sorted(
        [
            expected + "marked failed",
            f"delivery {evicted} to {sub.id}: its record is gone; dropped from the queue",
        ]
    )
    assert await store.redis.zscore(store.keys.due_endpoints, sub.id) is None


async def test_a_delivery_queued_as_its_subscription_was_deleted_leaves_nothing(
    store: Store,
    subs: SubscriptionStore,
    receiver: Receiver,
    clock: FakeClock,
    make_stage: StageFactory,
) -> None:
    """A fan-out that read the subscriptions just before a DELETE queues the event for
    the deleted one after it (a delivery, the log and queue it lands in): the notifier
    that claims it sends nothing and removes what the delete would have."""
    sub = await subscribe(subs, receiver, clock)
    assert await subs.delete(sub.id)
    await queue(store).enqueue(event_id="1-0", event_type="story.created", body=b"{}",
                               subscription_ids=[sub.id], now=clock())  # fmt: skip
    delivery_id = delivery_id_for(sub.id, "1-0")

    await pump(make_stage())
    assert receiver.received == []
    keys = store.keys
    left = (keys.subscription_deliveries(sub.id), keys.due_deliveries(sub.id),
            keys.delivery(delivery_id), keys.delivery_attempts(delivery_id))  # fmt: skip
    assert not await store.redis.exists(*left)
    assert await store.redis.zscore(store.keys.due_endpoints, sub.id) is None


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


async def test_an_event_of_a_story_merged_since_is_delivered_as_its_survivor(
    store: Store,
    subs: SubscriptionStore,
    receiver: Receiver,
    clock: FakeClock,
    make_stage: StageFactory,
) -> None:
    await subscribe(subs, receiver, clock, events=("story.created",))
    older, newer = make_story("st_old"), make_story("st_new", outlets=("Ukrinform",))
    await save_story(store, older)
    newer_id = await save_story(store, newer)
    # The link check merges the newer story before the notifier reads its created event.
    merged = dataclasses.replace(older, members=older.members + newer.members)
    batch = StoryBatch()
    batch.merge(merged, newer, new_briefings=(), now=NOW, stored=None)
    await store.stories.write_batch(batch, None)
    skipped_before = _skipped()

    await pump(make_stage())

    by_event = {r.json["event_id"]: r.json for r in receiver.received}
    assert len(by_event) == 2  # the merge itself is not subscribed
    assert by_event[newer_id]["type"] == "story.created"
    assert by_event[newer_id]["data"] == {
        "story": public_data("story.created", {"story": story_payload(merged)})["story"],
        "merged_from": "st_new",
    }
    assert _skipped() == skipped_before


# A merge is news to a subscription without story.merged: it receives it as a
# story.updated of the survivor (service/webhooks/filters.py delivered_as); one that takes
# story.merged receives that only.


async def test_a_merge_is_a_story_updated_to_subscriptions_without_story_merged(
    store: Store,
    subs: SubscriptionStore,
    receiver: Receiver,
    clock: FakeClock,
    make_stage: StageFactory,
) -> None:
    plans = {
        "/grows": ("story.created", "story.updated"),
        "/merges": ("story.merged",),
        "/all": ("story.created", "story.updated", "story.merged"),
        "/created": ("story.created",),
    }
    made = {
        path: await subscribe(subs, receiver, clock, path=path, events=events)
        for path, events in plans.items()
    }
    await subscribe(
        subs, receiver, clock, path="/big", events=plans["/grows"], filters=Filters(min_sources=3)
    )
    older = make_story("st_old")  # two outlets
    created_id = await save_story(store, older)
    stage = make_stage()
    await pump(stage)
    # A version in another language waited for its link check, which merges it.
    newer = make_story("st_new", outlets=("Ukrinform",))
    await waiting_story(store, newer)
    merged, merge_id = await merge(store, older, newer)
    await pump(stage)

    def seen(path: str) -> list[tuple[str, str]]:
        return [(r.json["type"], r.json["event_id"]) for r in receiver.on(path)]

    assert seen("/grows") == [("story.created", created_id), ("story.updated", merge_id)]
    assert seen("/merges") == [("story.merged", merge_id)]
    assert seen("/all") == [("story.created", created_id), ("story.merged", merge_id)]
    assert seen("/created") == [("story.created", created_id)]
    # Filters are matched on the survivor: the merge brought its third outlet.
    assert seen("/big") == [("story.updated", merge_id)]
    assert all(r.verified_with for r in receiver.received)
    [grew] = receiver.on("/grows")[1:]
    [told] = receiver.on("/merges")
    survivor = public_data("story.updated", {"story": story_payload(merged)})
    assert grew.json["data"] == {**survivor, "absorbed": ["st_new"]}
    assert told.json["data"] == grew.json["data"]
    # One delivery per (subscription, event), each its own webhook-id, logged as sent.
    assert len({r.webhook_id for r in receiver.received}) == len(receiver.received)
    assert grew.webhook_id == delivery_id_for(made["/grows"].id, merge_id)
    delivery = await queue(store).get(grew.webhook_id)
    assert delivery is not None and delivery.status == "succeeded"
    assert (delivery.type, delivery.event_id) == ("story.updated", merge_id)

    # Read again (a notifier that died before its XACK): the merge is not sent again.
    await store.redis.xgroup_setid(store.keys.events_stream, EVENTS_GROUP, "0-0")
    await pump(make_stage("n2"))
    merges = [r.path for r in receiver.received if r.json["event_id"] == merge_id]
    assert sorted(merges) == ["/all", "/big", "/grows", "/merges"]


async def test_a_merge_sent_as_two_types_sends_each_its_own_bytes_on_every_retry(
    store: Store, subs: SubscriptionStore, clock: FakeClock, make_stage: StageFactory
) -> None:
    replies = {"/grows": iter([Reply(500), Reply(503), Reply(204)]),
               "/merges": iter([Reply(500), Reply(204)])}  # fmt: skip
    receiver = Receiver(clock=clock, reply=lambda r: next(replies[r.path]))
    await receiver.start()
    try:
        await subscribe(subs, receiver, clock, path="/grows", events=("story.updated",))
        await subscribe(subs, receiver, clock, path="/merges", events=("story.merged",))
        older, newer = make_story("st_old"), make_story("st_new", outlets=("Ukrinform",))
        await save_story(store, older)  # its story.created is not subscribed
        await waiting_story(store, newer)
        merged, merge_id = await merge(store, older, newer)
        stage = make_stage()
        await pump(stage)
        # The survivor moves on between attempts (no event: nothing else to send).
        renamed = dataclasses.replace(merged, headline="Power restored in Kharkiv")
        await write_story(store, renamed, article_id=renamed.members[-1].article_id, now=NOW)
        clock.advance(RETRY_DELAYS[1])
        # A second notifier re-reading the merge (the first died before XACK) must not
        # replace either stored body.
        await store.redis.xgroup_setid(store.keys.events_stream, EVENTS_GROUP, "0-0")
        await pump(make_stage("n2"))
        clock.advance(RETRY_DELAYS[2])
        await pump(stage)
    finally:
        await receiver.stop()

    grows, merges = receiver.on("/grows"), receiver.on("/merges")
    assert len(grows) == 3 and len({(r.body, r.webhook_id) for r in grows}) == 1
    assert len(merges) == 2 and len({(r.body, r.webhook_id) for r in merges}) == 1
    assert all(r.verified_with for r in receiver.received)
    assert (grows[0].json["type"], merges[0].json["type"]) == ("story.updated", "story.merged")
    assert grows[0].json["event_id"] == merges[0].json["event_id"] == merge_id
    assert grows[0].json["data"]["story"]["headline"] == older.headline


async def test_a_subscription_whose_types_change_between_two_reads_of_a_merge_gets_it_once(
    store: Store,
    subs: SubscriptionStore,
    receiver: Receiver,
    clock: FakeClock,
    make_stage: StageFactory,
) -> None:
    sub = await subscribe(subs, receiver, clock, events=("story.merged",))
    older, newer = make_story("st_old"), make_story("st_new", outlets=("Ukrinform",))
    await save_story(store, older)
    await waiting_story(store, newer)
    _merged, merge_id = await merge(store, older, newer)
    await pump(make_stage())
    # Its types change, then the merge is read again (the first read's XACK was lost):
    # the delivery is one per (subscription, event), whatever type it is sent as.
    await subs.update(sub.id, events=["story.created", "story.updated"], now=clock())
    await store.redis.xgroup_setid(store.keys.events_stream, EVENTS_GROUP, "0-0")
    await pump(make_stage("n2"))

    merges = [r.json["type"] for r in receiver.received if r.json["event_id"] == merge_id]
    assert merges == ["story.merged"]


async def test_each_body_a_merge_is_sent_as_expires_as_the_events_own_body_does(
    store: Store,
    subs: SubscriptionStore,
    receiver: Receiver,
    clock: FakeClock,
    make_stage: StageFactory,
) -> None:
    """The body stored for a merge sent as ``story.updated`` is no key left behind: it
    expires with the event's own body, and only the delivery that sends it names it (a
    delivery of the event's own type reads as one written before bodies were named)."""
    grows = await subscribe(subs, receiver, clock, path="/grows", events=("story.updated",))
    merges = await subscribe(subs, receiver, clock, path="/merges", events=("story.merged",))
    older, newer = make_story("st_old"), make_story("st_new", outlets=("Ukrinform",))
    await save_story(store, older)
    await waiting_story(store, newer)
    _merged, merge_id = await merge(store, older, newer)
    stage = make_stage()
    await stage.consumer.ensure_group()
    await stage.fan_out_once(block_ms=None)

    retention = stage.deliveries.retention_seconds
    own = await store.redis.ttl(store.keys.webhook_body(merge_id))
    as_updated = await store.redis.ttl(store.keys.webhook_body(f"{merge_id}:story.updated"))
    assert retention - 2 <= own <= retention and retention - 2 <= as_updated <= retention
    grown = store.keys.delivery(delivery_id_for(grows.id, merge_id))
    told = store.keys.delivery(delivery_id_for(merges.id, merge_id))
    assert await store.redis.hget(grown, "body") == f"{merge_id}:story.updated"
    assert not await store.redis.hexists(told, "body")
    await pump(stage)
    sent = sorted((r.path, r.json["type"]) for r in receiver.received)
    assert sent == [("/grows", "story.updated"), ("/merges", "story.merged")]


async def test_deliveries_an_older_fan_out_queued_are_sent_and_redelivered_with_their_events_body(
    store: Store,
    subs: SubscriptionStore,
    receiver: Receiver,
    clock: FakeClock,
    make_stage: StageFactory,
) -> None:
    """A rolling deploy's other direction (docs/webhooks.md, Operating): a fan-out from
    before bodies were named per type queued each event as its own type, its body under
    the event's id and no ``body`` in the delivery, the shape ``enqueue`` still writes for
    an event's own type. This release claims, sends and redelivers those with that body."""
    merges = await subscribe(subs, receiver, clock, path="/merges", events=("story.merged",))
    grows = await subscribe(subs, receiver, clock, path="/grows", events=("story.created",))
    occurred = codec.iso(clock()) or ""
    told = {"story": story(), "absorbed": ["st_gone"]}
    older = DeliveryStore(store.redis, store.keys)
    for event_id, event_type, data, sub in (
        ("1-0", "story.merged", told, merges),
        ("2-0", "story.created", {"story": story()}, grows),
    ):
        body = build_body(event_id, event_type, occurred, public_data(event_type, data))
        await older.enqueue(event_id=event_id, event_type=event_type, body=body,
                            subscription_ids=[sub.id], now=clock())  # fmt: skip
    stage = make_stage()
    await pump(stage)
    msg_id = delivery_id_for(merges.id, "1-0")
    assert await stage.deliveries.redeliver(msg_id, now=clock()) is Redelivery.QUEUED
    await pump(stage)

    sent = [(r.json["type"], r.json["event_id"], r.webhook_id) for r in receiver.on("/grows")]
    assert sent == [("story.created", "2-0", delivery_id_for(grows.id, "2-0"))]
    first, again = receiver.on("/merges")
    assert first.webhook_id == again.webhook_id == msg_id and first.body == again.body
    assert (first.json["type"], first.json["event_id"]) == ("story.merged", "1-0")
    assert first.json["data"]["absorbed"] == ["st_gone"]
    assert all(r.verified_with for r in receiver.received)


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


async def test_delivery_attempts_are_counted_by_outcome(
    store: Store, subs: SubscriptionStore, clock: FakeClock, make_stage: StageFactory
) -> None:
    receiver = Receiver(clock=clock)  # not started: connections are refused
    await subscribe(subs, receiver, clock)
    await emit(store, "story.created", {"story": story()}, clock)
    stage = make_stage()
    before = {outcome: _attempts(outcome) for outcome in ("retry", "succeeded")}

    await pump(stage)
    await up_for_the_second_attempt(receiver, clock, stage)

    counted = {outcome: _attempts(outcome) - before[outcome] for outcome in before}
    assert counted == {"retry": 1, "succeeded": 1}


def _attempts(outcome: str) -> float:
    return metrics._pending.get(f'briefing_deliveries_total{{outcome="{outcome}"}}', 0.0)


@pytest.mark.timeout(300)
async def test_a_stage_stopped_at_any_of_its_first_steps_ends_though_a_read_loses_the_cancellation(
    make_stage: StageFactory,
) -> None:
    """Stopped at each of its first loop steps, with the first cancellation that reaches a
    Redis read of either loop dropped (as redis-py's ``asyncio.wait_for`` can on Python
    3.11, tests/support/lost_cancellation.py) and the loop then held for good: the stage
    ends all the same, and every step's stop does."""
    lost = []
    for steps in range(30):
        stage = make_stage(f"n{steps}")
        reads = [LosingOneCancellation(stage.consumer.read)]
        reads.append(LosingOneCancellation(stage.deliveries.claim))
        stage.consumer.read, stage.deliveries.claim = reads  # type: ignore[method-assign]
        stop = asyncio.Event()
        running = asyncio.create_task(stage.run(stop))
        for _ in range(steps):
            await asyncio.sleep(0)
        stop.set()
        done, _ = await asyncio.wait({running}, timeout=30)
        lost.append(any(read.lost for read in reads))
        if not done:
            running.cancel()  # reaches the held read
            await asyncio.wait({running}, timeout=30)
        assert done == {running}, f"a stop at step {steps} is held"
    assert any(lost)  # the stops met a dropped cancellation


async def test_closing_ends_an_attempt_that_loses_its_cancellation(
    make_stage: StageFactory,
) -> None:
    """An attempt still running at the stop is cancelled; one that lost the cancellation
    in a Redis command went on to its webhook POST. Closing ends it all the same."""
    stage = make_stage()
    attempt, reading = task_losing_a_cancellation("attempt")
    stage._tasks.add(attempt)
    await reading.wait()
    closing = asyncio.create_task(stage.aclose())
    done, _ = await asyncio.wait({closing}, timeout=30)
    assert done == {closing}, "closing waits on an attempt that lost its cancellation"
    assert attempt.cancelled()


async def test_a_stage_cancelled_before_its_stop_ends_its_attempts_with_it(
    store: Store, subs: SubscriptionStore, clock: FakeClock, make_stage: StageFactory
) -> None:
    """Cancelled without its stop (the event loop's shutdown cancels what is left), as a
    delivery hangs: the stage ends its attempts before it ends, rather than leave their
    POSTs running unsupervised (each up to ``timeout``)."""
    receiver = Receiver(clock=clock, reply=lambda _r: Reply(hang=True))
    await receiver.start()
    try:
        await subscribe(subs, receiver, clock)
        stage = make_stage(timeout=60.0)
        await stage.consumer.ensure_group()
        await emit(store, "story.created", {"story": story()}, clock)
        running = asyncio.create_task(stage.run(asyncio.Event()))
        await asyncio.wait_for(receiver.arrived.wait(), 10)  # the POST is in
        attempts = list(stage._tasks)
        assert await cancel_and_wait(running, within=30)
        assert running.cancelled()
        assert attempts and all(attempt.done() for attempt in attempts)
    finally:
        await receiver.stop()


async def test_closing_while_cancelled_still_closes_the_connections(
    make_stage: StageFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Closing, cancelled (the worker's stage grace run out) as it ends an attempt that
    lost a cancellation: the attempt ends, and the HTTP connections are closed all the
    same before the cancellation is raised."""
    stage = make_stage()
    closed: list[bool] = []
    close_connections = stage.sender.aclose

    async def recorded_close() -> None:
        closed.append(True)
        await close_connections()

    monkeypatch.setattr(stage.sender, "aclose", recorded_close)
    attempt, reading = task_losing_a_cancellation("attempt")
    stage._tasks.add(attempt)
    await reading.wait()
    closing = asyncio.create_task(stage.aclose())
    for _ in range(3):  # closing has cancelled the attempt once
        await asyncio.sleep(0)
    assert await cancel_and_wait(closing, within=30)
    assert closing.cancelled() and attempt.cancelled()
    assert closed
