"""httpx's transport interface on an aiohttp ``ClientSession``: an ``httpx.Request`` in,
an ``httpx.Response`` out, aiohttp's exceptions raised as httpx's.

    AiohttpTransport(session_factory).handle_async_request(request) -> httpx.Response

What it hands aiohttp, and why each piece is built the way it is:

* the URL as a ``yarl.URL``, parsed once per URL text (``_yarl_url``): a feed's URL
  repeats on every poll, and yarl's parse is a tenth of the transport's own work;
* the headers as a ``CIMultiDict`` made from httpx's view of them (names lower-cased,
  repeated names joined with ", " as ``httpx.Headers.items`` gives them);
* httpx's per-request timeouts as one shared ``aiohttp.ClientTimeout`` per combination:
  ``connect`` becomes ``sock_connect``, ``read`` ``sock_read`` (per read, not per
  response), ``pool`` ``connect`` (waiting for a pooled connection plus connecting);
  ``write`` has no aiohttp equivalent;
* the body as bytes when the request was read (webhooks), as a stream otherwise
  (aiohttp then sends it chunked).

A response head (status line aside) larger than ``max_head_bytes`` in all is refused
with ``RemoteProtocolError`` before httpx copies it: aiohttp bounds each line and the
number of fields, not their sum, so 256 fields of 16 KiB each would otherwise reach the
caller as a 4 MiB answer.

A response whose body is already complete and empty when its head has been read (a 304,
a 204, a ``Content-Length: 0``: RFC 9112 §6.3) gives its connection back to the pool at
once and reaches httpx with an empty stream, so closing it costs nothing. Any other
body streams from aiohttp as it arrives, undecoded (the session's ``auto_decompress``
is off: callers bound decoded sizes themselves).

Errors (``translate``): aiohttp's connection-level exceptions become the httpx
exceptions our callers handle, judged by the exception aiohttp raised: refused or
unreachable is ``ConnectError``, a socket read timeout ``ReadTimeout``, a malformed
answer ``RemoteProtocolError``. Why our own and not the httpx-aiohttp package (0.2): that
one maps every ``ClientConnectionError`` to ``ConnectTimeout`` and rebuilds per request
the URL, timeout and header objects that repeat.
"""

from __future__ import annotations

import asyncio
import functools
import re
from collections.abc import AsyncIterator, Callable

import aiohttp
import httpx
from multidict import CIMultiDict
from yarl import URL

from service.feed_url_cache import FeedUrlMemo

__all__ = ["AiohttpTransport", "translate"]

CHUNK_SIZE = 16 * 1024  # largest piece of body handed to httpx at once
HTTP_11 = {"http_version": b"HTTP/1.1"}
_EMPTY = httpx.ByteStream(b"")  # stateless: one serves every bodiless response


class AiohttpTransport(httpx.AsyncBaseTransport):
    """Send httpx requests through an aiohttp session made on first use (it needs a
    running loop), without redirects (httpx's client or the caller follows them)."""

    def __init__(
        self, session: Callable[[], aiohttp.ClientSession], *, max_head_bytes: int | None = None
    ) -> None:
        self._make_session = session
        self._session: aiohttp.ClientSession | None = None
        self._max_head = max_head_bytes

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        session = self._session
        if session is None:
            session = self._session = self._make_session()
        timeout = request.extensions.get("timeout", {})
        try:
            response = await session.request(
                request.method,
                _yarl_url(str(request.url)),
                headers=CIMultiDict(request.headers.items()),
                data=_body(request),
                allow_redirects=False,
                timeout=_client_timeout(
                    timeout.get("connect"), timeout.get("read"), timeout.get("pool")
                ),
                server_hostname=request.extensions.get("sni_hostname"),
            )
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise translate(exc, request) from exc
        if self._max_head is not None:
            size = _head_size(response.raw_headers)
            if size > self._max_head:
                response.close()  # its body unread: a connection still reading it is closed
                raise httpx.RemoteProtocolError(
                    f"response headers of {size:,} bytes, over the {self._max_head:,}-byte limit",
                    request=request,
                )
        extensions = HTTP_11
        if response.reason:
            extensions = {**HTTP_11, "reason_phrase": response.reason.encode()}
        stream: httpx.AsyncByteStream
        if response.content.at_eof():
            response.release()  # the connection goes back to the pool now
            stream = _EMPTY
        else:
            stream = _ResponseStream(response, request)
        return httpx.Response(
            status_code=response.status,
            headers=response.raw_headers,
            stream=stream,
            request=request,
            extensions=extensions,
        )

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()


class _ResponseStream(httpx.AsyncByteStream):
    def __init__(self, response: aiohttp.ClientResponse, request: httpx.Request) -> None:
        self._response = response
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._response.content.iter_chunked(CHUNK_SIZE):
                yield chunk
        except (TimeoutError, aiohttp.ClientError) as exc:
            raise translate(exc, self._request) from exc

    async def aclose(self) -> None:
        try:
            self._response.release()
            await self._response.wait_for_close()
        except aiohttp.ClientError as exc:
            raise translate(exc, self._request) from exc


def _head_size(raw_headers: tuple[tuple[bytes, bytes], ...]) -> int:
    """The header fields' size as sent, less any whitespace around values: ``name: value``
    plus CRLF each (RFC 9112 §5)."""
    return sum(len(name) + len(value) + 4 for name, value in raw_headers)


# aiohttp's LineTooLong quotes up to 100 bytes of the offending line: the peer's bytes,
# not a reason anyone can read.
_TOO_LONG = re.compile(r"^(Got more than \d+ bytes) when reading: .*", re.DOTALL)


def _body(request: httpx.Request) -> bytes | httpx.AsyncByteStream | None:
    try:
        content = request.content
    except httpx.RequestNotRead:  # a streamed body: aiohttp sends it chunked
        request.headers.pop("transfer-encoding", None)  # aiohttp writes its own
        assert isinstance(request.stream, httpx.AsyncByteStream)
        return request.stream
    return content or None


# A feed's URL repeats on every poll (the bound: service/feed_url_cache.py).
_yarl_url = FeedUrlMemo(URL)


@functools.lru_cache(maxsize=64)  # the callers' few timeout settings
def _client_timeout(
    connect: float | None, read: float | None, pool: float | None
) -> aiohttp.ClientTimeout:
    return aiohttp.ClientTimeout(sock_connect=connect, sock_read=read, connect=pool)


def translate(exc: BaseException, request: httpx.Request) -> BaseException:
    """The httpx exception our callers handle for the aiohttp (or timeout) ``exc``."""
    message = str(exc) or type(exc).__name__
    kind: type[httpx.RequestError]
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        kind = httpx.ConnectTimeout
    elif isinstance(exc, aiohttp.SocketTimeoutError):
        kind = httpx.ReadTimeout
    elif isinstance(exc, asyncio.TimeoutError):  # ServerTimeoutError and plain ones
        kind = httpx.TimeoutException
    elif isinstance(exc, aiohttp.ClientConnectorError):  # refused, TLS, unreachable
        kind = httpx.ConnectError
    elif isinstance(exc, aiohttp.ServerDisconnectedError | aiohttp.ClientPayloadError):
        kind = httpx.RemoteProtocolError
    elif isinstance(exc, aiohttp.ClientResponseError):  # a malformed status line/header
        kind = httpx.RemoteProtocolError
        message = _TOO_LONG.sub(r"\1 in one response line or header field", exc.message or message)
    elif isinstance(exc, aiohttp.InvalidURL | aiohttp.NonHttpUrlClientError):
        kind = httpx.UnsupportedProtocol
    else:
        kind = httpx.ReadError
    # aiohttp's parser errors span lines (the bad line, then a caret under the fault).
    return kind(" ".join(message.split()), request=request)
