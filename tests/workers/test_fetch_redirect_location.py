"""A redirect whose Location cannot be followed, from a real server on 127.0.0.1: a
readable feed error naming the problem, never an internal error with a traceback."""

from __future__ import annotations

import logging

import pytest

from service.settings import Settings
from tests.feedserver import FeedServer, Response
from workers.fetch import Fetcher


@pytest.mark.parametrize(
    "location",
    ["javascript:alert(1)", "http://xn--/", "http://[::1", "http://a:port/", "http:///",
     "http://exa mple.example/", "mailto:desk@example.com", "http://[v1.x]/"],
)  # fmt: skip
async def test_a_bad_location_is_a_readable_error(
    feed_server: FeedServer, location: str, caplog: pytest.LogCaptureFixture
) -> None:
    url = feed_server.add("/moved", Response(301, {"Location": location}, b""))
    async with Fetcher(Settings(allow_private_targets=True)) as fetcher:
        result = await fetcher.fetch(url)
    assert result.error is not None and result.error_kind != "internal", result.error
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
