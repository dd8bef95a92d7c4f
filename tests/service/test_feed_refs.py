"""Naming a stored feed as `briefing feeds list` shows it: id, URL (masked or full), name."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from service.feed_refs import FeedRefError, find_feed
from service.models import FeedConfig
from service.store import Store

NOW = datetime(2026, 12, 4, tzinfo=UTC)
DESK = "https://desk:hunter2@wire.example/private.rss"
AGENCY = "https://agency:s3cret@wire.example/private.rss"


async def add(store: Store, url: str, name: str = "") -> str:
    feed_id, _ = await store.feeds.add(FeedConfig(url=url, name=name), first_poll=NOW)
    return feed_id


async def test_a_feed_is_found_by_id_full_url_masked_url_or_name(store: Store) -> None:
    desk = await add(store, DESK, "Wire Desk")
    await add(store, "https://open.example/rss", "Open")
    for ref in (desk, DESK, "https://***@wire.example/private.rss", "Wire Desk", "wire desk"):
        assert (await find_feed(store, ref)).id == desk, ref


async def test_a_masked_url_two_feeds_share_is_ambiguous_and_their_ids_are_named(
    store: Store,
) -> None:
    ids = sorted([await add(store, DESK, "Desk"), await add(store, AGENCY, "Agency")])
    with pytest.raises(FeedRefError) as caught:
        await find_feed(store, "https://***@wire.example/private.rss")
    assert str(caught.value) == (
        f"https://***@wire.example/private.rss names 2 feeds (ids {ids[0]}, {ids[1]}): "
        "give the id of the one you mean"
    )
    # Each is still reachable by its id, full URL or name.
    assert (await find_feed(store, AGENCY)).id == (await find_feed(store, "Agency")).id


async def test_a_name_two_feeds_share_is_ambiguous(store: Store) -> None:
    await add(store, "https://a.example/rss", "Reuters")
    await add(store, "https://b.example/rss", "Reuters")
    with pytest.raises(FeedRefError, match=r"^Reuters names 2 feeds \(ids "):
        await find_feed(store, "Reuters")


async def test_an_unknown_feed_says_where_to_look_without_printing_credentials(
    store: Store,
) -> None:
    await add(store, DESK, "Desk")
    for ref, shown in (
        ("Nobody", "Nobody"),
        ("https://x:hunter2@other.example/rss", "https://***@other.example/rss"),
    ):
        with pytest.raises(FeedRefError) as caught:
            await find_feed(store, ref)
        assert str(caught.value) == (
            f"no such feed: {shown} (briefing feeds list shows each feed's id, URL and name)"
        )


async def test_an_empty_ref_names_no_feed_not_the_one_without_a_name(store: Store) -> None:
    await add(store, "https://open.example/rss")  # no name, no title yet
    for ref in ("", "  "):
        with pytest.raises(FeedRefError, match=r"^no such feed: "):
            await find_feed(store, ref)
