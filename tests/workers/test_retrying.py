"""A stage's retry loop: Redis briefly unavailable is a warning, anything else an error."""

from __future__ import annotations

import logging

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from service.store import Store
from tests.support.redis_server import RedisServer
from workers.retrying import OutageLog, log_retry

log = logging.getLogger("tests.retrying")


@pytest.mark.parametrize(
    "exc", [RedisTimeoutError("Timeout reading from 127.0.0.1:6379"), RedisConnectionError("gone")]
)
def test_redis_unavailable_is_a_warning_without_traceback(
    exc: Exception, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="tests.retrying"):
        try:
            raise exc
        except Exception:
            log_retry(log, "batch failed (partition %d); retrying", 3)
    [record] = caplog.records
    assert record.levelno == logging.WARNING and record.exc_info is None
    assert record.getMessage().startswith("batch failed (partition 3); retrying (Redis unavailable")
    assert str(exc) in record.getMessage()


def test_any_other_failure_is_an_error_with_its_traceback(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="tests.retrying"):
        try:
            raise KeyError("article")
        except Exception:
            log_retry(log, "batch failed; retrying")
    [record] = caplog.records
    assert record.levelno == logging.ERROR and record.exc_info is not None
    assert record.getMessage() == "batch failed; retrying"


@pytest.mark.parametrize(
    ("refusal", "said"),
    [("memory", "(Redis out of memory: "), ("disk", "(Redis cannot write to disk: MISCONF ")],
)
async def test_redis_refusing_writes_is_an_error_without_traceback(
    refusal: str,
    said: str,
    redis_server: RedisServer,
    server_store: Store,
    caplog: pytest.LogCaptureFixture,
) -> None:
    if refusal == "memory":
        await server_store.redis.config_set("maxmemory", 1)
    else:
        await redis_server.fail_persistence(server_store.redis)
    with caplog.at_level(logging.INFO, logger="tests.retrying"):
        try:
            await server_store.redis.set("k", "v")
        except Exception:
            log_retry(log, "batch failed (partition %d); retrying", 1)
    [record] = caplog.records
    assert record.levelno == logging.ERROR and record.exc_info is None
    assert record.getMessage().startswith("batch failed (partition 1); retrying " + said)


async def test_an_outage_is_logged_when_it_begins_and_ends_and_a_defect_every_time(
    server_store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    """A loop retrying four times a second logs one line when an outage begins and one
    when a round succeeds again; a failure that is no outage, every time."""
    outage = OutageLog(log, "tick failed; retrying", "ticking again")

    async def round_(fail: Exception | None = None) -> None:
        try:
            if fail is not None:
                raise fail
            await server_store.redis.set("k", "v")
        except Exception:
            outage.failed()
        else:
            outage.succeeded()

    with caplog.at_level(logging.INFO, logger="tests.retrying"):
        await server_store.redis.config_set("maxmemory", 1)
        try:
            for _ in range(5):
                await round_()
        finally:
            await server_store.redis.config_set("maxmemory", 0)
        await round_()
        await round_()
        await round_(KeyError("bug"))
        await round_(KeyError("bug"))
        await round_(RedisConnectionError("gone"))
        await round_(RedisConnectionError("gone"))
    lines = [
        (r.levelno, r.exc_info is not None, r.getMessage().split(": ")[0]) for r in caplog.records
    ]
    assert lines == [
        (logging.ERROR, False, "tick failed; retrying (Redis out of memory"),
        (logging.INFO, False, "ticking again"),
        (logging.ERROR, True, "tick failed; retrying"),
        (logging.ERROR, True, "tick failed; retrying"),
        (logging.WARNING, False, "tick failed; retrying (Redis unavailable"),
    ]
