"""workers/poll_request.py: a poll's GET request is the one ``client.build_request`` makes,
and what a real server receives from it is the same."""

from __future__ import annotations

import httpx
import pytest

from service.http_transport import fast_client
from tests.feedserver import FeedServer
from workers.poll_request import PollRequests

HEADERS = {"User-Agent": "LiveBriefing-test", "Accept": "application/rss+xml"}
CONDITIONAL = {"If-None-Match": '"v1"', "If-Modified-Since": "Tue, 01 Dec 2026 10:00:00 GMT"}


def client() -> httpx.AsyncClient:
    return fast_client(
        allow_private=True,
        max_connections=4,
        timeout=httpx.Timeout(20.0, connect=10.0),
        headers=HEADERS,
    )


def as_sent(request: httpx.Request) -> tuple[object, ...]:
    return (
        request.method,
        str(request.url),
        request.headers.raw,
        request.extensions,
        request.content,
    )


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/feed.xml",
        "https://Example.COM/a%20b/feed?x=1&y=%C3%A9",
        "http://bücher.example:80/feed",  # IDNA host, default port dropped from Host
        "http://[::1]:8443/feed",
        "http://user:pass@example.com/feed",
    ],
)
@pytest.mark.parametrize("conditional", [{}, CONDITIONAL], ids=["plain", "conditional"])
async def test_same_request_as_build_request(url: str, conditional: dict[str, str]) -> None:
    async with client() as http:
        built = PollRequests(http).build(url, conditional)
        expected = http.build_request("GET", url, headers=conditional)
    assert as_sent(built) == as_sent(expected)


async def test_cookies_in_the_jar_are_sent_as_build_request_sends_them() -> None:
    async with client() as http:
        http.cookies.set("session", "abc", domain="example.com")
        http.cookies.set("other", "x", domain="elsewhere.example")
        built = PollRequests(http).build("http://example.com/feed", CONDITIONAL)
        expected = http.build_request("GET", "http://example.com/feed", headers=CONDITIONAL)
    assert built.headers["cookie"] == "session=abc"
    assert as_sent(built) == as_sent(expected)


async def test_not_an_absolute_http_url_goes_through_build_request() -> None:
    async with client() as http:
        built = PollRequests(http).build("ftp://example.com/feed", {})
        expected = http.build_request("GET", "ftp://example.com/feed")
    assert as_sent(built) == as_sent(expected)


async def test_unparsable_url_raises_invalid_url() -> None:
    async with client() as http:
        with pytest.raises(httpx.InvalidURL):
            PollRequests(http).build("http://[::1/feed", {})


async def test_a_server_receives_the_same_head(feed_server: FeedServer) -> None:
    feed_server.add("/feed.xml", b"<rss/>")
    url = feed_server.url("/feed.xml")
    async with client() as http:
        for request in (
            PollRequests(http).build(url, CONDITIONAL),
            http.build_request("GET", url, headers=CONDITIONAL),
        ):
            response = await http.send(request)
            assert response.status_code == 200
    ours, httpx_own = feed_server.requests_to("/feed.xml")
    assert list(ours.headers.items()) == list(httpx_own.headers.items())
    assert ours.headers["if-none-match"] == '"v1"' and ours.headers["user-agent"] == (
        "LiveBriefing-test"
    )
