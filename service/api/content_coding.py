"""Request content with a content coding is refused: 415 with ``Accept-Encoding: identity``.

The API decodes no content coding: a body sent with ``Content-Encoding: gzip`` would
reach the JSON parser as compressed bytes (a misleading "not JSON" 400), and one
labelled with a coding it does not carry would be read as if unlabelled. RFC 9110 §8.4.1
and §12.5.3: a server that does not accept a request's content coding answers 415 and
lists the codings it takes in ``Accept-Encoding``, so the client can tell a content
coding from a media type problem and send the body again uncompressed. ``identity`` (no
coding, §12.5.3) is accepted; a request without content (no ``Content-Length`` above 0,
no ``Transfer-Encoding``) is let through whatever it says, since there is nothing the
label could apply to.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from service.api.errors import problem


def content_codings(headers: Headers) -> list[str]:
    """The codings a request's ``Content-Encoding`` fields list, lower-cased, in order
    (RFC 9110 §8.4: a comma-separated list, possibly over several fields)."""
    return [
        coding.strip().lower()
        for field in headers.getlist("content-encoding")
        for coding in field.split(",")
        if coding.strip()
    ]


def has_content(headers: Headers) -> bool:
    length = headers.get("content-length", "0").strip()
    return "transfer-encoding" in headers or not (length.isdigit() and int(length) == 0)


class ContentCodingCheck:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # Most requests carry no Content-Encoding: one pass over the raw header names
        # (lower-case in ASGI) lets them through without building a Headers.
        if scope["type"] == "http" and any(
            name == b"content-encoding" for name, _value in scope["headers"]
        ):
            headers = Headers(scope=scope)
            codings = [c for c in content_codings(headers) if c != "identity"]
            if codings and has_content(headers):
                response = problem(
                    415,
                    "Unsupported Media Type",
                    f"body: content coding {', '.join(codings)} is not accepted; send the "
                    "body uncompressed, without Content-Encoding",
                    kind="unsupported-content-coding",
                )
                response.headers["Accept-Encoding"] = "identity"
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
