"""Schema-driven fuzzing (schemathesis) of the briefing admin routes WITH an admin key,
so the bodies get past authentication and into validation and the store (the read-API
fuzz in test_fuzz.py only ever sees their 401).

The app runs in a real uvicorn in its own thread on the real Redis, under its own key
prefix. Checked: no 500s, every response matches the OpenAPI document; bad input is a
4xx problem document.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from service.api.app import create_app
from service.settings import Settings
from service.store.connection import RedisTarget
from tests.support.live_server import serve_in_thread
from tests.support.newsroom import CONFIG

PREFIX = "fuzzadmin"
KEY = "fuzz-admin-key"
ADMIN = {"Authorization": f"Bearer {KEY}"}
PATHS = r"^/v1/briefings(/\{briefing_id\})?$"
WRITES = r"^(POST|PUT|PATCH|DELETE)$"

# Schema-valid is not always valid: the schema cannot say "a place the gazetteer knows",
# "an ISO 639-1 code from the list", "a keyword that is not just '*'", or "an id that
# does not exist yet" (409) / "does exist" (404). Those are documented 4xx answers.
EXCLUDED = [positive_data_acceptance]


def redis_url(target: RedisTarget) -> str:
    return os.environ.get("REDIS_URL") or f"unix://{target.unix_socket}"


@pytest.fixture(scope="module")
def admin_base_url(redis_target: RedisTarget) -> Iterator[str]:
    settings = Settings(redis_url=redis_url(redis_target), key_prefix=PREFIX, admin_key=KEY)
    app = create_app(settings, None, CONFIG)
    with serve_in_thread(app) as base_url:
        yield base_url


def admin_api() -> schemathesis.BaseSchema:
    schema = create_app(Settings(admin_key=KEY), None, CONFIG).openapi()
    return schemathesis.openapi.from_dict(schema).include(path_regex=PATHS, method_regex=WRITES)


schema = admin_api()
schema.config.generation.update(modes=[GenerationMode.POSITIVE])
invalid = admin_api()
invalid.config.generation.update(modes=[GenerationMode.NEGATIVE])


@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_admin_writes_never_fail_and_match_their_schema(
    case: schemathesis.Case, admin_base_url: str
) -> None:
    case.call_and_validate(
        base_url=admin_base_url, headers=ADMIN, timeout=30, excluded_checks=EXCLUDED
    )
    if case.path_parameters and "briefing_id" in case.path_parameters:
        case.path_parameters["briefing_id"] = "world"  # one that exists (or did)
        case.call_and_validate(
            base_url=admin_base_url, headers=ADMIN, timeout=30, excluded_checks=EXCLUDED
        )


@invalid.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_bad_admin_input_is_never_a_server_error(
    case: schemathesis.Case, admin_base_url: str
) -> None:
    response = case.call(base_url=admin_base_url, headers=ADMIN, timeout=30)
    assert response.status_code < 500, (case.as_curl_command(), response.text)
    if response.status_code >= 400:
        assert response.headers["content-type"] == ["application/problem+json"]
