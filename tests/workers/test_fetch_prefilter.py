"""The fetch stage's pre-filter: entries whose identity is already stored are not
normalized, and the result is what the ingest alone would have stored (real Redis, a
real feed server on 127.0.0.1).

What "the ingest alone" does with each kind of entry (service/store/articles.py,
``INGEST``): an entry whose identity key exists is a duplicate whatever changed in it
(an edited title under the same GUID, a GUID re-used for other content), so skipping it
changes nothing; an entry whose key is new (no GUID, edited text: a new content hash)
is normalized and stored as today.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import workers.fetch_stage as fetch_stage
import workers.normalize as normalize
from service.models import FeedConfig, ParsedFeed
from service.settings import Settings
from service.store import Store
from service.store.identities import IdentityStore
from tests.feedserver import FeedServer
from workers.fetch import Fetcher
from workers.fetch_stage import FetchStage, PollReport, parse_document, storage_article
from workers.normalize import entry_identity, normalize_document, normalize_entry
from workers.parse import parse_feed

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
FEEDS = Path(__file__).resolve().parents[1] / "data" / "feeds"


def settings(processes: int = 0) -> Settings:
    return Settings(allow_private_targets=True, jitter=0.0, parse_processes=processes)


@pytest.fixture(autouse=True)
def no_pools_left() -> Iterator[None]:
    yield
    fetch_stage.shutdown_pools()


def item(guid: str | None, title: str, *, link: str | None = None, text: str = "") -> str:
    parts = [f"<title>{title}</title>", f"<description>{text or title + ' text'}</description>"]
    if guid is not None:
        parts.append(f'<guid isPermaLink="false">{guid}</guid>')
    if link is not None:
        parts.append(f"<link>{link}</link>")
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
    url = feed_server.add("/f.xml", rss(item("a", "A"), item("b", "B")))
    real = IdentityStore.stored

    async def then_another_worker_ingests(self: IdentityStore, identities: list[str]) -> list[bool]:
        answer = await real(self, identities)
        # Another worker polls the same document right after our read and stores "a".
        feed = parse_feed(rss(item("a", "A")), url)
        for article in normalize_document(feed, FeedConfig(url=url), now=NOW, text_max_chars=1500):
            await store.articles.ingest(storage_article(article))
        return answer

    monkeypatch.setattr(IdentityStore, "stored", then_another_worker_ingests)
    report = await poll(store, url)
    assert (report.new, report.duplicates) == (1, 1)  # the ingest script said "duplicate"
    assert sorted(await stored_titles(store)) == ["A", "B"]  # each stored exactly once


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
