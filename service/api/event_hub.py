"""One reader of the events stream per process, fanned out to every SSE client.

    events stream ──XREAD BLOCK──► hub task ──put_nowait──► bounded queue per client
                                                        └──► (full?) client dropped

Why one reader: a thousand clients each blocking on XREAD would hold a thousand Redis
connections and parse every event a thousand times; the hub reads and parses once.
Why bounded queues and ``put_nowait``: the hub never waits for a client, so a slow
client cannot hold the others back. A client whose queue overflows is dropped; its
EventSource reconnects with ``Last-Event-ID`` and catches up from the stream (see
routes/stream.py), so dropping loses nothing that is still retained.

The reader runs only while someone listens: it starts with the first subscriber and is
cancelled when the last one leaves, so an idle API holds no blocking connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from dataclasses import dataclass, field

from service.store.connection import RedisClient

log = logging.getLogger(__name__)

QUEUE_SIZE = 256
BLOCK_MS = 5000
READ_COUNT = 500
STORY_EVENTS = ("story.created", "story.updated")
HEARTBEAT_SECONDS = 15.0


@dataclass(frozen=True, slots=True)
class StreamEvent:
    """One story event as clients receive it: the stream id, type and raw JSON data."""

    id: str
    type: str
    data: str
    briefings: frozenset[str]
    frame: bytes  # the SSE frame, encoded once for every client (not once per client)
    order: tuple[int, int] = (0, 0)  # the stream id as numbers, for "after this id?"

    @classmethod
    def of(cls, entry_id: str, fields: dict[str, str]) -> StreamEvent | None:
        kind = fields.get("type", "")
        if kind not in STORY_EVENTS:
            return None
        data = fields.get("data", "")
        try:
            story = json.loads(data).get("story") or {}
            briefings = frozenset(b for b in story.get("briefings", ()) if isinstance(b, str))
        except (ValueError, AttributeError, TypeError):
            return None
        entry_id = str(entry_id)
        frame = f"id: {entry_id}\nevent: {kind}\ndata: {data}\n\n".encode()
        return cls(entry_id, kind, data, briefings, frame, stream_order(entry_id))


def stream_order(stream_id: str) -> tuple[int, int]:
    ms, _, seq = stream_id.partition("-")
    return int(ms), int(seq or 0)


# Heartbeats come from the hub, not from a timer per client: one comment frame put in
# every queue per interval costs less than a thousand timers set and cancelled per event.
HEARTBEAT = StreamEvent("", "", "", frozenset(), b": heartbeat\n\n")


@dataclass(eq=False)
class Subscription:
    briefing: str
    queue_size: int = QUEUE_SIZE
    queue: asyncio.Queue[StreamEvent] = field(init=False)
    overflowed: asyncio.Event = field(default_factory=asyncio.Event)

    def __post_init__(self) -> None:
        self.queue = asyncio.Queue(maxsize=self.queue_size)


class EventHub:
    def __init__(
        self,
        redis: RedisClient,
        stream_key: str,
        *,
        block_ms: int = BLOCK_MS,
        queue_size: int = QUEUE_SIZE,
        heartbeat: float = HEARTBEAT_SECONDS,
    ):
        self.redis = redis
        self.stream_key = stream_key
        self.heartbeat = heartbeat
        self.block_ms = max(1, min(block_ms, int(heartbeat * 1000)))
        self.queue_size = queue_size
        self._beat_at = 0.0
        self._subscribers: set[Subscription] = set()
        self._task: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()

    @property
    def subscribers(self) -> int:
        return len(self._subscribers)

    async def subscribe(self, briefing: str) -> Subscription:
        """Register a client; returns once the reader is positioned, so every event
        added to the stream after this call reaches the subscription."""
        sub = Subscription(briefing, self.queue_size)
        self._subscribers.add(sub)
        if self._task is None or self._task.done():
            self._ready = asyncio.Event()
            self._task = asyncio.create_task(self._run(), name="event-hub")
        await self._ready.wait()
        return sub

    async def unsubscribe(self, sub: Subscription) -> None:
        self._subscribers.discard(sub)
        if not self._subscribers and self._task is not None:
            task, self._task = self._task, None
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self) -> None:
        last: str | None = None
        self._beat_at = asyncio.get_running_loop().time()
        while True:
            try:
                if last is None:
                    # Position at the current end first ("$" would race with catch-up).
                    last = await self._last_id()
                    self._ready.set()
                reply = await self.redis.xread(
                    {self.stream_key: last}, count=READ_COUNT, block=self.block_ms
                )
            except asyncio.CancelledError:
                raise
            except Exception:  # Redis went away: keep trying; clients keep their heartbeats
                log.exception("event hub: reading the events stream failed; retrying")
                await asyncio.sleep(1.0)
                continue
            for _stream, entries in reply or ():
                for entry_id, fields in entries:
                    last = str(entry_id)
                    event = StreamEvent.of(last, fields)
                    if event is not None:
                        self._fan_out(event)
            now = asyncio.get_running_loop().time()
            if now - self._beat_at >= self.heartbeat:
                self._beat_at = now
                self._beat()

    async def _last_id(self) -> str:
        rows = await self.redis.xrevrange(self.stream_key, count=1)
        return str(rows[0][0]) if rows else "0-0"

    def _beat(self) -> None:
        for sub in list(self._subscribers):
            if not sub.queue.full():  # a full queue is behind anyway: it will be dropped
                sub.queue.put_nowait(HEARTBEAT)

    def _fan_out(self, event: StreamEvent) -> None:
        for sub in list(self._subscribers):
            if sub.briefing not in event.briefings:
                continue
            try:
                sub.queue.put_nowait(event)
            except asyncio.QueueFull:
                sub.overflowed.set()
