"""Validators for GET responses: a strong ETag over the exact body, and 304s.

The ETag is a digest of the bytes we would send, so it changes exactly when the
representation does (a story gaining a source changes it even when no timeline score
moves). If-None-Match uses the weak comparison of RFC 9110 §13.1.2 and accepts a
list and ``*`` (§13.1.2); a match answers 304 with the same ETag and no body (§15.4.5).
"""

from __future__ import annotations

import hashlib

from fastapi import Request, Response

# Clients may cache but must revalidate: a live timeline is stale the moment it changes.
CACHE_CONTROL = "no-cache"


def etag_of(body: bytes) -> str:
    return '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'


def _matches(header: str, etag: str) -> bool:
    if header.strip() == "*":
        return True
    wanted = etag.removeprefix("W/")
    return any(tag.strip().removeprefix("W/") == wanted for tag in header.split(","))


def conditional(request: Request, body: bytes, media_type: str) -> Response:
    """The body as a response with its ETag, or a 304 when the client has it."""
    etag = etag_of(body)
    headers = {"ETag": etag, "Cache-Control": CACHE_CONTROL}
    header = request.headers.get("if-none-match")
    if header is not None and _matches(header, etag):
        return Response(status_code=304, headers=headers)
    return Response(content=body, media_type=media_type, headers=headers)
