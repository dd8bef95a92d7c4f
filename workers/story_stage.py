"""Story stage: the process-stage hook that turns articles into stories.

    article ──► already assigned?  (replay or another feed's copy: add the source only)
            ──► near-duplicate of a recent article?  (wire copy, AMP URL, edited title:
                join the original's story as a copy, folded under it)
            ──► Clusterer.add (pure, in memory)  ──► story record (+ members per source)
            ──► briefings the article matches    ──► events (story.created / story.updated)
            ──► one MULTI: assignment, story, timelines, events, clustering-log entry

Exactly one process clusters at a time (it holds the process lease, see
workers/process_stage.py), so the in-memory clusterer is the single writer of stories.
After a restart or a lease handover, ``restore`` rebuilds the exact clusterer state
from Redis: the last snapshot, then a replay of the clustering log written after it,
with the same ``now`` values as the first time (the clusterer is deterministic).
If a write fails midway, the stage marks itself stale and restores before the next
article, so memory never runs ahead of Redis. The near-duplicate index is state too: it
is snapshotted with the clusterer, and the log records each copy decision (``|copy``)
so a replay repeats it exactly.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from collections.abc import Sequence
from datetime import datetime, timedelta

from service.config import BriefingConfig
from service.metrics import metrics
from service.models import Article, Source, Story, StoryMember
from service.store import Store, codec
from service.store.briefings import BriefingCache
from service.store.stories import Event, Fence, story_payload
from workers.briefings import ArticleFacts, BriefingMatcher, matching_briefings
from workers.cluster import ClusterConfig, ClusterDoc, Clusterer, StoryView
from workers.dedupe import NearDuplicateIndex
from workers.places import find_places

log = logging.getLogger(__name__)

# A snapshot rewrites the whole window's state, so it is taken rarely: after this many
# log entries or this long, whichever comes first. Both bound the replay at start.
SNAPSHOT_EVERY = 10_000
SNAPSHOT_INTERVAL = timedelta(minutes=5)
SNAPSHOT_VERSION = 2  # {"clusterer": ..., "near": ...}


def cluster_doc(article: Article) -> ClusterDoc:
    return ClusterDoc(
        id=article.id,
        title=article.title,
        text=article.text,
        published=article.published,
        language=article.language,
        outlet=article.outlet,
        url=article.url,
    )


def members_of(article: Article) -> list[StoryMember]:
    """One member per feed that carried the article (its own feed if none is recorded)."""
    sources = article.sources or (
        Source(feed_url=article.feed_url, outlet=article.outlet, url=article.url,
               seen_at=article.first_seen),
    )  # fmt: skip
    return [
        StoryMember(
            article_id=article.id,
            feed_url=s.feed_url,
            outlet=s.outlet or article.outlet,
            url=s.url or article.url,
            title=article.title,
            published=article.published,
            language=s.language or article.language,
            country=s.country or article.country,
        )
        for s in sources
    ]


class StoryStage:
    def __init__(
        self,
        store: Store,
        briefings: Sequence[BriefingConfig],
        *,
        cluster_config: ClusterConfig | None = None,
        snapshot_every: int = SNAPSHOT_EVERY,
        snapshot_interval: timedelta = SNAPSHOT_INTERVAL,
        briefings_check_every: float = 1.0,
    ) -> None:
        self.store = store
        self.matchers = [BriefingMatcher.of(b) for b in briefings]
        # Admin edits (service/store/briefings.py) replace the configured list on the fly.
        self.briefings = BriefingCache(
            store.briefings, initial=briefings, every=briefings_check_every
        )
        self.cluster_config = cluster_config or ClusterConfig()
        self.snapshot_every = snapshot_every
        self.snapshot_interval = snapshot_interval
        self._snapshot_at: datetime | None = None
        self.clusterer = Clusterer(self.cluster_config)
        self.near = NearDuplicateIndex()
        self._log_len = 0
        self.stale = True  # restore before the first article
        self.fence: Fence | None = None  # set by the process stage that holds the lease

    async def restore(self) -> int:
        """Rebuild the clusterer from Redis; returns how many log entries were replayed."""
        snapshot = await self.store.stories.load_snapshot()
        self.clusterer = Clusterer(self.cluster_config)
        self.near = NearDuplicateIndex()
        if snapshot:
            try:
                if snapshot.get("version") != SNAPSHOT_VERSION:
                    raise ValueError(f"snapshot version {snapshot.get('version')!r}")
                self.clusterer = Clusterer.restore(snapshot["clusterer"], self.cluster_config)
                self.near = NearDuplicateIndex.restore(snapshot["near"])
            except (ValueError, KeyError, TypeError) as exc:
                # An older release's snapshot: start clustering afresh rather than stop.
                # Stored stories stay; new articles just cannot join pre-upgrade stories.
                log.error("clustering snapshot unusable (%s); starting from an empty state", exc)
        entries = await self.store.stories.log_entries()
        for start in range(0, len(entries), 500):
            chunk = [entry.split("|") for entry in entries[start : start + 500]]
            found = {a.id: a for a in await self.store.articles.get_many([c[0] for c in chunk])}
            for article_id, when, *flags in chunk:
                now = codec.parse_iso(when)
                if article_id not in found or now is None:
                    continue
                if "copy" in flags:
                    continue  # a copy joined its original's story: no index or clusterer moved
                self.near.add(found[article_id], now)
                self.clusterer.add(cluster_doc(found[article_id]), now)
        self._log_len = len(entries)
        self.stale = False
        log.info(
            "story clustering restored: snapshot=%s, replayed %d", bool(snapshot), len(entries)
        )
        return len(entries)

    async def refresh_briefings(self) -> None:
        """Pick up briefing edits: one GET of the version at most once per second, the
        matchers rebuilt when it moved. Articles processed after an edit see it; stories
        stored before are not re-tagged (a story never leaves a briefing it entered)."""
        if self.briefings.due(time.monotonic()) and await self.briefings.refresh():
            self.matchers = [BriefingMatcher.of(b) for b in self.briefings.briefings]
            log.info(
                "briefings reloaded: %d (version %d)", len(self.matchers), self.briefings.version
            )

    async def handle(self, article: Article, fields: dict[str, str], *, now: datetime) -> None:
        if self.stale:
            await self.restore()
        await self.refresh_briefings()
        try:
            await self._handle(article, now=now)
        except BaseException:
            self.stale = True
            raise

    async def _handle(self, article: Article, *, now: datetime) -> None:
        story_id = await self.store.stories.assigned(article.id)
        if story_id is not None:
            await self._add_sources(story_id, article, now=now)
            return
        original = self.near.find(article)
        original_story = await self.store.stories.assigned(original) if original else None
        if original is not None and original_story is not None:
            await self._add_copy(original_story, original, article, now=now)
            return
        self.near.add(article, now)
        update = self.clusterer.add(cluster_doc(article), now)
        previous = None if update.created else await self.store.stories.get(update.story_id)
        facts = ArticleFacts(
            title=article.title,
            text=article.text,
            language=article.language,
            feed_url=article.feed_url,
            outlet=article.outlet,
            places=find_places(f"{article.title}\n{article.text}"),
        )
        matched = matching_briefings(self.matchers, facts)
        before = previous.briefings if previous else ()
        new_briefings = tuple(b for b in matched if b not in before)
        members = (previous.members if previous else ()) + tuple(members_of(article))
        story = _story(update.story, members, before + new_briefings)
        new_outlet = previous is not None and len(story.outlets) > len(previous.outlets)
        events = []
        if update.created:
            events.append(Event("story.created", {"story": story_payload(story)}))
        elif new_outlet or update.headline_changed or new_briefings:
            events.append(Event("story.updated", {"story": story_payload(story)}))
        for event in events:
            metrics.inc("briefing_story_events_total", type=event.type)
        await self.store.stories.save(
            story,
            article_id=article.id,
            new_briefings=new_briefings,
            events=events,
            log_entry=f"{article.id}|{codec.iso(now)}",
            now=now,
            fence=self.fence,
        )
        self._log_len += 1
        await self._maybe_snapshot(now)

    async def _maybe_snapshot(self, now: datetime) -> None:
        if self._snapshot_at is None:
            self._snapshot_at = now
        due = now - self._snapshot_at >= self.snapshot_interval
        if self._log_len >= self.snapshot_every or (due and self._log_len > 0):
            snapshot = {
                "version": SNAPSHOT_VERSION,
                "clusterer": self.clusterer.snapshot(),
                "near": self.near.snapshot(),
            }
            await self.store.stories.save_snapshot(snapshot, self._log_len, fence=self.fence)
            self._log_len = 0
            self._snapshot_at = now

    async def _add_copy(
        self, story_id: str, original: str, article: Article, *, now: datetime
    ) -> None:
        """A near-duplicate: one more copy of ``original``, folded under it in its story."""
        story = await self.store.stories.get(story_id)
        if story is None:
            return
        copies = tuple(dataclasses.replace(m, copy_of=original) for m in members_of(article))
        grown = dataclasses.replace(story, members=story.members + copies)
        events = []
        if len(grown.outlets) > len(story.outlets):
            events.append(Event("story.updated", {"story": story_payload(grown)}))
            metrics.inc("briefing_story_events_total", type="story.updated")
        metrics.inc("briefing_near_duplicates_total")
        await self.store.stories.save(
            grown,
            article_id=article.id,
            new_briefings=(),
            events=events,
            log_entry=f"{article.id}|{codec.iso(now)}|copy",
            now=now,
            fence=self.fence,
        )
        self._log_len += 1
        await self._maybe_snapshot(now)

    async def _add_sources(self, story_id: str, article: Article, *, now: datetime) -> None:
        """The same article reached us through another feed: a new source for its story."""
        story = await self.store.stories.get(story_id)
        if story is None:
            return
        known = {(m.article_id, m.feed_url) for m in story.members}
        added = tuple(m for m in members_of(article) if (m.article_id, m.feed_url) not in known)
        if not added:
            return  # a replay: nothing new
        grown = dataclasses.replace(story, members=story.members + added)
        events = []
        if len(grown.outlets) > len(story.outlets):
            events.append(Event("story.updated", {"story": story_payload(grown)}))
            metrics.inc("briefing_story_events_total", type="story.updated")
        await self.store.stories.save(
            grown,
            article_id=article.id,
            new_briefings=(),
            events=events,
            log_entry=None,
            now=now,
            fence=self.fence,
        )


def _story(view: StoryView, members: tuple[StoryMember, ...], briefings: tuple[str, ...]) -> Story:
    return Story(
        id=view.id,
        headline=view.headline,
        summary=view.summary,
        first_seen=view.first_seen,
        last_updated=view.last_updated,
        members=members,
        languages=view.languages,
        places=view.places,
        keywords=view.keywords,
        briefings=briefings,
    )
