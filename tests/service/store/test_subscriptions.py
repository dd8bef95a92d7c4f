"""The subscription store against real Redis: what deleting a subscription removes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from types import TracebackType
from typing import Any

import pytest

from service.store import Store, deliveries
from service.store.connection import RedisClient
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
    # A second apart: the log orders deliveries of one millisecond by their (hashed) ids.
    for n, event_id in enumerate(("1-0", "2-0")):
        await queue.enqueue_many(
            [NewEvent(event_id, "story.created", b"{}", [sub.id])], now=NOW + timedelta(seconds=n)
        )
    claims = await queue.claim(
        now=NOW + timedelta(seconds=1), lease_seconds=45, budget=10, default_cap=4, caps={}
    )
    await queue.complete_many(
        [Outcome(c, "succeeded", 1, None, AttemptRecord(NOW, 204, 3.0)) for c in claims]
    )
    assert await subs.delete(sub.id)
    outlived = delivery_id_for(sub.id, "1-0")
    assert await queue.get(outlived) is not None  # out of the log, expiring on its own

    assert await queue.redeliver(outlived, now=NOW) is Redelivery.UNKNOWN
    assert not await store.redis.exists(store.keys.due_deliveries(sub.id))
    assert await store.redis.ttl(store.keys.delivery(outlived)) > 0


Hook = Callable[[], Awaitable[object]]
Race = Callable[[int], Awaitable[object]]


class _SpiedPipeline:
    """A pipeline of a ``_SpiedClient``: a transaction it sends is one of the client's
    steps; ``after`` runs once each batch it sent was answered."""

    def __init__(self, pipe: Any, spy: _SpiedClient) -> None:
        self._pipe, self._spy = pipe, spy

    def __getattr__(self, name: str) -> Any:
        return getattr(self._pipe, name)

    async def __aenter__(self) -> _SpiedPipeline:
        await self._pipe.__aenter__()
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self._pipe.__aexit__(kind, exc, tb)

    async def execute(self) -> list[Any]:
        if self._pipe.is_transaction:
            return list(await self._spy.step(self._pipe.execute))
        try:
            return list(await self._pipe.execute())
        finally:
            await self._spy.answered()


class _SpiedClient:
    """A client whose every step that may write (a transaction sent, a script called)
    first runs ``before`` with the step's number from 0 (another client's commands landing
    while a delete is under way), and whose every batch, once answered, runs ``after``
    (what a reader between two steps, or a restart after a crash there, would find)."""

    def __init__(
        self, redis: RedisClient, *, before: Race | None = None, after: Hook | None = None
    ) -> None:
        self._redis, self._before, self._after, self._steps = redis, before, after, 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self._redis, name)

    async def step(self, send: Callable[[], Awaitable[Any]]) -> Any:
        if self._before:
            await self._before(self._steps)
        self._steps += 1
        try:
            return await send()
        finally:
            await self.answered()

    async def answered(self) -> None:
        if self._after:
            await self._after()

    def pipeline(self, transaction: bool = True) -> _SpiedPipeline:
        return _SpiedPipeline(self._redis.pipeline(transaction=transaction), self)

    def register_script(self, script: str) -> Callable[..., Awaitable[Any]]:
        run = self._redis.register_script(script)

        async def call(**kwargs: Any) -> Any:
            return await self.step(lambda: run(**kwargs))

        return call


async def test_a_delivery_queued_while_the_subscription_is_deleted_goes_with_it(
    store: Store, subs: SubscriptionStore
) -> None:
    """A fan-out that read the subscriptions before the delete can queue a delivery while
    the delete runs: the delete removes it too, or its pending record (no expiry) and its
    queue would outlive the subscription."""
    sub = await unheard(subs)
    queue = DeliveryStore(store.redis, store.keys)
    await queue.enqueue_many([NewEvent("1-0", "story.created", b"{}", [sub.id])], now=NOW)

    fanned_out = []

    async def fan_out(step: int) -> None:
        if step == 1:  # once the delete has read what is queued
            await queue.enqueue_many([NewEvent("2-0", "story.created", b"{}", [sub.id])], now=NOW)
            fanned_out.append(step)

    racing = SubscriptionStore(
        _SpiedClient(store.redis, before=fan_out),  # type: ignore[arg-type]
        store.keys,
        subs.box,
    )
    assert await racing.delete(sub.id)
    assert fanned_out  # the fan-out landed while the delete was under way
    for event_id in ("1-0", "2-0"):
        delivery_id = delivery_id_for(sub.id, event_id)
        assert not await store.redis.exists(store.keys.delivery(delivery_id)), event_id
    assert not await store.redis.exists(
        store.keys.due_deliveries(sub.id), store.keys.subscription_deliveries(sub.id)
    )


async def test_no_reader_sees_a_subscription_half_deleted(
    store: Store, subs: SubscriptionStore
) -> None:
    """The delete is one step: after every batch it sends, the subscription and its
    deliveries are either all there or all gone. Never the subscription gone and its
    delivery records left (what a GET of a delivery, a completion, or a restart after a
    crash there would find, with nothing left to remove them)."""
    sub = await unheard(subs)
    queue = DeliveryStore(store.redis, store.keys)
    events = ["1-0", "2-0"]
    await queue.enqueue_many(
        [NewEvent(e, "story.created", b"{}", [sub.id]) for e in events], now=NOW
    )
    [claim] = await queue.claim(now=NOW, lease_seconds=45, budget=1, default_cap=1, caps={})
    await queue.complete_many(
        [Outcome(claim, "retry", 1, NOW + timedelta(minutes=1), AttemptRecord(NOW, 500, 3.0))]
    )
    ids = [delivery_id_for(sub.id, e) for e in events]
    seen: list[tuple[bool, list[bool], bool]] = []

    async def look() -> None:
        records = [await queue.get(i) is not None for i in ids]
        attempts = bool(await queue.attempts(claim.delivery_id))
        seen.append((await subs.get(sub.id) is not None, records, attempts))

    spied = SubscriptionStore(
        _SpiedClient(store.redis, after=look),  # type: ignore[arg-type]
        store.keys,
        subs.box,
    )
    assert await spied.delete(sub.id)
    assert seen[-1] == (False, [False, False], False)
    for there, records, attempts in seen:
        assert records == [there, there] and attempts == there, seen


async def test_a_delete_ends_while_notifiers_keep_claiming_the_endpoint(
    store: Store, subs: SubscriptionStore
) -> None:
    """An endpoint being sent to (its backlog claimed and retried by the notifiers) has
    its queue's scores moved at every claim and completion. Those add no delivery, so
    the delete must not start over for them: else deleting a busy endpoint, from the API
    or from a notifier's tick, could go on as long as the sending does."""
    sub = await unheard(subs)
    queue = DeliveryStore(store.redis, store.keys)
    await queue.enqueue_many(
        [NewEvent(e, "story.created", b"{}", [sub.id]) for e in ("1-0", "2-0")], now=NOW
    )
    tries = 20

    async def claim_again(step: int) -> None:
        assert step < tries, f"the delete started over {tries} times"
        # A notifier takes the endpoint's deliveries again (the last leases ran out).
        later = NOW + timedelta(minutes=step)
        claims = await queue.claim(now=later, lease_seconds=45, budget=10, default_cap=4, caps={})
        assert len(claims) == 2

    busy = SubscriptionStore(
        _SpiedClient(store.redis, before=claim_again),  # type: ignore[arg-type]
        store.keys,
        subs.box,
    )
    assert await busy.delete(sub.id)
    for event_id in ("1-0", "2-0"):
        delivery_id = delivery_id_for(sub.id, event_id)
        assert not await store.redis.exists(store.keys.delivery(delivery_id)), event_id
    assert not await store.redis.exists(
        store.keys.subscription(sub.id), store.keys.due_deliveries(sub.id)
    )
