"""Story records as a header plus an append-only members list (real Redis).

An update writes the header and the members it added, whatever the story's size; readers
that need every member read header and list together; event payloads read the header
alone; a previous release's record (members inline) still reads and converts on write."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from typing import Any

from service.models import Story, StoryMember
from service.store import Store
from service.store.event_payloads import payloads
from service.store.events import EventEntry, encode_data
from service.store.retention import prune
from service.store.stories import (
    MAX_EVENT_SOURCES,
    Stored,
    StoryBatch,
    record_payload,
    story_from_json,
    story_payload,
    story_to_json,
)
from tests.event_stories import T0, make_story, save_story


def member(n: int, outlet: str, copy_of: str | None = None) -> StoryMember:
    return StoryMember(
        article_id=f"a{n}",
        feed_url=f"https://{outlet}.example/rss",
        outlet=outlet,
        url=f"https://{outlet}.example/news/{n}?utm=x",
        title=f"Report {n}: talks resume in Geneva, officials say — «quote»",
        published=T0 + timedelta(minutes=n),
        language="en",
        country="CH",
        copy_of=copy_of,
    )


def grown(base: Story, members: list[StoryMember]) -> Story:
    last = max(m.published for m in members) if members else base.last_updated
    return replace(base, members=tuple(members), last_updated=last)


def queued(store: Store, batch: StoryBatch) -> list[tuple[Any, ...]]:
    """The commands ``StoryStore.queue`` puts on a transaction for ``batch`` (not run)."""
    pipe = store.redis.pipeline(transaction=True)
    store.stories.queue(pipe, batch)
    return [tuple(args) for args, _options in pipe.command_stack]


def story_bytes(commands: list[tuple[Any, ...]], story_id: str) -> int:
    """Bytes of the arguments of the commands that write the story's two keys."""
    return sum(
        sum(len(str(a).encode()) for a in args)
        for args in commands
        if len(args) > 1 and f":story:{story_id}" in str(args[1])
    )


def update_batch(story: Story, stored: Stored | None) -> StoryBatch:
    batch = StoryBatch()
    batch.add(
        story,
        article_id=story.members[-1].article_id,
        new_briefings=(),
        events=[],
        log_entry=None,
        now=story.last_updated,
        stored=stored,
    )
    return batch


async def grow(store: Store, base: Story, members: list[StoryMember], step: int) -> Story:
    """Write ``base`` grown by ``step`` members per update, as the story stage does."""
    stored: Stored | None = None
    story = base
    for end in range(step, len(members) + step, step):
        story = grown(base, members[:end])
        await store.stories.save(
            story,
            article_id=story.members[-1].article_id,
            new_briefings=(),
            events=[],
            log_entry=None,
            now=story.last_updated,
            stored=stored,
        )
        [found] = await store.stories.read_many([story.id])
        assert found is not None
        stored = found[1]
    return story


async def test_a_story_grown_over_many_batches_reads_back_exactly(store: Store) -> None:
    outlets = [f"outlet{n % 70}" for n in range(300)]
    members = [member(n, o, copy_of="a0" if n % 7 == 3 else None) for n, o in enumerate(outlets)]
    story = await grow(store, make_story("st_big"), members, step=13)
    read = await store.stories.get("st_big")
    assert read == story
    # Identical to what the previous release's format (members inline) gives back.
    assert read == story_from_json(story_to_json(story))
    assert await store.redis.llen(store.keys.story_members("st_big")) == 300
    assert "members" not in json.loads(await store.redis.get(store.keys.story("st_big")))
    assert await store.stories.get_many(["st_big", "nope"]) == [story]


async def test_bytes_per_update_do_not_grow_with_the_story(store: Store) -> None:
    """Adding one member writes the same bytes to a story of 5 members as to one of 600
    (the counts' digits aside), and the header's size stays put once 50 outlets joined."""
    members = [member(n, f"outlet{n % 80}") for n in range(600)]
    base = make_story("st_grow")
    written: dict[int, int] = {}
    headers: dict[int, int] = {}
    stored: Stored | None = None
    for n in range(1, 601):
        story = grown(base, members[:n])
        batch = update_batch(story, stored)
        if n in (5, 100, 600):
            written[n] = story_bytes(queued(store, batch), "st_grow")
        async with store.redis.pipeline(transaction=True) as pipe:
            store.stories.queue(pipe, batch)
            await pipe.execute()
        stored = Stored.of(story)
        if n in (80, 600):
            headers[n] = await store.redis.strlen(store.keys.story("st_grow"))
    # Same outlet count on both sides of the comparison: 5 vs 100 vs 600 members. The
    # new member's bytes differ by its id's digits; the header by the counts' digits.
    assert abs(written[600] - written[100]) <= 8
    assert written[600] <= written[5] + 50 * 160  # 5 outlets listed then, 50 now, at most
    assert abs(headers[600] - headers[80]) <= 8
    assert await store.stories.get("st_grow") == grown(base, members)


async def test_update_commands_append_only_the_new_members(store: Store) -> None:
    members = [member(n, f"o{n % 3}") for n in range(40)]
    base = make_story("st_cmd")
    await grow(store, base, members[:30], step=10)
    [found] = await store.stories.read_many(["st_cmd"])
    assert found is not None
    _before, stored = found
    commands = queued(store, update_batch(grown(base, members[:32]), stored))
    verbs = [(str(c[0]), str(c[1])) for c in commands if ":story:st_cmd" in str(c[1])]
    key, list_key = store.keys.story("st_cmd"), store.keys.story_members("st_cmd")
    assert verbs == [("RPUSH", list_key), ("MSET", key)]
    rpush = next(c for c in commands if str(c[0]) == "RPUSH")
    assert len(rpush) == 2 + 2  # the key and the two new members


async def test_a_write_that_does_not_extend_the_stored_members_rewrites_the_list(
    store: Store,
) -> None:
    members = [member(n, f"o{n % 4}") for n in range(20)]
    base = make_story("st_rw")
    await grow(store, base, members, step=5)
    [found] = await store.stories.read_many(["st_rw"])
    assert found is not None
    # Not an extension: a member replaced in the middle (the stage never does this).
    changed = [*members[:10], member(99, "other"), *members[11:], member(100, "o1")]
    story = grown(base, changed)
    commands = queued(store, update_batch(story, found[1]))
    assert ("DEL", store.keys.story_members("st_rw")) in [(str(c[0]), str(c[1])) for c in commands]
    async with store.redis.pipeline(transaction=True) as pipe:
        store.stories.queue(pipe, update_batch(story, found[1]))
        await pipe.execute()
    assert await store.stories.get("st_rw") == story


async def test_a_previous_release_record_reads_and_converts_on_its_next_write(
    store: Store,
) -> None:
    members = [member(n, f"outlet{n % 60}", copy_of="a1" if n == 5 else None) for n in range(90)]
    legacy = grown(make_story("st_old"), members[:70])
    await store.redis.set(store.keys.story("st_old"), story_to_json(legacy))
    assert await store.stories.get("st_old") == legacy
    raw = await store.redis.get(store.keys.story("st_old"))
    assert record_payload(raw) == story_payload(legacy)
    # The stage reads it, grows it and writes: header plus the full list, in one MULTI.
    [found] = await store.stories.read_many(["st_old"])
    assert found is not None and found[1].listed == 0
    story = grown(legacy, members)
    commands = queued(store, update_batch(story, found[1]))
    rpush = next(c for c in commands if str(c[0]) == "RPUSH")
    assert len(rpush) == 2 + 90
    async with store.redis.pipeline(transaction=True) as pipe:
        store.stories.queue(pipe, update_batch(story, found[1]))
        await pipe.execute()
    assert "members" not in json.loads(await store.redis.get(store.keys.story("st_old")))
    assert await store.redis.llen(store.keys.story_members("st_old")) == 90
    assert await store.stories.get("st_old") == story


async def test_event_payload_from_the_header_is_byte_identical(store: Store) -> None:
    members = [member(n, f"outlet{n % 75}", copy_of="a2" if n % 9 == 4 else None)
               for n in range(200)]  # fmt: skip
    story = await grow(store, make_story("st_pay"), members, step=17)
    event_id = await save_story(store, story, "story.updated", now=T0 + timedelta(hours=5))
    legacy = make_story("st_legacy", outlets=tuple(f"o{n}" for n in range(60)))
    await store.redis.set(store.keys.story(legacy.id), story_to_json(legacy))
    legacy_id = await save_story(store, legacy, "story.updated")
    await store.redis.delete(store.keys.story_members(legacy.id))
    await store.redis.set(store.keys.story(legacy.id), story_to_json(legacy))
    rows = await store.redis.xrange(store.keys.events_stream)
    entries = [e for e in (EventEntry.parse(i, f) for i, f in rows) if e is not None]
    got = await payloads(store.redis, store.keys, entries)
    for eid, full in ((event_id, story), (legacy_id, legacy)):
        payload = got[eid]
        assert payload is not None
        assert payload.text == encode_data({"story": story_payload(full)})
        assert payload.data == {"story": story_payload(full)}


async def test_header_sources_are_rows_and_a_header_with_source_dicts_still_reads(
    store: Store,
) -> None:
    """A header keeps its sources as rows (the keys of 50 sources would be a third of
    it); a header written with source dicts still reads. Both give the same payload, in
    the documented key order."""
    members = [member(n, f"outlet{n % 55}") for n in range(60)]
    story = await grow(store, make_story("st_rows"), members, step=20)
    raw = await store.redis.get(store.keys.story("st_rows"))
    header = json.loads(raw)
    assert len(header["sources"]) == MAX_EVENT_SOURCES
    assert all(isinstance(row, list) for row in header["sources"])
    payload = record_payload(raw)
    assert payload == story_payload(story)
    first = payload["sources"][0]
    assert list(first) == ["outlet", "country", "language", "url", "time"]
    assert first == {"outlet": "outlet0", "country": "CH", "language": "en",
                     "url": members[0].url, "time": "2026-11-20T08:00:00Z"}  # fmt: skip
    header["sources"] = payload["sources"]  # a header with source dicts
    dict_form = json.dumps(header, ensure_ascii=False, separators=(",", ":"))
    assert record_payload(dict_form) == payload
    assert len(raw) < len(dict_form) * 0.8  # what the rows save, by construction here
    await store.redis.set(store.keys.story("st_rows"), dict_form)
    assert await store.stories.get("st_rows") == story


async def test_retention_deletes_the_header_and_the_members_list(store: Store) -> None:
    old = make_story("st_gone")
    await save_story(store, old)
    recent = make_story("st_kept")
    await save_story(store, recent, now=T0 + timedelta(days=40))
    await store.redis.zadd(store.keys.stories_by("updated"), {"st_kept": 10**13})
    assert await store.redis.exists(store.keys.story_members("st_gone")) == 1
    report = await prune(store, now=T0 + timedelta(days=31), retention=timedelta(days=30))
    assert report.stories == 1
    assert await store.redis.exists(store.keys.story("st_gone")) == 0
    assert await store.redis.exists(store.keys.story_members("st_gone")) == 0
    timeline = store.keys.briefing_stories("ukraine", "updated")
    assert await store.redis.zscore(timeline, "st_gone") is None
    assert await store.stories.get("st_kept") == recent
