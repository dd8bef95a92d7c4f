"""Property: paging a timeline while stories arrive and grow serves each story at most
once; in ``created`` order it serves every story that existed when paging began, and in
``updated`` order a story it did not serve is one that changed meanwhile and is
reported by ``since=<watermark>``.

Stories are written through the real write path (StoryStore.save, one MULTI with the
timelines and events) on a real Redis; the reads are the API's (service.store.timelines).
"""

from __future__ import annotations

import asyncio
import unicodedata
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.models import Story
from service.store import Store
from service.store.connection import RedisTarget
from service.store.stories import Event
from service.store.timelines import Cursor, Filters, StoryItem, Timelines
from tests import factories
from tests.factories import write_story

T0 = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
PREFIX = "prop"

# Small score ranges on purpose: equal scores exercise the cursor's tie-breaking.
scores = st.integers(min_value=0, max_value=60)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("page"), st.integers(min_value=1, max_value=6)),
        st.tuples(st.just("new"), scores),
        st.tuples(st.just("touch"), st.integers(min_value=0, max_value=99), scores),
    ),
    max_size=40,
)


def story(n: int, ms: int) -> Story:
    when = T0 + timedelta(milliseconds=ms)
    member = factories.member(n, "Desk", feed_url="https://f.example/rss",
                              url=f"https://f.example/{n}", title=f"Story {n}",
                              published=when)  # fmt: skip
    return Story(f"s{n:03d}", f"Story {n}", "", when, when, (member,), briefings=("b",))


async def write(store: Store, s: Story, *, created: bool) -> None:
    kind = "story.created" if created else "story.updated"
    await write_story(
        store,
        s,
        article_id=s.members[-1].article_id,
        new_briefings=("b",) if created else (),
        events=[Event(kind)],
        log_entry=None,
        now=s.last_updated,
    )


async def walk(target: RedisTarget, initial: list[int], ops: list[tuple], order: str) -> None:
    client = target.client()
    try:
        for key in await client.keys(f"{PREFIX}:*"):
            await client.delete(key)
        store = Store(client, prefix=PREFIX)
        stories = {}
        for n, ms in enumerate(initial):
            stories[n] = story(n, ms)
            await write(store, stories[n], created=True)
        existed = {s.id for s in stories.values()}
        timelines = Timelines(client, store.keys)
        key = store.keys.briefing_stories("b", order)
        served: list[str] = []
        touched: set[str] = set()
        cursor: Cursor | None = None
        watermark = None
        pending = list(ops)
        while True:
            op = pending.pop(0) if pending else ("page", 4)
            if op[0] == "new":
                n = len(stories)
                stories[n] = story(n, op[1])
                await write(store, stories[n], created=True)
            elif op[0] == "touch" and stories:
                n = op[1] % len(stories)
                old = stories[n]
                # last_updated is a running max: it never moves back (workers/cluster.py).
                newer = old.last_updated + timedelta(milliseconds=1 + op[2])
                stories[n] = replace(old, last_updated=newer, headline=f"{old.headline}+")
                await write(store, stories[n], created=False)
                touched.add(old.id)
            elif op[0] == "page":
                page = await timelines.page(key, limit=op[1], cursor=cursor)
                watermark = watermark or page.watermark
                served += [s.id for s in page.items]
                if page.next_cursor is None:
                    break
                cursor = Cursor.decode(page.next_cursor)
        assert len(served) == len(set(served)), f"served twice: {served}"
        missed = existed - set(served)
        if order == "created":
            assert not missed
        else:
            assert missed <= touched
            assert watermark is not None
            caught_up = await timelines.changes("b", watermark, limit=1000)
            assert missed <= {s.id for s in caught_up.items}
    finally:
        await client.aclose()


@given(
    initial=st.lists(scores, max_size=25),
    ops=operations,
    order=st.sampled_from(["updated", "created"]),
)
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_paging_while_stories_arrive_serves_each_story_at_most_once(
    redis_target: RedisTarget, initial: list[int], ops: list[tuple], order: str
) -> None:
    asyncio.run(walk(redis_target, initial, ops, order))


def test_search_words_and_place_typed_decomposed_match_the_stored_text() -> None:
    # Stored feed text is composed (NFC, workers.text); a query typed on a keyboard that
    # sends decomposed letters (NFD: "і" + U+0308 for "ї") must find the same story.
    kyiv = replace(factories.make_story("st_kyiv", "Удар по Київщині: пошкоджено енергетику"),
                   places=("Київ",))  # fmt: skip
    item = StoryItem.of(kyiv)
    decomposed = unicodedata.normalize("NFD", "київщині")
    assert decomposed != "київщині"
    assert Filters(q=decomposed).match(item)
    assert Filters(place=unicodedata.normalize("NFD", "Київ")).match(item)
    assert not Filters(q=unicodedata.normalize("NFD", "одесу")).match(item)
