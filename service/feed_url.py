"""One spelling per feed URL, so one feed is stored (and its items ingested) once.

A feed's id and its URL index are keyed by the URL text, and an article's identity by its
feed's URL; the same feed typed two ways (``https://Example.com:443/rss`` in the config
file, ``https://example.com/rss`` through the API, whose validator normalizes) would be
two feeds, polled twice, each item stored twice. So every way in (config, OPML, CLI, API)
stores the form RFC 3986 §6.2.2–6.2.3 calls equivalent: scheme and host lower-cased, an
IDN host in its ASCII (punycode) form, the scheme's default port dropped, and an empty
path written ``/`` (as the API's validator writes it).
"""

from __future__ import annotations

import httpx

_DEFAULT_PORTS = {"http": 80, "https": 443}
# The longest feed URL any way in accepts: pydantic's ``HttpUrl`` limit, which
# ``POST /v1/feeds`` applies (the longest URL browsers have long supported).
MAX_URL_CHARS = 2083


def canonical_feed_url(url: str) -> str:
    """``url`` in its canonical spelling; unchanged when it does not parse (the SSRF
    guard then refuses it with a readable reason)."""
    if any(ch <= " " or ch == "\x7f" for ch in url):
        return url  # spaces or control characters: malformed, refused as typed
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError):
        return url
    if not parsed.host:
        return url
    if parsed.port is not None and parsed.port == _DEFAULT_PORTS.get(parsed.scheme):
        # httpx drops a default port itself only when the scheme was typed in lower case.
        parsed = parsed.copy_with(port=None)
    if parsed.path == "/":  # also an empty path, which str() would write as ""
        parsed = parsed.copy_with(path="/")
    return str(parsed)
