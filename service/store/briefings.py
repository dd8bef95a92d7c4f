"""Briefings in Redis: the config file seeds them once, the admin API edits them after.

    config file ──seed (only if never seeded)──► Redis ◄── admin API (create/replace/patch/delete)
                                                   │
                        version counter ───────────┴──► BriefingCache in each API process and
                                                        in the story stage (re-read on change)

Keys (service/store/keys.py): ``briefings`` HASH id -> JSON of the BriefingConfig fields,
``briefings:order`` ZSET id -> position (the file's order, then creation time: lists
keep a stable order, and a replace keeps its place), ``briefings:version`` STRING
counter. Every change bumps the version in the same transaction (MULTI or one script),
so a reader that saw version N and reads the hash at version N sees exactly that state.

The version key doubles as the "seeded" marker: it exists from the first seed on, even
when every briefing has since been deleted, so a restart never resurrects briefings an
admin removed. Version 0 means "never seeded": readers keep what they were given.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, fields, replace
from datetime import datetime
from typing import Any

from redis.exceptions import WatchError

from service.config import BriefingConfig
from service.store.connection import RedisClient, read_together, write_refusal
from service.store.keys import Keys

log = logging.getLogger(__name__)

_FIELDS = tuple(f.name for f in fields(BriefingConfig))
_LISTS = ("include", "exclude", "languages", "feeds", "places")

# KEYS: hash, order, version. ARGV: id, json, position. 1 when created, 0 when it exists.
CREATE = """
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], 'NX', ARGV[3], ARGV[1])
redis.call('INCR', KEYS[3])
return 1
"""

# KEYS: hash, order, version. ARGV: id1, json1, id2, json2, ... (in the file's order).
# Only when never seeded (no version key): 1 when seeded now, 0 when it already was.
SEED = """
if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
for i = 1, #ARGV, 2 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
  redis.call('ZADD', KEYS[2], (i - 1) / 2, ARGV[i])
end
redis.call('INCR', KEYS[3])
return 1
"""


def briefing_to_json(briefing: BriefingConfig) -> str:
    return json.dumps(asdict(briefing), ensure_ascii=False, separators=(",", ":"))


def briefing_from_json(text: str) -> BriefingConfig:
    data: dict[str, Any] = json.loads(text)
    values = {k: data[k] for k in _FIELDS if k in data}
    for key in _LISTS:
        values[key] = tuple(values.get(key, ()))
    return BriefingConfig(**values)


def _in_order(data: dict[str, str], order: list[str]) -> tuple[BriefingConfig, ...]:
    """The briefings of the hash in list order (ids missing from the order last, by id)."""
    rank = {briefing_id: i for i, briefing_id in enumerate(order)}
    ids = sorted(data, key=lambda b: (rank.get(b, len(rank)), b))
    return tuple(briefing_from_json(data[b]) for b in ids)


def _position(now: datetime) -> float:
    # Seeded briefings take 0, 1, 2, ...; created ones their epoch ms: always after them.
    return float(int(now.timestamp() * 1000))


class BriefingStore:
    def __init__(self, redis: RedisClient, keys: Keys) -> None:
        self.redis = redis
        self.keys = keys
        self._create = redis.register_script(CREATE)
        self._seed = redis.register_script(SEED)

    @property
    def _keys3(self) -> list[str]:
        k = self.keys
        return [k.briefings, k.briefings_order, k.briefings_version]

    async def version(self) -> int:
        """0 until the first seed; then bumped by every change."""
        return int(await self.redis.get(self.keys.briefings_version) or 0)

    async def snapshot(self) -> tuple[tuple[BriefingConfig, ...], int]:
        """Every briefing in list order, and the version they are at (read together)."""

        def reads(pipe: Any) -> None:
            pipe.hgetall(self.keys.briefings)
            pipe.zrange(self.keys.briefings_order, 0, -1)
            pipe.get(self.keys.briefings_version)

        data, order, version = await read_together(self.redis, reads)
        return _in_order(data, order), int(version or 0)

    async def all(self) -> tuple[BriefingConfig, ...]:
        return (await self.snapshot())[0]

    async def get(self, briefing_id: str) -> BriefingConfig | None:
        raw = await self.redis.hget(self.keys.briefings, briefing_id)
        return briefing_from_json(raw) if raw else None

    async def create(self, briefing: BriefingConfig, *, now: datetime) -> bool:
        """Add a briefing; False (and nothing written) when its id exists."""
        created = await self._create(
            keys=self._keys3, args=[briefing.id, briefing_to_json(briefing), _position(now)]
        )
        return bool(created)

    async def create_checked(
        self,
        briefing: BriefingConfig,
        check: Callable[[tuple[BriefingConfig, ...], tuple[int, ...]], None],
        *,
        now: datetime,
    ) -> bool:
        """``create``, once ``check`` accepted every briefing in list order with its story
        count as stored now (it raises to write nothing), as one transaction: optimistic
        (WATCH on the briefings, their order and each one's timeline the counts are read
        from), so ``check`` runs again when another writer or a new story got in between,
        and what it accepted is what the briefing was added to. False, and nothing
        written, when the id exists."""
        k = self.keys
        async with self.redis.pipeline(transaction=True) as pipe:
            while True:
                try:
                    await pipe.watch(k.briefings, k.briefings_order)
                    data = await pipe.hgetall(k.briefings)
                    current = _in_order(data, await pipe.zrange(k.briefings_order, 0, -1))
                    timelines = [k.briefing_stories(b.id, "updated") for b in current]
                    if timelines:
                        await pipe.watch(*timelines)
                    counts = tuple([int(await pipe.zcard(t)) for t in timelines])
                    check(current, counts)
                    if briefing.id in data:
                        await pipe.unwatch()
                        return False
                    pipe.multi()
                    pipe.hset(k.briefings, briefing.id, briefing_to_json(briefing))
                    pipe.zadd(k.briefings_order, {briefing.id: _position(now)}, nx=True)
                    pipe.incr(k.briefings_version)
                    await pipe.execute()
                    return True
                except WatchError:
                    continue

    async def put(self, briefing: BriefingConfig, *, now: datetime) -> bool:
        """Create or replace; True when it was created. A replace keeps the list position."""
        before, _after = await self.write(briefing.id, lambda _current, _n: briefing, now=now)
        return before is None

    async def update(
        self, briefing_id: str, change: Callable[[BriefingConfig], BriefingConfig]
    ) -> BriefingConfig | None:
        """Change one briefing atomically (``write``: two concurrent PATCHes never lose
        one); None, and nothing written, when there is none."""

        def decide(current: BriefingConfig | None, _stories: int) -> BriefingConfig | None:
            return None if current is None else change(current)

        return (await self.write(briefing_id, decide))[1]

    async def write(
        self,
        briefing_id: str,
        decide: Callable[[BriefingConfig | None, int], BriefingConfig | None],
        *,
        now: datetime | None = None,
    ) -> tuple[BriefingConfig | None, BriefingConfig | None]:
        """Read a briefing (None: there is none) and its story count, let ``decide`` say
        what it becomes (a briefing to write, None to delete; it raises to write
        nothing), and write that, as one transaction: optimistic (WATCH on the briefings
        and the timeline the count is read from), so ``decide`` runs again when another
        writer or a new story got in between, and what it decided on is what was
        replaced. ``now`` places a created briefing in the list (needed when ``decide``
        may create one). Returns (before, after)."""
        timeline = self.keys.briefing_stories(briefing_id, "updated")
        async with self.redis.pipeline(transaction=True) as pipe:
            while True:
                try:
                    await pipe.watch(self.keys.briefings, timeline)
                    raw = await pipe.hget(self.keys.briefings, briefing_id)
                    before = briefing_from_json(raw) if raw else None
                    after = decide(before, int(await pipe.zcard(timeline)))
                    if after is not None:
                        after = replace(after, id=briefing_id)
                    if before is None and after is None:
                        await pipe.unwatch()
                        return None, None
                    pipe.multi()
                    if after is None:
                        pipe.hdel(self.keys.briefings, briefing_id)
                        pipe.zrem(self.keys.briefings_order, briefing_id)
                    else:
                        pipe.hset(self.keys.briefings, briefing_id, briefing_to_json(after))
                        if before is None:
                            assert now is not None, "a write that may create needs its time"
                            position = {briefing_id: _position(now)}
                            pipe.zadd(self.keys.briefings_order, position, nx=True)
                    pipe.incr(self.keys.briefings_version)
                    await pipe.execute()
                    return before, after
                except WatchError:
                    continue

    async def delete(self, briefing_id: str) -> bool:
        """Remove a briefing; False when there was none. Its timeline index is left
        alone (see docs/api.md): retention trims it as its stories expire."""
        before, _after = await self.write(briefing_id, lambda _current, _n: None)
        return before is not None

    async def seed(self, briefings: Sequence[BriefingConfig]) -> bool:
        """Write the config file's briefings if the store was never seeded; True if now."""
        args: list[str] = []
        for briefing in briefings:
            args += [briefing.id, briefing_to_json(briefing)]
        return bool(await self._seed(keys=self._keys3, args=args))


class BriefingCache:
    """This process's copy of the briefings, re-read only when the version moved.

    ``refresh`` costs nothing until ``every`` seconds have passed since the last check,
    then one GET of the version; the briefings themselves are read only when it moved.
    Concurrent callers share one check (the first load is awaited by all; later ones
    go on with the current list meanwhile, so a slow Redis never stalls readers).
    While the store was never seeded (version 0) the ``initial`` briefings stand.

    A seed Redis refuses (full at ``maxmemory``, unable to save, a read-only replica:
    ``write_refusal``) leaves the store unseeded: readers get the ``initial`` list, and
    each later check tries the seed again. A writer calls :meth:`seeded` first, so no
    edit becomes the write that marks the store seeded without the seed's briefings.
    """

    def __init__(
        self,
        store: BriefingStore,
        *,
        initial: Sequence[BriefingConfig] = (),
        seed: Sequence[BriefingConfig] | None = None,
        every: float = 1.0,
    ) -> None:
        self.store = store
        self.briefings: tuple[BriefingConfig, ...] = tuple(initial)
        self.version = 0  # what ``briefings`` reflects; 0: the initial list
        self.every = every
        self._seed = tuple(seed) if seed is not None else None
        self._seed_refused = False  # logged once until a seed goes through
        self._checked_at: float | None = None
        self._loaded = False
        self._inflight: asyncio.Future[bool] | None = None

    def due(self, now: float) -> bool:
        """Whether ``refresh`` would do anything (callers skip the await when not)."""
        if not self._loaded:
            return True
        return self._checked_at is None or now - self._checked_at >= self.every

    async def refresh(self, *, now: float | None = None, force: bool = False) -> bool:
        """Re-read if due (or ``force``); True when ``briefings`` changed."""
        now = time.monotonic() if now is None else now
        if self._inflight is not None and not self._inflight.done():
            if not force:
                return False if self._loaded else await asyncio.shield(self._inflight)
            # A forced check follows a write: one that started before it may miss it.
            await asyncio.wait([self._inflight])
        elif not force and not self.due(now):
            return False
        self._checked_at = now
        self._inflight = asyncio.ensure_future(self._check())
        return await asyncio.shield(self._inflight)

    async def seeded(self) -> None:
        """Write the seed if it is still due; raises Redis's refusal when it is refused."""
        if self._seed is not None:
            await self.store.seed(self._seed)
            self._seed = None
            if self._seed_refused:
                self._seed_refused = False
                log.info("briefings seeded from the config file now that Redis takes writes")

    async def _check(self) -> bool:
        try:
            try:
                await self.seeded()
            except Exception as exc:
                refusal = write_refusal(exc)
                if refusal is None:
                    raise
                if not self._seed_refused:
                    self._seed_refused = True
                    log.warning(
                        "briefings not seeded: Redis refuses writes (%s); serving the config "
                        "file's briefings until a seed goes through",
                        refusal,
                    )
            version = await self.store.version()
            if version == 0 or version == self.version:
                return False
            briefings, version = await self.store.snapshot()
            changed = briefings != self.briefings
            self.briefings, self.version = briefings, version
            return changed
        except BaseException:
            self._checked_at = None  # try again on the next call rather than in `every` s
            raise
        finally:
            self._loaded = True
