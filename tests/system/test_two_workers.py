"""Two real worker processes on one Redis: no feed is polled by both at once, and no
article is stored twice, while the feeds keep changing under them."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from service.store import Store
from service.store.connection import RedisTarget
from tests.feedserver import FeedServer, Request, Response
from tests.support.redis_fixture import redis_url_of

FEEDS = 12
ROOT = Path(__file__).resolve().parents[2]


class Watched:
    """A feed whose content grows on every poll; it records overlapping polls."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.active = 0
        self.max_active = 0
        self.polls = 0

    async def __call__(self, request: Request) -> Response:
        self.active += 1
        self.max_active = max(self.max_active, self.active)
        self.polls += 1
        try:
            await asyncio.sleep(0.15)  # long enough for a second poller to overlap
            items = "".join(
                f"<item><title>{self.name} report {n}</title>"
                f"<link>https://n.example/{self.name}/{n}</link></item>"
                for n in range(self.polls + 1)
            )
            body = f'<rss version="2.0"><channel><title>{self.name}</title>{items}</channel></rss>'
            return Response(200, {"Content-Type": "application/rss+xml"}, body.encode())
        finally:
            self.active -= 1


@pytest.mark.slow
async def test_two_workers_share_feeds_without_overlap(
    tmp_path: Path, feed_server: FeedServer, store: Store, redis_target: RedisTarget
) -> None:
    watched = [Watched(f"f{n}") for n in range(FEEDS)]
    urls = [feed_server.add(f"/{w.name}", w) for w in watched]
    config = tmp_path / "feeds.toml"
    config.write_text(
        "".join(
            f'[[feeds]]\nurl = "{u}"\nname = "F{n}"\ninterval = 1\n\n' for n, u in enumerate(urls)
        )
    )
    redis_url = redis_url_of(redis_target)
    env = {
        **os.environ,
        "REDIS_URL": redis_url,
        "BRIEFING_CONFIG": str(config),
        "BRIEFING_ALLOW_PRIVATE_TARGETS": "1",
        "BRIEFING_MIN_INTERVAL": "1",
        "BRIEFING_SCHEDULER_TICK": "0.1",
        "BRIEFING_CLAIM_BATCH": "3",
        "BRIEFING_JITTER": "0",
        "BRIEFING_LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "service.cli", "worker", "--role", "fetch"]
    workers = [await asyncio.create_subprocess_exec(*command, env=env, cwd=ROOT) for _ in range(2)]
    try:
        deadline = time.monotonic() + 60
        while sum(w.polls for w in watched) < FEEDS * 4 and time.monotonic() < deadline:
            assert all(w.returncode is None for w in workers), "a worker died"
            await asyncio.sleep(0.2)
    finally:
        for w in workers:
            if w.returncode is None:
                w.send_signal(signal.SIGTERM)
        codes = [await asyncio.wait_for(w.wait(), timeout=30) for w in workers]
    assert codes == [0, 0], "workers shut down cleanly on SIGTERM"
    assert all(w.polls >= 2 for w in watched), [w.polls for w in watched]
    assert max(w.max_active for w in watched) == 1, "a feed was polled twice at once"

    messages = await store.redis.xrange(store.keys.entries_stream)
    per_article = Counter(f["article"] for _id, f in messages if f["kind"] == "new")
    assert per_article and max(per_article.values()) == 1, "an article was stored twice"
    # Every item served in any poll is stored (the last poll may still be in flight).
    served = sum(w.polls for w in watched) + FEEDS
    assert len(per_article) >= served - 2 * FEEDS
