"""Feed wake-ups (service/store/feed_wakes.py): the subscriber calls its callback per
published wake and after each subscription, and subscribes again after Redis was away
longer than redis-py's own reconnect retries (a real redis-server, killed and restarted)."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import timedelta
from typing import Any

import pytest
from redis.asyncio.client import PubSub
from redis.exceptions import ConnectionError as RedisConnectionError

from service.clock import utcnow
from service.models import FeedConfig
from service.store import Store
from service.store.connection import RedisTarget
from service.store.feed_wakes import FeedWakes
from tests.support.redis_server import RedisServer


async def next_wake(wakes: asyncio.Queue[None]) -> None:
    await asyncio.wait_for(wakes.get(), timeout=10)


async def test_wakes_follow_publishes_and_survive_a_redis_restart(
    redis_server: RedisServer, server_store: Store
) -> None:
    wakes: asyncio.Queue[None] = asyncio.Queue()
    listening = asyncio.create_task(
        FeedWakes(server_store.redis, server_store.keys).listen(lambda: wakes.put_nowait(None))
    )
    try:
        await next_wake(wakes)  # subscribed: one wake for what it may have missed
        await server_store.feeds.add(FeedConfig(url="https://a.example/rss"), first_poll=utcnow())
        await next_wake(wakes)

        await redis_server.kill()
        await asyncio.sleep(1.5)  # away longer than redis-py's retries
        await redis_server.start()
        await next_wake(wakes)  # subscribed again
        # The pool's connection from before the restart fails once; the next one connects.
        with contextlib.suppress(RedisConnectionError):
            await server_store.redis.ping()
        await server_store.feeds.add(
            FeedConfig(url="https://b.example/rss"), first_poll=utcnow() - timedelta(hours=1)
        )
        await next_wake(wakes)
        assert not listening.done()
        assert wakes.empty()  # one wake per subscription and per publish, no more
    finally:
        listening.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await listening


async def test_a_refused_subscription_is_retried_until_the_acl_allows_it(
    redis_server: RedisServer, channelless_store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    wakes: asyncio.Queue[None] = asyncio.Queue()
    listening = asyncio.create_task(
        FeedWakes(channelless_store.redis, channelless_store.keys).listen(
            lambda: wakes.put_nowait(None)
        )
    )
    try:
        await asyncio.sleep(0.5)  # refused a few times meanwhile
        assert not listening.done()
        assert wakes.empty()
        assert sum("feed wake-ups lost" in r.getMessage() for r in caplog.records) == 1
        admin = RedisTarget(url=redis_server.url, unix_socket=None).client()
        await admin.execute_command("ACL", "SETUSER", "briefing", "&lb:feeds:wake")
        await admin.aclose()
        await next_wake(wakes)  # subscribed
        assert not listening.done()
    finally:
        listening.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await listening


class CancelTurnedLost(PubSub):
    """A PubSub whose read, cancelled, raises a lost connection instead: what redis-py
    does when a stage shutting down closes the connection under a cancelled read."""

    async def get_message(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return await super().get_message(*args, **kwargs)
        except asyncio.CancelledError as exc:
            raise RedisConnectionError("Connection closed by server.") from exc


async def test_a_cancelled_listener_stops_though_its_read_reports_a_lost_connection(
    server_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    redis = server_store.redis
    monkeypatch.setattr(redis, "pubsub", lambda: CancelTurnedLost(redis.connection_pool))
    wakes: asyncio.Queue[None] = asyncio.Queue()
    listening = asyncio.create_task(
        FeedWakes(redis, server_store.keys).listen(lambda: wakes.put_nowait(None))
    )
    await next_wake(wakes)  # subscribed, now waiting in a read
    listening.cancel()
    done, _ = await asyncio.wait({listening}, timeout=2)
    assert done == {listening}  # not subscribed again: a worker's exit would wait on it
    assert listening.cancelled()


@pytest.mark.timeout(60)
async def test_a_listener_cancelled_once_at_any_step_of_its_subscription_stops(
    store: Store,
) -> None:
    """One cancellation, at each of the first loop steps after the start (the subscribe's
    connect and send among them): redis-py's ``asyncio.wait_for`` on Python 3.11 drops
    one that arrives as a send completes (bpo-42130), and the listener then went on
    reading for good."""
    for steps in range(40):
        listening = asyncio.create_task(
            FeedWakes(store.redis, store.keys).listen(lambda: None), name="feed-wakes"
        )
        for _ in range(steps):
            await asyncio.sleep(0)
        listening.cancel()
        done, _ = await asyncio.wait({listening}, timeout=5)
        if not done:  # end it (a cancellation that reaches the read) before failing
            listening.cancel()
            await asyncio.wait({listening}, timeout=5)
        assert done == {listening}, f"still listening after a cancellation at step {steps}"
        assert listening.cancelled()
