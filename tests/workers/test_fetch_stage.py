"""FetchStage: with ``parse_processes`` > 0, parse + normalize in a process pool gives the
same stored result as on the event loop, and a dead worker is a failed poll, not a crash;
its pre-filter leaves stored entries unnormalized with the result the ingest alone gives."""

from __future__ import annotations

import asyncio
import codecs
import functools
import json
import os
import re
import signal
import time
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import workers.fetch_stage as fetch_stage
import workers.normalize as normalize
from service.models import Article, FeedConfig, ParsedFeed
from service.settings import Settings
from service.store import Store
from service.store.seen_identities import IdentityStore
from tests.factories import BBC_WORLD, SHARED_FEEDS, many_attributes, shared_feed_manifest
from tests.feedserver import FeedServer, document
from tests.support.processes import busy_core, gone
from workers import parse_pool
from workers.claim_loop import FetchScheduler
from workers.fetch_stage import FetchStage, PollReport, storage_article
from workers.http_fetch import Fetcher
from workers.normalize import entry_identity, normalize_document, normalize_entry
from workers.parse import parse_feed
from workers.parse_calls import PARSE_NICENESS, Digest, parse_and_normalize, parse_document
from workers.runtime import parse_processes_for

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


# A parse deadline (and wait) for tests whose parse process imports this test module: the
# process runs niced (PARSE_NICENESS), so on a host busy with other work its start and that
# import can take tens of seconds, which a 30 s deadline turned into a timeout.
_SLOW_START = 300.0


def settings(processes: int = 0, parse_timeout: float = 30.0) -> Settings:
    return Settings(
        allow_private_targets=True,
        jitter=0.0,
        parse_processes=processes,
        parse_timeout=parse_timeout,
    )


@pytest.fixture(autouse=True)
def no_pools_left() -> Iterator[None]:
    yield
    fetch_stage.shutdown_pools()


async def poll_once(
    processes: int, store: Store, url: str, parse_timeout: float = 30.0
) -> PollReport:
    feed_id, _ = await store.feeds.add(FeedConfig(url=url), first_poll=NOW)
    feed = await store.feeds.get(feed_id)
    assert feed is not None
    config = settings(processes, parse_timeout)
    async with Fetcher(config) as fetcher:
        return await FetchStage(config, store, fetcher).poll(feed, now=NOW)


async def stored_articles(store: Store) -> list[tuple[str, str, str, str]]:
    messages = await store.redis.xrange(store.keys.entries_stream)
    articles = await store.articles.get_many([fields["article"] for _, fields in messages])
    return sorted((a.id, a.title, a.text, a.language) for a in articles)


@pytest.fixture
async def served(feed_server: FeedServer) -> AsyncIterator[str]:
    yield feed_server.add("/bbc.xml", BBC_WORLD)


async def test_pool_stores_what_the_loop_stores(served: str, store: Store) -> None:
    on_loop = await poll_once(0, store, served)
    loop_articles = await stored_articles(store)
    await store.redis.flushdb()
    in_pool = await poll_once(1, store, served)
    assert (in_pool.outcome, in_pool.entries, in_pool.new) == (
        on_loop.outcome,
        on_loop.entries,
        on_loop.new,
    )
    assert on_loop.new > 20
    assert await stored_articles(store) == loop_articles


async def test_a_warm_parse_process_killed_while_idle_costs_the_next_poll_nothing(
    served: str, store: Store
) -> None:
    feed_id, _ = await store.feeds.add(FeedConfig(url=served), first_poll=NOW)
    feed = await store.feeds.get(feed_id)
    assert feed is not None
    async with Fetcher(settings(1)) as fetcher:
        stage = FetchStage(settings(1), store, fetcher)
        await stage.start_parsers()
        (idle,) = fetch_stage._pool(1, 30.0).pids()
        os.kill(idle, signal.SIGKILL)  # the OOM killer, or an operator
        assert await gone(idle)
        report = await stage.poll(feed, now=NOW)
    assert (report.outcome, report.error) == ("new_entries", None)
    assert report.new > 20
    state = (await store.feeds.by_url(served)).state  # type: ignore[union-attr]
    assert state.consecutive_failures == 0


async def test_a_document_that_kills_its_parse_process_twice_fails_alone_and_the_pool_serves_on(
    served: str, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Kill the pool's worker each time it is handed the document (as a document that
    # crashes the parser would, on the first try and on the fresh process). The worker
    # first imports this test module to find ``_die``, within the parse deadline: a
    # deadline far beyond that import keeps a slow machine from turning the death into a
    # timeout.
    real = fetch_stage.parse_and_normalize  # a feed's first document: one call
    monkeypatch.setattr(fetch_stage, "parse_and_normalize", _die)
    report = await poll_once(1, store, served, parse_timeout=_SLOW_START)
    assert (report.outcome, report.error) == ("error", fetch_stage.PARSE_PROCESS_DIED)
    state = (await store.feeds.by_url(served)).state  # type: ignore[union-attr]
    assert state.consecutive_failures == 1 and state.last_error == report.error

    monkeypatch.setattr(fetch_stage, "parse_and_normalize", real)
    feed = await store.feeds.by_url(served)
    assert feed is not None
    async with Fetcher(settings(1, _SLOW_START)) as fetcher:
        again = await FetchStage(settings(1, _SLOW_START), store, fetcher).poll(feed, now=NOW)
    assert again.outcome == "new_entries" and again.error is None


def _die(*args: object) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


async def test_a_parse_process_killed_mid_parse_costs_the_feed_nothing_and_stores_it_once(
    served: str, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """kill -9 of the parse process in the middle of a parse (the OOM killer, an
    operator): the parse is made again on a fresh process, and the poll stores each entry
    once, as an undisturbed poll does, with no error recorded."""
    parsing = tmp_path / "parsing"
    monkeypatch.setattr(
        fetch_stage, "parse_and_normalize", functools.partial(_stall_the_first_time, parsing)
    )
    polling = asyncio.create_task(poll_once(1, store, served, parse_timeout=_SLOW_START))
    for _ in range(int(_SLOW_START / 0.05)):
        if parsing.exists() and parsing.read_text():
            break
        await asyncio.sleep(0.05)
    os.kill(int(parsing.read_text()), signal.SIGKILL)
    report = await polling
    assert (report.outcome, report.error) == ("new_entries", None)
    stored = await stored_articles(store)
    assert len(stored) == report.new > 20
    assert len({article_id for article_id, *_ in stored}) == len(stored)
    state = (await store.feeds.by_url(served)).state  # type: ignore[union-attr]
    assert state.consecutive_failures == 0 and state.last_error is None


def _stall_the_first_time(marker: Path, *args: Any) -> Digest:
    """The first call writes its process id to ``marker`` and never returns (to be killed
    there); later calls parse and normalize."""
    if not marker.exists():
        marker.write_text(str(os.getpid()))
        time.sleep(3600)
    return parse_and_normalize(*args)


def _spin_forever(*args: object) -> None:
    while True:
        pass


def _pid() -> int:
    return os.getpid()


async def test_a_parse_starved_of_cpu_past_the_wall_cap_fails_its_poll_saying_so(
    served: str, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The parse process shares its core with a busy process of better rank and hardly
    # runs: the poll fails at the wall cap (three deadlines here; a first document has
    # two deadlines of 1 s), and its error says the time went waiting for a CPU.
    monkeypatch.setattr(parse_pool, "WALL_CAP_DEADLINES", 3)
    monkeypatch.setattr(fetch_stage, "parse_and_normalize", _spin_forever)
    feed_id, _ = await store.feeds.add(FeedConfig(url=served), first_poll=NOW)
    feed = await store.feeds.get(feed_id)
    assert feed is not None
    config = settings(1, parse_timeout=1.0)
    async with Fetcher(config) as fetcher:
        stage = FetchStage(config, store, fetcher)
        pool = fetch_stage._pool(1, 1.0)
        # The worker starts and imports this module before its core is made busy.
        worker = await pool.run(_pid, deadlines=int(_SLOW_START))
        with busy_core() as core:
            os.sched_setaffinity(worker, {core})
            report = await stage.poll(feed, now=NOW)
    assert report.outcome == "error"
    assert report.error is not None
    assert report.error.startswith("parse: gave up after 6 s of wall time on a document of ")
    assert report.error.endswith(
        "waiting for a CPU (the host is too busy to run the parse process): give the "
        "service more CPU or run less beside it"
    )


async def test_a_first_document_has_the_deadlines_of_the_parse_and_normalize_it_does(
    served: str, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A first document is parsed and normalized in one call, where a later one makes
    two calls of a deadline each: a document each call would finish in time must not fail
    at every poll (a first document stays first until a poll of it succeeds). The wall cap
    is raised out of the way: on a host loaded by other work the stalled process waits for
    a CPU, which the wall cap, not the deadline, judges (tests of their own above)."""
    monkeypatch.setattr(parse_pool, "WALL_CAP_DEADLINES", 1000)
    monkeypatch.setattr(
        fetch_stage,
        "parse_and_normalize",
        functools.partial(_stall_the_first_time, tmp_path / "parsing"),
    )
    report = await poll_once(1, store, served, parse_timeout=1.0)
    assert report.outcome == "error"
    assert report.error == fetch_stage.parse_deadline_error(2.0, len(BBC_WORLD))


async def test_a_parse_process_that_cannot_start_is_no_fault_of_the_document(
    served: str, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fetch_stage, "warm_worker", _fail_to_start)
    report = await poll_once(1, store, served)
    assert (report.outcome, report.error) == ("error", fetch_stage.PARSE_PROCESS_NOT_STARTED)


def _fail_to_start() -> None:
    raise SystemExit(3)


async def test_digest_keeps_no_entries_but_their_count(store: Store) -> None:
    config = FeedConfig(url="https://feeds.bbci.co.uk/news/world/rss.xml")
    async with Fetcher(settings(1)) as fetcher:
        stage = FetchStage(settings(1), store, fetcher)
        digest = await stage._digest(BBC_WORLD, config.url, None, config, NOW)
        first = await stage._digest(BBC_WORLD, config.url, None, config, NOW, first=True)
    assert digest.feed.entries == () and digest.entries == len(digest.articles) > 20
    assert digest.feed.error is None and digest.feed.title and digest.stored == 0
    assert first == digest  # a first document's one call: the same feed, count and articles


def test_parse_off_the_loop_by_default_wherever_feeds_are_fetched() -> None:
    unset = Settings()
    assert parse_processes_for(unset, ["fetch", "process", "notify"]) == 1
    assert parse_processes_for(unset, ["fetch"], cpus=1) == 1
    assert parse_processes_for(unset, ["fetch"], cpus=2) == 2  # a fetch-only worker: both cores
    assert parse_processes_for(unset, ["fetch"], cpus=16) == 2
    assert parse_processes_for(unset, ["fetch", "notify"], cpus=2) == 2
    assert parse_processes_for(unset, ["fetch", "process"], cpus=16) == 1
    assert parse_processes_for(unset, ["process", "notify"]) == 0
    assert parse_processes_for(Settings(parse_processes=0), ["fetch", "process"]) == 0
    assert parse_processes_for(Settings(parse_processes=3), ["fetch"]) == 3


def _niceness() -> int:
    return os.nice(0)


async def test_parse_workers_yield_the_cpu_to_the_event_loops() -> None:
    worker = await fetch_stage._pool(1, _SLOW_START).run(_niceness)
    assert worker >= min(19, os.nice(0) + PARSE_NICENESS)


async def test_a_hostile_feed_fails_alone_and_the_normal_feed_is_ingested(
    feed_server: FeedServer, store: Store
) -> None:
    hostile = feed_server.add("/hostile.xml", many_attributes(60_000))
    normal = feed_server.add("/bbc.xml", BBC_WORLD)
    config = Settings(allow_private_targets=True, jitter=0.0, parse_processes=1, parse_timeout=1.0)
    await store.feeds.add(FeedConfig(url=hostile), first_poll=NOW)
    await store.feeds.add(FeedConfig(url=normal), first_poll=NOW)
    async with Fetcher(config) as fetcher:
        stage = FetchStage(config, store, fetcher)
        scheduler = FetchScheduler(config, store, stage, clock=lambda: NOW)
        assert await scheduler.tick() == 2  # both polls run at once; one parse process
        reports = {r.url: r for r in await asyncio.gather(*scheduler.inflight) if r}
    assert reports[normal].outcome == "new_entries" and reports[normal].new > 20
    assert reports[hostile].outcome == "error"
    size = len(many_attributes(60_000)) / 1_000_000
    # A first document: the parse's and normalize's 1 s; on a host too busy to run the
    # parse process for them, the wall cap (ten times that) ends it first.
    assert reports[hostile].error == (
        f"parse: gave up after 2 s on a document of {size:.1f} MB (too costly to parse in "
        "time): raise BRIEFING_PARSE_TIMEOUT, or ask the publisher for a shorter feed"
    ) or str(reports[hostile].error).startswith(
        f"parse: gave up after 20 s of wall time on a document of {size:.1f} MB, "
    )
    state = (await store.feeds.by_url(hostile)).state  # type: ignore[union-attr]
    assert state.last_error == reports[hostile].error and state.consecutive_failures == 1
    assert state.next_poll is not None and state.next_poll > NOW  # backed off, not dropped
    assert len(await stored_articles(store)) == reports[normal].new


async def test_shutdown_ends_a_parse_in_progress_and_the_feed_is_not_marked_failed(
    feed_server: FeedServer, store: Store
) -> None:
    hostile = feed_server.add("/hostile.xml", many_attributes(60_000))
    config = Settings(allow_private_targets=True, jitter=0.0, parse_processes=1, parse_timeout=3600)
    await store.feeds.add(FeedConfig(url=hostile), first_poll=NOW)
    async with Fetcher(config) as fetcher:
        stage = FetchStage(config, store, fetcher)
        scheduler = FetchScheduler(config, store, stage, clock=lambda: NOW)
        await asyncio.create_task(scheduler.tick())  # as APScheduler runs it
        while not feed_server.requests_to("/hostile.xml"):  # noqa: ASYNC110
            await asyncio.sleep(0.05)
        await asyncio.sleep(0.5)  # fetched; parsing (or starting the worker to parse)
        stage.close()
        await scheduler.stop(grace=3600)  # returns because the parse was ended
    state = (await store.feeds.by_url(hostile)).state  # type: ignore[union-attr]
    assert state.last_attempt is None and state.consecutive_failures == 0


# ------------------------------------------------------------------------------------------
# The fetch stage's pre-filter: entries whose identity is already stored are not normalized,
# and the result is what the ingest alone would have stored (real Redis, a real feed server on
# 127.0.0.1).
#
# What "the ingest alone" does with each kind of entry (service/store/articles.py,
# ``INGEST``): an entry whose identity key exists is a duplicate whatever changed in it (an
# edited title under the same GUID, a GUID re-used for other content), so skipping it changes
# nothing; an entry whose key is new (no GUID, edited text: a new content hash) is normalized
# and stored as today.


FEEDS = Path(__file__).resolve().parents[1] / "data" / "feeds"


def item(
    guid: str | None,
    title: str,
    *,
    link: str | None = None,
    text: str = "",
    pub_date: str | None = None,
) -> str:
    parts = [f"<title>{title}</title>", f"<description>{text or title + ' text'}</description>"]
    if guid is not None:
        parts.append(f'<guid isPermaLink="false">{guid}</guid>')
    if link is not None:
        parts.append(f"<link>{link}</link>")
    if pub_date is not None:
        parts.append(f"<pubDate>{pub_date}</pubDate>")
    return "<item>" + "".join(parts) + "</item>"


def rss(*items: str) -> bytes:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
        "<language>en</language>" + "".join(items) + "</channel></rss>"
    ).encode()


@pytest.fixture
def normalized(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Titles of the entries normalize_entry was asked to normalize, in order."""
    seen: list[str] = []
    real = normalize.normalize_entry

    def counting(entry: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(entry.title)
        return real(entry, *args, **kwargs)

    monkeypatch.setattr(normalize, "normalize_entry", counting)
    return seen


async def poll(store: Store, url: str, *, now: datetime = NOW, processes: int = 0) -> PollReport:
    feed = await store.feeds.by_url(url)
    if feed is None:
        feed_id, _ = await store.feeds.add(FeedConfig(url=url), first_poll=now)
        feed = await store.feeds.get(feed_id)
    assert feed is not None
    async with Fetcher(settings(processes)) as fetcher:
        return await FetchStage(settings(processes), store, fetcher).poll(feed, now=now)


async def stored_titles(store: Store) -> list[str]:
    """Titles of the articles the entries stream announced as new, in order."""
    messages = await store.redis.xrange(store.keys.entries_stream)
    ids = [fields["article"] for _, fields in messages if fields["kind"] == "new"]
    return [a.title for a in await store.articles.get_many(ids)]


async def test_only_entries_not_stored_are_normalized(
    feed_server: FeedServer, store: Store, normalized: list[str]
) -> None:
    url = feed_server.add("/f.xml", rss(item("a", "A"), item("b", "B")))
    first = await poll(store, url)
    assert (first.new, first.duplicates) == (2, 0)
    normalized.clear()

    feed_server.add("/f.xml", rss(item("c", "C"), item("a", "A"), item("b", "B")))
    second = await poll(store, url, now=NOW + timedelta(minutes=15))
    assert normalized == ["C"]
    assert (second.entries, second.new, second.duplicates) == (3, 1, 2)
    assert await stored_titles(store) == ["A", "B", "C"]


# A feed's first document is parsed and normalized in one call, its stored entries left to
# the ingest: it stores and reports what the pre-filtered path does.

OURS = rss(
    item("g1", "Carried by another feed too", link="https://x.example/1"),
    item("g2", "Ours alone", link="https://x.example/2"),
    item(None, "The other feed's link, no guid", link="https://x.example/3"),
    item(None, "A link of our own, no guid", link="https://x.example/4"),
    item(None, "Neither guid nor link"),
)
OTHERS = rss(
    item("o1", "Carried by another feed too", link="https://x.example/1"),
    item(None, "The other feed's link, no guid", link="https://x.example/3"),
)


async def poll_outcome(store: Store, report: PollReport) -> tuple[Any, ...]:
    """A poll's report, the entries stream's messages and the articles they name."""
    messages = await store.redis.xrange(store.keys.entries_stream)
    fields = [(f["article"], f["kind"], f["feed_url"], f["feed"]) for _, f in messages]
    articles = await store.articles.get_many(sorted({f["article"] for _, f in messages}))
    counts = (report.outcome, report.entries, report.new, report.new_sources, report.duplicates)
    return counts, fields, articles


@pytest.mark.parametrize("processes", [0, 1])
async def test_a_first_document_stores_and_reports_what_the_pre_filtered_path_does(
    feed_server: FeedServer, store: Store, processes: int
) -> None:
    others = feed_server.add("/others.xml", OTHERS)
    url = feed_server.add("/f.xml", OURS)
    await poll(store, others, processes=processes)
    in_one_call = await poll_outcome(store, await poll(store, url, processes=processes))
    await store.redis.flushdb()

    await poll(store, others, processes=processes)
    feed_server.add("/f.xml", rss())  # an empty first document: the next one is filtered
    await poll(store, url, processes=processes)
    feed_server.add("/f.xml", OURS)
    filtered = await poll_outcome(store, await poll(store, url, processes=processes))
    assert filtered == in_one_call
    assert in_one_call[0] == ("new_entries", 5, 3, 1, 1)


async def test_a_first_document_crosses_once_and_is_not_pre_filtered(
    feed_server: FeedServer, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: Counter[str] = Counter()
    for name in ("parse_document", "normalize_new", "parse_and_normalize"):
        monkeypatch.setattr(fetch_stage, name, counted(calls, getattr(fetch_stage, name)))
    real = IdentityStore.stored

    async def read(self: IdentityStore, identities: list[str]) -> list[bool]:
        calls["pre-filter"] += 1
        return await real(self, identities)

    monkeypatch.setattr(IdentityStore, "stored", read)
    url = feed_server.add("/f.xml", rss(item("a", "A"), item("b", "B")))
    first = await poll(store, url)
    assert (first.new, calls) == (2, Counter({"parse_and_normalize": 1}))
    feed_server.add("/f.xml", rss(item("c", "C"), item("a", "A"), item("b", "B")))
    second = await poll(store, url, now=NOW + timedelta(minutes=15))
    assert (second.new, second.duplicates) == (1, 2)
    assert calls == Counter(
        {"parse_and_normalize": 1, "parse_document": 1, "pre-filter": 1, "normalize_new": 1}
    )


def counted(calls: Counter[str], fn: Any) -> Any:
    def call(*args: Any) -> Any:
        calls[fn.__name__] += 1
        return fn(*args)

    return call


async def test_pool_path_filters_the_same(
    feed_server: FeedServer, store: Store, normalized: list[str]
) -> None:
    url = feed_server.add("/f.xml", rss(item("a", "A"), item("b", "B")))
    await poll(store, url, processes=1)
    feed_server.add("/f.xml", rss(item("c", "C"), item("a", "A"), item("b", "B")))
    second = await poll(store, url, now=NOW + timedelta(minutes=15), processes=1)
    assert (second.new, second.duplicates) == (1, 2)
    assert await stored_titles(store) == ["A", "B", "C"]


async def test_edited_and_reused_guids_stay_duplicates_as_the_ingest_decides(
    feed_server: FeedServer, store: Store, normalized: list[str]
) -> None:
    url = feed_server.add("/f.xml", rss(item("a", "A"), item("1", "Story one")))
    await poll(store, url)
    # The ingest's own answer for an edited entry under a stored GUID, without the filter:
    edited = rss(item("a", "A, corrected"), item("1", "A different story, guid re-used"))
    config = FeedConfig(url=url)
    feed = parse_feed(edited, url)
    for article in normalize_document(feed, config, now=NOW, text_max_chars=1500):
        assert await store.articles.ingest(storage_article(article)) == "duplicate"
    normalized.clear()

    feed_server.add("/f.xml", edited)
    report = await poll(store, url, now=NOW + timedelta(minutes=15))
    assert normalized == []  # both identities were stored: nothing to normalize
    assert (report.new, report.duplicates) == (0, 2)
    assert await stored_titles(store) == ["A", "Story one"]  # as the ingest keeps them


async def test_a_guid_given_to_different_items_of_one_document_loses_none_of_them(
    feed_server: FeedServer, store: Store
) -> None:
    url = feed_server.add(
        "/f.xml",
        rss(
            item("1", "Glacier", link="https://x.example/a"),
            item("1", "Chess", link="https://x.example/b"),
            item("1", "Bakery"),
            item("a", "Listed twice", link="https://x.example/c"),
            item("a", "Listed twice", link="https://x.example/c"),
        ),
    )
    report = await poll(store, url)
    assert (report.new, report.duplicates) == (4, 1)
    assert await stored_titles(store) == ["Glacier", "Chess", "Bakery", "Listed twice"]


async def test_entry_without_guid_or_link_is_new_when_its_text_changes(
    feed_server: FeedServer, store: Store, normalized: list[str]
) -> None:
    url = feed_server.add("/f.xml", rss(item(None, "Bulletin", text="Rain at noon.")))
    await poll(store, url)
    normalized.clear()
    feed_server.add("/f.xml", rss(item(None, "Bulletin", text="Rain at noon, then snow.")))
    report = await poll(store, url, now=NOW + timedelta(minutes=15))
    assert normalized == ["Bulletin"]  # a new content hash: a new identity, as today
    assert report.new == 1
    assert await stored_titles(store) == ["Bulletin", "Bulletin"]


async def test_identity_stored_between_the_check_and_the_ingest_is_one_duplicate(
    feed_server: FeedServer, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = feed_server.add("/f.xml", rss(item("z", "Z")))
    await poll(store, url)  # the pre-filter reads from the feed's second document on
    feed_server.add("/f.xml", rss(item("a", "A"), item("b", "B")))
    real = IdentityStore.stored

    async def then_another_worker_ingests(self: IdentityStore, identities: list[str]) -> list[bool]:
        answer = await real(self, identities)
        # Another worker polls the same document right after our read and stores "a".
        feed = parse_feed(rss(item("a", "A")), url)
        for article in normalize_document(feed, FeedConfig(url=url), now=NOW, text_max_chars=1500):
            await store.articles.ingest(storage_article(article))
        return answer

    monkeypatch.setattr(IdentityStore, "stored", then_another_worker_ingests)
    report = await poll(store, url, now=NOW + timedelta(minutes=15))
    assert (report.new, report.duplicates) == (1, 1)  # the ingest script said "duplicate"
    assert sorted(await stored_titles(store)) == ["A", "B", "Z"]  # each stored exactly once


async def test_identity_gone_through_retention_is_ingested_again_as_without_the_filter(
    feed_server: FeedServer, store: Store
) -> None:
    url = feed_server.add("/f.xml", rss(item("a", "A")))
    await poll(store, url)
    identities = IdentityStore(store.redis, store.keys)
    [stored_a] = await store.articles.get_many(
        [f["article"] for _, f in await store.redis.xrange(store.keys.entries_stream)]
    )
    # Retention pruned the article and its identity tombstone expired (retention.py).
    await store.redis.delete(identities.key(stored_a.identity), store.keys.article(stored_a.id))
    assert await identities.stored([stored_a.identity]) == [False]

    feed_server.add("/f.xml", rss(item("b", "B"), item("a", "A")))
    report = await poll(store, url, now=NOW + timedelta(minutes=15))
    assert (report.new, report.duplicates) == (2, 0)
    assert await identities.stored([stored_a.identity]) == [True]


async def test_identity_gone_between_the_check_and_the_ingest_is_taken_next_poll(
    feed_server: FeedServer, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = feed_server.add("/f.xml", rss(item("a", "A")))
    await poll(store, url)
    identities = IdentityStore(store.redis, store.keys)
    [a] = await store.articles.get_many(
        [f["article"] for _, f in await store.redis.xrange(store.keys.entries_stream)]
    )
    real = IdentityStore.stored

    async def then_retention_forgets_a(self: IdentityStore, keys: list[str]) -> list[bool]:
        answer = await real(self, keys)
        await store.redis.delete(self.key(a.identity), store.keys.article(a.id))
        return answer

    monkeypatch.setattr(IdentityStore, "stored", then_retention_forgets_a)
    feed_server.add("/f.xml", rss(item("b", "B"), item("a", "A")))
    report = await poll(store, url, now=NOW + timedelta(minutes=15))
    # "a" was stored at the read: skipped, as an ingest at that instant would have done.
    assert (report.new, report.duplicates) == (1, 1)
    monkeypatch.setattr(IdentityStore, "stored", real)

    # The next changed document is checked again: "a" is stored again, not lost.
    feed_server.add("/f.xml", rss(item("c", "C"), item("b", "B"), item("a", "A")))
    again = await poll(store, url, now=NOW + timedelta(minutes=30))
    assert (again.new, again.duplicates) == (2, 1)
    assert await identities.stored([a.identity]) == [True]
    assert (await stored_titles(store))[-2:] == ["C", "A"]


# --- the identity the filter checks is the one normalization gives ------------------------


def corpus() -> list[tuple[str, ParsedFeed]]:
    docs = []
    for path in sorted(FEEDS.iterdir()):
        url = f"https://feeds.example.org/{path.name}"
        feed = parse_feed(path.read_bytes(), url)
        if feed.error is None and feed.entries:
            docs.append((url, feed))
    return docs


def test_entry_identity_is_the_normalized_articles_identity() -> None:
    checked = 0
    for url, feed in corpus():
        config = FeedConfig(url=url)
        for entry in feed.entries:
            article = normalize_entry(entry, feed, config, now=NOW, text_max_chars=1500)
            if article is not None:
                assert entry_identity(entry, feed, config) == article.identity
                checked += 1
    assert checked > 200


def test_skipping_entries_leaves_the_others_exactly_as_they_were() -> None:
    for url, feed in corpus():
        config = FeedConfig(url=url)
        full = normalize_document(feed, config, now=NOW, text_max_chars=1500)
        identities = parse_document(b"", url, None, config).identities  # error: none
        assert identities == []
        keys = [entry_identity(e, feed, config) for e in feed.entries]
        for parity in (0, 1):
            chosen = {k for i, k in enumerate(keys) if i % 2 == parity}
            skip = frozenset(i for i, k in enumerate(keys) if k in chosen)
            kept = normalize_document(feed, config, now=NOW, text_max_chars=1500, skip=skip)
            assert kept == [a for a in full if a.identity not in chosen]


# --- every fixture document through the poller -------------------------------------------

DATA = Path(__file__).resolve().parents[1] / "data"
GOLDEN_NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)  # tests/workers/test_normalize.py's NOW
GOLDEN_BASE = "https://feeds.example.org/"  # the URL the goldens were parsed under


def _served_type(name: str, golden: dict[str, Any]) -> str:
    """What a server would send: the golden's Content-Type, else a type without charset."""
    declared: str | None = golden["content_type"]
    return declared or ("application/json" if name.endswith(".json") else "application/xml")


@pytest.mark.parametrize("name", sorted(p.name for p in (DATA / "feeds").iterdir()))
async def test_every_fixture_document_gets_its_golden_outcome_through_the_poller(
    name: str, store: Store, feed_server: FeedServer
) -> None:
    # The golden (tests/data/golden, made by test_normalize from the bytes alone) is what
    # a poll of the document over real HTTP must store: the poller adds the fetch, the
    # Content-Type, the dedupe and Redis, and none of them may change a title, a link, a
    # date or a language, or turn a readable error into another.
    golden = json.loads((DATA / "golden" / f"{name}.json").read_text(encoding="utf-8"))
    body = (DATA / "feeds" / name).read_bytes()
    url = feed_server.add(f"/{name}", document(body, content_type=_served_type(name, golden)))
    base = url.removesuffix(name)
    feed_id, _ = await store.feeds.add(FeedConfig(url=url), first_poll=GOLDEN_NOW)
    feed = await store.feeds.get(feed_id)
    assert feed is not None
    config = Settings(allow_private_targets=True, jitter=0.0, parse_processes=0, text_max_chars=240)
    async with Fetcher(config) as fetcher:
        report = await FetchStage(config, store, fetcher).poll(feed, now=GOLDEN_NOW)
    state = (await store.feeds.get(feed_id)).state  # type: ignore[union-attr]

    if golden["feed"]["error"]:
        assert (report.outcome, report.error) == ("error", golden["feed"]["error"])
        assert state.last_error == golden["feed"]["error"] and state.consecutive_failures == 1
        return
    assert report.outcome == "new_entries" and report.error is None
    assert report.entries == golden["feed"]["entries"]
    assert state.title == golden["feed"]["title"]
    messages = await store.redis.xrange(store.keys.entries_stream)
    stored = await store.articles.get_many([fields["article"] for _, fields in messages])
    assert len(stored) == report.new and (report.new > 0) == (report.entries > 0)
    by_url: dict[str, list[Article]] = {}
    for a in stored:
        by_url.setdefault(a.url, []).append(a)
    urls = Counter(article["url"] for article in golden["articles"])
    for article in golden["articles"]:
        served_url = article["url"].replace(GOLDEN_BASE, base)
        if served_url and urls[article["url"]] > 1:
            # Items sharing one link are one article (the first of them in the document).
            assert len(by_url[served_url]) == 1
            continue
        [match] = [a for a in stored if (a.title, a.url) == (article["title"], served_url)]
        assert match.published.isoformat() == article["published"]
        # The poller detects the language once per document (normalize_document), which
        # can name one where an entry alone (the golden) is too short to tell.
        assert match.language == article["language"] or not article["language"]


SHARED_MANIFEST = shared_feed_manifest()
# Manifest formats that are no feed at all: generic XML, a JSON that is not a JSON Feed,
# invalid JSON, an empty or undecodable document.
NOT_FEEDS = ("other:", "json(invalid)", "json(non-jsonfeed)", "unparseable")
_MANIFEST_ITEMS = re.compile(r"(?:^|; )items=(\d+)")
_MANIFEST_TITLE = re.compile(r"title='(.*?)'; items=")


@pytest.mark.skipif(not SHARED_MANIFEST, reason=f"{SHARED_FEEDS} (shared corpus) is absent")
async def test_every_shared_document_gets_the_manifests_outcome_through_the_poller(
    store: Store, feed_server: FeedServer
) -> None:
    # One poll each over real HTTP: a document the manifest counts items in stores exactly
    # that many entries (and, for a real capture, the channel title it lists); one that is
    # no feed fails with one readable line, never a traceback or an exception's repr.
    config = Settings(allow_private_targets=True, jitter=0.0, parse_processes=0)
    wrong: list[str] = []
    async with Fetcher(config) as fetcher:
        stage = FetchStage(config, store, fetcher)
        for row in SHARED_MANIFEST:
            json_doc = row["format"].startswith("json")
            served = document(
                (SHARED_FEEDS / row["file"]).read_bytes(),
                content_type="application/feed+json" if json_doc else "application/xml",
            )
            url = feed_server.add("/" + row["file"], served)
            feed_id, _ = await store.feeds.add(FeedConfig(url=url), first_poll=NOW)
            feed = await store.feeds.get(feed_id)
            assert feed is not None
            report = await stage.poll(feed, now=NOW)
            items = _MANIFEST_ITEMS.search(row["notes"])
            title = _MANIFEST_TITLE.search(row["notes"])
            state = (await store.feeds.get(feed_id)).state  # type: ignore[union-attr]
            if row["format"].startswith(NOT_FEEDS) and items and items.group(1) == "0":
                ok = report.outcome == "error" and _one_readable_line(report.error)
            else:
                ok = report.outcome == "new_entries" and items is not None
                ok = ok and report.entries == int(items.group(1))  # type: ignore[union-attr]
                if row["file"].startswith("real/") and title:
                    ok = ok and state.title == title.group(1)
            if not ok:
                wrong.append(f"{row['file']}: {report.outcome} {report.entries} {report.error}")
    assert wrong == []


def _one_readable_line(message: str | None) -> bool:
    return bool(message) and "\n" not in message and "Error(" not in message  # type: ignore[operator]


async def test_items_told_apart_by_fragment_are_stored_each(
    store: Store, feed_server: FeedServer
) -> None:
    # A journal page's days, as in ../shared/feeds' kagisearch…1d58ba8460bcc2d0 (30 items,
    # one page): the fragment is all that tells them apart (RFC 3986 §3.5, a secondary
    # resource of the page), so each is an article. Items each on their own page keep
    # dropping a fragment they share (#comments), and stay one article per page.
    entries = "".join(
        f"<entry><title>{title}</title><id>urn:x:{n}</id><link href='{href}'/>"
        "<updated>2026-02-16T00:00:00Z</updated></entry>"
        for n, (title, href) in enumerate(
            [
                ("Logo", "https://wiki.example/now.html#2026-02-16"),
                ("Sewing machine", "https://wiki.example/now.html#2026-01-26"),
                ("Madrid", "https://wiki.example/now.html#2026-02-11"),
                ("Essay", "https://wiki.example/essay.html#comments"),
                ("Other essay", "https://wiki.example/other.html#comments"),
            ]
        )
    )
    doc = f"<feed xmlns='http://www.w3.org/2005/Atom'><title>Journal</title>{entries}</feed>"
    url = feed_server.add(
        "/journal.atom", document(doc.encode(), content_type="application/atom+xml")
    )
    report = await poll_once(0, store, url)
    assert (report.entries, report.new, report.duplicates) == (5, 5, 0)
    urls = {url for _id, _title, url in await stored_urls(store)}
    assert urls == {
        "https://wiki.example/now.html#2026-02-16",
        "https://wiki.example/now.html#2026-01-26",
        "https://wiki.example/now.html#2026-02-11",
        "https://wiki.example/essay.html",
        "https://wiki.example/other.html",
    }


@pytest.mark.parametrize("processes", [0, 1])
async def test_a_date_only_item_is_stored_at_the_poll_that_first_saw_it(
    store: Store, feed_server: FeedServer, processes: int
) -> None:
    # A scraper-made feed stamping every item 00:00 (as ../shared/feeds' BBC Russian one):
    # today's item takes the poll's time, yesterday's that day's last second, and a later
    # poll stores the next day's item at its own time without moving the stored ones.
    today = item("1", "Today", pub_date="Wed, 25 Nov 2026 00:00:00 +0000")
    yesterday = item("2", "Yesterday", pub_date="Tue, 24 Nov 2026 00:00:00 +0000")
    url = feed_server.add("/days.xml", rss(today, yesterday))
    await poll(store, url, processes=processes)
    tomorrow = item("3", "Tomorrow", pub_date="Thu, 26 Nov 2026 00:00:00 +0000")
    feed_server.add("/days.xml", rss(tomorrow, today, yesterday))
    later = NOW + timedelta(days=1, hours=3)
    report = await poll(store, url, now=later, processes=processes)
    assert (report.new, report.duplicates) == (1, 2)
    messages = await store.redis.xrange(store.keys.entries_stream)
    articles = await store.articles.get_many([fields["article"] for _, fields in messages])
    assert {a.title: a.published for a in articles} == {
        "Today": NOW,
        "Yesterday": datetime(2026, 11, 24, 23, 59, 59, tzinfo=UTC),
        "Tomorrow": later,
    }


async def stored_urls(store: Store) -> list[tuple[str, str, str]]:
    messages = await store.redis.xrange(store.keys.entries_stream)
    articles = await store.articles.get_many([fields["article"] for _, fields in messages])
    return sorted((a.id, a.title, a.url) for a in articles)


CYRILLIC_RSS = (
    "<rss version='2.0'><channel><title>Новини</title><item><title>Київ: новини дня</title>"
    "<link>https://news.example.org/1</link></item></channel></rss>"
)


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        # A feed served as a web page is still read as the feed it is (the body says what
        # it is; Content-Type only lends its charset).
        pytest.param(CYRILLIC_RSS.encode(), "text/html; charset=utf-8", id="served-as-html"),
        # RFC 7303 §3: a BOM outranks the charset parameter (and every other label).
        pytest.param(
            codecs.BOM_UTF16_LE + CYRILLIC_RSS.encode("utf-16-le"),
            "application/rss+xml; charset=utf-8",
            id="utf-16-bom-over-http-charset",
        ),
        # RFC 7303 §3: without a BOM or declaration, the charset parameter says it.
        pytest.param(
            CYRILLIC_RSS.encode("cp1251"),
            "application/rss+xml; charset=windows-1251",
            id="http-charset-undeclared",
        ),
    ],
)
async def test_the_poller_reads_the_text_the_bytes_and_labels_say(
    body: bytes, content_type: str, store: Store, feed_server: FeedServer
) -> None:
    url = feed_server.add("/feed", document(body, content_type=content_type))
    report = await poll_once(0, store, url)
    assert (report.outcome, report.new) == ("new_entries", 1)
    [(_id, title, link)] = await stored_urls(store)
    assert (title, link) == ("Київ: новини дня", "https://news.example.org/1")
    assert (await store.feeds.by_url(url)).state.title == "Новини"  # type: ignore[union-attr]
