"""The one way our outbound HTTP clients are built: httpx API, aiohttp underneath, SSRF-pinned.

    fast_client(allow_private=…, max_connections=…) -> httpx.AsyncClient
      httpx (requests, headers, URLs, redirects if asked)
        └─ GuardedTransport: IP literals judged here
             └─ service.aiohttp_transport.AiohttpTransport: aiohttp errors → httpx errors
                  └─ aiohttp.ClientSession (no decompression, no cookies, no proxy)
                       ─ TCPConnector(limit) ─ GuardedResolver

Why not httpx's own transport: httpcore + h11 in pure Python spend several times the CPU
of aiohttp's C parser per request, and httpcore scans its whole pool on every request
(encode/httpcore#928, #1035; docs/design.md). The callers keep httpx's API, so the feed
fetcher and the webhook sender see ``httpx.Response`` and the ``httpx.HTTPError`` family
whatever transport is underneath.

The SSRF guard (``service.ssrf``, one set of rules) sits where the connection is made:

* host names go through ``GuardedResolver``, an aiohttp resolver that resolves with the
  loop's ``getaddrinfo`` (``ssrf.resolve``), judges **every** address and hands aiohttp
  only addresses it judged, so aiohttp connects to what was checked (no DNS rebinding
  window between a check and a second lookup). aiohttp caches those answers for
  ``ttl_dns_cache`` seconds: cached answers were judged too.
* aiohttp does not ask a resolver about IP literals (``TCPConnector._resolve_host``), so
  ``GuardedTransport`` judges literal hosts itself before each request; and what counts
  as a literal has changed between aiohttp versions (up to 3.14.0 any all-digit host,
  "127.1" and "2130706433" included, went to the socket unchecked), so it first refuses
  every non-canonical numeric host (``ssrf.refuse_numeric_host``) before aiohttp sees
  the request, whatever the installed aiohttp makes of it. The resolver refuses them too.

Refusals raise ``ssrf.TargetRefused`` / ``ssrf.UnresolvableHost`` out of ``client.send``.

Other choices, each because our callers rely on it:

* ``auto_decompress=False``: workers/http_fetch.py decodes bodies itself with bounded output
  (a gzip bomb stops at ``max_body_bytes``); aiohttp would inflate whole chunks.
* ``DummyCookieJar``: httpx's client already keeps cookies; two jars would send twice.
* ``trust_env=False``: a proxy from the environment would bypass the address check.
* header limits at h11's level (16 KiB a line/field rather than aiohttp's 8,190 bytes):
  real feeds send long Content-Security-Policy and Set-Cookie headers; and 64 KiB for
  all header fields together (``MAX_HEAD``), which aiohttp does not bound: a feed server
  or webhook receiver sending 2 MB of headers is a protocol error, for both callers.
* errors: ``service.aiohttp_transport.translate`` maps each aiohttp exception to the httpx
  one our callers handle ("connection refused" is a ``ConnectError``, not a timeout).
"""

from __future__ import annotations

import functools
import ipaddress
import socket
import ssl
from typing import Any

import aiohttp
import httpx
from aiohttp.abc import AbstractResolver, ResolveResult

from service.aiohttp_transport import AiohttpTransport
from service.ssrf import (
    TargetRefused,
    address_problem,
    numeric_host_problem,
    refuse_numeric_host,
    resolve,
)

__all__ = ["GuardedResolver", "GuardedTransport", "fast_client", "fast_transport"]

# h11's default max_incomplete_event_size is 16 KiB for the whole head; aiohttp limits
# each line and field instead. 16 KiB each keeps what h11 accepted, bounded.
MAX_LINE = 16 * 1024
MAX_HEADERS = 256
# All fields together: four times what h11 accepted for the whole head, a quarter of
# Chromium's 256 KiB (net::HttpStreamParser's kMaxHeaderBufSize).
MAX_HEAD = 64 * 1024
KEEPALIVE_SECONDS = 5.0  # httpx.Limits' default keepalive_expiry


class GuardedResolver(AbstractResolver):
    """Resolve a host name and return only addresses that pass ``ssrf.address_problem``.

    One refused address refuses the host (as ``ssrf.check_url``): a DNS server answering
    round-robin would otherwise get a private address through on some connections.
    """

    def __init__(self, *, allow_private: bool) -> None:
        self.allow_private = allow_private

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        refuse_numeric_host(host)
        addresses = await resolve(host, port)  # UnresolvableHost when there are none
        for address in addresses:
            problem = address_problem(address, allow_private=self.allow_private)
            if problem is not None:
                raise TargetRefused(f"{host} resolves to {address}, {problem}")
        wanted = {socket.AF_INET: 4, socket.AF_INET6: 6}.get(family)
        results: list[ResolveResult] = [
            {
                "hostname": host,
                "host": str(address),
                "port": port,
                "family": socket.AF_INET if address.version == 4 else socket.AF_INET6,
                "proto": 0,
                # Numeric: aiohttp must not resolve the checked address again.
                "flags": socket.AI_NUMERICHOST | socket.AI_NUMERICSERV,
            }
            for address in addresses
            if wanted is None or address.version == wanted
        ]
        if not results:
            raise TargetRefused(f"{host} has no IPv{wanted} address")
        return results

    async def close(self) -> None:
        return None


class GuardedTransport(httpx.AsyncBaseTransport):
    """``AiohttpTransport`` with literal hosts judged before aiohttp sees them."""

    def __init__(self, inner: AiohttpTransport, *, allow_private: bool) -> None:
        self._inner = inner
        self._allow_private = allow_private

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        refusal = _literal_refusal(request.url.host, self._allow_private)
        if refusal is not None:
            raise TargetRefused(refusal)
        return await self._inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self._inner.aclose()


def fast_transport(
    *,
    allow_private: bool,
    max_connections: int,
    verify: ssl.SSLContext | bool = True,
    keepalive: float = KEEPALIVE_SECONDS,
) -> GuardedTransport:
    """The transport alone, for callers that build their own ``httpx.AsyncClient``.

    ``verify``: True (system/certifi CAs, as httpx), False, or an ``ssl.SSLContext``.
    The aiohttp session is created on the first request (it needs a running loop).
    """
    context = verify if isinstance(verify, ssl.SSLContext) else httpx.create_ssl_context(verify)

    def session() -> aiohttp.ClientSession:
        connector = aiohttp.TCPConnector(
            limit=max_connections,
            limit_per_host=0,  # the fetcher has its own per-host slots
            resolver=GuardedResolver(allow_private=allow_private),
            ssl=context,
            keepalive_timeout=keepalive,
        )
        return aiohttp.ClientSession(
            connector=connector,
            auto_decompress=False,
            cookie_jar=aiohttp.DummyCookieJar(),
            trust_env=False,
            timeout=aiohttp.ClientTimeout(total=None),  # httpx's timeouts are per request
            max_line_size=MAX_LINE,
            max_field_size=MAX_LINE,
            max_headers=MAX_HEADERS,
        )

    inner = AiohttpTransport(session, max_head_bytes=MAX_HEAD)
    return GuardedTransport(inner, allow_private=allow_private)


def fast_client(
    *,
    allow_private: bool,
    max_connections: int,
    verify: ssl.SSLContext | bool = True,
    follow_redirects: bool = False,
    transport: httpx.AsyncBaseTransport | None = None,
    **httpx_client_kwargs: Any,
) -> httpx.AsyncClient:
    """An ``httpx.AsyncClient`` on ``fast_transport``.

    ``httpx_client_kwargs`` go to ``httpx.AsyncClient`` (``timeout``, ``headers``…);
    ``transport`` replaces the network (``httpx.MockTransport`` in unit tests).
    Timeouts: httpx's ``connect`` becomes aiohttp's ``sock_connect``, ``read`` its
    ``sock_read`` (per read, not per response), ``pool`` its ``connect`` (waiting for a
    pooled connection plus connecting); ``write`` has no aiohttp equivalent.
    """
    client = httpx.AsyncClient(
        transport=transport
        or fast_transport(
            allow_private=allow_private, max_connections=max_connections, verify=verify
        ),
        follow_redirects=follow_redirects,
        trust_env=False,
        **httpx_client_kwargs,
    )
    # httpx offers no hook for its cookie store; its Cookies object is set in __init__.
    client._cookies = _SetCookieOnly(client.cookies.jar)
    return client


class _SetCookieOnly(httpx.Cookies):
    """httpx's cookie store, looking at a response only when it sets a cookie.

    httpx hands every response to ``http.cookiejar`` through urllib request and response
    adapters it builds each time, whether or not the response carries ``Set-Cookie``: a
    tenth of the CPU of a 304 poll. Without that header the jar has nothing to take
    (``Set-Cookie2``, RFC 2965, is ignored by the default cookie policy anyway).
    """

    def extract_cookies(self, response: httpx.Response) -> None:
        if "set-cookie" in response.headers:
            super().extract_cookies(response)


@functools.lru_cache(maxsize=4096)  # on every request's path; hosts repeat
def _literal_refusal(host: str, allow_private: bool) -> str | None:
    """Why a request to ``host`` is refused before connecting, or None: a non-canonical
    numeric host, or an IP literal that ``address_problem`` refuses."""
    problem = numeric_host_problem(host)
    if problem is not None:
        return problem
    try:
        literal = ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return None  # a name: the resolver judges what it resolves to
    problem = address_problem(literal, allow_private=allow_private)
    return None if problem is None else f"{literal} is {problem}"
