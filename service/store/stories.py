"""Stories, their timelines, and the clustering log that makes restarts exact.

Writes for a batch of articles happen in one MULTI transaction (``StoryBatch``): the
articles' assignments to their stories, the story records, the timelines, the events
and the clustering log entries (the process stage adds its indexes and the XACK). So
either all of an article's effects exist or none do, and "is this article already
assigned?" is the idempotency check of the process stage.

A story is two keys: its header (``keys.story``: every field but the members, plus the
counts, the bounded source list and the claims its events' payload needs) and its members list
(``keys.story_members``, appended to as the story grows). So an update writes the
header and its new members only, not every member again: the bytes written per update do
not grow with the story (whole records rewritten would grow the AOF with story size).
Readers that need the members read both keys in one MULTI; event payloads read the
header alone.

The clustering log (``cluster:log``, one per process partition) lists ``article_id|now``
in processing order (and the answers of link checks); with the partition's last snapshot
of its in-memory clusterer it rebuilds the exact state after a restart (snapshot, then
replay of the log written after it).

A merge (``StoryBatch.merge``, cross-language links: workers/link_checks.py) writes the
surviving story whole and removes the absorbed one in the same MULTI: its keys, its
places on every timeline, its articles reassigned to the survivor (those retention has not
pruned), and an entry in ``keys.story_merged_into`` so its id still leads to the survivor
(``merged_into``). The survivor must still exist when the transaction runs: its header
is WATCHed with the lease and checked after the WATCH (``guard``), so a prune between the
stage's check and EXEC refuses the whole batch (StoryGone) instead of re-creating the
survivor from the merge's writes (its header, a members list holding only the absorbed
story's reports, its timeline entries). An absorbed story pruned meanwhile needs no
guard: its keys are deleted anyway, and only its reports still stored are reassigned.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from redis.exceptions import WatchError

from service.claims import story_claims
from service.models import Story, StoryMember
from service.store import codec
from service.store.connection import RedisClient, read_together
from service.store.events import story_ref_fields
from service.store.keys import STREAM_CEILING, Keys

# A member in the story's members list (``keys.story_members``) is a JSON array in this
# order, without keys: members are most of a big story's bytes, and each is written once.
MEMBER_FIELDS = (
    "article_id",
    "feed_url",
    "outlet",
    "url",
    "title",
    "published",
    "language",
    "country",
    "copy_of",
)


def member_to_row(m: StoryMember) -> str:
    return json.dumps(
        [
            m.article_id,
            m.feed_url,
            m.outlet,
            m.url,
            m.title,
            codec.iso(m.published),
            m.language,
            m.country,
            m.copy_of,
        ],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def member_from_row(text: str) -> StoryMember:
    fields = dict(zip(MEMBER_FIELDS, json.loads(text), strict=True))
    published = codec.parse_iso(fields.pop("published"))
    assert published is not None
    return StoryMember(**fields, published=published)


def story_from_record(header: str, rows: Sequence[str]) -> Story:
    """A story from its header and its members list."""
    d = json.loads(header)
    first_seen = codec.parse_iso(d["first_seen"])
    last_updated = codec.parse_iso(d["last_updated"])
    assert first_seen is not None and last_updated is not None
    members = tuple(member_from_row(r) for r in rows)
    return Story(
        id=d["id"],
        headline=d["headline"],
        summary=d["summary"],
        first_seen=first_seen,
        last_updated=last_updated,
        members=members,
        languages=tuple(d["languages"]),
        places=tuple(d["places"]),
        keywords=tuple(d["keywords"]),
        briefings=tuple(d["briefings"]),
    )


# Each webhook body is stored until delivered, and every SSE frame carries one, so a
# story's payload stays bounded however many reports it gathers: one source per outlet.
MAX_EVENT_SOURCES = 50


def story_header(s: Story) -> dict[str, Any]:
    """What ``keys.story`` holds: every field but the members, plus what an event's
    payload needs of them (counts, the bounded ``sources``), so the SSE hub and the
    notifier read this alone. Its size does not depend on how many members there are
    (the sources are capped at ``MAX_EVENT_SOURCES``)."""
    first_per_outlet: dict[str, StoryMember] = {}
    for m in s.members:
        if m.outlet not in first_per_outlet:
            first_per_outlet[m.outlet] = m
            if len(first_per_outlet) == MAX_EVENT_SOURCES:
                break
    # The summary is the lead of the report whose title the headline is (workers/cluster.py).
    lead = next((m for m in s.members if s.headline and s.headline in m.title), None)
    claims = story_claims(s.summary, lead, list(first_per_outlet.values()))
    return {
        "id": s.id,
        "headline": s.headline,
        "summary": s.summary,
        "first_seen": codec.iso(s.first_seen),
        "last_updated": codec.iso(s.last_updated),
        "languages": list(s.languages),
        "places": list(s.places),
        "keywords": list(s.keywords),
        "briefings": list(s.briefings),
        "member_count": len(s.members),
        "article_count": len(s.original_ids),
        # Rows, like the members list: the keys of 50 sources would be a third of the header.
        "sources": [
            [m.outlet, m.country, m.language, m.url, codec.iso(m.published)]
            for m in first_per_outlet.values()
        ],
        "claims": [[c.claimant, c.text, c.outlet, c.url] for c in claims],
    }


# A story payload's source, and the order of a header's source row (``story_header``).
SOURCE_KEYS = ("outlet", "country", "language", "url", "time")


def source_of(row: list[Any]) -> dict[str, Any]:
    """A payload source from a header's row (``story_header``)."""
    return dict(zip(SOURCE_KEYS, row, strict=True))


def claim_of(row: list[str]) -> dict[str, Any]:
    """A payload claim from a header's row (``story_header``)."""
    claimant, text, outlet, url = row
    return {"claimant": claimant, "text": text, "report": {"outlet": outlet, "url": url}}


def header_to_json(s: Story) -> str:
    return json.dumps(story_header(s), ensure_ascii=False, separators=(",", ":"))


def header_payload(h: dict[str, Any]) -> dict[str, Any]:
    """``story_payload`` from a header (``story_header``) without the members."""
    return {
        "id": h["id"],
        "headline": h["headline"],
        "summary": h["summary"],
        "first_seen": h["first_seen"],
        "last_updated": h["last_updated"],
        "article_count": h["article_count"],
        "source_count": h["member_count"],
        "sources": [source_of(row) for row in h["sources"]],
        "places": h["places"],
        "languages": h["languages"],
        "keywords": h["keywords"],
        "briefings": h["briefings"],
        "claims": [claim_of(row) for row in h["claims"]],
    }


def story_payload(s: Story) -> dict[str, Any]:
    """The public, versioned shape of a story in events (SSE frames and webhooks), made
    from the story's header when an event is read (service/store/event_payloads.py).

    ``sources`` lists each outlet once (its first report), at most ``MAX_EVENT_SOURCES``;
    ``source_count`` counts every report; the API serves the full story."""
    return header_payload(story_header(s))


@dataclass(frozen=True, slots=True)
class Stored:
    """What a story's members list holds before a write, as its writer read or last wrote
    it."""

    members: tuple[StoryMember, ...]

    @classmethod
    def of(cls, story: Story) -> Stored:
        return cls(story.members)

    def append_from(self, story: Story) -> int | None:
        """Where ``story``'s new members start in the list, if writing them there leaves the
        list exactly ``story.members``; None if the list must be rewritten (members that do
        not extend the stored ones)."""
        n = len(self.members)
        if story.members[:n] != self.members:
            return None
        return n


def queue_story(pipe: Any, keys: Keys, story: Story, stored: Stored | None) -> None:
    """Queue one story's write (``queue_stories`` for one)."""
    queue_stories(pipe, keys, [(story, stored)])


def queue_stories(pipe: Any, keys: Keys, stories: Sequence[tuple[Story, Stored | None]]) -> None:
    """Queue the stories' writes: their headers (one MSET), and the members each gained
    since its ``stored`` (all of them, the list rewritten, when ``stored`` is unknown or is
    not a prefix). So the bytes of an update do not grow with the members the story already
    has, and a batch costs a command per story, not per key. In the caller's MULTI, so
    headers and lists always change together."""
    rewritten, appends = [], []
    for story, stored in stories:
        members_key = keys.story_members(story.id)
        start = stored.append_from(story) if stored is not None else None
        if start is None:
            rewritten.append(members_key)
            start = 0
        added = story.members[start:]
        if added:
            appends.append((members_key, [member_to_row(m) for m in added]))
    if rewritten:
        pipe.delete(*rewritten)
    for members_key, rows in appends:
        pipe.rpush(members_key, *rows)
    if stories:
        pipe.mset({keys.story(story.id): header_to_json(story) for story, _ in stories})


async def read_stories(
    redis: RedisClient, keys: Keys, ids: Sequence[str]
) -> list[tuple[Story, Stored] | None]:
    """Each story (header and members list) and what its keys hold, in ``ids`` order;
    None where the story does not exist. Read together (``read_together``): header and
    list as the one write that left them."""
    if not ids:
        return []

    def reads(pipe: Any) -> None:
        for story_id in ids:
            pipe.get(keys.story(story_id))
            pipe.lrange(keys.story_members(story_id), 0, -1)

    replies = await read_together(redis, reads)
    out: list[tuple[Story, Stored] | None] = []
    for header, rows in zip(replies[::2], replies[1::2], strict=True):
        if header is None:
            out.append(None)
            continue
        story = story_from_record(header, rows)
        out.append((story, Stored(story.members)))
    return out


async def read_payloads(
    redis: RedisClient, keys: Keys, ids: Sequence[str]
) -> list[dict[str, Any] | None]:
    """Each story's ``story_payload`` from its header alone (``header_payload``), in
    ``ids`` order; None where the story does not exist. One MGET, no members list read:
    what a timeline page needs when no filter looks at every member
    (service/store/timelines.py)."""
    if not ids:
        return []
    raws = await redis.mget([keys.story(i) for i in ids])
    return [None if raw is None else header_payload(json.loads(raw)) for raw in raws]


# Reassign articles to a survivor, skipping those retention pruned (their record is gone).
# Run inside the batch's MULTI, so the check and the write see the same state: a check read
# before the transaction could miss a prune that lands before EXEC (retention holds no lease).
# KEYS[1]: the story-of hash; KEYS[1 + i]: article i's record; ARGV[2i - 1], ARGV[2i]: its
# id and its new story. Returns how many were reassigned.
REASSIGN_KEPT = """
local n = 0
for i = 2, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 1 then
    redis.call('HSET', KEYS[1], ARGV[2 * i - 3], ARGV[2 * i - 2])
    n = n + 1
  end
end
return n
"""

# How many merges ``merged_into`` follows (each merge absorbs a story into an older one, so
# a longer chain means many stories merged one after another).
MERGE_CHAIN = 16


class WriteRefused(Exception):
    """A batch was not written at all (a key it depends on changed first)."""


class LeaseLost(WriteRefused):
    """Another process took the clustering lease: this one must stop writing stories."""


class StoryGone(WriteRefused):
    """A story a merge writes was removed (by retention, which holds no lease) after the
    stage checked it: written, the merge would bring back part of a pruned story."""


@dataclass(frozen=True, slots=True)
class Fence:
    """Writes happen only while ``key`` still holds ``token`` (WATCH + MULTI): a stage
    that stalled past its lease can never overwrite what its successor wrote."""

    key: str
    token: str


@dataclass(frozen=True, slots=True)
class Event:
    """A story event as the story stage decides it: its type (and for ``story.merged``
    the stories absorbed). The stream holds a reference to the story
    (service/store/events.py) and readers build the payload from the story's header when
    they read it, so the stage builds none."""

    type: str
    absorbed: tuple[str, ...] = ()


@dataclass
class StoryBatch:
    """Everything a batch of articles changed, written in one transaction (``queue``).

    Articles are decided one after another in memory; a story several of them touched
    is written once, in its final state, and each of its events (one per article, in
    order) refers to it: every one reads as that final state."""

    partition: int = 0  # whose clustering log the entries go to
    assignments: dict[str, str] = field(default_factory=dict)  # article id -> story id
    stories: dict[str, Story] = field(default_factory=dict)  # final state per story
    new_briefings: dict[str, set[str]] = field(default_factory=dict)  # story id -> first seen
    log: list[str] = field(default_factory=list)  # clustering-log entries, in order
    events: list[tuple[Event, str, str, datetime]] = field(default_factory=list)
    # story id -> what its keys held before the batch (None: unknown, rewrite the list)
    stored: dict[str, Stored | None] = field(default_factory=dict)
    # absorbed story id -> (its survivor, the briefings whose timelines held it)
    absorbed: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    # article id -> survivor, for members of absorbed stories written before this batch:
    # set only where the article still exists (``REASSIGN_KEPT``)
    reassigned: dict[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.assignments or self.stories or self.log or self.events)

    def announce(
        self, story: Story, event: Event, ref: str, *, now: datetime, stored: Stored | None
    ) -> None:
        """An event for ``story`` that no article brought (``ref`` makes its dedupe key):
        a story announced when its link check was answered."""
        if story.id not in self.stories:
            self.stored[story.id] = stored
        self.stories[story.id] = story
        self.events.append((event, story.id, ref, now))

    def merge(
        self,
        story: Story,
        absorbed: Story,
        *,
        new_briefings: tuple[str, ...],
        now: datetime,
        stored: Stored | None,
    ) -> None:
        """``story`` (the survivor, in its merged state) took in ``absorbed``: the absorbed
        story is removed (``queue``), its articles are the survivor's, and one
        ``story.merged`` tells subscribers. An absorbed story this batch wrote or named in
        events is the survivor's from here on. Its members this batch did not bring are
        reassigned only if their article still exists when the transaction runs: retention
        may have pruned a long story's early reports, and an assignment of an article that
        is gone would never be deleted (``REASSIGN_KEPT``)."""
        survivor = story.id
        if survivor not in self.stories:
            self.stored[survivor] = stored
        self.stories.pop(absorbed.id, None)
        self.stored.pop(absorbed.id, None)
        moved = self.new_briefings.pop(absorbed.id, set()) | set(new_briefings)
        if moved:
            self.new_briefings.setdefault(survivor, set()).update(moved)
        self.stories[survivor] = story
        self.absorbed[absorbed.id] = (survivor, absorbed.briefings)
        for member in absorbed.members:
            if member.article_id in self.assignments:
                self.assignments[member.article_id] = survivor
            else:
                self.reassigned[member.article_id] = survivor
        for moved_to in (self.assignments, self.reassigned):
            for article_id, story_id in moved_to.items():
                if story_id == absorbed.id:
                    moved_to[article_id] = survivor
        self.events = [
            (e, survivor if sid == absorbed.id else sid, ref, when)
            for e, sid, ref, when in self.events
        ]
        self.events.append((Event("story.merged", (absorbed.id,)), survivor, absorbed.id, now))

    def add(
        self,
        story: Story,
        *,
        article_id: str,
        new_briefings: tuple[str, ...],
        events: list[Event],
        log_entry: str | None,
        now: datetime,
        stored: Stored | None = None,
    ) -> None:
        """``stored``: what the story's keys held before this batch (its first add counts;
        later adds of the same story in the batch build on the first)."""
        if story.id not in self.stories:
            self.stored[story.id] = stored
        self.assignments[article_id] = story.id
        self.stories[story.id] = story
        if new_briefings:
            self.new_briefings.setdefault(story.id, set()).update(new_briefings)
        if log_entry is not None:
            self.log.append(log_entry)
        self.events.extend((event, story.id, article_id, now) for event in events)


class StoryStore:
    def __init__(self, redis: RedisClient, keys: Keys, *, stream_maxlen: int = STREAM_CEILING):
        self.redis = redis
        self.keys = keys
        self.stream_maxlen = stream_maxlen

    async def assigned(self, article_id: str) -> str | None:
        story_id: str | None = await self.redis.hget(self.keys.story_of_article, article_id)
        return story_id

    async def assigned_many(self, article_ids: list[str]) -> dict[str, str | None]:
        if not article_ids:
            return {}
        found = await self.redis.hmget(self.keys.story_of_article, article_ids)
        return dict(zip(article_ids, found, strict=True))

    async def assignments(self) -> dict[str, str]:
        """Every article's story (article id -> story id), as the process stage left them."""
        found: dict[str, str] = await self.redis.hgetall(self.keys.story_of_article)
        return found

    async def assigned_count(self) -> int:
        """How many articles have a story."""
        return int(await self.redis.hlen(self.keys.story_of_article))

    async def merged_into(self, story_id: str) -> str | None:
        """The story a merged story lives on in (following later merges), or None when
        ``story_id`` was never merged."""
        survivor = None
        for _ in range(MERGE_CHAIN):
            found = await self.redis.hget(self.keys.story_merged_into, survivor or story_id)
            if found is None:
                break
            survivor = str(found)
        return survivor

    async def get(self, story_id: str) -> Story | None:
        [found] = await read_stories(self.redis, self.keys, [story_id])
        return found[0] if found else None

    async def get_many(self, ids: list[str]) -> list[Story]:
        return [found[0] for found in await self.read_many(ids) if found]

    async def read_many(self, ids: list[str]) -> list[tuple[Story, Stored] | None]:
        """Stories with what their keys hold (the story stage appends to that)."""
        return await read_stories(self.redis, self.keys, ids)

    async def check_stored(self, batch: StoryBatch) -> list[str]:
        """Check what ``batch`` believes each story's members list holds against Redis (one
        pipelined LLEN per story, before the transaction); where it differs, forget it, so
        ``queue`` rewrites that list whole. Returns those story ids.

        The writer holds the partition's lease, so nobody else writes these lists between
        this read and its EXEC (if the lease moved, the fenced EXEC fails). A difference
        means the writer's memory is not what Redis holds (Redis lost its last writes in a
        restart, within the AOF fsync policy): an append would leave a gap, a rewrite
        cannot."""
        ids = [i for i, s in batch.stored.items() if s is not None]
        if not ids:
            return []
        async with self.redis.pipeline(transaction=False) as pipe:
            for story_id in ids:
                pipe.llen(self.keys.story_members(story_id))
            lengths = await pipe.execute()
        off = []
        for story_id, length in zip(ids, lengths, strict=True):
            stored = batch.stored[story_id]
            if stored is not None and int(length) != len(stored.members):
                batch.stored[story_id] = None
                off.append(story_id)
        return off

    async def briefings_of(self, ids: list[str]) -> dict[str, tuple[str, ...]]:
        """Story id -> its briefings, from the headers alone (no members read)."""
        if not ids:
            return {}
        raws = await self.redis.mget([self.keys.story(i) for i in ids])
        return {i: tuple(json.loads(r)["briefings"]) for i, r in zip(ids, raws, strict=True) if r}

    async def write_batch(
        self,
        batch: StoryBatch,
        fence: Fence | None,
        *,
        extra: Callable[[Any], None] | None = None,
    ) -> None:
        """Write ``batch``, after whatever ``extra`` queues, in one fenced transaction;
        StoryGone, and nothing written, if a merge's survivor no longer exists."""
        survivors = {survivor for survivor, _briefings in batch.absorbed.values()}
        await write_fenced(
            self.redis,
            fence,
            extra,
            lambda pipe: self.queue(pipe, batch),
            present=[self.keys.story(story_id) for story_id in sorted(survivors)],
        )

    def queue(self, pipe: Any, batch: StoryBatch) -> None:
        """Queue a batch's writes on a transaction (the caller guards and executes it).

        The event XADDs come last, in the order they happened."""
        keys = self.keys
        if batch.assignments:
            pipe.hset(keys.story_of_article, mapping=batch.assignments)
        queue_stories(pipe, keys, [(s, batch.stored.get(s.id)) for s in batch.stories.values()])
        scores: dict[str, dict[str, int]] = {}  # sorted-set key -> story id -> score
        for story in batch.stories.values():
            updated = codec.epoch_ms(story.last_updated)
            created = codec.epoch_ms(story.first_seen)
            new_briefings = batch.new_briefings.get(story.id, ())
            scores.setdefault(keys.stories_by("updated"), {})[story.id] = updated
            scores.setdefault(keys.stories_by("created"), {})[story.id] = created
            for briefing in story.briefings:
                key = keys.briefing_stories(briefing, "updated")
                scores.setdefault(key, {})[story.id] = updated
                if briefing in new_briefings:
                    key = keys.briefing_stories(briefing, "created")
                    scores.setdefault(key, {})[story.id] = created
        for key, members in scores.items():
            pipe.zadd(key, members)
        for absorbed, (survivor, briefings) in batch.absorbed.items():
            pipe.delete(keys.story(absorbed), keys.story_members(absorbed))
            timelines = [keys.stories_by("updated"), keys.stories_by("created")]
            for briefing in briefings:
                timelines += [keys.briefing_stories(briefing, order)
                              for order in ("updated", "created")]  # fmt: skip
            for key in timelines:
                pipe.zrem(key, absorbed)
            pipe.hset(keys.story_merged_into, absorbed, survivor)
        if batch.reassigned:
            moved = list(batch.reassigned.items())
            pipe.eval(
                REASSIGN_KEPT,
                1 + len(moved),
                keys.story_of_article,
                *(keys.article(article_id) for article_id, _ in moved),
                *(value for pair in moved for value in pair),
            )
        if batch.log:
            pipe.rpush(keys.cluster_log(batch.partition), *batch.log)
        for event, story_id, article_id, now in batch.events:
            pipe.xadd(
                keys.events_stream,
                story_ref_fields(
                    event.type,
                    story_id,
                    batch.stories[story_id].briefings,  # add() put every event's story there
                    codec.iso(now) or "",
                    f"{event.type}|{story_id}|{article_id}",
                    event.absorbed,
                ),
                # An out-of-memory ceiling only; the routine trim keeps what the notifier
                # has not read (service/store/trim.py).
                maxlen=self.stream_maxlen,
                approximate=True,
            )

    # --- clustering state ------------------------------------------------------------

    async def log_entries(self, partition: int = 0) -> list[str]:
        entries: list[str] = await self.redis.lrange(self.keys.cluster_log(partition), 0, -1)
        return entries

    async def load_snapshot(self, partition: int = 0) -> str | None:
        """The partition's snapshot as stored (its format: workers/story_snapshot.py)."""
        raw: str | None = await self.redis.get(self.keys.cluster_snapshot(partition))
        return raw

    async def save_snapshot(
        self,
        snapshot: str,
        covered: int,
        fence: Fence | None = None,
        partition: int = 0,
    ) -> None:
        """Store a snapshot taken after the first ``covered`` log entries, and drop them."""

        def queue(pipe: Any) -> None:
            pipe.set(self.keys.cluster_snapshot(partition), snapshot)
            pipe.ltrim(self.keys.cluster_log(partition), covered, -1)

        await write_fenced(self.redis, fence, queue)


async def write_fenced(
    redis: RedisClient,
    fence: Fence | None,
    *queues: Callable[[Any], None] | None,
    present: Sequence[str] = (),
) -> None:
    """Run the writes ``queues`` put on a pipeline as one transaction (MULTI/EXEC), fenced
    by the lease when there is one: LeaseLost, and nothing written, if the lease is not
    ``fence``'s when the transaction starts or changes before it runs; StoryGone, and
    nothing written, if a key of ``present`` is missing then or changes before it runs."""
    present = sorted(set(present))
    try:
        async with redis.pipeline(transaction=True) as pipe:
            await guard(pipe, fence, present)
            for queue in queues:
                if queue is not None:
                    queue(pipe)
            await pipe.execute()
    except WatchError as exc:
        # Only a WATCHed key aborts EXEC: tell which kind changed.
        await _require(redis, present)
        assert fence is not None
        raise LeaseLost(f"lease {fence.key} changed before the write") from exc


async def guard(pipe: Any, fence: Fence | None, present: Sequence[str] = ()) -> None:
    """Start the transaction, fenced by the lease when there is one, and by the keys of
    ``present`` (which must exist).

    WATCH makes EXEC fail (WatchError) if a watched key changes (or is deleted) before it
    runs; what the WATCH covers is checked after it, so no change slips in between."""
    present = sorted(set(present))
    keys = [*([fence.key] if fence is not None else []), *present]
    if not keys:
        return
    await pipe.watch(*keys)
    if fence is not None and await pipe.get(fence.key) != fence.token:
        raise LeaseLost(f"lease {fence.key} is no longer held by {fence.token}")
    await _require(pipe, present)
    pipe.multi()


async def _require(redis: Any, keys: Sequence[str]) -> None:
    """StoryGone unless every one of ``keys`` (distinct) exists."""
    if keys and await redis.exists(*keys) != len(keys):
        raise StoryGone("a merged story was removed before the write")
