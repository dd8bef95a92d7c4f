"""Filters select exactly the events they name (pure), and the payload is the documented one."""

from __future__ import annotations

import json
from typing import Any

import pytest

from service.store.subscriptions import SubscriptionStore
from service.webhooks.filters import EVENT_TYPES, Filters, delivered_as, matches
from service.webhooks.payload import build_body
from tests.factories import story_data as story
from tests.support.webhook_receiver import Receiver
from tests.support.webhooks import FakeClock, StageFactory, emit, pump, subscribe

ALL = EVENT_TYPES
FAILING = {
    "feed": {"url": "https://x.example/rss", "last_error": "HTTP 500", "consecutive_failures": 5}
}


@pytest.mark.parametrize(
    ("name", "events", "filters", "event_type", "data", "expected"),
    [
        ("no filters: every story", ALL, Filters(), "story.updated", {"story": story()}, True),
        (
            "type not subscribed",
            ("story.created",),
            Filters(),
            "story.updated",
            {"story": story()},
            False,
        ),
        ("feed.failing by type", ALL, Filters(keywords=("x",)), "feed.failing", FAILING, True),
        (
            "briefing in",
            ALL,
            Filters(briefings=("ukraine",)),
            "story.created",
            {"story": story()},
            True,
        ),
        (
            "briefing out",
            ALL,
            Filters(briefings=("gaza",)),
            "story.created",
            {"story": story()},
            False,
        ),
        (
            "keyword listed",
            ALL,
            Filters(keywords=("DRONE",)),
            "story.created",
            {"story": story()},
            True,
        ),
        (
            "keyword in headline",
            ALL,
            Filters(keywords=("power plant",)),
            "story.created",
            {"story": story()},
            True,
        ),
        (
            "keyword typed decomposed",
            ALL,
            Filters(keywords=("Ki\u0308v Cafe\u0301",)),
            "story.created",
            {"story": story(headline="Kïv Café reopens")},
            True,
        ),
        (
            "keyword inside a word",
            ALL,
            Filters(keywords=("plan",)),
            "story.created",
            {"story": story()},
            False,
        ),
        (
            "language by subtag",
            ALL,
            Filters(languages=("uk-UA",)),
            "story.created",
            {"story": story()},
            True,
        ),
        (
            "language out",
            ALL,
            Filters(languages=("de",)),
            "story.created",
            {"story": story()},
            False,
        ),
        (
            "source by outlet",
            ALL,
            Filters(sources=("kyiv independent",)),
            "story.created",
            {"story": story()},
            True,
        ),
        (
            "source by domain",
            ALL,
            Filters(sources=("pravda.com.ua",)),
            "story.created",
            {"story": story()},
            True,
        ),
        (
            "source out",
            ALL,
            Filters(sources=("bbc.co.uk",)),
            "story.created",
            {"story": story()},
            False,
        ),
        ("place in", ALL, Filters(places=("kharkiv",)), "story.created", {"story": story()}, True),
        ("place out", ALL, Filters(places=("Odesa",)), "story.created", {"story": story()}, False),
        ("min_sources met", ALL, Filters(min_sources=2), "story.created", {"story": story()}, True),
        (
            "min_sources not met",
            ALL,
            Filters(min_sources=3),
            "story.created",
            {"story": story()},
            False,
        ),
        (
            "all must hold",
            ALL,
            Filters(places=("Kharkiv",), languages=("de",)),
            "story.created",
            {"story": story()},
            False,
        ),
        ("malformed story", ALL, Filters(), "story.created", {"story": "x"}, False),
    ],
)
def test_matches(
    name: str,
    events: tuple[str, ...],
    filters: Filters,
    event_type: str,
    data: dict[str, Any],
    expected: bool,
) -> None:
    assert matches(events, filters, event_type, data) is expected, name


def test_filters_round_trip() -> None:
    f = Filters(briefings=("b",), keywords=("k",), min_sources=2)
    assert Filters.from_dict(json.loads(json.dumps(f.to_dict()))) == f


def test_payload_keeps_only_documented_fields() -> None:
    data = {"story": {**story(), "internal_score": 0.7}, "debug": True}
    data["story"]["sources"][0]["feed_id"] = "abc"
    body = json.loads(build_body("1-0", "story.created", "2026-11-01T12:00:00Z", data))
    assert set(body) == {"type", "timestamp", "version", "event_id", "data"}
    assert set(body["data"]) == {"story"}
    assert "internal_score" not in body["data"]["story"]
    assert "feed_id" not in body["data"]["story"]["sources"][0]


def test_a_merge_payload_names_the_absorbed_stories() -> None:
    data = {"story": story("st_old"), "absorbed": ["st_new"], "internal": 1}
    body = json.loads(build_body("1-0", "story.merged", "2026-11-01T12:00:00Z", data))
    assert body["type"] == "story.merged"
    assert body["data"]["absorbed"] == ["st_new"] and body["data"]["story"]["id"] == "st_old"
    assert set(body["data"]) == {"story", "absorbed"}
    # Filters select merges as they select the story's other events.
    assert matches(["story.merged"], Filters(briefings=("ukraine",)), "story.merged", data)
    assert not matches(["story.merged"], Filters(briefings=("world",)), "story.merged", data)
    assert not matches(["story.created"], Filters(), "story.merged", data)


@pytest.mark.parametrize(
    ("events", "event_type", "expected"),
    [
        (("story.created", "story.updated"), "story.merged", "story.updated"),
        (("story.updated",), "story.merged", "story.updated"),
        (("story.merged",), "story.merged", "story.merged"),
        (ALL, "story.merged", "story.merged"),  # never both for one merge
        (("story.created", "feed.failing"), "story.merged", None),
        (("story.merged",), "story.updated", None),  # an update is no merge
        (("story.created",), "story.created", "story.created"),
    ],
)
def test_a_merge_is_sent_as_story_updated_to_subscriptions_without_story_merged(
    events: tuple[str, ...], event_type: str, expected: str | None
) -> None:
    assert delivered_as(events, event_type) == expected


def test_a_merge_sent_as_story_updated_is_filtered_and_shaped_as_the_survivor() -> None:
    survivor = story(
        "st_old", sources=[{"outlet": n, "url": f"https://{n}.example/x"} for n in "ab"]
    )
    data = {"story": survivor, "absorbed": ["st_new"]}
    grows = ("story.created", "story.updated")
    assert matches(grows, Filters(min_sources=2), "story.merged", data)
    assert not matches(grows, Filters(min_sources=3), "story.merged", data)
    body = json.loads(build_body("1-0", "story.updated", "2026-11-01T12:00:00Z", data))
    assert body["type"] == "story.updated" and body["event_id"] == "1-0"
    assert body["data"] == {"story": survivor, "absorbed": ["st_new"]}
    # An update that is no merge has no absorbed stories to name.
    plain = json.loads(
        build_body("1-1", "story.updated", "2026-11-01T12:00:00Z", {"story": survivor})
    )
    assert set(plain["data"]) == {"story"}


async def test_each_subscription_sees_exactly_what_its_filters_select(
    store: Any,
    subs: SubscriptionStore,
    receiver: Receiver,
    clock: FakeClock,
    make_stage: StageFactory,
) -> None:
    plans = {
        "/all": (ALL, Filters()),
        "/created": (("story.created",), Filters()),
        "/failing": (("feed.failing",), Filters()),
        "/kharkiv": (ALL, Filters(places=("Kharkiv",))),
        "/german": (ALL, Filters(languages=("de",))),
        "/big": (("story.created", "story.updated"), Filters(min_sources=3)),
    }
    for path, (events, filters) in plans.items():
        await subscribe(subs, receiver, clock, path=path, events=events, filters=filters)
    odesa = story("odesa", places=["Odesa"], headline="Port of Odesa reopens")
    german = story(
        "de",
        languages=["de"],
        places=["Berlin"],
        sources=[{"outlet": n, "language": "de", "url": f"https://{n}.de/x"} for n in "abc"],
    )
    sent = {
        await emit(store, "story.created", {"story": story()}, clock): "kharkiv-created",
        await emit(store, "story.updated", {"story": story()}, clock): "kharkiv-updated",
        await emit(store, "story.created", {"story": odesa}, clock): "odesa-created",
        await emit(store, "story.updated", {"story": german}, clock): "german-updated",
        await emit(store, "feed.failing", FAILING, clock): "failing",
    }
    await pump(make_stage())

    seen = {path: sorted(sent[r.json["event_id"]] for r in receiver.on(path)) for path in plans}
    assert all(r.problem is None for r in receiver.received)
    assert seen == {
        "/all": sorted(sent.values()),
        "/created": ["kharkiv-created", "odesa-created"],
        "/failing": ["failing"],
        "/kharkiv": ["failing", "kharkiv-created", "kharkiv-updated"],
        "/german": ["failing", "german-updated"],
        "/big": ["german-updated"],
    }
