"""Story stage: the process-stage hook that turns articles into stories.

    article ──► already assigned?  (replay or another feed's copy: add the source only)
            ──► near-duplicate of a recent article?  (wire copy, AMP URL, edited title:
                join the original's story as a copy, folded under it)
            ──► Clusterer.add (pure, in memory)  ──► story record (+ members per source)
            ──► briefings the article matches    ──► events (story.created / story.updated)
            ──► one MULTI per batch of articles: assignments, stories (final state),
                timelines, events, clustering-log entries (and the process stage's
                indexes and XACK)

    link checks (workers/link_checks.py) the clusterer queued
            ──► scored in a child process (workers/link_check_pool.py) after a batch
            ──► answered at the start of a later batch (``apply_links``), in its MULTI:
                a merge of two stories (``story.merged``), or the waiting story's
                ``story.created``; the log records each answer (``@check|now|id|scores``)

Exactly one process clusters a partition at a time (it holds the partition's lease, see
workers/process_stage.py and workers/partitions.py), so its in-memory clusterer is the
single writer of the partition's stories (its clusterer and near-duplicate index only
ever see the partition's articles, so its stories never reach into another partition).
After a restart or a lease handover, ``restore`` rebuilds the exact clusterer state from
Redis: the partition's last snapshot, then a replay of its clustering log written after
it, with the same ``now`` values as the first time (the clusterer is deterministic).
If a write fails, nothing of its batch is written; the stage marks itself stale and
restores before the next batch, so memory never runs ahead of Redis. The near-duplicate
index is state too: it is snapshotted with the clusterer, and the log records each copy
decision (``|copy``) so a replay repeats it exactly.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from service.config import BriefingConfig
from service.metrics import metrics
from service.models import Article, Source, Story, StoryMember
from service.store import Store, codec
from service.store.briefings import BriefingCache
from service.store.stories import Event, Fence, LeaseLost, Stored, StoryBatch
from workers import gc_pause, story_snapshot
from workers.briefing_match import ArticleFacts, BriefingMatcher
from workers.cluster import ClusterConfig, ClusterDoc, StoryView
from workers.filing_time import filed_within
from workers.link_check_pool import LinkCheckPool
from workers.story_decider import StoryDecider, article_time

log = logging.getLogger(__name__)

# A snapshot rewrites the whole window's state, so it is taken rarely: after this many
# log entries or this long, whichever comes first. Both bound the replay at start.
SNAPSHOT_EVERY = 10_000
SNAPSHOT_INTERVAL = timedelta(minutes=5)
# Log entries between two freezes of what the stage holds (gc_pause.freeze_survivors):
# the objects a full collection still walks are bounded by what this many add.
FREEZE_EVERY = 500
# Log entries whose articles a restore reads in one round trip (and renews the lease
# between), and how many of them it replays between two yields to the event loop (a few
# tens of ms of clustering).
REPLAY_CHUNK = 100
REPLAY_STEP = 20
# Seconds between lease renewals (when due) while a snapshot is encoded in a thread.
LEASE_CHECK = 1.0
# A clustering-log entry that answers a link check: "@check|now|check id|scores".
CHECK_ENTRY = "@check"
# Bounded caches of what this stage wrote or read (see StoryStage): big enough that a
# batch's stories and a copy's original are nearly always found without a round trip.
ASSIGNMENT_CACHE = 100_000
STORY_CACHE = 5_000


def cluster_doc(
    article: Article, places: tuple[str, ...] | None = None, *, linkable: bool = True
) -> ClusterDoc:
    """The article as the clusterer reads it. Normalization gives an undated entry the time
    it was first seen (workers/normalize.py), so that is what an undated article looks like;
    an entry dated by its day only is dated, whatever time within the day it carries."""
    return ClusterDoc(
        id=article.id,
        title=article.title,
        text=article.text,
        published=article.published,
        language=article.language,
        outlet=article.outlet,
        url=article.url,
        dated=article.date_only or article.published != article.first_seen,
        places=places,
        linkable=linkable,
        filed=None
        if article.day_start is None
        else filed_within(article.published, article.day_start),
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
    """Decides, in memory, what each article does to the stories; writes per batch.

    The process stage calls ``prepare`` with a batch's articles (one round trip for
    their assignments), ``decide`` for each in order (pure memory, except a look-up
    for a story or assignment not cached), then ``commit`` (one fenced MULTI with the
    whole batch). ``handle`` is the same for a batch of one.

    Caches: story records and assignments this stage wrote or read. They stay true
    because this stage is the only writer of its stories while it holds the lease
    (every write is fenced); a stage that lost it is stale and drops them on restore.
    """

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
        self.decider = StoryDecider(self.cluster_config)
        self._log_len = 0
        self._snapshot_due = False  # a snapshot at the next batch, whatever the log's length
        self._unfrozen = 0  # log entries written since the last freeze
        self.stale = True  # restore before the first article
        self.fence: Fence | None = None  # set by the process stage that holds the lease
        # Set by that stage too: renews the lease when due; false once it broke.
        self.lease_kept: Callable[[], Awaitable[bool]] | None = None
        self.partition = 0  # which process partition's clustering state (set by the stage)
        self._story_of: dict[str, str] = {}  # article id -> story id (bounded cache)
        self._records: dict[str, Story] = {}  # story id -> record (bounded cache)
        # story id -> what its keys hold (for _records' stories): a write appends to it
        self._stored: dict[str, Stored] = {}
        self._unassigned: set[str] = set()  # this batch's articles known to be unassigned
        self.link_checks = LinkCheckPool()  # started on the first pending check

    async def restore(self) -> int:
        """Rebuild the clusterer from Redis; returns how many log entries were replayed.

        A long replay renews the lease between its chunks (``lease_kept``), and stops with
        LeaseLost, still stale, if it broke: another holder may have moved the log on."""
        self._story_of.clear()
        self._records.clear()
        self._stored.clear()
        self._unassigned.clear()
        snapshot = await self.store.stories.load_snapshot(self.partition)
        self.decider = StoryDecider(self.cluster_config)
        usable = True
        version = story_snapshot.VERSION
        if snapshot:
            try:
                # In a thread: decoding a big snapshot and rebuilding its stories takes
                # seconds, which the API and the other partitions sharing this event loop
                # would wait out; its format keeps each C call short (story_snapshot.py),
                # and no garbage collection walks the heap meanwhile (gc_pause.py). The
                # new decider is reachable only from here until it is assigned.
                self.decider, version = await gc_pause.run(
                    lambda: story_snapshot.decode(snapshot, self.cluster_config), freeze=True
                )
            except ValueError as exc:
                # A snapshot this code cannot restore (another version, or damaged): start
                # clustering afresh rather than fail every article. Stored stories stay;
                # new articles cannot join the stories it held.
                log.error("clustering snapshot unusable (%s); starting from an empty state", exc)
                usable = False
        entries = await self.store.stories.log_entries(self.partition)
        # A chunk's articles are read in one round trip and the lease renewed between
        # chunks; every REPLAY_STEP entries the event loop serves the API and the other
        # partitions.
        for start in range(0, len(entries), REPLAY_CHUNK):
            if self.lease_kept is not None and not await self.lease_kept():
                raise LeaseLost(f"lease lost while restoring partition {self.partition}")
            chunk = [entry.split("|") for entry in entries[start : start + REPLAY_CHUNK]]
            wanted = [c[0] for c in chunk if c[0] != CHECK_ENTRY]
            found = {a.id: a for a in await self.store.articles.get_many(wanted)}
            for n, (article_id, when, *flags) in enumerate(chunk, 1):
                if n % REPLAY_STEP == 0:
                    await asyncio.sleep(0)  # the API and other partitions between steps
                if article_id == CHECK_ENTRY:
                    if not usable:
                        # Check ids count on from the snapshot's queue; the fresh queue
                        # numbers the replayed reports' checks from 0, so this answer may
                        # be another check's. Its check is re-scored if still pending.
                        continue
                    check_id, scores = flags
                    self.decider.clusterer.resolve_check(int(check_id), _scores(scores))
                    continue
                now = codec.parse_iso(when)
                if article_id not in found or now is None:
                    continue
                if "copy" in flags:
                    continue  # a copy joined its original's story: no index or clusterer moved
                # As decided live: briefings may have been edited since.
                doc = cluster_doc(found[article_id], linkable="link" in flags)
                self.decider.cluster(doc, now)
        self.decider.clusterer.take_dropped_checks()  # announced when they were dropped
        self._log_len = len(entries)
        self._snapshot_at = None
        # After an unusable snapshot the next batch writes one, so the log's check answers
        # and the queue's ids agree again from there on; after one of an older version
        # too, so it is read in the old format once.
        self._snapshot_due = not usable or version != story_snapshot.VERSION
        self.stale = False
        log.info(
            "story clustering restored: partition=%d, snapshot=%s, replayed %d",
            self.partition,
            bool(snapshot),
            len(entries),
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

    async def handle(self, article: Article, *, now: datetime) -> None:
        """One article on its own: a batch of one."""
        batch = StoryBatch(self.partition)
        await self.prepare([article])
        await self.decide(article, now=now, batch=batch)
        await self.commit(batch, now=now)

    async def prepare(self, articles: Sequence[Article]) -> None:
        """Before a batch: restore if stale, then fetch what the batch will look up
        (assignments in one HMGET, the records of assigned stories in one MGET)."""
        if self.stale:
            await self.restore()
        await self.refresh_briefings()
        self._unassigned.clear()
        ids = [a.id for a in articles if a.id not in self._story_of]
        for article_id, story_id in (await self.store.stories.assigned_many(ids)).items():
            if story_id is None:
                self._unassigned.add(article_id)
            else:
                self._remember(article_id, story_id)
        wanted = {self._story_of[a.id] for a in articles if a.id in self._story_of}
        missing = sorted(wanted - self._records.keys())
        for found in await self.store.stories.read_many(missing):
            if found is not None:
                self._keep(*found)

    def links_answered(self) -> bool:
        """Whether scored link checks wait to be applied (worth a batch of their own)."""
        return self.link_checks.has_answers()

    def links_waiting(self) -> bool:
        """Whether link checks may wait for a dispatch that only a batch makes: the stage
        has not restored its clusterer yet (after a start or a lease taken over, the
        checks pending in its snapshot are unknown until it does), or checks are pending
        with none in flight and the scoring child not backing off after a failure. Worth
        a batch of their own on an idle partition, or they wait, unanswered and their
        stories unannounced, for the partition's next entry."""
        if self.stale:
            return True
        return (
            bool(self.decider.clusterer.pending_checks())
            and self.link_checks.idle()
            and self.link_checks.ready()  # not while its child backs off
        )

    def close_links(self) -> None:
        """Stop scoring link checks (the partition is handed over or the worker stops);
        pending checks stay in the clustering state for whoever holds it next."""
        self.link_checks.close()

    async def apply_links(self, batch: StoryBatch, *, now: datetime) -> None:
        """Answer the link checks scored since the last batch, into ``batch``: a merge or
        the waiting story's announcement, and a log entry each (the replay answers them
        again from it). Call after ``prepare``, before the batch's articles."""
        try:
            for check_id, scores in self.link_checks.answered():
                if not await self._both_stored(check_id, scores):
                    scores = []  # answered "not linked", and logged so for the replay
                answer = self.decider.clusterer.resolve_check(check_id, scores)
                if answer is None:
                    continue  # answered already (replayed), or dropped meanwhile
                batch.log.append(
                    f"{CHECK_ENTRY}|{codec.iso(now)}|{check_id}|{','.join(map(repr, scores))}"
                )
                metrics.inc("briefing_link_checks_total", linked=str(answer.survivor is not None))
                # A survivor nobody has heard of is announced before its merge: its
                # story.created, then the story.merged that names the absorbed id.
                if answer.announce is not None:
                    await self._announce(answer.announce, f"check-{check_id}", now, batch)
                for survivor, absorbed in answer.merges:
                    await self._merge(survivor, absorbed, now=now, batch=batch)
        except BaseException:
            self.stale = True  # memory may be half-way through the answers
            raise

    async def _both_stored(self, check_id: int, scores: list[float]) -> bool:
        """Whether every story the answer would merge still has its record (true when it
        would not merge). Retention may have removed one while its check waited (it
        prunes by the wall clock; a backfill's stories can be older than it keeps): the
        clusterer must then not merge in memory what the store cannot merge."""
        stories = self.decider.clusterer.link_targets(check_id, scores)
        if not stories:
            return True
        found = await self.store.stories.briefings_of(list(stories))  # headers only
        if len(found) == len(stories):
            return True
        log.warning("link check %d: story %s no longer stored; answered not linked",
                    check_id, " and ".join(s for s in stories if s not in found))  # fmt: skip
        return False

    async def decide(self, article: Article, *, now: datetime, batch: StoryBatch) -> None:
        """Add what ``article`` changes to ``batch`` (memory moves on; Redis on commit)."""
        try:
            await self._decide(article, now=now, batch=batch)
        except BaseException:
            self.stale = True  # memory may be half-way through this article
            raise

    async def commit(
        self,
        batch: StoryBatch,
        *,
        now: datetime,
        extra: Callable[[Any], None] | None = None,
    ) -> None:
        """Write ``batch`` (and whatever ``extra`` queues) in one fenced transaction.

        On any failure nothing of the batch is written and the stage is stale: memory
        ran ahead of Redis, so it restores before the next batch. A story whose members
        list is not what memory says it is (``check_stored``) is written whole, and the
        stage restores before the next batch too."""
        try:
            off = await self.store.stories.check_stored(batch)
            if off:
                log.warning(
                    "story members in Redis differ from memory (%s): rewriting, then restoring",
                    ", ".join(off[:5]),
                )
            await self.store.stories.write_batch(batch, self.fence, extra=extra)
        except BaseException:
            self.stale = True
            raise
        for article_id, story_id in batch.assignments.items():
            self._remember(article_id, story_id)
        for story in batch.stories.values():
            self._keep(story, Stored.of(story))
        if off:
            self.stale = True
        self._log_len += len(batch.log)
        self._unfrozen += len(batch.log)
        if self._unfrozen >= FREEZE_EVERY and gc_pause.freeze_survivors():
            self._unfrozen = 0  # full collections skip the state from here on
        if not self.stale:  # a failed decision left memory half-way: no snapshot of it
            await self._maybe_snapshot(now)
            pending = self.decider.clusterer.pending_checks()
            if pending:
                self.link_checks.dispatch(pending)

    def _remember(self, article_id: str, story_id: str) -> None:
        if len(self._story_of) >= ASSIGNMENT_CACHE:
            self._story_of.clear()  # results never depend on the cache
        self._story_of[article_id] = story_id

    def _keep(self, story: Story, stored: Stored) -> None:
        if len(self._records) >= STORY_CACHE and story.id not in self._records:
            self._records.clear()
            self._stored.clear()
        self._records[story.id] = story
        self._stored[story.id] = stored

    async def _assigned(self, article_id: str, batch: StoryBatch) -> str | None:
        story_id = batch.assignments.get(article_id) or self._story_of.get(article_id)
        if story_id is None and article_id not in self._unassigned:
            story_id = await self.store.stories.assigned(article_id)
            if story_id is not None:
                self._remember(article_id, story_id)
        return story_id

    async def _record(self, story_id: str, batch: StoryBatch) -> Story | None:
        story = batch.stories.get(story_id) or self._records.get(story_id)
        if story is None:
            [found] = await self.store.stories.read_many([story_id])
            if found is not None:
                self._keep(*found)
                story = found[0]
        return story

    async def _decide(self, article: Article, *, now: datetime, batch: StoryBatch) -> None:
        story_id = await self._assigned(article.id, batch)
        if story_id is not None:
            await self._add_to_story(story_id, article, now=now, batch=batch)
            return
        doc = cluster_doc(article)
        original = self.decider.copy_of(doc, now)
        original_story = await self._assigned(original, batch) if original else None
        if original is not None and original_story is not None:
            await self._add_to_story(
                original_story, article, copy_of=original, now=now, batch=batch
            )
            return
        facts = ArticleFacts.of(article)  # its places serve the clusterer too
        matchers = [m for m in self.matchers if m.matches(facts)]
        linkable = any(m.links_languages for m in matchers)
        doc = cluster_doc(article, facts.places, linkable=linkable)
        # Never waits for the embedding model: a link it must verify is a link check,
        # scored in a child process and answered in a later batch (apply_links).
        update = self.decider.cluster(doc, now)
        for dropped in self.decider.clusterer.take_dropped_checks():
            metrics.inc("briefing_link_checks_dropped_total")
            if dropped.announce:
                await self._announce(dropped.story, f"check-{dropped.id}", now, batch)
        previous = None if update.created else await self._record(update.story_id, batch)
        matched = [m.id for m in matchers]
        before = previous.briefings if previous else ()
        new_briefings = tuple(b for b in matched if b not in before)
        members = (previous.members if previous else ()) + tuple(members_of(article))
        story = _story(update.story, members, before + new_briefings)
        if previous is not None and previous.last_updated > story.last_updated:
            # A new outlet may have moved the record past the clusterer's latest article
            # time (_grown); last_updated never goes back.
            story = dataclasses.replace(story, last_updated=previous.last_updated)
        new_outlet = previous is not None and len(story.outlets) > len(previous.outlets)
        events = []
        if not update.announced:
            pass  # its story.created waits for its link check (workers/link_checks.py)
        elif update.created:
            events.append(Event("story.created"))
        elif new_outlet or update.headline_changed or new_briefings:
            events.append(Event("story.updated"))
        for event in events:
            metrics.inc("briefing_story_events_total", type=event.type)
        batch.add(
            story,
            article_id=article.id,
            new_briefings=new_briefings,
            events=events,
            log_entry=f"{article.id}|{codec.iso(now)}" + ("|link" if linkable else ""),
            now=now,
            stored=self._stored.get(story.id) if previous is not None else None,
        )

    async def _maybe_snapshot(self, now: datetime) -> None:
        if self._snapshot_at is None:
            self._snapshot_at = now
        due = now - self._snapshot_at >= self.snapshot_interval
        if (
            self._snapshot_due
            or self._log_len >= self.snapshot_every
            or (due and self._log_len > 0)
        ):
            # Encoded in a thread, seconds for a busy partition, while the API and the other
            # partitions run. Consistent: only this partition's batches change its decider,
            # and they run one after another, so the next one waits for this await.
            started = time.perf_counter()
            decider = self.decider
            encoding = asyncio.ensure_future(gc_pause.run(lambda: story_snapshot.encode(decider)))
            while not (await asyncio.wait({encoding}, timeout=LEASE_CHECK))[0]:
                if self.lease_kept is not None:
                    await self.lease_kept()  # renewed when due; the fenced write checks it
            snapshot = encoding.result()
            await self.store.stories.save_snapshot(
                snapshot, self._log_len, fence=self.fence, partition=self.partition
            )
            log.info(
                "clustering snapshot written: partition=%d, covers %d log entries, %d bytes, "
                "%.2f s",
                self.partition,
                self._log_len,
                len(snapshot),
                time.perf_counter() - started,
            )
            self._log_len = 0
            self._snapshot_at = now
            self._snapshot_due = False

    async def _add_to_story(
        self,
        story_id: str,
        article: Article,
        *,
        copy_of: str | None = None,
        now: datetime,
        batch: StoryBatch,
    ) -> None:
        """``article`` joins the story ``story_id``: the same article through another feed
        (its sources not yet there), or with ``copy_of``, a near-duplicate folded under
        that article. A new outlet among its members updates the story."""
        story = await self._record(story_id, batch)
        if story is None:
            return
        if copy_of is None:
            known = {(m.article_id, m.feed_url) for m in story.members}
            added = tuple(m for m in members_of(article) if (m.article_id, m.feed_url) not in known)
            if not added:
                return  # a replay: nothing new
            reported = max((s.seen_at for s in article.sources), default=article.first_seen)
            log_entry = None
        else:
            added = tuple(dataclasses.replace(m, copy_of=copy_of) for m in members_of(article))
            reported = article.published
            log_entry = f"{article.id}|{codec.iso(now)}|copy"
            metrics.inc("briefing_near_duplicates_total")
        grown = _grown(story, added, article_time(reported, now))
        events = []
        if len(grown.outlets) > len(story.outlets) and not self.decider.clusterer.waiting(story_id):
            events.append(Event("story.updated"))
            metrics.inc("briefing_story_events_total", type="story.updated")
        batch.add(
            grown,
            article_id=article.id,
            new_briefings=(),
            events=events,
            log_entry=log_entry,
            now=now,
            stored=self._stored.get(story_id),
        )

    async def _announce(self, story_id: str, ref: str, now: datetime, batch: StoryBatch) -> None:
        """The ``story.created`` of a story whose link check did not link it (or of the
        survivor of two such stories merged)."""
        story = await self._record(story_id, batch)
        if story is None:
            return
        batch.announce(
            story, Event("story.created"), ref, now=now, stored=self._stored.get(story_id)
        )
        metrics.inc("briefing_story_events_total", type="story.created")

    async def _merge(self, survivor_id: str, absorbed_id: str, *, now: datetime,
                     batch: StoryBatch) -> None:  # fmt: skip
        """The clusterer merged two stories: the survivor's record takes the absorbed one's
        members and briefings, and the absorbed record goes (StoryBatch.merge)."""
        survivor = await self._record(survivor_id, batch)
        absorbed = await self._record(absorbed_id, batch)
        view = self.decider.clusterer.story(survivor_id)
        if survivor is None or absorbed is None or view is None:
            # apply_links checked both records before the clusterer merged: memory is
            # not what Redis holds, so the batch fails and the stage restores.
            raise RuntimeError(f"merge of {absorbed_id} into {survivor_id}: a record is gone")
        new_briefings = tuple(b for b in absorbed.briefings if b not in survivor.briefings)
        members = tuple(sorted(survivor.members + absorbed.members, key=lambda m: m.published))
        story = _story(view, members, survivor.briefings + new_briefings)
        latest = max(survivor.last_updated, absorbed.last_updated, story.last_updated)
        story = dataclasses.replace(story, last_updated=latest)
        batch.merge(story, absorbed, new_briefings=new_briefings, now=now,
                    stored=self._stored.get(survivor_id))  # fmt: skip
        self._records.pop(absorbed_id, None)
        self._stored.pop(absorbed_id, None)
        for member in absorbed.members:
            self._remember(member.article_id, survivor_id)
        metrics.inc("briefing_story_events_total", type="story.merged")


def _scores(text: str) -> list[float]:
    return [float(score) for score in text.split(",")] if text else []


def _grown(story: Story, added: tuple[StoryMember, ...], reported: datetime) -> Story:
    """``story`` with ``added`` members; a new outlet among them is news (story.updated),
    so ``last_updated`` moves to ``reported`` (its report's stream time) if that is later:
    the timeline orders by it and clients compare it with what they have."""
    grown = dataclasses.replace(story, members=story.members + added)
    if len(grown.outlets) > len(story.outlets) and reported > story.last_updated:
        grown = dataclasses.replace(grown, last_updated=reported)
    return grown


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
