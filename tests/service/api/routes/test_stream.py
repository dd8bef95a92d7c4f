"""The SSE stream on a real uvicorn socket: live events, resume with Last-Event-ID,
heartbeats, and frames that carry each story as read from its reference (the event hub's
own tests: tests/service/api/test_event_hub.py)."""

from __future__ import annotations

import asyncio
import dataclasses
import json
import socket
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest

from service.api.app import create_app
from service.api.event_hub import HEARTBEAT, EventHub
from service.api.routes import stream as stream_route
from service.models import Story
from service.settings import Settings
from service.store import Store
from service.store.events import STORY_EVENTS, encode_data
from service.store.stories import StoryBatch, story_payload
from service.store.trim import trim_to
from tests.factories import feed_failing, make_story, save_story
from tests.support.live_server import serve
from tests.support.lost_cancellation import LosingOneCancellation
from tests.support.newsroom import CONFIG, NOW, Newsroom, rss
from tests.support.sse import Message, messages


def breaking(n: int, headline: str) -> bytes:
    return rss(
        f"Desk {n}", [(headline, f"https://desk{n}.example/{n}", NOW - timedelta(minutes=n))]
    )


@pytest.fixture
async def base_url(store: Store) -> AsyncIterator[str]:
    app = create_app(Settings(page_staleness=0), store, CONFIG, version_ttl=0, sse_heartbeat=0.3)
    async with serve(app) as url:
        yield url


async def next_event(stream: AsyncIterator[Message], *, heartbeats: list[Message] | None = None
                     ) -> Message:  # fmt: skip
    async for message in stream:
        if message.comment:
            if heartbeats is not None:
                heartbeats.append(message)
            continue
        return message
    raise AssertionError("stream ended")


async def test_live_events_then_resume_with_last_event_id(bbc: Newsroom, base_url: str) -> None:
    url = f"{base_url}/v1/briefings/ukraine/stream"
    async with httpx.AsyncClient(timeout=10) as client:
        async with client.stream("GET", url) as response:
            assert response.status_code == 200
            assert response.headers["content-type"].startswith("text/event-stream")
            stream = messages(response)
            heartbeats: list[Message] = []
            await next_event_after_connect(stream)
            await bbc.publish(breaking(1, "Drone attack on Kyiv power plant"))
            created = await next_event(stream, heartbeats=heartbeats)
            assert created.event == "story.created"
            assert created.json()["story"]["headline"] == "Drone attack on Kyiv power plant"
            assert created.id is not None
            # Idle: the server keeps the connection alive with comments.
            heartbeat = await anext(stream)
            assert heartbeat.comment and heartbeat.data == "heartbeat"

        # While we are away: a story outside the briefing, then two inside it.
        await bbc.publish(breaking(2, "Stock markets close higher in Tokyo"))
        await bbc.publish(breaking(3, "Ukraine says Kherson bridge repaired"))
        await bbc.publish(breaking(4, "Russia reports drone strikes near Belgorod"))

        headers = {"Last-Event-ID": created.id}
        async with client.stream("GET", url, headers=headers) as response:
            stream = messages(response)
            missed = [await next_event(stream), await next_event(stream)]
            headlines = [m.json()["story"]["headline"] for m in missed]
            assert headlines == [
                "Ukraine says Kherson bridge repaired",
                "Russia reports drone strikes near Belgorod",
            ]
            assert all(m.event == "story.created" for m in missed)
            ids = [created.id, *(m.id for m in missed)]
            assert ids == sorted(ids, key=lambda i: tuple(map(int, i.split("-"))))
            # And live again after the catch-up, with nothing repeated.
            await bbc.publish(breaking(5, "Kyiv metro reopens after air raid"))
            live = await next_event(stream)
            assert live.json()["story"]["headline"] == "Kyiv metro reopens after air raid"


async def next_event_after_connect(stream: AsyncIterator[Message]) -> None:
    """The first block is the ``retry`` + ``connected`` preamble (a comment)."""
    first = await anext(stream)
    assert first.comment and first.data == "connected"


async def test_the_response_is_an_uncached_utf8_event_stream_that_sets_retry(
    base_url: str,
) -> None:
    """WHATWG HTML §9.2: the type is text/event-stream, always UTF-8 (§9.2.5); ``retry:``
    sets the reconnection time (§9.2.6). No cache may store an endless response (RFC 9111
    §5.2.2.5 no-store), no proxy compress it (§5.2.2.6 no-transform: a compressing proxy
    holds events back) and a buffering proxy (nginx) must pass events on at once."""
    async with (
        httpx.AsyncClient(timeout=10) as client,
        client.stream("GET", f"{base_url}/v1/briefings/world/stream") as response,
    ):
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/event-stream; charset=utf-8"
        assert response.headers["cache-control"] == "no-store, no-transform"
        assert response.headers["x-accel-buffering"] == "no"
        lines = response.aiter_lines()
        assert [await anext(lines) for _ in range(3)] == ["retry: 3000", ": connected", ""]


async def test_bad_last_event_id_and_unknown_briefing(base_url: str) -> None:
    async with httpx.AsyncClient(timeout=10) as client:
        bad = await client.get(
            f"{base_url}/v1/briefings/world/stream", headers={"Last-Event-ID": "yesterday"}
        )
        assert bad.status_code == 400 and bad.json()["detail"].startswith("Last-Event-ID:")
        missing = await client.get(f"{base_url}/v1/briefings/nope/stream")
        assert missing.status_code == 404


@pytest.mark.parametrize(
    "resume",
    [
        "99999999999999999999-0",
        "18446744073709551616-0",
        "0-18446744073709551616",
        "18446744073709551615-18446744073709551615",
        "١٢-٠",
    ],
)
async def test_an_event_id_outside_redis_range_is_400_before_the_stream_opens(
    base_url: str, resume: str
) -> None:
    url = f"{base_url}/v1/briefings/world/stream"
    async with httpx.AsyncClient(timeout=10) as client:
        for request in (
            client.build_request("GET", url, headers={"Last-Event-ID": resume.encode()}),
            client.build_request("GET", url, params={"last_event_id": resume}),
        ):
            response = await client.send(request, stream=True)
            try:
                assert response.status_code == 400
                assert response.headers["content-type"] == "application/problem+json"
                body = json.loads(await response.aread())
                assert body["detail"].startswith("Last-Event-ID:")
            finally:
                await response.aclose()


async def test_a_last_event_id_past_the_newest_event_gets_a_reset_then_live_events(
    bbc: Newsroom, base_url: str
) -> None:
    """An id this stream never sent (another deployment's, a made-up one) is not a
    position to resume after: the client is told to reload the timeline, then gets the
    live events from its connection on."""
    url = f"{base_url}/v1/briefings/ukraine/stream"
    await bbc.publish(breaking(1, "Drone attack on Kyiv power plant"))
    headlines = (
        "Kyiv metro reopens after air raid",
        "Ukraine says Kherson bridge repaired",
        "Odesa port resumes grain shipments to Ukraine",
    )
    async with httpx.AsyncClient(timeout=10) as client:
        for n, headline in enumerate(headlines, 2):
            [(newest, _)] = await bbc.store.redis.xrevrange(bbc.store.keys.events_stream, count=1)
            ms, seq = (int(part) for part in str(newest).split("-"))
            future = (f"{ms + 86_400_000}-0", f"{ms}-{seq + 1}", "99999999999999-0")[n - 2]
            async with client.stream("GET", url, headers={"Last-Event-ID": future}) as response:
                assert response.status_code == 200
                stream = messages(response)
                await next_event_after_connect(stream)
                reset = await next_event(stream)
                assert (reset.event, reset.id) == ("reset", str(newest))
                assert reset.json() == {"reason": "since-unknown", "reload": "timeline"}
                await bbc.publish(breaking(n, headline))
                # Heartbeats keep a stream that holds the event back open: bound the wait.
                live = await asyncio.wait_for(next_event(stream), timeout=10)
                assert live.event == "story.created"
                assert live.json()["story"]["headline"] == headline


async def test_a_last_event_id_older_than_the_retained_events_gets_a_reset_first(
    bbc: Newsroom, base_url: str
) -> None:
    """Events the client never saw were trimmed (past ``BRIEFING_EVENTS_RETENTION``): no
    replay can fill the gap, so the stream says so before anything else with a ``reset``
    event (the timeline's ``since`` answers 410 ``since-too-old`` in that case). Its id is
    the newest event's: a client that reconnects with it resumes without another reset."""
    url = f"{base_url}/v1/briefings/ukraine/stream"
    events = bbc.store.keys.events_stream
    await bbc.publish(breaking(1, "Drone attack on Kyiv power plant"))
    [(seen, _)] = await bbc.store.redis.xrevrange(events, count=1)
    await bbc.publish(breaking(2, "Ukraine says Kherson bridge repaired"))  # missed
    await bbc.publish(breaking(3, "Russia reports drone strikes near Belgorod"))
    [(newest, _)] = await bbc.store.redis.xrevrange(events, count=1)
    await trim_to(bbc.store, events, str(newest), ceiling=10_000)  # keeps the newest only
    async with httpx.AsyncClient(timeout=10) as client:
        async with client.stream("GET", url, headers={"Last-Event-ID": str(seen)}) as response:
            stream = messages(response)
            await next_event_after_connect(stream)
            reset = await next_event(stream)
            assert (reset.event, reset.id) == ("reset", str(newest))
            assert reset.json() == {"reason": "since-too-old", "reload": "timeline"}
            await bbc.publish(breaking(4, "Kyiv metro reopens after air raid"))
            live = await asyncio.wait_for(next_event(stream), timeout=10)
            assert live.event == "story.created"
            assert live.json()["story"]["headline"] == "Kyiv metro reopens after air raid"
        async with client.stream("GET", url, headers={"Last-Event-ID": reset.id}) as response:
            stream = messages(response)
            await next_event_after_connect(stream)
            resumed = await asyncio.wait_for(next_event(stream), timeout=10)
            assert (resumed.event, resumed.id) == ("story.created", live.id)
        timeline = await client.get(
            f"{base_url}/v1/briefings/ukraine/timeline", params={"since": str(seen)}
        )
        assert timeline.status_code == 410
        assert timeline.json()["type"].endswith("/since-too-old")


async def test_a_reset_after_retention_emptied_the_stream_carries_the_last_id_given_out(
    bbc: Newsroom, base_url: str
) -> None:
    """Retention trims an idle stream to nothing; a reset's id is still the newest id
    the stream gave out (docs/api.md), not ``0-0``, which says "saw nothing"."""
    url = f"{base_url}/v1/briefings/ukraine/stream"
    events = bbc.store.keys.events_stream
    await bbc.publish(breaking(1, "Drone attack on Kyiv power plant"))
    [(seen, _)] = await bbc.store.redis.xrevrange(events, count=1)
    await bbc.publish(breaking(2, "Ukraine says Kherson bridge repaired"))  # missed
    [(newest, _)] = await bbc.store.redis.xrevrange(events, count=1)
    await bbc.store.redis.xtrim(events, maxlen=0, approximate=False)
    headers = {"Last-Event-ID": str(seen)}
    async with (
        httpx.AsyncClient(timeout=10) as client,
        client.stream("GET", url, headers=headers) as response,
    ):
        stream = messages(response)
        await next_event_after_connect(stream)
        reset = await next_event(stream)
        assert (reset.event, reset.id) == ("reset", str(newest))
        assert reset.json() == {"reason": "since-too-old", "reload": "timeline"}


async def heartbeat_at(stream: AsyncIterator[Message], event_id: str) -> Message:
    async for message in stream:
        if message.comment and message.id == event_id:
            return message
        assert message.comment, message  # nothing else is sent meanwhile
    raise AssertionError("stream ended")


async def test_heartbeats_carry_the_position_so_a_quiet_briefing_resumes_without_reset(
    bbc: Newsroom, base_url: str
) -> None:
    """A client's last event ID moves with its briefing's events only; retention trims
    the stream every briefing shares. Heartbeats carry the position the stream has been
    read to, so a client of a quiet briefing reconnects from an id still retained and
    gets its events with no ``reset``."""
    url = f"{base_url}/v1/briefings/ukraine/stream"
    events = bbc.store.keys.events_stream
    async with httpx.AsyncClient(timeout=10) as client:
        async with client.stream("GET", url) as response:
            stream = messages(response)
            await next_event_after_connect(stream)
            await bbc.publish(breaking(1, "Drone attack on Kyiv power plant"))
            seen = await next_event(stream)
            assert seen.event == "story.created"
            await bbc.publish(breaking(2, "Stock markets close higher in Tokyo"))  # not ours
            [(other, _)] = await bbc.store.redis.xrevrange(events, count=1)
            assert str(other) != seen.id
            beat = await asyncio.wait_for(heartbeat_at(stream, str(other)), timeout=10)
            assert beat.data == "heartbeat"
        await bbc.store.redis.xtrim(events, minid=str(other), approximate=False)  # seen's gone
        async with client.stream("GET", url, headers={"Last-Event-ID": str(beat.id)}) as again:
            stream = messages(again)
            await next_event_after_connect(stream)
            await bbc.publish(breaking(3, "Kyiv metro reopens after air raid"))
            live = await asyncio.wait_for(next_event(stream), timeout=10)
            assert live.event == "story.created"  # not a reset
            assert live.json()["story"]["headline"] == "Kyiv metro reopens after air raid"


async def test_a_client_that_stopped_reading_is_dropped_and_frees_its_slot(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its queue overflows while the response is blocked sending to it (TCP flow
    control): the response never looked at the flag again, and held its slot and
    subscription for as long as the client kept the connection open."""
    monkeypatch.setattr(stream_route, "DROP_GRACE", 0.1)
    app = create_app(Settings(), store, CONFIG, sse_heartbeat=60)
    hub, slots = app.state.event_hub, app.state.stream_slots
    hub.queue_size = 8
    async with serve(app) as base:
        host, port = base.removeprefix("http://").split(":")
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # and never read
        sock.connect((host, int(port)))
        sock.sendall(b"GET /v1/briefings/world/stream HTTP/1.1\r\nHost: x\r\n\r\n")
        try:
            while hub.subscribers == 0:  # noqa: ASYNC110 (the server's task subscribes)
                await asyncio.sleep(0.01)
            long_summary = "Kyiv " * 1000  # frames of ~6 KB fill the socket buffers soon
            n = 0
            while hub.subscribers and n < 2000:
                story = make_story(f"st_{n}", f"Headline {n}", briefings=("world",))
                await save_story(store, dataclasses.replace(story, summary=long_summary))
                n += 1
                await asyncio.sleep(0.005)
            assert hub.subscribers == 0, f"still subscribed after {n} events"
            assert slots.per_address("127.0.0.1") == 0
            sock.setblocking(False)
            received = b""
            while chunk := await asyncio.get_running_loop().sock_recv(sock, 65536):
                received += chunk  # what the buffers held, then the end of the connection
            assert received.startswith(b"HTTP/1.1 200 OK")
        finally:
            sock.close()


async def test_a_dropped_client_whose_catch_up_loses_its_cancellation_frees_its_slot(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A client dropped while its response reads the backlog (its queue overflows
    meanwhile) is cancelled after DROP_GRACE, once. If the catch-up's Redis read dropped
    that cancellation (tests/support/lost_cancellation.py), the response would go on to
    its next send, held as long as the client kept the connection, and with it its slot.
    Here what the read does next never ends alone: the response ends all the same, since
    under uvicorn (ASGI spec 2.3) Starlette streams the body in an anyio task group, whose
    cancel scope cancels the body again until it has ended."""
    monkeypatch.setattr(stream_route, "DROP_GRACE", 0.1)
    app = create_app(Settings(), store, CONFIG, sse_heartbeat=60)
    hub, slots = app.state.event_hub, app.state.stream_slots
    hub.queue_size = 8
    resume = await save_story(store, make_story("st_0", "Headline 0", briefings=("world",)))
    reading = asyncio.Event()

    async def read_that_does_not_return(*_args: object, **_kwargs: object) -> None:
        reading.set()
        await asyncio.Event().wait()

    monkeypatch.setattr(hub.log, "range_after", LosingOneCancellation(read_that_does_not_return))
    url = "/v1/briefings/world/stream"
    headers = {"Last-Event-ID": resume}
    async with (
        serve(app) as base,
        httpx.AsyncClient(base_url=base, timeout=10) as client,
        client.stream("GET", url, headers=headers) as response,
    ):
        assert response.status_code == 200
        await asyncio.wait_for(reading.wait(), 10)
        n = 1
        while hub.subscribers and n < 200:  # overflows the queue: the client is dropped
            await save_story(store, make_story(f"st_{n}", f"Headline {n}", briefings=("world",)))
            n += 1
            await asyncio.sleep(0.005)
        assert hub.subscribers == 0, f"still subscribed after {n} events"
        async with asyncio.timeout(30):
            while slots.per_address("127.0.0.1"):  # noqa: ASYNC110 (the server's task)
                await asyncio.sleep(0.01)
    assert hub.log.range_after.lost  # the response met a dropped cancellation


# --- events by reference (the stream holds story ids; frames carry the story as read) ---


def frame_data(story: Story) -> str:
    """What a frame's ``data:`` line has always been: the compact story payload."""
    return encode_data({"story": story_payload(story)})


async def test_reference_frames_keep_their_shape_and_skip_what_cannot_be_shown(
    store: Store, base_url: str
) -> None:
    url = f"{base_url}/v1/briefings/ukraine/stream"
    first = make_story("s1", "Drone attack on Kharkiv power plant")
    second = make_story("s2", "Kyiv metro reopens", outlets=("BBC", "DW", "Reuters"))
    async with httpx.AsyncClient(timeout=10) as client:
        async with client.stream("GET", url) as response:
            stream = messages(response)
            await next_event_after_connect(stream)
            first_id = await save_story(store, first)
            created = await next_event(stream)
            assert (created.id, created.event) == (first_id, "story.created")
            assert created.data == frame_data(first)
            # A story that no longer exists, a feed event, a story of another briefing,
            # then a live one.
            await store.redis.xadd(
                store.keys.events_stream,
                {"type": "story.updated", "story": "pruned", "briefings": "ukraine"},
            )
            await feed_failing(store, {"feed": {"url": "https://x.example/"}})
            await save_story(store, make_story("w1", "Elsewhere", briefings=("world",)))
            second_id = await save_story(store, second)
            live = [await next_event(stream)]
        assert [(m.id, m.event) for m in live] == [(second_id, "story.created")]
        assert live[0].data == frame_data(second)

        # Resume: the same frames, byte for byte, and nothing skipped live comes back.
        headers = {"Last-Event-ID": first_id}
        async with client.stream("GET", url, headers=headers) as response:
            stream = messages(response)
            await next_event_after_connect(stream)
            resumed = [await next_event(stream)]
        assert [(m.id, m.event, m.data) for m in resumed] == [(m.id, m.event, m.data) for m in live]

        # The documented change: a frame carries the story as it is when read, so an
        # event resumed after the story changed shows the newer state (never older).
        grown = dataclasses.replace(first, headline="Power restored in Kharkiv")
        await save_story(store, grown, "story.updated")
        headers = {"Last-Event-ID": "0-0"}
        async with client.stream("GET", url, headers=headers) as response:
            stream = messages(response)
            await next_event_after_connect(stream)
            again = await next_event(stream)
        assert (again.id, again.event) == (first_id, "story.created")
        assert again.data == frame_data(grown)


async def test_a_resume_after_a_merge_replays_the_absorbed_storys_events_as_the_survivor(
    store: Store, base_url: str
) -> None:
    older, newer = make_story("st_old"), make_story("st_new", outlets=("Ukrinform",))
    watermark = await save_story(store, older)
    newer_id = await save_story(store, newer)
    merged = dataclasses.replace(older, members=older.members + newer.members)
    batch = StoryBatch()
    batch.merge(merged, newer, new_briefings=(), now=NOW, stored=None)
    await store.stories.write_batch(batch, None)
    [(merge_id, _)] = await store.redis.xrevrange(store.keys.events_stream, count=1)

    url = f"{base_url}/v1/briefings/ukraine/stream"
    headers = {"Last-Event-ID": watermark}
    resumed: list[Message] = []
    async with (
        httpx.AsyncClient(timeout=10) as client,
        client.stream("GET", url, headers=headers) as response,
    ):
        stream = messages(response)
        await next_event_after_connect(stream)
        while not resumed or resumed[-1].id != merge_id:  # the merge comes last
            resumed.append(await next_event(stream))
    survivor = story_payload(merged)
    assert [(m.id, m.event, m.data) for m in resumed] == [
        (newer_id, "story.created", encode_data({"story": survivor, "merged_from": "st_new"})),
        (merge_id, "story.merged", encode_data({"story": survivor, "absorbed": ["st_new"]})),
    ]


async def test_the_openapi_document_describes_every_story_event() -> None:
    document = create_app(Settings()).openapi()
    ok = document["paths"]["/v1/briefings/{briefing_id}/stream"]["get"]["responses"]["200"]
    for word in (*STORY_EVENTS, '"absorbed"', '"merged_from"', "Last-Event-ID"):
        assert word in ok["description"], word
    example = ok["content"]["text/event-stream"]["example"]
    [frame] = [m async for m in messages(httpx.Response(200, text=example))]
    assert frame.event == "story.merged"
    assert set(json.loads(frame.data)) == {"story", "absorbed"}


async def test_the_hub_reads_stories_once_per_batch_not_once_per_client(store: Store) -> None:
    hub = EventHub(store.redis, store.keys, block_ms=100)
    subscriptions = [await hub.subscribe("ukraine") for _ in range(5)]
    await store.redis.config_resetstat()
    stories = [make_story(f"s{n}", f"Headline {n}") for n in range(20)]
    sent = [await save_story(store, s) for s in stories]
    for sub in subscriptions:
        got: list[str] = []
        while len(got) < len(sent):
            event = await asyncio.wait_for(sub.queue.get(), timeout=10)
            if event is not HEARTBEAT:
                assert event.data == frame_data(stories[len(got)])
                got.append(event.id)
        assert got == sent
    stats = await store.redis.info("commandstats")
    mgets = stats.get("cmdstat_mget", {}).get("calls", 0)
    xreads = stats["cmdstat_xread"]["calls"]
    # At most one story read per XREAD batch, whatever the number of clients.
    assert 1 <= mgets <= xreads
    for sub in subscriptions:
        await hub.unsubscribe(sub)


@pytest.mark.slow
async def test_heartbeats_arrive_with_the_default_settings_and_client(
    store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    """The shipped heartbeat (15 s) over the real Redis client's defaults (redis-py's socket
    timeout): an idle stream gets a heartbeat in time, and the hub's reads never time out."""
    assert store.redis.connection_pool.connection_kwargs.get("socket_timeout")  # the default
    app = create_app(Settings(), store, CONFIG)
    async with (
        serve(app) as url,
        httpx.AsyncClient(timeout=30) as client,
        client.stream("GET", f"{url}/v1/briefings/ukraine/stream") as response,
    ):
        stream = messages(response)
        await next_event_after_connect(stream)
        started = asyncio.get_running_loop().time()
        heartbeat = await asyncio.wait_for(anext(stream), timeout=25)
        waited = asyncio.get_running_loop().time() - started
    assert heartbeat.comment and heartbeat.data == "heartbeat"
    assert 10 < waited < 20
    assert "reading the events stream failed" not in caplog.text
