"""Stories and events written the way the process stage writes them (StoryStore, one
MULTI: record + reference XADD), and ``feed.failing`` events the way the fetch stage
emits them (inline ``data``), for the tests of readers of the events stream."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from service.models import Story, StoryMember
from service.store import Store
from service.store.stories import Event
from tests.factories import write_story

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def make_story(
    story_id: str,
    headline: str = "Drone attack on Kharkiv power plant",
    *,
    briefings: tuple[str, ...] = ("ukraine",),
    outlets: tuple[str, ...] = ("Kyiv Independent", "Ukrainska Pravda"),
) -> Story:
    members = tuple(
        StoryMember(
            article_id=f"{story_id}-a{n}",
            feed_url=f"https://feed{n}.example/rss",
            outlet=outlet,
            url=f"https://outlet{n}.example/{story_id}",
            title=headline,
            published=T0 + timedelta(minutes=n),
            language="en",
            country="UA",
        )
        for n, outlet in enumerate(outlets)
    )
    return Story(
        id=story_id,
        headline=headline,
        summary="Officials said the strike cut power to thousands. ¿Qué pasó? Всё.",
        first_seen=T0,
        last_updated=T0 + timedelta(minutes=len(outlets)),
        members=members,
        languages=("en",),
        places=("Kharkiv", "Ukraine"),
        keywords=("drone", "power"),
        briefings=briefings,
    )


async def save_story(
    store: Store, story: Story, event_type: str = "story.created", *, now: datetime = T0
) -> str:
    """Write the story and its event as the story stage does; returns the event id."""
    [event_id] = await write_story(
        store,
        story,
        article_id=story.members[-1].article_id,
        new_briefings=story.briefings if event_type == "story.created" else (),
        events=[Event(event_type)],
        log_entry=None,
        now=now,
    )
    return event_id


async def feed_failing(store: Store, data: dict[str, Any], *, now: datetime = T0) -> str:
    """A ``feed.failing`` event, emitted as the fetch stage emits it (inline payload)."""
    event_id = await store.events.emit(
        "feed.failing", data, now=now, dedupe_key=f"feed.failing|{now.timestamp()}|{data}"
    )
    assert event_id is not None
    return event_id
