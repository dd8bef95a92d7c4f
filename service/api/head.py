"""HEAD is answered wherever GET is (RFC 9110 §9.3.2: the same header fields, no content).

FastAPI routes declare GET only, so HEAD was a 405; feed readers, link checkers and
uptime monitors send HEAD. This layer runs the request as GET and passes on the status
and headers (Content-Length, ETag, Content-Type as GET would send them) with an empty
body. A streaming answer (the event stream) is told the client has gone as soon as its
headers are out, so it stops instead of producing events nobody reads.

A 405's ``Allow`` lists the methods the resource supports (RFC 9110 §10.2.1, §15.5.6):
``allowed`` gathers them from every route of the path (Starlette lists only the first
route that matches it, and a path's methods are spread over routers), with HEAD wherever
GET is: the routes declare only GET.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from starlette.routing import BaseRoute, Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGet:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        answered = asyncio.Event()

        async def send_headers_only(message: Message) -> None:
            if message["type"] == "http.response.start":
                await send(message)
            elif message["type"] == "http.response.body" and not answered.is_set():
                answered.set()
                await send({"type": "http.response.body", "body": b"", "more_body": False})

        async def receive_until_answered() -> Message:
            if answered.is_set():
                return {"type": "http.disconnect"}
            client = asyncio.ensure_future(receive())
            done = asyncio.ensure_future(answered.wait())
            await asyncio.wait({client, done}, return_when=asyncio.FIRST_COMPLETED)
            if client.done():
                done.cancel()
                return client.result()
            client.cancel()
            return {"type": "http.disconnect"}

        await self.app({**scope, "method": "GET"}, receive_until_answered, send_headers_only)


# The methods a route of this app may declare (HEAD comes from GET, with_head).
ROUTE_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def allowed(routes: Iterable[BaseRoute], scope: Scope) -> str:
    """The ``Allow`` value of a 405 to ``scope``: each method some route answers at its
    path (asked through ``matches``, which also looks inside included routers), HEAD
    included where GET is."""
    methods = [
        method
        for method in ROUTE_METHODS
        if any(route.matches({**scope, "method": method})[0] is Match.FULL for route in routes)
    ]
    return with_head(", ".join(methods))


def with_head(allow: str) -> str:
    """An ``Allow`` value with HEAD beside GET (RFC 9110 §9.3.2: HEAD is served wherever
    GET is, by ``HeadAsGet``)."""
    methods = [m.strip() for m in allow.split(",") if m.strip()]
    if "GET" in methods and "HEAD" not in methods:
        methods.append("HEAD")
    return ", ".join(sorted(methods))
