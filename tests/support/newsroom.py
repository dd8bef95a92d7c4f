"""Real stories for API tests: local feed documents served over real HTTP, polled by the
real fetch stage, clustered by the real process + story stages, stored in real Redis.

    Newsroom.publish(path, document) ──► FeedServer ──► FetchStage.poll
        ──► entries stream ──► ProcessStage + StoryStage ──► stories, timelines, events
"""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape

from service.config import AppConfig, BriefingConfig
from service.models import FeedConfig
from service.settings import Settings
from service.store import Store
from tests.feedserver import FeedServer
from workers.fetch_stage import FetchStage
from workers.http_fetch import Fetcher
from workers.process_stage import ProcessStage
from workers.story_stage import StoryStage

# The BBC capture is of 18 Feb 2026 ~01:40: the clusterer evicts stories idle for longer
# than its window, so the newsroom clock starts just after the capture.
NOW = datetime(2026, 2, 18, 2, 0, tzinfo=UTC)
DATA = Path(__file__).resolve().parent.parent / "data"
BBC = (DATA / "pipeline" / "bbc-world.xml").read_bytes()  # real capture, 33 items

WORLD = BriefingConfig(id="world", title="World news", description="Everything we follow")
UKRAINE = BriefingConfig(
    id="ukraine", title="Russia's war in Ukraine", include=("ukrain*", "russia*", "kyiv", "kherson")
)
CONFIG = AppConfig(briefings=(WORLD, UKRAINE))


def rss(title: str, items: Sequence[tuple[str, str, datetime]]) -> bytes:
    """A small RSS 2.0 document: (headline, link, published) per item."""
    body = "".join(
        f"<item><title>{escape(t)}</title><link>{escape(link)}</link><guid>{escape(link)}</guid>"
        f"<description>{escape(t)}.</description>"
        f"<pubDate>{when.strftime('%a, %d %b %Y %H:%M:%S GMT')}</pubDate></item>"
        for t, link, when in items
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>{escape(title)}</title>'
        f"<link>https://{title.lower().replace(' ', '')}.example/</link>{body}</channel></rss>"
    ).encode()


class Newsroom:
    def __init__(
        self, store: Store, server: FeedServer, fetcher: Fetcher, settings: Settings,
        briefings: Sequence[BriefingConfig],
    ) -> None:  # fmt: skip
        self.store = store
        self.server = server
        self.clock = NOW
        self.fetch = FetchStage(settings, store, fetcher)
        self.process = ProcessStage(
            store, "api-tests", stories=StoryStage(store, briefings), clock=lambda: self.clock
        )
        self._paths = itertools.count()

    async def publish(self, document: bytes, *, name: str = "", path: str | None = None) -> int:
        """Serve a feed document, poll it once and process everything it brought;
        returns how many entries-stream messages were handled."""
        path = path or f"/feed-{next(self._paths)}.xml"
        url = self.server.add(path, document)
        feed = await self.store.feeds.by_url(url)
        if feed is None:
            await self.store.feeds.add(FeedConfig(url=url, name=name), first_poll=self.clock)
            feed = await self.store.feeds.by_url(url)
        assert feed is not None
        self.clock += timedelta(minutes=1)
        await self.fetch.poll(feed, now=self.clock)
        return await self.drain()

    async def drain(self) -> int:
        handled = 0
        while done := await self.process.run_once(block_ms=None):
            handled += done
        return handled

    async def story_ids(self, briefing: str, order: str = "updated") -> list[str]:
        key = self.store.keys.briefing_stories(briefing, order)
        return list(await self.store.redis.zrevrange(key, 0, -1))


@asynccontextmanager
async def newsroom(
    store: Store, server: FeedServer, briefings: Sequence[BriefingConfig] = CONFIG.briefings
) -> AsyncIterator[Newsroom]:
    settings = Settings(
        allow_private_targets=True, fetch_timeout=5.0, connect_timeout=2.0, jitter=0.0
    )
    async with Fetcher(settings) as fetcher:
        room = Newsroom(store, server, fetcher, settings, briefings)
        await room.process.start()
        assert await room.process.hold_lease()
        yield room
