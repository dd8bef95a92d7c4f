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

Streams never end on their own, so the server ends them when it shuts down
(:meth:`EventHub.close`): every subscription is closed and its response finishes, and the
connections close at once instead of waiting out the graceful-shutdown timeout.

Story events in the stream are references (service/store/events.py): the hub loads the
stories a batch names with one MGET per XREAD batch (service/store/event_payloads.py),
only for events some subscriber's briefing wants, and encodes each frame once for every
client. A frame therefore carries the story as it is when the hub reads the event (never
older than the event: the story write and the XADD share a MULTI). A reference to a story
merged since into another carries that survivor (and ``merged_from``: the id the event was
recorded for). A reference to a story that no longer exists otherwise (pruned, or a stale
id) is skipped: there is nothing to show, and the next event of a live story carries its
whole state anyway.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from service.store.connection import UNAVAILABLE, RedisClient
from service.store.event_log import EventLog, stream_order
from service.store.event_payloads import payloads
from service.store.events import STORY_EVENTS, EventEntry
from service.store.keys import Keys
from service.task_cancel import cancel_and_wait

log = logging.getLogger(__name__)

QUEUE_SIZE = 256
BLOCK_MS = 5000
READ_COUNT = 500
HEARTBEAT_SECONDS = 15.0
RETRY_SECONDS = 1.0  # between reads while Redis is unreachable or a read fails
_LINE_BREAK = re.compile("\r\n|\r|\n")


@dataclass(frozen=True, slots=True)
class StreamEvent:
    """One story event as clients receive it: the stream id, type and JSON data."""

    id: str
    type: str
    data: str
    briefings: frozenset[str]
    frame: bytes  # the SSE frame, encoded once for every client (not once per client)
    order: tuple[int, int] = (0, 0)  # the stream id as numbers, for "after this id?"

    @classmethod
    def of(cls, entry: EventEntry, data: str) -> StreamEvent:
        frame = f"id: {entry.id}\nevent: {entry.type}\n{data_fields(data)}\n".encode()
        return cls(entry.id, entry.type, data, entry.briefings, frame, stream_order(entry.id))


def data_fields(data: str) -> str:
    """``data`` as ``data:`` lines, one per line of it. CR, LF and CRLF each end a field
    (WHATWG HTML §9.2.5, "Parsing an event stream"), so a line break inside one field
    would cut the data short and turn its rest into unknown fields; a client joins the
    ``data:`` lines with LF (§9.2.6)."""
    if "\n" not in data and "\r" not in data:  # compact JSON, the usual case
        return f"data: {data}\n"
    return "".join(f"data: {line}\n" for line in _LINE_BREAK.split(data))


async def stream_events(
    redis: RedisClient,
    keys: Keys,
    rows: Iterable[tuple[object, Mapping[str, str]]],
    briefings: set[str],
) -> list[StreamEvent]:
    """The story events among ``rows`` (XREAD/XRANGE entries) routed to any of
    ``briefings``, materialized with one round trip (more only when a story is gone: a
    merged one is followed to its survivor); stories gone unmerged are skipped."""
    entries = []
    for entry_id, fields in rows:
        entry = EventEntry.parse(entry_id, fields)
        if entry is not None and entry.type in STORY_EVENTS and entry.briefings & briefings:
            entries.append(entry)
    found = await payloads(redis, keys, entries)
    events = []
    for entry in entries:
        payload = found.get(entry.id)
        if payload is not None:
            events.append(StreamEvent.of(entry, payload.text))
    return events


# Heartbeats come from the hub, not from a timer per client: one comment frame put in
# every queue per interval costs less than a thousand timers set and cancelled per event.
HEARTBEAT = StreamEvent("", "", "", frozenset(), b": heartbeat\n\n")
# Put in a queue to wake its reader when the subscription closes; never sent.
CLOSING = StreamEvent("", "", "", frozenset(), b"")


@dataclass(eq=False)
class Subscription:
    briefing: str
    queue_size: int = QUEUE_SIZE
    queue: asyncio.Queue[StreamEvent] = field(init=False)
    overflowed: asyncio.Event = field(default_factory=asyncio.Event)
    closed: bool = False  # the server is shutting down: end the response
    # The hub's read position at each HEARTBEAT in the queue, oldest first: every event
    # up to it that the briefing wants was queued before that heartbeat.
    beats: deque[str] = field(default_factory=deque)

    def __post_init__(self) -> None:
        self.queue = asyncio.Queue(maxsize=self.queue_size)

    def close(self) -> None:
        """End this subscription's response: its reader stops at its next queue item
        (a full queue's reader is not waiting, and checks ``closed`` before each get)."""
        self.closed = True
        if not self.queue.full():
            self.queue.put_nowait(CLOSING)


class EventHub:
    def __init__(
        self,
        redis: RedisClient,
        keys: Keys,
        *,
        block_ms: int = BLOCK_MS,
        queue_size: int = QUEUE_SIZE,
        heartbeat: float = HEARTBEAT_SECONDS,
        retry_delay: float = RETRY_SECONDS,
    ):
        self.redis = redis
        self.keys = keys
        self.log = EventLog(redis, keys)
        self.heartbeat = heartbeat
        # A read the client times out on would lose the heartbeat that follows it.
        limit = self.log.block_limit_ms(BLOCK_MS)
        self.block_ms = max(1, min(block_ms, int(heartbeat * 1000), limit))
        self.queue_size = queue_size
        self.retry_delay = retry_delay
        # Reads that failed in a row (0 while reading); only the first of a streak is
        # logged, so Redis away for a minute is two lines, not one traceback a second.
        self.failed_reads = 0
        self._beat_at = 0.0
        self._position = ""
        self._subscribers: set[Subscription] = set()
        self._task: asyncio.Task[None] | None = None
        self._ready = asyncio.Event()
        self._closed = False

    @property
    def subscribers(self) -> int:
        return len(self._subscribers)

    async def subscribe(
        self, briefing: str, overflowed: asyncio.Event | None = None
    ) -> Subscription:
        """Register a client; returns once the reader is positioned, so every event
        added to the stream after this call reaches the subscription. ``overflowed``:
        the event to set when the client falls a whole queue behind (a new one if None)."""
        sub = Subscription(briefing, self.queue_size, overflowed or asyncio.Event())
        if self._closed:  # shutting down: nothing more will be sent
            sub.close()
            return sub
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
            await cancel_and_wait(task)
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def close(self) -> None:
        """Close every subscription, now and to come (server shutdown). Their responses
        end and unsubscribe; the last one out cancels the reader."""
        self._closed = True
        for sub in self._subscribers:
            sub.close()

    async def _run(self) -> None:
        last: str | None = None
        self._position = ""  # the newest id read and fanned out ("": none yet)
        self._beat_at = asyncio.get_running_loop().time()
        while True:
            try:
                if last is None:
                    # Position at the current end first ("$" would race with catch-up).
                    last = await self.log.last_id()
                    self._ready.set()
                rows = await self.log.read_after(last, count=READ_COUNT, block_ms=self.block_ms)
                wanted = {sub.briefing for sub in self._subscribers}
                events = await stream_events(self.redis, self.keys, rows, wanted)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # keep trying; clients keep their heartbeats
                self._read_failed(exc)
                await asyncio.sleep(self.retry_delay)
                self._beat_when_due()
                continue
            if self.failed_reads:
                log.info("event hub: reading the events stream again")
                self.failed_reads = 0
            if rows:  # only now: a failed story read retries the same batch
                last = str(rows[-1][0])
            for event in events:
                self._fan_out(event)
            self._position = last
            self._beat_when_due()

    def _read_failed(self, exc: Exception) -> None:
        self.failed_reads += 1
        if self.failed_reads > 1:
            return
        if isinstance(exc, UNAVAILABLE):  # restarting, stopped: expected to come back
            log.warning(
                "event hub: Redis unavailable (%s); retrying every %g s", exc, self.retry_delay
            )
        else:
            log.exception("event hub: reading the events stream failed; retrying")

    def _beat_when_due(self) -> None:
        now = asyncio.get_running_loop().time()
        if now - self._beat_at >= self.heartbeat:
            self._beat_at = now
            self._beat()

    def _beat(self) -> None:
        for sub in list(self._subscribers):
            # A full queue is behind anyway, and an overflowed one lost an event: both
            # are dropped, and no heartbeat may carry a position past what they lost.
            if not sub.queue.full() and not sub.overflowed.is_set():
                sub.beats.append(self._position)
                sub.queue.put_nowait(HEARTBEAT)

    def _fan_out(self, event: StreamEvent) -> None:
        for sub in list(self._subscribers):
            if sub.briefing not in event.briefings:
                continue
            try:
                sub.queue.put_nowait(event)
            except asyncio.QueueFull:
                sub.overflowed.set()
