"""Webhook deliveries: a per-endpoint queue of due attempts with atomic, leased claims.

Layout (keys.py):

    wh:due              ZSET endpoint (subscription id) -> earliest due ms of its queue
    wh:due:{sub}        ZSET delivery id -> due ms of its next attempt
    delivery:{id}       HASH state; delivery:{id}:attempts LIST the attempt log
    wh:body:{body}      the exact body, stored once per event for every subscription
                        that receives it as the event's type ({body} = event id), and once
                        per other type it is sent as ({body} = "{event id}:{type}": a merge
                        sent as ``story.updated``, service/webhooks/filters.py); a delivery
                        names its body in a ``body`` field only in the second case: one
                        without it sends its event's own (docs/webhooks.md, Operating)

Why two levels: a claim takes at most ``cap`` deliveries per endpoint, where ``cap`` is
the endpoint's free concurrency in the claiming process. A hanging endpoint therefore
holds only its own few claims, and its backlog never stands in front of other
endpoints' deliveries: a slow endpoint never delays others.

Why leases: a claim pushes each taken delivery ``lease`` ahead in its due set, in the
same Lua call that selects it, so concurrent workers never take one delivery twice.
A worker killed mid-delivery leaves the lease to run out and the delivery becomes due
again: at-least-once, with the same ``webhook-id``. The lease outlasts an attempt
(timeout + margin), and completing checks that the score is still the claimed lease
(a fencing token), so a worker that lost its lease cannot overwrite newer state.

Every write is idempotent: a delivery id is derived from (subscription, event), and
enqueueing an existing id changes nothing, so a re-read stream message adds nothing. The
delivery id leaves out the type the event is sent as, so one subscription gets one
delivery of an event even when its type list changed between two reads of it.
"""

from __future__ import annotations

import enum
import json
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from service.ids import digest
from service.store import codec
from service.store.connection import RedisClient
from service.store.keys import Keys

ATTEMPTS_KEPT = 50
# Characters of an attempt's error stored. Errors quote what the endpoint answered (a
# malformed status line or header, up to the parser's 16 KiB a line): unbounded, one
# broken endpoint would store kilobytes per attempt in every delivery's log.
ERROR_KEPT = 500
LOG_KEPT = 10_000  # deliveries listed per subscription
ENQUEUE_CHUNK = 500  # deliveries queued per script call
# The newest delivery record format this code reads; a record says its own in a ``format``
# field, none meaning 1 (every record so far). A release whose records an older reader
# would misread (a field it does not know changing what is sent) writes a higher format
# on them: this code's notifiers then leave such records queued for a newer notifier
# (the claim script), rather than send them wrong in a rolling deploy (docs/webhooks.md,
# Operating).
DELIVERY_FORMAT = 1
# How far back in its queue a claim moves a record of a newer format, untouched and
# unleased: a newer notifier running beside this one takes it at most this much later,
# and with none running (a rollback) the records behind it are still reached.
NEWER_FORMAT_WAIT = 5.0
# Records of a newer format one claim moves back at most: what it costs is bounded when
# queues hold thousands of them.
NEWER_FORMAT_MOVES = 1000
# A delivery found without its body when claimed: nothing is left to send. It is finished
# as failed, with this error in its attempt log (no request was made).
EXPIRED_BODY = "its body expired before it was sent"
EXPIRED_ATTEMPT = (
    f"not sent: {EXPIRED_BODY} (a body is kept BRIEFING_RETENTION_DAYS after it is queued; "
    "this one had expired or was evicted)"
)

# One call per event, for every matching subscription (one command instead of one per
# delivery: redis-py packs each argument in Python, which dominated fan-out).
# KEYS: body, wh:due, then per (sub, id) pair: delivery(id), due(sub), log(sub).
# ARGV: body, retention_s, event id, type, now_ms, now_iso, log kept, body id, then
# (sub, id) pairs. An existing delivery is left alone: re-reading an event adds nothing.
# A delivery names its body only when it is not the event's own (body id = event id).
ENQUEUE = """
redis.call('SET', KEYS[1], ARGV[1], 'NX', 'EX', ARGV[2])
local now, kept = tonumber(ARGV[5]), tonumber(ARGV[7])
local created = {}
for i = 9, #ARGV, 2 do
  local sub, id = ARGV[i], ARGV[i + 1]
  local k = 3 * (i - 9) / 2 + 3
  local key, due, log = KEYS[k], KEYS[k + 1], KEYS[k + 2]
  if redis.call('EXISTS', key) == 1 then
    created[#created + 1] = 0
  else
    redis.call('HSET', key, 'sub', sub, 'event', ARGV[3], 'type', ARGV[4], 'status', 'pending',
               'attempts', 0, 'created_at', ARGV[6], 'next_attempt', ARGV[6])
    if ARGV[8] ~= ARGV[3] then redis.call('HSET', key, 'body', ARGV[8]) end
    redis.call('ZADD', due, 'NX', now, id)
    redis.call('ZADD', KEYS[2], 'LT', now, sub)
    -- The log is ordered by member ("{created ms, 15 digits}:{id}", all scores 0), so
    -- pages are cut with ZREVRANGEBYLEX: stable while new deliveries arrive.
    redis.call('ZADD', log, 0, string.format('%015d', now) .. ':' .. id)
    local extra = redis.call('ZCARD', log) - kept
    if extra > 0 then redis.call('ZREMRANGEBYRANK', log, 0, extra - 1) end
    created[#created + 1] = 1
  end
end
return created
"""

# ARGV: due-key prefix, now, lease_until, budget, default cap, delivery key template
# (head, tail), body key template (head, tail), the newest record format this code reads
# (``DELIVERY_FORMAT``), when a record of a newer format is due again, how many such
# records the call may move (``NEWER_FORMAT_MOVES``), then (endpoint, cap) pairs. A
# record of a newer format is neither leased nor returned nor read further: it goes back
# in its queue to ``NEWER_FORMAT_WAIT`` from now, for a notifier that reads it, and the
# endpoint's next due records are read in its place. Left where it was, as many of them
# as the endpoint's cap would stop everything behind them, and their endpoint, first in
# ``wh:due``, other endpoints, while no newer notifier runs (a rollback). Returns
# (endpoint, id, event, attempts, body id, body stored 0/1) per claim: what an attempt
# needs from the delivery, without a second round trip. Whether the body is still stored
# is read here, as the claim is made, so a copy of it cached in the notifier is never
# sent after it expired. The endpoints, deliveries and bodies it reads are found by the
# script itself, so their keys are built from templates of keys.py's names
# (``_Templates``), not passed in KEYS: the one script that touches keys it is not given
# (Redis asks for every key in KEYS). They cannot be known before the call: the queues
# come from ``wh:due``, the records from the queues and the bodies from the records, and
# which records are leased depends on the records' formats and on what other notifiers
# leased just before; any claim, completion or fan-out between a client's read of them and
# this call changes them (docs/design.md, "Scripts touch only the keys they are given, but
# one").
CLAIM = """
local caps, busy = {}, 0
for i = 13, #ARGV, 2 do caps[ARGV[i]] = tonumber(ARGV[i + 1]); busy = busy + 1 end
local budget, default, newest = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[10])
local moves = tonumber(ARGV[12])
local endpoints = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[2], 'LIMIT', 0, budget + busy)
local out = {}
for _, sub in ipairs(endpoints) do
  if budget <= 0 then break end
  local cap = math.min(caps[sub] or default, budget)
  if cap > 0 then
    local key = ARGV[1] .. sub
    local taken, moved = 0, 0
    -- Taken records are leased and moved ones due later, both past ``now``: each round
    -- reads the next due ones. It ends when the cap is taken, nothing was moved, or the
    -- call's moves are spent.
    repeat
      local ids = redis.call('ZRANGEBYSCORE', key, '-inf', ARGV[2], 'LIMIT', 0, cap - taken)
      moved = 0
      for _, id in ipairs(ids) do
        local fields = {'event', 'attempts', 'body', 'format'}
        local row = redis.call('HMGET', ARGV[6] .. id .. ARGV[7], unpack(fields))
        -- No ``format``: 1, every record written before formats were numbered; one that
        -- is not a number is no format this code reads.
        local format = row[4] and (tonumber(row[4]) or math.huge) or 1
        if format <= newest then
          redis.call('ZADD', key, 'XX', ARGV[3], id)
          taken = taken + 1
          local body = row[3] or row[1]
          out[#out + 1] = sub
          out[#out + 1] = id
          out[#out + 1] = row[1]
          out[#out + 1] = row[2]
          out[#out + 1] = body
          out[#out + 1] = body and redis.call('EXISTS', ARGV[8] .. body .. ARGV[9]) or 0
        else
          redis.call('ZADD', key, 'XX', ARGV[11], id)
          moved = moved + 1
        end
      end
      moves = moves - moved
    until moved == 0 or moves <= 0 or taken >= cap
    budget = budget - taken
    local first = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
    if first[1] then
      redis.call('ZADD', KEYS[1], first[2], sub)
    else
      redis.call('ZREM', KEYS[1], sub)
    end
  end
end
return out
"""

# A body lasts at least as long as any record that can still send it: a finished record
# expires ``retention`` after it finished and a redelivery sends its body again, so
# finishing and redelivering raise the body's TTL to ``retention`` (never lower it: another
# subscription's record may need it longer; Redis 6.2 has no EXPIRE GT). A body missing
# (TTL -2) or without a TTL (-1) is left as it is.
LAST_AT_LEAST = """
local function last_at_least(key, seconds)
  local ttl = redis.call('TTL', key)
  if ttl >= 0 and ttl < tonumber(seconds) then redis.call('EXPIRE', key, seconds) end
end
"""

# Many finished attempts in one call (one command per burst of results, not per attempt).
# An ``expired`` outcome finishes a delivery whose body was gone when claimed: failed, with
# no request made, so it says nothing of the endpoint (its failing_since is left alone).
# A body is kept at least ``body_s`` more (``Outcome.body_seconds``): a retention, after
# the next attempt when there is one (the schedule runs past a day, a Retry-After may ask
# for one, and the retention may be one).
# KEYS: wh:due, then per attempt: delivery(id), attempts(id), due(sub), subscription(sub),
# body. ARGV: retention_s, attempts kept, then per attempt 12 values:
# id, sub, lease, outcome, next_ms, next_iso, attempt_json, attempts_made, last_iso,
# last_status, last_error, body_s. Returns (applied 0/1, failing_since or '') per attempt.
# The endpoint's place in wh:due is recomputed once per endpoint, after its attempts.
COMPLETE = (
    LAST_AT_LEAST
    + """
local retention, kept = ARGV[1], -tonumber(ARGV[2])
local out, touched = {}, {}
for i = 3, #ARGV, 12 do
  local id, sub, lease, outcome = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  local k = 5 * (i - 3) / 12 + 2
  local key, log, due, subkey = KEYS[k], KEYS[k + 1], KEYS[k + 2], KEYS[k + 3]
  local applied, failing = 0, ''
  if redis.call('EXISTS', key) == 0 then
    -- The record is gone (deleted with its subscription, evicted): nothing is left to send
    -- or retry, so the claim's queue entry goes too (else due at every lease's end).
    local score = redis.call('ZSCORE', due, id)
    if score and tonumber(score) == tonumber(lease) then
      redis.call('ZREM', due, id)
      touched[sub] = {due, subkey}
    end
  else
    -- A request made is logged whoever owns the delivery now; an ``expired`` outcome
    -- made none and is logged only under its lease.
    local score = redis.call('ZSCORE', due, id)
    local owned = score and tonumber(score) == tonumber(lease)
    if owned or outcome ~= 'expired' then
      redis.call('RPUSH', log, ARGV[i + 6])
      redis.call('LTRIM', log, kept, -1)
    end
    if owned then
      applied = 1
      touched[sub] = {due, subkey}
      redis.call('HSET', key, 'attempts', ARGV[i + 7], 'last_attempt', ARGV[i + 8],
                 'last_status', ARGV[i + 9], 'last_error', ARGV[i + 10])
      if outcome == 'retry' then
        redis.call('ZADD', due, 'XX', ARGV[i + 4], id)
        redis.call('HSET', key, 'status', 'pending', 'next_attempt', ARGV[i + 5])
      else
        redis.call('ZREM', due, id)
        redis.call('HSET', key, 'status', outcome == 'succeeded' and 'succeeded' or 'failed')
        redis.call('HDEL', key, 'next_attempt')
        redis.call('EXPIRE', key, retention)
        redis.call('EXPIRE', log, retention)
      end
      last_at_least(KEYS[k + 4], ARGV[i + 11])
      if outcome ~= 'expired' and redis.call('EXISTS', subkey) == 1 then
        if outcome == 'succeeded' then
          redis.call('HDEL', subkey, 'failing_since')
        else
          redis.call('HSETNX', subkey, 'failing_since', ARGV[i + 8])
          failing = redis.call('HGET', subkey, 'failing_since')
        end
      end
    end
  end
  out[#out + 1] = applied
  out[#out + 1] = failing
end
for sub, held in pairs(touched) do
  local first = redis.call('ZRANGE', held[1], 0, 0, 'WITHSCORES')
  if first[1] and redis.call('HGET', held[2], 'status') == 'active' then
    redis.call('ZADD', KEYS[1], first[2], sub)
  else
    redis.call('ZREM', KEYS[1], sub)
  end
end
return out
"""
)

# KEYS: delivery, due(sub), wh:due, attempts, subscription, body; ARGV: id, sub, now_ms,
# now_iso, retention_s. Returns a ``Redelivery``: a delivery whose body is gone is left as
# it was (queued, it could only fail as expired), and so is one of a deleted subscription
# (outside its log, it outlived the delete until its record expires): nothing could send
# it, and queued it would have no expiry.
REDELIVER = (
    LAST_AT_LEAST
    + """
local status = redis.call('HGET', KEYS[1], 'status')
if not status or redis.call('EXISTS', KEYS[5]) == 0 then return -1 end
if status == 'pending' then return 0 end
if redis.call('EXISTS', KEYS[6]) == 0 then return -2 end
redis.call('HSET', KEYS[1], 'status', 'pending', 'attempts', 0, 'next_attempt', ARGV[4])
redis.call('PERSIST', KEYS[1])
redis.call('PERSIST', KEYS[4])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
if redis.call('HGET', KEYS[5], 'status') == 'active' then
  redis.call('ZADD', KEYS[3], 'LT', ARGV[3], ARGV[2])
end
last_at_least(KEYS[6], ARGV[5])
return 1
"""
)

# Put a claimed delivery back as due now and take its endpoint off wh:due (disabled).
PARK = """
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) == tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], 'XX', ARGV[3], ARGV[1])
end
redis.call('ZREM', KEYS[2], ARGV[4])
return 1
"""


def delivery_id_for(sub_id: str, event_id: str) -> str:
    """Deterministic ``webhook-id``: the same message for the same (endpoint, event)."""
    return "msg_" + digest(f"{sub_id}|{event_id}", 24)


def body_id_for(event_id: str, event_type: str, sent_as: str) -> str:
    """The id of the body a delivery sends (``wh:body:{id}``): the event's id when it is
    sent as its own type, else the event's id and the type it is sent as, each body
    stored once (SET NX) so every retry of either sends the same bytes."""
    return event_id if sent_as == event_type else f"{event_id}:{sent_as}"


def ms(dt: datetime) -> int:
    return int(dt.timestamp() * 1000)


class Redelivery(enum.IntEnum):
    """What ``DeliveryStore.redeliver`` did (the values its script returns)."""

    QUEUED = 1  # due now, a fresh schedule
    PENDING = 0  # not finished: left alone
    UNKNOWN = -1  # no such delivery, or its subscription was deleted
    BODY_GONE = -2  # its body expired or was evicted: nothing to send, left alone


@dataclass(frozen=True, slots=True)
class Claim:
    subscription_id: str
    delivery_id: str
    lease: int  # the due score written by the claim (epoch ms): the fencing token
    event_id: str | None = None  # None: the delivery's record is gone (deleted, expired)
    attempts: int = 0  # made so far in the current round of the schedule
    body_id: str | None = None  # the body it sends (body_id_for); None with event_id
    body_stored: bool = False  # whether that body was still stored when claimed


@dataclass(frozen=True, slots=True)
class NewEvent:
    """One event to fan out as one type: its body (stored once under ``body_id``, by
    default the event's id) and the subscriptions it goes to."""

    event_id: str
    event_type: str  # the type it is sent as (the body's ``type``)
    body: bytes
    subscription_ids: Sequence[str]
    body_id: str | None = None  # None: the event's id


def kept_error(error: str | None) -> str | None:
    """``error`` as stored: its first ``ERROR_KEPT`` characters, and how long it was."""
    if error is None or len(error) <= ERROR_KEPT:
        return error
    return f"{error[:ERROR_KEPT]}… (cut: {len(error):,} characters in all)"


@dataclass(frozen=True, slots=True)
class AttemptRecord:
    at: datetime
    status_code: int | None
    latency_ms: float
    error: str | None = None

    def to_json(self) -> str:
        return json.dumps(
            {
                "at": codec.iso(self.at),
                "status_code": self.status_code,
                "latency_ms": round(self.latency_ms, 1),
                "error": kept_error(self.error),
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> AttemptRecord:
        data = json.loads(text)
        at = codec.parse_iso(data["at"])
        assert at is not None
        return cls(at, data.get("status_code"), float(data.get("latency_ms", 0)), data.get("error"))


@dataclass(frozen=True, slots=True)
class Delivery:
    id: str
    subscription_id: str
    event_id: str
    type: str
    status: str  # pending | succeeded | failed
    attempts: int  # in the current round of the schedule
    created_at: datetime
    next_attempt: datetime | None
    last_attempt: datetime | None
    last_status: int | None
    last_error: str | None
    body_id: str  # the body it sends (``body_id_for``)


@dataclass(frozen=True, slots=True)
class Outcome:
    """One finished attempt to record: what happened and what comes next."""

    claim: Claim
    outcome: str  # succeeded | retry | failed | gone | expired
    attempts_made: int
    next_attempt: datetime | None
    attempt: AttemptRecord

    @classmethod
    def expired(cls, claim: Claim, *, now: datetime) -> Outcome:
        """A claim whose body was gone: finished as failed without a request, the reason
        in its attempt log (``EXPIRED_ATTEMPT``). A claim whose record is gone finishes
        the same way: it only leaves the queue (``COMPLETE`` writes no record back)."""
        why = AttemptRecord(now, None, 0.0, EXPIRED_ATTEMPT)
        return cls(claim, "expired", claim.attempts, None, why)

    def body_seconds(self, retention_seconds: int) -> int:
        """How long its body must be kept from now: a retention, after the next attempt
        when one is scheduled (a finished delivery's record lasts a retention, and a
        pending one may send the body at its next attempt)."""
        if self.next_attempt is None:
            return retention_seconds
        wait = (self.next_attempt - self.attempt.at).total_seconds()
        return retention_seconds + max(math.ceil(wait), 0)


@dataclass(frozen=True, slots=True)
class Completion:
    applied: bool  # False when the lease was lost: another worker owns the delivery now
    failing_since: datetime | None


class DeliveryStore:
    def __init__(self, redis: RedisClient, keys: Keys, *, retention_seconds: int = 30 * 86_400):
        self.redis = redis
        self.keys = keys
        self.retention_seconds = retention_seconds
        self._enqueue = redis.register_script(ENQUEUE)
        self._claim = redis.register_script(CLAIM)
        self._complete = redis.register_script(COMPLETE)
        self._redeliver = redis.register_script(REDELIVER)
        self._park = redis.register_script(PARK)
        self._templates = _Templates.of(keys)

    async def enqueue(
        self,
        *,
        event_id: str,
        event_type: str,
        body: bytes,
        subscription_ids: Iterable[str],
        now: datetime,
    ) -> list[str]:
        """Queue one delivery of ``body`` per subscription, due now; returns the new ids."""
        [created] = await self.enqueue_many(
            [NewEvent(event_id, event_type, body, list(subscription_ids))], now=now
        )
        return created

    async def enqueue_many(self, events: Sequence[NewEvent], *, now: datetime) -> list[list[str]]:
        """``enqueue`` for a batch of events: one script call per event, one round trip."""
        now_ms, now_iso = ms(now), codec.iso(now)
        chunks = list(_chunks(events))
        if not chunks:
            return [[] for _ in events]
        async with self.redis.pipeline(transaction=False) as pipe:
            for _, event, subscription_ids in chunks:
                body_id = event.body_id or event.event_id
                keys = [self.keys.webhook_body(body_id), self.keys.due_endpoints]
                args: list[Any] = [
                    event.body,
                    self.retention_seconds,
                    event.event_id,
                    event.event_type,
                    now_ms,
                    now_iso,
                    LOG_KEPT,
                    body_id,
                ]
                for sub_id in subscription_ids:
                    delivery_id = delivery_id_for(sub_id, event.event_id)
                    keys += (
                        self.keys.delivery(delivery_id),
                        self.keys.due_deliveries(sub_id),
                        self.keys.subscription_deliveries(sub_id),
                    )
                    args += (sub_id, delivery_id)
                await self._enqueue(keys=keys, args=args, client=pipe)
            replies = await pipe.execute()
        flags_of: dict[int, list[int]] = {}
        for (n, _, _), flags in zip(chunks, replies, strict=True):
            flags_of.setdefault(n, []).extend(flags)
        out = []
        for n, event in enumerate(events):
            flags = flags_of.get(n, [])
            out.append(
                [
                    delivery_id_for(sub_id, event.event_id)
                    for sub_id, new in zip(event.subscription_ids, flags, strict=True)
                    if new
                ]
            )
        return out

    async def claim(
        self,
        *,
        now: datetime,
        lease_seconds: float,
        budget: int,
        default_cap: int,
        caps: Mapping[str, int],
    ) -> list[Claim]:
        """Take up to ``budget`` due deliveries, at most ``caps.get(endpoint, default_cap)``
        per endpoint, leasing each for ``lease_seconds``."""
        lease = ms(now) + int(lease_seconds * 1000)
        args: list[object] = [
            self.keys.due_deliveries_prefix,
            ms(now),
            lease,
            budget,
            default_cap,
            *self._templates.delivery,
            *self._templates.body,
            DELIVERY_FORMAT,
            ms(now) + int(NEWER_FORMAT_WAIT * 1000),
            NEWER_FORMAT_MOVES,
        ]
        for sub_id, cap in caps.items():
            args += [sub_id, cap]
        flat = await self._claim(keys=[self.keys.due_endpoints], args=args)
        return [
            Claim(
                flat[i],
                flat[i + 1],
                lease,
                flat[i + 2],
                int(flat[i + 3] or 0),
                flat[i + 4],
                bool(flat[i + 5]),
            )
            for i in range(0, len(flat), 6)
        ]

    async def bodies(self, body_ids: Iterable[str]) -> dict[str, bytes]:
        """The stored bodies of these ids (``body_id_for``; missing ones left out), in one
        MGET."""
        wanted = sorted(set(body_ids))
        if not wanted:
            return {}
        found = await self.redis.mget([self.keys.webhook_body(e) for e in wanted])
        return {e: b.encode("utf-8") for e, b in zip(wanted, found, strict=True) if b is not None}

    async def complete_many(self, items: Sequence[Outcome]) -> list[Completion]:
        """Record attempts and move each delivery on (retry at its ``next_attempt``, or
        finish), in one script call (atomic as a whole)."""
        if not items:
            return []
        keys = [self.keys.due_endpoints]
        args: list[Any] = [self.retention_seconds, ATTEMPTS_KEPT]
        for item in items:
            claim, attempt = item.claim, item.attempt
            keys += (
                self.keys.delivery(claim.delivery_id),
                self.keys.delivery_attempts(claim.delivery_id),
                self.keys.due_deliveries(claim.subscription_id),
                self.keys.subscription(claim.subscription_id),
                # None only in a claim whose record is gone: the script then changes nothing.
                self.keys.webhook_body(claim.body_id or ""),
            )
            args += (
                claim.delivery_id,
                claim.subscription_id,
                claim.lease,
                item.outcome,
                ms(item.next_attempt) if item.next_attempt else 0,
                codec.iso(item.next_attempt) or "",
                attempt.to_json(),
                item.attempts_made,
                codec.iso(attempt.at),
                "" if attempt.status_code is None else attempt.status_code,
                kept_error(attempt.error) or "",
                item.body_seconds(self.retention_seconds),
            )
        flat = await self._complete(keys=keys, args=args)
        return [
            Completion(bool(flat[i]), codec.parse_iso(flat[i + 1] or None))
            for i in range(0, len(flat), 2)
        ]

    async def park(self, claim: Claim, *, now: datetime) -> None:
        """Hand back a claim untouched (its endpoint is disabled): due again, not attempted."""
        await self._park(
            keys=[self.keys.due_deliveries(claim.subscription_id), self.keys.due_endpoints],
            args=[claim.delivery_id, claim.lease, ms(now), claim.subscription_id],
        )

    async def redeliver(self, delivery_id: str, *, now: datetime) -> Redelivery:
        """Queue a finished delivery again (same webhook-id, a fresh schedule)."""
        sub_id, event_id, body_id = await self.redis.hmget(
            self.keys.delivery(delivery_id), ["sub", "event", "body"]
        )
        if sub_id is None or event_id is None:
            return Redelivery.UNKNOWN
        return Redelivery(
            await self._redeliver(
                keys=[
                    self.keys.delivery(delivery_id),
                    self.keys.due_deliveries(sub_id),
                    self.keys.due_endpoints,
                    self.keys.delivery_attempts(delivery_id),
                    self.keys.subscription(sub_id),
                    self.keys.webhook_body(body_id or event_id),
                ],
                args=[delivery_id, sub_id, ms(now), codec.iso(now), self.retention_seconds],
            )
        )

    async def has_body(self, delivery: Delivery) -> bool:
        """Whether the body ``delivery`` sends is still stored (a redelivery needs it)."""
        return bool(await self.redis.exists(self.keys.webhook_body(delivery.body_id)))

    async def get(self, delivery_id: str) -> Delivery | None:
        row = await self.redis.hgetall(self.keys.delivery(delivery_id))
        return _delivery(delivery_id, row) if row.get("event") else None

    async def attempts(self, delivery_id: str) -> list[AttemptRecord]:
        rows = await self.redis.lrange(self.keys.delivery_attempts(delivery_id), 0, -1)
        return [AttemptRecord.from_json(r) for r in rows]

    async def page_for(
        self, sub_id: str, *, before: str | None, limit: int
    ) -> tuple[list[tuple[Delivery, list[AttemptRecord]]], str | None]:
        """The subscription's deliveries, newest first; pass the returned cursor as ``before``."""
        top = f"({before}" if before else "+"
        members = await self.redis.zrevrangebylex(
            self.keys.subscription_deliveries(sub_id), top, "-", start=0, num=limit + 1
        )
        page = members[:limit]
        ids = [log_member_id(m) for m in page]
        async with self.redis.pipeline(transaction=False) as pipe:
            for delivery_id in ids:
                pipe.hgetall(self.keys.delivery(delivery_id))
                pipe.lrange(self.keys.delivery_attempts(delivery_id), 0, -1)
            replies = await pipe.execute()
        items = []
        for i, delivery_id in enumerate(ids):
            row, attempts = replies[2 * i], replies[2 * i + 1]
            if row.get("event"):
                records = [AttemptRecord.from_json(a) for a in attempts]
                items.append((_delivery(delivery_id, row), records))
        return items, (page[-1] if len(members) > limit else None)


@dataclass(frozen=True, slots=True)
class _Templates:
    """Key names as (head, tail) around an id, for the claim script, which finds the
    deliveries it takes and their bodies itself and builds their keys (``head .. id ..
    tail``): keys.py stays the only place that spells them."""

    delivery: tuple[str, str]
    body: tuple[str, str]

    @classmethod
    def of(cls, keys: Keys) -> _Templates:
        def split(name: Callable[[str], str]) -> tuple[str, str]:
            head, _, tail = name(_HOLE).partition(_HOLE)
            return head, tail

        return cls(delivery=split(keys.delivery), body=split(keys.webhook_body))


_HOLE = "\x00"


def _chunks(events: Sequence[NewEvent]) -> Iterator[tuple[int, NewEvent, Sequence[str]]]:
    """(index, event, slice of its subscriptions) with at most ``ENQUEUE_CHUNK`` per
    slice: one script call per slice keeps Redis free for other clients between calls
    (a script runs alone)."""
    for n, event in enumerate(events):
        ids = event.subscription_ids
        for start in range(0, len(ids), ENQUEUE_CHUNK):
            yield n, event, ids[start : start + ENQUEUE_CHUNK]


def log_member_id(member: str) -> str:
    """The delivery id inside a delivery-log member ("{created ms}:{id}")."""
    return member.partition(":")[2]


def _delivery(delivery_id: str, row: dict[str, str]) -> Delivery:
    status = row.get("last_status")
    return Delivery(
        id=delivery_id,
        subscription_id=row["sub"],
        event_id=row["event"],
        type=row.get("type", ""),
        status=row.get("status", "pending"),
        attempts=int(row.get("attempts", "0")),
        created_at=codec.parse_iso(row.get("created_at")) or datetime.fromtimestamp(0, UTC),
        next_attempt=codec.parse_iso(row.get("next_attempt")),
        last_attempt=codec.parse_iso(row.get("last_attempt")),
        last_status=int(status) if status else None,
        last_error=row.get("last_error") or None,
        body_id=row.get("body") or row["event"],
    )
