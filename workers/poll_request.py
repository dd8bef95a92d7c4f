"""The GET request of one poll: what ``client.build_request("GET", url, headers=…)``
builds, without the work that repeats from poll to poll.

    PollRequests(client).build(url, conditional) -> httpx.Request

A feed's polls differ at most in their validators and cookies: the client's headers,
the parsed URL and its ``Host`` header repeat. ``build_request`` merges the client's
headers into a fresh ``httpx.Headers``, then ``httpx.Request`` copies them twice more
(to add ``Host``, to prepare a body a GET does not have), on every poll. Here the
client's headers are read once, the URL is parsed once (``_target``), and the request
is made with its (empty) stream given, which skips that preparation.

The request is the one ``build_request`` makes: headers in the same order (``Host``; the
client's headers; the conditional ones; ``Cookie`` when the client's jar holds cookies
for the URL), each value encoded as httpx encodes it there, the client's timeouts as
the ``timeout`` extension, an empty body already read. A URL that is not absolute
http(s) goes through ``build_request`` itself.
"""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from service.feed_url_cache import FeedUrlMemo

__all__ = ["PollRequests"]

_EMPTY_BODY = httpx.ByteStream(b"")  # stateless: one serves every GET


class PollRequests:
    """GET requests for ``client``, whose headers and timeouts must not change after."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self._client = client
        self._headers = client.headers.raw  # a copy: (name, value) bytes, names as given
        self._host_given = "host" in client.headers
        self._timeout = client.timeout.as_dict()

    def build(self, url: str, conditional: Mapping[str, str]) -> httpx.Request:
        """The request; httpx.InvalidURL when ``url`` cannot be parsed."""
        parsed, host = _target(url)
        validators = [_as_bytes(header) for header in conditional.items()]
        if host is None or self._host_given:
            request = self._client.build_request("GET", parsed, headers=validators)
        else:
            request = httpx.Request(
                "GET",
                parsed,
                headers=[(b"Host", host), *self._headers, *validators],
                stream=_EMPTY_BODY,
                extensions={"timeout": self._timeout},
            )
            request.read()  # the empty body, as Request reads a body it was given
            cookies = self._client.cookies
            if cookies:  # what build_request's merged copy of the jar would add
                cookies.set_cookie_header(request)
        return request


def _as_bytes(header: tuple[str, str]) -> tuple[bytes, bytes]:
    """A stored validator header as UTF-8 bytes (httpx would encode a ``str`` as ASCII only).

    RFC 9110 allows obs-text (0x80-0xFF) in field values (§5.5) and entity tags (§8.8.3).
    httpx read them as UTF-8 when they were, so those go back byte for byte; other bytes it
    read as Latin-1 go back re-encoded, a validator the server does not match: a full 200
    answer instead of a 304, not an error on every later poll.
    """
    return header[0].encode("ascii"), header[1].encode("utf-8")


# httpx parses a URL in pure Python (a scan of every character, then regular expressions
# per component), for a text that repeats on every poll of a feed. ``httpx.URL`` is
# immutable, so one parse serves every poll; about 400 bytes an entry (the bound:
# service/feed_url_cache.py).
def _parse_target(url: str) -> tuple[httpx.URL, bytes | None]:
    """The parsed URL and its ``Host`` header (None: not an absolute http(s) URL)."""
    parsed = httpx.URL(url)
    absolute = parsed.scheme in ("http", "https") and bool(parsed.host)
    return parsed, parsed.netloc if absolute else None


_target = FeedUrlMemo(_parse_target)
