"""Story records as a header plus an append-only members list (real Redis).

An update writes the header and the members it added, whatever the story's size; readers
that need every member read header and list together; event payloads read the header
alone. The public story payload stays bounded and carries the story's attributed claims."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
import redis

from service.claims import MAX_STORY_CLAIMS
from service.models import Story, StoryMember
from service.store import Store, codec
from service.store.connection import RedisTarget
from service.store.event_payloads import payloads
from service.store.events import EventEntry, encode_data
from service.store.retention import prune
from service.store.stories import (
    MAX_EVENT_SOURCES,
    Stored,
    StoryBatch,
    StoryGone,
    header_payload,
    header_to_json,
    story_payload,
)
from tests import factories
from tests.factories import STORY_T0 as T0
from tests.factories import make_story, save_story, write_story
from tests.support.redis_fixture import redis_url_of


def member(n: int, outlet: str, copy_of: str | None = None) -> StoryMember:
    return factories.member(
        n,
        outlet,
        copy_of,
        at=T0,
        url=f"https://{outlet}.example/news/{n}?utm=x",
        title=f"Report {n}: talks resume in Geneva, officials say — «quote»",
        language="en",
        country="CH",
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
        await write_story(
            store,
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


async def test_event_payload_from_the_header_is_byte_identical(store: Store) -> None:
    members = [member(n, f"outlet{n % 75}", copy_of="a2" if n % 9 == 4 else None)
               for n in range(200)]  # fmt: skip
    story = await grow(store, make_story("st_pay"), members, step=17)
    event_id = await save_story(store, story, "story.updated", now=T0 + timedelta(hours=5))
    rows = await store.redis.xrange(store.keys.events_stream)
    entries = [e for e in (EventEntry.parse(i, f) for i, f in rows) if e is not None]
    got = await payloads(store.redis, store.keys, entries)
    payload = got[event_id]
    assert payload is not None
    assert payload.text == encode_data({"story": story_payload(story)})
    assert payload.data == {"story": story_payload(story)}


async def test_header_sources_are_rows(store: Store) -> None:
    """A header keeps its sources as rows (the keys of 50 sources would be a third of it);
    the payload gives them as objects, in the documented key order."""
    members = [member(n, f"outlet{n % 55}") for n in range(60)]
    story = await grow(store, make_story("st_rows"), members, step=20)
    raw = await store.redis.get(store.keys.story("st_rows"))
    header = json.loads(raw)
    assert len(header["sources"]) == MAX_EVENT_SOURCES
    assert all(isinstance(row, list) for row in header["sources"])
    payload = header_payload(header)
    assert payload == story_payload(story)
    first = payload["sources"][0]
    assert list(first) == ["outlet", "country", "language", "url", "time"]
    assert first == {"outlet": "outlet0", "country": "CH", "language": "en",
                     "url": members[0].url, "time": "2026-11-20T08:00:00Z"}  # fmt: skip
    header["sources"] = payload["sources"]
    dict_form = json.dumps(header, ensure_ascii=False, separators=(",", ":"))
    assert len(raw) < len(dict_form) * 0.8  # what the rows save, by construction here


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


# ------------------------------------------------------------------------------------------
# The public story payload stays bounded however big a story grows, and carries the story's
# attributed claims with the report each was read in.


def test_one_source_per_outlet_capped_and_counts_exact() -> None:
    members = [factories.member(n, f"outlet{n}") for n in range(60)]
    members += [factories.member(100 + n, "outlet0") for n in range(40)]  # the same outlet again
    members.append(factories.member(200, "wire", copy_of="a0"))
    story = Story(id="st", headline="h", summary="s", first_seen=factories.T0,
                  last_updated=factories.T0, members=tuple(members))  # fmt: skip
    payload = story_payload(story)
    assert len(payload["sources"]) == MAX_EVENT_SOURCES
    assert [s["outlet"] for s in payload["sources"]][:2] == ["outlet0", "outlet1"]
    assert payload["sources"][0]["url"] == "https://outlet0.example/0"  # its first report
    assert payload["source_count"] == 101
    assert payload["article_count"] == 100  # the wire copy folds under a0


def test_claims_name_the_report_they_were_read_in_and_stay_bounded() -> None:
    def report(n: int, outlet: str, title: str) -> StoryMember:
        return replace(factories.member(n, outlet), title=title, language="en")

    members = [
        report(0, "kyivindependent", "Ukraine says the situation near Pokrovsk is difficult"),
        report(1, "bbc", "Russia claims advances near Pokrovsk"),
        *(report(n, f"outlet{n}", f"Governor of Region {n} says strikes went on for {n} hours")
          for n in range(2, 40)),
    ]  # fmt: skip
    story = Story(id="st", headline="Russia claims advances near Pokrovsk",
                  summary="Moscow took two villages, the Defense Ministry said.",
                  first_seen=factories.T0, last_updated=factories.T0,
                  members=tuple(members))  # fmt: skip
    claims = story_payload(story)["claims"]
    assert claims[:3] == [
        {"claimant": "the Defense Ministry", "text": "Moscow took two villages",
         "report": {"outlet": "bbc", "url": "https://bbc.example/1"}},  # the headline's report
        {"claimant": "Ukraine", "text": "the situation near Pokrovsk is difficult",
         "report": {"outlet": "kyivindependent", "url": "https://kyivindependent.example/0"}},
        {"claimant": "Russia", "text": "advances near Pokrovsk",
         "report": {"outlet": "bbc", "url": "https://bbc.example/1"}},
    ]  # fmt: skip
    assert len(claims) == MAX_STORY_CLAIMS


def test_a_header_carries_the_claims_of_its_payload() -> None:
    story = Story(id="st", headline="h", summary="Officials said it was over.",
                  first_seen=factories.T0, last_updated=factories.T0,
                  members=(factories.member(0, "bbc"),))  # fmt: skip
    header = json.loads(header_to_json(story))
    assert header_payload(header)["claims"] == [
        {"claimant": "Officials", "text": "it was over.",
         "report": {"outlet": "bbc", "url": "https://bbc.example/0"}},
    ]  # fmt: skip


async def test_a_merge_moves_the_absorbed_story_into_the_survivor(store: Store) -> None:
    older = make_story("st_old", briefings=("ukraine",))
    newer = replace(
        make_story("st_new", outlets=("Ukrinform",), briefings=("ukraine", "world")),
        first_seen=T0 + timedelta(minutes=30),
        last_updated=T0 + timedelta(minutes=40),
    )
    await save_story(store, older)
    await save_story(store, newer)
    await keep_articles(store, newer)
    merged = replace(
        older,
        members=older.members + newer.members,
        languages=("en", "uk"),
        briefings=("ukraine", "world"),
        last_updated=newer.last_updated,
    )
    batch = StoryBatch()
    batch.merge(merged, newer, new_briefings=("world",), now=T0 + timedelta(hours=1),
                stored=Stored.of(older))  # fmt: skip
    await store.stories.write_batch(batch, None)

    assert await store.stories.get("st_new") is None
    assert await store.stories.get("st_old") == merged
    assert await store.stories.merged_into("st_new") == "st_old"
    assert await store.stories.merged_into("st_old") is None
    for member in newer.members:
        assert await store.stories.assigned(member.article_id) == "st_old"
    keys = store.keys
    for key in (keys.stories_by("updated"), keys.stories_by("created"),
                keys.briefing_stories("ukraine", "updated"),
                keys.briefing_stories("world", "created")):  # fmt: skip
        assert await store.redis.zrange(key, 0, -1) == ["st_old"], key
    assert await store.redis.zscore(keys.stories_by("updated"), "st_old") == float(
        codec.epoch_ms(newer.last_updated)
    )
    # One event, a reference to the survivor that names the absorbed story.
    rows = await store.redis.xrange(keys.events_stream)
    entry = EventEntry.parse(*rows[-1])
    assert entry is not None and entry.type == "story.merged"
    assert entry.story_id == "st_old" and entry.absorbed == ("st_new",)
    found = (await payloads(store.redis, keys, [entry]))[entry.id]
    assert found is not None
    assert found.data["absorbed"] == ["st_new"] and found.data["story"]["id"] == "st_old"
    assert found.data["story"]["source_count"] == len(merged.members)
    # The absorbed story's own earlier event now reads as the survivor, naming its own id.
    first = EventEntry.parse(*rows[1])
    assert first is not None and first.story_id == "st_new"
    earlier = (await payloads(store.redis, keys, [first]))[first.id]
    assert earlier is not None and earlier.data["merged_from"] == "st_new"
    assert earlier.data["story"] == found.data["story"]


async def keep_articles(store: Store, story: Story) -> None:
    """Article records for the story's members (placeholders: a merge only checks that
    each record exists), assigned to the story as the process stage leaves them."""
    keys = store.keys
    await store.redis.mset({keys.article(m.article_id): "{}" for m in story.members})
    await store.redis.hset(
        keys.story_of_article, mapping={m.article_id: story.id for m in story.members}
    )


async def test_a_merge_leaves_pruned_articles_unassigned(store: Store) -> None:
    older = make_story("st_old")
    newer = make_story("st_new", outlets=("Ukrinform", "Suspilne", "RBC-Ukraine"))
    await save_story(store, older)
    await save_story(store, newer)
    await keep_articles(store, newer)
    # Retention pruned the absorbed story's first report: its record and assignment went.
    pruned = newer.members[0].article_id
    await store.redis.delete(store.keys.article(pruned))
    await store.redis.hdel(store.keys.story_of_article, pruned)
    batch = StoryBatch()
    batch.merge(older, newer, new_briefings=(), now=T0, stored=None)
    await store.stories.write_batch(batch, None)
    assert not await store.redis.hexists(store.keys.story_of_article, pruned)
    for kept in newer.members[1:]:
        assert await store.stories.assigned(kept.article_id) == "st_old"


@pytest.mark.parametrize("pruned", ["before the transaction", "between WATCH and EXEC"])
async def test_a_merge_whose_survivor_retention_pruned_writes_nothing(
    store: Store, redis_target: RedisTarget, pruned: str
) -> None:
    """The stage found both stories stored, then retention (which holds no lease) pruned
    the older one before the merge's EXEC: the merge must not bring back part of it."""
    older = make_story("st_old")
    newer = make_story("st_new", outlets=("Ukrinform",))
    await save_story(store, older)
    await save_story(store, newer, now=T0 + timedelta(days=40))
    await store.redis.zadd(store.keys.stories_by("updated"), {"st_new": 10**13})
    await keep_articles(store, newer)
    merged = replace(older, members=older.members + newer.members)
    batch = StoryBatch()
    batch.merge(merged, newer, new_briefings=(), now=T0, stored=Stored.of(older))

    async def retention() -> None:
        report = await prune(store, now=T0 + timedelta(days=31), retention=timedelta(days=30))
        assert report.stories == 1

    def prune_now(pipe: Any) -> None:
        """Retention's deletion, from its own connection, while the batch is queued."""
        with redis.Redis.from_url(redis_url_of(redis_target)) as other:
            other.delete(store.keys.story("st_old"), store.keys.story_members("st_old"))
            other.zrem(store.keys.stories_by("updated"), "st_old")

    if pruned == "before the transaction":
        await retention()
    with pytest.raises(StoryGone):
        await store.stories.write_batch(
            batch, None, extra=prune_now if pruned == "between WATCH and EXEC" else None
        )
    keys = store.keys
    assert await store.redis.exists(keys.story("st_old"), keys.story_members("st_old")) == 0
    assert await store.redis.zscore(keys.stories_by("updated"), "st_old") is None
    assert await store.stories.get("st_new") == newer  # not absorbed into nothing
    assert await store.stories.merged_into("st_new") is None
    assert await store.redis.xlen(keys.events_stream) == 2  # the stories' own events only


async def test_merges_chain_to_the_last_survivor(store: Store) -> None:
    a, b, c = make_story("st_a"), make_story("st_b"), make_story("st_c")
    for story in (a, b, c):
        await save_story(store, story)
    for survivor, absorbed in ((b, c), (a, b)):
        batch = StoryBatch()
        batch.merge(survivor, absorbed, new_briefings=(), now=T0, stored=None)
        await store.stories.write_batch(batch, None)
    assert await store.stories.merged_into("st_c") == "st_a"
    assert await store.stories.merged_into("st_b") == "st_a"


def test_a_story_absorbed_within_a_batch_leaves_its_events_to_the_survivor() -> None:
    a, b, c = make_story("st_a"), make_story("st_b"), make_story("st_c")
    batch = StoryBatch()
    batch.merge(b, c, new_briefings=(), now=T0, stored=None)
    batch.merge(a, b, new_briefings=(), now=T0, stored=None)
    assert set(batch.stories) == {"st_a"}
    assert [(e.type, e.absorbed, sid) for e, sid, _, _ in batch.events] == [
        ("story.merged", ("st_c",), "st_a"),
        ("story.merged", ("st_b",), "st_a"),
    ]
    assert set(batch.absorbed) == {"st_b", "st_c"}
    assert set(batch.reassigned) == {m.article_id for m in b.members + c.members}
    assert set(batch.reassigned.values()) == {"st_a"}


async def test_assignments_and_their_count_read_every_article_s_story(store: Store) -> None:
    assert await store.stories.assignments() == {}
    assert await store.stories.assigned_count() == 0
    for story_id in ("s1", "s2"):
        await save_story(store, make_story(story_id))  # assigns the story's last report
    assert await store.stories.assignments() == {"s1-a1": "s1", "s2-a1": "s2"}
    assert await store.stories.assigned_count() == 2
