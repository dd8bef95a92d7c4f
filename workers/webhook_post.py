"""One webhook attempt over HTTP: the I/O edge of delivery (signing is pure, elsewhere).

    send(url, headers, body) ──► POST (SSRF-pinned connection) ──► AttemptResult

* The HTTP stack is service/http_transport.py's ``fast_transport`` (httpx requests and
  errors, aiohttp's C parser underneath: a fraction of httpcore's CPU per request,
  docs/design.md). We call the transport directly because we need none of
  the client layer (cookies, auth, redirects).
* Redirects are never followed: a 3xx is a failed attempt like any non-2xx,
  so an endpoint cannot bounce our signed POST to a host we did not check.
* SSRF at delivery time, because DNS can change after the subscription was accepted:
  the transport's resolver judges every address a host name resolves to and connects
  only to judged addresses (no window between a check and a second lookup); literal IPs
  are judged before each request. aiohttp re-resolves after its DNS cache TTL (10 s),
  so a changed record is judged before the next new connection. A refusal is a failed
  attempt whose error says why.
* One connection pool for every endpoint, as large as the process's attempts in flight:
  it is never what an attempt waits for. The per-endpoint concurrency limit is the notify
  stage's (a claim takes at most an endpoint's free slots), so a slow endpoint only ever
  ties up its own few connections; connections are kept alive and reused per host.
* The whole attempt (connect, send, wait, read) is bounded by ``timeout`` seconds.
* The response body is read up to ``MAX_RESPONSE_BYTES`` and dropped: only the status
  and ``Retry-After`` matter (Standard Webhooks: any 2xx means received). So a body that
  stalls until the deadline, or breaks off, after a status line leaves the attempt's
  result that status: a receiver that answered 200 and then held its connection open
  has the event, and a retry would deliver it twice. The response
  head is bounded by the transport as for feeds (16 KiB a field, 64 KiB in all): past
  that the attempt fails with ``RemoteProtocolError``, whatever the status.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import httpx

from service.http_transport import fast_transport
from service.models import HttpFacts
from service.ssrf import TargetRefused
from workers.poll_schedule import retry_after_seconds

MAX_RESPONSE_BYTES = 64 * 1024
URL_CACHE_SIZE = 100_000


@dataclass(frozen=True, slots=True)
class AttemptResult:
    status: int | None  # None: no HTTP answer (refused, timeout, connection error)
    latency_ms: float
    error: str | None = None
    retry_after: float | None = None  # seconds, from Retry-After


class WebhookSender:
    def __init__(
        self,
        *,
        timeout: float,
        max_connections: int,
        allow_private: bool,
        user_agent: str,
    ) -> None:
        self.timeout = timeout
        self.user_agent = user_agent
        self._transport = fast_transport(
            allow_private=allow_private, max_connections=max_connections
        )
        self._urls: dict[str, httpx.URL] = {}
        self._timeouts = {
            "connect": timeout,
            "read": timeout,
            "write": timeout,
            "pool": timeout,
        }

    async def send(
        self, url: str, headers: Mapping[str, str], body: bytes, *, now: datetime
    ) -> AttemptResult:
        """POST ``body`` to ``url`` once; ``now`` dates a ``Retry-After`` given as a date."""
        started = time.perf_counter()
        try:
            target = self._url(url)
        except httpx.InvalidURL as exc:
            # The API refuses such URLs, but Redis may hold one written otherwise: a failed
            # attempt like any other, recorded, retried on schedule, disabling in the end.
            return AttemptResult(None, _ms_since(started), f"invalid URL: {exc}")
        request = httpx.Request(
            "POST",
            target,
            content=body,
            headers={
                **headers,
                "content-type": "application/json",
                "user-agent": self.user_agent,
            },
            extensions={"timeout": self._timeouts},
        )
        deadline = asyncio.get_running_loop().time() + self.timeout
        try:
            async with asyncio.timeout_at(deadline):
                response = await self._transport.handle_async_request(request)
        except TargetRefused as exc:
            return AttemptResult(None, _ms_since(started), str(exc))
        except (TimeoutError, httpx.TimeoutException):
            return AttemptResult(None, _ms_since(started), f"timeout after {self.timeout:g} s")
        except httpx.HTTPError as exc:
            return AttemptResult(None, _ms_since(started), _describe(exc))
        except OSError as exc:
            return AttemptResult(None, _ms_since(started), f"connection failed: {exc}")
        await _drain_and_close(response, deadline)
        retry_after = retry_after_seconds(
            HttpFacts(
                retry_after=response.headers.get("retry-after"), date=response.headers.get("date")
            ),
            now=now,
        )
        error = None if 200 <= response.status_code < 300 else f"HTTP {response.status_code}"
        return AttemptResult(response.status_code, _ms_since(started), error, retry_after)

    async def aclose(self) -> None:
        await self._transport.aclose()

    def _url(self, url: str) -> httpx.URL:
        """The parsed URL, parsed once per endpoint: parsing is a tenth of an attempt's CPU."""
        parsed = self._urls.get(url)
        if parsed is None:
            if len(self._urls) >= URL_CACHE_SIZE:  # URLs of deleted or changed subscriptions
                self._urls.clear()
            parsed = self._urls[url] = httpx.URL(url)
        return parsed


async def _drain_and_close(response: httpx.Response, deadline: float) -> None:
    """Read up to ``MAX_RESPONSE_BYTES`` of the body by ``deadline``, then close it.

    The status line is the answer (any 2xx means received): a body that stalls or breaks
    off after it changes nothing but the connection, which closing an unfinished body
    closes rather than reuses. Counting it a failure would deliver the event again."""
    try:
        async with asyncio.timeout_at(deadline):
            await _drain(response)
    except (TimeoutError, httpx.HTTPError, OSError):
        pass
    finally:
        with contextlib.suppress(httpx.HTTPError, OSError):
            await response.aclose()


async def _drain(response: httpx.Response) -> None:
    read = 0
    stream = response.stream
    assert isinstance(stream, httpx.AsyncByteStream)
    async for chunk in stream:
        read += len(chunk)
        if read > MAX_RESPONSE_BYTES:
            break


def _ms_since(started: float) -> float:
    return (time.perf_counter() - started) * 1000.0


def _describe(exc: httpx.HTTPError) -> str:
    kind = "connection failed" if isinstance(exc, httpx.ConnectError) else type(exc).__name__
    return f"{kind}: {exc}" if str(exc) else kind
