"""Story stage on a real Redis: stories, briefings, events, idempotency, exact restarts."""

from __future__ import annotations

import asyncio
import functools
import gc
import json
import os
import signal
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from service.config import BriefingConfig
from service.models import Article, Source
from service.store import Store, codec
from service.store.event_payloads import payloads
from service.store.events import EventEntry
from service.store.stories import LeaseLost, StoryBatch, StoryGone, story_payload
from tests import factories
from tests.support.link_scoring import (
    Clock,
    close_call,
    fail_for_ukrainian,
    fail_on_bad,
    fail_to_start,
    hang,
    place_call,
    stall_the_first_time,
)
from workers import story_snapshot, story_stage
from workers.cluster import ClusterConfig
from workers.filing_time import filed_within
from workers.link_check_pool import LinkCheckPool
from workers.link_checks import LinkCheck
from workers.link_counts import share_a_count
from workers.link_evidence import share_a_place
from workers.process_stage import ProcessStage
from workers.story_linking import LinkConfig
from workers.story_stage import StoryStage

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
UKRAINE = BriefingConfig(id="ukraine", title="Ukraine", include=("ukrain*", "kyiv", "kharkiv"))
SPORT = BriefingConfig(id="sport", title="Sport", include=("football",))

# Reports 0, 1, 2 and 5 are one development told almost the same way (what these
# tests check is the stage's bookkeeping, not the clusterer's judgement on hard cases).
HEADLINES = [
    ("Russian missile strike on Kharkiv apartment block kills seven", "BBC"),
    ("Russian missile strike on Kharkiv apartment block kills seven people", "Guardian"),
    ("Russian missile strike kills seven in Kharkiv apartment block", "Kyiv Independent"),
    ("Football: Dynamo Kyiv beat Shakhtar in cup final", "ESPN"),
    ("Central bank raises interest rates to fight inflation", "FT"),
    ("Russian missile strike on Kharkiv apartment block kills seven, officials say", "DW"),
]


def article(n: int, title: str, outlet: str, *, minutes: int | None = None) -> Article:
    published = T0 + timedelta(minutes=minutes if minutes is not None else 20 * n)
    feed = f"https://{outlet.lower().replace(' ', '')}.example/rss"
    url = f"https://{outlet.lower().replace(' ', '')}.example/a/{n}"
    return factories.article(
        id=f"a{n}", url=url, title=title, published=published, feed_url=feed, outlet=outlet
    )


ARTICLES = [article(n, title, outlet) for n, (title, outlet) in enumerate(HEADLINES)]


async def feed_all(stage: StoryStage, store: Store, articles: list[Article]) -> None:
    for a in articles:
        await store.articles.ingest(a)
        await stage.handle(a, now=a.published + timedelta(minutes=1))


async def events(store: Store) -> list[tuple[str, dict[str, object]]]:
    """The story events as a reader sees them: references materialized from the stories."""
    rows = await store.redis.xrange(store.keys.events_stream)
    entries = [EventEntry.parse(i, f) for i, f in rows]
    assert all(e is not None and e.is_reference for e in entries), rows
    found = await payloads(store.redis, store.keys, [e for e in entries if e])
    out: list[tuple[str, dict[str, object]]] = []
    for e in entries:
        assert e is not None
        payload = found[e.id]
        assert payload is not None
        out.append((e.type, payload.data))
    return out


def test_a_report_dated_by_its_day_is_dated_at_the_time_first_seen() -> None:
    """Seen on its day, a date-only report carries the time first seen (workers/normalize.py);
    its day is still evidence of when it happened, unlike an undated report's time."""
    seen = factories.make_article(0)
    seen = replace(seen, published=seen.first_seen)
    assert not story_stage.cluster_doc(seen).dated
    assert story_stage.cluster_doc(replace(seen, date_only=True)).dated
    # Filed between its day's start and the time first seen (workers/filing_time.py).
    day_start = seen.published - timedelta(hours=9)
    day_dated = story_stage.cluster_doc(replace(seen, date_only=True, day_start=day_start))
    assert day_dated.filed == filed_within(seen.published, day_start)
    assert day_dated.filed is not None and day_dated.filed.earliest == day_start.timestamp()
    assert story_stage.cluster_doc(seen).filed is None


async def test_articles_become_stories_with_briefings_and_events(store: Store) -> None:
    stage = StoryStage(store, [UKRAINE, SPORT])
    await feed_all(stage, store, ARTICLES)
    strike = await store.stories.assigned("a0")
    assert strike is not None
    assert [await store.stories.assigned(f"a{n}") for n in (1, 2, 5)] == [strike] * 3
    others = {await store.stories.assigned(f"a{n}") for n in (3, 4)}
    assert strike not in others and len(others) == 2

    story = await store.stories.get(strike)
    assert story is not None
    assert set(story.outlets) == {"BBC", "Guardian", "Kyiv Independent", "DW"}
    assert "Kharkiv" in story.places
    assert story.briefings == ("ukraine",)
    assert "Kharkiv" in story.headline

    ukraine = await store.redis.zrevrange(store.keys.briefing_stories("ukraine", "updated"), 0, -1)
    sport = await store.redis.zrevrange(store.keys.briefing_stories("sport", "updated"), 0, -1)
    assert strike in ukraine
    assert sport == [await store.stories.assigned("a3")]  # "Kyiv" also puts it in ukraine

    seen = await events(store)
    created = [d["story"]["id"] for t, d in seen if t == "story.created"]  # type: ignore[index]
    assert len(created) == len(set(created)) == 3
    updates = [d for t, d in seen if t == "story.updated"]
    assert updates, "each new outlet on the strike story is an update"
    last = updates[-1]["story"]
    assert last["article_count"] == 4  # type: ignore[index]


async def test_replayed_article_changes_nothing(store: Store) -> None:
    stage = StoryStage(store, [UKRAINE])
    await feed_all(stage, store, ARTICLES[:3])
    before = await store.redis.xlen(store.keys.events_stream)
    story_before = await store.stories.get(await store.stories.assigned("a0") or "")
    await feed_all(stage, store, ARTICLES[:3])
    assert await store.redis.xlen(store.keys.events_stream) == before
    assert await store.stories.get(await store.stories.assigned("a0") or "") == story_before


async def test_same_article_from_another_feed_is_a_new_source(store: Store) -> None:
    stage = StoryStage(store, [UKRAINE])
    first = ARTICLES[0]
    await feed_all(stage, store, [first])
    carried = replace(
        first,
        sources=(Source(feed_url="https://wire.example/rss", outlet="Wire", url=first.url,
                        seen_at=T0),),
    )  # fmt: skip
    await stage.handle(carried, now=T0 + timedelta(hours=1))
    story = await store.stories.get(await store.stories.assigned(first.id) or "")
    assert story is not None
    assert story.outlets == ("BBC", "Wire")
    assert len(story.article_ids) == 1
    kinds = [t for t, _ in await events(store)]
    assert kinds == ["story.created", "story.updated"]


async def test_a_new_outlet_moves_last_updated_with_its_story_updated_event(
    store: Store,
) -> None:
    """story.updated for a new outlet: last_updated, the timeline score and the event's
    story all move to when that outlet carried the report (capped at now)."""
    stage = StoryStage(store, [UKRAINE])
    first = ARTICLES[0]
    await feed_all(stage, store, [first])
    story_id = await store.stories.assigned(first.id) or ""
    carried_at = first.published + timedelta(minutes=40)
    carried = replace(
        first,
        sources=(Source(feed_url="https://wire.example/rss", outlet="Wire", url=first.url,
                        seen_at=carried_at),),
    )  # fmt: skip
    await stage.handle(carried, now=carried_at + timedelta(minutes=1))
    story = await store.stories.get(story_id)
    assert story is not None and story.last_updated == carried_at
    score = await store.redis.zscore(store.keys.briefing_stories("ukraine", "updated"), story_id)
    assert score == carried_at.timestamp() * 1000
    kind, data = (await events(store))[-1]
    assert kind == "story.updated"
    assert data["story"]["last_updated"] in (  # type: ignore[index]
        carried_at.isoformat().replace("+00:00", "Z"),
        carried_at.isoformat(),
    )
    # A later report clustered into the story, dated before that, does not move it back.
    await feed_all(stage, store, [ARTICLES[1]])
    story = await store.stories.get(story_id)
    assert story is not None and ARTICLES[1].id in story.article_ids
    assert story.last_updated == carried_at


async def test_restart_continues_exactly(store: Store) -> None:
    """A stage rebuilt from Redis (snapshot + log) decides like one that never stopped."""
    many = [*ARTICLES]
    for n in range(6, 30):
        title, outlet = HEADLINES[n % len(HEADLINES)]
        many.append(article(n, f"{title} update {n // 6}", outlet, minutes=60 * n))
    first, second = many[:17], many[17:]

    uninterrupted_store = store
    stage = StoryStage(uninterrupted_store, [UKRAINE], snapshot_every=5)
    await feed_all(stage, uninterrupted_store, first)
    # A second stage on the same Redis, as after a crash: it restores before working.
    restarted = StoryStage(uninterrupted_store, [UKRAINE], snapshot_every=5)
    await feed_all(restarted, uninterrupted_store, second)
    after_restart = {a.id: await store.stories.assigned(a.id) for a in many}
    stories_after_restart = sorted(
        (s.id, s.headline, s.article_ids)
        for s in await store.stories.get_many(sorted({v for v in after_restart.values() if v}))
    )

    await store.redis.flushdb()
    straight = StoryStage(store, [UKRAINE], snapshot_every=10_000)
    await feed_all(straight, store, many)
    assert {a.id: await store.stories.assigned(a.id) for a in many} == after_restart
    stories_straight = sorted(
        (s.id, s.headline, s.article_ids)
        for s in await store.stories.get_many(sorted({v for v in after_restart.values() if v}))
    )
    assert stories_straight == stories_after_restart


async def test_unusable_snapshot_starts_afresh_instead_of_failing(store: Store) -> None:
    await store.redis.set(store.keys.cluster_snapshot(), json.dumps({"version": 999}))
    stage = StoryStage(store, [UKRAINE])
    await feed_all(stage, store, ARTICLES[:2])
    first = await store.stories.assigned("a0")
    assert first is not None
    assert await store.stories.assigned("a1") == first


async def test_a_snapshot_of_the_previous_version_is_read_once_then_rewritten(
    store: Store,
) -> None:
    _, text = factories.story_snapshot_v3()
    await store.redis.set(store.keys.cluster_snapshot(), text)
    stage = StoryStage(store, [UKRAINE])
    await stage.restore()
    recorded, _ = story_snapshot.decode(text)
    assert stage.decider.snapshot() == recorded.snapshot()
    assert stage.decider.clusterer.stories()  # the fixture's stories, not an empty state
    await feed_all(stage, store, ARTICLES[:1])  # the next batch writes the new version
    stored = await store.redis.get(store.keys.cluster_snapshot())
    assert json.loads(stored.split("\n")[0])["version"] == story_snapshot.VERSION
    assert await store.redis.llen(store.keys.cluster_log()) == 0  # the snapshot covers it
    await assert_replays_alike(store, stage)


async def test_snapshots_encoded_while_another_partition_works_restore_exactly(
    store: Store,
) -> None:
    """Snapshots are encoded in a thread while the event loop runs other work (here a
    second partition's batches, which take their own snapshots too): each restores to
    the state its stage held at that batch boundary, and the log replays from there."""
    stages = [StoryStage(store, [UKRAINE], snapshot_every=3) for _ in range(2)]
    for partition, stage in enumerate(stages):
        stage.partition = partition
    streams = [
        [article(100 * p + n, f"{t} report {n // 6}", o, minutes=30 * n)
         for n, (t, o) in enumerate(HEADLINES * 4)]
        for p in range(2)
    ]  # fmt: skip
    await asyncio.gather(*(feed_all(s, store, a) for s, a in zip(stages, streams, strict=True)))
    for partition, stage in enumerate(stages):
        assert await store.redis.get(store.keys.cluster_snapshot(partition))
        restarted = StoryStage(store, [UKRAINE])
        restarted.partition = partition
        await restarted.restore()
        assert restarted.decider.snapshot() == stage.decider.snapshot()


async def test_a_restore_stops_where_the_lease_broke_and_stays_stale(store: Store) -> None:
    """A long replay renews the lease between its chunks of entries; once it broke
    (another holder may have moved the log on) the restore stops, and restores again at
    the next batch."""
    stage = StoryStage(store, [UKRAINE])
    await feed_all(stage, store, ARTICLES[:2])
    await store.redis.rpush(store.keys.cluster_log(), *["gone|2026-11-01T12:00:00Z"] * 600)
    asked = []

    async def kept() -> bool:
        asked.append(len(asked))
        return len(asked) == 1  # the lease breaks after the first chunk

    stage.stale, stage.lease_kept = True, kept
    with pytest.raises(LeaseLost):
        await stage.restore()
    assert len(asked) == 2 and stage.stale
    stage.lease_kept = None
    replayed = await store.redis.llen(store.keys.cluster_log())
    assert await stage.restore() == replayed and not stage.stale


WIRE_TEXT = (
    "Russian forces launched a large drone and missile attack on the city overnight, "
    "damaging power lines and an apartment block, the regional governor said on Tuesday. "
    "Emergency crews worked through the night to restore electricity to thousands of homes "
    "while air defence units shot down most of the incoming drones over the region, the "
    "air force said in a statement, adding that the attack lasted several hours."
)


def wire_copy(n: int, outlet: str, *, extra: str = "") -> Article:
    base = article(n, "Overnight attack damages power lines in Kharkiv, governor says", outlet)
    return replace(base, text=WIRE_TEXT + extra, title=base.title + ("" if n == 10 else " - AP"))


async def test_near_duplicate_copy_is_folded_under_its_original(store: Store) -> None:
    stage = StoryStage(store, [UKRAINE], snapshot_every=2)
    original = wire_copy(10, "AP")
    copy = wire_copy(11, "Yahoo", extra=" Follow us on social media for more news.")
    await feed_all(stage, store, [original, ARTICLES[3], copy])
    story_id = await store.stories.assigned(original.id)
    assert story_id is not None and await store.stories.assigned(copy.id) == story_id
    story = await store.stories.get(story_id)
    assert story is not None
    assert story.original_ids == (original.id,)
    assert [(m.article_id, m.copy_of) for m in story.members] == [
        (original.id, None),
        (copy.id, original.id),
    ]
    kinds = [t for t, _ in await events(store)]
    assert kinds.count("story.updated") == 1  # a new outlet carried the copy
    updated = next(d for t, d in await events(store) if t == "story.updated")
    assert updated["story"]["article_count"] == 1  # type: ignore[index]
    # After a restart (snapshot + log replay), a third copy still finds the original.
    restarted = StoryStage(store, [UKRAINE], snapshot_every=2)
    third = wire_copy(12, "MSN", extra=" Read more.")
    await feed_all(restarted, store, [third])
    assert await store.stories.assigned(third.id) == story_id


async def test_events_of_one_batch_refer_to_the_story_in_its_final_state(store: Store) -> None:
    """A batch writes a story once, in its final state; each of its events is a reference
    (no payload copy in the stream), so every one of them reads as that state."""
    stage = StoryStage(store, [UKRAINE])
    strike = [a for a in ARTICLES if a.id in ("a0", "a1", "a2")]
    batch = StoryBatch()
    for a in strike:
        await store.articles.ingest(a)
    await stage.prepare(strike)
    for a in strike:
        await stage.decide(a, now=a.published + timedelta(minutes=1), batch=batch)
    await stage.commit(batch, now=strike[-1].published + timedelta(minutes=1))
    rows = await store.redis.xrange(store.keys.events_stream)
    assert len(rows) >= 2 and all("data" not in f for _i, f in rows)
    assert {f["briefings"] for _i, f in rows} == {"ukraine"}
    seen = await events(store)
    final = await store.stories.get(await store.stories.assigned("a0") or "")
    assert final is not None and final.outlets == ("BBC", "Guardian", "Kyiv Independent")
    assert all(d == {"story": story_payload(final)} for _t, d in seen)


async def test_a_big_story_grows_by_appending_across_batches_and_restarts(store: Store) -> None:
    """A story that gathers many reports is written as header + appended members: after
    batches and a restart (caches gone, the members list read back) it is exact."""
    title = "Russian missile strike on Kharkiv apartment block kills seven"
    reports = [
        article(10 + n, title, f"Outlet {n}", minutes=n) for n in range(60)
    ]  # one development, 60 outlets
    stage = StoryStage(store, [UKRAINE], snapshot_every=25)
    for start in range(0, 40, 8):
        chunk = reports[start : start + 8]
        for a in chunk:
            await store.articles.ingest(a)
        batch = StoryBatch()
        await stage.prepare(chunk)
        for a in chunk:
            await stage.decide(a, now=a.published + timedelta(minutes=1), batch=batch)
        await stage.commit(batch, now=chunk[-1].published + timedelta(minutes=1))
    restarted = StoryStage(store, [UKRAINE], snapshot_every=25)
    await feed_all(restarted, store, reports[40:])
    story_id = await store.stories.assigned("a10")
    assert story_id is not None
    story = await store.stories.get(story_id)
    assert story is not None
    assert [m.article_id for m in story.members] == [a.id for a in reports]
    assert await store.redis.llen(store.keys.story_members(story_id)) == 60
    assert story == restarted._records[story_id]
    header = json.loads(await store.redis.get(store.keys.story(story_id)))
    assert "members" not in header and header["member_count"] == 60
    assert len(header["sources"]) == 50  # bounded: MAX_EVENT_SOURCES


async def test_a_members_list_that_lost_writes_is_rewritten_not_appended_to(
    store: Store,
) -> None:
    """Redis restarted and lost its last second of writes (AOF everysec): the list is
    shorter than the stage's memory. The next write checks the length first, writes
    the story whole rather than appending after a gap, and the stage restores."""
    stage = StoryStage(store, [UKRAINE])
    await feed_all(stage, store, ARTICLES[:3])
    story_id = await store.stories.assigned("a0")
    assert story_id is not None
    await store.redis.rpop(store.keys.story_members(story_id))  # the lost write
    await feed_all(stage, store, [ARTICLES[5]])
    story = await store.stories.get(story_id)
    assert story is not None
    assert [m.article_id for m in story.members] == ["a0", "a1", "a2", "a5"]
    assert await store.redis.llen(store.keys.story_members(story_id)) == 4
    assert stage.stale  # memory was not what Redis held: restore before the next batch


# --- cross-language linking ------------------------------------------------------------

CROSSLINGUAL = Path(__file__).resolve().parents[2] / "bench" / "data" / "crosslingual"
WAR = BriefingConfig(id="war", title="War", languages=("en", "uk", "ru"))
ENGLISH = BriefingConfig(id="english", title="English", languages=("en",))
RUSSIAN_AND_UKRAINIAN = BriefingConfig(id="ru-uk", title="RU+UK", languages=("uk", "ru"))


def versions(development: str) -> list[Article]:
    """The versions of one development (bench/data/crosslingual), 20 minutes apart."""
    return as_articles([r for r in crosslingual_rows() if r["development"] == development])


def reports(*real_ids: str) -> list[Article]:
    """Rows of bench/data/crosslingual by their ids, in that order, 20 minutes apart."""
    found = {r["id"]: r for r in crosslingual_rows() if r["id"] in real_ids}
    return as_articles([found[i] for i in real_ids])


def crosslingual_rows() -> list[dict[str, Any]]:
    lines = (CROSSLINGUAL / "stream.jsonl").read_text(encoding="utf-8").splitlines()
    return list(map(json.loads, lines))


def as_articles(rows: list[dict[str, Any]]) -> list[Article]:
    out = []
    for n, row in enumerate(rows):
        published = T0 + timedelta(minutes=20 * n)
        feed = f"https://{row['language']}.example/rss"
        out.append(factories.article(
            id=f"x{n}", url=row["url"], title=row["title"], text=row["text"],
            published=published, language=row["language"], feed_url=feed, outlet=row["source"],
        ))  # fmt: skip
    return out


async def test_reports_link_across_languages_of_a_briefing_and_after_a_restart(
    store: Store,
) -> None:
    ru, uk, en = sorted(versions("dev-006"), key=lambda a: ["ru", "uk", "en"].index(a.language))
    stage = StoryStage(store, [WAR], snapshot_every=10_000)  # no snapshot: the log replays
    await feed_all(stage, store, [ru, uk])
    story = await store.stories.assigned(ru.id)
    assert story is not None and await store.stories.assigned(uk.id) == story
    restarted = StoryStage(store, [WAR], snapshot_every=10_000)
    await feed_all(restarted, store, [en])
    assert await store.stories.assigned(en.id) == story
    kinds = [kind for kind, _data in await events(store)]
    assert kinds.count("story.created") == 1


async def test_reports_of_briefings_of_one_language_each_never_link(store: Store) -> None:
    ru, uk, en = sorted(versions("dev-006"), key=lambda a: ["ru", "uk", "en"].index(a.language))
    stage = StoryStage(store, [ENGLISH, RUSSIAN_AND_UKRAINIAN], snapshot_every=10_000)
    await feed_all(stage, store, [en])
    # Restarted, the stage replays the English report as it was decided: not linkable.
    restarted = StoryStage(store, [ENGLISH, RUSSIAN_AND_UKRAINIAN], snapshot_every=10_000)
    await feed_all(restarted, store, [ru, uk])
    # Russian and Ukrainian share a briefing and link; English is alone in its own.
    assert await store.stories.assigned(ru.id) == await store.stories.assigned(uk.id)
    assert await store.stories.assigned(en.id) != await store.stories.assigned(ru.id)


async def test_a_briefing_of_any_language_does_not_link(store: Store) -> None:
    ru, uk, _en = sorted(versions("dev-006"), key=lambda a: ["ru", "uk", "en"].index(a.language))
    stage = StoryStage(store, [BriefingConfig(id="all", title="All")])
    await feed_all(stage, store, [ru, uk])
    assert await store.stories.assigned(ru.id) != await store.stories.assigned(uk.id)


async def answer_links(stage: StoryStage, now: datetime) -> None:
    """Wait for the child process to score the dispatched checks, then apply them as the
    process stage does at the start of a batch (here, a batch of its own)."""
    for _ in range(600):
        if stage.links_answered():
            break
        await asyncio.sleep(0.1)
    await links_batch(stage, now)


async def links_batch(stage: StoryStage, now: datetime) -> None:
    """A batch with no article: applies the answers in, dispatches the pending checks."""
    batch = StoryBatch(stage.partition)
    await stage.prepare([])
    await stage.apply_links(batch, now=now)
    await stage.commit(batch, now=now)


async def assert_replays_alike(store: Store, stage: StoryStage) -> StoryStage:
    """kill -9 and restart: a stage restored from Redis holds the state ``stage`` holds."""
    restarted = StoryStage(store, [WAR], snapshot_every=10_000)
    await restarted.restore()
    assert restarted.decider.snapshot() == stage.decider.snapshot()
    return restarted


async def test_a_link_checked_off_the_path_merges_two_stories_and_replays_after_a_restart(
    store: Store,
) -> None:
    # The English version shares too few n-grams to link at once: it starts its own
    # story, unannounced, and the link check scored in the child process merges it.
    ru, uk, en = versions("dev-064")
    assert [a.language for a in (ru, uk, en)] == ["ru", "uk", "en"]
    stage = StoryStage(store, [WAR], snapshot_every=10_000)  # no snapshot: the log replays
    await feed_all(stage, store, [ru, uk, en])
    survivor, newcomer = await store.stories.assigned(ru.id), await store.stories.assigned(en.id)
    assert survivor is not None and newcomer is not None and newcomer != survivor
    announced = ["story.created", "story.updated"]  # ru, then uk joins; en waits
    assert [kind for kind, _ in await events(store)] == announced
    assert [c.story for c in stage.decider.clusterer.pending_checks()] == [newcomer]
    try:
        await answer_links(stage, en.published + timedelta(minutes=2))
    finally:
        stage.link_checks.close()
    assert [await store.stories.assigned(a.id) for a in (ru, uk, en)] == [survivor] * 3
    assert await store.stories.get(newcomer) is None
    assert await store.stories.merged_into(newcomer) == survivor
    merged = await store.stories.get(survivor)
    assert merged is not None and sorted(merged.languages) == ["en", "ru", "uk"]
    assert [kind for kind, _ in await events(store)] == [*announced, "story.merged"]
    timeline = await store.redis.zrange(store.keys.briefing_stories("war", "updated"), 0, -1)
    assert timeline == [survivor]
    # kill -9 and restart: the log replays the answer, and the state is the same.
    restarted = await assert_replays_alike(store, stage)
    assert restarted.decider.clusterer.pending_checks() == []


async def test_a_close_call_a_day_apart_is_answered_not_linked_and_replays_alike(
    store: Store,
) -> None:
    # The English version of dev-064, 30 hours after the others, scores 0.87: the cosine
    # alone would merge it, but a day apart it reads as the next day's development.
    ru, uk, en = versions("dev-064")
    en = replace(en, published=en.published + timedelta(hours=30))
    stage = StoryStage(store, [WAR], snapshot_every=10_000)  # no snapshot: the log replays
    stage.link_checks = LinkCheckPool(score=close_call, warm=None)
    await feed_all(stage, store, [ru, uk, en])
    survivor, newcomer = await store.stories.assigned(ru.id), await store.stories.assigned(en.id)
    assert survivor is not None and newcomer is not None and newcomer != survivor
    try:
        await answer_links(stage, en.published + timedelta(minutes=2))
    finally:
        stage.close_links()
    assert stage.decider.clusterer.pending_checks() == []
    assert await store.stories.assigned(en.id) == newcomer  # not merged
    assert await store.stories.merged_into(newcomer) is None
    kinds = [kind for kind, _ in await events(store)]
    assert kinds == ["story.created", "story.updated", "story.created"]  # announced unlinked
    log = await store.redis.lrange(store.keys.cluster_log(stage.partition), 0, -1)
    assert [e for e in log if e.startswith("@check|")] == [
        f"@check|{codec.iso(en.published + timedelta(minutes=2))}|0|0.87"
    ]
    # kill -9 and restart: the replay applies the logged cosine to the same state and
    # decides the same (no merge).
    restarted = await assert_replays_alike(store, stage)
    assert restarted.decider.clusterer.story(newcomer) is not None


@pytest.mark.parametrize(
    ("development", "shared"),
    [("dev-198", share_a_place), ("dev-223", share_a_count)],
)
async def test_a_shared_place_or_count_links_in_the_band_and_replays_alike(
    store: Store, development: str, shared: Any
) -> None:
    # dev-198 (the Pope's visit to Kyiv) and dev-223 (the President awards 63 soldiers)
    # at cosine 0.84 for every check: below same_cosine, linked because the check's texts
    # name Kyiv (до Києва, to Kyiv), write 63, and the stories began minutes apart. The
    # place and the count are read from the check's texts when the answer is applied,
    # live and on the log's replay alike.
    articles = versions(development)
    stage = StoryStage(store, [WAR], snapshot_every=10_000)  # no snapshot: the log replays
    stage.link_checks = LinkCheckPool(score=place_call, warm=None)
    await feed_all(stage, store, articles)
    checks = stage.decider.clusterer.pending_checks()
    assert checks and all(shared(c.text, c.candidates[0][1]) for c in checks)
    try:
        await answer_links(stage, articles[-1].published + timedelta(minutes=2))
    finally:
        stage.close_links()
    assert stage.decider.clusterer.pending_checks() == []
    stories = {await store.stories.assigned(a.id) for a in articles}
    assert len(stories) == 1
    restarted = await assert_replays_alike(store, stage)
    assert [restarted.decider.clusterer.story(s) is not None for s in stories] == [True]


async def test_a_check_pending_at_a_crash_is_queued_again_by_the_replay(store: Store) -> None:
    ru, uk, en = versions("dev-064")
    stage = StoryStage(store, [WAR], snapshot_every=2)  # a snapshot taken with it pending
    await feed_all(stage, store, [ru, uk, en])
    pending = [c.to_json() for c in stage.decider.clusterer.pending_checks()]
    assert len(pending) == 1
    restarted = StoryStage(store, [WAR], snapshot_every=2)
    await restarted.restore()
    assert [c.to_json() for c in restarted.decider.clusterer.pending_checks()] == pending


async def test_an_idle_partition_taken_over_answers_the_checks_its_snapshot_holds(
    store: Store,
) -> None:
    """After a crash, a process stage that takes the partition over answers the pending
    check at once, though no entry arrives; and stopping it stops its link-check child."""
    ru, uk, en = versions("dev-064")
    crashed = StoryStage(store, [WAR], snapshot_every=10_000)
    await feed_all(crashed, store, [ru, uk, en])
    await store.redis.delete(store.keys.entries_stream)  # every entry handled: none arrives
    [check] = crashed.decider.clusterer.pending_checks()
    survivor = await store.stories.assigned(ru.id)
    now = en.published + timedelta(minutes=2)
    stories = StoryStage(store, [WAR], snapshot_every=10_000)
    process = ProcessStage(store, "next-holder", stories=stories, clock=lambda: now)
    await process.start()
    try:
        for _ in range(600):  # the child loads the model first: seconds, not minutes
            await process.run_once(block_ms=10)
            if await store.stories.merged_into(check.story) is not None:
                break
            await asyncio.sleep(0.1)
        assert await store.stories.merged_into(check.story) == survivor
        assert await store.stories.assigned(en.id) == survivor
        assert stories.link_checks.started
        stop = asyncio.Event()
        stop.set()
        await process.work(stop)
        assert not stories.link_checks.started
    finally:
        stories.close_links()


async def test_a_check_whose_child_cannot_start_backs_off_then_its_story_is_announced(
    store: Store, tmp_path: Path
) -> None:
    ru, uk, en = versions("dev-064")
    stage = StoryStage(store, [WAR], snapshot_every=10_000)
    clock = Clock()
    starts = tmp_path / "starts"
    stage.link_checks = LinkCheckPool(warm=functools.partial(fail_to_start, starts), clock=clock)
    await feed_all(stage, store, [ru, uk, en])  # en waits for its check
    [check] = stage.decider.clusterer.pending_checks()
    now = en.published + timedelta(minutes=2)
    try:
        await answer_links(stage, now)  # the first failed start: dispatched by feed_all
        for at in (1.0, 3.0):  # two more, 1 s then 2 s later
            clock.now = at - 0.1
            # Backing off: an idle partition runs no batch for its checks meanwhile.
            assert not stage.links_answered() and not stage.links_waiting()
            clock.now = at
            assert stage.links_waiting()
            await links_batch(stage, now)
            await answer_links(stage, now)
    finally:
        stage.close_links()
    assert starts.read_text().count("start") == 3
    assert stage.decider.clusterer.pending_checks() == []
    kinds = [kind for kind, _ in await events(store)]
    assert kinds == ["story.created", "story.updated", "story.created"]  # en, unlinked
    assert await store.stories.assigned(en.id) == check.story
    # The give-up is in the log: a replay answers it the same way.
    await assert_replays_alike(store, stage)


async def test_a_child_killed_during_a_check_answers_it_once_after_its_restart(
    store: Store, tmp_path: Path
) -> None:
    """kill -9 of the link-check child while it scores (the OOM killer, an operator): the
    check stays pending, is dispatched again once the child's backoff allows, and its
    answer merges the two stories once: one answer logged, one story.merged."""
    ru, uk, en = versions("dev-064")
    stage = StoryStage(store, [WAR], snapshot_every=10_000)
    clock = Clock()
    scoring = tmp_path / "scoring"
    score = functools.partial(stall_the_first_time, scoring)
    stage.link_checks = LinkCheckPool(score=score, warm=None, clock=clock)
    await feed_all(stage, store, [ru, uk, en])  # en's check is dispatched
    [check] = stage.decider.clusterer.pending_checks()
    survivor = await store.stories.assigned(ru.id)
    now = en.published + timedelta(minutes=2)
    try:
        for _ in range(600):
            if scoring.exists() and scoring.read_text():
                break
            await asyncio.sleep(0.05)
        os.kill(int(scoring.read_text()), signal.SIGKILL)
        await answer_links(stage, now)  # the failure is taken: nothing applied
        assert stage.decider.clusterer.pending_checks() == [check]
        assert not stage.links_waiting()  # the child backs off
        clock.now = stage.link_checks.backoff.retry_at
        assert stage.links_waiting()
        await links_batch(stage, now)  # dispatched again, to a fresh child
        await answer_links(stage, now)
    finally:
        stage.close_links()
    assert stage.decider.clusterer.pending_checks() == []
    assert await store.stories.assigned(en.id) == survivor
    assert await store.stories.merged_into(check.story) == survivor
    kinds = [kind for kind, _ in await events(store)]
    assert kinds == ["story.created", "story.updated", "story.merged"]
    log = await store.redis.lrange(store.keys.cluster_log(stage.partition), 0, -1)
    assert len([e for e in log if e.startswith("@check|")]) == 1
    await assert_replays_alike(store, stage)


async def test_a_check_that_hangs_the_child_is_bounded_and_the_stage_clusters_meanwhile(
    store: Store,
) -> None:
    """A model that never answers: each try is killed at the deadline, the stage goes on
    clustering the reports that come meanwhile, and the check is answered "not linked"
    at its third overrun (its waiting story announced)."""
    ru, uk, en = versions("dev-064")
    stage = StoryStage(store, [WAR], snapshot_every=10_000)
    clock = Clock()
    stage.link_checks = LinkCheckPool(deadline=0.5, score=hang, warm=None, clock=clock)
    await feed_all(stage, store, [ru, uk, en])  # en's check is dispatched, and hangs
    [check] = stage.decider.clusterer.pending_checks()
    later = [
        replace(
            a,
            id=f"later-{a.id}",
            url=f"{a.url}?later",
            published=en.published + timedelta(minutes=n),
            language="de",  # queues no check of its own: no briefing links German
        )
        for n, a in enumerate(ARTICLES[3:5], start=1)
    ]
    now = en.published + timedelta(minutes=5)
    try:
        await feed_all(stage, store, later)
        assert not stage.link_checks.idle()  # scoring still, and the stage clustered on
        assert all([await store.stories.assigned(a.id) for a in later])
        await answer_links(stage, now)
        for _ in range(2):
            clock.now = stage.link_checks.backoff.retry_at
            await links_batch(stage, now)
            await answer_links(stage, now)
    finally:
        stage.close_links()
    assert stage.decider.clusterer.pending_checks() == []
    assert await store.stories.assigned(en.id) == check.story
    [(entry_id, fields)] = await store.redis.xrevrange(store.keys.events_stream, count=1)
    last = EventEntry.parse(entry_id, fields)
    assert last is not None and (last.type, last.story_id) == ("story.created", check.story)
    await assert_replays_alike(store, stage)


async def test_two_waiting_stories_merged_are_announced_once_by_the_survivor(
    store: Store,
) -> None:
    # Every cross-language candidate goes to a check. The Ukrainian version's check
    # fails to score while the English version's links it to the Ukrainian story.
    band_only = ClusterConfig(link=LinkConfig(gram_link=2.0))
    ru, uk, en = versions("dev-006")
    stage = StoryStage(store, [WAR], cluster_config=band_only, snapshot_every=10_000)
    stage.link_checks = LinkCheckPool(score=fail_for_ukrainian, warm=None)
    await feed_all(stage, store, [ru, uk, en])
    survivor = await store.stories.assigned(uk.id)
    assert [kind for kind, _ in await events(store)] == ["story.created"]  # ru only
    now = en.published + timedelta(minutes=2)
    try:
        for _ in range(100):
            await answer_links(stage, now)
            if not stage.decider.clusterer.pending_checks():
                break
    finally:
        stage.close_links()
    assert await store.stories.assigned(en.id) == survivor
    found = [(kind, data["story"]["id"]) for kind, data in await events(store)]  # type: ignore[index]
    assert found[1:] == [("story.created", survivor), ("story.merged", survivor)]


async def a_linking_check(store: Store) -> tuple[StoryStage, LinkCheck, Article]:
    """A stage with one pending check that would link (every candidate scores 1.0), and
    the report that queued it."""
    ru, uk, en = versions("dev-064")
    stage = StoryStage(store, [WAR], snapshot_every=10_000)
    stage.link_checks = LinkCheckPool(score=fail_on_bad, warm=None)  # every candidate: 1.0
    await feed_all(stage, store, [ru, uk, en])
    [check] = stage.decider.clusterer.pending_checks()
    return stage, check, en


async def assert_not_linked(store: Store, stage: StoryStage, check: LinkCheck, en: Article) -> None:
    """Memory and Redis agree: no merge in either; the waiting story is announced."""
    assert stage.decider.clusterer.story(check.story) is not None
    assert await store.stories.merged_into(check.story) is None
    assert await store.stories.assigned(en.id) == check.story
    [(entry_id, fields)] = await store.redis.xrevrange(store.keys.events_stream, count=1)
    last = EventEntry.parse(entry_id, fields)
    assert last is not None and (last.type, last.story_id) == ("story.created", check.story)
    await assert_replays_alike(store, stage)


async def test_a_link_to_a_story_retention_removed_is_answered_not_linked(store: Store) -> None:
    stage, check, en = await a_linking_check(store)
    [(candidate, _)] = check.candidates
    # Retention removes the candidate story's record while the check waits.
    await store.redis.delete(store.keys.story(candidate), store.keys.story_members(candidate))
    try:
        await answer_links(stage, en.published + timedelta(minutes=2))
    finally:
        stage.close_links()
    await assert_not_linked(store, stage, check, en)


async def test_a_survivor_pruned_after_the_check_refuses_the_merge_then_answers_not_linked(
    store: Store,
) -> None:
    """Retention prunes the survivor after the stage found both stories stored, before the
    merge is written: the batch is refused whole (StoryGone), the stage restores, and the
    re-scored check finds the story gone: not linked, and the survivor not brought back."""
    stage, check, en = await a_linking_check(store)
    [(candidate, _)] = check.candidates
    both_stored = stage._both_stored

    async def then_pruned(check_id: int, scores: list[float]) -> bool:
        found = await both_stored(check_id, scores)
        await store.redis.delete(store.keys.story(candidate), store.keys.story_members(candidate))
        return found

    stage._both_stored = then_pruned  # type: ignore[method-assign]
    try:
        with pytest.raises(StoryGone):
            await answer_links(stage, en.published + timedelta(minutes=2))
        assert stage.stale
        stage._both_stored = both_stored  # type: ignore[method-assign]
        await links_batch(stage, en.published + timedelta(minutes=3))  # restore, dispatch
        await answer_links(stage, en.published + timedelta(minutes=4))
    finally:
        stage.close_links()
    assert await store.redis.exists(store.keys.story(candidate)) == 0
    await assert_not_linked(store, stage, check, en)


async def test_an_unusable_snapshot_skips_the_logs_check_answers_and_is_replaced(
    store: Store,
) -> None:
    # Check ids count from the snapshot's queue: once it is unusable, the fresh queue
    # numbers the replayed reports' checks from 0 again, and an answer the log holds for a
    # check of the lost snapshot would land on another check.
    ru, uk, en = versions("dev-064")
    no_snapshot = {"snapshot_every": 10_000, "snapshot_interval": timedelta(days=30)}
    stage = StoryStage(store, [WAR], **no_snapshot)  # the log holds every report
    await feed_all(stage, store, [ru, uk, en])
    stage.link_checks.close()
    (pending,) = stage.decider.clusterer.pending_checks()
    assert pending.id == 0 and len(pending.candidates) == 1
    await store.redis.set(store.keys.cluster_snapshot(), json.dumps({"version": 999}))
    stale_answer = f"@check|{codec.iso(en.published)}|0|0.91,0.12,0.33"  # another check's
    await store.redis.rpush(store.keys.cluster_log(), stale_answer)

    restarted = StoryStage(store, [WAR], **no_snapshot)
    await restarted.restore()
    (again,) = restarted.decider.clusterer.pending_checks()
    assert again.to_json() == pending.to_json()  # not answered by the stale entry
    # The next batch writes a snapshot, so check ids and the log agree from there on.
    await links_batch(restarted, en.published + timedelta(minutes=1))
    restarted.link_checks.close()
    snapshot = await store.redis.get(store.keys.cluster_snapshot())
    assert json.loads(snapshot.split("\n")[0])["version"] == story_snapshot.VERSION
    assert stale_answer not in await store.redis.lrange(store.keys.cluster_log(), 0, -1)


async def test_the_stage_freezes_its_state_as_its_log_grows_and_still_restores_exactly(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every ``FREEZE_EVERY`` log entries what is alive leaves the collector's full walks;
    the frozen state still changes as articles come, and a restore rebuilds the same."""
    monkeypatch.setattr(story_stage, "FREEZE_EVERY", 2)
    gc.unfreeze()
    try:
        stage = StoryStage(store, [UKRAINE])
        await feed_all(stage, store, ARTICLES[:3])
        assert gc.get_freeze_count() > 0
        frozen = gc.get_freeze_count()
        await feed_all(stage, store, ARTICLES[3:])
        assert gc.get_freeze_count() > frozen  # again, with what the later articles added
    finally:
        gc.unfreeze()
    assigned = {a.id: await store.stories.assigned(a.id) for a in ARTICLES}
    assert assigned[ARTICLES[0].id] == assigned[ARTICLES[1].id] == assigned[ARTICLES[5].id]
    restarted = StoryStage(store, [UKRAINE])
    await restarted.restore()
    assert restarted.decider.snapshot() == stage.decider.snapshot()


async def test_a_check_over_two_parts_of_a_split_development_merges_them_in_redis(
    store: Store,
) -> None:
    # Censor's and UNN's Ukrainian reports of one strike stay two stories; Interfax's
    # English report links to both (every candidate scores 1.0 here): one story is left,
    # both absorbed ids lead to it, and a story.merged for each tells subscribers.
    censor, unn, interfax = reports(
        "censor-ua-3574274", "unn-uk-zaporizhzhia-0916", "interfax-en-1105058"
    )
    stage = StoryStage(store, [WAR], snapshot_every=10_000)  # no snapshot: the log replays
    stage.link_checks = LinkCheckPool(score=fail_on_bad, warm=None)
    await feed_all(stage, store, [censor, unn, interfax])
    parts = [await store.stories.assigned(a.id) for a in (censor, unn)]
    newcomer = await store.stories.assigned(interfax.id)
    assert None not in parts and len({*parts, newcomer}) == 3
    try:
        await answer_links(stage, interfax.published + timedelta(minutes=2))
    finally:
        stage.close_links()
    survivor = parts[0]  # the first seen
    assert [await store.stories.assigned(a.id) for a in (censor, unn, interfax)] == [survivor] * 3
    for absorbed in (newcomer, parts[1]):
        assert await store.stories.get(absorbed) is None  # type: ignore[arg-type]
        assert await store.stories.merged_into(absorbed) == survivor  # type: ignore[arg-type]
    # Events are references: the absorbed story's story.created now reads the survivor.
    found = [(kind, data["story"]["id"]) for kind, data in await events(store)]  # type: ignore[index]
    assert found == [("story.created", survivor)] * 2 + [("story.merged", survivor)] * 2
    timeline = await store.redis.zrange(store.keys.briefing_stories("war", "updated"), 0, -1)
    assert timeline == [survivor]
    # kill -9 and restart: the log replays both merges, and the state is the same.
    restarted = await assert_replays_alike(store, stage)
    assert restarted.decider.clusterer.pending_checks() == []


async def test_a_close_call_beside_a_report_dated_by_its_day_reads_the_day_and_replays_alike(
    store: Store,
) -> None:
    # The Russian report's feed dates it by its day only; the stage first saw it 23 hours
    # into that day, so it is placed there. The English version, timed 22 hours before
    # that placing, fell within the same day: 0 h apart by the day (the default reading
    # from 0.85), where the placed time alone reads 22 h, another day's development.
    ru, _, en = versions("dev-064")
    placed = ru.published
    ru = replace(ru, date_only=True, day_start=placed - timedelta(hours=23))
    en = replace(en, published=placed - timedelta(hours=22))
    stage = StoryStage(store, [WAR], snapshot_every=10_000)  # no snapshot: the log replays
    stage.link_checks = LinkCheckPool(score=close_call, warm=None)
    await feed_all(stage, store, [en, ru])
    older, newer = await store.stories.assigned(en.id), await store.stories.assigned(ru.id)
    assert older is not None and newer is not None and newer != older
    [check] = stage.decider.clusterer.pending_checks()
    [evidence] = stage.decider.clusterer.link_evidence(check.id, [0.87])
    assert evidence is not None and evidence.hours == 0.0
    try:
        await answer_links(stage, placed + timedelta(minutes=2))
    finally:
        stage.close_links()
    assert await store.stories.assigned(ru.id) == older  # linked
    # kill -9 and restart: the stored article keeps its day, which a replay of the log
    # reads (cluster_doc), so the restored state is the same.
    [stored] = await store.articles.get_many([ru.id])
    assert stored.day_start == ru.day_start
    restarted = await assert_replays_alike(store, stage)
    assert restarted.decider.clusterer.story(newer) is None
