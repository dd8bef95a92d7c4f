"""Retention: forget articles and stories older than the configured window.

Everything is found through the time-ordered indexes (scores are epoch ms), so pruning
costs what it removes, not what is stored. An article's identity key outlives it as a
tombstone (``IDENTITY_TOMBSTONE``): feeds keep items for weeks, and without it a pruned
item still in its feed would come back as "new" on the next poll (miniflux #4535's
cousin). A merged story's redirect (``keys.story_merged_into``) goes with the story it
leads to. Streams are not pruned here: service/store/trim.py trims them every minute to
what their consumer groups still need (and the events stream to the SSE window).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from service.store import Store, codec

BATCH = 500


@dataclass(frozen=True, slots=True)
class PruneReport:
    articles: int
    stories: int


def identity_tombstone(retention: timedelta) -> int:
    """Seconds an identity key is kept after its article is pruned."""
    return int(2 * retention.total_seconds())


async def prune(store: Store, *, now: datetime, retention: timedelta) -> PruneReport:
    cutoff = codec.epoch_ms(now - retention)
    report = PruneReport(
        articles=await _prune_articles(store, cutoff, identity_tombstone(retention)),
        stories=await _prune_stories(store, cutoff),
    )
    await _prune_merged(store)
    return report


async def _prune_articles(store: Store, cutoff: int, tombstone: int) -> int:
    keys, redis = store.keys, store.redis
    removed = 0
    while True:
        ids: list[str] = await redis.zrangebyscore(
            keys.articles_by_time, "-inf", f"({cutoff}", start=0, num=BATCH
        )
        if not ids:
            break
        raws = await redis.mget([keys.article(i) for i in ids])
        async with redis.pipeline(transaction=False) as pipe:
            for article_id, raw in zip(ids, raws, strict=True):
                if raw:
                    identity = json.loads(raw)["identity"]
                    pipe.expire(keys.identity_of(identity), tombstone)
                pipe.delete(keys.article(article_id), keys.article_sources(article_id))
                pipe.hdel(keys.story_of_article, article_id)
            pipe.zrem(keys.articles_by_time, *ids)
            await pipe.execute()
        removed += len(ids)
    # Per-feed and per-language indexes share the scores: trim them by range.
    async for key in redis.scan_iter(match=f"{keys.articles_by_time}:*", count=1000):
        await redis.zremrangebyscore(key, "-inf", f"({cutoff}")
    return removed


async def _prune_stories(store: Store, cutoff: int) -> int:
    keys, redis = store.keys, store.redis
    removed = 0
    while True:
        ids: list[str] = await redis.zrangebyscore(
            keys.stories_by("updated"), "-inf", f"({cutoff}", start=0, num=BATCH
        )
        if not ids:
            break
        briefings = await store.stories.briefings_of(ids)
        async with redis.pipeline(transaction=False) as pipe:
            for story_id, story_briefings in briefings.items():
                for briefing in story_briefings:
                    for order in ("updated", "created"):
                        pipe.zrem(keys.briefing_stories(briefing, order), story_id)
            # The header and its members list.
            pipe.delete(*(keys.story(i) for i in ids), *(keys.story_members(i) for i in ids))
            pipe.zrem(keys.stories_by("updated"), *ids)
            pipe.zrem(keys.stories_by("created"), *ids)
            await pipe.execute()
        removed += len(ids)
    return removed


# Forget redirects whose target is gone, each re-checked when it is deleted: a merge
# between the read and the delete can make a dead-looking target a redirect itself (merged
# on into a live story), and that chain must stay. Fields come in dependency order (a
# redirect to a story whose own redirect goes earlier in the list), so a chain dies from its
# dead end back. KEYS[1]: the redirect hash; KEYS[1 + i]: the record of the i-th field's
# target as read; ARGV[i]: the field, ARGV[n + i]: that target. Returns the fields deleted.
FORGET_DEAD_REDIRECTS = """
local n = #ARGV / 2
local gone = {}
for i = 1, n do
  local absorbed, target = ARGV[i], ARGV[n + i]
  if redis.call('HGET', KEYS[1], absorbed) == target
      and redis.call('EXISTS', KEYS[1 + i]) == 0
      and redis.call('HEXISTS', KEYS[1], target) == 0 then
    redis.call('HDEL', KEYS[1], absorbed)
    gone[#gone + 1] = absorbed
  end
end
return gone
"""


async def _prune_merged(store: Store) -> int:
    """Forget the redirects of merged stories whose survivor is gone (a chain ends in
    a story that no longer exists). The hash holds one entry per merge within
    retention, a small share of the stories, so it is read whole; the deletion re-checks
    each entry (``FORGET_DEAD_REDIRECTS``), since merges go on meanwhile."""
    keys, redis = store.keys, store.redis
    merged: dict[str, str] = await redis.hgetall(keys.story_merged_into)
    if not merged:
        return 0
    target_of = dict(merged)
    targets = sorted(set(merged.values()))
    found = await redis.mget([keys.story(t) for t in targets])
    live = {t for t, raw in zip(targets, found, strict=True) if raw is not None}
    dead: list[str] = []
    while True:
        ends = [a for a, t in merged.items() if t not in live and t not in merged]
        if not ends:
            break
        for absorbed in ends:
            del merged[absorbed]
        dead += ends
    if not dead:
        return 0
    targets = [target_of[a] for a in dead]
    gone = await redis.eval(
        FORGET_DEAD_REDIRECTS,
        1 + len(dead),
        keys.story_merged_into,
        *(keys.story(t) for t in targets),
        *dead,
        *targets,
    )
    return len(gone)
