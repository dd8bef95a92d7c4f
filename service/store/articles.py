"""Articles: atomic, idempotent ingest and the time-ordered article timeline.

Ingest is one Lua script so that concurrent workers and replays can never store an
article twice:

    identity seen before?            -> "duplicate"   (same item polled again)
    article id exists (same URL)?    -> add this feed as a source -> "new_source" / "duplicate"
                                        (XADD to the stream of the article's partition)
    otherwise                        -> store article (its first source inside), XADD to the
                                        entries stream of its language's partition -> "new"

The article id is derived from the canonical URL when there is one, so the same URL
carried by two feeds lands on one article with two sources (see workers/entry_identity.py).
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal, cast

from service.models import Article
from service.store import codec
from service.store.connection import RedisClient
from service.store.keys import STREAM_CEILING, Keys
from service.store.partitions import partition_count

IngestOutcome = Literal["new", "new_source", "duplicate"]

# KEYS: identity, article, sources, partition count, language -> partition map, then the
# entries stream of every partition in order (``KEYS[6 + p]`` is partition p's). ARGV:
# article id, article JSON, feed URL, source JSON, stream cap, feed id, language. The
# partition of a new article is ``keys.partition_of``: the mapped one, else the first 32
# bits of SHA-1(language) mod P.
#
# The caller cannot know P for sure (the first process worker sets it, maybe after this
# call was built), so before writing anything the script checks it was given a stream for
# every partition, and otherwise returns the number it needs (an integer, where every
# outcome is a string): the caller passes that many and calls again. P only grows, so in a
# pipeline of calls the ones answered so are the calls from some point on, and calling them
# again in order is the same as the pipeline with the streams known from the start.
#
# A new article is stored as one string: its JSON (service/store/codec.py) holds its first
# source, and the script appends ``"part"``, its partition, when that is not 0. An article
# never moves: a new source of a stored article goes to the stream of the partition that
# clustered it. The sources hash is created only when another feed reports the article
# (HSETNX: once per feed). The first source's feed is read back from the JSON: ``r.f``,
# else the article's ``f``, else the feed URL inside its GUID identity (feed URLs have no
# space).
#
# An identity key's value is "1": only its existence is ever read (EXISTS here, MGET in
# service/store/seen_identities.py), and Redis stores a small integer as a shared object, where
# an article id would cost an allocation per key.
INGEST = """
if redis.call('EXISTS', KEYS[1]) == 1 then return 'duplicate' end
local partitions = tonumber(redis.call('GET', KEYS[4]) or '1') or 1
if #KEYS - 5 < partitions then return partitions end
local stored = redis.call('GET', KEYS[2])
if stored then
  local a = cjson.decode(stored)
  local p = a.part or 0
  if #KEYS - 5 <= p then return p + 1 end
  redis.call('SET', KEYS[1], '1')
  local first = a.r.f or a.f or string.match(a.identity, '^guid:([^ ]*) ')
  if first == ARGV[3] then return 'duplicate' end
  if redis.call('HSETNX', KEYS[3], ARGV[3], ARGV[4]) == 0 then return 'duplicate' end
  redis.call('XADD', KEYS[6 + p], 'MAXLEN', '~', ARGV[5], '*', 'article', ARGV[1],
             'kind', 'source', 'feed_url', ARGV[3], 'feed', ARGV[6])
  return 'new_source'
end
redis.call('SET', KEYS[1], '1')
local p = 0
if partitions > 1 then
  local mapped = redis.call('HGET', KEYS[5], ARGV[7])
  if mapped then
    p = tonumber(mapped) % partitions
  else
    p = tonumber(string.sub(redis.sha1hex(ARGV[7]), 1, 8), 16) % partitions
  end
end
if p == 0 then
  redis.call('SET', KEYS[2], ARGV[2])
else
  redis.call('SET', KEYS[2], string.sub(ARGV[2], 1, -2) .. ',"part":' .. p .. '}')
end
redis.call('XADD', KEYS[6 + p], 'MAXLEN', '~', ARGV[5], '*', 'article', ARGV[1], 'kind', 'new',
           'feed_url', ARGV[3], 'feed', ARGV[6])
return 'new'
"""


# Ingest calls per pipeline. A document may list 100,000 items within the body cap; as
# one pipeline (tens of MB written, seconds of scripts before the first answer) it outlasts
# redis-py's 5 s socket timeout on a busy machine, and redis-py's retry then sends the whole
# pipeline again: what the first send stored answers "duplicate", so the poll reports
# most of its new items as duplicates. 1,000 calls are a few hundred KB and tens of ms.
INGEST_ROUND_TRIP = 1000


@dataclass(frozen=True, slots=True)
class ArticlePage:
    items: list[Article]
    next_cursor: str | None


def encode_cursor(score: float, member: str) -> str:
    return base64.urlsafe_b64encode(f"{int(score)}:{member}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[int, str]:
    """Raises ValueError on anything that is not a cursor we made."""
    padded = cursor + "=" * (-len(cursor) % 4)
    score, _, member = base64.urlsafe_b64decode(padded.encode()).decode().partition(":")
    if not member:
        raise ValueError("malformed cursor")
    return int(score), member


class ArticleStore:
    def __init__(self, redis: RedisClient, keys: Keys, *, stream_maxlen: int = STREAM_CEILING):
        self.redis = redis
        self.keys = keys
        self.stream_maxlen = stream_maxlen
        self._ingest = redis.register_script(INGEST)
        # Partitions whose entries streams each ingest call passes; grows to the count in
        # Redis the first time the script asks for more (INGEST).
        self._partitions = 1

    async def ingest(self, article: Article, *, feed_id: str = "") -> IngestOutcome:
        """Store an article carried by feed ``feed_id`` (``article.sources[0]``, its first
        and only source)."""
        [outcome] = await self.ingest_many([article], feed_id=feed_id)
        return outcome

    async def ingest_many(
        self, articles: Sequence[Article], *, feed_id: str = ""
    ) -> list[IngestOutcome]:
        """``ingest`` for each of ``articles``, in order, ``INGEST_ROUND_TRIP`` to a round
        trip: each call is its own script run, as if awaited one after another (a
        pipeline, not a transaction: Redis runs them in order, and each is idempotent)."""
        outcomes: list[IngestOutcome] = []
        for start in range(0, len(articles), INGEST_ROUND_TRIP):
            chunk = articles[start : start + INGEST_ROUND_TRIP]
            outcomes += await self._ingest_round_trip(chunk, feed_id)
        return outcomes

    async def _ingest_round_trip(
        self, articles: Sequence[Article], feed_id: str
    ) -> list[IngestOutcome]:
        if not articles:
            return []
        async with self.redis.pipeline(transaction=False) as pipe:
            for article in articles:
                keys, args = self._ingest_call(article, feed_id)
                await self._ingest(keys=keys, args=args, client=pipe)
            outcomes = await pipe.execute()
        wanting = [n for n, outcome in enumerate(outcomes) if isinstance(outcome, int)]
        if wanting:  # the partition count grew: nothing of these was written
            self._partitions = max(self._partitions, *(outcomes[n] for n in wanting))
            again = await self._ingest_round_trip([articles[n] for n in wanting], feed_id)
            for n, outcome in zip(wanting, again, strict=True):
                outcomes[n] = outcome
        return [cast(IngestOutcome, outcome) for outcome in outcomes]

    def _ingest_call(self, article: Article, feed_id: str) -> tuple[list[str], list[Any]]:
        source = article.sources[0]
        keys = [
            self.keys.identity_of(article.identity),
            self.keys.article(article.id),
            self.keys.article_sources(article.id),
            self.keys.partition_count,
            self.keys.partition_languages,
            *(self.keys.entries(p) for p in range(self._partitions)),
        ]
        args: list[Any] = [
            article.id,
            codec.article_to_json(article),
            source.feed_url,
            codec.source_to_json(source),
            # XADD MAXLEN: an out-of-memory ceiling only; entries are trimmed once the
            # process group acknowledged them (service/store/trim.py).
            self.stream_maxlen,
            feed_id,
            article.language,
        ]
        return keys, args

    async def get(self, article_id: str) -> Article | None:
        found = await self.get_many([article_id])
        return found[0] if found else None

    async def get_many(self, ids: list[str]) -> list[Article]:
        """Articles in the order asked, skipping ids that no longer exist, and ids whose key
        holds no string (MGET answers nil for such a key as for a missing one), so one
        foreign key costs its own article, not the batch that asked for it."""
        if not ids:
            return []
        # The bodies in one MGET (one command to pack and parse, not one per article), the
        # sources hashes beside it in the same round trip.
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.mget([self.keys.article(article_id) for article_id in ids])
            for article_id in ids:
                pipe.hgetall(self.keys.article_sources(article_id))
            bodies, *sources_of = await pipe.execute()
        articles = []
        for article_id, raw, sources in zip(ids, bodies, sources_of, strict=True):
            if raw is None:
                continue
            parsed = sorted(map(codec.source_from_json, sources.values()), key=lambda s: s.seen_at)
            articles.append(codec.article_from_json(raw, article_id, tuple(parsed)))
        return articles

    async def index(self, article: Article, feed_id: str) -> None:
        """Put an article on the timelines (idempotent: ZADD of the same score)."""
        async with self.redis.pipeline(transaction=True) as pipe:
            self.queue_indexes(pipe, [(article, feed_id)])
            await pipe.execute()

    def queue_indexes(self, pipe: Any, indexed: Iterable[tuple[Article, str]]) -> None:
        """Queue ``index``'s writes for many (article, feed id) on a pipeline (the process
        stage's batch transaction): one ZADD per timeline key, whatever the batch size."""
        by_key: dict[str, dict[str, int]] = {}
        for article, feed_id in indexed:
            score = codec.epoch_ms(article.published)
            for key in (
                self.keys.articles_by_time,
                self.keys.articles_by_feed(feed_id),
                self.keys.articles_by_lang(article.language),
            ):
                by_key.setdefault(key, {})[article.id] = score
        for key, scores in by_key.items():
            pipe.zadd(key, scores)

    async def page(
        self,
        *,
        limit: int,
        cursor: str | None = None,
        since: datetime | None = None,
        feed_id: str | None = None,
        lang: str | None = None,
    ) -> ArticlePage:
        """Newest first. The cursor is the (score, id) of the last item served: the next
        page starts strictly after it, so items inserted meanwhile never shift a page."""
        if feed_id is not None:
            key = self.keys.articles_by_feed(feed_id)
        elif lang is not None:
            key = self.keys.articles_by_lang(lang)
        else:
            key = self.keys.articles_by_time
        ids = await self._ids_after(key, limit + 1, cursor, since)
        articles = await self.get_many(ids)
        if feed_id is not None and lang is not None:
            articles = [a for a in articles if a.language == lang]
        has_more = len(ids) > limit
        items = articles[:limit]
        next_cursor = None
        if has_more and items:
            last = items[-1]
            next_cursor = encode_cursor(codec.epoch_ms(last.published), last.id)
        return ArticlePage(items=items, next_cursor=next_cursor)

    async def _ids_after(
        self, key: str, count: int, cursor: str | None, since: datetime | None
    ) -> list[str]:
        low: float | str = "-inf" if since is None else f"({codec.epoch_ms(since)}"
        if cursor is None:
            rows = await self.redis.zrevrangebyscore(key, "+inf", low, start=0, num=count)
            return list(rows)
        score, member = decode_cursor(cursor)
        # ZREVRANGEBYSCORE orders equal scores by member descending: skip ties >= member.
        ids: list[str] = []
        offset = 0
        while len(ids) < count:
            batch = count + 32
            rows = await self.redis.zrevrangebyscore(
                key, score, low, start=offset, num=batch, withscores=True
            )
            for row_member, row_score in rows:
                if int(row_score) == score and row_member >= member:
                    continue
                ids.append(row_member)
                if len(ids) == count:
                    break
            if len(rows) < batch:
                break
            offset += batch
        return ids

    async def entries_held(self) -> int:
        """Entries every partition's entries stream holds now: what ingest queued for the
        process stage, less what trimming has taken."""
        partitions = await partition_count(self.redis, self.keys)
        async with self.redis.pipeline(transaction=False) as pipe:
            for partition in range(partitions):
                pipe.xlen(self.keys.entries(partition))
            return sum(await pipe.execute())

    async def entry_times_ms(self, *, since_ms: int) -> list[int]:
        """When each entry added at or after ``since_ms`` (epoch ms) reached its entries
        stream, every partition's, in no order: a stream id's first part is the epoch ms
        of its XADD (Redis streams, "<ms>-<seq>")."""
        times: list[int] = []
        for partition in range(await partition_count(self.redis, self.keys)):
            rows = await self.redis.xrange(self.keys.entries(partition), min=since_ms)
            times += [int(str(row_id).partition("-")[0]) for row_id, _ in rows]
        return times

    async def count(self, *, feed_id: str | None = None) -> int:
        """Articles on the timeline (retention trims it), or those feed ``feed_id`` carried."""
        key = self.keys.articles_by_time if feed_id is None else self.keys.articles_by_feed(feed_id)
        return int(await self.redis.zcard(key))
