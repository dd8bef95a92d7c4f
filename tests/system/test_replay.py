"""A real stream replayed through the real service clusters like ``briefing cluster-eval``.

A day and a half of seven real outlets (../shared/data/stream-dev.jsonl.gz, 5-6 May 2020,
copied to tests/data/replay) is moved so that its newest report is two hours old and its
oldest about 38 hours: what a backfill or the first poll of feeds listing older items
looks like. One RSS document per outlet.

* ``briefing backfill`` loads the documents (oldest first across all of them), ``briefing
  run`` processes them, and the stories are exactly those ``briefing cluster-eval`` makes
  of the stored articles: stories run on the articles' own times, not the wall clock.
* ``briefing run`` polling the same documents from a local server meets them feed by feed
  (each poll's entries oldest first, the polls interleaved), not in one time order. Online
  clustering depends on order (which report a story met first, the IDF of the moment), so
  the stories are not identical; most pairs still agree with cluster-eval's (in the same
  order offline, 71 of 90 pairs when each feed comes whole, 78 when interleaved), where
  windows on the wall clock made them all singletons.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import signal
import subprocess
import sys
from collections import defaultdict
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from itertools import combinations
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import httpx
import pytest

from service.clock import utcnow
from service.store import Store
from service.store.connection import open_target
from tests.feedserver import FeedServer
from tests.support.net import free_port
from tests.support.processes import briefing, embedded_service_env, wait_for

ROOT = Path(__file__).resolve().parents[2]
SLICE = ROOT / "tests" / "data" / "replay" / "stream-2020-05-05.jsonl.gz"

pytestmark = pytest.mark.slow


def shifted_rows(now: datetime) -> list[dict[str, Any]]:
    """The slice's rows, moved so that the newest is two hours before ``now``."""
    with gzip.open(SLICE, "rt", encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    newest = max(datetime.fromisoformat(r["published"]) for r in rows)
    shift = now - timedelta(hours=2) - newest
    for row in rows:
        row["published"] = (datetime.fromisoformat(row["published"]) + shift).replace(microsecond=0)
    return rows


def rss(outlet: str, rows: list[dict[str, Any]]) -> bytes:
    """An RSS 2.0 document of one outlet's items, newest first as feeds list them."""
    items = "".join(
        f"<item><guid isPermaLink='false'>{r['id']}</guid><title>{escape(r['title'])}</title>"
        f"<link>{escape(r['url'])}</link><description>{escape(r['text'])}</description>"
        f"<pubDate>{format_datetime(r['published'])}</pubDate></item>"
        for r in sorted(rows, key=lambda r: r["published"], reverse=True)
    )
    return (
        "<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
        f"<title>{escape(outlet)}</title><link>https://{len(outlet)}.example/</link>"
        f"<language>en</language>{items}</channel></rss>"
    ).encode()


def by_outlet(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    outlets: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        outlets[row["source"]].append(row)
    return outlets


async def _stored(data_dir: Path) -> tuple[list[dict[str, Any]], dict[str, str]]:
    target = open_target(None, data_dir)
    client = target.client()
    try:
        store = Store(client)
        assigned = await client.hgetall(store.keys.story_of_article)
        articles = await store.articles.get_many(sorted(assigned))
    finally:
        await client.aclose()
        target.close()
    rows = [
        {"id": a.id, "title": a.title, "text": a.text, "published": a.published.isoformat(),
         "source": a.outlet, "url": a.url, "language": a.language}
        for a in articles
    ]  # fmt: skip
    return rows, assigned


def stored(data_dir: Path) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The stored articles as cluster-eval input lines, and article id -> story id."""
    return asyncio.run(_stored(data_dir))


def assigned_count(data_dir: Path) -> int:
    async def count() -> int:
        target = open_target(None, data_dir)
        client = target.client()
        try:
            return int(await client.hlen(Store(client).keys.story_of_article))
        finally:
            await client.aclose()
            target.close()

    return asyncio.run(count())


def cluster_eval(rows: list[dict[str, Any]], tmp: Path, env: dict[str, str]) -> dict[str, str]:
    source, out = tmp / "stored.jsonl", tmp / "pred.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    result = briefing("cluster-eval", str(source), "--out", str(out), env=env)
    assert result.returncode == 0, result.stderr
    return {p["id"]: p["story"] for p in map(json.loads, out.read_text().splitlines())}


def together(stories: dict[str, str]) -> set[frozenset[str]]:
    """Every pair of articles put in one story."""
    members: dict[str, list[str]] = defaultdict(list)
    for article, story in stories.items():
        members[story].append(article)
    return {frozenset(p) for m in members.values() for p in combinations(sorted(m), 2)}


@pytest.fixture
def start_service(tmp_path: Path) -> Iterator[Callable[[dict[str, str]], str]]:
    """``briefing run`` on a data dir, started by the test when it is ready for it."""
    processes: list[subprocess.Popen[bytes]] = []
    logs = []

    def start(env: dict[str, str]) -> str:
        port = free_port()
        log = (tmp_path / "run.log").open("w")
        logs.append(log)
        data_dir = env["BRIEFING_DATA_DIR"]
        command = ["run", "--host", "127.0.0.1", "--port", str(port), "--data-dir", data_dir]
        processes.append(
            subprocess.Popen(
                [sys.executable, "-m", "service.cli", *command],
                env=env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )
        base = f"http://127.0.0.1:{port}"
        wait_for(lambda: httpx.get(f"{base}/readyz").status_code == 200)
        return base

    try:
        yield start
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=30)
        for log in logs:
            log.close()
        open_target(None, tmp_path / "data").close(force=True)


def test_a_backfill_days_old_clusters_exactly_like_cluster_eval(
    tmp_path: Path, start_service: Callable[[dict[str, str]], str]
) -> None:
    rows = shifted_rows(utcnow())
    archive = tmp_path / "archive"
    archive.mkdir()
    for n, (outlet, items) in enumerate(sorted(by_outlet(rows).items())):
        (archive / f"outlet-{n}.xml").write_bytes(rss(outlet, items))
    config = tmp_path / "feeds.toml"
    config.write_text('[[briefings]]\nid = "all"\ntitle = "Everything"\n')
    env = embedded_service_env(tmp_path / "data", config)
    loaded = briefing("backfill", "--from", str(archive), env=env, timeout=120)
    assert loaded.returncode == 0, loaded.stderr
    assert f"{len(rows)} new articles" in loaded.stdout

    start_service(env)
    data_dir = Path(env["BRIEFING_DATA_DIR"])
    wait_for(lambda: assigned_count(data_dir) == len(rows), timeout=120)
    docs, served = stored(data_dir)
    expected = cluster_eval(docs, tmp_path, env)
    assert together(served) == together(expected)
    sizes: dict[str, int] = defaultdict(int)
    for story in served.values():
        sizes[story] += 1
    assert sum(n > 1 for n in sizes.values()) >= 20  # developments, not singletons


def test_first_polls_of_feeds_listing_older_items_cluster_like_cluster_eval(
    tmp_path: Path, start_service: Callable[[dict[str, str]], str], feed_server: FeedServer
) -> None:
    rows = shifted_rows(utcnow())
    feeds = []
    for n, (outlet, items) in enumerate(sorted(by_outlet(rows).items())):
        url = feed_server.add(f"/outlet-{n}.xml", rss(outlet, items))
        feeds.append(f'[[feeds]]\nurl = "{url}"\nname = "{outlet}"\nlanguage = "en"\n')
    config = tmp_path / "feeds.toml"
    config.write_text("\n".join(feeds) + '\n[[briefings]]\nid = "all"\ntitle = "Everything"\n')
    env = embedded_service_env(tmp_path / "data", config)
    base = start_service(env)
    data_dir = Path(env["BRIEFING_DATA_DIR"])
    wait_for(lambda: assigned_count(data_dir) == len(rows), timeout=120)
    docs, served = stored(data_dir)
    expected = together(cluster_eval(docs, tmp_path, env))
    got = together(served)
    assert len(got) >= 0.6 * len(expected)
    assert len(got & expected) >= 0.6 * len(got | expected)
    # What the page and the JSON timeline show is the development's time, days old.
    timeline = httpx.get(f"{base}/v1/briefings/all/timeline", params={"limit": 50}).json()
    newest = datetime.fromisoformat(timeline["items"][0]["last_updated"])
    assert utcnow() - newest >= timedelta(hours=2) - timedelta(seconds=1)
    assert newest.tzinfo is not None and newest.astimezone(UTC) <= utcnow()
