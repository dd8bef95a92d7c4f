"""Reading briefing timelines: cursor pages, ``since=``, filters.

A timeline is a ZSET story id -> epoch ms (``keys.briefing_stories(briefing, order)``,
written by StoryStore.save). Pages walk it newest first.

Why the cursor is stable under concurrent inserts: it is the (score, id) of the last
story *examined*, not an offset, so the next page starts strictly below it whatever was
inserted above meanwhile. In ``created`` order a score never changes, so paging sees
every story that existed when it started exactly once. In ``updated`` order a score
only grows (a story's ``last_updated`` is a running max), so a story updated while a
client pages jumps *above* the cursor: it is never served twice, and the client learns
about it from the ``watermark`` every page carries (the events stream's last id when
the walk started): ``since=<watermark>`` returns exactly what changed during the walk.

Filters (``q``, ``lang``, ``source``, ``place``, ``min_sources``) need the story record,
so a filtered page examines candidates in batches and stops after ``scan_limit`` of
them; the cursor then points at the last story examined and the page may be short
(``next_cursor`` still says whether there is more). That bounds the work of one request.

An item is the story's event payload (``StoryItem``: counts and at most
``MAX_EVENT_SOURCES`` sources, one per outlet), read from the story headers alone (one
MGET): a page of 50 big stories reads no member rows, and its size does not grow with the
stories. Only a filter that must see every member (``source``;
``min_sources`` above what a header lists) reads the members lists too, and still matches
on all of them.
"""

from __future__ import annotations

import base64
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from service.models import Story, StoryMember
from service.store import codec
from service.store.connection import RedisClient
from service.store.event_log import SINCE_TOO_OLD, SINCE_UNKNOWN, EventLog
from service.store.events import EventEntry
from service.store.keys import Keys
from service.store.stories import MAX_EVENT_SOURCES, read_payloads, read_stories, story_payload

SCAN_LIMIT = 2000  # stories examined per filtered request at most
BATCH = 200


class CursorError(ValueError):
    """A cursor this module did not make."""


class SinceTooOld(LookupError):
    """``since`` names an event older than the events stream still retains."""


class SinceUnknown(LookupError):
    """``since`` names an event newer than the newest one in the events stream: an id
    this deployment never sent (another deployment's, or made up)."""


class StreamIdRule:
    """Which event ids a client may send back (``since=``, ``Last-Event-ID``, a cursor's
    watermark) as the position to read after.

    A Redis stream id is ``ms-seq``, each part an unsigned 64-bit integer (Redis'
    ``streamParseID``); Redis answers a larger part with an error, and an exclusive
    XRANGE start at the largest id, ``(18446744073709551615-18446744073709551615``, with
    another (nothing can follow it). Checked here, before Redis sees the id: ASCII digits
    only (``\\d`` would take "١٢"), the whole text (``$`` would allow a trailing newline).
    ``STREAM_ID.match(text)`` is true for exactly those ids.
    """

    _syntax = re.compile(r"[0-9]{1,20}-[0-9]{1,20}", re.ASCII)

    def problem(self, text: str) -> str | None:
        """Why ``text`` is not such an id (one readable phrase), or None when it is."""
        if not self._syntax.fullmatch(text):
            return "not an event id"
        ms, seq = (int(part) for part in text.split("-"))
        if ms > MAX_ID_PART or seq > MAX_ID_PART:
            return f"event id out of range (each part at most {MAX_ID_PART})"
        if ms == seq == MAX_ID_PART:
            return "the largest event id: nothing can follow it"
        return None

    def looks_like(self, text: str) -> bool:
        """Shaped like an event id (``digits-digits``), in range or not."""
        return self._syntax.fullmatch(text) is not None

    def match(self, text: str) -> bool:
        return self.problem(text) is None


MAX_ID_PART = 2**64 - 1
STREAM_ID = StreamIdRule()


@dataclass(frozen=True, slots=True)
class StoryItem:
    """A story as timelines serve it: its event payload (``story_payload``: the counts and
    the first report of each outlet, at most ``MAX_EVENT_SOURCES``), and every member when
    a filter needed them (``Filters.needs_members``)."""

    payload: dict[str, Any]
    members: tuple[StoryMember, ...] | None = None

    @property
    def id(self) -> str:
        story_id: str = self.payload["id"]
        return story_id

    @classmethod
    def of(cls, story: Story) -> StoryItem:
        return cls(story_payload(story), story.members)


@dataclass(frozen=True, slots=True)
class Filters:
    """What a story must match; empty fields match everything."""

    q: str | None = None
    lang: str | None = None
    source: str | None = None
    place: str | None = None
    min_sources: int = 0

    def __post_init__(self) -> None:
        # Stored feed text is composed (NFC, workers.text.html_to_text); words typed in
        # decomposed form (a keyboard or client sending "і" + U+0308 for "ї") are
        # composed too, so they compare equal to what is stored.
        for name in ("q", "place"):
            value = getattr(self, name)
            if value:
                object.__setattr__(self, name, unicodedata.normalize("NFC", value))

    @property
    def active(self) -> bool:
        return bool(self.q or self.lang or self.source or self.place or self.min_sources > 1)

    @property
    def needs_members(self) -> bool:
        """Whether matching needs every member, not only the header: ``source`` looks at
        every report's outlet and feed URL; a header lists min(outlets,
        ``MAX_EVENT_SOURCES``) sources, one per outlet, so it answers ``min_sources`` up
        to that many."""
        return bool(self.source) or self.min_sources > MAX_EVENT_SOURCES

    def match(self, item: StoryItem) -> bool:
        """Whether the story matches; ``item.members`` must be there if ``needs_members``."""
        story = item.payload
        members = item.members
        if self.needs_members and members is None:
            raise ValueError("these filters need the story's members")
        if self.lang and self.lang not in story["languages"]:
            return False
        if self.min_sources > 1:
            outlets = (
                len(story["sources"])
                if members is None
                else len(dict.fromkeys(m.outlet for m in members))
            )
            if outlets < self.min_sources:
                return False
        if self.place:
            wanted = self.place.casefold()
            if not any(p.casefold() == wanted for p in story["places"]):
                return False
        if self.source:
            wanted = self.source.casefold()
            if not any(
                m.outlet.casefold() == wanted or m.feed_url == self.source for m in members or ()
            ):
                return False
        if self.q:
            haystack = " ".join(
                (story["headline"], story["summary"], *story["keywords"], *story["places"])
            ).casefold()
            if not all(word in haystack for word in self.q.casefold().split()):
                return False
        return True


@dataclass(frozen=True, slots=True)
class Cursor:
    score: int
    story_id: str
    watermark: str  # events stream id when the walk started ("0-0" if empty)

    def encode(self) -> str:
        raw = f"{self.score}:{self.story_id}:{self.watermark}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> Cursor:
        try:
            padded = text + "=" * (-len(text) % 4)
            raw = base64.urlsafe_b64decode(padded.encode()).decode()
            score, story_id, watermark = raw.split(":")
            if not story_id or not STREAM_ID.match(watermark):
                raise ValueError(raw)
            return cls(int(score), story_id, watermark)
        except (ValueError, UnicodeDecodeError) as exc:
            raise CursorError("not a cursor returned by this API") from exc


@dataclass(frozen=True, slots=True)
class TimelinePage:
    items: list[StoryItem]
    next_cursor: str | None
    watermark: str


class Timelines:
    """Read side of the story timelines (the write side is StoryStore.save)."""

    def __init__(self, redis: RedisClient, keys: Keys, *, scan_limit: int = SCAN_LIMIT):
        self.redis = redis
        self.keys = keys
        self.scan_limit = scan_limit

    async def watermark(self) -> str:
        """The id of the newest event, "0-0" when there is none."""
        rows = await self.redis.xrevrange(self.keys.events_stream, count=1)
        return str(rows[0][0]) if rows else "0-0"

    async def count(self, briefing: str) -> int:
        return int(await self.redis.zcard(self.keys.briefing_stories(briefing, "updated")))

    async def page(
        self,
        key: str,
        *,
        limit: int,
        cursor: Cursor | None = None,
        since_ms: int | None = None,
        filters: Filters | None = None,
        watermark: str | None = None,
    ) -> TimelinePage:
        """One page of the ZSET ``key``, newest first (see the module docstring).
        ``watermark``: the events stream's newest id, if the caller has just read it."""
        filters = filters or Filters()
        if cursor is not None:
            watermark = cursor.watermark
        elif watermark is None:
            watermark = await self.watermark()
        low = "-inf" if since_ms is None else f"({since_ms}"
        high: int | str = "+inf" if cursor is None else cursor.score
        items: list[StoryItem] = []
        last: tuple[int, str] | None = None  # the last story examined (where the next page starts)
        examined = offset = 0
        has_more = False
        while not has_more:
            size = BATCH if filters.active else min(BATCH, limit + 1)
            rows = await self.redis.zrevrangebyscore(
                key, high, low, start=offset, num=size, withscores=True
            )
            offset += len(rows)
            # ZREVRANGEBYSCORE orders ties by member descending: skip ties >= the cursor id.
            fresh = [
                (member, int(score))
                for member, score in rows
                if cursor is None or int(score) < cursor.score or member < cursor.story_id
            ]
            stories = await self._load([m for m, _ in fresh], filters)
            for member, score in fresh:
                story = stories.get(member)
                matches = story is not None and filters.match(story)
                if (matches and len(items) == limit) or examined == self.scan_limit:
                    has_more = True
                    break
                examined += 1
                if story is not None and matches:
                    items.append(story)
                last = (score, member)
            if len(rows) < size:
                break
        next_cursor = Cursor(last[0], last[1], watermark).encode() if has_more and last else None
        return TimelinePage(items=items, next_cursor=next_cursor, watermark=watermark)

    async def changes(
        self,
        briefing: str,
        after: str,
        *,
        limit: int,
        filters: Filters | None = None,
        order: str = "updated",
    ) -> TimelinePage:
        """Stories of ``briefing`` named by events after the event id ``after``.

        At most ``limit`` distinct stories, taken from the oldest change on; the page's
        ``watermark`` is the last event examined, so ``since=<watermark>`` continues
        exactly where this page stopped (a polling client misses nothing, and a story
        changed twice in the range is served once, as it is now). Raises SinceTooOld
        when the stream no longer holds the events right after ``after`` (trimmed), and
        SinceUnknown when ``after`` is past the newest id it gave out: answering "nothing
        changed" with ``after`` as the watermark would keep such a client polling from
        there, missing every event until the ids reach it (``EventLog.gap_after``).
        Either way the client must reload the timeline.
        """
        gap = await EventLog(self.redis, self.keys).gap_after(after)
        if gap == SINCE_TOO_OLD:
            raise SinceTooOld(after)
        if gap == SINCE_UNKNOWN:
            raise SinceUnknown(after)
        picked: dict[str, None] = {}
        watermark = after
        start = f"({after}"
        full = False
        while not full:
            rows = await self.redis.xrange(self.keys.events_stream, min=start, count=500)
            for entry_id, fields in rows:
                story_id, briefings = _story_ref(entry_id, fields)
                if story_id is not None and briefing in briefings:
                    if story_id not in picked and len(picked) == limit:
                        full = True
                        break
                    picked[story_id] = None
                watermark = str(entry_id)
            if len(rows) < 500:
                break
            start = f"({rows[-1][0]}"
        wanted = filters or Filters()
        items = [s for s in await self.stories(picked, wanted) if wanted.match(s)]
        field = "first_seen" if order == "created" else "last_updated"
        # Parsed: ISO text without microseconds (isoformat drops ".000000") sorts wrong.
        items.sort(key=lambda s: (codec.parse_iso(s.payload[field]), s.id), reverse=True)
        return TimelinePage(items=items, next_cursor=None, watermark=watermark)

    async def stories(self, ids: Iterable[str], filters: Filters | None = None) -> list[StoryItem]:
        """The items of existing stories among ``ids``, in that order; with their members
        when ``filters`` need them."""
        ordered = list(ids)
        found = await self._load(ordered, filters or Filters())
        return [found[i] for i in ordered if i in found]

    async def _load(self, ids: list[str], filters: Filters) -> dict[str, StoryItem]:
        if not ids:
            return {}
        if filters.needs_members:  # header and members list, one MULTI per batch
            stories = await read_stories(self.redis, self.keys, ids)
            return {i: StoryItem.of(f[0]) for i, f in zip(ids, stories, strict=True) if f}
        payloads = await read_payloads(self.redis, self.keys, ids)
        return {i: StoryItem(p) for i, p in zip(ids, payloads, strict=True) if p is not None}


def _story_ref(entry_id: object, fields: dict[str, str]) -> tuple[str | None, frozenset[str]]:
    """The story id and briefings a story event names, from the reference's fields,
    without reading the story (service/store/events.py)."""
    entry = EventEntry.parse(entry_id, fields)
    if entry is None or entry.story_id is None:
        return None, frozenset()
    return entry.story_id, entry.briefings
