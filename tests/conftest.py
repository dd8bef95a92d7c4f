"""Shared fixtures. Real parts only: a real Redis, real HTTP servers on 127.0.0.1."""

pytest_plugins = [
    "tests.support.redis_fixture",
    "tests.support.feedserver_fixture",
    "tests.support.webhooks",
]
