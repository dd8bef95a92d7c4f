"""Fixtures for webhook tests (a plugin of tests/conftest.py, so the notify stage's tests in
tests/workers and those of service/webhooks share them): an injected clock, a secret box,
receivers, stages; and helpers to subscribe, emit events and run a stage to completion."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from service.store import Store
from service.store.subscriptions import Subscription, SubscriptionStore
from service.webhooks.filters import Filters
from service.webhooks.secretbox import SecretBox, load_secret_box
from tests.support.webhook_receiver import Receiver
from workers.notify_stage import NotifyConfig, NotifyStage


class FakeClock:
    """Now, moved only by the test: schedules are checked by stepping, not sleeping."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime.now(UTC).replace(microsecond=0))


@pytest.fixture
def box(tmp_path: Path) -> SecretBox:
    return load_secret_box(None, tmp_path)


@pytest.fixture
def subs(store: Store, box: SecretBox) -> SubscriptionStore:
    return SubscriptionStore(store.redis, store.keys, box)


@pytest.fixture
async def receiver(clock: FakeClock) -> AsyncIterator[Receiver]:
    r = Receiver(clock=clock)
    await r.start()
    yield r
    await r.stop()


StageFactory = Callable[..., NotifyStage]


@pytest.fixture
async def make_stage(store: Store, box: SecretBox, clock: FakeClock) -> AsyncIterator[StageFactory]:
    made: list[NotifyStage] = []

    def make(name: str = "n1", **overrides: Any) -> NotifyStage:
        config = NotifyConfig(**{"allow_private": True, "timeout": 5.0, **overrides})
        # rng 0.5 puts jitter at its midpoint: every retry lands exactly on the schedule.
        stage = NotifyStage(store, box, config, consumer_name=name, clock=clock, rng=lambda: 0.5)
        made.append(stage)
        return stage

    yield make
    for stage in made:
        await stage.aclose()


async def subscribe(
    subs: SubscriptionStore,
    receiver: Receiver,
    clock: FakeClock,
    *,
    path: str = "/hook",
    events: tuple[str, ...] = ("story.created", "story.updated", "feed.failing"),
    filters: Filters | None = None,
) -> Subscription:
    """A subscription whose secret the receiver learns (as a consumer would)."""
    sub, secret = await subs.create(
        url=receiver.url(path),
        events=list(events),
        filters=filters or Filters(),
        description="test",
        now=clock(),
    )
    receiver.secrets.append(secret)
    return sub


async def emit(store: Store, event_type: str, data: dict[str, Any], clock: FakeClock) -> str:
    """XADD an event the way the process stage does."""
    return str(
        await store.redis.xadd(
            store.keys.events_stream,
            {
                "type": event_type,
                "data": json.dumps(data),
                "occurred_at": clock().isoformat().replace("+00:00", "Z"),
            },
        )
    )


async def pump(stage: NotifyStage) -> int:
    """Fan out whatever is on the stream, then run due attempts to completion."""
    await stage.consumer.ensure_group()
    while await stage.fan_out_once(block_ms=None):
        pass
    claimed = 0
    while n := await stage.deliver_due_once():
        claimed += n
        await stage.drain()
    await stage.drain()
    return claimed
