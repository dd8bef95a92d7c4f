"""Credentials in a feed URL against a real server on 127.0.0.1: the userinfo goes as HTTP
Basic (never in the request target), only to that origin, and no error shows it."""

from __future__ import annotations

import base64

from service.settings import Settings
from tests.feedserver import FeedServer, Request, Response, redirect
from workers.fetch import Fetcher

RSS = b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>'
BASIC = "Basic " + base64.b64encode(b"news desk:p@ss").decode()


def private(request: Request) -> Response:
    if request.headers.get("authorization") != BASIC:
        return Response(401, {"WWW-Authenticate": 'Basic realm="feeds"'}, b"")
    return Response(200, {"Content-Type": "application/rss+xml"}, RSS)


def settings() -> Settings:
    return Settings(allow_private_targets=True)


def with_userinfo(url: str, userinfo: str = "news%20desk:p%40ss") -> str:
    return url.replace("http://", f"http://{userinfo}@", 1)


async def test_userinfo_is_sent_as_basic_auth(feed_server: FeedServer) -> None:
    url = with_userinfo(feed_server.add("/private.xml", private))
    async with Fetcher(settings()) as fetcher:
        result = await fetcher.fetch(url)
    assert result.error is None and result.status == 200 and result.body == RSS
    request = feed_server.requests_to("/private.xml")[-1]
    assert request.headers["authorization"] == BASIC
    assert "@" not in request.headers["host"]


async def test_credentials_follow_a_same_origin_move_but_not_another_origin(
    feed_server: FeedServer,
) -> None:
    with FeedServer() as elsewhere:
        other = elsewhere.add("/feed.xml", private)
        feed_server.add("/private.xml", private)
        feed_server.add("/moved", redirect("/private.xml", 301))
        feed_server.add("/away", redirect(other, 302))
        async with Fetcher(settings()) as fetcher:
            moved = await fetcher.fetch(with_userinfo(f"{feed_server.base_url}/moved"))
            away = await fetcher.fetch(with_userinfo(f"{feed_server.base_url}/away"))
    assert moved.status == 200
    # The stored URL after a permanent move keeps the credentials: they still apply there.
    assert moved.permanent_url == with_userinfo(f"{feed_server.base_url}/private.xml")
    assert away.status == 401
    assert "authorization" not in elsewhere.requests_to("/feed.xml")[-1].headers


async def test_a_failure_message_shows_no_credentials(feed_server: FeedServer) -> None:
    feed_server.add("/loop", redirect("/loop?token=s3cr3t", 302))
    feed_server.add("/loop?token=s3cr3t", redirect("/loop", 302))
    async with Fetcher(settings()) as fetcher:
        result = await fetcher.fetch(with_userinfo(f"{feed_server.base_url}/loop"))
    assert result.error is not None and "redirect" in result.error
    assert "s3cr3t" not in result.error and "p%40ss" not in result.error
    assert "token=***" in result.error  # the URLs are named, their secrets masked
