"""Validators for GET responses: a strong ETag over the exact body, and 304s.

The ETag is a digest of the bytes we would send, so it changes exactly when the
representation does (a story gaining a source changes it even when no timeline score
moves). If-None-Match uses the weak comparison of RFC 9110 §13.1.2 and accepts a
list and ``*`` (§13.1.2); a match answers 304 with the same ETag and no body (§15.4.5).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Awaitable, Callable
from typing import Literal

from fastapi import Request, Response
from starlette.types import Scope

from service.api.errors import ProblemError
from service.api.openapi import header_parameter
from service.api.render_cache import RenderCache, Rendered
from service.api.shared_read import SharedRead

# Clients may cache but must revalidate: a live timeline is stale the moment it changes.
CACHE_CONTROL = "no-cache"


def etag_of(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


def etag_matches(header: str, etag: str) -> bool:
    """Whether an If-None-Match value names ``etag`` (weak comparison, a list or ``*``)."""
    if header.strip() == "*":
        return True
    wanted = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == wanted for tag in header.split(","))


# What a state-changing request's preconditions ask of a resource that sends no ETag
# (``write_condition``): that it exists, that it does not, or nothing it can meet.
WriteCondition = Literal["exists", "absent", "never"]


def write_condition(request: Request) -> WriteCondition | None:
    """The preconditions of a PUT, PATCH or DELETE on a resource that sends no ETag (an
    origin server must evaluate If-Match before acting, RFC 9110 §13.1.1), in the order of
    §13.2.2: If-Match with tags can match none, since no tag was ever given out for the
    resource (``"never"``); ``If-Match: *`` holds when the resource exists (``"exists"``);
    ``If-None-Match: *`` when it does not (``"absent"``); If-None-Match with tags never
    matches, so it holds. None: no precondition to meet."""
    if_match = request.headers.get("if-match")
    none_match = (request.headers.get("if-none-match") or "").strip()
    if if_match is not None and if_match.strip() != "*":
        return "never"
    if if_match is not None:
        return "never" if none_match == "*" else "exists"  # both: nothing meets both
    return "absent" if none_match == "*" else None


def unmet(condition: WriteCondition, what: str) -> ProblemError:
    """The 412 of a write to ``what`` ("briefing 'x'") whose ``condition`` does not hold
    (RFC 9110 §15.5.13)."""
    detail = {
        "never": f"If-Match: {what} has no ETag, so no tag matches one "
        "(If-Match: * asks only that it exists)",
        "exists": f"If-Match: *: there is no {what}",
        "absent": f"If-None-Match: *: {what} exists",
    }[condition]
    return ProblemError(412, "Precondition Failed", detail, kind="precondition-failed")


def check_existing(request: Request, what: str) -> None:
    """Raise the 412 of a write to ``what``, which exists, unless its preconditions hold
    (of those ``write_condition`` reads, only ``If-Match: *`` can). Called once the write
    is known to find its resource: for a missing one the 404 stands (§13.2.1)."""
    condition = write_condition(request)
    if condition in ("never", "absent"):
        raise unmet(condition, what)


# OpenAPI ``openapi_extra`` of a route that evaluates ``write_condition``.
WRITE_CONDITIONS = {
    "parameters": [
        header_parameter(
            "If-Match", "`*`: only if it exists (it has no ETag, so a tag matches nothing: 412)"
        ),
        header_parameter("If-None-Match", "`*`: only if it does not exist (a PUT creates only)"),
    ]
}


def conditional(
    request: Request, body: bytes, media_type: str, *, etag: str | None = None
) -> Response:
    """The body as a response with its ETag, or a 304 when the client has it."""
    etag = etag or etag_of(body)
    headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL}
    header = request.headers.get("if-none-match")
    if header is not None and etag_matches(header, etag):
        return Response(status_code=304, headers=headers)
    return Response(content=body, media_type=media_type, headers=headers)


def render_cache(request: Request) -> RenderCache:
    """The app's cache of rendered pages (made in ``create_app``)."""
    cache: RenderCache = request.app.state.render_cache
    return cache


async def current_version(request: Request, fetch: Callable[[], Awaitable[str]]) -> str:
    """The events stream's newest id as this process last read it (a SharedRead;
    ``create_app``'s ``version_ttl`` says how long a read is shared)."""
    clock: SharedRead[str] = request.app.state.version_clock
    return await clock.read(fetch, now=time.monotonic())


def page_key(scope: Scope, host: str | None) -> str:
    """The render-cache key of a page: shared by ``cached_response`` and the cache-hit
    layer (service/api/cache_hits.py). Everything the page's absolute URLs (self links,
    feeds out) are built from is part of it, as Starlette builds ``request.url``: the
    scheme (``https`` behind a trusted proxy's X-Forwarded-Proto), the Host header (else
    the server address) and the root path. The events version is not: an entry carries
    the version it was rendered at, and a new version's render replaces it
    (service/api/render_cache.py)."""
    if host is None:
        server = scope.get("server")
        host = f"{server[0]}:{server[1]}" if server else ""
    origin = f"{scope.get('scheme', 'http')}://{host}{scope.get('root_path', '')}"
    return f"{origin}{scope['path']}?{scope['query_string'].decode('latin-1')}"


async def cached_response(
    request: Request, version: str, render: Callable[[], Awaitable[bytes]], media_type: str
) -> Response:
    """The URL's cached page, or ``render()``'s when none is fresh enough for
    ``version`` (service/api/render_cache.py says when; one render however many wait)."""
    cache = render_cache(request)
    key = page_key(request.scope, request.headers.get("host"))
    now = time.monotonic()

    async def rendered() -> Rendered:
        body = await render()
        return Rendered(version=version, at=now, body=body, etag=etag_of(body))

    entry = await cache.get_or_render(key, version, rendered, now=now)
    return conditional(request, entry.body, media_type, etag=entry.etag)
