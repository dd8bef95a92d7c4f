"""API fixtures: a Redis filled by the real pipeline, and clients of the real app."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from service.api.app import create_app
from service.settings import Settings
from service.store import Store
from tests.feedserver import FeedServer
from tests.support.newsroom import BBC, CONFIG, Newsroom, newsroom


@pytest.fixture
async def room(store: Store, feed_server: FeedServer) -> AsyncIterator[Newsroom]:
    async with newsroom(store, feed_server) as r:
        yield r


@pytest.fixture
async def bbc(room: Newsroom) -> Newsroom:
    """The newsroom after one poll of a real BBC World capture (33 items)."""
    assert await room.publish(BBC, name="BBC World") > 20
    return room


@pytest.fixture
async def app(store: Store) -> FastAPI:
    """The real app over the test Redis; a test module may override it (``client`` uses
    whichever ``app`` the module sees)."""
    # version_ttl=0, page_staleness=0: read-your-writes, each request reads the events
    # version and a page of an older one is never answered
    return create_app(Settings(page_staleness=0), store, CONFIG, version_ttl=0)


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c
