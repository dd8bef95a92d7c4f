"""service/aiohttp_transport.py: httpx requests through aiohttp, against raw servers on
127.0.0.1; aiohttp's exceptions as httpx's (a table of named cases)."""

from __future__ import annotations

import asyncio
import functools

import aiohttp
import httpx
import pytest

from service.aiohttp_transport import AiohttpTransport, translate
from tests.support.net import raw_server


def transport(max_head_bytes: int | None = None) -> AiohttpTransport:
    return AiohttpTransport(
        lambda: aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=1), auto_decompress=False
        ),
        max_head_bytes=max_head_bytes,
    )


async def answer_each(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, answer: bytes
) -> None:
    while True:
        try:
            await reader.readuntil(b"\r\n\r\n")
        except asyncio.IncompleteReadError:
            return
        writer.write(answer)
        await writer.drain()


async def test_a_304_frees_its_connection_before_it_is_closed() -> None:
    answer = b'HTTP/1.1 304 Not Modified\r\nETag: "v1"\r\n\r\n'
    http = transport()

    handle = functools.partial(answer_each, answer=answer)

    async with raw_server(handle) as (base, connections):
        first = await http.handle_async_request(httpx.Request("GET", base + "/a"))
        # One connection in the pool: the second request gets it while the first
        # response is still open, because a bodiless answer gave it back at once.
        second = await asyncio.wait_for(
            http.handle_async_request(httpx.Request("GET", base + "/b")), timeout=30
        )
        bodies = [await response.aread() for response in (first, second)]
        await first.aclose()
        await second.aclose()
        await http.aclose()
    assert [first.status_code, second.status_code] == [304, 304]
    assert first.headers["etag"] == '"v1"' and first.reason_phrase == "Not Modified"
    assert bodies == [b"", b""]
    assert connections == [1]


async def test_a_body_streams_and_its_connection_is_reused_after_close() -> None:
    answer = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"
    http = transport()

    handle = functools.partial(answer_each, answer=answer)

    async with raw_server(handle) as (base, connections):
        bodies = []
        for path in ("/a", "/b"):
            response = await http.handle_async_request(httpx.Request("GET", base + path))
            bodies.append(b"".join([chunk async for chunk in response.aiter_raw()]))
            await response.aclose()
        await http.aclose()
    assert bodies == [b"hello", b"hello"]
    assert connections == [1]


async def test_a_request_body_is_sent_with_its_length() -> None:
    received: list[bytes] = []

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        received.append(head)
        received.append(await reader.readexactly(7))
        writer.write(b"HTTP/1.1 204 No Content\r\n\r\n")
        await writer.drain()

    http = transport()
    async with raw_server(handle) as (base, _):
        response = await http.handle_async_request(
            httpx.Request("POST", base + "/hook", content=b'{"a":1}')
        )
        await response.aclose()
        await http.aclose()
    assert response.status_code == 204
    assert b"content-length: 7" in received[0].lower() and received[1] == b'{"a":1}'


async def test_headers_over_the_head_limit_are_a_protocol_error() -> None:
    answer = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nX-Pad: " + b"p" * 100 + b"\r\n\r\nok"
    size = (len("Content-Length") + 1 + 4) + (len("X-Pad") + 100 + 4)
    at_limit, under_limit = transport(max_head_bytes=size), transport(max_head_bytes=size - 1)
    handle = functools.partial(answer_each, answer=answer)

    async with raw_server(handle) as (base, _):
        accepted = await at_limit.handle_async_request(httpx.Request("GET", base + "/a"))
        assert await accepted.aread() == b"ok"
        await accepted.aclose()
        with pytest.raises(httpx.RemoteProtocolError) as refused:
            await under_limit.handle_async_request(httpx.Request("GET", base + "/b"))
        await at_limit.aclose()
        await under_limit.aclose()
    assert str(refused.value) == f"response headers of {size} bytes, over the {size - 1}-byte limit"


REQUEST = httpx.Request("GET", "http://127.0.0.1/feed")


@pytest.mark.parametrize(
    ("raised", "expected"),
    [
        pytest.param(aiohttp.ConnectionTimeoutError(), httpx.ConnectTimeout, id="connect timeout"),
        pytest.param(aiohttp.SocketTimeoutError(), httpx.ReadTimeout, id="read timeout"),
        pytest.param(TimeoutError(), httpx.TimeoutException, id="other timeout"),
        pytest.param(aiohttp.ServerDisconnectedError(), httpx.RemoteProtocolError, id="hang-up"),
        pytest.param(aiohttp.ClientPayloadError("cut"), httpx.RemoteProtocolError, id="payload"),
        pytest.param(aiohttp.InvalidURL("x"), httpx.UnsupportedProtocol, id="invalid URL"),
        pytest.param(aiohttp.ClientOSError(104, "reset"), httpx.ReadError, id="reset"),
    ],
)
def test_translate(raised: BaseException, expected: type[httpx.HTTPError]) -> None:
    translated = translate(raised, REQUEST)
    assert type(translated) is expected
    assert isinstance(translated, httpx.RequestError) and translated.request is REQUEST


def test_translate_keeps_a_parser_message_on_one_line() -> None:
    raised = aiohttp.ClientResponseError(
        aiohttp.RequestInfo(aiohttp.client.URL("http://x/"), "GET", {}),  # type: ignore[arg-type]
        (),
        message="Invalid status line:\n  HTTP/1.1 abc\n          ^",
    )
    translated = translate(raised, REQUEST)
    assert isinstance(translated, httpx.RemoteProtocolError)
    assert str(translated) == "Invalid status line: HTTP/1.1 abc ^"


def test_translate_names_an_over_long_line_without_quoting_it() -> None:
    raised = aiohttp.ClientResponseError(
        aiohttp.RequestInfo(aiohttp.client.URL("http://x/"), "GET", {}),  # type: ignore[arg-type]
        (),
        message="Got more than 16384 bytes when reading: b'aaaaaaaaaa...'.",
    )
    translated = translate(raised, REQUEST)
    assert str(translated) == "Got more than 16384 bytes in one response line or header field"
