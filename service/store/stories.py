"""Stories, their timelines, and the clustering log that makes restarts exact.

Writes for a batch of articles happen in one MULTI transaction (``StoryBatch``): the
articles' assignments to their stories, the story records, the timelines, the events
and the clustering log entries (the process stage adds its indexes and the XACK). So
either all of an article's effects exist or none do, and "is this article already
assigned?" is the idempotency check of the process stage.

The clustering log (``cluster:log``, one per process partition) lists ``article_id|now``
in processing order; with the partition's last snapshot of its in-memory clusterer it
rebuilds the exact state after a restart (snapshot, then replay of the log written
after it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from service.models import Story, StoryMember
from service.store import codec
from service.store.connection import RedisClient
from service.store.events import story_ref_fields
from service.store.keys import STREAM_CEILING, Keys


def member_to_json(m: StoryMember) -> dict[str, Any]:
    return {
        "article_id": m.article_id,
        "feed_url": m.feed_url,
        "outlet": m.outlet,
        "url": m.url,
        "title": m.title,
        "published": codec.iso(m.published),
        "language": m.language,
        "country": m.country,
        "copy_of": m.copy_of,
    }


def member_from_json(d: dict[str, Any]) -> StoryMember:
    published = codec.parse_iso(d["published"])
    assert published is not None
    return StoryMember(
        article_id=d["article_id"],
        feed_url=d["feed_url"],
        outlet=d["outlet"],
        url=d["url"],
        title=d["title"],
        published=published,
        language=d.get("language", ""),
        country=d.get("country", ""),
        copy_of=d.get("copy_of"),
    )


def story_to_json(s: Story) -> str:
    return json.dumps(
        {
            "id": s.id,
            "headline": s.headline,
            "summary": s.summary,
            "first_seen": codec.iso(s.first_seen),
            "last_updated": codec.iso(s.last_updated),
            "members": [member_to_json(m) for m in s.members],
            "languages": list(s.languages),
            "places": list(s.places),
            "keywords": list(s.keywords),
            "briefings": list(s.briefings),
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def story_from_json(text: str) -> Story:
    d = json.loads(text)
    first_seen = codec.parse_iso(d["first_seen"])
    last_updated = codec.parse_iso(d["last_updated"])
    assert first_seen is not None and last_updated is not None
    return Story(
        id=d["id"],
        headline=d["headline"],
        summary=d["summary"],
        first_seen=first_seen,
        last_updated=last_updated,
        members=tuple(member_from_json(m) for m in d["members"]),
        languages=tuple(d["languages"]),
        places=tuple(d["places"]),
        keywords=tuple(d["keywords"]),
        briefings=tuple(d["briefings"]),
    )


# Each webhook body is stored until delivered, and every SSE frame carries one, so a
# story's payload stays bounded however many reports it gathers: one source per outlet.
MAX_EVENT_SOURCES = 50


def story_payload(s: Story) -> dict[str, Any]:
    """The public, versioned shape of a story in events (SSE frames and webhooks), made
    from the story record when an event is read (service/store/event_payloads.py).

    ``sources`` lists each outlet once (its first report), at most ``MAX_EVENT_SOURCES``;
    ``source_count`` counts every report; the API serves the full story."""
    first_per_outlet: dict[str, StoryMember] = {}
    for m in s.members:
        first_per_outlet.setdefault(m.outlet, m)
    return {
        "id": s.id,
        "headline": s.headline,
        "summary": s.summary,
        "first_seen": codec.iso(s.first_seen),
        "last_updated": codec.iso(s.last_updated),
        "article_count": len(s.original_ids),
        "source_count": len(s.members),
        "sources": [
            {
                "outlet": m.outlet,
                "country": m.country,
                "language": m.language,
                "url": m.url,
                "time": codec.iso(m.published),
            }
            for m in list(first_per_outlet.values())[:MAX_EVENT_SOURCES]
        ],
        "places": list(s.places),
        "languages": list(s.languages),
        "keywords": list(s.keywords),
        "briefings": list(s.briefings),
    }


class LeaseLost(Exception):
    """Another process took the clustering lease: this one must stop writing stories."""


@dataclass(frozen=True, slots=True)
class Fence:
    """Writes happen only while ``key`` still holds ``token`` (WATCH + MULTI): a stage
    that stalled past its lease can never overwrite what its successor wrote."""

    key: str
    token: str


@dataclass(frozen=True, slots=True)
class Event:
    """A story event as the story stage decides it. Only ``type`` is written: the stream
    holds a reference to the story (service/store/events.py), and ``data`` (the payload
    at the moment of the event) is not stored; readers load the story instead."""

    type: str
    data: dict[str, Any]


@dataclass
class StoryBatch:
    """Everything a batch of articles changed, written in one transaction (``queue``).

    Articles are decided one after another in memory; a story several of them touched
    is written once, in its final state, and each of its events (one per article, in
    order) refers to it: every one reads as that final state."""

    partition: int = 0  # whose clustering log the entries go to
    assignments: dict[str, str] = field(default_factory=dict)  # article id -> story id
    stories: dict[str, Story] = field(default_factory=dict)  # final state per story
    new_briefings: dict[str, set[str]] = field(default_factory=dict)  # story id -> first seen
    log: list[str] = field(default_factory=list)  # clustering-log entries, in order
    events: list[tuple[Event, str, str, datetime]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.assignments or self.stories or self.log or self.events)

    def add(
        self,
        story: Story,
        *,
        article_id: str,
        new_briefings: tuple[str, ...],
        events: list[Event],
        log_entry: str | None,
        now: datetime,
    ) -> None:
        self.assignments[article_id] = story.id
        self.stories[story.id] = story
        if new_briefings:
            self.new_briefings.setdefault(story.id, set()).update(new_briefings)
        if log_entry is not None:
            self.log.append(log_entry)
        self.events.extend((event, story.id, article_id, now) for event in events)


class StoryStore:
    def __init__(self, redis: RedisClient, keys: Keys, *, stream_maxlen: int = STREAM_CEILING):
        self.redis = redis
        self.keys = keys
        self.stream_maxlen = stream_maxlen

    async def assigned(self, article_id: str) -> str | None:
        story_id: str | None = await self.redis.hget(self.keys.story_of_article, article_id)
        return story_id

    async def assigned_many(self, article_ids: list[str]) -> dict[str, str | None]:
        if not article_ids:
            return {}
        found = await self.redis.hmget(self.keys.story_of_article, article_ids)
        return dict(zip(article_ids, found, strict=True))

    async def get(self, story_id: str) -> Story | None:
        raw = await self.redis.get(self.keys.story(story_id))
        return story_from_json(raw) if raw else None

    async def get_many(self, ids: list[str]) -> list[Story]:
        if not ids:
            return []
        raws = await self.redis.mget([self.keys.story(i) for i in ids])
        return [story_from_json(r) for r in raws if r]

    async def save(
        self,
        story: Story,
        *,
        article_id: str,
        new_briefings: tuple[str, ...],
        events: list[Event],
        log_entry: str | None,
        now: datetime,
        fence: Fence | None = None,
    ) -> list[str]:
        """Write everything one article changed, atomically; returns the event ids."""
        batch = StoryBatch()
        batch.add(
            story,
            article_id=article_id,
            new_briefings=new_briefings,
            events=events,
            log_entry=log_entry,
            now=now,
        )
        async with self.redis.pipeline(transaction=True) as pipe:
            await guard(pipe, fence)
            self.queue(pipe, batch)
            replies = await pipe.execute()
        return [str(r) for r in replies[-len(events) :]] if events else []

    def queue(self, pipe: Any, batch: StoryBatch) -> None:
        """Queue a batch's writes on a transaction (the caller guards and executes it).

        The event XADDs come last, in the order they happened."""
        keys = self.keys
        if batch.assignments:
            pipe.hset(keys.story_of_article, mapping=batch.assignments)
        for story in batch.stories.values():
            updated = codec.epoch_ms(story.last_updated)
            created = codec.epoch_ms(story.first_seen)
            new_briefings = batch.new_briefings.get(story.id, ())
            pipe.set(keys.story(story.id), story_to_json(story))
            pipe.zadd(keys.stories_by("updated"), {story.id: updated})
            pipe.zadd(keys.stories_by("created"), {story.id: created})
            for briefing in story.briefings:
                pipe.zadd(keys.briefing_stories(briefing, "updated"), {story.id: updated})
                if briefing in new_briefings:
                    pipe.zadd(keys.briefing_stories(briefing, "created"), {story.id: created})
        if batch.log:
            pipe.rpush(keys.cluster_log(batch.partition), *batch.log)
        for event, story_id, article_id, now in batch.events:
            pipe.xadd(
                keys.events_stream,
                story_ref_fields(
                    event.type,
                    story_id,
                    batch.stories[story_id].briefings,  # add() put every event's story there
                    codec.iso(now) or "",
                    f"{event.type}|{story_id}|{article_id}",
                ),
                # An out-of-memory ceiling only; the routine trim keeps what the notifier
                # has not read (service/store/trim.py).
                maxlen=self.stream_maxlen,
                approximate=True,
            )

    # --- clustering state ------------------------------------------------------------

    async def log_entries(self, partition: int = 0) -> list[str]:
        entries: list[str] = await self.redis.lrange(self.keys.cluster_log(partition), 0, -1)
        return entries

    async def load_snapshot(self, partition: int = 0) -> dict[str, Any] | None:
        raw = await self.redis.get(self.keys.cluster_snapshot(partition))
        return json.loads(raw) if raw else None

    async def save_snapshot(
        self,
        snapshot: dict[str, Any],
        covered: int,
        fence: Fence | None = None,
        partition: int = 0,
    ) -> None:
        """Store a snapshot taken after the first ``covered`` log entries, and drop them."""
        async with self.redis.pipeline(transaction=True) as pipe:
            await guard(pipe, fence)
            pipe.set(
                self.keys.cluster_snapshot(partition), json.dumps(snapshot, separators=(",", ":"))
            )
            pipe.ltrim(self.keys.cluster_log(partition), covered, -1)
            await pipe.execute()


async def guard(pipe: Any, fence: Fence | None) -> None:
    """Start the transaction, fenced by the lease when there is one.

    WATCH makes EXEC fail (WatchError) if the lease key changes before it runs."""
    if fence is None:
        return
    await pipe.watch(fence.key)
    if await pipe.get(fence.key) != fence.token:
        raise LeaseLost(f"lease {fence.key} is no longer held by {fence.token}")
    pipe.multi()
