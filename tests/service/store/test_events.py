"""The events stream holds story references: what is stored, how story references and
inline ``feed.failing`` entries are read, and ``since=`` timelines over a stream that
mixes them (real Redis)."""

from __future__ import annotations

import dataclasses

from service.store import Store
from service.store.event_payloads import payloads
from service.store.events import EventEntry, encode_data
from service.store.stories import story_payload
from service.store.timelines import Timelines
from tests.factories import feed_failing, make_story, save_story


async def entry(store: Store, event_id: str) -> EventEntry:
    [(entry_id, fields)] = await store.redis.xrange(
        store.keys.events_stream, min=event_id, max=event_id
    )
    parsed = EventEntry.parse(entry_id, fields)
    assert parsed is not None
    return parsed


async def test_a_story_event_is_stored_as_a_small_reference(store: Store) -> None:
    story = make_story("s1", briefings=("ukraine", "world"))
    event_id = await save_story(store, story)
    [(_id, fields)] = await store.redis.xrange(store.keys.events_stream)
    assert fields == {
        "type": "story.created",
        "story": "s1",
        "briefings": "ukraine world",
        "occurred_at": "2026-11-20T08:00:00Z",
        "key": "story.created|s1|s1-a1",
    }
    assert "data" not in fields
    # Much smaller than the payload it replaces.
    stored = sum(len(k) + len(v.encode()) for k, v in fields.items())
    assert stored * 5 < len(encode_data({"story": story_payload(story)}).encode())
    parsed = await entry(store, event_id)
    assert parsed.is_reference and parsed.briefings == {"ukraine", "world"}


async def test_payloads_materialize_references_and_keep_inline_data(store: Store) -> None:
    first = make_story("s1")
    ref_id = await save_story(store, first)
    feed_data = {"feed": {"url": "https://x.example/rss", "consecutive_failures": 3}}
    feed_id = await feed_failing(store, feed_data)
    missing_id = str(
        await store.redis.xadd(
            store.keys.events_stream,
            {"type": "story.created", "story": "nope", "briefings": "ukraine"},
        )
    )
    rows = await store.redis.xrange(store.keys.events_stream)
    entries = [e for e in (EventEntry.parse(i, f) for i, f in rows) if e is not None]
    assert [e.id for e in entries] == [ref_id, feed_id, missing_id]

    # The story changes after its event: the reader sees it as it is now.
    grown = dataclasses.replace(first, headline="Power restored in Kharkiv")
    await save_story(store, grown, "story.updated")
    found = await payloads(store.redis, store.keys, entries)
    ref = found[ref_id]
    assert ref is not None and ref.data == {"story": story_payload(grown)}
    assert ref.text == encode_data({"story": story_payload(grown)})
    feed = found[feed_id]
    assert feed is not None and feed.data == feed_data
    assert feed.text == encode_data(feed_data)  # the stored bytes
    assert found[missing_id] is None


async def test_malformed_entries_are_not_events(store: Store) -> None:
    assert EventEntry.parse("1-0", {"type": "feed.failing", "data": "{not json"}) is None
    assert EventEntry.parse("1-0", {"type": "feed.failing", "data": "[1]"}) is None
    assert EventEntry.parse("1-0", {"type": "story.created"}) is None
    assert EventEntry.parse("1-0", {"type": "feed.failing", "story": "s1"}) is None
    # A story event is a reference: a payload carried inline is not one.
    inline = {"type": "story.created", "data": '{"story":{"id":"s1"}}'}
    assert EventEntry.parse("1-0", inline) is None


async def test_since_walks_references_among_other_entries(store: Store) -> None:
    timelines = Timelines(store.redis, store.keys)
    start = await timelines.watermark()
    await save_story(store, make_story("old", "Earlier"))
    await feed_failing(store, {"feed": {"url": "https://x.example/rss"}})
    await save_story(store, make_story("new", "Later"))
    await save_story(store, make_story("sport", "Cup final", briefings=("sport",)))
    await store.redis.xadd(
        store.keys.events_stream,
        {"type": "story.updated", "story": "pruned", "briefings": "ukraine"},
    )
    page = await timelines.changes("ukraine", start, limit=10)
    assert {s.id for s in page.items} == {"old", "new"}  # the pruned story is not served
    [last] = await store.redis.xrevrange(store.keys.events_stream, count=1)
    assert page.watermark == last[0]
