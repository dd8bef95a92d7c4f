"""Render-cache hits of the hot read routes, answered in front of FastAPI (pure ASGI).

Why: a cached timeline page is bytes ready to send, yet a request through FastAPI pays
for routing over every route, dependency solving, the request and response plumbing
and the exception middleware: that fixed cost is most of a cached request's time there
(docs/design.md, "Cache hits in front of FastAPI"). Here a hit costs the route's own
checks and one dictionary lookup.

Why the answer is the route's: a hot route (``HotRoute``) declares the checks its
handler makes before it consults the cache (the briefing exists, the events version)
as one coroutine that both use, and the media type it serves. This layer runs that
coroutine, looks the page up under the key ``cached_response`` files it under
(service/api/conditional.py), and answers with ``conditional()``: the same Response
object, so the same status, headers, ETag and 304 (RFC 9110 §13.1.2). Anything else
(a miss, a failed check, a method other than GET, a mounted root path, any other
route) goes on to FastAPI unchanged, which answers as it always did: problems,
validation, rendering and the OpenAPI stay the route's alone. Outer middleware (CORS,
the request-size limit) wraps this layer like it wraps the routes.
"""

from __future__ import annotations

import re
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from service.api.conditional import conditional, page_key
from service.api.render_cache import RenderCache

# The checks a route makes before its cache lookup; returns the events version the
# page must have been rendered at. Raising means "let the route answer".
Prepare = Callable[[Request, str], Awaitable[str]]


@dataclass(frozen=True, slots=True)
class HotRoute:
    path: re.Pattern[str]  # group 1: the path parameter ``prepare`` gets
    media_type: str
    prepare: Prepare


class CacheHits:
    def __init__(self, app: ASGIApp, routes: Sequence[HotRoute]) -> None:
        self.app = app
        self.routes = tuple(routes)
        self.hits = 0  # requests answered here (tests check the layer is exercised)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET" and not scope.get("root_path"):
            for route in self.routes:
                found = route.path.fullmatch(scope["path"])
                if found is not None:
                    if await self._hit(route, found.group(1), scope, receive, send):
                        return
                    break
        await self.app(scope, receive, send)

    async def _hit(
        self, route: HotRoute, param: str, scope: Scope, receive: Receive, send: Send
    ) -> bool:
        request = Request(scope, receive)
        try:
            version = await route.prepare(request, param)
        except Exception:  # the route makes the same check and answers (404, 500 ...)
            return False
        cache: RenderCache = request.app.state.render_cache
        key = page_key(scope, request.headers.get("host"))
        entry = cache.servable(key, version, now=time.monotonic())
        if entry is None:
            return False
        self.hits += 1
        response = conditional(
            request, entry.body, route.media_type, etag=entry.etag, link=entry.link
        )
        await response(scope, receive, send)
        return True
