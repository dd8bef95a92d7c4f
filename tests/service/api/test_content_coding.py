"""Request content with a content coding, on a real uvicorn socket: refused with 415 and
``Accept-Encoding: identity`` (RFC 9110 §8.4.1, §12.5.3), never read as JSON."""

from __future__ import annotations

import gzip
import json
from collections.abc import AsyncIterator

import httpx
import pytest
from starlette.datastructures import Headers

from service.api.app import create_app
from service.api.content_coding import content_codings
from service.settings import Settings
from service.store import Store
from tests.support.live_server import serve

ADMIN = {"Authorization": "Bearer sesame", "Content-Type": "application/json"}
FEED = json.dumps({"url": "https://news.example.org/rss"}).encode()


@pytest.fixture
async def client(store: Store) -> AsyncIterator[httpx.AsyncClient]:
    async with (
        serve(create_app(Settings(admin_key="sesame"), store)) as url,
        httpx.AsyncClient(base_url=url, timeout=30) as c,
    ):
        yield c


@pytest.mark.parametrize(
    ("coding", "content"),
    [
        ("gzip", gzip.compress(FEED)),  # what the coding says: still not read
        ("br", FEED),  # a label the content does not match: not read as if unlabelled
        ("identity, gzip", gzip.compress(FEED)),
    ],
    ids=["gzip", "br-mislabelled", "identity-then-gzip"],
)
async def test_a_body_with_a_content_coding_is_a_415_listing_identity(
    client: httpx.AsyncClient, coding: str, content: bytes
) -> None:
    response = await client.post(
        "/v1/feeds", content=content, headers={**ADMIN, "Content-Encoding": coding}
    )
    assert response.status_code == 415
    assert response.headers["accept-encoding"] == "identity"
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"] == "https://live-briefing.dev/problems/unsupported-content-coding"
    assert problem["detail"].startswith(f"body: content coding {coding.split(', ')[-1]} ")
    assert (await client.get("/v1/feeds")).json()["items"] == []  # nothing was added


async def test_identity_and_a_bodiless_request_are_served(client: httpx.AsyncClient) -> None:
    added = await client.post(
        "/v1/feeds", content=FEED, headers={**ADMIN, "Content-Encoding": "identity"}
    )
    assert added.status_code == 201
    listed = await client.get("/v1/feeds", headers={"Content-Encoding": "gzip"})
    assert listed.status_code == 200
    assert [f["url"] for f in listed.json()["items"]] == ["https://news.example.org/rss"]


def test_codings_are_read_from_every_field_as_a_list() -> None:
    headers = Headers(raw=[(b"content-encoding", b"GZIP, br"), (b"content-encoding", b" x ")])
    assert content_codings(headers) == ["gzip", "br", "x"]
