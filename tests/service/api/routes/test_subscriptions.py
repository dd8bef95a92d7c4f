"""The webhook API over ASGI against a real Redis: auth, validation, lifecycle."""

from __future__ import annotations

import asyncio
import base64
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from service.api.app import create_app
from service.settings import Settings
from service.store import Store, codec, deliveries
from service.store.apikeys import create_api_key
from service.store.deliveries import delivery_id_for
from service.store.subscriptions import Subscription, SubscriptionStore
from tests.factories import story_data as story
from tests.support.live_server import serve
from tests.support.webhook_receiver import Receiver, Reply
from tests.support.webhooks import FakeClock, StageFactory, emit, pump, subscribe

ADMIN = "admin-key-from-the-environment"
AUTH = {"Authorization": f"Bearer {ADMIN}"}
Client = Callable[..., httpx.AsyncClient]


@pytest.fixture
async def api(store: Store, tmp_path: Path) -> AsyncIterator[Client]:
    clients: list[httpx.AsyncClient] = []

    def make(*, allow_private: bool = True) -> httpx.AsyncClient:
        settings = Settings(data_dir=tmp_path, admin_key=ADMIN, allow_private_targets=allow_private)
        transport = httpx.ASGITransport(app=create_app(settings, store))
        client = httpx.AsyncClient(transport=transport, base_url="http://test")
        clients.append(client)
        return client

    yield make
    for client in clients:
        await client.aclose()


NEW = {"url": "http://127.0.0.1:9/hook", "events": ["story.created"], "description": "desk"}


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {ADMIN}"}],
    ids=["missing", "wrong key", "not bearer"],
)
async def test_admin_key_is_required(api: Client, headers: dict[str, str]) -> None:
    r = await api().get("/v1/subscriptions", headers=headers)
    assert r.status_code == 401
    assert r.headers["content-type"].startswith("application/problem+json")
    assert r.headers["www-authenticate"].startswith("Bearer")
    # RFC 6750 §3.1: an error code only for a key sent and refused, none without a key.
    invalid = 'error="invalid_token"' in r.headers["www-authenticate"]
    assert invalid == (headers.get("Authorization") == "Bearer wrong")


async def test_created_keys_work_and_are_stored_hashed(api: Client, store: Store) -> None:
    key = await create_api_key(store, "desk")
    r = await api().get("/v1/subscriptions", headers={"Authorization": f"Bearer {key}"})
    assert r.status_code == 200
    stored = await store.redis.hgetall(store.keys.api_keys)
    assert len(stored) == 1 and key not in str(stored)


async def test_a_new_subscription_is_at_its_location(api: Client) -> None:
    """RFC 9110 §15.3.2: a 201 names what it created in ``Location``; without one it
    would name its target, the list."""
    created = await api().post("/v1/subscriptions", json=NEW, headers=AUTH)
    assert created.status_code == 201
    location = created.headers["location"]
    assert location == f"/v1/subscriptions/{created.json()['id']}"
    shown = await api().get(location, headers=AUTH)
    assert shown.status_code == 200 and shown.json()["id"] == created.json()["id"]


async def test_private_targets_are_refused_naming_the_field(api: Client) -> None:
    r = await api(allow_private=False).post("/v1/subscriptions", json=NEW, headers=AUTH)
    assert r.status_code == 400
    assert r.json()["detail"].startswith("url:")


@pytest.mark.parametrize(
    "body",
    [
        {**NEW, "events": []},
        {**NEW, "events": ["story.deleted"]},
        {**NEW, "filters": {"min_sources": -1}},
        {**NEW, "filters": {"colour": ["red"]}},
        {"events": ["story.created"]},
    ],
    ids=["no events", "unknown event", "negative min_sources", "unknown filter", "no url"],
)
async def test_bad_input_is_a_4xx_problem(api: Client, body: dict[str, object]) -> None:
    r = await api().post("/v1/subscriptions", json=body, headers=AUTH)
    assert r.status_code == 422
    assert r.json()["errors"]


async def test_subscription_lifecycle(api: Client, store: Store) -> None:
    client = api()
    body = {**NEW, "filters": {"briefing": "ukraine", "keywords": ["drone"], "min_sources": 2}}
    r = await client.post("/v1/subscriptions", json=body, headers=AUTH)
    assert r.status_code == 201, r.text
    created = r.json()
    sub_id, secret = created["id"], created["secret"]
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"))) == 32
    assert created["filters"]["briefings"] == ["ukraine"]

    # A Redis dump alone holds no usable secret.
    dump = [await store.redis.hgetall(store.keys.subscription(sub_id))]
    assert secret not in str(dump)

    got = (await client.get(f"/v1/subscriptions/{sub_id}", headers=AUTH)).json()
    assert "secret" not in got and got["status"] == "active"

    r = await client.patch(
        f"/v1/subscriptions/{sub_id}",
        json={"events": ["story.updated", "feed.failing"], "enabled": False},
        headers=AUTH,
    )
    assert r.status_code == 200
    assert r.json()["events"] == ["story.updated", "feed.failing"]
    assert r.json()["status"] == "disabled"
    assert r.json()["disabled_reason"]
    r = await client.post(f"/v1/subscriptions/{sub_id}/ping", headers=AUTH)
    assert r.status_code == 409
    r = await client.patch(f"/v1/subscriptions/{sub_id}", json={"enabled": True}, headers=AUTH)
    assert r.json()["status"] == "active" and r.json()["disabled_reason"] is None

    r = await client.post(f"/v1/subscriptions/{sub_id}/rotate-secret", headers=AUTH)
    assert r.status_code == 200
    assert r.json()["secret"] != secret
    got = (await client.get(f"/v1/subscriptions/{sub_id}", headers=AUTH)).json()
    assert got["previous_secret_valid_until"] == r.json()["previous_secret_valid_until"]

    r = await client.post(f"/v1/subscriptions/{sub_id}/ping", headers=AUTH)
    assert r.status_code == 202
    delivery_id = r.json()["id"]
    log = (await client.get(f"/v1/subscriptions/{sub_id}/deliveries", headers=AUTH)).json()
    assert [d["id"] for d in log["items"]] == [delivery_id]
    assert log["items"][0]["type"] == "subscription.ping"
    assert log["items"][0]["status"] == "pending"
    r = await client.post(f"/v1/deliveries/{delivery_id}/redeliver", headers=AUTH)
    assert r.status_code == 409  # still pending

    listed = (await client.get("/v1/subscriptions", headers=AUTH)).json()
    assert [s["id"] for s in listed["items"]] == [sub_id]

    assert (await client.delete(f"/v1/subscriptions/{sub_id}", headers=AUTH)).status_code == 204
    assert (await client.get(f"/v1/subscriptions/{sub_id}", headers=AUTH)).status_code == 404
    assert (await client.delete(f"/v1/subscriptions/{sub_id}", headers=AUTH)).status_code == 404
    # Its deliveries went with it, in the same step.
    r = await client.post(f"/v1/deliveries/{delivery_id}/redeliver", headers=AUTH)
    assert r.status_code == 404
    assert await store.redis.zcard(store.keys.due_endpoints) == 0


async def test_delivery_log_pages_without_gaps_or_repeats(api: Client) -> None:
    client = api()
    sub_id = (await client.post("/v1/subscriptions", json=NEW, headers=AUTH)).json()["id"]
    sent = [
        (await client.post(f"/v1/subscriptions/{sub_id}/ping", headers=AUTH)).json()["id"]
        for _ in range(5)
    ]
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (
            await client.get(f"/v1/subscriptions/{sub_id}/deliveries", params=params, headers=AUTH)
        ).json()
        seen += [d["id"] for d in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(sent) and len(seen) == 5


async def test_unknown_ids_are_404(api: Client) -> None:
    client = api()
    assert (await client.get("/v1/subscriptions/sub_00", headers=AUTH)).status_code == 404
    r = await client.post("/v1/deliveries/msg_00/redeliver", headers=AUTH)
    assert r.status_code == 404
    assert (await client.get("/v1/subscriptions/nope", headers=AUTH)).status_code == 422


# urlsplit (the SSRF check's parser) drops tabs and newlines anywhere and leading spaces
# (WHATWG URL); httpx, which builds the delivery, refuses them or makes the URL relative.
@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/ho\tok",
        "http://127.0.0.1:9/hook\r\nX-Injected: 1",
        "http://127.0.0.1:9/ho\nok",
        "http://127.0.\t0.1:9/hook",
        " http://127.0.0.1:9/hook",
        "http://127.0.0.1:9/hook\x00",
        "http://127.0.0.1:9/hook\x7f",
    ],
    ids=["tab", "crlf", "lf", "tab in host", "leading space", "nul", "del"],
)
async def test_a_url_with_control_characters_is_422_naming_the_field_on_a_real_socket(
    store: Store, tmp_path: Path, url: str
) -> None:
    settings = Settings(data_dir=tmp_path, admin_key=ADMIN, allow_private_targets=True)
    app = create_app(settings, store)
    async with serve(app) as base, httpx.AsyncClient(base_url=base, timeout=10) as client:
        r = await client.post("/v1/subscriptions", json={**NEW, "url": url}, headers=AUTH)
        assert r.status_code == 422, r.text
        assert r.headers["content-type"] == "application/problem+json"
        assert [e["field"] for e in r.json()["errors"]] == ["url"]
        assert (await client.get("/v1/subscriptions", headers=AUTH)).json()["items"] == []

        created = await client.post("/v1/subscriptions", json=NEW, headers=AUTH)
        sub_id = created.json()["id"]
        r = await client.patch(f"/v1/subscriptions/{sub_id}", json={"url": url}, headers=AUTH)
        assert r.status_code == 422, r.text
        assert [e["field"] for e in r.json()["errors"]] == ["url"]
        got = await client.get(f"/v1/subscriptions/{sub_id}", headers=AUTH)
        assert got.json()["url"] == NEW["url"]


async def test_patch_and_delete_meet_their_preconditions(api: Client) -> None:
    # RFC 9110 §13.1.1-2: a subscription has no ETag, so If-Match with a tag matches
    # nothing and If-None-Match: * fails on one that exists.
    client = api()
    sub_id = (await client.post("/v1/subscriptions", json=NEW, headers=AUTH)).json()["id"]
    url = f"/v1/subscriptions/{sub_id}"
    for condition in ({"If-Match": '"a-tag"'}, {"If-None-Match": "*"}):
        headers = {**AUTH, **condition}
        patched = await client.patch(url, json={"description": "lost"}, headers=headers)
        deleted = await client.delete(url, headers=headers)
        assert (patched.status_code, deleted.status_code) == (412, 412), condition
        assert patched.json()["type"].endswith("/precondition-failed")
    assert (await client.get(url, headers=AUTH)).json()["description"] == "desk"
    kept = await client.patch(url, json={"description": "night"}, headers={**AUTH, "If-Match": "*"})
    assert kept.status_code == 200 and kept.json()["description"] == "night"
    assert (await client.delete(url, headers={**AUTH, "If-Match": "*"})).status_code == 204
    assert (await client.delete(url, headers={**AUTH, "If-Match": "*"})).status_code == 404


FAILING = ({"If-Match": '"a-tag"'}, {"If-None-Match": "*"})


async def test_a_create_meets_the_lists_preconditions(api: Client, store: Store) -> None:
    """RFC 9110 §13.1: a POST's target is the list, which exists and has no ETag: a tag
    in If-Match matches nothing, If-None-Match: * fails, before the URL is judged
    (§13.2.1: a refused target would be a 400); If-Match: * and a tag in If-None-Match
    hold."""
    client = api(allow_private=False)
    for condition in FAILING:
        refused = await client.post("/v1/subscriptions", json=NEW, headers={**AUTH, **condition})
        assert refused.status_code == 412, condition
        assert refused.json()["type"].endswith("/precondition-failed")
        assert "the subscription list" in refused.json()["detail"]
    assert (await client.get("/v1/subscriptions", headers=AUTH)).json()["items"] == []
    client = api()
    for condition in ({"If-Match": "*"}, {"If-None-Match": '"a-tag"'}):
        made = await client.post("/v1/subscriptions", json=NEW, headers={**AUTH, **condition})
        assert made.status_code == 201, condition
    assert len((await client.get("/v1/subscriptions", headers=AUTH)).json()["items"]) == 2


async def test_actions_meet_their_preconditions(
    api: Client,
    store: Store,
    subs: SubscriptionStore,
    receiver: Receiver,
    clock: FakeClock,
    make_stage: StageFactory,
) -> None:
    # RFC 9110 §13.1.1: rotate-secret, ping and redeliver change state, so they evaluate
    # If-Match / If-None-Match on the subscription (delivery) they act on: it has no ETag,
    # so a tag matches nothing and If-None-Match: * fails on one that exists.
    client = api()
    sub = await subscribe(subs, receiver, clock)
    event_id = await emit(store, "story.created", {"story": story()}, clock)
    await pump(make_stage())
    delivery_id = delivery_id_for(sub.id, event_id)
    actions = (f"/v1/subscriptions/{sub.id}/rotate-secret", f"/v1/subscriptions/{sub.id}/ping",
               f"/v1/deliveries/{delivery_id}/redeliver")  # fmt: skip
    for path in actions:
        for condition in FAILING:
            refused = await client.post(path, headers={**AUTH, **condition})
            assert refused.status_code == 412, (path, condition, refused.text)
            assert refused.json()["type"].endswith("/precondition-failed")
    # Nothing was done: no rotation, no ping queued, the delivery still finished.
    assert (await subs.get(sub.id)) == sub
    log = (await client.get(f"/v1/subscriptions/{sub.id}/deliveries", headers=AUTH)).json()
    assert [(d["id"], d["status"]) for d in log["items"]] == [(delivery_id, "succeeded")]
    for path, status in zip(actions, (200, 202, 202), strict=True):
        done = await client.post(path, headers={**AUTH, "If-Match": "*"})
        assert done.status_code == status, (path, done.text)
    # A request that is a 404 or a 409 without preconditions stays one (§13.2.1).
    pending = await client.post(actions[2], headers={**AUTH, "If-None-Match": "*"})
    assert pending.status_code == 409, pending.text
    missing = await client.post("/v1/subscriptions/sub_00/ping", headers={**AUTH, **FAILING[1]})
    assert missing.status_code == 404


async def test_a_redelivery_whose_body_is_gone_is_a_410_and_nothing_is_queued(
    api: Client,
    store: Store,
    subs: SubscriptionStore,
    receiver: Receiver,
    clock: FakeClock,
    make_stage: StageFactory,
) -> None:
    """A finished delivery's record can outlive its body (one stored before bodies lived
    as long as their records, one a volatile maxmemory policy evicted): its redelivery is
    refused in words, not answered 202 and then failed as expired."""
    client = api()
    sub = await subscribe(subs, receiver, clock)
    event_id = await emit(store, "story.created", {"story": story()}, clock)
    stage = make_stage()
    await pump(stage)
    delivery_id = delivery_id_for(sub.id, event_id)
    log_url = f"/v1/subscriptions/{sub.id}/deliveries"
    before = (await client.get(log_url, headers=AUTH)).json()
    await store.redis.delete(store.keys.webhook_body(event_id))

    # A 410 without preconditions stays one (RFC 9110 §13.2.1), as a 404 or a 409 does.
    for headers in (AUTH, {**AUTH, **FAILING[1]}):
        r = await client.post(f"/v1/deliveries/{delivery_id}/redeliver", headers=headers)
        assert r.status_code == 410, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["type"].endswith("/delivery-body-expired")
    assert r.json()["detail"] == (
        f"delivery {delivery_id} can no longer be sent: its body is no longer stored "
        "(expired or evicted)"
    )
    await pump(stage)
    assert len(receiver.received) == 1
    assert (await client.get(log_url, headers=AUTH)).json() == before


async def test_a_delivery_outliving_its_deleted_subscription_is_a_404_to_redeliver(
    api: Client,
    store: Store,
    subs: SubscriptionStore,
    receiver: Receiver,
    clock: FakeClock,
    make_stage: StageFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A finished delivery out of the log is not removed by the delete (it expires on
    its own); to the API it is gone with its subscription, preconditions or not."""
    monkeypatch.setattr(deliveries, "LOG_KEPT", 1)
    client = api()
    sub = await subscribe(subs, receiver, clock)
    stage = make_stage()
    first = await emit(store, "story.created", {"story": story()}, clock)
    await pump(stage)
    clock.advance(1)  # the log orders by the time queued
    await emit(store, "story.created", {"story": story("s2")}, clock)
    await pump(stage)
    assert (await client.delete(f"/v1/subscriptions/{sub.id}", headers=AUTH)).status_code == 204
    outlived = delivery_id_for(sub.id, first)
    assert await store.redis.exists(store.keys.delivery(outlived))

    for headers in (AUTH, {**AUTH, **FAILING[1]}):
        r = await client.post(f"/v1/deliveries/{outlived}/redeliver", headers=headers)
        assert r.status_code == 404, r.text
    assert not await store.redis.exists(store.keys.due_deliveries(sub.id))


async def test_a_change_racing_a_delete_leaves_no_half_subscription(
    api: Client, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Another client deletes the subscription just after the route read it: the write
    # that follows must find it gone (404), not write its fields into a new hash.
    client = api()
    created = [(await client.post("/v1/subscriptions", json=NEW, headers=AUTH)).json()["id"]
               for _ in range(2)]  # fmt: skip
    deleted_by_another = SubscriptionStore.delete
    read = SubscriptionStore.get

    async def read_then_deleted(self: SubscriptionStore, sub_id: str) -> Subscription | None:
        sub = await read(self, sub_id)
        await deleted_by_another(self, sub_id)
        return sub

    monkeypatch.setattr(SubscriptionStore, "get", read_then_deleted)
    patched = await client.patch(
        f"/v1/subscriptions/{created[0]}", json={"enabled": True, "description": "x"}, headers=AUTH
    )
    rotated = await client.post(f"/v1/subscriptions/{created[1]}/rotate-secret", headers=AUTH)
    monkeypatch.undo()
    assert (patched.status_code, rotated.status_code) == (404, 404), (patched.text, rotated.text)
    for sub_id in created:
        assert not await store.redis.exists(store.keys.subscription(sub_id))
        assert (await client.get(f"/v1/subscriptions/{sub_id}", headers=AUTH)).status_code == 404


async def test_concurrent_changes_of_different_fields_both_stay(
    api: Client, subs: SubscriptionStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two PATCHes at once, one of the description, one of the events: neither may write
    # back the other's field as it read it before the other's write.
    client = api()
    sub_id = (await client.post("/v1/subscriptions", json=NEW, headers=AUTH)).json()["id"]
    update = SubscriptionStore.update
    read = SubscriptionStore.get
    reads = 0

    async def read_then_another_patch(self: SubscriptionStore, sub: str) -> Subscription | None:
        nonlocal reads
        got = await read(self, sub)
        reads += 1
        if reads == 2:
            await update(self, sub, now=datetime.now(UTC), description="theirs")
        return got

    monkeypatch.setattr(SubscriptionStore, "get", read_then_another_patch)
    ours = await client.patch(
        f"/v1/subscriptions/{sub_id}", json={"events": ["story.updated"]}, headers=AUTH
    )
    monkeypatch.undo()
    assert ours.status_code == 200, ours.text
    stored = await subs.get(sub_id)
    assert stored is not None
    assert (stored.events, stored.description) == (("story.updated",), "theirs")


async def test_deliveries_whose_bodies_expired_while_disabled_fail_in_words_when_re_enabled(
    store: Store, tmp_path: Path, clock: FakeClock, make_stage: StageFactory
) -> None:
    """A subscription disabled for longer than the retention (a second here) and then
    re-enabled, through the service on a real socket: what it had queued is not sent (the
    retention is a promise not to keep what it sends longer); each such delivery is
    failed with an attempt that says why, its redelivery is a 410, and the endpoint is not
    counted as failing for it."""
    answer = Reply(503)
    receiver = Receiver(clock=clock, reply=lambda _r: answer)
    settings = Settings(data_dir=tmp_path, admin_key=ADMIN, allow_private_targets=True)
    await receiver.start()
    try:
        async with (
            serve(create_app(settings, store)) as base,
            httpx.AsyncClient(base_url=base, timeout=10) as client,
        ):
            new = {"url": receiver.url(), "events": ["story.created"]}
            created = (await client.post("/v1/subscriptions", json=new, headers=AUTH)).json()
            receiver.secrets.append(created["secret"])
            sub_url = f"/v1/subscriptions/{created['id']}"
            stage = make_stage(retention_seconds=1)
            event_id = await emit(store, "story.created", {"story": story()}, clock)
            await pump(stage)  # answered 503: due again in 5 s
            disabled = await client.patch(sub_url, json={"enabled": False}, headers=AUTH)
            assert disabled.json()["status"] == "disabled"
            body_key = store.keys.webhook_body(event_id)
            await asyncio.sleep((await store.redis.pttl(body_key) + 10) / 1000)  # Redis's clock
            assert not await store.redis.exists(body_key)

            answer = Reply(204)
            enabled = await client.patch(sub_url, json={"enabled": True}, headers=AUTH)
            assert enabled.json()["status"] == "active"
            clock.advance(10)
            await pump(stage)

            [delivery] = (await client.get(f"{sub_url}/deliveries", headers=AUTH)).json()["items"]
            again = await client.post(f"/v1/deliveries/{delivery['id']}/redeliver", headers=AUTH)
            shown = (await client.get(sub_url, headers=AUTH)).json()
    finally:
        await receiver.stop()

    assert [r.webhook_id for r in receiver.received] == [delivery_id_for(created["id"], event_id)]
    assert delivery["status"] == "failed" and delivery["next_attempt"] is None
    sent, expired = delivery["attempts"]
    assert sent["status_code"] == 503
    assert expired["status_code"] is None and expired["latency_ms"] == 0
    assert expired["error"] == deliveries.EXPIRED_ATTEMPT
    assert codec.parse_iso(expired["at"]) == clock()
    assert again.status_code == 410
    assert again.json()["type"].endswith("/delivery-body-expired")
    assert (shown["status"], shown["failing_since"]) == ("active", None)
