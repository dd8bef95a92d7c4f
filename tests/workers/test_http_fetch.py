"""The fetcher against a real HTTP server on 127.0.0.1 (tests/feedserver.py).

httpx.MockTransport appears only in its own section, for edge cases a real server
would not produce on demand.
"""

from __future__ import annotations

import asyncio
import base64
import gzip
import hashlib
import logging
import re
import socket
import time
import tracemalloc
import zlib
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import brotli
import httpx
import pytest

from service.settings import Settings
from tests.feedserver import (
    GARBAGE,
    HTML_PAGE,
    FeedServer,
    Request,
    Response,
    bomb,
    document,
    drip,
    endless,
    layered_bomb,
    oversized,
    redirect,
    status,
)
from tests.support.net import (
    NON_CANONICAL_LOOPBACK,
    aiohttp_without_canonical_ipv4_check,
    free_port,
)
from workers.http_fetch import ACCEPT_ENCODING, Fetcher

RSS = b'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>'
LIMIT = 64 * 1024  # max_body_bytes in these tests
DEADLINE = 1.0  # fetch_timeout in these tests
SLACK = 5.0  # generous: proves the deadline fired, says nothing about speed

MakeFetcher = Callable[..., AbstractAsyncContextManager[Fetcher]]


@pytest.fixture
def fetcher_for() -> MakeFetcher:
    @asynccontextmanager
    async def make(**overrides: Any) -> AsyncIterator[Fetcher]:
        options: dict[str, Any] = {
            "allow_private_targets": True,
            "fetch_timeout": DEADLINE,
            "max_body_bytes": LIMIT,
            **overrides,
        }
        async with Fetcher(Settings(**options)) as fetcher:
            yield fetcher

    return make


@pytest.fixture
async def fetcher(fetcher_for: MakeFetcher) -> AsyncIterator[Fetcher]:
    async with fetcher_for() as fetcher:
        yield fetcher


# --- success and conditional GET -----------------------------------------------------------


async def test_document_comes_back_with_hash_and_facts(
    feed_server: FeedServer, fetcher: Fetcher
) -> None:
    url = feed_server.add(
        "/feed.xml",
        document(
            RSS,
            etag='"v1"',
            last_modified="Tue, 24 Nov 2026 10:00:00 GMT",
            headers={"Cache-Control": "max-age=300", "Expires": "Tue, 24 Nov 2026 10:05:00 GMT"},
        ),
    )
    result = await fetcher.fetch(url)
    assert result.ok
    assert (result.status, result.error, result.error_kind) == (200, None, None)
    assert result.url == url
    assert result.body == RSS
    assert result.body_hash == hashlib.sha256(RSS).hexdigest()
    assert result.permanent_url is None
    assert result.facts.etag == '"v1"'
    assert result.facts.last_modified == "Tue, 24 Nov 2026 10:00:00 GMT"
    assert result.facts.cache_control == "max-age=300"
    assert result.facts.expires == "Tue, 24 Nov 2026 10:05:00 GMT"
    assert result.facts.content_type == "application/rss+xml; charset=utf-8"
    assert result.facts.date is not None and result.facts.date.endswith(" GMT")
    assert result.elapsed > 0


async def test_request_identifies_itself_and_prefers_feeds(
    feed_server: FeedServer, fetcher: Fetcher
) -> None:
    url = feed_server.add("/feed.xml", RSS)
    await fetcher.fetch(url)
    headers = feed_server.requests_to("/feed.xml")[0].headers
    assert headers["user-agent"] == Settings().user_agent
    # RFC 9110 §10.1.5: product/version first; a contact URL lets a publisher reach us.
    assert re.fullmatch(
        r"LiveBriefing/[\d.]+ \(\+https://[^ ;)]+; feed reader\)", Settings().user_agent
    )
    assert headers["accept"].startswith("application/rss+xml, application/atom+xml")
    assert headers["accept-encoding"] == ACCEPT_ENCODING == "gzip, deflate, br"
    assert "if-none-match" not in headers
    assert "if-modified-since" not in headers


async def test_conditional_get_round_trip_echoes_validators_exactly(
    feed_server: FeedServer, fetcher: Fetcher
) -> None:
    # Odd but legal validators: a weak ETag and a Last-Modified that is not IMF-fixdate.
    # They must come back byte for byte (FreshRSS #6056), not re-formatted.
    etag, modified = 'W/"5e1-abc/def"', "Tuesday, 24-Nov-26 10:00:00 GMT"
    url = feed_server.add("/feed.xml", document(RSS, etag=etag, last_modified=modified))
    first = await fetcher.fetch(url)
    assert first.status == 200

    second = await fetcher.fetch(
        url,
        etag=first.facts.etag,
        last_modified=first.facts.last_modified,
        previous_hash=first.body_hash,
    )
    sent = feed_server.requests_to("/feed.xml")[-1].headers
    assert sent["if-none-match"] == etag
    assert sent["if-modified-since"] == modified
    assert second.status == 304
    assert second.ok and second.error is None
    assert second.body is None and second.body_hash is None
    assert second.facts.etag == etag


@pytest.mark.parametrize(
    ("etag", "modified", "status"),
    [
        # The test server writes header text as Latin-1, so these are UTF-8 on the wire.
        pytest.param(
            '"\u00c3\u00a9"', "\u00c3\u00a9t\u00c3\u00a9", 304, id="utf8-back-byte-for-byte"
        ),
        pytest.param('"\xff\xfe"', "\xe9t\xe9", 200, id="latin1-unmatched-not-a-crash"),
    ],
)
async def test_validators_outside_ascii_do_not_fail_later_polls(
    feed_server: FeedServer, fetcher: Fetcher, etag: str, modified: str, status: int
) -> None:
    # RFC 9110 §8.8.3 allows obs-text (bytes 0x80-0xFF) in an entity tag; a server that
    # sends one must not make every later poll of its feed fail.
    url = feed_server.add("/feed.xml", document(RSS, etag=etag, last_modified=modified))
    first = await fetcher.fetch(url)
    assert first.ok and first.facts.etag is not None

    second = await fetcher.fetch(
        url, etag=first.facts.etag, last_modified=first.facts.last_modified
    )
    assert second.ok and second.error is None
    assert second.status == status
    assert "if-none-match" in feed_server.requests_to("/feed.xml")[-1].headers


async def test_last_modified_alone_gets_304(feed_server: FeedServer, fetcher: Fetcher) -> None:
    modified = "Tue, 24 Nov 2026 10:00:00 GMT"
    url = feed_server.add("/feed.xml", document(RSS, last_modified=modified))
    result = await fetcher.fetch(url, last_modified=modified)
    assert result.status == 304
    assert "if-none-match" not in feed_server.requests_to("/feed.xml")[-1].headers


async def test_a_304_to_a_request_without_validators_is_an_error(
    feed_server: FeedServer, fetcher: Fetcher
) -> None:
    # RFC 9110 §15.4.5: 304 answers a conditional request only. Taken as "not modified",
    # a server that always answers 304 would show a feed with no document as healthy.
    url = feed_server.add("/feed.xml", status(304))
    result = await fetcher.fetch(url)
    assert "if-none-match" not in feed_server.requests_to("/feed.xml")[-1].headers
    assert (result.status, result.error_kind, result.ok) == (304, "http", False)
    assert result.error == (
        "HTTP 304 Not Modified to a request without validators "
        "(no If-None-Match or If-Modified-Since was sent)"
    )


async def test_same_body_as_before_is_still_returned(
    feed_server: FeedServer, fetcher: Fetcher
) -> None:
    url = feed_server.add("/feed.xml", RSS)  # no validators: the server always sends 200
    previous = hashlib.sha256(RSS).hexdigest()
    result = await fetcher.fetch(url, previous_hash=previous)
    assert result.ok and result.body == RSS
    assert result.body_hash == previous


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br"])
async def test_compressed_bodies_are_decoded(
    feed_server: FeedServer, fetcher: Fetcher, encoding: str
) -> None:
    encoded = {
        "gzip": gzip.compress(RSS),
        "deflate": zlib.compress(RSS),
        "br": brotli.compress(RSS),
    }[encoding]
    url = feed_server.add("/feed.xml", Response(200, {"Content-Encoding": encoding}, encoded))
    result = await fetcher.fetch(url)
    assert result.ok and result.body == RSS
    assert result.body_hash == hashlib.sha256(RSS).hexdigest()


@pytest.mark.parametrize(
    ("body", "content_type"), [(HTML_PAGE, "text/html"), (GARBAGE, "application/octet-stream")]
)
async def test_html_and_garbage_are_fetched_and_left_to_the_parser(
    feed_server: FeedServer, fetcher: Fetcher, body: bytes, content_type: str
) -> None:
    url = feed_server.add("/page", document(body, content_type=content_type))
    result = await fetcher.fetch(url)
    assert result.ok and result.body == body
    assert result.facts.content_type == content_type


REAL_FEEDS = Path(__file__).resolve().parents[3] / "shared" / "feeds" / "real"


@pytest.mark.skipif(not REAL_FEEDS.is_dir(), reason=f"{REAL_FEEDS} is not beside the repository")
async def test_real_feeds_fetch_then_revalidate(
    feed_server: FeedServer, fetcher_for: MakeFetcher
) -> None:
    urls = feed_server.add_directory(REAL_FEEDS, prefix="/real/")
    files = sorted(p for p in REAL_FEEDS.rglob("*") if p.is_file())
    async with fetcher_for(
        max_body_bytes=Settings().max_body_bytes, per_host_concurrency=8, fetch_timeout=60
    ) as fetcher:
        first = await asyncio.gather(*(fetcher.fetch(url) for url in urls))
        assert [r.body for r in first] == [f.read_bytes() for f in files]
        second = await asyncio.gather(
            *(
                fetcher.fetch(r.url, etag=r.facts.etag, last_modified=r.facts.last_modified)
                for r in first
            )
        )
    assert {r.status for r in second} == {304}


# --- HTTP errors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (404, "HTTP 404 Not Found"),
        (410, "HTTP 410 Gone"),
        (500, "HTTP 500 Internal Server Error"),
        (403, "HTTP 403 Forbidden"),
    ],
)
async def test_error_statuses(
    feed_server: FeedServer, fetcher: Fetcher, code: int, message: str
) -> None:
    url = feed_server.add("/feed.xml", status(code))
    result = await fetcher.fetch(url)
    assert (result.status, result.error, result.error_kind) == (code, message, "http")
    assert result.body is None and result.body_hash is None
    assert not result.ok


async def test_a_refused_connection_says_so_without_tls_notes(fetcher: Fetcher) -> None:
    url = f"http://127.0.0.1:{free_port()}/feed.xml"
    result = await fetcher.fetch(url)
    assert result.error_kind == "connect"
    assert result.error is not None and result.error.startswith("cannot connect:")
    assert "ssl" not in result.error.lower()


@pytest.mark.parametrize(
    ("code", "retry_after"), [(429, "120"), (503, "Wed, 25 Nov 2026 18:00:00 GMT")]
)
async def test_retry_after_is_captured(
    feed_server: FeedServer, fetcher: Fetcher, code: int, retry_after: str
) -> None:
    url = feed_server.add(
        "/feed.xml", status(code, headers={"Retry-After": retry_after, "Cache-Control": "no-store"})
    )
    result = await fetcher.fetch(url)
    assert result.status == code and result.error_kind == "http"
    assert result.error is not None and result.error.startswith(f"HTTP {code} ")
    assert result.facts.retry_after == retry_after
    assert result.facts.cache_control == "no-store"
    assert result.facts.date is not None


# --- redirects ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("codes", "moves"),
    [
        ((301,), True),
        ((308,), True),
        ((301, 308, 301), True),
        ((302,), False),
        ((307,), False),
        ((301, 302), False),  # one temporary hop: the publisher may point elsewhere tomorrow
        ((303, 301), False),
    ],
    ids=str,
)
async def test_redirect_chains(
    feed_server: FeedServer, fetcher: Fetcher, codes: tuple[int, ...], moves: bool
) -> None:
    final = feed_server.add("/final.xml", RSS)
    for hop, code in enumerate(codes):
        target = f"/hop{hop + 1}" if hop + 1 < len(codes) else "/final.xml"
        feed_server.add(f"/hop{hop}", redirect(target, code))
    result = await fetcher.fetch(feed_server.url("/hop0"))
    assert result.ok and result.status == 200 and result.body == RSS
    assert result.url == feed_server.url("/hop0")
    assert result.permanent_url == (final if moves else None)


async def test_redirect_with_absolute_location(feed_server: FeedServer, fetcher: Fetcher) -> None:
    final = feed_server.add("/final.xml", RSS)
    start = feed_server.add("/old", redirect(final, 301))
    result = await fetcher.fetch(start)
    assert result.permanent_url == final


async def test_permanent_redirect_to_a_broken_target_does_not_move_the_feed(
    feed_server: FeedServer, fetcher: Fetcher
) -> None:
    feed_server.add("/gone", status(404))
    result = await fetcher.fetch(feed_server.add("/old", redirect("/gone", 301)))
    assert result.status == 404 and result.error == "HTTP 404 Not Found"
    assert result.permanent_url is None


async def test_redirect_loop_is_named(feed_server: FeedServer, fetcher: Fetcher) -> None:
    a = feed_server.add("/a", redirect("/b", 301))
    b = feed_server.add("/b", redirect("/a", 302))
    result = await fetcher.fetch(a)
    assert result.error_kind == "redirects"
    assert result.error == f"too many redirects (loop: {a} -> {b} -> {a})"
    assert result.body is None and not result.ok
    assert feed_server.hits["/a"] == 1 and feed_server.hits["/b"] == 1


async def test_too_many_redirects(feed_server: FeedServer, fetcher_for: MakeFetcher) -> None:
    for n in range(10):
        feed_server.add(f"/r{n}", redirect(f"/r{n + 1}", 302))
    async with fetcher_for(max_redirects=3) as fetcher:
        result = await fetcher.fetch(feed_server.url("/r0"))
    assert result.error_kind == "redirects"
    assert result.error is not None and result.error.startswith("too many redirects (more than 3")
    assert feed_server.hits["/r3"] == 1 and feed_server.hits["/r4"] == 0


async def test_redirect_without_location(feed_server: FeedServer, fetcher: Fetcher) -> None:
    result = await fetcher.fetch(feed_server.add("/odd", Response(302, {}, b"")))
    assert result.status == 302 and result.error_kind == "http"
    assert result.error == "HTTP 302 Found without a Location"


# --- SSRF -----------------------------------------------------------------------------------


async def test_loopback_refused_unless_private_targets_allowed(
    feed_server: FeedServer, fetcher_for: MakeFetcher
) -> None:
    url = feed_server.add("/feed.xml", RSS)
    async with fetcher_for(allow_private_targets=False) as fetcher:
        result = await fetcher.fetch(url)
    assert result.error == "refused: 127.0.0.1 is a loopback address"
    assert (result.error_kind, result.status, result.body) == ("ssrf", None, None)
    assert feed_server.hits["/feed.xml"] == 0  # refused before any byte was sent


@pytest.mark.parametrize("host", NON_CANONICAL_LOOPBACK)
async def test_non_canonical_numeric_hosts_are_refused_whatever_aiohttp_does(
    feed_server: FeedServer, fetcher: Fetcher, monkeypatch: pytest.MonkeyPatch, host: str
) -> None:
    # Private targets allowed (as in these tests) and an aiohttp that would take the
    # spelling for an address: only our own check stands between the feed and loopback.
    aiohttp_without_canonical_ipv4_check(monkeypatch)
    feed_server.add("/feed.xml", RSS)
    target = f"http://{host}:{feed_server.port}/feed.xml"
    result = await fetcher.fetch(target)
    assert result.error_kind == "ssrf", result.error
    assert result.error == f"refused: {host} is not a canonical IPv4 address (write a.b.c.d)"
    # As a redirect's target: refused at that hop (httpx refuses "0177.0.0.1" in a
    # Location header on its own, a protocol error; either way nothing connects).
    result = await fetcher.fetch(feed_server.add("/hop", redirect(target, 302)))
    assert result.error_kind in ("ssrf", "protocol"), result.error
    assert result.error is not None and host in result.error
    assert feed_server.hits["/feed.xml"] == 0


@pytest.mark.parametrize(
    ("location", "message"),
    [
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a cloud metadata address"),
        ("file:///etc/passwd", "'file' URLs are not fetched"),
    ],
)
async def test_every_redirect_hop_is_checked(
    feed_server: FeedServer, fetcher: Fetcher, location: str, message: str
) -> None:
    result = await fetcher.fetch(feed_server.add("/innocent", redirect(location, 302)))
    assert result.error_kind == "ssrf"
    assert result.error is not None and message in result.error


@pytest.fixture
async def fake_dns(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[dict[str, list[str]]]:
    """Names -> successive answers (the last one repeats): a DNS server that can rebind."""
    answers: dict[str, list[str]] = {}
    loop = asyncio.get_running_loop()
    real = loop.getaddrinfo

    async def getaddrinfo(host: str, port: int, **kwargs: Any) -> Any:
        if host not in answers:
            return await real(host, port, **kwargs)
        queue = answers[host]
        if not queue:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        address = queue.pop(0) if len(queue) > 1 else queue[0]
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(loop, "getaddrinfo", getaddrinfo)
    yield answers


async def test_connection_goes_to_the_checked_address(
    feed_server: FeedServer, fetcher: Fetcher, fake_dns: dict[str, list[str]]
) -> None:
    feed_server.add("/feed.xml", RSS)
    fake_dns["feeds.test"] = ["127.0.0.1"]
    result = await fetcher.fetch(f"http://feeds.test:{feed_server.port}/feed.xml")
    assert result.ok and result.body == RSS
    assert (
        feed_server.requests_to("/feed.xml")[0].headers["host"] == f"feeds.test:{feed_server.port}"
    )


async def test_dns_rebinding_after_the_check_is_refused(
    feed_server: FeedServer, fetcher_for: MakeFetcher, fake_dns: dict[str, list[str]]
) -> None:
    feed_server.add("/feed.xml", RSS)
    # Public when check_url asks, loopback when the connection resolves a moment later.
    fake_dns["rebind.test"] = ["93.184.215.14", "127.0.0.1"]
    async with fetcher_for(allow_private_targets=False) as fetcher:
        result = await fetcher.fetch(f"http://rebind.test:{feed_server.port}/feed.xml")
    assert result.error_kind == "ssrf"
    assert result.error == "refused: rebind.test resolves to 127.0.0.1, a loopback address"
    assert feed_server.hits["/feed.xml"] == 0


async def test_unresolvable_host_is_a_dns_error(
    fetcher: Fetcher, fake_dns: dict[str, list[str]]
) -> None:
    fake_dns["nowhere.test"] = []
    result = await fetcher.fetch("http://nowhere.test/feed.xml")
    assert (result.status, result.error_kind) == (None, "dns")
    assert result.error == "cannot resolve nowhere.test (Name or service not known)"


# --- bounds: time, size, concurrency --------------------------------------------------------


async def test_slow_drip_is_cut_at_the_deadline(feed_server: FeedServer, fetcher: Fetcher) -> None:
    # 200 bytes at one byte every 50 ms: 10 s in all, each read well within any read timeout.
    url = feed_server.add("/slow", drip(b"x" * 200, chunk_size=1, interval=0.05))
    started = time.monotonic()
    result = await fetcher.fetch(url)
    assert result.error == f"timed out after {DEADLINE:g} s"
    assert (result.error_kind, result.body) == ("timeout", None)
    assert time.monotonic() - started < DEADLINE + SLACK


async def test_deadline_covers_the_whole_redirect_chain(
    feed_server: FeedServer, fetcher: Fetcher
) -> None:
    async def slow_hop(request: Request) -> Response:
        await asyncio.sleep(DEADLINE * 0.6)
        return redirect("/next" if request.path == "/first" else "/last", 302)

    feed_server.add("/first", slow_hop)
    feed_server.add("/next", slow_hop)
    feed_server.add("/last", RSS)
    result = await fetcher.fetch(feed_server.url("/first"))
    assert result.error_kind == "timeout"


@pytest.mark.parametrize(
    "spec",
    [
        oversized(LIMIT + 1),
        oversized(10 * LIMIT, chunked=True),
        endless(),
        bomb(16 * 1024 * 1024, "gzip"),
        bomb(16 * 1024 * 1024, "deflate"),
        bomb(16 * 1024 * 1024, "br"),
    ],
    ids=["content-length", "chunked", "endless", "gzip-bomb", "deflate-bomb", "br-bomb"],
)
async def test_bodies_over_the_limit_stop_early(
    feed_server: FeedServer, fetcher: Fetcher, spec: Response
) -> None:
    url = feed_server.add("/big", spec)
    tracemalloc.start()
    try:
        result = await fetcher.fetch(url)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.error == "response larger than 64 KiB"
    assert (result.error_kind, result.status, result.body) == ("too_large", 200, None)
    # The bombs decode to 16 MiB; reading stopped long before that.
    assert peak < 4 * 1024 * 1024


async def test_a_layered_gzip_bomb_in_one_chunk_stops_at_the_limit_flush_included(
    feed_server: FeedServer, fetcher: Fetcher
) -> None:
    # 15 KB on the wire, one network read: the outer layer fills its room at once and
    # holds the rest of the chunk back, the inner one decodes under the limit, and the
    # end of the body flushes what was held back (14 MiB of inner gzip).
    url = feed_server.add("/layers", layered_bomb(14 * 1024 * 1024))
    tracemalloc.start()
    try:
        result = await fetcher.fetch(url)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert result.error == "response larger than 64 KiB"
    assert (result.error_kind, result.status, result.body) == ("too_large", 200, None)
    assert peak < 4 * 1024 * 1024, f"peak {peak / 2**20:.1f} MiB"


async def test_a_layered_gzip_bomb_stops_at_the_default_limit(
    feed_server: FeedServer, fetcher_for: MakeFetcher
) -> None:
    # The default limit (15 MiB) against 64 MiB of inner gzip behind the outer layer,
    # read in many chunks: every layer's output is bounded, none of its input dropped.
    limit = 15 * 1024 * 1024
    url = feed_server.add("/layers", layered_bomb(64 * 1024 * 1024))
    async with fetcher_for(max_body_bytes=limit, fetch_timeout=30) as fetcher:
        tracemalloc.start()
        try:
            result = await fetcher.fetch(url)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert result.error == "response larger than 15 MiB"
    assert (result.error_kind, result.status, result.body) == ("too_large", 200, None)
    # The body read so far plus one bounded output at a time, never the 64 MiB.
    assert peak < 3 * limit, f"peak {peak / 2**20:.0f} MiB"


async def test_at_most_two_content_codings(feed_server: FeedServer, fetcher: Fetcher) -> None:
    twice = gzip.compress(gzip.compress(RSS))
    url = feed_server.add("/two", Response(200, {"Content-Encoding": "gzip, gzip"}, twice))
    assert (await fetcher.fetch(url)).body == RSS
    thrice = gzip.compress(twice)
    url = feed_server.add("/three", Response(200, {"Content-Encoding": "gzip, gzip, gzip"}, thrice))
    result = await fetcher.fetch(url)
    assert (result.error_kind, result.body) == ("decode", None)
    assert result.error == "more than 2 content codings (gzip, gzip, gzip)"


async def test_body_exactly_at_the_limit_is_fine(feed_server: FeedServer, fetcher: Fetcher) -> None:
    result = await fetcher.fetch(feed_server.add("/edge", oversized(LIMIT, chunked=True)))
    assert result.ok and result.body is not None and len(result.body) == LIMIT


async def test_per_host_concurrency_is_honoured(
    feed_server: FeedServer, fetcher_for: MakeFetcher
) -> None:
    in_flight = 0
    most = 0

    async def counted(request: Request) -> Response:
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        await asyncio.sleep(0.05)
        in_flight -= 1
        return Response(200, {}, RSS)

    url = feed_server.add("/feed.xml", counted)
    async with fetcher_for(per_host_concurrency=2, fetch_timeout=10) as fetcher:
        results = await asyncio.gather(*(fetcher.fetch(f"{url}?n={n}") for n in range(8)))
    assert all(r.ok for r in results)
    assert feed_server.hits["/feed.xml"] == 8
    assert most == 2


async def test_waiting_for_a_host_slot_is_bounded(
    feed_server: FeedServer, fetcher_for: MakeFetcher
) -> None:
    deadline = 2.0

    async def held(request: Request) -> Response:
        await asyncio.sleep(deadline * 3)  # every holder keeps the slot until its deadline
        return Response(200, {}, RSS)

    url = feed_server.add("/held", held)
    async with fetcher_for(per_host_concurrency=1, fetch_timeout=deadline) as fetcher:
        # t=0: first takes the slot until t=2; t=0.5: second waits, gets it at t=2 and
        # keeps it until t=4; t=1: third waits until t=3 and gives up.
        first = asyncio.create_task(fetcher.fetch(url))
        await asyncio.sleep(deadline / 4)
        second = asyncio.create_task(fetcher.fetch(url))
        await asyncio.sleep(deadline / 4)
        third = await fetcher.fetch(url)
        await asyncio.gather(first, second)
    assert first.result().error == f"timed out after {deadline:g} s"
    assert second.result().error == f"timed out after {deadline:g} s"
    assert third.error_kind == "timeout"
    assert third.error == (
        f"no free slot for 127.0.0.1 within {deadline:g} s (at most 1 requests per host at once)"
    )
    assert feed_server.hits["/held"] == 2
    assert len(fetcher._hosts) == 0  # no semaphore left behind


# --- network failures -----------------------------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_connection_refused(fetcher: Fetcher) -> None:
    result = await fetcher.fetch(f"http://127.0.0.1:{_closed_port()}/feed.xml")
    assert (result.status, result.error_kind) == (None, "connect")
    assert result.error is not None and result.error.startswith("cannot connect")
    assert "\n" not in result.error


async def test_unsupported_content_encoding(feed_server: FeedServer, fetcher: Fetcher) -> None:
    url = feed_server.add("/z", Response(200, {"Content-Encoding": "zstd"}, b"\x28\xb5\x2f\xfd"))
    result = await fetcher.fetch(url)
    assert (result.status, result.error_kind) == (200, "decode")
    assert result.error == "unsupported Content-Encoding: zstd"


async def test_corrupt_gzip(feed_server: FeedServer, fetcher: Fetcher) -> None:
    url = feed_server.add("/z", Response(200, {"Content-Encoding": "gzip"}, b"not gzip at all"))
    result = await fetcher.fetch(url)
    assert result.error_kind == "decode"
    assert result.error is not None and result.error.startswith("cannot decode gzip body")


async def test_every_member_of_a_gzip_stream_is_decoded(
    feed_server: FeedServer, fetcher: Fetcher
) -> None:
    # RFC 1952 §2.2: a gzip stream is members one after the other; zlib alone stops at
    # the end of the first one, here after the document's first 30 bytes.
    body = gzip.compress(RSS[:30]) + gzip.compress(RSS[30:])
    url = feed_server.add("/two-members", Response(200, {"Content-Encoding": "gzip"}, body))
    result = await fetcher.fetch(url)
    assert result.ok and result.body == RSS


def _raw_deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


@pytest.mark.parametrize(
    ("coding", "encoded", "whole"),
    [
        ("gzip", gzip.compress(RSS[:30]) + gzip.compress(RSS[30:]), True),
        ("gzip", gzip.compress(RSS) + b"\x1f", False),  # half a magic, then the end
        ("gzip", gzip.compress(RSS)[:-8], False),  # no trailer
        ("deflate", zlib.compress(RSS)[:-4], False),
        ("deflate", _raw_deflate(RSS), True),  # no zlib header: told apart at the 2nd byte
        ("br", brotli.compress(RSS)[:-2], False),
    ],
    ids=[
        "gzip-members",
        "gzip-half-magic",
        "gzip-no-trailer",
        "deflate-cut",
        "deflate-raw",
        "br-cut",
    ],
)
async def test_compressed_bodies_read_a_byte_at_a_time(
    coding: str, encoded: bytes, whole: bool
) -> None:
    # Every boundary between reads, a member's magic split between two reads included:
    # whole streams decode to the document, cut ones are refused, however they arrive.
    def handler(request: httpx.Request) -> httpx.Response:
        chunks = [encoded[i : i + 1] for i in range(len(encoded))]
        return httpx.Response(200, headers={"Content-Encoding": coding}, stream=Chunks(chunks))

    async with mock_fetcher(handler) as fetcher:
        result = await fetcher.fetch(PUBLIC + "/feed")
    if whole:
        assert result.ok and result.body == RSS
    else:
        assert (result.status, result.error_kind) == (200, "decode")
        assert result.error == f"{coding} body is truncated (it ends mid-stream)"


@pytest.mark.parametrize(
    ("coding", "encoded"),
    [
        ("gzip", gzip.compress(RSS)[:-12]),
        ("deflate", zlib.compress(RSS)[:-8]),
        ("br", brotli.compress(RSS)[:-3]),
    ],
    ids=["gzip", "deflate", "br"],
)
async def test_a_compressed_body_cut_short_is_refused(
    feed_server: FeedServer, fetcher: Fetcher, coding: str, encoded: bytes
) -> None:
    # The transfer is whole (its Content-Length is honest), the compressed stream is not:
    # the document decoded so far is a part, which a lenient parser would take for all.
    url = feed_server.add("/cut", Response(200, {"Content-Encoding": coding}, encoded))
    result = await fetcher.fetch(url)
    assert (result.status, result.error_kind, result.body) == (200, "decode", None)
    assert result.error == f"{coding} body is truncated (it ends mid-stream)"


@pytest.mark.parametrize(
    ("body", "decoded"), [(gzip.compress(RSS) + b"<junk>", RSS), (b"", b"")], ids=["junk", "empty"]
)
async def test_junk_after_gzip_and_an_empty_gzip_body_are_no_errors(
    feed_server: FeedServer, fetcher: Fetcher, body: bytes, decoded: bytes
) -> None:
    # Browsers ignore what follows the last member; an empty body is the parser's to name.
    url = feed_server.add("/gz", Response(200, {"Content-Encoding": "gzip"}, body))
    result = await fetcher.fetch(url)
    assert result.ok and result.body == decoded


async def test_server_that_hangs_up_mid_body(feed_server: FeedServer, fetcher: Fetcher) -> None:
    def broken() -> Response:
        async def stream() -> AsyncIterator[bytes]:
            yield b"<rss>"
            raise ConnectionResetError  # the server drops the connection mid-chunk

        return Response(200, {}, stream)

    feed_server.add("/broken", broken())
    result = await fetcher.fetch(feed_server.url("/broken"))
    assert result.error_kind in {"protocol", "network"}
    assert result.status == 200 and result.body is None
    assert result.error is not None and "\n" not in result.error


# --- unit-level edge cases with httpx.MockTransport -----------------------------------------

PUBLIC = "http://93.184.215.14"  # a public literal: passes the SSRF check without DNS


@asynccontextmanager
async def mock_fetcher(
    handler: Callable[[httpx.Request], httpx.Response], **overrides: Any
) -> AsyncIterator[Fetcher]:
    settings = Settings(max_body_bytes=LIMIT, fetch_timeout=DEADLINE, **overrides)
    async with Fetcher(settings, transport=httpx.MockTransport(handler)) as fetcher:
        yield fetcher


class RawStream(httpx.AsyncByteStream):
    """A body that is streamed, not pre-read: the fetcher reads raw bytes and decodes them
    itself, which a Response built from ``content=`` bytes would not let it do."""

    def __init__(self, body: bytes) -> None:
        self.body = body

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self.body


class Chunks(httpx.AsyncByteStream):
    """A body streamed in the given pieces, each one read of the fetcher."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks:
            yield chunk


async def test_layered_content_encodings_are_undone_right_to_left() -> None:
    body = gzip.compress(zlib.compress(RSS))  # deflate first, then gzip

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, headers={"Content-Encoding": "deflate, gzip"}, stream=RawStream(body)
        )

    async with mock_fetcher(handler) as fetcher:
        result = await fetcher.fetch(PUBLIC + "/feed")
    assert result.ok and result.body == RSS


async def test_raw_deflate_is_accepted() -> None:
    raw = _raw_deflate(RSS)

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Encoding": "deflate"}, stream=RawStream(raw))

    async with mock_fetcher(handler) as fetcher:
        result = await fetcher.fetch(PUBLIC + "/feed")
    assert result.ok and result.body == RSS


async def test_relative_location_and_query_are_resolved() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if request.url.path == "/a/feed":
            return httpx.Response(301, headers={"Location": "../b/feed?x=1"})
        return httpx.Response(200, stream=RawStream(RSS))

    async with mock_fetcher(handler) as fetcher:
        result = await fetcher.fetch(PUBLIC + "/a/feed")
    assert seen == [PUBLIC + "/a/feed", PUBLIC + "/b/feed?x=1"]
    assert result.permanent_url == PUBLIC + "/b/feed?x=1"


async def test_tls_failure_is_tagged() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed")

    async with mock_fetcher(handler) as fetcher:
        result = await fetcher.fetch("https://93.184.215.14/feed")
    assert (result.status, result.error_kind) == (None, "tls")
    assert result.error is not None and "CERTIFICATE_VERIFY_FAILED" in result.error


async def test_connect_timeout_is_tagged() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectTimeout("timed out")

    async with mock_fetcher(handler, connect_timeout=3) as fetcher:
        result = await fetcher.fetch(PUBLIC + "/feed")
    assert (result.error_kind, result.error) == ("timeout", "connect timed out after 3 s")


async def test_unexpected_errors_become_results() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise RuntimeError("boom\nsecond line")

    async with mock_fetcher(handler) as fetcher:
        result = await fetcher.fetch(PUBLIC + "/feed")
    assert result.error_kind == "internal"
    assert result.error == "unexpected error: RuntimeError('boom\\nsecond line')"


async def test_unsupported_scheme_is_refused() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise AssertionError("must not be called")

    async with mock_fetcher(handler) as fetcher:
        result = await fetcher.fetch("ftp://example.com/feed")
    assert result.error_kind == "ssrf"
    assert result.error == "refused: 'ftp' URLs are not fetched (only http and https)"


async def test_fetch_outside_context_is_a_programming_error() -> None:
    with pytest.raises(RuntimeError, match="async with"):
        await Fetcher(Settings()).fetch(PUBLIC)


# ------------------------------------------------------------------------------------------
# Credentials in a feed URL against a real server on 127.0.0.1: the userinfo goes as HTTP
# Basic (never in the request target), only to that origin, and no error shows it.


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


# ------------------------------------------------------------------------------------------
# A redirect whose Location cannot be followed, from a real server on 127.0.0.1: a readable
# feed error naming the problem, never an internal error with a traceback.


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
