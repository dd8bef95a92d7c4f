"""Schema-driven fuzzing (schemathesis) of the read API: no 500s, every response
matches the OpenAPI document (status, content type, headers, body schema).

The app runs in a real uvicorn in its own thread (its own event loop and Redis client,
as in production), on a Redis filled by the real pipeline under its own key prefix.
The event stream is left out: its response never ends. Every generated case is sent
twice, as generated and with a briefing that exists, so both the 404 path and the
real timelines are fuzzed.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from service.api.app import create_app
from service.settings import Settings
from service.store import Store
from service.store.connection import RedisTarget
from tests.feedserver import FeedServer
from tests.support.live_server import serve_in_thread
from tests.support.newsroom import BBC, CONFIG, newsroom

PREFIX = "fuzz"


def redis_url(target: RedisTarget) -> str:
    return os.environ.get("REDIS_URL") or f"unix://{target.unix_socket}"


async def _fill(target: RedisTarget) -> None:
    client = target.client()
    try:
        store = Store(client, prefix=PREFIX)
        for key in await client.keys(f"{PREFIX}:*"):
            await client.delete(key)
        with FeedServer() as server:
            async with newsroom(store, server) as room:
                await room.publish(BBC, name="BBC World")
    finally:
        await client.aclose()


@pytest.fixture(scope="module")
def fuzz_base_url(redis_target: RedisTarget) -> Iterator[str]:
    filler = threading.Thread(target=asyncio.run, args=(_fill(redis_target),))
    filler.start()
    filler.join()
    app = create_app(Settings(redis_url=redis_url(redis_target), key_prefix=PREFIX), None, CONFIG)
    with serve_in_thread(app) as base_url:
        yield base_url


# "Schema-valid data must be accepted" cannot hold for opaque tokens: any string is a
# schema-valid ``cursor`` or ``since``, and one we did not make is a documented 400.
EXCLUDED = [positive_data_acceptance]


# The document is the app's own; the cases go to the live server over HTTP.
def read_api() -> schemathesis.BaseSchema:
    return (
        schemathesis.openapi.from_dict(create_app(Settings(), None, CONFIG).openapi())
        .include(path_regex=r"^/v1/(briefings|stories|search)")
        .exclude(path_regex=r"/stream$")
    )


schema = read_api()
# Operations whose every input is valid (no parameters, or one free-form path string)
# have no negative cases: left out rather than skipped.
invalid = read_api().exclude(
    path_regex=r"^/v1/(briefings|briefings/\{briefing_id\}|stories/\{story_id\})$"
)
invalid.config.generation.update(modes=[GenerationMode.NEGATIVE])


@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_read_api_never_fails_and_matches_its_schema(
    case: schemathesis.Case, fuzz_base_url: str
) -> None:
    case.call_and_validate(base_url=fuzz_base_url, timeout=30, excluded_checks=EXCLUDED)
    if case.path_parameters and "briefing_id" in case.path_parameters:
        case.path_parameters["briefing_id"] = "world"
        case.call_and_validate(base_url=fuzz_base_url, timeout=30, excluded_checks=EXCLUDED)


@invalid.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_bad_input_is_never_a_server_error(case: schemathesis.Case, fuzz_base_url: str) -> None:
    """Requests that break the schema (wrong types, out-of-range numbers, bad patterns)
    get a 4xx problem document, never a 500."""
    response = case.call(base_url=fuzz_base_url, timeout=30)
    assert response.status_code < 500, (case.as_curl_command(), response.text)
    if response.status_code >= 400:
        assert response.headers["content-type"] == ["application/problem+json"]
