"""The Live Briefing page: plain HTML without JavaScript, and live in a real headless
Chromium (a story added during the test appears without a reload)."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from markupsafe import escape

from service.api.app import create_app
from service.settings import Settings
from service.store import Store
from service.store.stories import MAX_EVENT_SOURCES
from tests.api.browser import chromium, chromium_path
from tests.api.live_server import serve
from tests.api.newsroom import CONFIG, NOW, Newsroom, rss
from tests.api.test_bounded_sources import wide_story
from tests.event_stories import save_story


async def headlines(store: Store, briefing: str, n: int) -> list[str]:
    ids = await store.redis.zrevrange(store.keys.briefing_stories(briefing, "updated"), 0, n - 1)
    return [s.headline for s in await store.stories.get_many(list(ids))]


async def test_page_without_javascript_is_a_plain_list(
    bbc: Newsroom, client: httpx.AsyncClient, store: Store
) -> None:
    response = await client.get("/briefings/world")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert '<html lang="en">' in html and "<main" in html and "<h1>World news</h1>" in html
    assert 'name="viewport"' in html
    top = await headlines(store, "world", 30)
    positions = [html.find(f">{escape(h)}<") for h in top]  # as Jinja autoescapes
    assert all(p > 0 for p in positions) and positions == sorted(positions)
    assert "Reported by" in html and 'href="https://www.bbc.' in html
    html = (await client.get("/briefings/world", params={"limit": 10})).text
    older = html.split('href="?')[1].split('"')[0].replace("&amp;", "&")
    second = await client.get(f"/briefings/world?{older}")
    assert second.status_code == 200 and "Latest developments" in second.text
    first_ids = set(re.findall(r'id="story-([^"]+)"', html))
    second_ids = set(re.findall(r'id="story-([^"]+)"', second.text))
    assert first_ids and second_ids and not first_ids & second_ids
    assert (await client.get("/briefings/nope")).status_code == 404


@pytest.fixture
async def base_url(store: Store) -> AsyncIterator[str]:
    app = create_app(Settings(), store, CONFIG)
    app.state.version_ttl = 0
    async with serve(app) as url:
        yield url


@pytest.mark.slow
@pytest.mark.skipif(
    chromium_path() is None, reason="needs Debian's chromium (scripts/test installs it)"
)
async def test_page_goes_live_in_chromium(
    bbc: Newsroom, base_url: str, store: Store, tmp_path: Path
) -> None:
    async with chromium(tmp_path / "profile") as page:
        await page.phone()
        await page.goto(f"{base_url}/briefings/world")
        await page.wait_for("document.getElementById('live-badge').dataset.state === 'live'")
        shown = await page.evaluate(
            "[...document.querySelectorAll('#stories li h2')].map(h => h.textContent)"
        )
        assert shown == await headlines(store, "world", 30)
        landmarks = await page.evaluate(
            "[!!document.querySelector('header'), !!document.querySelector('main'),"
            " document.querySelectorAll('h1').length, document.documentElement.lang]"
        )
        assert landmarks == [True, True, 1, "en"]
        # Fits a phone: nothing wider than the viewport.
        assert await page.evaluate("document.documentElement.scrollWidth <= innerWidth")

        await page.evaluate("window.__notReloaded = true")
        headline = "Dam breach floods villages near Kherson"
        await bbc.publish(
            rss("Later", [(headline, "https://later.example/dam", NOW - timedelta(minutes=5))]),
            name="Later Desk",
        )
        expression = (
            f"document.querySelector('#stories li h2')?.textContent === {json.dumps(headline)}"
        )
        await page.wait_for(expression)
        assert await page.evaluate("window.__notReloaded") is True
        reported = await page.evaluate(
            "document.querySelector('#stories li .reported').textContent"
        )
        assert "Later Desk" in reported
        status = await page.evaluate("document.getElementById('announcer').textContent")
        assert status == f"New: {headline}"

        # A story of 60 outlets (120 reports) lists 50 and says how many reports are not
        # listed, live (from the stream event) and after a reload (server-rendered) alike.
        wide = wide_story()
        await save_story(store, wide)
        top = "document.querySelector('#stories li')"
        on_top = f"{top}.querySelector('h2').textContent === {json.dumps(wide.headline)}"
        await page.wait_for(on_top)
        unlisted = f" and {len(wide.members) - MAX_EVENT_SOURCES} more reports"
        shown_wide = (
            f"[{top}.querySelectorAll('.reported a').length,"
            f" {top}.querySelector('.reported .more')?.textContent]"
        )
        assert await page.evaluate(shown_wide) == [MAX_EVENT_SOURCES, unlisted]
        await page.goto(f"{base_url}/briefings/world?limit=30")  # a new document
        await page.wait_for(f"location.search === '?limit=30' && {on_top}")
        assert await page.evaluate(shown_wide) == [MAX_EVENT_SOURCES, unlisted]
        shot = await page.screenshot(tmp_path / "briefing.png")
    assert shot.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
