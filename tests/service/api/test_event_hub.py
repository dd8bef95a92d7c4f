"""The event hub of the SSE stream (service/api/event_hub.py) on a real Redis: one reader
per process, started and stopped with its subscribers, closed at shutdown, and a slow
subscriber dropped without holding the others."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

import httpx
import pytest

from service.api.event_hub import CLOSING, HEARTBEAT, EventHub, StreamEvent
from service.store import Store
from service.store.events import EventEntry
from tests.factories import make_story, save_story
from tests.support.redis_server import RedisServer
from tests.support.sse import messages


async def test_the_last_subscriber_leaving_at_once_stops_the_reader(store: Store) -> None:
    """A client that leaves right after subscribing, while the hub's reader sends its first
    read: the reader stops, and unsubscribing returns."""
    hub = EventHub(store.redis, store.keys, block_ms=100)
    for _ in range(5):
        sub = await hub.subscribe("world")
        await asyncio.wait_for(hub.unsubscribe(sub), 2)
    assert hub.subscribers == 0
    assert not [t for t in asyncio.all_tasks() if t.get_name() == "event-hub"]


async def test_close_ends_every_subscription_now_and_to_come(store: Store) -> None:
    """Server shutdown: each open stream's live loop wakes and ends; a stream that
    subscribes afterwards ends at once and starts no reader."""
    hub = EventHub(store.redis, store.keys, block_ms=100)
    waiting = await hub.subscribe("world")
    backlogged = await hub.subscribe("world")
    for _ in range(backlogged.queue_size):
        backlogged.queue.put_nowait(HEARTBEAT)
    hub.close()
    assert waiting.closed and await waiting.queue.get() is CLOSING
    assert backlogged.closed  # a full queue: its reader checks the flag before each get
    await hub.unsubscribe(waiting)
    await hub.unsubscribe(backlogged)
    late = await hub.subscribe("world")
    assert late.closed and hub.subscribers == 0


async def test_a_slow_subscriber_is_dropped_without_holding_the_others(store: Store) -> None:
    hub = EventHub(store.redis, store.keys, block_ms=100, queue_size=4)
    slow = await hub.subscribe("world")
    fast = await hub.subscribe("world")
    received: list[str] = []

    async def reader() -> None:
        while len(received) < 10:
            event = await fast.queue.get()
            if event is not HEARTBEAT:
                received.append(event.id)

    task = asyncio.create_task(reader())
    sent = []
    for n in range(10):
        sent.append(await save_story(store, make_story(f"s{n}", briefings=("world",))))
        await asyncio.sleep(0.02)
    await asyncio.wait_for(task, timeout=10)
    assert received == sent
    assert slow.overflowed.is_set() and slow.queue.qsize() == 4
    await hub.unsubscribe(slow)
    await hub.unsubscribe(fast)
    assert hub.subscribers == 0


async def test_a_frame_carries_multi_line_data_as_one_data_field_per_line() -> None:
    # WHATWG HTML §9.2.5: CR, LF and CRLF each end a line, so data holding one must go as
    # several data: fields, which the client joins with LF (§9.2.6).
    entry = EventEntry("1-0", "story.updated", "st_1", frozenset({"world"}), None, None, "", "")
    event = StreamEvent.of(entry, "first\nsecond\r\nthird\rfourth")
    lines = event.frame.decode().split("\n")
    assert lines == [
        "id: 1-0",
        "event: story.updated",
        "data: first",
        "data: second",
        "data: third",
        "data: fourth",
        "",
        "",
    ]
    [parsed] = [m async for m in messages(httpx.Response(200, content=event.frame))]
    assert (parsed.id, parsed.event, parsed.data) == (
        "1-0",
        "story.updated",
        "first\nsecond\nthird\nfourth",
    )
    compact = StreamEvent.of(entry, '{"story":{"headline":"a\\nb"}}')  # JSON escapes breaks
    assert (
        compact.frame == b'id: 1-0\nevent: story.updated\ndata: {"story":{"headline":"a\\nb"}}\n\n'
    )


async def until(condition: Callable[[], bool]) -> None:
    while not condition():  # noqa: ASYNC110 (the hub's reader task changes it)
        await asyncio.sleep(0.01)


async def test_redis_away_is_one_warning_then_one_line_back_and_heartbeats_go_on(
    server_store: Store, redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    """Each failed read was a traceback at error level, once a second for as long as
    Redis was away, and heartbeats stopped meanwhile."""
    caplog.set_level(logging.INFO, logger="service.api.event_hub")
    hub = EventHub(server_store.redis, server_store.keys, block_ms=50, heartbeat=0.0,
                   retry_delay=0.01)  # fmt: skip
    sub = await hub.subscribe("world")
    try:
        await redis_server.kill()
        await until(lambda: hub.failed_reads >= 5)
        while not sub.queue.empty():  # heartbeats from before the kill
            sub.queue.get_nowait()
        assert await asyncio.wait_for(sub.queue.get(), 10) is HEARTBEAT  # Redis still away
        await redis_server.start()
        await until(lambda: hub.failed_reads == 0)
    finally:
        await hub.unsubscribe(sub)
    records = [r for r in caplog.records if r.name == "service.api.event_hub"]
    assert [(r.levelno, r.exc_info) for r in records] == [
        (logging.WARNING, None),
        (logging.INFO, None),
    ]
    assert records[0].getMessage().startswith("event hub: Redis unavailable (")
    assert records[1].getMessage() == "event hub: reading the events stream again"


async def test_heartbeats_carry_the_position_read_and_skip_an_overflowed_queue(
    store: Store,
) -> None:
    """Each heartbeat's position (``Subscription.beats``) is an id every wanted event up
    to which is ahead of it in the queue; a queue that overflowed lost an event, and no
    heartbeat may say it was read past it."""
    hub = EventHub(store.redis, store.keys, block_ms=50, heartbeat=0.05, queue_size=2)
    slow = await hub.subscribe("world")  # never read: overflows
    fast = await hub.subscribe("world")

    async def next_from_fast() -> tuple[str, bool]:
        """The next item of ``fast``: (event id, False) or (heartbeat position, True)."""
        event = await asyncio.wait_for(fast.queue.get(), timeout=10)
        if event is HEARTBEAT:
            return fast.beats.popleft(), True
        return event.id, False

    ids = []
    for n in range(3):  # one at a time, each read before the next: fast never overflows
        ids.append(await save_story(store, make_story(f"s{n}", briefings=("world",))))
        while (item := await next_from_fast()) != (ids[-1], False):
            assert item[1], item  # only heartbeats between the events
    while await next_from_fast() != (ids[-1], True):  # a beat after the last event
        pass
    assert slow.overflowed.is_set()
    while not slow.queue.empty():  # its reader drains what it had, then is dropped
        slow.queue.get_nowait()
    # The next beat reaches every subscriber in one pass: once ``fast`` has it, so
    # would ``slow`` have.
    while not (await next_from_fast())[1]:
        pass
    assert slow.queue.empty() and not slow.beats
    await hub.unsubscribe(slow)
    await hub.unsubscribe(fast)
