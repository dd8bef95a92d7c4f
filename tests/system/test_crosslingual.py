"""One development reported in English, Ukrainian and Russian is one story, end to end.

Three local feeds (one per language) carry the three versions of one development from
bench/data/crosslingual (a real Russian report and its Ukrainian and English versions),
and the Russian feed also carries a report of another development of the same war that
morning. ``briefing run`` with a briefing that follows the three languages polls them,
and the development is one story: in the JSON timeline, on the page, and for webhook
subscribers to ``story.created`` and ``story.updated`` (one story id, one
``story.created``, then a ``story.updated`` for each later version, whether it joined at
once or its own story waited for a link check that merged it: a merge is sent as
``story.updated`` to a subscription without ``story.merged``).

When only the embedding can tell (a version whose n-grams are in the band), the version
starts a story of its own and the link arrives after both stories exist: the two are
merged (``story.merged``), the absorbed id redirects to the survivor, and subscribers
never saw a second ``story.created``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator
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


def reports(development: str = "dev-006") -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The versions of one development (ru, uk, en) dated 3 hours ago, 20 minutes apart,
    and a report of another development (ru) between them."""
    rows = [json.loads(line) for line in SET.read_text(encoding="utf-8").splitlines()]
    versions = [r for r in rows if r["development"] == development]
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


@contextlib.asynccontextmanager
async def briefing_run(
    tmp_path: Path,
    feed_server: FeedServer,
    store: Store,
    redis_target: RedisTarget,
    rows: list[dict[str, Any]],
    events: list[str],
) -> AsyncIterator[tuple[httpx.AsyncClient, Receiver]]:
    """``briefing run`` on one local feed per language carrying ``rows``, a briefing that
    follows the three languages, and a webhook subscription to ``events``."""
    feeds = []
    for language in ("en", "uk", "ru"):
        mine = [r for r in rows if r["language"] == language]
        url = feed_server.add(f"/{language}.xml", rss(language, mine))
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
        url=receiver.url(), events=events, filters=Filters(), description="desk", now=utcnow()
    )
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
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
            yield client, receiver
    except BaseException:
        # What the service did is in its log only: shown with the failure.
        log.flush()
        print((tmp_path / "run.log").read_text(errors="replace")[-20000:])
        raise
    finally:
        service.send_signal(signal.SIGTERM)
        await asyncio.wait_for(service.wait(), 30)
        log.close()
        await receiver.stop()


async def timeline_of(client: httpx.AsyncClient, articles: int) -> list[dict[str, Any]]:
    """The briefing's timeline once its stories hold ``articles`` articles and no story
    waits for a merge (as many stories as the timeline settles on)."""

    async def settled() -> list[dict[str, Any]] | None:
        try:
            r = await client.get("/v1/briefings/war/timeline", params={"limit": 50})
        except httpx.TransportError:
            return None
        items = r.json()["items"] if r.status_code == 200 else []
        counted = sum(item["article_count"] for item in items)
        return items if counted == articles and len(items) == 2 else None

    items: list[dict[str, Any]] = await wait_until(settled)
    return items


async def test_one_development_in_three_languages_is_one_story(
    tmp_path: Path, feed_server: FeedServer, store: Store, redis_target: RedisTarget
) -> None:
    versions, other = reports()
    assert {r["language"] for r in versions} == {"en", "uk", "ru"}
    events = ["story.created", "story.updated"]
    async with briefing_run(
        tmp_path, feed_server, store, redis_target, [*versions, other], events
    ) as (client, receiver):
        items = await timeline_of(client, len(versions) + 1)
        # The development and the other report: two stories, the first in three languages.
        assert len(items) == 2, [(i["headline"], i["languages"]) for i in items]
        linked = next(i for i in items if i["article_count"] == 3)
        assert sorted(linked["languages"]) == ["en", "ru", "uk"]
        single = next(i for i in items if i["article_count"] == 1)
        assert single["languages"] == ["ru"]

        page = (await client.get("/briefings/war")).text
        assert page.count(f'id="story-{linked["id"]}"') == 1
        assert page.count('<li class="story') == 2

        def bodies() -> list[dict[str, Any]]:
            return [r.json for r in receiver.received if r.verified_with]

        async def delivered() -> list[dict[str, Any]] | None:
            # Every story announced (one whose link check was negative, when answered),
            # and an event for each of the development's three reports: its story.created,
            # then a story.updated for each later version, whether it joined at once or
            # its own story waited for a link check that merged it (the polls' timing
            # decides which: a version read in the same batch as another may be checked).
            ours = [b for b in bodies() if b["data"]["story"]["id"] == linked["id"]]
            announced = {b["data"]["story"]["id"] for b in bodies() if b["type"] == "story.created"}
            return ours if len(ours) >= 3 and single["id"] in announced else None

        try:
            events_seen = await wait_until(delivered, within=60)
        except AssertionError:
            print("linked", linked["id"], "single", single["id"], "events:", [
                (b["type"], b["data"]["story"]["id"], b["data"]["story"].get("article_count"))
                for b in (r.json for r in receiver.received)
            ])  # fmt: skip
            raise
        assert sorted(e["type"] for e in events_seen) == [
            "story.created",
            "story.updated",
            "story.updated",
        ]
        assert {b["type"] for b in bodies()} <= set(events)
        absorbed = {i for b in bodies() for i in b["data"].get("absorbed", ())}
        created = {b["data"]["story"]["id"] for b in bodies() if b["type"] == "story.created"}
        assert created == {linked["id"], single["id"]}  # no second created event
        assert not absorbed & created  # a story that waited for its check was never announced


async def test_a_link_found_after_both_stories_exist_merges_them(
    tmp_path: Path, feed_server: FeedServer, store: Store, redis_target: RedisTarget
) -> None:
    # The English version of this development shares too few n-grams with the others to
    # link at once: it starts its own story, and the embedding's answer merges the two.
    versions, other = reports("dev-001")
    assert [r["language"] for r in versions] == ["ru", "uk", "en"]
    events = ["story.created", "story.updated", "story.merged"]
    async with briefing_run(
        tmp_path, feed_server, store, redis_target, [*versions, other], events
    ) as (client, receiver):
        items = await timeline_of(client, len(versions) + 1)
        linked = next(i for i in items if i["article_count"] == 3)
        assert sorted(linked["languages"]) == ["en", "ru", "uk"]
        page = (await client.get("/briefings/war")).text
        assert page.count(f'id="story-{linked["id"]}"') == 1
        assert page.count('<li class="story') == 2

        single = next(i for i in items if i["article_count"] == 1)

        def bodies() -> list[dict[str, Any]]:
            return [r.json for r in receiver.received if r.verified_with]

        async def merged() -> list[dict[str, Any]] | None:
            # Settled: every story.created delivered is the other report's, the
            # survivor's or one a story.merged absorbed (the versions may arrive in any
            # order, so one or two merges).
            events = [b for b in bodies() if b["type"] == "story.merged"]
            absorbed = {i for e in events for i in e["data"]["absorbed"]}
            created = {b["data"]["story"]["id"] for b in bodies() if b["type"] == "story.created"}
            known = {single["id"], linked["id"], *absorbed}
            return events if events and single["id"] in created and created <= known else None

        events = await wait_until(merged, within=60)
        absorbed = {i for e in events for i in e["data"]["absorbed"]}
        assert absorbed and linked["id"] not in absorbed
        # Two merges may chain (A into B, then B into the survivor): one names the
        # survivor, and any other survivor named was absorbed since.
        survivors = {e["data"]["story"]["id"] for e in events}
        assert linked["id"] in survivors and survivors - {linked["id"]} <= absorbed
        for story_id in absorbed:
            moved = await client.get(f"/v1/stories/{story_id}")
            assert moved.status_code == 308
            assert moved.headers["location"] == f"/v1/stories/{linked['id']}"
            assert story_id not in {i["id"] for i in items}
        # The development was announced once: by the story.created of whichever version
        # came first (a later version waited for its check, and the merge announced it).
        created = [b["data"]["story"]["id"] for b in bodies() if b["type"] == "story.created"]
        assert len([i for i in created if i in {linked["id"], *absorbed}]) == 1
        assert created.count(single["id"]) == 1
