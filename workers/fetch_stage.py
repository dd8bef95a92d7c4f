"""The fetch stage: the only place that joins fetching, parsing and the store.

Per claimed feed (miniflux's RefreshFeed, reader's update pipeline):

    conditional GET (ETag / Last-Modified as received)
      ──► 304 or same body hash?  stop: nothing to parse
      ──► parse (bytes in, entries out) + each entry's identity key
      ──► which identities are stored? (one MGET)  skip those
      ──► normalize the others (canonical URL, text, UTC, language)
      ──► ingest: exact dedup by identity, same URL = one article with another source
      ──► XADD entries stream (inside the ingest script)
      ──► record feed health + next poll (backoff on failure, 410 gone, 301 moved)

Idempotent: a replayed poll changes nothing. The process stage that consumes the
entries stream is workers/process_stage.py.

Only the entries whose identity is not stored yet are normalized: a changed document
usually lists one new item beside the ones already ingested, and the ingest would call
those duplicates anyway. So a poll parses the document and computes each entry's
identity key (as normalization would: workers/normalize.py ``entry_identity``), reads
which keys exist in one round trip (service/store/seen_identities.py), and normalizes and
ingests the rest. The ingest script stays the authority on duplicates; the read is a
pre-filter whose answer is at worst stale by one round trip (see that module for why
neither race loses an entry). A feed's first document (no body of it parsed before) is
parsed and normalized in one call instead: its entries are new but for the few another
feed carried, the pre-filter would save nothing, and the entries then never cross to this
process and back; the ingest calls the stored ones duplicates.

Parse + normalize is the CPU-heavy step (feedparser, language detection: ~30 ms for a large
document). With ``parse_processes`` = 0 it runs on the event loop, as two calls per
document (parse, then normalize the new entries); with N > 0 both run in a pool of N
worker processes (``forkserver``: no copy of this process's loop, sockets or threads),
so the loop keeps serving the other polls and, under ``--role all``, the process stage
and the API while a document is parsed
(docs/design.md, "Parse off the event loop"). Threads would not help: the work holds the GIL.
In the pool each call has ``parse_timeout`` seconds (workers/parse_pool.py; a first
document's one call twice that, for the parse and the normalize it does): a document
that takes longer fails its own feed's poll (a readable error, the usual backoff) and
its worker is replaced, so no feed can hold the others' parses.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from service.metrics import metrics
from service.models import Article, FeedConfig, FeedState, ParsedFeed
from service.settings import Settings
from service.store import Store, codec
from service.store.feeds import StoredFeed
from service.store.poll_records import PollRecorder
from service.store.seen_identities import IdentityStore
from service.url_secrets import redact_url
from workers.entry_identity import article_id
from workers.http_fetch import Fetcher
from workers.parse_calls import (
    Digest,
    normalize_new,
    parse_and_normalize,
    parse_document,
    warm_worker,
)
from workers.parse_pool import (
    ParseDeadlineExceeded,
    ParsePool,
    ParsePoolClosed,
    ParseWallCapExceeded,
    ParseWorkerDidNotStart,
    ParseWorkerDied,
)
from workers.poll_schedule import (
    PollPolicy,
    poll_outcome,
    state_after_internal_error,
    state_after_poll,
)

log = logging.getLogger(__name__)
T = TypeVar("T")

# After this many failures in a row a feed.failing event tells subscribers.
FAILING_AFTER = 3
# How much of an unexpected exception's message a feed's ``last_error`` keeps.
ERROR_DETAIL_CHARS = 300


@dataclass(frozen=True, slots=True)
class PollReport:
    """What one poll did (for logs, metrics, `briefing feeds poll` and tests)."""

    feed_id: str
    url: str
    status: int | None
    outcome: str  # "new_entries", "unchanged", "not_modified", "error", "gone", "paused"
    entries: int = 0
    new: int = 0
    new_sources: int = 0
    duplicates: int = 0
    error: str | None = None
    next_poll: datetime | None = None


def storage_article(article: Article) -> Article:
    """Give an article its storage id: derived from the canonical URL when it has one,
    so one URL carried by two feeds is one article with two sources; else from its
    identity (GUID scoped to the feed, or content hash)."""
    if not article.url:
        return article
    return dataclasses.replace(article, id=article_id("url:" + article.url))


def parse_deadline_error(timeout: float, size: int) -> str:
    """The poll error of a document whose parse ran past ``timeout`` seconds, saying what
    to do. feedparser reads the whole document before it yields one entry, so no cap on
    the entries kept would shorten the parse: a large document (about 100,000 items fill
    the 15 MB body cap) needs a longer deadline or a shorter feed."""
    return (
        f"parse: gave up after {timeout:g} s on a document of {size / 1_000_000:.1f} MB "
        "(too costly to parse in time): raise BRIEFING_PARSE_TIMEOUT, or ask the publisher "
        "for a shorter feed"
    )


def parse_wall_cap_error(exc: ParseWallCapExceeded, size: int) -> str:
    """The poll error of a document whose parse ran past the wall cap before its
    deadline (workers/parse_pool.py): the parse process waited for a CPU most of the
    time, so it is the host's load that failed the poll, not the document as such."""
    return (
        f"parse: gave up after {exc.wall_cap:g} s of wall time on a document of "
        f"{size / 1_000_000:.1f} MB, {exc.waited:.3g} s of it waiting for a CPU (the host "
        "is too busy to run the parse process): give the service more CPU or run less "
        "beside it"
    )


# A feed's first document is parsed and normalized in one pool call (parse_and_normalize),
# the work of the two calls (parse_document, normalize_new) a later document makes: it has
# their two deadlines, so a document that each of the two would parse in time is not
# failed for taking longer than one, at each poll until a body of it is stored.
FIRST_DOCUMENT_CALLS = 2

# The poll error of a document whose parse killed its process on two tries.
PARSE_PROCESS_DIED = (
    "parse: the parse process died twice on this document (one that crashes the parser or "
    "runs it out of memory)"
)

# The poll error when no parse process could start to parse the document.
PARSE_PROCESS_NOT_STARTED = "internal: the parse process did not start (the worker's log says why)"

_pools: dict[tuple[int, float], ParsePool] = {}


def _pool(processes: int, deadline: float) -> ParsePool:
    pool = _pools.get((processes, deadline))
    if pool is None:
        # Parse calls are pure: one whose process was killed under it is made again.
        pool = ParsePool(processes, deadline, initializer=warm_worker, retry_when_died=True)
        _pools[(processes, deadline)] = pool
    return pool


def shutdown_pools() -> None:
    """Kill the parse workers now, busy or not: a stopping worker has no use for a parse
    in progress (its poll is not recorded, the feed is polled again), and waiting for a
    hostile one would hold the shutdown for up to the deadline."""
    while _pools:
        _key, pool = _pools.popitem()
        pool.close()


class FetchStage:
    def __init__(self, settings: Settings, store: Store, fetcher: Fetcher) -> None:
        self.settings = settings
        self.store = store
        self.fetcher = fetcher
        self.policy = PollPolicy.from_settings(settings)
        self.identities = IdentityStore(store.redis, store.keys)
        self.records = PollRecorder(store.feeds)  # concurrent polls' records, batched
        self._closed = False

    def close(self) -> None:
        """Stop parsing: kill the parse workers now; a poll still in progress, or started
        later, raises ParsePoolClosed (not recorded: the feed is polled again)."""
        self._closed = True
        shutdown_pools()

    async def poll(self, feed: StoredFeed, *, now: datetime) -> PollReport:
        state = feed.state
        url = state.url or feed.config.url
        result = await self.fetcher.fetch(
            url,
            etag=state.etag,
            last_modified=state.last_modified,
            previous_hash=state.body_hash,
        )
        parsed: ParsedFeed | None = None
        digest: Digest | None = None
        error = result.error
        if result.ok and result.status != 304 and result.body_hash != state.body_hash:
            assert result.body is not None
            # After a permanent redirect the feed is its new URL (state_after_poll stores it),
            # in this poll's identity keys and sources too: else the next poll, from the new
            # URL, takes every item for a new source, and so does every feed moved there.
            config = dataclasses.replace(feed.config, url=result.permanent_url or url)
            first = state.body_hash is None
            try:
                digest = await self._digest(
                    result.body, config.url, result.facts.content_type, config, now, first=first
                )
            except ParseWallCapExceeded as exc:
                # The parse process hardly ran (the host's cores busy with other work):
                # killed all the same, since every parse is bounded in wall time.
                log.warning("parse of %s: %s", redact_url(url), exc)
                error = parse_wall_cap_error(exc, len(result.body))
            except ParseDeadlineExceeded:
                # A document too costly to parse (hostile or broken): its worker was
                # killed; this feed fails and backs off, the other feeds go on.
                timeout = self.settings.parse_timeout * (FIRST_DOCUMENT_CALLS if first else 1)
                log.warning("parse of %s ran past %g s", redact_url(url), timeout)
                error = parse_deadline_error(timeout, len(result.body))
            except ParseWorkerDidNotStart as exc:
                # No parse process could start (the exception says why, its stderr has
                # the traceback): no fault of this document, and the same for every feed
                # until it is fixed.
                log.error("no parse process started to parse %s: %s", redact_url(url), exc)
                error = PARSE_PROCESS_NOT_STARTED
            except ParseWorkerDied:
                # The parse process died on this document twice (ParsePool makes a call
                # again once on a fresh process): a document that crashes the parser, or
                # runs it out of memory. This feed fails and backs off; the others go on.
                log.error("parse process died twice while parsing %s", redact_url(url))
                error = PARSE_PROCESS_DIED
            else:
                parsed = digest.feed
                error = parsed.error
        counts = {"new": 0, "new_source": 0, "duplicate": 0}
        if digest is not None and error is None:
            counts["duplicate"] = digest.stored  # the pre-filter's: the ingest's answer
            # Oldest first (feeds list the newest first): clustering then meets a first
            # poll's backlog in the order the news happened, as it would have live.
            oldest_first = sorted(digest.articles, key=lambda a: a.published)
            ingested = await self.store.articles.ingest_many(
                [storage_article(a) for a in oldest_first], feed_id=feed.id
            )
            for ingest_outcome in ingested:
                counts[ingest_outcome] += 1
        outcome = poll_outcome(result, parsed, error)
        metrics.inc("briefing_polls_total", outcome=outcome)
        metrics.observe("briefing_fetch_seconds", result.elapsed)
        for kind, count in counts.items():
            if count:
                metrics.inc("briefing_entries_total", count, outcome=kind)
        new_state = state_after_poll(
            self.policy, feed.id, feed.config, state, result, parsed, error, now=now
        )
        await self._record(feed.id, state, new_state, now)
        return PollReport(
            feed_id=feed.id,
            url=redact_url(new_state.url),  # for logs and output: no credentials
            status=result.status,
            outcome=outcome,
            entries=digest.entries if digest else 0,
            new=counts["new"],
            new_sources=counts["new_source"],
            duplicates=counts["duplicate"],
            error=error,
            next_poll=new_state.next_poll,
        )

    async def record_internal_error(
        self, feed: StoredFeed, exc: Exception, *, now: datetime
    ) -> None:
        """Record a poll that our own code broke (``exc``, not the server's answer) as a
        failure with a readable error and the usual backoff, so the feed's health shows it
        and the feed is not claimed again at every lease."""
        detail = " ".join(str(exc).split())[:ERROR_DETAIL_CHARS]
        error = f"internal: {type(exc).__name__}" + (f": {detail}" if detail else "")
        new_state = state_after_internal_error(self.policy, feed.id, feed.state, error, now=now)
        metrics.inc("briefing_polls_total", outcome="error")
        await self._record(feed.id, feed.state, new_state, now)

    async def _record(
        self, feed_id: str, state: FeedState, new_state: FeedState, now: datetime
    ) -> None:
        await self.records.record(feed_id, new_state, previous=state)
        if new_state.consecutive_failures == FAILING_AFTER:
            # One event per failing streak: keyed by the attempt that crossed the line.
            await self.store.events.emit(
                "feed.failing",
                {
                    "feed": {
                        "url": redact_url(new_state.url),
                        "last_error": new_state.last_error,
                        "consecutive_failures": new_state.consecutive_failures,
                    }
                },
                now=now,
                dedupe_key=f"feed.failing|{feed_id}|{codec.iso(now)}",
            )

    async def _digest(
        self,
        body: bytes,
        url: str,
        content_type: str | None,
        config: FeedConfig,
        now: datetime,
        *,
        first: bool = False,
    ) -> Digest:
        """Parse, drop the entries whose identity is stored, normalize the rest.

        ``first``: the feed's first document (no body of it parsed before), whose entries
        are new but for the few another feed or an earlier attempt stored: parse and
        normalize every entry in one call, and let the ingest call the stored ones
        duplicates, as it would after the pre-filter. The articles are the same (skipping
        an entry changes no other: ``normalize_document``), and so are the ingest's
        outcomes; the entries cross no process boundary and the pre-filter's read is not
        made."""
        text_max_chars = self.settings.text_max_chars
        if first:
            return await self._off_loop(
                parse_and_normalize,
                body,
                url,
                content_type,
                config,
                now,
                text_max_chars,
                deadlines=FIRST_DOCUMENT_CALLS,
            )
        parsed = await self._off_loop(parse_document, body, url, content_type, config)
        feed = parsed.feed
        bare = dataclasses.replace(feed, entries=())
        if feed.error is not None or not feed.entries:
            return Digest(bare, len(feed.entries), [])
        stored = await self.identities.stored(parsed.identities)
        skip = frozenset(i for i, known in enumerate(stored) if known)
        articles: list[Article] = []
        if len(skip) < len(feed.entries):
            articles = await self._off_loop(
                normalize_new, feed, config, now, text_max_chars, skip, ahead=True
            )
        return Digest(bare, len(feed.entries), articles, stored=len(skip))

    async def start_parsers(self) -> None:
        """Start the parse pool's processes now, before any poll needs them (ParsePool.fill;
        nothing without a pool)."""
        processes = self.settings.parse_processes or 0
        if processes > 0 and not self._closed:
            await _pool(processes, self.settings.parse_timeout).fill()

    async def _off_loop(
        self, fn: Callable[..., T], *args: Any, ahead: bool = False, deadlines: int = 1
    ) -> T:
        """``fn(*args)`` in the parse pool (within ``deadlines`` times ``parse_timeout``
        seconds), or here, with no deadline, when there is no pool. ``ahead``: a poll's
        second call, served before other polls' first (ParsePool.run), so a burst of new
        documents yields articles from its first documents on rather than after the last
        one's parse."""
        if self._closed:
            raise ParsePoolClosed("the fetch stage is stopping")
        processes = self.settings.parse_processes or 0
        if processes <= 0:
            return fn(*args)
        pool = _pool(processes, self.settings.parse_timeout)
        return await pool.run(fn, *args, ahead=ahead, deadlines=deadlines)
