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

import functools
from collections.abc import Mapping

import httpx

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
        if host is None or self._host_given:
            request = self._client.build_request("GET", parsed, headers=conditional)
        else:
            request = httpx.Request(
                "GET",
                parsed,
                headers=[(b"Host", host), *self._headers, *map(_ascii, conditional.items())],
                stream=_EMPTY_BODY,
                extensions={"timeout": self._timeout},
            )
            request.read()  # the empty body, as Request reads a body it was given
            cookies = self._client.cookies
            if cookies:  # what build_request's merged copy of the jar would add
                cookies.set_cookie_header(request)
        return request


def _ascii(header: tuple[str, str]) -> tuple[bytes, bytes]:
    """A header as httpx.Headers encodes a str one (ASCII, or UnicodeEncodeError)."""
    return header[0].encode("ascii"), header[1].encode("ascii")


# httpx parses a URL in pure Python (a scan of every character, then regular expressions
# per component), for a text that repeats on every poll of a feed. ``httpx.URL`` is
# immutable, so one parse serves every poll; about 400 bytes an entry, and a worker
# polling more feeds than the bound parses the least recent ones again.
@functools.lru_cache(maxsize=20_000)
def _target(url: str) -> tuple[httpx.URL, bytes | None]:
    """The parsed URL and its ``Host`` header (None: not an absolute http(s) URL)."""
    parsed = httpx.URL(url)
    absolute = parsed.scheme in ("http", "https") and bool(parsed.host)
    return parsed, parsed.netloc if absolute else None
