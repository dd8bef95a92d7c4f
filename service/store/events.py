"""The events stream: what clients are told (``story.created``, ``story.updated``,
``story.merged``, ``feed.failing``). The stream entry id is the event id (SSE ``id:``,
webhook-id basis).

Two kinds of entry, told apart by their fields:

- a story event is a *reference*: ``type``, ``story`` (the story id), ``briefings``
  (the story's briefing ids, space separated: enough to route the event without reading
  the story: the SSE hub's per-briefing filter, ``since=`` timelines), ``occurred_at``
  (ISO UTC) and ``key`` (the dedupe key of the event); a ``story.merged`` also names the
  stories the story absorbed (``absorbed``, space separated). Readers materialize the public
  payload (``{"story": story_payload(story)}``) from the current story record when they
  read the event (service/store/event_payloads.py; a story merged since reads as its
  survivor). Why: the stream keeps a 600 s resume window of every event, and a payload
  copy per event costs kilobytes where a reference is ~120 B (docs/design.md, "Events by
  reference"). Because the story write and the XADD are in the same MULTI
  (StoryStore.queue), the record a reader finds is never older than the event, only
  possibly newer.
- any other event (``feed.failing``) is inline: it carries ``data``, the JSON of the
  public payload, read as is.

Emission is idempotent per key: a replayed article or poll emits nothing new.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from service.store import codec
from service.store.connection import RedisClient
from service.store.keys import STREAM_CEILING, Keys

STORY_EVENTS = ("story.created", "story.updated", "story.merged")

EMIT_ONCE = """
if redis.call('SET', KEYS[1], '1', 'NX', 'EX', tonumber(ARGV[5])) == false then return false end
return redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[4], '*',
                  'type', ARGV[1], 'data', ARGV[2], 'occurred_at', ARGV[3], 'key', KEYS[1])
"""
# MAXLEN here is only the out-of-memory ceiling (``stream_maxlen``); the routine trim is
# service/store/trim.py, which keeps what the notifier group has not read yet.
EVENT_KEY_TTL = 35 * 86_400  # longer than retention: a replay within it emits nothing


def encode_data(data: Mapping[str, Any]) -> str:
    """An event's ``data`` as stored in the stream and sent in SSE frames (compact JSON,
    UTF-8 kept)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def story_ref_fields(
    event_type: str,
    story_id: str,
    briefings: Iterable[str],
    occurred_at: str,
    key: str,
    absorbed: Iterable[str] = (),
) -> dict[str, str]:
    """The fields XADDed for a story event: a reference, not the payload.

    Always the same field names in the same order: Redis stores an entry whose fields
    equal its listpack's master entry as values only (t_stream.c, SAMEFIELDS flag). Only
    the rare ``story.merged`` adds one (``absorbed``)."""
    fields = {
        "type": event_type,
        "story": story_id,
        # Briefing ids are [a-z0-9-] (routes/briefings_admin.BRIEFING_ID): a space separates.
        "briefings": " ".join(briefings),
        "occurred_at": occurred_at,
        "key": key,
    }
    absorbed = " ".join(absorbed)
    if absorbed:
        fields["absorbed"] = absorbed  # story ids are [a-z0-9_]
    return fields


@dataclass(frozen=True, slots=True)
class EventEntry:
    """One entry of the events stream as read, before any story is loaded.

    ``story_id`` is set for story events (references); ``data`` is the payload of an
    inline event (the raw JSON in ``raw``) and None for a reference; ``absorbed``: the
    stories a ``story.merged`` names."""

    id: str
    type: str
    story_id: str | None
    briefings: frozenset[str]
    data: dict[str, Any] | None
    raw: str | None
    occurred_at: str
    key: str
    absorbed: tuple[str, ...] = ()

    @property
    def is_reference(self) -> bool:
        return self.story_id is not None

    @classmethod
    def parse(cls, entry_id: object, fields: Mapping[str, str]) -> EventEntry | None:
        """None for a story event that is no reference, or another event without
        readable data."""
        kind = fields.get("type", "")
        occurred = fields.get("occurred_at", "")
        key = fields.get("key", "")
        if kind in STORY_EVENTS:
            story_id = fields.get("story")
            if not story_id:
                return None
            briefings = frozenset(fields.get("briefings", "").split())
            absorbed = tuple(fields.get("absorbed", "").split())
            return cls(
                str(entry_id), kind, story_id, briefings, None, None, occurred, key, absorbed
            )
        raw = fields.get("data")
        if raw is None:
            return None
        try:
            data = json.loads(raw)
        except ValueError:
            return None
        if not isinstance(data, dict):
            return None
        return cls(str(entry_id), kind, None, frozenset(), data, raw, occurred, key)


class EventStore:
    def __init__(self, redis: RedisClient, keys: Keys, *, stream_maxlen: int = STREAM_CEILING):
        self.redis = redis
        self.keys = keys
        self.stream_maxlen = stream_maxlen
        self._emit = redis.register_script(EMIT_ONCE)

    async def emit(
        self, event_type: str, data: dict[str, Any], *, now: datetime, dedupe_key: str
    ) -> str | None:
        """XADD an inline event (``data`` kept in the entry: small, non-story events such
        as ``feed.failing``) unless one with this dedupe key was emitted; returns its id."""
        result = await self._emit(
            keys=[self.keys.event_once(dedupe_key), self.keys.events_stream],
            args=[
                event_type,
                encode_data(data),
                codec.iso(now),
                self.stream_maxlen,
                EVENT_KEY_TTL,
            ],
        )
        return str(result) if result else None
