"""What the ``/metrics`` gauges read from Redis at each scrape: per consumer group of a
stream, its pending count and the id of its oldest unread entry; and the sizes of what
is stored (service/metrics_exposition.py turns them into gauges)."""

from __future__ import annotations

from dataclasses import dataclass

from service.store.connection import RedisClient
from service.store.keys import Keys


@dataclass(frozen=True, slots=True)
class GroupState:
    name: str
    pending: float  # read but not yet acknowledged
    oldest_unread: str | None  # the id of the first entry after its last-delivered id


@dataclass(frozen=True, slots=True)
class Sizes:
    dead_letters: int
    feeds: int
    articles: int
    stories: int
    used_memory: int


async def group_states(redis: RedisClient, stream: str) -> list[GroupState] | None:
    """Each consumer group of ``stream``; None when the stream does not exist (yet)."""
    try:
        info = await redis.xinfo_stream(stream)
        groups = await redis.xinfo_groups(stream)
    except Exception:  # stream not created yet
        return None
    if not info:
        return None
    states = []
    for group in groups:
        unread = await redis.xrange(
            stream, f"({group.get('last-delivered-id') or '0-0'}", "+", count=1
        )
        states.append(
            GroupState(
                str(group["name"]),
                float(group.get("pending", 0)),
                str(unread[0][0]) if unread else None,
            )
        )
    return states


async def sizes(redis: RedisClient, keys: Keys) -> Sizes:
    return Sizes(
        dead_letters=await redis.xlen(keys.dead_letters),
        feeds=await redis.scard(keys.feeds),
        articles=await redis.zcard(keys.articles_by_time),
        stories=await redis.zcard(keys.stories_by("updated")),
        used_memory=(await redis.info("memory")).get("used_memory", 0),
    )
