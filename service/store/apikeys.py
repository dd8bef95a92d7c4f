"""Admin API keys, stored as SHA-256 digests (never the key itself).

Why a fast hash is enough here: slow password hashes (bcrypt, argon2) exist to make
guessing *low-entropy* human passwords expensive. Our keys are 32 bytes from the OS
CSPRNG (256 bits), so guessing is hopeless at any hash speed, and a fast, unsalted
digest lets a request find its key with one HGET. A Redis dump therefore reveals no
usable key. The lookup is by digest, which an attacker cannot steer byte by byte, so
it leaks nothing through timing; the one comparison with a configured key
(``BRIEFING_ADMIN_KEY``) is constant-time (service/api/auth.py).
"""

from __future__ import annotations

import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from service.clock import utcnow
from service.store import codec
from service.store.connection import RedisClient
from service.store.keys import Keys

if TYPE_CHECKING:
    from service.store import Store

KEY_PREFIX = "lbk_"
KEY_BYTES = 32


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class ApiKeyInfo:
    digest: str
    name: str
    created_at: datetime | None


class ApiKeyStore:
    def __init__(self, redis: RedisClient, keys: Keys) -> None:
        self.redis = redis
        self.keys = keys

    async def create(self, name: str, *, now: datetime) -> str:
        """A new key, returned once; only its digest is stored."""
        key = KEY_PREFIX + secrets.token_urlsafe(KEY_BYTES)
        record = json.dumps({"name": name, "created_at": codec.iso(now)})
        await self.redis.hset(self.keys.api_keys, key_digest(key), record)
        return key

    async def lookup(self, key: str) -> ApiKeyInfo | None:
        digest = key_digest(key)
        raw = await self.redis.hget(self.keys.api_keys, digest)
        return None if raw is None else _info(digest, raw)

    async def list(self) -> list[ApiKeyInfo]:
        records = await self.redis.hgetall(self.keys.api_keys)
        return sorted((_info(d, raw) for d, raw in records.items()), key=lambda i: i.name)

    async def revoke(self, digest: str) -> bool:
        return bool(await self.redis.hdel(self.keys.api_keys, digest))


def _info(digest: str, raw: str) -> ApiKeyInfo:
    data = json.loads(raw)
    return ApiKeyInfo(digest, data.get("name", ""), codec.parse_iso(data.get("created_at")))


async def create_api_key(store: Store, name: str, *, now: datetime | None = None) -> str:
    """For ``briefing keys create``: a new admin key, printed once by the CLI."""
    created = now or utcnow()
    return await ApiKeyStore(store.redis, store.keys).create(name, now=created)
