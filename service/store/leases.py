"""Process-partition leases: the one process stage allowed to cluster a partition.

A lease is a string key (``Keys.process_lease``) holding its holder's token, with a PX
expiry its holder keeps renewing. Taking and renewing is one script (renew if ours, else
take it if free), giving back deletes it only if it is still ours, so a holder that
stalled past its lease never takes or drops its successor's. Story writes are fenced by
the same key (``write_fenced`` in service/store/stories.py).

The script tells a renewal from a fresh take: a lease its holder finds free had expired
(the holder renewed late), and another process may have held it and clustered in between,
so the holder's memory of the partition is no longer to be trusted.
"""

from __future__ import annotations

from enum import IntEnum

from service.store.connection import RedisClient

# KEYS[1]: the lease; ARGV: token, lease ms. 2: renewed (it was ours), 1: taken (it was
# free), 0: another token holds it.
RENEW_LEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 2
end
return redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) and 1 or 0
"""
# KEYS[1]: the lease; ARGV[1]: token.
RELEASE_LEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class Held(IntEnum):
    """What a take-or-renew found; true when the token holds the lease afterwards."""

    NOT = 0  # another token holds it
    TAKEN = 1  # it was free: held afresh (by anyone in between, as far as the holder knows)
    KEPT = 2  # it was still the token's: held without a break


class Leases:
    def __init__(self, redis: RedisClient) -> None:
        self.redis = redis
        self._renew = redis.register_script(RENEW_LEASE)
        self._release = redis.register_script(RELEASE_LEASE)

    async def hold(self, key: str, token: str, lease_ms: int) -> Held:
        """Take the lease ``key`` for ``token``, or renew it if ``token`` holds it; true
        when ``token`` holds it for the next ``lease_ms``."""
        return Held(int(await self._renew(keys=[key], args=[token, lease_ms])))

    async def release(self, key: str, token: str) -> None:
        """Give the lease back if ``token`` still holds it."""
        await self._release(keys=[key], args=[token])
