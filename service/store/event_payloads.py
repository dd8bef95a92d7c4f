"""Turning events-stream entries into the public payload clients receive.

A story event in the stream is a reference (service/store/events.py); its payload is
``{"story": story_payload(story)}`` of the story as it is *when read* (a ``story.merged``
adds ``"absorbed"``: the ids of the stories it took in). One MGET per
batch of entries loads the header of every story the batch names (the header holds the
payload's counts and bounded sources, so the members list is never read here), and each
story is decoded and encoded once however many of the batch's events name it (they would
all read the same record anyway). Inline entries (``feed.failing``) keep the payload they
carry.

A reference whose story no longer exists (pruned by retention, or an id nothing wrote)
materializes to None; each consumer decides what that means (SSE skips the event, the
notifier logs and counts it: docs/api.md, docs/webhooks.md).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from service.store.connection import RedisClient
from service.store.events import EventEntry, encode_data
from service.store.keys import Keys
from service.store.stories import read_payloads


@dataclass(frozen=True, slots=True)
class Payload:
    """An event's public data, and its compact JSON (the SSE ``data:`` line)."""

    data: dict[str, Any]
    text: str


async def payloads(
    redis: RedisClient, keys: Keys, entries: Iterable[EventEntry]
) -> dict[str, Payload | None]:
    """Entry id -> its payload (None: a reference to a story that no longer exists).

    One round trip at most (an MGET of the referenced stories); none when every entry
    is inline."""
    entries = list(entries)
    wanted = list(dict.fromkeys(e.story_id for e in entries if e.is_reference and e.story_id))
    stories: dict[str, Payload | None] = {}
    for story_id, story in zip(wanted, await read_payloads(redis, keys, wanted), strict=True):
        if story is None:
            stories[story_id] = None
            continue
        data = {"story": story}
        stories[story_id] = Payload(data, encode_data(data))
    out: dict[str, Payload | None] = {}
    for entry in entries:
        if entry.data is not None:
            out[entry.id] = Payload(entry.data, entry.raw or encode_data(entry.data))
        elif entry.story_id is not None:
            payload = stories.get(entry.story_id)
            if payload is not None and entry.absorbed:
                merged: dict[str, Any] = {**payload.data, "absorbed": list(entry.absorbed)}
                payload = Payload(merged, encode_data(merged))
            out[entry.id] = payload
    return out
