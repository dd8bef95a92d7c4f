"""The store: every read and write of Redis goes through here (keys in keys.py)."""

from __future__ import annotations

from typing import Any

from service.store.articles import ArticleStore
from service.store.briefings import BriefingStore
from service.store.connection import REFUSED, RedisClient, write_refusal
from service.store.counters import Counters
from service.store.events import EventStore
from service.store.feeds import FeedStore
from service.store.keys import STREAM_CEILING, Keys
from service.store.leases import Leases
from service.store.partitions import PartitionStore
from service.store.stories import StoryStore


class Store:
    """One Redis connection, one key namespace, one object per entity."""

    def __init__(
        self, redis: RedisClient, *, prefix: str = "lb", stream_maxlen: int = STREAM_CEILING
    ):
        self.redis = redis
        self.keys = Keys(prefix)
        self.feeds = FeedStore(redis, self.keys)
        self.articles = ArticleStore(redis, self.keys, stream_maxlen=stream_maxlen)
        self.events = EventStore(redis, self.keys, stream_maxlen=stream_maxlen)
        self.stories = StoryStore(redis, self.keys, stream_maxlen=stream_maxlen)
        self.briefings = BriefingStore(redis, self.keys)
        self.partitions = PartitionStore(redis, self.keys)
        self.leases = Leases(redis)
        self.counters = Counters(redis, self.keys)

    async def ping(self) -> bool:
        return bool(await self.redis.ping())

    async def probe_writes(self) -> str | None:
        """Why Redis refuses writes right now (``connection.write_refusal``), or None.

        ``SET key "" XX`` of a key that is never written changes nothing, but Redis vets
        it as a write that may take memory before running it, so it is refused exactly
        as our writes are: OOM at ``maxmemory`` (noeviction), MISCONF when Redis cannot
        save, READONLY on a replica. Any other failure (unreachable, stalled) raises."""
        try:
            await self.redis.set(self.keys.write_probe, "", xx=True)
        except REFUSED as exc:
            refusal = write_refusal(exc)
            if refusal is None:
                raise
            return refusal
        return None

    async def server_info(self) -> dict[str, Any]:
        """The server's INFO "server" section (its version, uptime, ...)."""
        return dict(await self.redis.info("server"))

    async def reset_command_stats(self) -> None:
        """Zero the server's per-command counts (CONFIG RESETSTAT): a benchmark counts a
        case's commands from here."""
        await self.redis.config_resetstat()

    async def command_stats(self) -> dict[str, dict[str, float]]:
        """The server's INFO "commandstats" section: each command's calls and time (usec)
        since its start or the last ``reset_command_stats``, keyed ``cmdstat_<name>``."""
        return dict(await self.redis.info("commandstats"))
