"""A small cluster of real worker processes for fault-injection tests.

Feeds are built from the real documents in tests/data/pipeline and ../shared/feeds/real:
each poll of a feed reveals a few more of its real items, so ingestion keeps going
while processes are killed.
"""

from __future__ import annotations

import asyncio
import html
import os
import signal
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from redis.exceptions import ResponseError

from service.models import Story
from service.store import Store
from tests.feedserver import FeedServer, Request, Response
from workers.parse import parse_feed
from workers.partitions import ensure_partitions
from workers.urls import canonicalize_url

ROOT = Path(__file__).resolve().parents[2]
SHARED_REAL = ROOT.parent / "shared" / "feeds" / "real"
LOCAL_REAL = ROOT / "tests" / "data" / "pipeline"


@dataclass
class GrowingFeed:
    """Serves the first ``revealed`` items of a real feed; each poll reveals ``step`` more."""

    name: str
    items: list[tuple[str, str, str]]  # (guid, link, title)
    step: int = 3
    revealed: int = 0
    polls: int = 0

    def __call__(self, request: Request) -> Response:
        self.polls += 1
        self.revealed = min(len(self.items), self.revealed + self.step)
        body = "".join(
            f"<item><guid>{html.escape(g)}</guid><link>{html.escape(link)}</link>"
            f"<title>{html.escape(t)}</title></item>"
            for g, link, t in self.items[: self.revealed]
        )
        xml = f'<rss version="2.0"><channel><title>{self.name}</title>{body}</channel></rss>'
        return Response(200, {"Content-Type": "application/rss+xml"}, xml.encode())

    @property
    def done(self) -> bool:
        return self.revealed == len(self.items)


def real_feeds(limit: int, *, at_least: int = 1) -> list[GrowingFeed]:
    """Feeds made of real items (with links, distinct canonical URLs across all feeds).

    Without ``../shared`` only the repository's own documents are there: a test that needs
    ``at_least`` feeds more than they give is skipped, saying why."""
    sources = sorted(SHARED_REAL.iterdir()) if SHARED_REAL.is_dir() else []
    sources = sources or sorted(LOCAL_REAL.iterdir())
    feeds: list[GrowingFeed] = []
    seen: set[str] = set()
    for path in sources:
        parsed = parse_feed(path.read_bytes(), "https://replay.example/")
        items = []
        for entry in parsed.entries:
            url = canonicalize_url(entry.link or "", parsed.base_url)
            if url and url not in seen and entry.title:
                seen.add(url)
                items.append((entry.guid or url, url, entry.title))
        if len(items) >= 5:
            feeds.append(GrowingFeed(f"feed{len(feeds)}", items[:30]))
        if len(feeds) == limit:
            break
    if len(feeds) < at_least and not SHARED_REAL.is_dir():
        pytest.skip(f"needs {at_least} real feeds: {SHARED_REAL} is not beside the repository")
    return feeds


@dataclass
class Workers:
    """Real `briefing worker` processes that can be killed and restarted."""

    env: dict[str, str]
    log_dir: Path
    roles: list[list[str]]
    # Settings of one worker (by index) over ``env``.
    env_of: dict[int, dict[str, str]] = field(default_factory=dict)
    processes: list[asyncio.subprocess.Process | None] = field(default_factory=list)
    starts: int = 0

    async def start_all(self) -> None:
        self.processes = [None] * len(self.roles)
        for index in range(len(self.roles)):
            await self.start(index)

    async def start(self, index: int) -> None:
        args = [a for role in self.roles[index] for a in ("--role", role)]
        self.starts += 1
        log = (self.log_dir / f"worker{index}-{self.starts}.log").open("wb")
        self.processes[index] = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "service.cli", "worker", *args,
            env={**self.env, **self.env_of.get(index, {})}, cwd=ROOT, stdout=log, stderr=log,
        )  # fmt: skip
        log.close()

    async def kill(self, index: int) -> None:
        process = self.processes[index]
        if process is not None and process.returncode is None:
            process.send_signal(signal.SIGKILL)
            await process.wait()

    def crashed(self) -> list[int]:
        """Indexes of processes that exited on their own (not killed by us)."""
        return [
            i
            for i, p in enumerate(self.processes)
            if p is not None and p.returncode not in (None, -signal.SIGKILL)
        ]

    async def stop_all(self) -> list[int | None]:
        for process in self.processes:
            if process is not None and process.returncode is None:
                process.send_signal(signal.SIGTERM)
        codes = []
        for process in self.processes:
            if process is not None:
                codes.append(await asyncio.wait_for(process.wait(), timeout=30))
        return codes


def worker_env(redis_url: str, config: Path) -> dict[str, str]:
    return {
        **{k: v for k, v in os.environ.items() if k != "REDIS_URL"},
        "REDIS_URL": redis_url,
        "BRIEFING_CONFIG": str(config),
        "BRIEFING_ALLOW_PRIVATE_TARGETS": "1",
        "BRIEFING_MIN_INTERVAL": "1",
        "BRIEFING_SCHEDULER_TICK": "0.1",
        "BRIEFING_CLAIM_BATCH": "5",
        "BRIEFING_FETCH_TIMEOUT": "3",
        "BRIEFING_CLAIM_LEASE": "5",
        "BRIEFING_PROCESS_LEASE": "2",
        "BRIEFING_RECLAIM_IDLE": "2",
        "BRIEFING_FAILURE_BACKOFF_BASE": "1",
        "BRIEFING_JITTER": "0",
        "BRIEFING_LOG_LEVEL": "WARNING",
        # Leases of 2 s need the workers scheduled promptly beside the suite's other
        # processes; tests/service/test_cli.py checks the default niceness.
        "BRIEFING_WORKER_NICENESS": "0",
    }


def write_config(path: Path, server: FeedServer, feeds: list[GrowingFeed]) -> None:
    urls = [server.add(f"/{f.name}", f) for f in feeds]
    path.write_text(
        "".join(
            f'[[feeds]]\nurl = "{u}"\nname = "{f.name}"\ninterval = 1\n\n'
            for u, f in zip(urls, feeds, strict=True)
        )
        + '[[briefings]]\nid = "all"\ntitle = "Everything"\n'
    )


AUDIT_GROUP = "audit"


async def keep_entries(store: Store, partitions: int = 4) -> None:
    """Keep every entry a run writes, for the exactly-once checks at its end.

    The maintenance job of a ``--role all`` worker trims the entries streams 30 s after it
    starts and every minute after, down to the oldest id a consumer group still needs
    (service/store/trim.py): acknowledged entries go. A run slowed by a busy machine
    outlived that and found its streams empty (a fresh-clone CI run, 2026-11-26). A
    group that never reads pins every entry, as an auditing consumer would. The partition
    count is set first, as the first process worker would set it (the default, 4), so
    every partition's stream has the group before anything is written."""
    count = await ensure_partitions(store, partitions)
    for partition in range(count):
        await store.redis.xgroup_create(
            store.keys.entries(partition), AUDIT_GROUP, id="0", mkstream=True
        )


async def entry_messages(store: Store) -> list[tuple[str, dict[str, str]]]:
    """Every message of every process partition's entries stream."""
    partitions = int(await store.redis.get(store.keys.partition_count) or 1)
    rows: list[tuple[str, dict[str, str]]] = []
    for partition in range(partitions):
        rows += await store.redis.xrange(store.keys.entries(partition))
    return rows


async def pending_entries(store: Store) -> int:
    """Messages read but not acknowledged, over every partition's entries stream."""
    partitions = int(await store.redis.get(store.keys.partition_count) or 1)
    total = 0
    for partition in range(partitions):
        try:
            info = await store.redis.xpending(store.keys.entries(partition), "process")
        except ResponseError:  # no stream or group yet: nothing read, nothing pending
            continue
        total += int(info["pending"])
    return total


async def one_story_each(store: Store, expected: set[str]) -> list[Story]:
    """Check that every article of ``expected`` is in exactly one story, the one its
    assignment names, and that each story was announced once (story.created); returns
    the stories."""
    assignment = await store.redis.hgetall(store.keys.story_of_article)
    assert set(assignment) == expected
    members: Counter[str] = Counter()
    stories = await store.stories.get_many(sorted(set(assignment.values())))
    for story in stories:
        for member_id in story.article_ids:
            members[member_id] += 1
            assert assignment[member_id] == story.id
    assert set(members) == expected and max(members.values()) == 1
    created = [f for _i, f in await store.redis.xrange(store.keys.events_stream)
               if f["type"] == "story.created"]  # fmt: skip
    assert len(created) == len(stories), "one story.created per story"
    return stories
