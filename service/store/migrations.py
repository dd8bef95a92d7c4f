"""The stored data format: one version for everything under a key prefix, and the ordered
migrations that move a store from one version to the next.

The pattern is Miniflux's (internal/database/migrations.go): a list of migrations in the
order they were written, the stored version saying how many of them a store has had. Here
version 1 is the format before any migration, so this code reads and writes
``DATA_FORMAT = 1 + len(MIGRATIONS)``, and ``MIGRATIONS[i]`` moves a store from version
``i + 1`` to ``i + 2``.

``check_data_format`` runs when a ``briefing`` command opens the store: a store with no
version is new and gets this one; a store of any other version is refused with
``DataFormatError`` before anything reads it (an older one needs ``briefing migrate``; a
newer one was written by a newer release, whose shapes this code would misread).
``migrate`` applies the missing migrations in order, writing the version after each.

A migration runs with every other ``briefing`` process stopped, and must be safe to run
again from its start: the version moves only once it has completed, so one interrupted
midway runs again whole.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from redis.exceptions import RedisError

from service.store.connection import RedisClient, write_refusal
from service.store.keys import Keys

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Migration:
    """One step of the stored format: ``apply`` rewrites what the previous version stored."""

    summary: str  # what it changes, as ``briefing migrate`` reports it
    apply: Callable[[RedisClient, Keys], Awaitable[None]]


# In the order they were written; append, never edit or reorder one that was released.
MIGRATIONS: tuple[Migration, ...] = ()

DATA_FORMAT = 1 + len(MIGRATIONS)


class DataFormatError(Exception):
    """The store holds a data format this code does not read (the message says what to do)."""


async def check_data_format(
    redis: RedisClient,
    keys: Keys,
    migrations: Sequence[Migration] = MIGRATIONS,
    *,
    unrecorded: bool = True,
) -> int:
    """The store's data format, which is this code's: written if the store has none yet
    (SET NX, so concurrent first starts agree); any other raises ``DataFormatError``.
    Read first, and written only when missing: Redis at ``maxmemory`` refuses a SET even
    of a key that exists, and a store that has its format must still open then. A new
    store whose format Redis refuses to record (full, unable to save, a replica: nothing
    of it can be written either) opens as this code's, unrecorded, unless ``unrecorded``
    is False: then the refusal is raised. A process records it before its first write
    (``unrecorded=False``): data written without it would be taken for a new store's by
    the next start, whose release would then skip the migrations it needs."""
    current = 1 + len(migrations)
    if await redis.get(keys.data_format) is None:
        try:
            await redis.set(keys.data_format, current, nx=True)
        except RedisError as exc:
            refusal = write_refusal(exc)
            if refusal is None or not unrecorded:
                raise
            log.warning(
                "new store: data format %d not recorded (Redis refuses writes: %s); the "
                "first start that can write records it",
                current,
                refusal,
            )
            return current
    stored = await _stored_format(redis, keys)
    if stored > current:
        raise DataFormatError(_newer(keys, stored, current))
    if stored < current:
        raise DataFormatError(
            f"the store ({keys.data_format}) holds data format {stored}, older than the "
            f"{current} this release reads: stop every briefing process, then run "
            "`briefing migrate`"
        )
    return stored


async def migrate(
    redis: RedisClient, keys: Keys, migrations: Sequence[Migration] = MIGRATIONS
) -> list[str]:
    """Bring the store to this code's data format; returns a line per thing done."""
    current = 1 + len(migrations)
    if await redis.set(keys.data_format, current, nx=True):
        return [f"new store: data format {current} written"]
    stored = await _stored_format(redis, keys)
    if stored > current:
        raise DataFormatError(_newer(keys, stored, current))
    if stored == current:
        return [f"data format {current}: up to date, nothing to migrate"]
    done = []
    for version, migration in enumerate(migrations[stored - 1 :], start=stored + 1):
        await migration.apply(redis, keys)
        await redis.set(keys.data_format, version)
        done.append(f"data format {version - 1} -> {version}: {migration.summary}")
    return done


async def _stored_format(redis: RedisClient, keys: Keys) -> int:
    raw = await redis.get(keys.data_format)
    try:
        stored = int(raw or "")
    except ValueError:
        stored = 0
    if stored < 1:
        raise DataFormatError(
            f"the store's data format ({keys.data_format}) is {raw!r}, not a version: "
            "this key is written by briefing and must not be edited"
        )
    return stored


def _newer(keys: Keys, stored: int, current: int) -> str:
    return (
        f"the store ({keys.data_format}) holds data format {stored}, written by a newer "
        f"release; this one reads format {current}: run the newer release, or restore a "
        "backup taken before the upgrade"
    )
