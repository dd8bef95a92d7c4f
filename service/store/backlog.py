"""How far behind the process stage is: the age of the oldest entry it has not finished.

Read by the fetch scheduler's backpressure (workers/claim_loop.py): while the process
stage is behind, fetchers defer polls (within a bound) instead of adding to its backlog.

The age is that of the oldest entry of any partition's entries stream that the process
group has not acknowledged: either not read yet (the first entry after the group's
last-delivered id) or read and still pending (XPENDING's smallest id). Stream ids start
with the epoch milliseconds of the XADD (Redis streams: "<ms>-<seq>"), so no entry has to
be decoded. The same measure as ``briefing_stream_lag_seconds`` (unread) and the oldest
unacknowledged entry's age (pending), taken together.

One script call per partition stream, all in one pipeline (one round trip): each call
touches one key, so it runs on Redis Cluster too (partition streams hash to their own
slots: service/store/keys.py).
"""

from __future__ import annotations

import time

from service.store.connection import RedisClient
from service.store.keys import ENTRIES_GROUP, Keys
from service.store.partitions import partition_count

# KEYS[1]: a stream; ARGV[1]: the group. Returns the ms part of the oldest id the group
# has not acknowledged, or -1 (nothing outstanding, no stream, no group yet).
OLDEST_OUTSTANDING = """
if redis.call('EXISTS', KEYS[1]) == 0 then return -1 end
local last = nil
for _, group in ipairs(redis.call('XINFO', 'GROUPS', KEYS[1])) do
  local name, delivered = nil, nil
  for i = 1, #group, 2 do
    if group[i] == 'name' then name = group[i + 1] end
    if group[i] == 'last-delivered-id' then delivered = group[i + 1] end
  end
  if name == ARGV[1] then last = delivered end
end
if last == nil then return -1 end
local oldest = -1
local pending = redis.call('XPENDING', KEYS[1], ARGV[1])
if pending[1] > 0 then
  oldest = tonumber(string.match(pending[2], '^(%d+)'))
end
local unread = redis.call('XRANGE', KEYS[1], '(' .. last, '+', 'COUNT', 1)
if #unread > 0 then
  local ms = tonumber(string.match(unread[1][1], '^(%d+)'))
  if oldest < 0 or ms < oldest then oldest = ms end
end
return oldest
"""


# The partition count is set once by the first process worker and read again this often:
# one round trip less on every claim tick (ticks run every 0.5 s on a busy loop).
PARTITIONS_TTL = 30.0


class Backlog:
    def __init__(self, redis: RedisClient, keys: Keys) -> None:
        self.redis = redis
        self.keys = keys
        self._oldest = redis.register_script(OLDEST_OUTSTANDING)
        self._partitions: tuple[int, float] | None = None  # (count, monotonic time read)

    async def _partition_count(self) -> int:
        now = time.monotonic()
        if self._partitions is None or now - self._partitions[1] > PARTITIONS_TTL:
            count = await partition_count(self.redis, self.keys)
            self._partitions = (count, now)
        return self._partitions[0]

    async def entries_age(self, *, now_ms: int) -> float:
        """Seconds since the oldest entry the process stage has not acknowledged was
        added (0 when it is caught up)."""
        partitions = await self._partition_count()
        async with self.redis.pipeline(transaction=False) as pipe:
            for partition in range(partitions):
                await self._oldest(
                    keys=[self.keys.entries(partition)], args=[ENTRIES_GROUP], client=pipe
                )
            oldest = [int(ms) for ms in await pipe.execute() if int(ms) >= 0]
        return max(0, now_ms - min(oldest)) / 1000 if oldest else 0.0
