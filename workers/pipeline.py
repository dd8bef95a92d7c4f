"""The stages: the only place that joins fetching, parsing, the store and the streams.

Fetch stage, per claimed feed (miniflux's RefreshFeed, reader's update pipeline):

    conditional GET (ETag / Last-Modified as received)
      ──► 304 or same body hash?  stop: nothing to parse
      ──► parse (bytes in, entries out)  ──► normalize (canonical URL, text, UTC, language)
      ──► ingest: exact dedup by identity, same URL = one article with another source
      ──► XADD entries stream (inside the ingest script)
      ──► record feed health + next poll (backoff on failure, 410 gone, 301 moved)

Process stage, per entries-stream message (consumer group, XACK after writes; one
lease holder at a time):

    load article ──► index into the article timelines ──► story stage (workers/story_stage.py)

Both stages are idempotent: a replayed poll or message changes nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from redis.exceptions import WatchError

from service.clock import utcnow
from service.metrics import metrics
from service.models import Article, FeedState, FetchResult, ParsedFeed
from service.settings import Settings
from service.store import Store, codec
from service.store.feeds import StoredFeed, feed_id_for
from service.store.keys import ENTRIES_GROUP
from service.store.stories import Fence, LeaseLost
from service.store.streams import StreamConsumer
from workers.fetch import Fetcher
from workers.identity import article_id
from workers.normalize import normalize_entry
from workers.parse import parse_feed
from workers.schedule import PollPolicy, jitter_unit, next_poll
from workers.story_stage import StoryStage

log = logging.getLogger(__name__)

# After this many failures in a row a feed.failing event tells subscribers (issue 5).
FAILING_AFTER = 3


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


class FetchStage:
    def __init__(self, settings: Settings, store: Store, fetcher: Fetcher) -> None:
        self.settings = settings
        self.store = store
        self.fetcher = fetcher
        self.policy = PollPolicy.from_settings(settings)

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
        error = result.error
        if result.ok and result.status != 304 and result.body_hash != state.body_hash:
            assert result.body is not None
            parsed = parse_feed(result.body, result.permanent_url or url, result.facts.content_type)
            error = parsed.error
        counts = {"new": 0, "new_source": 0, "duplicate": 0}
        if parsed is not None and error is None:
            config = dataclasses.replace(feed.config, url=url)
            for entry in parsed.entries:
                article = normalize_entry(
                    entry, parsed, config, now=now, text_max_chars=self.settings.text_max_chars
                )
                if article is not None:
                    ingested = await self.store.articles.ingest(
                        storage_article(article), feed_id=feed.id
                    )
                    counts[ingested] += 1
        outcome = _outcome(result, parsed, error, state)
        metrics.inc("briefing_polls_total", outcome=outcome)
        metrics.observe("briefing_fetch_seconds", result.elapsed)
        for kind, count in counts.items():
            if count:
                metrics.inc("briefing_entries_total", count, outcome=kind)
        new_state = self._next_state(feed, state, result, parsed, error, now=now)
        await self.store.feeds.record_poll(feed.id, new_state)
        if new_state.consecutive_failures == FAILING_AFTER:
            # One event per failing streak: keyed by the attempt that crossed the line.
            await self.store.events.emit(
                "feed.failing",
                {
                    "feed": {
                        "url": new_state.url,
                        "last_error": new_state.last_error,
                        "consecutive_failures": new_state.consecutive_failures,
                    }
                },
                now=now,
                dedupe_key=f"feed.failing|{feed.id}|{codec.iso(now)}",
            )
        return PollReport(
            feed_id=feed.id,
            url=new_state.url,
            status=result.status,
            outcome=outcome,
            entries=len(parsed.entries) if parsed else 0,
            new=counts["new"],
            new_sources=counts["new_source"],
            duplicates=counts["duplicate"],
            error=error,
            next_poll=new_state.next_poll,
        )

    def _next_state(
        self,
        feed: StoredFeed,
        state: FeedState,
        result: FetchResult,
        parsed: ParsedFeed | None,
        error: str | None,
        *,
        now: datetime,
    ) -> FeedState:
        failed = error is not None
        failures = state.consecutive_failures + 1 if failed else 0
        gone = result.status == 410
        ttl = parsed.ttl_minutes if parsed is not None else state.ttl_minutes
        moved_to = result.permanent_url if result.permanent_url != state.url else None
        when = next_poll(
            self.policy,
            now=now,
            interval=feed.config.interval,
            status=result.status,
            ok=not failed,
            facts=result.facts,
            ttl_minutes=ttl,
            consecutive_failures=failures,
            jitter_unit=jitter_unit(feed.id, now.isoformat()),
        )
        if failed:
            # Keep validators and body hash: the last good copy is still what we have.
            return dataclasses.replace(
                state,
                last_status=result.status,
                last_error=error,
                last_attempt=now,
                consecutive_failures=failures,
                next_poll=when,
                gone=gone,
                moved_to=None,
            )
        return dataclasses.replace(
            state,
            url=result.permanent_url or state.url or feed.config.url,
            title=parsed.title if parsed is not None and parsed.title else state.title,
            etag=result.facts.etag if result.status != 304 else (result.facts.etag or state.etag),
            last_modified=(
                result.facts.last_modified
                if result.status != 304
                else (result.facts.last_modified or state.last_modified)
            ),
            body_hash=result.body_hash or state.body_hash,
            last_status=result.status,
            last_error=None,
            last_attempt=now,
            last_success=now,
            consecutive_failures=0,
            next_poll=when,
            gone=False,
            moved_to=moved_to,
            ttl_minutes=ttl,
        )


def _outcome(
    result: FetchResult, parsed: ParsedFeed | None, error: str | None, state: FeedState
) -> str:
    if result.status == 410:
        return "gone"
    if error is not None:
        return "error"
    if result.status == 304:
        return "not_modified"
    if parsed is None:
        return "unchanged"
    return "new_entries"


RENEW_LEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) and 1 or 0
"""


@dataclass
class ProcessStage:
    """Consumes the entries stream: index each article, then cluster it into a story.

    Clustering needs one writer, so only the holder of the process lease consumes;
    other process-stage instances wait as hot standbys and take over within
    ``lease_ms`` when the holder dies (its pending messages are reclaimed with
    XAUTOCLAIM, and the new holder restores the clusterer from Redis first).
    """

    store: Store
    consumer_name: str
    stories: StoryStage | None = None
    clock: Callable[[], datetime] = utcnow
    reclaim_idle_ms: int = 30_000
    lease_ms: int = 15_000
    max_attempts: int = 5
    holding: bool = field(default=False, init=False)
    _renewed_at: float = field(default=0.0, init=False)

    def __post_init__(self) -> None:
        self.consumer = StreamConsumer(
            self.store.redis,
            self.store.keys.entries_stream,
            ENTRIES_GROUP,
            self.consumer_name,
            reclaim_idle_ms=self.reclaim_idle_ms,
            dead_letter=self.store.keys.dead_letters,
            failures=self.store.keys.failures(ENTRIES_GROUP),
            max_attempts=self.max_attempts,
        )
        self._renew = self.store.redis.register_script(RENEW_LEASE)
        if self.stories is not None:
            self.stories.fence = Fence(self.store.keys.process_lease, self.consumer_name)

    async def start(self) -> None:
        await self.consumer.ensure_group()

    async def hold_lease(self) -> bool:
        """Take or renew the lease; a stage that loses it must rebuild before clustering."""
        held = bool(
            await self._renew(
                keys=[self.store.keys.process_lease], args=[self.consumer_name, self.lease_ms]
            )
        )
        if held and not self.holding and self.stories is not None:
            self.stories.stale = True  # someone else may have clustered meanwhile
        self.holding = held
        self._renewed_at = time.monotonic()
        return held

    async def keep_lease(self) -> bool:
        """Renew the lease when a third of it has passed (cheap to call per article).

        Between renewals every story write is still fenced by the lease (WATCH), so a
        lease lost in between can never let a stale write through."""
        if self.holding and time.monotonic() - self._renewed_at < self.lease_ms / 3000:
            return True
        return await self.hold_lease()

    async def run_once(self, *, count: int = 100, block_ms: int | None = 1000) -> int:
        """Handle one batch; returns how many messages were acknowledged."""
        messages = await self.consumer.own_pending(count) or await self.consumer.read(
            count=count, block_ms=block_ms
        )
        done: list[str] = []
        # One round trip for the whole batch's articles instead of one per message.
        articles = {
            a.id: a
            for a in await self.store.articles.get_many([f.get("article", "") for _, f in messages])
        }
        try:
            for message_id, fields in messages:
                # Clustering is single-writer: renew the lease before every article and
                # stop as soon as it is gone (the new holder reclaims what is left).
                if self.stories is not None and not await self.keep_lease():
                    break
                try:
                    await self._handle(fields, articles.get(fields.get("article", "")))
                except (LeaseLost, WatchError):
                    log.warning("process lease lost mid-batch; handing over")
                    break
                except Exception as exc:
                    error = f"{type(exc).__name__}: {exc}"
                    if not await self.consumer.fail(message_id, fields, error):
                        raise  # retried after a back-off; dead-lettered after max_attempts
                    log.error("entry %s dead-lettered: %s", message_id, error)
                    continue
                done.append(message_id)
        finally:
            await self.consumer.ack(*done)
        return len(done)

    async def _handle(self, fields: dict[str, str], article: Article | None) -> None:
        if "article" not in fields:
            raise KeyError("article")  # a malformed entry: counts toward the dead letter
        if article is None:  # pruned meanwhile: nothing left to do
            return
        feed_id = fields.get("feed") or feed_id_for(article.feed_url)
        await self.store.articles.index(article, feed_id)
        if self.stories is not None:
            await self.stories.handle(article, fields, now=self.clock())
        metrics.inc("briefing_processed_total")

    async def run(self, stop: asyncio.Event) -> None:
        await self.start()
        while not stop.is_set():
            try:
                if not await self.hold_lease():
                    await _wait(stop, self.lease_ms / 3000)
                    continue
                await self.run_once(block_ms=min(500, self.lease_ms // 3))
            except asyncio.CancelledError:
                raise
            except Exception:
                # Redis restarting, or a bug on one message: log, back off, keep going.
                log.exception("process stage batch failed; retrying")
                await _wait(stop, 1.0)


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
