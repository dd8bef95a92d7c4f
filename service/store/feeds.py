"""Feeds: configuration, poll state and the due-feed schedule.

A feed is one Redis hash (config fields + state fields). ``feeds:due`` is a sorted set
scored by the epoch second of the next poll. Claiming is one Lua script: it takes the
due feeds and pushes their score a lease ahead in the same atomic step, so any number
of workers can tick at once and no feed is polled twice concurrently. The lease is short
and the poller renews it while the poll runs (``renew_claims``), so a worker that dies
mid-poll holds its feeds for at most one lease: they become due again soon after.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from redis.exceptions import WatchError

from service.feed_url import canonical_feed_url
from service.ids import digest
from service.models import FeedConfig, FeedState
from service.store import codec
from service.store.connection import RedisClient
from service.store.keys import Keys

# Claim due feeds (oldest due first, each moved to its lease end), returning each claimed
# id with the score it was due at, and then the schedule's earliest score (false: nothing
# scheduled), so the caller knows when the next feed falls due without another round
# trip. It touches only KEYS[1]: Redis wants every key a script touches passed in KEYS
# (EVAL: "Scripts should never access keys with programmatically-generated names or based
# on the contents of data structures stored in the database"; Redis Cluster, proxies and
# Dragonfly refuse them), and the claimed feeds' hashes are known only from the ids the
# script finds, so ``claim_due`` reads them after it (FEED_HASHES).
CLAIM_DUE_FEEDS = """
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'WITHSCORES', 'LIMIT', 0,
  tonumber(ARGV[2]))
for i = 1, #due, 2 do redis.call('ZADD', KEYS[1], 'XX', ARGV[3], due[i]) end
local first = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {due, first[2] or false}
"""


# The hashes KEYS name, each as HGETALL's flat list (empty: no such hash). One script
# call, not a pipeline of HGETALLs: one command to pack and one reply to parse (in
# hiredis), where redis-py spends tens of microseconds in Python per pipelined command.
FEED_HASHES = """
local out = {}
for i, key in ipairs(KEYS) do out[i] = redis.call('HGETALL', key) end
return out
"""


# Moves the claims still held: ARGV triples (id, the score its holder set, the new
# score). A feed whose score is still the one its holder set gets the new score; one
# whose poll has recorded its next poll (or was claimed by someone else after the lease
# ran out) is left alone. Renewal moves a claim a lease ahead, a hand-back moves it to the
# time it was due. Scores are compared as doubles, exactly: both sides come from the same
# float's repr() (or Redis' own reply).
MOVE_CLAIMS = """
local moved = {}
for i = 1, #ARGV, 3 do
  local score = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if score and tonumber(score) == tonumber(ARGV[i + 1]) then
    redis.call('ZADD', KEYS[1], 'XX', ARGV[i + 2], ARGV[i])
    moved[#moved + 1] = ARGV[i]
  end
end
return moved
"""


# Writes a batch of poll outcomes: per record, ARGV holds the feed id, how many fields to
# set and to delete, "1" when the feed moved (a 301/308: its new URL maps to it), the
# score of its next poll ("" for none), then the fields to delete and the field/value
# pairs to set; KEYS[1] is feeds:due, then per record the feed's hash and, when it
# moved, its new URL's key. One script call rather than a MULTI of two to four commands
# a record: one request to encode and one reply to parse for the whole batch.
RECORD_POLLS = """
local k, a = 2, 1
while a <= #ARGV do
  local id, nset, ndel, moved, score = ARGV[a], tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2]),
    ARGV[a + 3], ARGV[a + 4]
  a = a + 5
  local key = KEYS[k]
  k = k + 1
  if ndel > 0 then
    redis.call('HDEL', key, unpack(ARGV, a, a + ndel - 1))
    a = a + ndel
  end
  if nset > 0 then
    redis.call('HSET', key, unpack(ARGV, a, a + 2 * nset - 1))
    a = a + 2 * nset
  end
  if moved == '1' then
    redis.call('SET', KEYS[k], id)
    k = k + 1
  end
  if score ~= '' then
    redis.call('ZADD', KEYS[1], 'XX', score, id)
  end
end
return 1
"""


# KEYS: feed. ARGV: field, value. 1 when written, 0 when there is no such feed.
SET_IF_EXISTS = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
return 1
"""

# Adds a feed or updates its configuration: KEYS[1] its hash, KEYS[2] its URL's key,
# KEYS[3] the feeds set, KEYS[4] feeds:due, KEYS[5] the wake channel (Keys.feeds_wake: a
# channel, not a key; one Redis, see CLAIM_DUE_FEEDS). A feed scheduled anew ahead of the
# schedule's earliest score is published there, so idle workers claim it at once; with
# redis.pcall, so a publish the Redis user may not make (an ACL without the channel: Redis
# 7's ``acl-pubsub-default resetchannels``) never fails the write. ARGV: its
# id, the score of its first poll, "1" when the URL's key named it already (then its stored
# URL is kept: a 301 moved it, and configuration must not undo the move), its URL, the
# number of guard pairs, the guard pairs (a feed id and the score it must still have in
# feeds:due, "" for none), then its configuration's field/value pairs. With a guard that no
# longer holds it writes nothing and returns -1; else 1 when the feed was created anew, 0
# when it was updated. HSETNX still writes the URL when the URL's key outlived its feed
# (removed by id after a move left the key of the URL it was added as): the feed is then
# created anew. Scores are compared as doubles, exactly, as in MOVE_CLAIMS.
ADD_FEED = """
local id, score, known, url, nguard = ARGV[1], ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5])
for i = 6, 5 + 2 * nguard, 2 do
  local stored = redis.call('ZSCORE', KEYS[4], ARGV[i])
  local expected = ARGV[i + 1]
  if (stored and tonumber(stored)) ~= (expected ~= '' and tonumber(expected) or false) then
    return -1
  end
end
local a = 6 + 2 * nguard
local created = 1
if known == '1' then
  created = redis.call('HSETNX', KEYS[1], 'url', url)
else
  redis.call('HSET', KEYS[1], 'url', url)
end
if a <= #ARGV then
  redis.call('HSET', KEYS[1], unpack(ARGV, a, #ARGV))
end
redis.call('SET', KEYS[2], id)
redis.call('SADD', KEYS[3], id)
local earliest = redis.call('ZRANGE', KEYS[4], 0, 0, 'WITHSCORES')[2]
if redis.call('ZADD', KEYS[4], 'NX', score, id) == 1
    and (not earliest or tonumber(score) < tonumber(earliest)) then
  redis.pcall('PUBLISH', KEYS[5], score)
end
return created
"""

# Makes scheduled feeds due at ARGV[1] (epoch seconds; a removed feed stays removed): KEYS[1]
# feeds:due, KEYS[2] the wake channel (as in ADD_FEED), ARGV[2..] the feed ids. Publishes
# the score when it moved a feed ahead of the schedule's earliest score, once per call
# (redis.pcall, as in ADD_FEED).
# Returns how many feeds it moved.
SCHEDULE_AT = """
local score = ARGV[1]
local earliest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2]
local moved = 0
for i = 2, #ARGV do
  moved = moved + redis.call('ZADD', KEYS[1], 'XX', 'CH', score, ARGV[i])
end
if moved > 0 and (not earliest or tonumber(score) < tonumber(earliest)) then
  redis.pcall('PUBLISH', KEYS[2], score)
end
return moved
"""

# Removes one feed: KEYS[1] its hash, KEYS[2] the feeds set, KEYS[3] feeds:due, then the
# keys of its URLs (as configured, as polled, where a 301 moved it); ARGV[1] its id. A URL
# key is deleted only while it names this feed: several feeds can be moved to one URL
# (aliases of one document), and the key belongs to one of them.
REMOVE_FEED = """
redis.call('DEL', KEYS[1])
redis.call('SREM', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
for i = 4, #KEYS do
  if redis.call('GET', KEYS[i]) == ARGV[1] then redis.call('DEL', KEYS[i]) end
end
return 1
"""


def lease_end(now: datetime, lease_seconds: float) -> float:
    """The score of a feed claimed at ``now``: due again once the lease has run out."""
    return now.timestamp() + lease_seconds


@dataclass(frozen=True, slots=True)
class StoredFeed:
    id: str
    config: FeedConfig
    state: FeedState
    # When the schedule has the feed due: its score in the due set, read by ``get`` and
    # ``page`` (None from a claim, or for a feed no longer scheduled). ``state.next_poll``
    # is what the last poll planned: missing before the first poll, and older than this
    # after ``schedule_now`` (poll now, resume). While a poll runs, this is the claim's
    # lease end: when the feed is due again should that poll die.
    due: datetime | None = None


@dataclass(frozen=True, slots=True)
class ClaimedFeed:
    """One feed taken by a claim: its id, the score it was due at, the feed as stored
    just after the claim (None: its hash is gone, the feed was removed while its id was
    still scheduled)."""

    id: str
    due: float
    feed: StoredFeed | None


@dataclass(frozen=True, slots=True)
class DueClaim:
    """What one claim took, and when the schedule's earliest feed is due after it (epoch
    seconds on the schedule's clock, the writers' ``now``; None: nothing is scheduled).
    ``next_due`` may be at or before the claim's cutoff when the claim hit its limit."""

    feeds: list[ClaimedFeed]
    next_due: float | None


def feed_id_for(url: str) -> str:
    return digest(url)


# How many times ``add_checked`` reads, checks and tries to write before it gives up. A
# try fails only when the first page (the set's first ids, their hashes and scores) or the
# URL's key changed in the few round trips between its read and its write: at the default
# 900 s interval the API's first page of 100 feeds sees a claim or a poll about every 4.5 s,
# so a second failure in a row is rare, and five of them mean writes faster than a try.
ADD_CHECKED_TRIES = 5


class FeedListContended(Exception):
    """``add_checked`` gave up: every try, the first page changed between its read and
    its write. Nothing was written; the caller may try again shortly."""


class FeedStore:
    def __init__(self, redis: RedisClient, keys: Keys) -> None:
        self.redis = redis
        self.keys = keys
        self._claim_feeds = redis.register_script(CLAIM_DUE_FEEDS)
        self._feed_hashes = redis.register_script(FEED_HASHES)
        self._move = redis.register_script(MOVE_CLAIMS)
        self._record_polls = redis.register_script(RECORD_POLLS)
        self._remove_feed = redis.register_script(REMOVE_FEED)
        self._set_if_exists = redis.register_script(SET_IF_EXISTS)
        self._add_feed = redis.register_script(ADD_FEED)
        self._schedule_at = redis.register_script(SCHEDULE_AT)

    async def add(self, config: FeedConfig, *, first_poll: datetime) -> tuple[str, bool]:
        """Add a feed, or update its configuration; poll state is kept. Returns (id, created)."""
        [added] = await self.add_many([(config, first_poll)])
        return added

    async def add_many(
        self, feeds: Sequence[tuple[FeedConfig, datetime]], *, chunk: int = 500
    ) -> list[tuple[str, bool]]:
        """``add`` for many feeds in a few round trips: one MGET and one MULTI per chunk.

        Every worker seeds the configured feeds at start, before its first poll; one ``add``
        per feed would be two round trips each, 10,000 for 5,000 feeds, and the feeds due
        meanwhile would wait. A chunk's MULTI blocks Redis for a few ms."""
        added: list[tuple[str, bool]] = []
        feeds = [(replace(c, url=canonical_feed_url(c.url)), when) for c, when in feeds]
        created: set[str] = set()  # a URL listed twice (two spellings) is created once
        for start in range(0, len(feeds), chunk):
            part = feeds[start : start + chunk]
            existing = await self.redis.mget([self.keys.feed_by_url(c.url) for c, _ in part])
            async with self.redis.pipeline(transaction=True) as pipe:
                ids = [
                    await self._queue_add(pipe, config, first_poll, known)
                    for (config, first_poll), known in zip(part, existing, strict=True)
                ]
                replies = await pipe.execute()
            for feed_id, reply in zip(ids, replies, strict=True):
                added.append((feed_id, bool(reply) and feed_id not in created))
                created.add(feed_id)
        return added

    async def _queue_add(
        self,
        pipe: RedisClient,
        config: FeedConfig,
        first_poll: datetime,
        known: str | None,
        guard: Sequence[tuple[str, float | None]] = (),
    ) -> str:
        """Queue on ``pipe`` the ADD_FEED call that adds the feed of ``config`` (``known``:
        the id its URL names now), writing only while each feed in ``guard`` still has
        the score given (None: not scheduled). Returns its id; the call's reply is 1 when
        the feed was created anew, 0 when updated, -1 when the guard failed."""
        feed_id = known or feed_id_for(config.url)
        config_fields = codec.feed_config_to_hash(config)
        url = config_fields.pop("url")
        args: list[str] = [feed_id, repr(first_poll.timestamp()), "1" if known else "0", url]
        args.append(str(len(guard)))
        for guarded, score in guard:
            args += [guarded, "" if score is None else repr(score)]
        for field, value in config_fields.items():
            args += [field, value]
        k = self.keys
        keys = [k.feed(feed_id), k.feed_by_url(config.url), k.feeds, k.feeds_due, k.feeds_wake]
        await self._add_feed(keys=keys, args=args, client=pipe)
        return feed_id

    async def add_checked(
        self,
        config: FeedConfig,
        check: Callable[[list[StoredFeed], str | None], None],
        *,
        first_poll: datetime,
        first_page: int,
    ) -> tuple[str, bool]:
        """``add``, once ``check`` accepted the first ``first_page`` feeds as ``page`` reads
        them now (it raises to write nothing), as one optimistic transaction over exactly
        what ``check`` was shown and what the write depends on: WATCH on the feed set
        (the page's ids and whether there is a next page), the page's feed hashes (config
        and poll state) and the URL's key, and ADD_FEED's guard on the page's scores in
        the schedule (``StoredFeed.due``). Not WATCH on the whole schedule: every claim and
        poll of any feed writes it. When something ``check`` saw changed in between,
        ``check`` runs again on the new page, at most ADD_CHECKED_TRIES times in all,
        then FeedListContended (nothing written)."""
        config = replace(config, url=canonical_feed_url(config.url))
        k = self.keys
        url_key = k.feed_by_url(config.url)
        async with self.redis.pipeline(transaction=True) as pipe:
            for _try in range(ADD_CHECKED_TRIES):
                try:
                    await pipe.watch(k.feeds, url_key)
                    ids = sorted(await pipe.smembers(k.feeds))
                    if ids:
                        await pipe.watch(*[k.feed(i) for i in ids[:first_page]])
                    feeds, next_cursor, dues = await self._read_page(ids, limit=first_page)
                    check(feeds, next_cursor)
                    known = await pipe.get(url_key)
                    pipe.multi()
                    feed_id = await self._queue_add(pipe, config, first_poll, known, dues)
                    [created] = await pipe.execute()
                except WatchError:
                    continue
                if created >= 0:
                    return feed_id, bool(created)
        raise FeedListContended(
            f"the first {first_page} feeds changed under each of {ADD_CHECKED_TRIES} tries"
        )

    async def remove(self, url: str) -> bool:
        """Remove the feed that ``url`` names (False: none does)."""
        canonical = canonical_feed_url(url)
        feed = await self._by_canonical_url(canonical)
        if feed is None:
            return False
        await self.remove_feed(feed, canonical)
        return True

    async def remove_feed(self, feed: StoredFeed, *canonical_urls: str) -> None:
        """Remove ``feed`` itself (not whichever feed its URL names now), and the keys of
        its URLs and of ``canonical_urls`` (already in ``canonical_feed_url`` form) that
        still name it."""
        stored = {feed.config.url, feed.state.url, feed.state.moved_to}
        spellings = {canonical_feed_url(u) for u in stored if u} | set(canonical_urls)
        url_keys = sorted(self.keys.feed_by_url(u) for u in spellings)
        await self._remove_feed(
            keys=[self.keys.feed(feed.id), self.keys.feeds, self.keys.feeds_due, *url_keys],
            args=[feed.id],
        )

    async def set_paused(self, feed_id: str, paused: bool) -> bool:
        """Pause or resume a feed; False (nothing written) when there is none. Checked in
        the same script as the write: a removal just before must not leave a hash holding
        only ``paused`` behind (it reads back as a feed without a URL)."""
        value = "1" if paused else "0"
        return bool(
            await self._set_if_exists(keys=[self.keys.feed(feed_id)], args=["paused", value])
        )

    async def get(self, feed_id: str) -> StoredFeed | None:
        """The feed with its place in the schedule (``StoredFeed.due``)."""
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.hgetall(self.keys.feed(feed_id))
            pipe.zscore(self.keys.feeds_due, feed_id)
            data, due = await pipe.execute()
        return _stored(feed_id, data, due) if data else None

    async def by_url(self, url: str) -> StoredFeed | None:
        return await self._by_canonical_url(canonical_feed_url(url))

    async def _by_canonical_url(self, url: str) -> StoredFeed | None:
        feed_id = await self.redis.get(self.keys.feed_by_url(url))
        return await self.get(feed_id) if feed_id else None

    async def ids(self) -> list[str]:
        return sorted(await self.redis.smembers(self.keys.feeds))

    async def page(self, *, after: str | None, limit: int) -> tuple[list[StoredFeed], str | None]:
        """Feeds in id order; ``after`` is the last id of the previous page."""
        ids = [i for i in await self.ids() if after is None or i > after]
        feeds, next_cursor, _dues = await self._read_page(ids, limit=limit)
        return feeds, next_cursor

    async def _read_page(
        self, ids: list[str], *, limit: int
    ) -> tuple[list[StoredFeed], str | None, list[tuple[str, float | None]]]:
        """The page of the first ``limit`` of ``ids`` (sorted), its next cursor, and each
        of those ids with its score in the schedule as read (None: not scheduled)."""
        chunk = ids[:limit]
        async with self.redis.pipeline(transaction=False) as pipe:
            for feed_id in chunk:
                pipe.hgetall(self.keys.feed(feed_id))
            if chunk:
                pipe.zmscore(self.keys.feeds_due, chunk)
            replies = await pipe.execute()
        rows, dues = replies[: len(chunk)], (replies[-1] if chunk else [])
        feeds = [_stored(i, row, due) for i, row, due in zip(chunk, rows, dues, strict=True) if row]
        next_cursor = chunk[-1] if len(ids) > limit else None
        return feeds, next_cursor, list(zip(chunk, dues, strict=True))

    async def count_due_by(self, when: datetime) -> int:
        """Feeds scheduled at or before ``when``: due, or claimed with a lease ending by
        then (a claim moves its feed to its lease's end)."""
        return int(await self.redis.zcount(self.keys.feeds_due, "-inf", when.timestamp()))

    async def claim_due_feeds(
        self, *, now: datetime, limit: int, lease_seconds: int, due_by: datetime | None = None
    ) -> list[tuple[str, StoredFeed | None]]:
        """Atomically take up to ``limit`` due feeds for ``lease_seconds``: each id with
        the feed as stored just after the claim (None: its hash is gone, the feed was removed
        while its id was still scheduled)."""
        claim = await self.claim_due(
            now=now, limit=limit, lease_seconds=lease_seconds, due_by=due_by
        )
        return [(c.id, c.feed) for c in claim.feeds]

    async def claim_due(
        self, *, now: datetime, limit: int, lease_seconds: int, due_by: datetime | None = None
    ) -> DueClaim:
        """Atomically take up to ``limit`` due feeds, oldest due first, holding each for
        ``lease_seconds`` from ``now``, and read when the next feed is due, in one script
        call; then the taken feeds' hashes, in a second (none when none were taken).
        ``due_by`` (default ``now``): claim only feeds due at or before it (backpressure
        claims only feeds overdue by some seconds: workers/claim_loop.py)."""
        due = (due_by or now).timestamp()
        taken, first = await self._claim_feeds(
            keys=[self.keys.feeds_due], args=[due, limit, lease_end(now, lease_seconds)]
        )
        ids, scores = taken[::2], taken[1::2]
        # Read once the feeds are ours (the lease keeps other pollers off them), not by
        # the claim script: see CLAIM_DUE_FEEDS.
        rows = await self._feed_hashes(keys=[self.keys.feed(i) for i in ids]) if ids else []
        claimed = []
        for feed_id, score, flat in zip(ids, scores, rows, strict=True):
            data = dict(zip(flat[::2], flat[1::2], strict=True))
            stored = _stored(feed_id, data) if data else None
            claimed.append(ClaimedFeed(feed_id, float(score), stored))
        return DueClaim(claimed, None if first is None else float(first))

    async def renew_claims(self, held: dict[str, float], *, until: float) -> list[str]:
        """Move the claims in ``held`` (feed id -> the lease score its claim or last
        renewal set) to ``until``, those still held; returns the ids renewed."""
        return await self._move_claims([(i, lease, until) for i, lease in held.items()])

    async def hand_back(self, held: dict[str, tuple[float, float]]) -> list[str]:
        """Give claims back unpolled: ``held`` maps a feed id to (the lease score its
        claim set, the score to be due at again). Only feeds still held move; returns
        the ids handed back."""
        return await self._move_claims([(i, lease, due) for i, (lease, due) in held.items()])

    async def _move_claims(self, moves: list[tuple[str, float, float]]) -> list[str]:
        if not moves:
            return []
        args = [value for move in moves for value in move]
        return list(await self._move(keys=[self.keys.feeds_due], args=args))

    async def record_poll(
        self, feed_id: str, state: FeedState, *, previous: FeedState | None = None
    ) -> None:
        """Store the outcome of a poll and schedule the next one, in one transaction.
        ``previous``: the state as stored when the poll began (the claim read it); only
        the fields that differ from it are written."""
        await self.record_polls([(feed_id, state, previous)])

    async def record_polls(
        self, records: Sequence[tuple[str, FeedState, FeedState | None]]
    ) -> None:
        """``record_poll`` for many polls: one script call (atomic), one round trip."""
        if not records:
            return
        keys: list[str] = [self.keys.feeds_due]
        args: list[str | int] = []
        for feed_id, state, previous in records:
            to_set, to_delete = codec.feed_state_changes(state, previous)
            if previous is None or state.url != previous.url:
                to_set["url"] = state.url
            keys.append(self.keys.feed(feed_id))
            if state.moved_to:
                keys.append(self.keys.feed_by_url(canonical_feed_url(state.moved_to)))
            score = "" if state.next_poll is None else repr(state.next_poll.timestamp())
            args += [feed_id, len(to_set), len(to_delete), "1" if state.moved_to else "0", score]
            args += to_delete
            for field, value in to_set.items():
                args += [field, value]
        await self._record_polls(keys=keys, args=args)

    async def schedule_now(self, feed_id: str, now: datetime) -> None:
        await self.schedule_at(feed_id, now)

    async def schedule_at(self, feed_id: str, when: datetime) -> None:
        """Make a scheduled feed due at ``when`` (a removed one stays removed)."""
        await self.schedule_many([feed_id], when)

    async def schedule_many(self, feed_ids: Sequence[str], when: datetime) -> int:
        """Make the scheduled ones of ``feed_ids`` due at ``when``, in one script call;
        idle fetch workers are woken when that is ahead of the whole schedule
        (``SCHEDULE_AT``). Returns how many feeds it moved."""
        if not feed_ids:
            return 0
        keys = [self.keys.feeds_due, self.keys.feeds_wake]
        return int(await self._schedule_at(keys=keys, args=[repr(when.timestamp()), *feed_ids]))


def _stored(feed_id: str, data: dict[str, str], due: float | None = None) -> StoredFeed:
    return StoredFeed(
        id=feed_id,
        config=codec.feed_config_from_hash(data),
        state=codec.feed_state_from_hash(data),
        due=None if due is None else datetime.fromtimestamp(due, UTC),
    )
