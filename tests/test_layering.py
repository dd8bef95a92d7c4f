"""Only ``service/store/`` talks to Redis (README, Architecture), and only
``service/clock.py`` reads the wall clock.

Every module of ``service/`` and ``workers/`` outside ``service/store/`` is parsed and
checked for what would talk to Redis directly: importing redis-py, calling a method of a
Redis client or pipeline, reaching into a client's connection pool, or carrying Lua. Passing
a client object on (to a store class) is fine: the store is what calls it. Every module but
the clock is checked for reads of the wall clock (``datetime.now()``, ``time.time()``, ...);
monotonic timers for durations and timeouts are not the wall clock.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import redis.asyncio

ROOT = Path(__file__).resolve().parent.parent
STORE = ROOT / "service" / "store"

# Every method of a redis-py client: called on something named ``redis`` or ``pipe``.
CLIENT_METHODS = frozenset(name for name in dir(redis.asyncio.Redis) if not name.startswith("_"))
CLIENT_NAMES = frozenset({"redis", "pipe"})
# Client methods whose names say Redis whatever they are called on (``get`` or ``set``
# could be a dict's or an event's; ``xadd`` or ``hincrby`` cannot).
REDIS_ONLY = frozenset(
    name
    for name in CLIENT_METHODS
    if re.fullmatch(
        r"(x|z|h|bz|bl|br)[a-z_]+|[lr](push|pop|range|trim|len|rem|index|insert|pos)[a-z_]*"
        r"|s(add|rem|card|members|ismember|mismember|pop|randmember|inter|union|diff|move)"
        r"[a-z_]*|(p?expire|incr|decr|mget|mset|setnx|setex|psetex|getset|getdel|getex"
        r"|evalsha|eval|fcall|script_|register_script|execute_command|persist|p?ttl)[a-z_]*",
        name,
    )
)


CLOCK = ROOT / "service" / "clock.py"
WALL_CLOCK = frozenset(
    {("datetime", "now"), ("datetime", "utcnow"), ("date", "today"), ("time", "time")}
)


def modules(*, store: bool = False) -> list[Path]:
    found = [
        path
        for package in ("service", "workers")
        for path in sorted((ROOT / package).rglob("*.py"))
        if store or STORE not in path.parents
    ]
    assert len(found) > 50  # the tree is where this test expects it
    return found


def _receiver(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def violations(source: str) -> list[str]:
    """What in ``source`` talks to Redis directly, one line per finding."""
    found = []
    for node in ast.walk(ast.parse(source)):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Import):
            found += [f"{line}: import {a.name}" for a in node.names if _is_redis(a.name)]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and _is_redis(node.module):
            found.append(f"{line}: from {node.module} import")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            name, receiver = node.func.attr, _receiver(node.func.value)
            if name in REDIS_ONLY or (name in CLIENT_METHODS and receiver in CLIENT_NAMES):
                found.append(f"{line}: {receiver}.{name}()")
        elif isinstance(node, ast.Attribute) and node.attr == "connection_pool":
            found.append(f"{line}: .connection_pool")
        elif isinstance(node, ast.Constant) and "redis.call(" in str(node.value):
            found.append(f"{line}: Lua")
    return sorted(found, key=lambda finding: int(finding.partition(":")[0]))


def clock_reads(source: str) -> list[str]:
    """The wall-clock reads in ``source``, one line per finding."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        call = (_receiver(node.func.value), node.func.attr)
        if call in WALL_CLOCK:
            found.append(f"{node.lineno}: {call[0]}.{call[1]}()")
    return sorted(found, key=lambda finding: int(finding.partition(":")[0]))


def _is_redis(module: str | None) -> bool:
    return module is not None and (module == "redis" or module.startswith("redis."))


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_only_the_store_talks_to_redis(path: Path) -> None:
    assert violations(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "path",
    [p for p in modules(store=True) if p != CLOCK],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_only_the_clock_reads_the_wall_clock(path: Path) -> None:
    assert clock_reads(path.read_text(encoding="utf-8")) == []


def test_the_clock_check_tells_wall_clock_from_timers() -> None:
    source = """
now = datetime.now(UTC)
then = datetime.datetime.utcnow()
stamp = time.time()
started = time.monotonic()
elapsed = loop.time()
"""
    assert clock_reads(source) == ["2: datetime.now()", "3: datetime.utcnow()", "4: time.time()"]


def test_the_check_sees_each_kind_of_direct_use() -> None:
    source = """
import redis.asyncio
from redis.exceptions import WatchError
async def f(store, pipe, client):
    await store.redis.set("k", 1)
    pipe.xack("s", "g", "1-0")
    await client.hincrby("h", "f", 1)
    client.connection_pool.connection_kwargs
    SCRIPT = "return redis.call('GET', KEYS[1])"
"""
    assert violations(source) == [
        "2: import redis.asyncio",
        "3: from redis.exceptions import",
        "5: redis.set()",
        "6: pipe.xack()",
        "7: client.hincrby()",
        "8: .connection_pool",
        "9: Lua",
    ]


def test_the_check_lets_store_objects_be_passed_and_called() -> None:
    source = """
async def f(store, stop, found):
    timelines = Timelines(store.redis, store.keys)
    await store.feeds.claim_due(now=1, limit=2)
    stop.set()
    found.get("k")
"""
    assert violations(source) == []
