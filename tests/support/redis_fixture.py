"""A real Redis for tests: ``REDIS_URL`` if set, else one embedded server per session.

Each test gets a flushed database, so tests never see each other's keys.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import redis.asyncio as aioredis

from service.store import Store
from service.store.connection import RedisTarget, open_target
from tests.support.redis_server import RedisServer


def redis_url_of(target: RedisTarget) -> str:
    """The test Redis as a URL, for an app or a process that opens its own connections."""
    return os.environ.get("REDIS_URL") or f"unix://{target.unix_socket}"


@pytest.fixture(scope="session")
def redis_target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisTarget]:
    data_dir: Path = tmp_path_factory.mktemp("redis")
    target = open_target(os.environ.get("REDIS_URL"), data_dir)
    yield target
    target.close(force=True)


@pytest.fixture
async def redis(redis_target: RedisTarget) -> AsyncIterator[aioredis.Redis]:
    client = redis_target.client()
    await client.flushdb()
    yield client
    await client.aclose()


@pytest.fixture
async def store(redis: aioredis.Redis) -> Store:
    return Store(redis)


@pytest.fixture
async def redis_server(tmp_path: Path) -> AsyncIterator[RedisServer]:
    """A Redis of the test's own, on a TCP port, that it may kill, restart or reconfigure."""
    server = RedisServer(tmp_path)
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def server_store(redis_server: RedisServer) -> AsyncIterator[Store]:
    """A store over ``redis_server``."""
    client = RedisTarget(url=redis_server.url, unix_socket=None).client()
    yield Store(client)
    await client.aclose()


@pytest.fixture
async def channelless_store(redis_server: RedisServer) -> AsyncIterator[Store]:
    """A store over ``redis_server`` as a Redis user whose ACL allows every command on the
    store's keys and no pub/sub channel (Redis 7's ``acl-pubsub-default resetchannels``)."""
    admin = RedisTarget(url=redis_server.url, unix_socket=None).client()
    await admin.execute_command(
        "ACL", "SETUSER", "briefing", "on", ">secret", "~lb:*", "resetchannels", "+@all"
    )
    await admin.aclose()
    url = redis_server.url.replace("redis://", "redis://briefing:secret@", 1)
    client = RedisTarget(url=url, unix_socket=None).client()
    yield Store(client)
    await client.aclose()
