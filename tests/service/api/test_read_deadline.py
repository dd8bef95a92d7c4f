"""service/api/read_deadline.py: a read that cannot begin its answer in time is a 503
problem; one that began is never cut; writes are left alone."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from service.api import read_deadline
from service.api.app import create_app
from service.api.read_deadline import ReadDeadline
from service.settings import Settings
from service.store import Store
from service.store.connection import RedisTarget
from tests.support.newsroom import CONFIG
from tests.support.redis_server import RedisServer


@pytest.mark.parametrize("path", ["/v1/articles", "/v1/briefings/world/timeline"])
async def test_a_read_that_redis_holds_past_the_deadline_is_a_503(
    server_store: Store, redis_server: RedisServer, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    # A Redis that keeps its connections but answers nothing: redis-py waits as long as
    # it lasts. The timeline
    # reads Redis in front of FastAPI too (service/api/cache_hits.py).
    monkeypatch.setattr(read_deadline, "READ_DEADLINE", 0.3)
    app = create_app(Settings(page_staleness=0), server_store, CONFIG, version_ttl=0)
    admin = RedisTarget(url=redis_server.url, unix_socket=None).client()
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        assert (await c.get(path)).status_code == 200
        await admin.execute_command("CLIENT", "PAUSE", "3000", "ALL")
        stalled = await c.get(path)
        await admin.ping()  # answered once the pause is over
        assert stalled.status_code == 503
        assert stalled.headers["content-type"] == "application/problem+json"
        assert stalled.headers["retry-after"] == "5"
        assert stalled.json() == {
            "type": "https://live-briefing.dev/problems/storage-unavailable",
            "title": "Service Unavailable",
            "status": 503,
            "detail": "no answer within 0.3 s (storage, Redis, is slow); retry shortly",
        }
        assert (await c.get(path)).status_code == 200
    await admin.aclose()


async def slow_body(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """Begins at once, then takes ten deadlines to finish (an event stream, a long page)."""
    await send({"type": "http.response.start", "status": 200, "headers": []})
    for _ in range(10):
        await asyncio.sleep(0.05)
        await send({"type": "http.response.body", "body": b"x", "more_body": True})
    await send({"type": "http.response.body", "body": b"", "more_body": False})


async def slow_start(scope: dict[str, Any], receive: Any, send: Any) -> None:
    await asyncio.sleep(0.5)
    await send({"type": "http.response.start", "status": 201, "headers": []})
    await send({"type": "http.response.body", "body": b"done"})


@pytest.mark.parametrize(
    ("app", "method", "status", "body"),
    [(slow_body, "GET", 200, b"x" * 10), (slow_start, "POST", 201, b"done")],
    ids=["answer-begun", "write"],
)
async def test_an_answer_begun_and_a_write_run_past_the_deadline(
    app: Any, method: str, status: int, body: bytes
) -> None:
    bounded = ReadDeadline(app, seconds=0.05)
    transport = httpx.ASGITransport(app=bounded)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        response = await client.request(method, "/")
    assert (response.status_code, response.content) == (status, body)


async def test_every_stalled_read_is_answered_and_the_watchdog_starts_again() -> None:
    stalled = asyncio.Event()

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["path"] == "/stall":
            await stalled.wait()  # never set: a Redis that answers nothing
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    bounded = ReadDeadline(app, seconds=0.1)
    transport = httpx.ASGITransport(app=bounded)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        for _round in range(2):  # the watchdog ends when no read waits, then starts again
            answers = await asyncio.gather(*(client.get("/stall") for _ in range(3)),
                                           client.get("/"))  # fmt: skip
            assert [a.status_code for a in answers] == [503, 503, 503, 200]
            await asyncio.sleep(0.1)


async def test_a_read_cancelled_by_someone_else_stays_cancelled() -> None:
    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        await asyncio.Event().wait()

    bounded = ReadDeadline(app, seconds=30)
    scope = {"type": "http", "method": "GET", "path": "/", "headers": []}
    task = asyncio.create_task(bounded(scope, None, None))
    await asyncio.sleep(0.01)
    task.cancel()  # the server dropping a closed connection's request
    with pytest.raises(asyncio.CancelledError):
        await task
