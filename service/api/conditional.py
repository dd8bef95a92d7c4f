"""Validators for GET responses: a strong ETag over the exact body, and 304s.

The ETag is a digest of the bytes we would send, so it changes exactly when the
representation does (a story gaining a source changes it even when no timeline score
moves). If-None-Match uses the weak comparison of RFC 9110 §13.1.2 and accepts a
list and ``*`` (§13.1.2); a match answers 304 with the same ETag and no body (§15.4.5).
If-Match is evaluated on a GET as on a write (§13.1.1: for every method), first
(§13.2.2): one that names no current tag by the strong comparison is a 412.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Awaitable, Callable

from fastapi import Request, Response
from starlette.types import Scope

from service.api.errors import ProblemError, problem_response
from service.api.openapi import header_parameter
from service.api.paging import PageBody, next_link, with_link
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


def strong_match(header: str, etag: str) -> bool:
    """Whether an If-Match value names ``etag`` by the strong comparison RFC 9110 §13.1.1
    requires (§8.8.3.2: a weak tag never matches, ours included)."""
    if etag.startswith("W/"):
        return False
    return any(tag.strip() == etag for tag in header.split(","))


def check_write(request: Request, what: str, *, exists: bool, etag: str | None = None) -> None:
    """Raise the 412 of a state-changing request to ``what`` ("briefing 'x'") whose
    preconditions do not hold (RFC 9110 §13.1.1: an origin server evaluates them before
    acting), in the order of §13.2.2. ``exists``: the resource is there; ``etag``: its
    current ETag, as GET sends it (None: it sends none, so an If-Match tag matches
    nothing). With an ``etag``, callers evaluate this in one transaction with the write
    (BriefingStore.write); without one the preconditions ask only whether the resource
    exists, so a write that checks that as it writes (a store script) keeps them. Only
    when the answer without preconditions would be a 2xx (a missing resource's 404
    stands, §13.2.1). If-Unmodified-Since is ignored: nothing here sends Last-Modified
    (§13.1.4)."""
    if_match = request.headers.get("if-match")
    if if_match is not None:
        if not exists:
            raise precondition_failed(f"If-Match: there is no {what}")
        if if_match.strip() != "*" and etag is None:
            raise precondition_failed(
                f"If-Match: {what} has no ETag, so no tag matches one "
                "(If-Match: * asks only that it exists)"
            )
        if if_match.strip() != "*" and etag is not None and not strong_match(if_match, etag):
            raise precondition_failed(
                f"If-Match: {what} has changed (its ETag is now {etag}): read it again"
            )
    none_match = request.headers.get("if-none-match")
    if none_match is not None and exists:
        if none_match.strip() == "*":
            raise precondition_failed(f"If-None-Match: *: {what} exists")
        if etag is not None and etag_matches(none_match, etag):
            raise precondition_failed(f"If-None-Match: {what} still has ETag {etag}")


def precondition_failed(detail: str) -> ProblemError:
    """A 412 problem (RFC 9110 §15.5.13)."""
    return ProblemError(412, "Precondition Failed", detail, kind="precondition-failed")


def unmet_if_match(request: Request, etag: str) -> Response | None:
    """The 412 of a read whose If-Match names no tag of the representation it would
    get, whose ETag is ``etag`` (RFC 9110 §13.1.1, strong comparison: a weak ETag never
    matches); None when the header holds or is absent (``*``: the resource exists)."""
    header = request.headers.get("if-match")
    if header is None or header.strip() == "*" or strong_match(header, etag):
        return None
    return problem_response(precondition_failed(f"If-Match: the ETag is now {etag}"))


# OpenAPI ``openapi_extra`` of a route that evaluates ``check_write`` on a resource
# that sends no ETag (subscriptions, feeds, deliveries, and their actions).
WRITE_CONDITIONS = {
    "parameters": [
        header_parameter(
            "If-Match", "`*`: only if it exists (it has no ETag, so a tag matches nothing: 412)"
        ),
        header_parameter("If-None-Match", "`*`: only if it does not exist"),
    ]
}

# The same for a resource whose GET sends an ETag (briefings).
TAGGED_WRITE_CONDITIONS = {
    "parameters": [
        header_parameter(
            "If-Match",
            "The `ETag` of a GET (strong comparison), or `*`: only if it still has that "
            "ETag (else 412), or exists",
        ),
        header_parameter("If-None-Match", "`*`: only if it does not exist (a PUT creates only)"),
    ]
}


def conditional(
    request: Request,
    body: bytes,
    media_type: str,
    *,
    etag: str | None = None,
    link: str | None = None,
) -> Response:
    """The body as a response with its ETag, or a 304 when the client has it; ``link``:
    the ``Link`` header of a paged list, sent with the body (service/api/paging.py)."""
    etag = etag or etag_of(body)
    unmet = unmet_if_match(request, etag)
    if unmet is not None:
        return unmet
    headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL}
    header = request.headers.get("if-none-match")
    if header is not None and etag_matches(header, etag):
        return Response(status_code=304, headers=headers)
    return with_link(Response(content=body, media_type=media_type, headers=headers), link)


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
    request: Request,
    version: str,
    render: Callable[[], Awaitable[bytes | PageBody]],
    media_type: str,
) -> Response:
    """The URL's cached page, or ``render()``'s when none is fresh enough for
    ``version`` (service/api/render_cache.py says when; one render however many wait).
    A ``PageBody`` is a page of a list: its ``Link`` to the next page is kept with it."""
    cache = render_cache(request)
    key = page_key(request.scope, request.headers.get("host"))
    now = time.monotonic()

    async def rendered() -> Rendered:
        page = await render()
        if isinstance(page, PageBody):  # the key is this URL's: so is the link
            body, link = page.body, next_link(request.url, page.next_cursor)
        else:
            body, link = page, None
        return Rendered(version=version, at=now, body=body, etag=etag_of(body), link=link)

    entry = await cache.get_or_render(key, version, rendered, now=now)
    return conditional(request, entry.body, media_type, etag=entry.etag, link=entry.link)
