"""Events of a story merged since: read as the story it lives on in, naming the id they
were recorded for; chains are followed, and a story gone without a merge stays gone
(real Redis)."""

from __future__ import annotations

from typing import Any
from unittest.mock import ANY

import pytest

from service.store import Store
from service.store.event_payloads import Payload, payloads
from service.store.events import EventEntry
from service.store.stories import StoryBatch, story_payload
from tests.factories import STORY_T0, make_story, save_story


async def merge(store: Store, survivor: str, absorbed: str, headline: str = "Merged") -> None:
    batch = StoryBatch()
    batch.merge(make_story(survivor, headline), make_story(absorbed), new_briefings=(),
                now=STORY_T0, stored=None)  # fmt: skip
    await store.stories.write_batch(batch, None)


async def entries(store: Store) -> list[EventEntry]:
    rows = await store.redis.xrange(store.keys.events_stream)
    return [e for e in (EventEntry.parse(i, f) for i, f in rows) if e is not None]


async def test_an_absorbed_storys_events_read_as_the_survivor(store: Store) -> None:
    for story_id in ("st_a", "st_b", "st_c"):
        await save_story(store, make_story(story_id))
    await save_story(store, make_story("st_c", "More on C"), "story.updated")
    await merge(store, "st_b", "st_c")  # C into B, then B into A: a chain
    await merge(store, "st_a", "st_b", "A, now with B and C")
    events = await entries(store)
    found = await payloads(store.redis, store.keys, events)
    survivor = {"story": story_payload(make_story("st_a", "A, now with B and C"))}
    got = [(e.type, e.story_id, found[e.id].data if found[e.id] else None) for e in events]
    assert got == [
        ("story.created", "st_a", survivor),
        ("story.created", "st_b", {**survivor, "merged_from": "st_b"}),
        ("story.created", "st_c", {**survivor, "merged_from": "st_c"}),
        ("story.updated", "st_c", {**survivor, "merged_from": "st_c"}),
        # B's merge of C: B has since merged on into A.
        ("story.merged", "st_b", {**survivor, "absorbed": ["st_c"], "merged_from": "st_b"}),
        ("story.merged", "st_a", {**survivor, "absorbed": ["st_b"]}),
    ]


async def test_a_story_gone_without_a_live_survivor_reads_as_none(store: Store) -> None:
    for story_id in ("st_pruned", "st_dead_end", "st_loop"):
        await save_story(store, make_story(story_id))
    keys = store.keys
    # Pruned by retention: no record, no redirect. A redirect to a pruned story. Redirects
    # in a loop (never written by a merge; the chain's bound ends it).
    await store.redis.delete(*(keys.story(i) for i in ("st_pruned", "st_dead_end", "st_loop")))
    await store.redis.hset(
        keys.story_merged_into,
        mapping={"st_dead_end": "st_pruned", "st_loop": "st_x", "st_x": "st_loop"},
    )
    events = await entries(store)
    found = await payloads(store.redis, keys, events)
    assert [found[e.id] for e in events] == [None, None, None]


async def test_a_live_story_reads_in_one_round_trip(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    story = make_story("st_live")
    await save_story(store, story)
    await save_story(store, make_story("st_other"))
    await merge(store, "st_other", "st_gone")  # a redirect exists, not for this story
    [live] = [e for e in await entries(store) if e.story_id == "st_live"]
    calls: list[str] = []
    send = store.redis.execute_command

    async def counted(*args: Any, **options: Any) -> Any:
        calls.append(str(args[0]))
        return await send(*args, **options)

    monkeypatch.setattr(store.redis, "execute_command", counted)
    found = await payloads(store.redis, store.keys, [live])
    assert calls == ["MGET"]
    assert found == {live.id: Payload({"story": story_payload(story)}, ANY)}
