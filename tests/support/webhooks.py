"""Fixtures for webhook tests (a plugin of tests/conftest.py, so the notify stage's tests in
tests/workers and those of service/webhooks share them): an injected clock, a secret box,
receivers, stages; and helpers to subscribe, emit events and run a stage to completion."""

from __future__ import annotations

import dataclasses
import itertools
import json
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from service.models import Story, StoryMember
from service.store import Store, codec
from service.store.events import STORY_EVENTS
from service.store.stories import Event, StoryBatch, member_to_row, story_from_record
from service.store.subscriptions import Subscription, SubscriptionStore
from service.webhooks.filters import Filters
from service.webhooks.secretbox import SecretBox, load_secret_box
from tests.factories import STORY_T0, write_story
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


async def unheard(
    subs: SubscriptionStore, *, events: tuple[str, ...] = ("story.created", "story.merged")
) -> Subscription:
    """A subscription to a port nothing listens on: for tests of what the stores keep,
    where no delivery is sent."""
    sub, _secret = await subs.create(
        url="http://127.0.0.1:9/hook", events=list(events), filters=Filters(),
        description="", now=STORY_T0,
    )  # fmt: skip
    return sub


def story_of(payload: dict[str, Any]) -> Story:
    """The story whose event payload is (up to what the stage derives: counts, claims)
    ``payload``: one member per source, titled with the headline. The payload has the
    header's fields, so the story is read from it as from a stored header."""
    first_seen = codec.parse_iso(payload["first_seen"])
    assert first_seen is not None
    members = (
        StoryMember(
            article_id=f"{payload['id']}-a{n}",
            feed_url=f"https://feed{n}.example/rss",
            outlet=source["outlet"],
            url=source["url"],
            title=payload["headline"],
            published=codec.parse_iso(source.get("time")) or first_seen,
            language=source.get("language", ""),
            country=source.get("country", ""),
        )
        for n, source in enumerate(payload["sources"])
    )
    return story_from_record(json.dumps(payload), [member_to_row(m) for m in members])


_emitted = itertools.count()


async def emit(store: Store, event_type: str, data: dict[str, Any], clock: FakeClock) -> str:
    """An event the way the stages write it: a story event as the story stage does (the
    story ``data["story"]`` describes, and a reference to it, in one MULTI), any other
    inline (``EventStore.emit``)."""
    if event_type not in STORY_EVENTS:
        event_id = await store.events.emit(
            event_type, data, now=clock(), dedupe_key=f"test|{next(_emitted)}"
        )
        assert event_id is not None
        return event_id
    story = story_of(data["story"])
    created = event_type == "story.created"
    [event_id] = await write_story(
        store,
        story,
        article_id=story.members[-1].article_id,
        new_briefings=story.briefings if created else (),
        events=[Event(event_type)],
        now=clock(),
    )
    return event_id


async def waiting_story(store: Store, story: Story) -> None:
    """A story written without an event, as the story stage writes one whose link check
    is pending (announced by the check's answer: docs/api.md)."""
    await write_story(
        store,
        story,
        article_id=story.members[-1].article_id,
        new_briefings=story.briefings,
        now=STORY_T0,
    )


async def merge(store: Store, survivor: Story, absorbed: Story) -> tuple[Story, str]:
    """A link check's merge of ``absorbed`` into ``survivor``, written as the story stage
    writes it (StoryBatch.merge: one ``story.merged``); the merged survivor and the
    event's id."""
    merged = dataclasses.replace(survivor, members=survivor.members + absorbed.members)
    batch = StoryBatch()
    batch.merge(merged, absorbed, new_briefings=(), now=STORY_T0, stored=None)
    await store.stories.write_batch(batch, None)
    [(event_id, fields)] = await store.redis.xrevrange(store.keys.events_stream, count=1)
    assert fields["type"] == "story.merged"
    return merged, str(event_id)


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
