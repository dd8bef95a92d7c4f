"""Reading the events stream in order: where it ends, and what follows an id.

The SSE hub (service/api/event_hub.py) follows it with blocking reads; a reconnecting
client catches up with plain ranges (service/api/routes/stream.py). Each row is
``(entry id, fields)`` as ``EventEntry.parse`` takes it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from redis.exceptions import ResponseError

from service.store.connection import RedisClient
from service.store.keys import Keys

Row = tuple[str, Mapping[str, str]]

# Why a resume position is no position to resume from (``EventLog.gap_after``): the
# ``type`` suffixes of the timeline's 410 problems, and the ``reason`` of the stream's
# ``reset`` event.
SINCE_TOO_OLD = "since-too-old"
SINCE_UNKNOWN = "since-unknown"


def stream_order(stream_id: str) -> tuple[int, int]:
    """An entry id (``ms-seq``) as the pair it sorts by: ids compare as numbers."""
    ms, _, seq = stream_id.partition("-")
    return int(ms), int(seq or 0)


# redis-py 8's connections time out a read after 5 s unless the client names another
# timeout (``AbstractConnection``'s default); a client made by ``from_url`` without one
# does not list it in its pool's ``connection_kwargs``, but its connections still use it.
REDIS_PY_SOCKET_TIMEOUT = 5.0


class EventLog:
    def __init__(self, redis: RedisClient, keys: Keys) -> None:
        self.redis = redis
        self.stream = keys.events_stream

    async def last_id(self) -> str:
        """The id of the newest entry ("0-0" when the stream is empty or absent)."""
        rows = await self.redis.xrevrange(self.stream, count=1)
        return str(rows[0][0]) if rows else "0-0"

    async def gap_after(self, event_id: str) -> str | None:
        """Why a client that has seen the events up to ``event_id`` cannot be brought up
        to date from this stream, or None when it can (every later event is retained):

        ``SINCE_UNKNOWN``: ``event_id`` is newer than the last id the stream ever gave
        out (XINFO STREAM's last-generated-id, which trimming leaves as it is): another
        deployment's id, or a made-up one. Resuming after it would hold back every event
        until the ids reach it.

        ``SINCE_TOO_OLD``: events after ``event_id`` were trimmed. Redis keeps no record
        of the newest id trimming removed (XTRIM leaves max-deleted-entry-id alone), so
        any trimmed ``event_id`` counts (the oldest retained entry is newer than it, or
        none is retained while later ids were given out): the events right after it may
        be gone. ``0-0`` means "from the oldest retained event" and is never too old.

        The stream is trimmed from its oldest end only, so each is a gap the client
        cannot fill from the stream: it must reload what it shows."""
        info = await self._info()
        if info is None:  # nothing was ever written
            return SINCE_UNKNOWN if stream_order(event_id) > (0, 0) else None
        newest = stream_order(str(info["last-generated-id"]))
        after = stream_order(event_id)
        if after > newest:
            return SINCE_UNKNOWN
        if after == (0, 0) or after == newest:
            return None
        first = info.get("first-entry")
        if first is None or stream_order(str(first[0])) > after:
            return SINCE_TOO_OLD
        return None

    async def last_given_id(self) -> str:
        """The newest id the stream ever gave out ("0-0": none), retained or not: unlike
        ``last_id`` it stays put when retention trims an idle stream to nothing."""
        info = await self._info()
        return str(info["last-generated-id"]) if info is not None else "0-0"

    async def _info(self) -> dict[str, Any] | None:
        """XINFO STREAM of the stream, or None when it does not exist."""
        try:
            return dict(await self.redis.xinfo_stream(self.stream))
        except ResponseError:  # no such key
            return None

    async def read_after(self, last: str, *, count: int, block_ms: int) -> list[Row]:
        """Up to ``count`` entries after ``last``, waiting up to ``block_ms`` for one."""
        reply = await self.redis.xread({self.stream: last}, count=count, block=block_ms)
        return [row for _stream, entries in reply or () for row in entries]

    async def range_after(self, after: str, *, count: int) -> list[Row]:
        """Up to ``count`` retained entries after ``after``, without waiting."""
        return list(await self.redis.xrange(self.stream, min=f"({after}", count=count))

    def block_limit_ms(self, default: int) -> int:
        """The longest blocking read the client can wait for: a second under its socket
        timeout (``default`` when it has none).

        redis-py gives every connection a socket timeout (5 s by default since redis-py 8),
        and a blocking read the server answers after it raises TimeoutError instead of
        returning the (empty) reply, so the reader would lose the read."""
        options = self.redis.connection_pool.connection_kwargs
        timeout = options.get("socket_timeout", REDIS_PY_SOCKET_TIMEOUT)
        if not timeout:
            return default
        return max(100, int(float(timeout) * 1000) - 1000)
