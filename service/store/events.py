"""The events stream: what clients are told (``story.created``, ``story.updated``,
``feed.failing``). The stream entry id is the event id (SSE ``id:``, webhook-id basis).

Each entry: ``type``, ``data`` (JSON of the public payload), ``occurred_at`` (ISO UTC),
and ``key`` (the dedupe key of the event). Emission is idempotent per key: a replayed
article or poll emits nothing new.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from service.store import codec
from service.store.connection import RedisClient
from service.store.keys import STREAM_CEILING, Keys

EMIT_ONCE = """
if redis.call('SET', KEYS[1], '1', 'NX', 'EX', tonumber(ARGV[5])) == false then return false end
return redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[4], '*',
                  'type', ARGV[1], 'data', ARGV[2], 'occurred_at', ARGV[3], 'key', KEYS[1])
"""
# MAXLEN here is only the out-of-memory ceiling (``stream_maxlen``); the routine trim is
# service/store/trim.py, which keeps what the notifier group has not read yet.
EVENT_KEY_TTL = 35 * 86_400  # longer than retention: a replay within it emits nothing


def encode_data(data: dict[str, Any]) -> str:
    """An event's ``data`` field as stored in the stream (compact JSON, UTF-8 kept)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


class EventStore:
    def __init__(self, redis: RedisClient, keys: Keys, *, stream_maxlen: int = STREAM_CEILING):
        self.redis = redis
        self.keys = keys
        self.stream_maxlen = stream_maxlen
        self._emit = redis.register_script(EMIT_ONCE)

    async def emit(
        self, event_type: str, data: dict[str, Any], *, now: datetime, dedupe_key: str
    ) -> str | None:
        """XADD the event unless one with this dedupe key was emitted; returns its id."""
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
