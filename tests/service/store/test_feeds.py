"""FeedStore against a real Redis: add/remove, atomic claims, poll state."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import redis

from service.feed_url import canonical_feed_url
from service.models import FeedConfig, FeedState
from service.store import Store
from service.store import feeds as feeds_module
from service.store.connection import RedisTarget, write_refusal
from service.store.feeds import (
    ADD_CHECKED_TRIES,
    CLAIM_DUE_FEEDS,
    FeedListContended,
    StoredFeed,
    lease_end,
)
from tests.support.redis_fixture import redis_url_of

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
URL = "https://x.example/rss"


async def claim_ids(
    store: Store, *, now: datetime, limit: int = 100, lease_seconds: int = 60
) -> list[str]:
    claimed = await store.feeds.claim_due_feeds(now=now, limit=limit, lease_seconds=lease_seconds)
    return [feed_id for feed_id, _feed in claimed]


async def claim(store: Store, after: timedelta, limit: int = 100) -> list[str]:
    return await claim_ids(store, now=NOW + after, limit=limit)


async def test_add_is_idempotent_and_keeps_state(store: Store) -> None:
    feed_id, created = await store.feeds.add(FeedConfig(url=URL), first_poll=NOW)
    assert created
    state = FeedState(url=URL, last_status=200, last_success=NOW, etag='"a"')
    await store.feeds.record_poll(feed_id, state)
    again, created = await store.feeds.add(
        FeedConfig(url="https://x.example/rss", name="X", interval=60), first_poll=NOW
    )
    assert again == feed_id and not created
    feed = await store.feeds.get(feed_id)
    assert feed is not None
    assert feed.config.name == "X" and feed.config.interval == 60
    assert feed.state.etag == '"a"' and feed.state.last_success == NOW


async def test_concurrent_claims_never_hand_out_a_feed_twice(store: Store) -> None:
    for n in range(40):
        await store.feeds.add(FeedConfig(url=f"https://x.example/{n}"), first_poll=NOW)
    claims = await asyncio.gather(*(claim_ids(store, now=NOW, limit=7) for _ in range(10)))
    flat = [i for c in claims for i in c]
    assert len(flat) == len(set(flat)) == 40
    # Leased: nothing is due again until the lease runs out.
    assert await claim(store, timedelta(seconds=59)) == []
    expired = await claim_ids(store, now=NOW + timedelta(seconds=61))
    assert len(expired) == 40


async def test_record_poll_schedules_and_moves(store: Store) -> None:
    feed_id, _ = await store.feeds.add(FeedConfig(url="https://old.example/rss"), first_poll=NOW)
    state = FeedState(
        url="https://new.example/rss",
        moved_to="https://new.example/rss",
        last_status=301,
        next_poll=NOW + timedelta(minutes=15),
    )
    await store.feeds.record_poll(feed_id, state)
    moved = await store.feeds.by_url("https://new.example/rss")
    assert moved is not None and moved.id == feed_id
    assert moved.config.url == "https://new.example/rss"
    assert await claim(store, timedelta(minutes=14)) == []
    assert await claim_ids(store, now=NOW + timedelta(minutes=16), limit=5) == [feed_id]
    # Re-adding the old URL from config does not undo the move.
    await store.feeds.add(FeedConfig(url="https://old.example/rss"), first_poll=NOW)
    again = await store.feeds.get(feed_id)
    assert again is not None and again.config.url == "https://new.example/rss"


async def test_due_is_when_the_feed_is_due_before_its_first_poll_and_after_poll_now(
    store: Store,
) -> None:
    """GET /v1/feeds and `POST /v1/feeds/{id}/poll` show next_poll: it must say when the
    feed is due, not only what its last poll planned."""
    feed_id, _ = await store.feeds.add(FeedConfig(url=URL), first_poll=NOW)

    async def next_polls() -> tuple[datetime | None, datetime | None]:
        feed = await store.feeds.get(feed_id)
        [listed], _cursor = await store.feeds.page(after=None, limit=10)
        assert feed is not None
        return feed.due, listed.due

    assert await next_polls() == (NOW, NOW)
    planned = NOW + timedelta(minutes=15)
    await store.feeds.record_poll(feed_id, FeedState(url=URL, last_status=200, next_poll=planned))
    assert await next_polls() == (planned, planned)
    await store.feeds.schedule_now(feed_id, NOW + timedelta(minutes=1))  # poll now
    assert await next_polls() == (NOW + timedelta(minutes=1),) * 2


async def test_none_fields_are_cleared(store: Store) -> None:
    feed_id, _ = await store.feeds.add(FeedConfig(url=URL), first_poll=NOW)
    await store.feeds.record_poll(
        feed_id,
        FeedState(url=URL, last_error="HTTP 500", consecutive_failures=2),
    )
    await store.feeds.record_poll(feed_id, FeedState(url=URL, last_status=200))
    feed = await store.feeds.get(feed_id)
    assert feed is not None
    assert feed.state.last_error is None and feed.state.consecutive_failures == 0


async def test_remove(store: Store) -> None:
    feed_id, _ = await store.feeds.add(FeedConfig(url=URL), first_poll=NOW)
    assert await store.feeds.remove("https://x.example/rss")
    assert not await store.feeds.remove("https://x.example/rss")
    assert await store.feeds.get(feed_id) is None
    assert await store.feeds.ids() == []


async def test_add_many_matches_add_across_chunks_and_keeps_moves_and_state(
    store: Store,
) -> None:
    """Seeding at start adds every configured feed in a few round trips (add_many);
    each feed must end exactly as one ``add`` leaves it."""
    moved_id, _ = await store.feeds.add(FeedConfig(url="https://old.example/rss"), first_poll=NOW)
    await store.feeds.record_poll(
        moved_id,
        FeedState(url="https://new.example/rss", moved_to="https://new.example/rss",
                  last_status=301, next_poll=NOW + timedelta(minutes=15)),
    )  # fmt: skip
    configs = [FeedConfig(url=f"https://x.example/{n}", interval=60) for n in range(7)]
    configs.insert(3, FeedConfig(url="https://old.example/rss", name="Old"))
    added = await store.feeds.add_many(
        [(c, NOW + timedelta(seconds=n)) for n, c in enumerate(configs)], chunk=3
    )
    assert [created for _id, created in added] == [True] * 3 + [False] + [True] * 4
    assert added[3][0] == moved_id
    for (feed_id, _created), config in zip(added, configs, strict=True):
        feed = await store.feeds.get(feed_id)
        assert feed is not None
        if feed_id == moved_id:  # configuration never undoes a 301 move, nor its schedule
            assert feed.config.url == "https://new.example/rss" and feed.config.name == "Old"
            assert feed.state.last_status == 301
        else:
            assert feed.config == config
    assert len(await store.feeds.ids()) == 8
    # First polls as given, the moved feed's kept (ZADD NX).
    assert await claim(store, timedelta(seconds=0)) == [added[0][0]]
    again = await store.feeds.add_many([(c, NOW) for c in configs])
    assert [feed_id for feed_id, _ in again] == [feed_id for feed_id, _ in added]
    assert not any(created for _id, created in again)


async def test_renewal_extends_only_the_claims_still_held(store: Store) -> None:
    ids = [
        (await store.feeds.add(FeedConfig(url=f"https://x.example/{n}"), first_poll=NOW))[0]
        for n in range(3)
    ]
    held = lease_end(NOW, 30)
    claimed = await claim_ids(store, now=NOW, lease_seconds=30)
    assert sorted(claimed) == sorted(ids)
    # One poll recorded its next poll meanwhile: its score is no longer the lease.
    recorded, *running = ids
    await store.feeds.record_poll(
        recorded, FeedState(url="https://x.example/0", next_poll=NOW + timedelta(seconds=45))
    )
    later = NOW + timedelta(seconds=20)
    until = lease_end(later, 30)
    renewed = await store.feeds.renew_claims(dict.fromkeys(ids, held), until=until)
    assert sorted(renewed) == sorted(running)
    # The renewed claims are held a lease past the renewal; the recorded poll kept its time.
    assert await claim(store, timedelta(seconds=46)) == [recorded]
    assert await claim(store, timedelta(seconds=49)) == []
    assert sorted(await claim(store, timedelta(seconds=51))) == sorted(running)
    # A renewal with a stale lease (someone else claimed the feed since) changes nothing.
    assert await store.feeds.renew_claims(dict.fromkeys(running, held), until=until) == []


async def test_a_record_against_the_previous_state_stores_the_same_as_a_full_one(
    store: Store,
) -> None:
    feed_id, _ = await store.feeds.add(FeedConfig(url=URL, name="X"), first_poll=NOW)
    failed = FeedState(
        url=URL,
        etag='"a"',
        last_status=500,
        last_error="HTTP 500",
        consecutive_failures=2,
        last_attempt=NOW,
        next_poll=NOW + timedelta(seconds=60),
    )
    await store.feeds.record_poll(feed_id, failed)
    stored = await store.feeds.get(feed_id)
    assert stored is not None and stored.state == failed
    # A 304 next: the error and failure count go, the times move, the rest stays.
    later = NOW + timedelta(seconds=60)
    recovered = FeedState(
        url=URL,
        etag='"a"',
        last_status=304,
        last_attempt=later,
        last_success=later,
        next_poll=later + timedelta(seconds=900),
    )
    await store.feeds.record_poll(feed_id, recovered, previous=stored.state)
    again = await store.feeds.get(feed_id)
    assert again is not None and again.state == recovered
    assert again.config == stored.config
    due = later + timedelta(seconds=900)
    assert await store.redis.zscore(store.keys.feeds_due, feed_id) == due.timestamp()
    assert not await store.redis.hexists(store.keys.feed(feed_id), "last_error")


# ------------------------------------------------------------------------------------------
# FeedStore.claim_due_feeds: the atomic claim, returning each feed as stored (real Redis).


async def test_claimed_feeds_come_with_config_and_state(store: Store) -> None:
    feed_id, _ = await store.feeds.add(
        FeedConfig(url="https://x.example/rss", name="X", interval=120), first_poll=NOW
    )
    state = FeedState(url="https://x.example/rss", etag='"e"', body_hash="h", last_success=NOW)
    await store.feeds.record_poll(feed_id, state)
    await store.feeds.schedule_now(feed_id, NOW)
    [(claimed_id, feed)] = await store.feeds.claim_due_feeds(now=NOW, limit=10, lease_seconds=60)
    assert claimed_id == feed_id and feed is not None
    stored = await store.feeds.get(feed_id)
    assert stored is not None and feed == replace(stored, due=None)
    assert (feed.config.name, feed.config.interval) == ("X", 120)
    assert (feed.state.etag, feed.state.body_hash, feed.state.last_success) == ('"e"', "h", NOW)


async def test_concurrent_claims_of_due_feeds_never_hand_out_a_feed_twice(store: Store) -> None:
    for n in range(40):
        await store.feeds.add(FeedConfig(url=f"https://x.example/{n}"), first_poll=NOW)
    claims = await asyncio.gather(
        *(store.feeds.claim_due_feeds(now=NOW, limit=7, lease_seconds=60) for _ in range(10))
    )
    ids = [feed_id for claim in claims for feed_id, _ in claim]
    assert len(ids) == len(set(ids)) == 40
    assert all(feed is not None and feed.id == i for claim in claims for i, feed in claim)
    later = NOW + timedelta(seconds=59)
    assert await store.feeds.claim_due_feeds(now=later, limit=100, lease_seconds=60) == []
    expired = NOW + timedelta(seconds=61)
    assert len(await store.feeds.claim_due_feeds(now=expired, limit=100, lease_seconds=60)) == 40


async def test_a_scheduled_id_without_its_hash_comes_back_as_none(store: Store) -> None:
    feed_id, _ = await store.feeds.add(FeedConfig(url="https://x.example/gone"), first_poll=NOW)
    await store.redis.delete(store.keys.feed(feed_id))
    assert await store.feeds.claim_due_feeds(now=NOW, limit=10, lease_seconds=60) == [
        (feed_id, None)
    ]


async def test_a_claim_says_when_each_feed_was_due_and_can_be_handed_back(store: Store) -> None:
    ids = [
        (
            await store.feeds.add(
                FeedConfig(url=f"https://x.example/{n}"), first_poll=NOW - timedelta(seconds=n)
            )
        )[0]
        for n in range(3)
    ]
    claimed = (await store.feeds.claim_due(now=NOW, limit=10, lease_seconds=60)).feeds
    assert [c.id for c in claimed] == ids[::-1]  # oldest due first
    assert {c.id: c.due for c in claimed} == {
        feed_id: (NOW - timedelta(seconds=n)).timestamp() for n, feed_id in enumerate(ids)
    }
    held = lease_end(NOW, 60)
    # One of them was claimed again by another worker after its lease ran out.
    taken = ids[0]
    await store.redis.zadd(store.keys.feeds_due, {taken: held + 100}, xx=True)
    back = await store.feeds.hand_back({c.id: (held, c.due) for c in claimed})
    assert sorted(back) == sorted(ids[1:])
    again = (await store.feeds.claim_due(now=NOW, limit=10, lease_seconds=60)).feeds
    assert [c.id for c in again] == [ids[2], ids[1]]
    assert await store.redis.zscore(store.keys.feeds_due, taken) == held + 100


async def test_a_claim_says_when_the_next_feed_falls_due(store: Store) -> None:
    assert (await store.feeds.claim_due(now=NOW, limit=10, lease_seconds=60)).next_due is None
    due_now, _ = await store.feeds.add(FeedConfig(url="https://x.example/0"), first_poll=NOW)
    later = NOW + timedelta(seconds=0.3)
    await store.feeds.add(FeedConfig(url="https://x.example/1"), first_poll=later)
    first = await store.feeds.claim_due(now=NOW, limit=10, lease_seconds=60)
    # The earliest score after the claim moved its feeds a lease ahead.
    assert [c.id for c in first.feeds] == [due_now]
    assert first.next_due == later.timestamp()
    second = await store.feeds.claim_due(now=later, limit=10, lease_seconds=60)
    assert len(second.feeds) == 1
    assert second.next_due == lease_end(NOW, 60)  # only the first claim's lease is left
    # A claim that hit its limit leaves due feeds: the next one is due already.
    await store.feeds.add(FeedConfig(url="https://x.example/2"), first_poll=NOW)
    await store.feeds.add(FeedConfig(url="https://x.example/3"), first_poll=NOW)
    full = await store.feeds.claim_due(now=later, limit=1, lease_seconds=60)
    assert len(full.feeds) == 1 and full.next_due == NOW.timestamp()


async def test_one_feed_typed_two_ways_is_one_feed(store: Store) -> None:
    # The config file's spelling and the API validator's normal form of one URL.
    typed = ["https://X.example:443/rss", "https://x.example/rss", "HTTPS://x.EXAMPLE/rss"]
    added = await store.feeds.add_many([(FeedConfig(url=u), NOW) for u in typed])
    assert len({feed_id for feed_id, _ in added}) == 1
    assert [created for _, created in added] == [True, False, False]
    assert await store.feeds.ids() == [added[0][0]]
    feed = await store.feeds.by_url("https://x.example:443/rss")
    assert feed is not None and feed.config.url == "https://x.example/rss"
    host_only, _ = await store.feeds.add(FeedConfig(url="https://y.example"), first_poll=NOW)
    assert (await store.feeds.add(FeedConfig(url="https://y.example/"), first_poll=NOW)) == (
        host_only,
        False,
    )
    assert await store.feeds.remove("https://X.EXAMPLE:443/rss")
    assert await store.feeds.by_url("https://x.example/rss") is None


async def test_remove_canonicalises_the_url_it_is_given_once(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    await store.feeds.add(FeedConfig(url="https://x.example/rss"), first_poll=NOW)
    asked: list[str] = []

    def counted(url: str) -> str:
        asked.append(url)
        return canonical_feed_url(url)

    monkeypatch.setattr(feeds_module, "canonical_feed_url", counted)
    assert await store.feeds.remove("HTTPS://X.example:443/rss")
    assert asked.count("HTTPS://X.example:443/rss") == 1
    assert await store.feeds.by_url("https://x.example/rss") is None
    assert await store.feeds.ids() == []


async def test_a_moved_feed_removed_by_id_can_be_added_again_from_its_old_url(
    store: Store,
) -> None:
    """Removing a feed by id leaves the key of the URL it was added as, when a 301 has
    moved it since; adding that URL again must make a whole feed, not a hash without
    its URL that every listing and claim would fail to read."""
    feed_id, _ = await store.feeds.add(FeedConfig(url="https://old.example/rss"), first_poll=NOW)
    moved = FeedState(url="https://new.example/rss", moved_to="https://new.example/rss")
    await store.feeds.record_poll(feed_id, moved)
    await store.feeds.record_poll(feed_id, FeedState(url="https://new.example/rss"))
    stored = await store.feeds.get(feed_id)
    assert stored is not None
    await store.feeds.remove_feed(stored)
    again, created = await store.feeds.add(
        FeedConfig(url="https://old.example/rss"), first_poll=NOW
    )
    assert created
    feed = await store.feeds.get(again)
    assert feed is not None and feed.config.url == "https://old.example/rss"
    page, _cursor = await store.feeds.page(after=None, limit=10)
    assert [f.config.url for f in page] == ["https://old.example/rss"]


async def test_add_checked_writes_only_what_its_check_accepted(store: Store) -> None:
    """``add_checked`` shows the check the first page as ``page`` reads it, and writes
    nothing when the check raises."""
    await store.feeds.add(FeedConfig(url="https://a.example/rss"), first_poll=NOW)
    seen: list[tuple[list[str], str | None]] = []

    def refuse(feeds: list[StoredFeed], next_cursor: str | None) -> None:
        seen.append(([f.config.url for f in feeds], next_cursor))
        raise LookupError("stale")

    new = FeedConfig(url="https://b.example/rss")
    with pytest.raises(LookupError):
        await store.feeds.add_checked(new, refuse, first_poll=NOW, first_page=1)
    assert seen == [(["https://a.example/rss"], None)]
    assert len(await store.feeds.ids()) == 1
    feed_id, created = await store.feeds.add_checked(
        new, lambda *_page: None, first_poll=NOW, first_page=1
    )
    assert created and await store.feeds.get(feed_id) is not None
    again = await store.feeds.add_checked(new, lambda *_page: None, first_poll=NOW, first_page=1)
    assert again == (feed_id, False)


async def two_feeds(store: Store) -> tuple[str, str]:
    """Two feeds, as (the one on a first page of one feed, the one after it)."""
    for host in ("a", "b"):
        await store.feeds.add(FeedConfig(url=f"https://{host}.example/rss"), first_poll=NOW)
    first, second = await store.feeds.ids()
    return first, second


@pytest.fixture
def other_client(redis_target: RedisTarget) -> Iterator[redis.Redis]:
    """A second, blocking client of the test Redis: a writer that gets in between the
    read and the write of ``add_checked`` when its check runs."""
    client = redis.Redis.from_url(redis_url_of(redis_target), decode_responses=True)
    yield client
    client.close()


async def test_add_checked_ignores_claims_and_polls_of_feeds_off_its_page(
    store: Store, other_client: redis.Redis
) -> None:
    """A claim or poll of a feed the check was not shown (the schedule and that feed's
    hash change) does not make ``add_checked`` try again: with thousands of feeds one
    lands between every read and write."""
    on_page, off_page = await two_feeds(store)
    checks: list[list[str]] = []

    def check(feeds: list[StoredFeed], _next_cursor: str | None) -> None:
        checks.append([f.id for f in feeds])
        assert len(checks) == 1, "checked again"
        lease = NOW.timestamp() + 60
        other_client.zadd(store.keys.feeds_due, {off_page: lease}, xx=True)
        other_client.hset(store.keys.feed(off_page), "last_status", "200")

    new = FeedConfig(url="https://c.example/rss")
    feed_id, created = await store.feeds.add_checked(new, check, first_poll=NOW, first_page=1)
    assert created and checks == [[on_page]]
    assert await store.feeds.get(feed_id) is not None


async def test_add_checked_checks_again_when_a_page_feed_is_claimed(
    store: Store, other_client: redis.Redis
) -> None:
    """A claim moves only the schedule's score of a feed the check was shown (its
    ``next_poll`` in the page's ETag): the write sees that and the check runs again on
    the page as it is now."""
    on_page, _off_page = await two_feeds(store)
    lease = NOW.timestamp() + 60
    shown: list[datetime | None] = []

    def check(feeds: list[StoredFeed], _next_cursor: str | None) -> None:
        shown.append(feeds[0].due)
        if len(shown) == 1:
            other_client.zadd(store.keys.feeds_due, {on_page: lease}, xx=True)

    new = FeedConfig(url="https://c.example/rss")
    _feed_id, created = await store.feeds.add_checked(new, check, first_poll=NOW, first_page=1)
    assert created
    assert shown == [NOW, datetime.fromtimestamp(lease, UTC)]


async def test_add_checked_gives_up_when_its_page_keeps_changing(
    store: Store, other_client: redis.Redis
) -> None:
    """A page polled between every read and write: a bounded number of checks, then
    FeedListContended with nothing written, never an endless loop."""
    on_page, _off_page = await two_feeds(store)
    checks = 0

    def check(_feeds: list[StoredFeed], _next_cursor: str | None) -> None:
        nonlocal checks
        checks += 1
        assert checks <= ADD_CHECKED_TRIES, "checked without bound"
        attempt = NOW + timedelta(seconds=checks)
        other_client.hset(store.keys.feed(on_page), "last_attempt", attempt.isoformat())

    new = FeedConfig(url="https://c.example/rss")
    with pytest.raises(FeedListContended):
        await store.feeds.add_checked(new, check, first_poll=NOW, first_page=1)
    assert checks == ADD_CHECKED_TRIES
    assert await store.feeds.by_url(new.url) is None and len(await store.feeds.ids()) == 2


async def test_add_many_at_maxmemory_is_refused_whole_then_adds_all_once_freed(
    store: Store,
) -> None:
    """Redis at ``maxmemory`` refuses the chunk's MULTI of ADD_FEED calls (an out-of-memory
    refusal, a 503 for the API and a retry for the seed), with nothing of it written; the
    same call once memory is freed adds every feed, each reported created once."""
    feeds = [(FeedConfig(url=f"https://{host}.example/rss"), NOW) for host in "abc"]
    await store.redis.config_set("maxmemory", 1)
    try:
        with pytest.raises(redis.RedisError) as refused:
            await store.feeds.add_many(feeds)
    finally:
        await store.redis.config_set("maxmemory", 0)
    assert write_refusal(refused.value) == "out of memory"
    assert await store.feeds.ids() == []
    added = await store.feeds.add_many(feeds)
    assert [created for _id, created in added] == [True, True, True]
    assert [created for _id, created in await store.feeds.add_many(feeds)] == [False] * 3


# ------------------------------------------------------------------------------------------
# Wake-ups: a feed made due ahead of the whole schedule is published on Keys.feeds_wake.


async def published_during(store: Store, write: object) -> list[str]:
    """The wake messages published while ``write`` (an awaitable) ran."""
    pubsub = store.redis.pubsub()
    await pubsub.subscribe(store.keys.feeds_wake)
    try:
        assert (await pubsub.get_message(timeout=1))["type"] == "subscribe"
        await write  # type: ignore[misc]
        messages = []
        while (message := await pubsub.get_message(timeout=0.2)) is not None:
            messages.append(message["data"])
        return messages
    finally:
        await pubsub.aclose()


async def test_an_add_ahead_of_the_schedule_publishes_a_wake(store: Store) -> None:
    first = NOW + timedelta(minutes=5)
    assert await published_during(store, store.feeds.add(FeedConfig(url=URL), first_poll=first))
    later = FeedConfig(url="https://later.example/rss")
    # Behind the earliest score: the sleeping workers' wait already covers it.
    assert await published_during(store, store.feeds.add(later, first_poll=first)) == []
    # An update of a scheduled feed does not move it: nothing to wake for.
    assert await published_during(store, store.feeds.add(later, first_poll=NOW)) == []
    sooner = FeedConfig(url="https://sooner.example/rss")
    assert await published_during(store, store.feeds.add(sooner, first_poll=NOW)) == [
        repr(NOW.timestamp())
    ]


async def test_poll_now_publishes_one_wake_per_call(store: Store) -> None:
    configs = [(FeedConfig(url=f"https://f{n}.example/rss"), NOW) for n in range(3)]
    ids = [feed_id for feed_id, _ in await store.feeds.add_many(configs)]
    assert await published_during(store, store.feeds.schedule_now(ids[0], NOW)) == []
    sooner = NOW - timedelta(seconds=5)
    wakes = await published_during(store, store.feeds.schedule_many(ids, sooner))
    assert wakes == [repr(sooner.timestamp())]
    assert await store.feeds.schedule_many(["removed", ids[1]], sooner) == 0  # already there
    assert await store.redis.zscore(store.keys.feeds_due, "removed") is None


async def test_writes_stand_when_the_redis_user_may_not_publish_wakes(
    channelless_store: Store,
) -> None:
    # A Redis user with the store's keys and no channels: the wake is not sent (the claim
    # loop's ceiling covers it), the feed is added and made due all the same.
    feeds = channelless_store.feeds
    feed_id, created = await feeds.add(FeedConfig(url="https://a.example/rss"), first_poll=NOW)
    assert created
    assert await feeds.schedule_many([feed_id], NOW - timedelta(hours=1)) == 1
    claim = await feeds.claim_due(now=NOW, limit=10, lease_seconds=60)
    assert [c.id for c in claim.feeds] == [feed_id]


async def test_count_due_by_counts_due_feeds_and_claims_by_their_lease_end(store: Store) -> None:
    for n in range(3):
        await store.feeds.add(
            FeedConfig(url=f"https://x.example/{n}"), first_poll=NOW + timedelta(minutes=n)
        )
    assert await store.feeds.count_due_by(NOW - timedelta(seconds=1)) == 0
    assert await store.feeds.count_due_by(NOW) == 1
    assert await store.feeds.count_due_by(NOW + timedelta(minutes=2)) == 3
    assert len(await claim(store, timedelta(0))) == 1  # leased 60 s: due again at NOW + 60 s
    assert await store.feeds.count_due_by(NOW + timedelta(seconds=59)) == 0
    assert await store.feeds.count_due_by(NOW + timedelta(seconds=60)) == 2


async def test_the_claim_script_touches_only_the_key_it_is_given(
    store: Store, redis_target: RedisTarget
) -> None:
    """Redis wants every key a script touches passed in KEYS (Redis Cluster, proxies and
    Dragonfly refuse the others). Run by a user whose ACL allows only that key, the claim
    script still claims: it reads no feed's hash (``claim_due`` reads them after it)."""
    for n in range(3):
        await store.feeds.add(FeedConfig(url=f"https://x.example/{n}"), first_poll=NOW)
    user = "claim-script-keys"
    await store.redis.acl_setuser(
        user, enabled=True, nopass=True, commands=["+@all"], keys=[store.keys.feeds_due]
    )
    restricted = redis_target.client(username=user, password="unused")
    try:
        [feed_id, *_] = await store.feeds.ids()
        with pytest.raises(redis.exceptions.NoPermissionError):
            await restricted.hgetall(store.keys.feed(feed_id))  # the ACL holds
        lease = lease_end(NOW, 60)
        taken, first = await restricted.eval(
            CLAIM_DUE_FEEDS, 1, store.keys.feeds_due, NOW.timestamp(), 10, lease
        )
        assert sorted(taken[::2]) == await store.feeds.ids()
        assert float(first) == lease
    finally:
        await restricted.aclose()
        await store.redis.acl_deluser(user)


async def test_a_feed_removed_or_paused_between_the_claim_and_its_read(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The claimed feeds' hashes are read by a second script: a feed removed after the
    claim comes back without its hash and leaves nothing scheduled (no lease to run out
    and claim it again); one paused meanwhile comes back paused."""
    removed, _ = await store.feeds.add(FeedConfig(url=URL), first_poll=NOW)
    paused, _ = await store.feeds.add(FeedConfig(url="https://y.example/rss"), first_poll=NOW)
    read = store.feeds._feed_hashes

    async def changed_first(**kwargs: Any) -> Any:
        assert await store.feeds.remove(URL)
        assert await store.feeds.set_paused(paused, True)
        return await read(**kwargs)

    monkeypatch.setattr(store.feeds, "_feed_hashes", changed_first)
    taken = await store.feeds.claim_due(now=NOW, limit=10, lease_seconds=60)
    by_id = {c.id: c.feed for c in taken.feeds}
    assert by_id.keys() == {removed, paused}
    assert by_id[removed] is None
    feed = by_id[paused]
    assert feed is not None and feed.config.paused
    assert await store.feeds.ids() == [paused]
    assert await store.feeds.count_due_by(NOW + timedelta(days=1)) == 1  # the paused one
