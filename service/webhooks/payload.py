"""The webhook body: a documented, versioned shape, not the storage model.

Standard Webhooks (spec: "Payload structure") asks for ``type``, ``timestamp`` and
``data`` at the top level; we add ``version`` (of this payload schema, bumped on any
incompatible change) and ``event_id`` (the events-stream id, identical for every
subscription, so a consumer with several subscriptions can deduplicate). ``data`` keeps
only the documented fields (docs/webhooks.md), so a field added to the internal event
never leaks to consumers unannounced.

The body is built once per event and type it is sent as (a merge goes as ``story.merged``
and, to subscriptions without that type, as ``story.updated``: filters.delivered_as), when
the notifier reads it (a story event's ``data`` is the story as it is then: the events
stream holds references, service/store/events.py), and stored; every retry sends the same
bytes.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

PAYLOAD_VERSION = 1
PING_TYPE = "subscription.ping"

STORY_FIELDS = (
    "id",
    "headline",
    "summary",
    "first_seen",
    "last_updated",
    "article_count",
    "source_count",
    "sources",
    "places",
    "languages",
    "keywords",
    "briefings",
)
SOURCE_FIELDS = ("outlet", "country", "language", "url", "time")
FEED_FIELDS = ("url", "last_error", "consecutive_failures")


def build_body(event_id: str, event_type: str, occurred_at: str, data: Mapping[str, Any]) -> bytes:
    """The exact bytes POSTed for one event (compact JSON, UTF-8)."""
    body = {
        "type": event_type,
        "timestamp": occurred_at,
        "version": PAYLOAD_VERSION,
        "event_id": event_id,
        "data": public_data(event_type, data),
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def ping_body(event_id: str, subscription_id: str, occurred_at: str) -> bytes:
    return build_body(event_id, PING_TYPE, occurred_at, {"subscription": {"id": subscription_id}})


def public_data(event_type: str, data: Mapping[str, Any]) -> dict[str, Any]:
    if event_type == PING_TYPE:
        return {"subscription": _pick(data.get("subscription"), ("id",))}
    if event_type == "feed.failing":
        return {"feed": _pick(data.get("feed"), FEED_FIELDS)}
    story = _pick(data.get("story"), STORY_FIELDS)
    story["sources"] = [_pick(s, SOURCE_FIELDS) for s in story.get("sources") or ()]
    out: dict[str, Any] = {"story": story}
    absorbed = data.get("absorbed")
    # The stories the survivor took in: on a story.merged, and on a merge sent as
    # story.updated (filters.delivered_as), whose receiver may know them too.
    if event_type == "story.merged" or absorbed:
        out["absorbed"] = [str(i) for i in absorbed or ()]
    merged_from = data.get("merged_from")
    if merged_from:  # the event's story merged since into ``story`` (event_payloads.py)
        out["merged_from"] = str(merged_from)
    return out


def _pick(value: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(value, Mapping):
        return {}
    return {name: value[name] for name in fields if name in value}
