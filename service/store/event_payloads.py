"""Turning events-stream entries into the public payload clients receive.

A story event in the stream is a reference (service/store/events.py); its payload is
``{"story": story_payload(story)}`` of the story as it is *when read* (a ``story.merged``
adds ``"absorbed"``: the ids of the stories it took in). One MGET per
batch of entries loads the header of every story the batch names (the header holds the
payload's counts and bounded sources, so the members list is never read here), and each
story is decoded and encoded once however many of the batch's events name it (they would
all read the same record anyway). Inline entries (``feed.failing``) keep the payload they
carry.

A reference to a story merged since into another (``keys.story_merged_into``, followed
along its chain to the story that lives on) materializes to that survivor as it is now,
plus ``"merged_from"``: the id the event was recorded for. So an event of an absorbed
story still tells its development to a client that reads it after the merge (a
``Last-Event-ID`` resume, a notifier that fell behind, a subscription without
``story.merged``), under the id to keep. That costs round trips only when the batch names
a story that is gone: one HMGET, then one pipelined MGET + HMGET per merge in the chain.

A reference whose story no longer exists and was not merged (pruned by retention, or an
id nothing wrote) materializes to None; each consumer decides what that means (SSE skips
the event, the notifier logs and counts it: docs/api.md, docs/webhooks.md).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from service.store.connection import RedisClient
from service.store.events import EventEntry, encode_data
from service.store.keys import Keys
from service.store.stories import MERGE_CHAIN, header_payload


@dataclass(frozen=True, slots=True)
class Payload:
    """An event's public data, and its compact JSON (the SSE ``data:`` line)."""

    data: dict[str, Any]
    text: str


async def payloads(
    redis: RedisClient, keys: Keys, entries: Iterable[EventEntry]
) -> dict[str, Payload | None]:
    """Entry id -> its payload (None: a reference to a story that no longer exists and
    was not merged into one that does).

    One round trip at most (an MGET of the referenced stories) unless a referenced story
    is gone; none when every entry is inline."""
    entries = list(entries)
    wanted = list(dict.fromkeys(e.story_id for e in entries if e.is_reference and e.story_id))
    found = await _headers(redis, keys, wanted)
    decoded: dict[str, dict[str, Any]] = {}  # story read -> its payload, decoded once
    stories: dict[str, Payload | None] = {}  # story named -> the payload of its events
    for story_id in wanted:
        if story_id not in found:
            stories[story_id] = None
            continue
        read, raw = found[story_id]
        if read not in decoded:
            decoded[read] = header_payload(json.loads(raw))
        data: dict[str, Any] = {"story": decoded[read]}
        if read != story_id:
            data["merged_from"] = story_id
        stories[story_id] = Payload(data, encode_data(data))
    out: dict[str, Payload | None] = {}
    for entry in entries:
        if entry.data is not None:
            out[entry.id] = Payload(entry.data, entry.raw or encode_data(entry.data))
        elif entry.story_id is not None:
            payload = stories.get(entry.story_id)
            if payload is not None and entry.absorbed:
                merged = {"story": payload.data["story"], "absorbed": list(entry.absorbed)}
                if "merged_from" in payload.data:
                    merged["merged_from"] = payload.data["merged_from"]
                payload = Payload(merged, encode_data(merged))
            out[entry.id] = payload
    return out


async def _headers(
    redis: RedisClient, keys: Keys, ids: Sequence[str]
) -> dict[str, tuple[str, str]]:
    """Story id -> (the id of the story read for it, that story's header JSON): the story
    itself, or for a story merged since, the survivor its chain of redirects ends in (at
    most ``MERGE_CHAIN`` merges). Ids with neither are left out.

    A merge deletes the absorbed header and records its redirect in one MULTI, so a header
    found missing by a read has its redirect in place for the read after it (retention
    drops a redirect only with the story it leads to)."""
    if not ids:
        return {}
    raws = await redis.mget([keys.story(i) for i in ids])
    found = {i: (i, raw) for i, raw in zip(ids, raws, strict=True) if raw is not None}
    missing = [i for i in ids if i not in found]
    if not missing:
        return found
    onward = await redis.hmget(keys.story_merged_into, missing)
    at = {i: step for i, step in zip(missing, onward, strict=True) if step}  # chain so far
    for _ in range(MERGE_CHAIN):
        if not at:
            break
        steps = list(dict.fromkeys(at.values()))
        async with redis.pipeline(transaction=False) as pipe:
            pipe.mget([keys.story(s) for s in steps])
            pipe.hmget(keys.story_merged_into, steps)
            headers, further = await pipe.execute()
        header = dict(zip(steps, headers, strict=True))
        after = dict(zip(steps, further, strict=True))
        for origin, step in list(at.items()):
            if header[step] is not None:
                found[origin] = (step, header[step])
                del at[origin]
            elif after[step]:
                at[origin] = after[step]
            else:
                del at[origin]
    return found
