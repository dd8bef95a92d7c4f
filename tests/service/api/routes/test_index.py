"""/ is an index of the briefings whose every link works."""

from __future__ import annotations

import re

import httpx


async def test_index_lists_every_briefing_with_working_links(client: httpx.AsyncClient) -> None:
    page = await client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "World news" in page.text and "Russia&#39;s war in Ukraine" in page.text
    links = re.findall(r'href="([^"]+)"', page.text)
    assert "briefings/world" in links and "v1/briefings/ukraine/timeline.atom" in links
    assert {"docs", "openapi.json", "v1/feeds", "v1/feeds.opml"} <= set(links)
    for link in links:
        assert not link.startswith(("/", "http")), link  # relative: proxy prefixes hold
        response = await client.get("/" + link)
        assert response.status_code == 200, link
