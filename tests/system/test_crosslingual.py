"""One development reported in English, Ukrainian and Russian is one story, end to end.

Three local feeds (one per language) carry the three versions of one development from
bench/data/crosslingual (a real Russian report and its Ukrainian and English versions),
and the Russian feed also carries a report of another development of the same war that
morning. ``briefing run`` with a briefing that follows the three languages polls them,
and the development is one story: in the JSON timeline, on the page, and for webhook
subscribers (one story id, one ``story.created``, then ``story.updated``).
"""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import sys
import time
from datetime import timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import httpx
import pytest

from service.clock import utcnow
from service.store import Store
from service.store.connection import RedisTarget
from service.store.subscriptions import SubscriptionStore
from service.webhooks.filters import Filters
from service.webhooks.secretbox import SecretBox
from tests.feedserver import FeedServer
from tests.support.net import free_port
from tests.support.redis_fixture import redis_url_of
from tests.support.webhook_receiver import Receiver
from tests.support.worker_processes import worker_env

ROOT = Path(__file__).resolve().parents[2]
SET = ROOT / "bench" / "data" / "crosslingual" / "stream.jsonl"
SECRET = "crosslingual-test-secret-key"

pytestmark = pytest.mark.slow


def reports() -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The versions of one development (ru, uk, en) dated 3 hours ago, 20 minutes apart,
    and a report of another development (ru) between them."""
    rows = [json.loads(line) for line in SET.read_text(encoding="utf-8").splitlines()]
    versions = [
        r for r in rows if r["development"] == "dev-006"
    ]  # Kremlin planned to seize Belarus
    other = next(r for r in rows if r["development"] == "dev-014" and r["language"] == "ru")
    start = utcnow().replace(microsecond=0) - timedelta(hours=3)
    for n, row in enumerate(versions):
        row["published"] = start + n * timedelta(minutes=20)
    other["published"] = start + timedelta(minutes=10)
    return versions, other


def rss(language: str, rows: list[dict[str, Any]]) -> bytes:
    items = "".join(
        f"<item><guid isPermaLink='false'>{r['id']}</guid><title>{escape(r['title'])}</title>"
        f"<link>{escape(r['url'])}</link><description>{escape(r['text'])}</description>"
        f"<pubDate>{format_datetime(r['published'])}</pubDate></item>"
        for r in rows
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
        f"<title>Desk {language}</title><link>https://{language}.example/</link>"
        f"<language>{language}</language>{items}</channel></rss>"
    ).encode()


async def wait_until(check: Any, within: float = 90.0) -> Any:
    deadline = time.monotonic() + within
    while True:
        result = await check()
        if result:
            return result
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.5)


async def test_one_development_in_three_languages_is_one_story(
    tmp_path: Path, feed_server: FeedServer, store: Store, redis_target: RedisTarget
) -> None:
    versions, other = reports()
    assert {r["language"] for r in versions} == {"en", "uk", "ru"}
    feeds = []
    for language in ("en", "uk", "ru"):
        rows = [r for r in [*versions, other] if r["language"] == language]
        url = feed_server.add(f"/{language}.xml", rss(language, rows))
        feeds.append(
            f'[[feeds]]\nurl = "{url}"\nname = "Desk {language}"\nlanguage = "{language}"\n'
        )
    config = tmp_path / "feeds.toml"
    config.write_text(
        "\n".join(feeds)
        + '\n[[briefings]]\nid = "war"\ntitle = "The war"\nlanguages = ["en", "uk", "ru"]\n'
    )
    receiver = Receiver(clock=utcnow)
    await receiver.start()
    subscriptions = SubscriptionStore(store.redis, store.keys, SecretBox.from_passphrase(SECRET))
    _sub, secret = await subscriptions.create(
        url=receiver.url(), events=["story.created", "story.updated"], filters=Filters(),
        description="desk", now=utcnow(),
    )  # fmt: skip
    receiver.secrets.append(secret)
    port = free_port()
    redis_url = redis_url_of(redis_target)
    env = {**worker_env(redis_url, config), "BRIEFING_SECRET_KEY": SECRET,
           "BRIEFING_FIRST_POLL_SPREAD": "0"}  # fmt: skip
    log = (tmp_path / "run.log").open("w")
    service = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "service.cli", "run", "--host", "127.0.0.1", "--port", str(port),
        "--data-dir", str(tmp_path / "data"),
        env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient(base_url=base, timeout=10) as client:

            async def timeline() -> list[dict[str, Any]] | None:
                try:
                    r = await client.get("/v1/briefings/war/timeline", params={"limit": 50})
                except httpx.TransportError:
                    return None
                items = r.json()["items"] if r.status_code == 200 else []
                counted = sum(item["article_count"] for item in items)
                return items if counted == len(versions) + 1 else None

            items = await wait_until(timeline)
            # The development and the other report: two stories, the first in three languages.
            assert len(items) == 2, [(i["headline"], i["languages"]) for i in items]
            linked = next(i for i in items if i["article_count"] == 3)
            assert sorted(linked["languages"]) == ["en", "ru", "uk"]
            single = next(i for i in items if i["article_count"] == 1)
            assert single["languages"] == ["ru"]

            page = (await client.get("/briefings/war")).text
            assert page.count(f'id="story-{linked["id"]}"') == 1
            assert page.count('<li class="story') == 2

            async def delivered() -> list[dict[str, Any]] | None:
                bodies = [r.json for r in receiver.received if r.verified_with]
                ours = [b for b in bodies if b["data"]["story"]["id"] == linked["id"]]
                return ours if len(ours) >= 3 else None

            events = await wait_until(delivered, within=60)
            assert [e["type"] for e in events].count("story.created") == 1
            assert all(e["type"] in ("story.created", "story.updated") for e in events)
            created = {b["data"]["story"]["id"] for b in (r.json for r in receiver.received)
                       if b["type"] == "story.created"}  # fmt: skip
            assert created == {linked["id"], single["id"]}  # no second created event
    finally:
        service.send_signal(signal.SIGTERM)
        await asyncio.wait_for(service.wait(), 30)
        log.close()
        await receiver.stop()
