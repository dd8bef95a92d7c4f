"""A stage's retry loop: Redis briefly unavailable is a warning, anything else an error."""

from __future__ import annotations

import logging

import pytest
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from service.store import Store
from workers.retrying import log_retry

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


async def test_redis_out_of_memory_is_an_error_without_traceback(
    server_store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    await server_store.redis.config_set("maxmemory", 1)
    with caplog.at_level(logging.INFO, logger="tests.retrying"):
        try:
            await server_store.redis.set("k", "v")
        except Exception:
            log_retry(log, "batch failed (partition %d); retrying", 1)
    [record] = caplog.records
    assert record.levelno == logging.ERROR and record.exc_info is None
    assert record.getMessage().startswith(
        "batch failed (partition 1); retrying (Redis out of memory: "
    )
    assert "maxmemory" in record.getMessage()
