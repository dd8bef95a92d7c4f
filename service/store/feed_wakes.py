"""Wake-ups of idle fetch workers when a feed is made due ahead of the whole schedule.

An idle claim loop sleeps until the schedule's earliest score, at most its ceiling
(workers/claim_loop.py). A writer that schedules a feed earlier than that score (an add,
"poll now", a resume: ``ADD_FEED`` and ``SCHEDULE_AT`` in service/store/feeds.py)
publishes the new score on ``Keys.feeds_wake`` in the same script as the write. Each
fetch worker holds one subscriber connection and calls its wake callback per message.

Pub/sub delivers at most once: a message sent while the subscriber is disconnected is
lost, and the claim loop's ceiling covers it. redis-py's PubSub subscribes again by
itself when a read fails and its retry reconnects (``PubSub.on_connect``); the subscribe
confirmation that follows is a message too, so the callback also runs after every
(re)subscription: what was published during the gap is claimed then. When the retries run
out (Redis down for longer), ``listen`` drops that PubSub and subscribes anew after a
backoff (the shape redis-py issues #2089 and #1572 ask of callers). A Redis user whose
ACL lacks the channel (Redis 7 gives new users no channels: ``acl-pubsub-default
resetchannels``) is refused the subscription, as is any client of a Redis that disables
SUBSCRIBE: ``listen`` says so once and keeps trying at the same backoff, so granting
``&{prefix}:feeds:wake`` takes effect without a restart.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

from service.store.connection import RedisClient
from service.store.keys import Keys

log = logging.getLogger(__name__)

# Backoff between subscription attempts while Redis is unreachable (seconds).
RESUBSCRIBE_FIRST = 0.1
RESUBSCRIBE_MAX = 5.0
# A read returns at least this often (seconds), so redis-py's health check (a PING every
# ``health_check_interval``) runs on an otherwise silent connection.
READ_TIMEOUT = 30.0

LOST = (RedisConnectionError, RedisTimeoutError, OSError, ResponseError)


class FeedWakes:
    def __init__(self, redis: RedisClient, keys: Keys) -> None:
        self.redis = redis
        self.keys = keys

    async def listen(self, on_wake: Callable[[], None]) -> None:
        """Call ``on_wake`` per message on the wake channel and after each subscription,
        until cancelled; subscribes again after a lost connection."""
        delay = RESUBSCRIBE_FIRST
        lost = False
        while True:
            pubsub = self.redis.pubsub()
            try:
                await pubsub.subscribe(self.keys.feeds_wake)
                while True:
                    # redis-py can finish a command and drop the cancellation that
                    # arrived meanwhile (service/task_cancel.py): stop here rather than
                    # block in the next read.
                    if _cancelled():
                        raise asyncio.CancelledError
                    message = await pubsub.get_message(timeout=READ_TIMEOUT)
                    if message is None:
                        continue
                    if lost:
                        log.info("feed wake-ups subscribed again")
                        lost, delay = False, RESUBSCRIBE_FIRST
                    on_wake()
            except LOST as exc:
                if _cancelled():
                    # redis-py can turn the cancellation of a read or a reconnect into
                    # a lost connection (a stage shutting down closes the pool under
                    # it): a listener that subscribed again then would outlive its
                    # worker, and asyncio.run would wait on it for good at exit.
                    raise asyncio.CancelledError from exc
                if not lost:
                    log.warning("feed wake-ups lost (%s); the claim ceiling covers them", exc)
                    lost = True
            finally:
                await pubsub.aclose()
            await asyncio.sleep(delay)
            delay = min(delay * 2, RESUBSCRIBE_MAX)


def _cancelled() -> bool:
    """Whether the running task was asked to stop (its cancellation may have been
    swallowed below it)."""
    task = asyncio.current_task()
    return task is not None and task.cancelling() > 0
