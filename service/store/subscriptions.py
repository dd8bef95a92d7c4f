"""Webhook subscriptions: target, event types, filters, encrypted secrets, health.

One hash per subscription plus a set of ids. Secrets are stored encrypted
(service/webhooks/secretbox.py); during a rotation the previous secret is kept, still
encrypted, until ``old_secret_until`` so deliveries carry both signatures (Standard
Webhooks, "Secret rotation"). Every change bumps ``subs:version``: notifiers keep the
subscriptions in memory and reload only when the version moves.

Disabling removes the endpoint from ``wh:due`` (its pending deliveries stay queued,
untouched); enabling puts it back at its earliest due delivery, so nothing is lost.
"""

from __future__ import annotations

import json
import secrets as random_ids
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from service.store import codec
from service.store.connection import RedisClient
from service.store.keys import Keys
from service.webhooks import signing
from service.webhooks.filters import Filters
from service.webhooks.secretbox import SecretBox

ROTATION_OVERLAP = timedelta(hours=24)
ACTIVE, DISABLED = "active", "disabled"

# Every change below writes only when the subscription still exists, checked in the same
# script: a change racing a DELETE must not leave a partial hash behind (one without a
# url or secret, which reads back as a broken subscription), and it writes only the
# fields it changes, so two concurrent changes of different fields both stay.

# KEYS: subscription, version. ARGV: field1, value1, field2, value2, ...
# 1 when written, 0 when there is no such subscription.
SET_FIELDS = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV))
redis.call('INCR', KEYS[2])
return 1
"""

# KEYS: subscription, version. ARGV: new encrypted secret, old_secret_until, updated_at.
# The secret that signs now becomes the old one, read here: of two concurrent rotations
# the second keeps the first's secret signing, not the one both started from.
ROTATE = """
local current = redis.call('HGET', KEYS[1], 'secret_token')
if not current then return 0 end
redis.call('HSET', KEYS[1], 'secret_token', ARGV[1], 'old_secret_token', current,
           'old_secret_until', ARGV[2], 'updated_at', ARGV[3])
redis.call('INCR', KEYS[2])
return 1
"""

# KEYS: subscription, version, due endpoints, its due deliveries. ARGV: id, updated_at,
# ACTIVE.
# Back in ``wh:due`` at its earliest due delivery, so nothing queued is lost.
ENABLE = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'status', ARGV[3], 'updated_at', ARGV[2])
redis.call('HDEL', KEYS[1], 'disabled_reason', 'disabled_at', 'failing_since')
local first = redis.call('ZRANGE', KEYS[4], 0, 0, 'WITHSCORES')
if first[2] then redis.call('ZADD', KEYS[3], 'LT', first[2], ARGV[1]) end
redis.call('INCR', KEYS[2])
return 1
"""

# KEYS: subscription, version, due endpoints. ARGV: id, reason, disabled_at, DISABLED.
DISABLE = """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'status', ARGV[4], 'disabled_reason', ARGV[2],
           'disabled_at', ARGV[3])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('INCR', KEYS[2])
return 1
"""


# Delete a subscription with its queue, its delivery log and every delivery they list,
# given the deliveries the caller knows of: the keys of a delivery found only by reading
# the queue and log are not built here (Redis wants every key a script touches passed in
# KEYS). A delivery in the queue or log that the caller did not name (queued or
# redelivered since it last looked) stops the delete: nothing is written, and those ids
# are returned for the caller to call again with them. Claims and completions only move
# or remove deliveries the queue holds, so they never make it call again.
# KEYS: subscriptions, subscription, its queue, its log, wh:due, version, then per named
# delivery: delivery(id), attempts(id). ARGV: subscription id, then the named ids.
# Returns {removed 0/1, {}} once deleted, {-1, ids not named} when nothing was.
DELETE = """
local named, unnamed = {}, {}
for i = 2, #ARGV do named[ARGV[i]] = true end
local function check(id)
  if not named[id] then named[id] = true; unnamed[#unnamed + 1] = id end
end
for _, id in ipairs(redis.call('ZRANGE', KEYS[3], 0, -1)) do check(id) end
-- A log member is "{created ms}:{id}" (deliveries.log_member_id).
for _, member in ipairs(redis.call('ZRANGE', KEYS[4], 0, -1)) do
  check(string.match(member, '^[^:]*:(.*)$') or '')
end
if #unnamed > 0 then return {-1, unnamed} end
local removed = redis.call('SREM', KEYS[1], ARGV[1])
redis.call('DEL', KEYS[2], KEYS[3], KEYS[4])
redis.call('ZREM', KEYS[5], ARGV[1])
redis.call('INCR', KEYS[6])
for i = 7, #KEYS do redis.call('DEL', KEYS[i]) end
return {removed, {}}
"""


@dataclass(frozen=True, slots=True)
class Subscription:
    id: str
    url: str
    events: tuple[str, ...]
    filters: Filters
    description: str
    status: str
    created_at: datetime
    updated_at: datetime
    secret_token: str  # encrypted
    old_secret_token: str | None = None  # encrypted; signs beside the new one until...
    old_secret_until: datetime | None = None
    disabled_reason: str | None = None
    disabled_at: datetime | None = None
    failing_since: datetime | None = None

    @property
    def active(self) -> bool:
        return self.status == ACTIVE

    def secret_tokens(self, *, now: datetime) -> list[str]:
        """Encrypted secrets to sign with, newest first (the old one while it overlaps)."""
        tokens = [self.secret_token]
        if self.old_secret_token and self.old_secret_until and now < self.old_secret_until:
            tokens.append(self.old_secret_token)
        return tokens


class SubscriptionStore:
    def __init__(self, redis: RedisClient, keys: Keys, box: SecretBox) -> None:
        self.redis = redis
        self.keys = keys
        self.box = box
        self._set_fields = redis.register_script(SET_FIELDS)
        self._rotate = redis.register_script(ROTATE)
        self._enable = redis.register_script(ENABLE)
        self._disable = redis.register_script(DISABLE)
        self._delete = redis.register_script(DELETE)

    async def create(
        self, *, url: str, events: list[str], filters: Filters, description: str, now: datetime
    ) -> tuple[Subscription, str]:
        """A new subscription and its secret (returned once, stored encrypted)."""
        secret = signing.new_secret()
        sub = Subscription(
            id="sub_" + random_ids.token_hex(12),
            url=url,
            events=tuple(events),
            filters=filters,
            description=description,
            status=ACTIVE,
            created_at=now,
            updated_at=now,
            secret_token=self.box.encrypt(secret),
        )
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.hset(self.keys.subscription(sub.id), mapping=_to_hash(sub))
            pipe.sadd(self.keys.subscriptions, sub.id)
            pipe.incr(self.keys.subscriptions_version)
            await pipe.execute()
        return sub, secret

    async def get(self, sub_id: str) -> Subscription | None:
        data = await self.redis.hgetall(self.keys.subscription(sub_id))
        return _from_hash(sub_id, data) if data.get("url") else None

    async def version(self) -> int:
        return int(await self.redis.get(self.keys.subscriptions_version) or 0)

    async def all(self) -> list[Subscription]:
        ids = sorted(await self.redis.smembers(self.keys.subscriptions))
        return await self._load(ids)

    async def page(self, *, after: str | None, limit: int) -> tuple[list[Subscription], str | None]:
        ids = sorted(await self.redis.smembers(self.keys.subscriptions))
        if after:
            ids = [i for i in ids if i > after]
        subs = await self._load(ids[:limit])
        return subs, (ids[limit - 1] if len(ids) > limit else None)

    async def update(
        self,
        sub_id: str,
        *,
        now: datetime,
        url: str | None = None,
        events: list[str] | None = None,
        filters: Filters | None = None,
        description: str | None = None,
    ) -> bool:
        """Write the fields given (None: unchanged); False when there is no such
        subscription (nothing written)."""
        given = {
            "url": url,
            "events": None if events is None else _events_field(events),
            "filters": None if filters is None else _filters_field(filters),
            "description": description,
            "updated_at": codec.iso(now),
        }
        args = [
            part for field, value in given.items() if value is not None for part in (field, value)
        ]
        return bool(await self._set_fields(keys=self._hash_and_version(sub_id), args=args))

    async def rotate_secret(self, sub_id: str, *, now: datetime) -> tuple[str, datetime] | None:
        """A new secret; the current one keeps signing beside it for ``ROTATION_OVERLAP``."""
        secret = signing.new_secret()
        until = now + ROTATION_OVERLAP
        args = [self.box.encrypt(secret), codec.iso(until), codec.iso(now)]
        if not await self._rotate(keys=self._hash_and_version(sub_id), args=args):
            return None
        return secret, until

    async def disable(self, sub_id: str, *, reason: str, now: datetime) -> None:
        """Stop deliveries (410 Gone, failing for days, or by hand); they stay queued."""
        keys = [*self._hash_and_version(sub_id), self.keys.due_endpoints]
        await self._disable(keys=keys, args=[sub_id, reason, codec.iso(now), DISABLED])

    async def enable(self, sub_id: str, *, now: datetime) -> None:
        queues = [self.keys.due_endpoints, self.keys.due_deliveries(sub_id)]
        keys = [*self._hash_and_version(sub_id), *queues]
        await self._enable(keys=keys, args=[sub_id, codec.iso(now), ACTIVE])

    def _hash_and_version(self, sub_id: str) -> list[str]:
        """The first two KEYS of every script above: the subscription and the version
        notifiers reload on."""
        return [self.keys.subscription(sub_id), self.keys.subscriptions_version]

    async def delete(self, sub_id: str) -> bool:
        """Remove the subscription with its queue and delivery log: every delivery the log
        lists, and every one still queued (the log keeps the newest ``LOG_KEPT``; a queued
        delivery that fell out of it has no expiry to end it). One script call does it
        all, so no reader (a claim, a retry's completion, a GET of a delivery) ever sees
        the subscription gone and its deliveries still there, and a crash leaves it whole
        or gone. The script is given the deliveries' keys, so it is called first with
        none and then with those it found (``DELETE``); it is called again only when a
        fan-out or a redelivery queued one more meanwhile, and each call learns those.
        A fan-out that read the subscriptions before the delete may still queue one after
        it (the notifier removes those)."""
        keys = [
            self.keys.subscriptions,
            self.keys.subscription(sub_id),
            self.keys.due_deliveries(sub_id),
            self.keys.subscription_deliveries(sub_id),
            self.keys.due_endpoints,
            self.keys.subscriptions_version,
        ]
        delivery_ids: list[str] = []
        while True:
            removed, unnamed = await self._delete(keys=keys, args=[sub_id, *delivery_ids])
            if removed >= 0:
                return bool(removed)
            delivery_ids += unnamed
            for delivery_id in unnamed:
                keys += (self.keys.delivery(delivery_id), self.keys.delivery_attempts(delivery_id))

    def secrets(self, sub: Subscription, *, now: datetime) -> list[str]:
        """Plain ``whsec_`` secrets to sign with, newest first."""
        return [self.box.decrypt(token) for token in sub.secret_tokens(now=now)]

    async def _load(self, ids: list[str]) -> list[Subscription]:
        async with self.redis.pipeline(transaction=False) as pipe:
            for sub_id in ids:
                pipe.hgetall(self.keys.subscription(sub_id))
            rows = await pipe.execute()
        return [_from_hash(i, row) for i, row in zip(ids, rows, strict=True) if row.get("url")]


def _events_field(events: Sequence[str]) -> str:
    return json.dumps(list(events))


def _filters_field(filters: Filters) -> str:
    return json.dumps(filters.to_dict(), ensure_ascii=False)


def _to_hash(sub: Subscription) -> dict[str, str]:
    values = {
        "url": sub.url,
        "events": _events_field(sub.events),
        "filters": _filters_field(sub.filters),
        "description": sub.description,
        "status": sub.status,
        "created_at": codec.iso(sub.created_at),
        "updated_at": codec.iso(sub.updated_at),
        "secret_token": sub.secret_token,
        "old_secret_token": sub.old_secret_token,
        "old_secret_until": codec.iso(sub.old_secret_until),
    }
    return {k: v for k, v in values.items() if v is not None}


def _from_hash(sub_id: str, data: dict[str, str]) -> Subscription:
    created = codec.parse_iso(data.get("created_at"))
    assert created is not None
    return Subscription(
        id=sub_id,
        url=data["url"],
        events=tuple(json.loads(data.get("events", "[]"))),
        filters=Filters.from_dict(json.loads(data.get("filters", "{}"))),
        description=data.get("description", ""),
        status=data.get("status", ACTIVE),
        created_at=created,
        updated_at=codec.parse_iso(data.get("updated_at")) or created,
        secret_token=data["secret_token"],
        old_secret_token=data.get("old_secret_token"),
        old_secret_until=codec.parse_iso(data.get("old_secret_until")),
        disabled_reason=data.get("disabled_reason"),
        disabled_at=codec.parse_iso(data.get("disabled_at")),
        failing_since=codec.parse_iso(data.get("failing_since")),
    )
