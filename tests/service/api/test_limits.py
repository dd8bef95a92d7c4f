"""Request bodies on a real uvicorn socket: a JSON body past the limit is a 413 however it
is sent (chunked too), and an admin route answers 401 to a caller without a valid key
before it says anything about the body."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from service.api.app import create_app
from service.settings import Settings
from service.store import Store
from tests.support.live_server import serve

ADMIN = {"Authorization": "Bearer sesame"}


@pytest.fixture
async def base_url(store: Store) -> AsyncIterator[str]:
    async with serve(create_app(Settings(admin_key="sesame"), store)) as url:
        yield url


async def test_a_chunked_json_body_past_the_limit_is_413(base_url: str) -> None:
    async def three_megabytes() -> AsyncIterator[bytes]:
        yield b'{"url": "https://a.example/rss", "name": "'
        for _ in range(48):
            yield b"x" * 65536
        yield b'"}'

    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        for path in ("/v1/feeds", "/v1/subscriptions"):
            response = await client.post(path, content=three_megabytes(), headers=ADMIN)
            assert response.status_code == 413, path
            assert response.json()["title"] == "Payload Too Large"


@pytest.mark.parametrize("path", ["/v1/feeds", "/v1/subscriptions", "/v1/briefings"])
async def test_malformed_json_without_a_valid_key_is_401(base_url: str, path: str) -> None:
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        for headers in ({}, {"Authorization": "Bearer wrong"}):
            response = await client.post(path, content=b"{not json", headers=headers)
            assert response.status_code == 401, (path, headers)
            assert response.headers["www-authenticate"].startswith("Bearer")
        with_key = await client.post(path, content=b"{not json", headers=ADMIN)
        # the key holder is told what is wrong: no Content-Type, so not read as JSON
        assert with_key.status_code == 415
