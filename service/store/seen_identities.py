"""Which entry identities are already stored: the fetch stage's read-only pre-filter.

A changed feed document lists its new item beside the ones already ingested (often one
new among up to 20 listed, so most of what a poll parses is already stored). Normalizing
an entry whose identity key exists is wasted work: the ingest script's first line answers
"duplicate" for it (service/store/articles.py, ``INGEST``). One MGET over the identity
keys of a parsed document tells which those are.

Only a pre-filter: the ingest script stays the authority on duplicates. A key that
appears after this read (another worker stored the entry meanwhile) makes the ingest
answer "duplicate", as without the check. A key that disappears after this read (an
identity tombstone expiring, service/store/retention.py) leaves the entry skipped for
this poll, exactly as if the ingest had run at the moment of the read; the next changed
document is checked again and ingests it.
"""

from __future__ import annotations

from service.store.connection import RedisClient
from service.store.keys import Keys


class IdentityStore:
    def __init__(self, redis: RedisClient, keys: Keys) -> None:
        self.redis = redis
        self.keys = keys

    def key(self, identity: str) -> str:
        """The identity key the ingest script checks (``ArticleStore.ingest``'s KEYS[1])."""
        return self.keys.identity_of(identity)

    async def stored(self, identities: list[str]) -> list[bool]:
        """For each identity, whether its key exists now (one round trip)."""
        if not identities:
            return []
        # MGET, not EXISTS: one command, one answer per key (EXISTS k1 k2 only counts).
        values = await self.redis.mget([self.key(i) for i in identities])
        return [value is not None for value in values]
