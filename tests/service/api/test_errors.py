"""Problem documents (RFC 9457) for what goes wrong, with the status RFC 9110 names."""

from __future__ import annotations

import httpx
import pytest

from service.api.app import create_app
from service.settings import Settings
from service.store import Store
from tests.support.newsroom import CONFIG

ADMIN = {"Authorization": "Bearer sesame"}


@pytest.mark.parametrize("path", ["/v1/feeds", "/v1/subscriptions", "/v1/briefings"])
async def test_a_body_that_is_not_json_is_a_400_problem(store: Store, path: str) -> None:
    # RFC 9110 §15.5.1: 400 for a malformed request; 422 (§15.5.21) would say the
    # content's syntax was correct. RFC 9457 §3.1: type, title, status, detail.
    app = create_app(Settings(admin_key="sesame"), store, CONFIG)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        response = await client.post(
            path, content=b'{"url": ', headers={**ADMIN, "content-type": "application/json"}
        )
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "https://live-briefing.dev/problems/invalid-json"
    assert (body["title"], body["status"]) == ("Bad Request", 400)
    assert body["detail"].startswith("body: not JSON (")
