"""The render cache keys pages by everything their absolute links are built from: on a
real uvicorn socket, a JSON Feed rendered for an https request from a trusted proxy
(X-Forwarded-Proto) is never served to a plain http request, nor one host's to another."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from tests.support.live_server import serve
from tests.support.newsroom import Newsroom


async def test_cached_feed_links_follow_the_scheme_and_host_of_each_request(
    bbc: Newsroom, app: FastAPI
) -> None:
    async with serve(app) as base, httpx.AsyncClient(base_url=base, timeout=10) as client:
        path = "/v1/briefings/ukraine/timeline.json"
        proxied = await client.get(path, headers={"X-Forwarded-Proto": "https"})
        plain = await client.get(path)
        other_host = await client.get(path, headers={"Host": "briefing.example"})
        proxied_again = await client.get(path, headers={"X-Forwarded-Proto": "https"})
    assert proxied.json()["feed_url"].startswith("https://127.0.0.1:")
    assert plain.json()["feed_url"].startswith("http://127.0.0.1:")
    assert other_host.json()["feed_url"].startswith("http://briefing.example/")
    assert proxied_again.json()["feed_url"] == proxied.json()["feed_url"]
    assert proxied.json()["items"] and len(app.state.render_cache) == 3  # one entry each
