"""Consumer-aware stream trimming: never drop an entry some consumer group still needs.

The XADD caps (``stream_maxlen``) are only a ceiling against running out of memory; the
routine trim is this module, run every minute by the maintenance job. For a stream read
by consumer groups, the oldest id any group still needs is, per group, its oldest
pending id (XPENDING summary: delivered but not acknowledged, so a crash replays it) or
else the id just after its last-delivered-id (never read yet); the minimum over groups is
the *safe point*. ``XTRIM MINID`` removes only ids below the point it is given
(https://redis.io/commands/xtrim/). It is exact here: run once a minute, the partial
macro node it rewrites costs nothing worth the ``~`` form's keeping up to 100 extra.

- Entries streams (one per process partition): the process stage is their only purpose,
  so they are trimmed to the safe point: everything acknowledged goes.
- Events stream: the notifier group must see every event (webhooks), and SSE clients
  resume with ``Last-Event-ID`` from what is kept. Its purpose point is a time window
  (``events_retention``): event ids are XADD ``*`` ids, whose first part is the epoch ms
  of the write, so ``now - window`` is an id without reading the stream. It is trimmed to
  the older of the safe point and the window start; with no group, to the window start.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from service.store import Store, codec
from service.store.event_log import stream_order
from service.store.partitions import partition_count

log = logging.getLogger(__name__)

NEAR_CEILING = 0.8  # warn when a stream is this close to its XADD cap


@dataclass(frozen=True, slots=True)
class TrimReport:
    stream: str
    trimmed: int
    length: int
    min_id: str | None  # the MINID used; None when nothing could be trimmed


def _next(stream_id: str) -> str:
    ms, seq = stream_order(stream_id)
    return f"{ms}-{seq + 1}"


def oldest(*ids: str) -> str:
    return min(ids, key=stream_order)


async def safe_point(store: Store, stream: str) -> str | None:
    """The oldest id any consumer group of ``stream`` still needs; None without groups."""
    redis = store.redis
    try:
        groups = await redis.xinfo_groups(stream)
    except Exception as exc:  # ERR no such key: nothing to trim
        if "no such key" in str(exc).lower():
            return None
        raise
    points: list[str] = []
    for group in groups:
        name = _text(group["name"])
        pending = await redis.xpending(stream, name)
        if pending["pending"]:
            points.append(_text(pending["min"]))
        else:
            points.append(_next(_text(group["last-delivered-id"])))
    return oldest(*points) if points else None


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


async def trim_to(store: Store, stream: str, min_id: str | None, ceiling: int) -> TrimReport:
    redis = store.redis
    trimmed = 0
    if min_id is not None:
        trimmed = int(await redis.xtrim(stream, minid=min_id, approximate=False))
    length = int(await redis.xlen(stream))
    if length >= NEAR_CEILING * ceiling:
        # The ceiling is the one place unread entries can be lost (XADD MAXLEN drops the
        # oldest whether read or not): say so while there is still time to act.
        log.warning(
            "stream %s holds %d entries, near its cap of %d: a stalled consumer group "
            "will lose unread entries when it is reached",
            stream,
            length,
            ceiling,
        )
    return TrimReport(stream=stream, trimmed=trimmed, length=length, min_id=min_id)


async def trim_streams(
    store: Store, *, now: datetime, events_retention: timedelta, ceiling: int
) -> list[TrimReport]:
    """Trim every entries stream to its safe point and the events stream to its window."""
    reports = []
    for p in range(await partition_count(store.redis, store.keys)):
        stream = store.keys.entries(p)
        reports.append(await trim_to(store, stream, await safe_point(store, stream), ceiling))
    events = store.keys.events_stream
    window = f"{codec.epoch_ms(now - events_retention)}-0"
    safe = await safe_point(store, events)
    reports.append(
        await trim_to(store, events, window if safe is None else oldest(safe, window), ceiling)
    )
    return reports
