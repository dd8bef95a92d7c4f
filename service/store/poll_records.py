"""Poll outcomes written many to a round trip, each caller still waiting for its own.

A fetch worker ends hundreds of polls a second in 304 rounds, and each poll's record (its
state, its next poll) as a transaction of its own is a round trip and a large share of
a 304 poll's CPU. ``PollRecorder.record`` queues the record and returns once it is stored;
one writer sends everything queued as one atomic script call (``FeedStore.record_polls``), and
what is queued while that is in flight goes in the next. A lone poll waits for no one: its
batch leaves on the event loop's next turn.
"""

from __future__ import annotations

import asyncio

from service.models import FeedState
from service.store.feeds import FeedStore

# Records per write: a bound on how long one script call holds Redis.
BATCH = 256

_Queued = tuple[str, FeedState, FeedState | None, "asyncio.Future[None]"]


class PollRecorder:
    def __init__(self, feeds: FeedStore, *, batch: int = BATCH) -> None:
        self.feeds = feeds
        self.batch = batch
        self._queue: list[_Queued] = []
        self._writer: asyncio.Task[None] | None = None

    async def record(
        self, feed_id: str, state: FeedState, *, previous: FeedState | None = None
    ) -> None:
        """Store a poll's outcome (as ``FeedStore.record_poll``); raises what its
        batch's write raised."""
        stored: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._queue.append((feed_id, state, previous, stored))
        if self._writer is None:
            self._writer = asyncio.create_task(self._write(), name="poll-records")
        # Shielded: a caller cancelled while waiting does not cancel the others' write.
        await asyncio.shield(stored)

    async def _write(self) -> None:
        batch: list[_Queued] = []
        try:
            while self._queue:
                batch, self._queue = self._queue[: self.batch], self._queue[self.batch :]
                try:
                    await self.feeds.record_polls([(i, state, old) for i, state, old, _ in batch])
                except Exception as exc:
                    for *_record, stored in batch:
                        if not stored.done():
                            stored.set_exception(exc)
                else:
                    for *_record, stored in batch:
                        if not stored.done():
                            stored.set_result(None)
        finally:
            self._writer = None
            # Cancelled (the loop is closing): nobody waits forever for a write.
            for *_record, stored in [*batch, *self._queue]:
                if not stored.done():
                    stored.cancel()
            self._queue = []
