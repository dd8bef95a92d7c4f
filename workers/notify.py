"""One webhook attempt over HTTP: the I/O edge of delivery (signing is pure, elsewhere).

    send(endpoint, url, headers, body) ──► SSRF check ──► POST ──► AttemptResult

* Redirects are never followed (issue 5): a 3xx is a failed attempt like any non-2xx,
  so an endpoint cannot bounce our signed POST to a host we did not check.
* One httpx transport per endpoint, its pool as large as the endpoint's concurrency
  limit: connections are reused (keep-alive), and a slow endpoint can only ever tie up
  its own connections. We call the transport directly because we need none of the
  client layer (cookies, auth, redirects); that saves about a third of the CPU per POST.
* The whole attempt (connect, send, wait, read) is bounded by ``timeout`` seconds.
* The target is checked by service/ssrf.py again at delivery time, because DNS can
  change after the subscription was accepted; verdicts are cached for
  ``SSRF_CACHE_SECONDS`` so a busy endpoint is not resolved on every POST.
* The response body is read up to ``MAX_RESPONSE_BYTES`` and dropped: only the status
  and ``Retry-After`` matter (Standard Webhooks: any 2xx means received).
"""

from __future__ import annotations

import asyncio
import ssl
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

import certifi
import httpx

from service.models import HttpFacts
from service.ssrf import TargetRefused, check_url
from workers.schedule import retry_after_seconds

SSRF_CACHE_SECONDS = 30.0
MAX_RESPONSE_BYTES = 64 * 1024
IDLE_TRANSPORT_SECONDS = 120.0


@dataclass(frozen=True, slots=True)
class AttemptResult:
    status: int | None  # None: no HTTP answer (refused, timeout, connection error)
    latency_ms: float
    error: str | None = None
    retry_after: float | None = None  # seconds, from Retry-After


@dataclass
class _Endpoint:
    url: str
    transport: httpx.AsyncHTTPTransport
    last_used: float
    in_flight: int = 0


class WebhookSender:
    def __init__(
        self,
        *,
        timeout: float,
        per_endpoint: int,
        allow_private: bool,
        user_agent: str,
    ) -> None:
        self.timeout = timeout
        self.per_endpoint = per_endpoint
        self.allow_private = allow_private
        self.user_agent = user_agent
        self._endpoints: dict[str, _Endpoint] = {}
        self._verdicts: dict[str, tuple[float, str | None]] = {}
        self._last_sweep = time.monotonic()
        # One TLS context for every endpoint: building one loads the CA bundle (~50 ms).
        self._tls = ssl.create_default_context(cafile=certifi.where())

    async def send(
        self, endpoint: str, url: str, headers: Mapping[str, str], body: bytes, *, now: datetime
    ) -> AttemptResult:
        started = time.perf_counter()
        refused = await self._refusal(url)
        if refused is not None:
            return AttemptResult(None, _ms_since(started), refused)
        ep = await self._endpoint(endpoint, url)
        ep.in_flight += 1
        request = httpx.Request(
            "POST",
            url,
            content=body,
            headers={
                **headers,
                "content-type": "application/json",
                "user-agent": self.user_agent,
            },
            extensions={
                "timeout": {
                    "connect": self.timeout,
                    "read": self.timeout,
                    "write": self.timeout,
                    "pool": self.timeout,
                }
            },
        )
        try:
            async with asyncio.timeout(self.timeout):
                response = await ep.transport.handle_async_request(request)
                try:
                    await _drain(response)
                finally:
                    await response.aclose()
        except TimeoutError:
            return AttemptResult(None, _ms_since(started), f"timeout after {self.timeout:g} s")
        except httpx.TimeoutException:
            return AttemptResult(None, _ms_since(started), f"timeout after {self.timeout:g} s")
        except httpx.HTTPError as exc:
            return AttemptResult(None, _ms_since(started), _describe(exc))
        except OSError as exc:
            return AttemptResult(None, _ms_since(started), f"connection failed: {exc}")
        finally:
            ep.in_flight -= 1
            ep.last_used = time.monotonic()
        retry_after = retry_after_seconds(
            HttpFacts(
                retry_after=response.headers.get("retry-after"), date=response.headers.get("date")
            ),
            now=now,
        )
        error = None if 200 <= response.status_code < 300 else f"HTTP {response.status_code}"
        return AttemptResult(response.status_code, _ms_since(started), error, retry_after)

    async def aclose(self) -> None:
        endpoints, self._endpoints = list(self._endpoints.values()), {}
        for ep in endpoints:
            await ep.transport.aclose()

    async def _refusal(self, url: str) -> str | None:
        clock = time.monotonic()
        cached = self._verdicts.get(url)
        if cached is not None and cached[0] > clock:
            return cached[1]
        try:
            await check_url(url, allow_private=self.allow_private)
            verdict = None
        except TargetRefused as exc:
            verdict = str(exc)
        self._verdicts[url] = (clock + SSRF_CACHE_SECONDS, verdict)
        return verdict

    async def _endpoint(self, endpoint: str, url: str) -> _Endpoint:
        clock = time.monotonic()
        if clock - self._last_sweep > IDLE_TRANSPORT_SECONDS:
            await self._sweep(clock)
        ep = self._endpoints.get(endpoint)
        if ep is not None and ep.url != url and ep.in_flight == 0:  # the URL was changed
            await ep.transport.aclose()
            ep = None
        if ep is None:
            limits = httpx.Limits(
                max_connections=self.per_endpoint, max_keepalive_connections=self.per_endpoint
            )
            transport = httpx.AsyncHTTPTransport(verify=self._tls, limits=limits, retries=0)
            ep = _Endpoint(url, transport, clock)
            self._endpoints[endpoint] = ep
        return ep

    async def _sweep(self, clock: float) -> None:
        self._last_sweep = clock
        self._verdicts = {u: v for u, v in self._verdicts.items() if v[0] > clock}
        idle = [
            key
            for key, ep in self._endpoints.items()
            if ep.in_flight == 0 and clock - ep.last_used > IDLE_TRANSPORT_SECONDS
        ]
        for key in idle:
            await self._endpoints.pop(key).transport.aclose()


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
