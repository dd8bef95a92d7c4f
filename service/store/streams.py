"""Redis Streams with consumer groups: the bus between stages.

A consumer acknowledges (XACK) only after its writes are done. Whatever a dead
consumer left pending is taken over with XAUTOCLAIM once it has been idle for
``reclaim_idle_ms``, so a killed process loses nothing. A poison message (one that
fails ``max_attempts`` times) moves to the dead-letter stream with its error, where
the API shows it, instead of blocking its consumer forever.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from redis.exceptions import ResponseError

from service.store.connection import RedisClient

Message = tuple[str, dict[str, str]]

log = logging.getLogger(__name__)


@dataclass
class StreamConsumer:
    redis: RedisClient
    stream: str
    group: str
    consumer: str
    reclaim_idle_ms: int = 60_000
    dead_letter: str | None = None  # stream for poison messages
    failures: str | None = None  # HASH message id -> failed attempts
    max_attempts: int = 5

    async def ensure_group(self) -> None:
        try:
            await self.redis.xgroup_create(self.stream, self.group, id="0", mkstream=True)
        except ResponseError as exc:  # BUSYGROUP: another process created it first
            if "BUSYGROUP" not in str(exc):
                raise

    async def read(self, *, count: int = 100, block_ms: int | None = 1000) -> list[Message]:
        """Messages that a dead consumer left pending first, then new ones."""
        return await self.reclaim(count) or await self.read_new(count=count, block_ms=block_ms)

    async def read_new(self, *, count: int = 100, block_ms: int | None = 1000) -> list[Message]:
        """Messages never delivered to this group (XREADGROUP ``>``), waiting up to
        ``block_ms`` for the first (None: no wait); Redis returns as soon as any arrive."""
        try:
            reply = await self.redis.xreadgroup(
                self.group, self.consumer, {self.stream: ">"}, count=count, block=block_ms
            )
        except ResponseError as exc:
            await self._recreate_lost_group(exc)
            return []
        return [msg for _stream, messages in reply or [] for msg in messages]

    async def _recreate_lost_group(self, exc: ResponseError) -> None:
        """Create the group again if ``exc`` says it is gone (else raise ``exc``).

        The group goes with the stream's key when Redis loses its data (FLUSHALL, a
        server restarted without persistence, a failover to an empty replica) or the
        stream is deleted; every read then fails with NOGROUP until it exists again.
        Created from the stream's start, as at first start: what the stream still holds
        is handled again, which changes nothing (every stage's writes are idempotent)."""
        if not str(exc).startswith("NOGROUP"):
            raise exc
        log.warning(
            "consumer group %r of %s was missing (Redis lost its data, or the stream was "
            "deleted): created again from the stream's start",
            self.group,
            self.stream,
        )
        await self.ensure_group()

    async def reclaim(self, count: int = 100) -> list[Message]:
        """Up to ``count`` messages other consumers left pending for ``reclaim_idle_ms``,
        now this consumer's (XAUTOCLAIM)."""
        try:
            reply = await self.redis.xautoclaim(
                self.stream, self.group, self.consumer, self.reclaim_idle_ms, "0-0", count=count
            )
        except ResponseError as exc:
            await self._recreate_lost_group(exc)
            return []
        # reply: [next_start_id, [(id, fields) | None ...], deleted_ids (Redis 7)]
        return [m for m in reply[1] if m and m[1]]

    async def own_pending(self, count: int = 100) -> list[Message]:
        """This consumer's own unacknowledged messages (after a restart with the same name)."""
        try:
            reply = await self.redis.xreadgroup(
                self.group, self.consumer, {self.stream: "0"}, count=count
            )
        except ResponseError as exc:
            await self._recreate_lost_group(exc)
            return []
        return [msg for _stream, messages in reply or [] for msg in messages if msg[1]]

    async def ack(self, *ids: str) -> None:
        if ids:
            await self.redis.xack(self.stream, self.group, *ids)

    def queue_ack(self, pipe: Any, ids: Sequence[str]) -> None:
        """Queue the XACK of ``ids`` on ``pipe`` (a transaction of the caller's writes)."""
        if ids:
            pipe.xack(self.stream, self.group, *ids)

    async def fail(self, message_id: str, fields: dict[str, str], error: str) -> bool:
        """Count a failed attempt; the last allowed one dead-letters and acks the message.

        Returns True when the message was dead-lettered (and needs no more handling).
        """
        if self.dead_letter is None or self.failures is None:
            return False
        attempts = int(await self.redis.hincrby(self.failures, message_id, 1))
        if attempts < self.max_attempts:
            return False
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.xadd(
                self.dead_letter,
                {
                    "stream": self.stream,
                    "group": self.group,
                    "message_id": message_id,
                    "attempts": str(attempts),
                    "error": error[:2000],
                    "fields": json.dumps(fields, ensure_ascii=False),
                },
                maxlen=10_000,
                approximate=True,
            )
            pipe.xack(self.stream, self.group, message_id)
            pipe.hdel(self.failures, message_id)
            await pipe.execute()
        return True


async def dead_letters(redis: RedisClient, stream: str, *, limit: int) -> tuple[list[Message], int]:
    """The newest ``limit`` poison messages of the dead-letter ``stream``, newest first,
    and how many it keeps."""
    rows = await redis.xrevrange(stream, count=limit)
    return list(rows), int(await redis.xlen(stream))


async def has_group(redis: RedisClient, stream: str, group: str) -> bool:
    """Whether ``stream`` exists and has the consumer group ``group``."""
    try:
        groups = await redis.xinfo_groups(stream)
    except ResponseError as exc:
        if "no such key" not in str(exc):
            raise
        return False  # no stream yet
    return any(g["name"] == group for g in groups)
