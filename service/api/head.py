"""HEAD is answered wherever GET is (RFC 9110 §9.3.2: the same header fields, no content).

FastAPI routes declare GET only, so HEAD was a 405; feed readers, link checkers and
uptime monitors send HEAD. This layer runs the request as GET and passes on the status
and headers (Content-Length, ETag, Content-Type as GET would send them) with an empty
body. A streaming answer (the event stream) is told the client has gone as soon as its
headers are out, so it stops instead of producing events nobody reads.

A 405's ``Allow`` lists the methods the resource supports (RFC 9110 §10.2.1), so
``with_head`` adds HEAD wherever GET is listed: the router knows only the declared GET.
"""

from __future__ import annotations

import asyncio

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


def with_head(allow: str) -> str:
    """An ``Allow`` value with HEAD beside GET (RFC 9110 §9.3.2: HEAD is served wherever
    GET is, by ``HeadAsGet``)."""
    methods = [m.strip() for m in allow.split(",") if m.strip()]
    if "GET" in methods and "HEAD" not in methods:
        methods.append("HEAD")
    return ", ".join(sorted(methods))
