"""Polite, bounded HTTP fetching of feeds: bytes plus HTTP facts, never an exception.

    Fetcher.fetch(url, etag=…, last_modified=…)
      ──► SSRF check ──► per-host slot ──► GET (conditional) ──► 3xx? check + follow, by hand
      ──► stream and decode the body, at most max_body_bytes ──► sha256 ──► FetchResult

Bounds, so that one hostile or broken server cannot hurt the others:

* **time**: ``fetch_timeout`` is a deadline for the whole poll (all hops, headers
  and body), enforced with ``asyncio.timeout``; httpx's own timeouts are per
  read, which a server dripping one byte a second never trips.
* **memory**: the body is decoded here, chunk by chunk, with decompressors told
  how much output they may produce, so a 100 KB gzip bomb stops at
  ``max_body_bytes`` instead of inflating first (httpx decodes a whole network
  chunk at once, which for gzip is up to ~1000×). The bound holds for every layer
  of a stacked Content-Encoding and for the final flush, and at most
  ``MAX_CODINGS`` layers are undone.
* **politeness**: at most ``per_host_concurrency`` requests per host at once
  (miniflux #2336, #3289), a clear User-Agent, conditional GET with validators
  echoed exactly as received (RFC 9110 §13.1.1, §13.1.3; FreshRSS #6056).
* **safety**: every hop's target passes ``service.ssrf.check_url`` first (a pass is
  remembered for a few seconds: ``ssrf.PassedHosts``), and
  every connection is pinned to an address that passed (``service.http_transport``:
  its resolver returns only checked addresses).

Redirects are followed by hand (RFC 9110 §15.4) to check each hop, to name a
loop, and to report ``permanent_url`` only when every hop was 301 or 308:
one 302 in the chain means the publisher may point elsewhere tomorrow.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import re
import ssl
import zlib
from collections.abc import AsyncIterator
from dataclasses import replace
from http import HTTPStatus
from types import TracebackType
from typing import Any

import httpx

from service.http_transport import fast_client
from service.models import FetchResult, HttpFacts
from service.settings import Settings
from service.ssrf import PassedHosts, TargetRefused, UnresolvableHost
from service.url_secrets import redact_text, redact_url, without_userinfo
from workers.poll_request import PollRequests

log = logging.getLogger(__name__)

# Feed types first; generic XML and JSON next (many servers label feeds text/xml);
# anything last, because a feed served as text/html is still worth parsing.
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/rdf+xml;q=0.9, application/xml;q=0.9, text/xml;q=0.9, "
    "application/json;q=0.8, */*;q=0.5"
)
ACCEPT_ENCODING = "gzip, deflate, br"  # exactly what _Decoder below can undo
# Codings stacked on one body (RFC 9110 §8.4 allows a list). Servers send one; a proxy may
# add a second; more only multiplies a bomb's ratio.
MAX_CODINGS = 2
_GZIP_MAGIC = b"\x1f\x8b"  # RFC 1952 §2.3.1: ID1, ID2 open every member
REDIRECTS = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECTS = frozenset({301, 308})


class FetchFailed(Exception):
    """A poll failed: ``kind`` is a short tag, the message one readable line."""

    def __init__(
        self, kind: str, message: str, *, status: int | None = None, facts: HttpFacts | None = None
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.status = status
        self.facts = facts or HttpFacts()


class Fetcher:
    """One shared HTTP client for many polls; use as ``async with Fetcher(settings) as f``.

    ``transport`` replaces the network (``httpx.MockTransport`` in unit tests).
    """

    def __init__(
        self, settings: Settings, *, transport: httpx.AsyncBaseTransport | None = None
    ) -> None:
        self.settings = settings
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        self._requests: PollRequests | None = None
        self._hosts = _HostSlots(settings.per_host_concurrency)
        self._passed = PassedHosts(allow_private=settings.allow_private_targets)

    async def __aenter__(self) -> Fetcher:
        s = self.settings
        self._client = fast_client(
            allow_private=s.allow_private_targets,
            max_connections=s.max_connections,
            transport=self._transport,
            timeout=httpx.Timeout(s.fetch_timeout, connect=s.connect_timeout),
            follow_redirects=False,  # by hand, below: every hop is checked and recorded
            headers={
                "User-Agent": s.user_agent,
                "Accept": ACCEPT,
                "Accept-Encoding": ACCEPT_ENCODING,
            },
        )
        self._requests = PollRequests(self._client)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = self._requests = None

    async def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        previous_hash: str | None = None,
    ) -> FetchResult:
        """Poll ``url`` once. Network and HTTP problems come back as ``error``/``error_kind``.

        ``etag``/``last_modified`` are the validators of the last good response,
        sent back byte for byte. ``previous_hash`` is the last body's hash: the
        result is the same either way (the caller compares ``body_hash`` and
        skips parsing); it only tells the debug log that nothing changed.
        """
        if self._client is None or self._requests is None:
            raise RuntimeError("Fetcher is used outside 'async with'")
        loop = asyncio.get_running_loop()
        started = loop.time()
        conditional = {}
        if etag:
            conditional["If-None-Match"] = etag
        if last_modified:
            conditional["If-Modified-Since"] = last_modified
        try:
            result = await self._poll(self._client, self._requests, url, conditional)
        except FetchFailed as failure:
            result = FetchResult(
                url=url,
                status=failure.status,
                facts=failure.facts,
                error=_one_line(redact_text(str(failure))),  # stored, logged and shown
                error_kind=failure.kind,
            )
        except Exception as exc:  # a bug or an exotic library error: report, never crash a batch
            log.exception("unexpected error fetching %s", redact_url(url))
            result = FetchResult(
                url=url,
                status=None,
                error=_one_line(redact_text(f"unexpected error: {exc!r}")),
                error_kind="internal",
            )
        if previous_hash is not None and result.body_hash == previous_hash:
            log.debug("unchanged body: %s", url)
        return replace(result, elapsed=loop.time() - started)

    async def _poll(
        self,
        client: httpx.AsyncClient,
        requests: PollRequests,
        url: str,
        conditional: dict[str, str],
    ) -> FetchResult:
        # The deadline starts once the first host slot is ours: queueing behind other
        # feeds of the same host is not this server being slow (that wait has its own
        # bound, see _HostSlots), and a feed must not be marked failing for it.
        timeout = self.settings.fetch_timeout
        deadline = asyncio.timeout(None)
        try:
            async with deadline:
                return await self._follow(client, requests, url, conditional, deadline)
        except TimeoutError:
            if deadline.expired():
                raise FetchFailed("timeout", f"timed out after {timeout:g} s") from None
            raise
        except httpx.HTTPError as exc:
            raise _http_failure(exc, self.settings) from None
        except UnresolvableHost as exc:
            raise FetchFailed("dns", str(exc)) from None
        except TargetRefused as exc:  # from check_url, or the connection's resolver
            raise FetchFailed("ssrf", str(exc)) from None

    async def _follow(
        self,
        client: httpx.AsyncClient,
        requests: PollRequests,
        url: str,
        conditional: dict[str, str],
        deadline: asyncio.Timeout,
    ) -> FetchResult:
        chain: list[str] = []  # every URL requested, as httpx normalized it
        permanent = True
        current = url
        # Credentials in a URL's userinfo go as HTTP Basic to that URL's origin only: a
        # redirect elsewhere must not carry them (as browsers and curl do).
        credentials: tuple[tuple[str, str | None, int | None], str] | None = None
        while True:
            current, authorization = without_userinfo(current)
            if authorization is not None:
                credentials = (_origin(current), authorization)
            await self._passed.check(current)
            request = _build_request(requests, current, conditional)
            if credentials is not None and _origin(str(request.url)) == credentials[0]:
                request.headers["Authorization"] = credentials[1]
            chain.append(str(request.url))
            async with self._hosts.slot(request.url.host, wait=self.settings.fetch_timeout):
                if deadline.when() is None:
                    deadline.reschedule(
                        asyncio.get_running_loop().time() + self.settings.fetch_timeout
                    )
                try:
                    response = await client.send(request, stream=True)
                except (httpx.InvalidURL, ValueError) as exc:
                    # httpx reads a redirect's Location inside send (to offer the next
                    # request) and raises on one it cannot parse (a scheme without "//",
                    # a malformed IDNA label): the server's error, not ours.
                    raise FetchFailed("redirects", f"bad redirect Location: {exc}") from None
                try:
                    if response.status_code not in REDIRECTS:
                        result = await self._finish(url, response, conditional=bool(conditional))
                        moved = permanent and len(chain) > 1 and chain[-1] != chain[0]
                        if moved and result.ok:
                            target = _keep_userinfo(url, chain[-1])
                            return replace(result, permanent_url=target)
                        return result
                    location = response.headers.get("location")
                    status = response.status_code
                finally:
                    await response.aclose()
            if not location:
                raise FetchFailed(
                    "http", f"HTTP {status} {_reason(response)} without a Location", status=status
                )
            permanent = permanent and status in PERMANENT_REDIRECTS
            current = _join(response.url, location)
            if current in chain:
                loop = " -> ".join([*chain[chain.index(current) :], current])
                raise FetchFailed("redirects", f"too many redirects (loop: {loop})", status=status)
            if len(chain) > self.settings.max_redirects:
                raise FetchFailed(
                    "redirects",
                    f"too many redirects (more than {self.settings.max_redirects}, last {current})",
                    status=status,
                )

    async def _finish(
        self, url: str, response: httpx.Response, *, conditional: bool
    ) -> FetchResult:
        status = response.status_code
        facts = _facts(response.headers)
        if status == 304 and conditional:
            return FetchResult(url=url, status=status, facts=facts)
        if status == 304:
            # RFC 9110 §15.4.5: a 304 answers a conditional request only. To a request
            # without validators it says nothing about any copy we hold, and taken as
            # "unchanged" it would show a feed that never sent a document as healthy.
            raise FetchFailed(
                "http",
                "HTTP 304 Not Modified to a request without validators "
                "(no If-None-Match or If-Modified-Since was sent)",
                status=status,
                facts=facts,
            )
        if not 200 <= status < 300:
            raise FetchFailed(
                "http", f"HTTP {status} {_reason(response)}", status=status, facts=facts
            )
        try:
            body = await _read_body(response, self.settings.max_body_bytes)
        except httpx.HTTPError as exc:  # the connection broke mid-body
            failure = _http_failure(exc, self.settings)
            raise FetchFailed(failure.kind, str(failure), status=status, facts=facts) from None
        except FetchFailed as failure:
            raise FetchFailed(failure.kind, str(failure), status=status, facts=facts) from None
        return FetchResult(
            url=url,
            status=status,
            facts=facts,
            body=body,
            body_hash=hashlib.sha256(body).hexdigest(),
        )


# --- body: stream, decode, bound ----------------------------------------------------------


async def _read_body(response: httpx.Response, limit: int) -> bytes:
    """The decoded body, or FetchFailed("too_large") as soon as it passes ``limit`` bytes."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise FetchFailed("too_large", f"response larger than {_size(limit)}")
    decoder = _Decoder(response.headers.get("content-encoding", ""), limit)
    parts: list[bytes] = []
    size = 0
    async for raw in response.aiter_raw():
        chunk = decoder.feed(raw)
        size += len(chunk)
        if size > limit:
            raise FetchFailed("too_large", f"response larger than {_size(limit)}")
        parts.append(chunk)
    tail = decoder.flush()
    if size + len(tail) > limit:
        raise FetchFailed("too_large", f"response larger than {_size(limit)}")
    parts.append(tail)
    return b"".join(parts)


class _Decoder:
    """Undo Content-Encoding (RFC 9110 §8.4) without ever producing more than ``limit`` bytes.

    Codings are listed in the order applied, so they are undone right to left. Every
    stage is bounded by ``limit`` on its own (FetchFailed "too_large" past it): the
    output of an outer layer is the input of the next, and an unbounded middle layer
    would inflate in memory before the last one is asked.
    """

    def __init__(self, content_encoding: str, limit: int) -> None:
        codings = [c.strip().lower() for c in content_encoding.split(",")]
        codings = [c for c in codings if c and c != "identity"]
        if len(codings) > MAX_CODINGS:
            raise FetchFailed(
                "decode", f"more than {MAX_CODINGS} content codings ({', '.join(codings)})"
            )
        self._stages = [_Stage(c, limit) for c in reversed(codings)]

    def feed(self, data: bytes) -> bytes:
        for stage in self._stages:
            data = stage.feed(data)
        return data

    def flush(self) -> bytes:
        data = b""
        for stage in self._stages:
            data = stage.feed(data) + stage.flush()
        return data


class _Stage:
    def __init__(self, coding: str, limit: int) -> None:
        self.coding = coding
        self.limit = limit
        self.produced = 0
        self._brotli: Any = None
        self._zlib: Any = None
        self._first = True
        self._received = False  # any input at all: an empty body is no truncated stream
        self._gzip = coding in ("gzip", "x-gzip")
        self._between = b""  # input after a gzip member's end, too short to judge yet
        self._junk = False  # input after the last gzip member that is no member: ignored
        self._head = b""  # a deflate body's first byte, until the second tells zlib from raw
        if self._gzip:
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS | 16)
        elif coding == "deflate":
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS)
        elif coding == "br":
            import brotli  # httpx[brotli]

            self._brotli = brotli.Decompressor()
        else:
            raise FetchFailed("decode", f"unsupported Content-Encoding: {coding}")

    def feed(self, data: bytes) -> bytes:
        """Decode ``data``; FetchFailed "too_large" once this stage passes the limit.

        ``room`` is at least 1 here (``produced`` never stays above the limit), which
        matters: a ``max_length`` of 0 means "unbounded" to zlib. The decompressors hold
        input back only when the output filled ``room``, and that output is one byte over
        the limit: so a stage that returns holds no input back.
        """
        if not data:
            return b""
        self._received = True
        room = self.limit - self.produced + 1  # one byte over the limit proves "too large"
        try:
            out = self._feed(data, room)
        except Exception as exc:  # zlib.error, brotli.error: a body that is not what it says
            raise FetchFailed("decode", f"cannot decode {self.coding} body: {exc}") from None
        return self._count(out)

    def _count(self, out: bytes) -> bytes:
        self.produced += len(out)
        if self.produced > self.limit:
            raise FetchFailed("too_large", f"response larger than {_size(self.limit)}")
        return out

    def _feed(self, data: bytes, room: int) -> bytes:
        if self._brotli is not None:
            return bytes(self._brotli.process(data, output_buffer_limit=room))
        if self._gzip:
            return self._gunzip(data, room)
        if self._first and self.coding == "deflate":
            # "deflate" is zlib-wrapped (RFC 9110 §8.4.1.2), but some servers send it raw.
            # zlib judges its two-byte header only once it has both bytes.
            data = self._head + data
            if len(data) < 2:
                self._head = data
                return b""
            self._head = b""
            self._first = False
            try:
                return self._zlib.decompress(data, room)
            except zlib.error:
                self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
        return self._zlib.decompress(data, room)

    def _gunzip(self, data: bytes, room: int) -> bytes:
        """Every member of a gzip stream, within ``room`` bytes of output.

        A gzip file is one or more members, each with its own header and trailer (RFC 1952
        §2.2), and a decoder must undo them all (gzip(1), Go's ``gzip.Reader``); zlib stops
        at the first member's end and leaves the rest in ``unused_data``. What follows a
        member and does not start with the gzip magic bytes is trailing junk, ignored as
        browsers do. A member that fills ``room`` is not at its end (its input is held in
        ``unconsumed_tail``), and the caller raises "too_large" for that output.
        """
        parts: list[bytes] = []
        while data and not self._junk:
            if self._zlib.eof:  # after a member: another member, or trailing junk
                data = self._between + data
                if len(data) < len(_GZIP_MAGIC):  # the magic is split over two reads
                    self._between = data
                    break
                self._between = b""
                if not data.startswith(_GZIP_MAGIC):
                    self._junk = True
                    break
                self._zlib = zlib.decompressobj(zlib.MAX_WBITS | 16)
            out = self._zlib.decompress(data, room)
            parts.append(out)
            room -= len(out)
            if room <= 0:
                break
            data = self._zlib.unused_data if self._zlib.eof else b""
        return b"".join(parts)

    def flush(self) -> bytes:
        """What the decompressor still holds, bounded like ``feed``.

        zlib's ``flush()`` inflates any input held back (``unconsumed_tail``) with no
        output bound at all; ``feed`` leaves none, and were there any it would go through
        the bounded ``decompress`` first, so ``flush()`` only ever sees an empty tail.
        """
        if self._zlib is None:
            self._check_complete(self._brotli is None or self._brotli.is_finished())
            return b""
        try:
            out = b""
            tail = self._zlib.unconsumed_tail
            if tail:  # all of it consumed unless the output fills room: _count raises then
                out = self._count(self._zlib.decompress(tail, self.limit - self.produced + 1))
            out += self._count(self._zlib.flush())
        except zlib.error as exc:
            raise FetchFailed("decode", f"cannot decode {self.coding} body: {exc}") from None
        self._check_complete(self._zlib.eof and not self._between)
        return out

    def _check_complete(self, ended: bool) -> None:
        """FetchFailed "decode" when the body stopped before its compressed stream did.

        The transfer itself was whole (a short Content-Length or chunked body fails as a
        protocol error before this), so the server compressed a document and sent part
        of it: a parser would take the part for the document, a cut item for an item.
        Go's ``gzip.Reader`` fails the same way (``unexpected EOF``); an empty body is
        left to the parser ("the body is empty"). A gzip member's magic split at the end
        counts as a member that never came.
        """
        if self._received and not ended:
            raise FetchFailed("decode", f"{self.coding} body is truncated (it ends mid-stream)")


# --- helpers -----------------------------------------------------------------------------


class _HostSlots:
    """A semaphore per host, dropped when nobody holds or waits for it (tens of
    thousands of hosts must not leave tens of thousands of semaphores behind).

    Waiting for a slot is bounded too, so a poll takes at most twice the deadline.
    """

    def __init__(self, per_host: int) -> None:
        self._per_host = per_host
        self._slots: dict[str, tuple[asyncio.Semaphore, int]] = {}

    @contextlib.asynccontextmanager
    async def slot(self, host: str, *, wait: float) -> AsyncIterator[None]:
        semaphore, users = self._slots.get(host) or (asyncio.Semaphore(self._per_host), 0)
        self._slots[host] = (semaphore, users + 1)
        try:
            try:
                if semaphore.locked():
                    async with asyncio.timeout(wait):
                        await semaphore.acquire()
                else:  # free: taken at once, no timer to arm and cancel
                    await semaphore.acquire()
            except TimeoutError:
                raise FetchFailed(
                    "timeout",
                    f"no free slot for {host} within {wait:g} s "
                    f"(at most {self._per_host} requests per host at once)",
                ) from None
            try:
                yield
            finally:
                semaphore.release()
        finally:
            semaphore, users = self._slots[host]
            if users <= 1:
                del self._slots[host]
            else:
                self._slots[host] = (semaphore, users - 1)

    def __len__(self) -> int:
        return len(self._slots)


def _build_request(requests: PollRequests, url: str, conditional: dict[str, str]) -> httpx.Request:
    try:
        return requests.build(url, conditional)
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
        raise FetchFailed("url", f"invalid URL: {exc}") from None


def _origin(url: str) -> tuple[str, str | None, int | None]:
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError):
        return url, None, None  # refused as an invalid URL when its request is built
    return parsed.scheme, parsed.host, parsed.port


def _keep_userinfo(original: str, moved_to: str) -> str:
    """The URL a feed moved to, with the original's userinfo when it stays on the same
    origin (the credentials still apply there), so the stored URL keeps working."""
    bare, authorization = without_userinfo(original)
    if authorization is None or _origin(bare) != _origin(moved_to):
        return moved_to
    userinfo = original.split("://", 1)[1].rpartition("@")[0]
    scheme, _, rest = moved_to.partition("://")
    return f"{scheme}://{userinfo}@{rest}"


def _join(base: httpx.URL, location: str) -> str:
    try:
        return str(base.join(location.strip()))
    except (httpx.InvalidURL, ValueError) as exc:
        raise FetchFailed("redirects", f"bad redirect Location {location!r}: {exc}") from None


_FACT_HEADERS = frozenset(
    {"etag", "last-modified", "cache-control", "expires", "retry-after", "content-type", "date"}
)


def _facts(headers: httpx.Headers) -> HttpFacts:
    # One pass over the headers rather than a lookup (a scan) per fact; a repeated header
    # reads as its values joined with ", ", as ``Headers.get`` gives it (RFC 9110 §5.3).
    found: dict[str, str] = {}
    for name, value in headers.multi_items():  # names lower-cased
        if name in _FACT_HEADERS:
            found[name] = f"{found[name]}, {value}" if name in found else value
    return HttpFacts(
        etag=found.get("etag"),
        last_modified=found.get("last-modified"),
        cache_control=found.get("cache-control"),
        expires=found.get("expires"),
        retry_after=found.get("retry-after"),
        content_type=found.get("content-type"),
        date=found.get("date"),
    )


def _http_failure(exc: httpx.HTTPError, settings: Settings) -> FetchFailed:
    detail = str(exc) or type(exc).__name__
    if isinstance(exc, httpx.ConnectTimeout):
        return FetchFailed("timeout", f"connect timed out after {settings.connect_timeout:g} s")
    if isinstance(exc, httpx.TimeoutException):
        return FetchFailed("timeout", f"timed out after {settings.fetch_timeout:g} s ({detail})")
    if isinstance(exc, httpx.ConnectError) and _is_tls(exc):
        return FetchFailed("tls", f"TLS error: {detail}")
    if isinstance(exc, httpx.ConnectError):
        return FetchFailed("connect", f"cannot connect: {_SSL_NOTE.sub('', detail)}")
    if isinstance(exc, httpx.RemoteProtocolError):
        return FetchFailed("protocol", f"protocol error: {detail}")
    if isinstance(exc, httpx.DecodingError):
        return FetchFailed("decode", f"cannot decode body: {detail}")
    if isinstance(exc, httpx.UnsupportedProtocol):
        return FetchFailed("url", f"invalid URL: {detail}")
    return FetchFailed("network", f"network error: {detail}")


# aiohttp names its ssl argument in every connect error ("Cannot connect to host h:80
# ssl:default [...]"), for http:// URLs too; a refused or unreachable connection has
# nothing to do with TLS, so the note only misleads.
_SSL_NOTE = re.compile(r" ssl:(?:default|None|True|False|<[^>]*>)")


def _is_tls(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLError) or "SSL" in str(seen) or "CERTIFICATE" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _reason(response: httpx.Response) -> str:
    if response.reason_phrase:
        return response.reason_phrase
    try:
        return HTTPStatus(response.status_code).phrase
    except ValueError:
        return ""


def _size(n: int) -> str:
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:g} {unit}"
    return f"{n} bytes"


def _one_line(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
