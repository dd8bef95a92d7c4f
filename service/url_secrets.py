"""Secrets inside feed URLs: credentials in the userinfo (``https://user:pass@host/``) and
token-like query values (``?api_token=…``), as private feeds are often given out.

The fetcher sends userinfo as HTTP Basic credentials (RFC 9110 §11.2, RFC 7617), never
inside the request target (RFC 3986 §3.2.1 deprecates ``user:password`` in URIs for this
reason). Everywhere a feed URL is shown (the API, OPML, events, logs) it goes through
``redact_url``: the userinfo becomes ``***`` and so does the value of any query parameter
whose name looks like a secret. The stored URL keeps them: it is what is polled.
"""

from __future__ import annotations

import base64
import re
from urllib.parse import unquote, urlsplit, urlunsplit

MASK = "***"

# Query parameter names whose values are credentials: any name containing one of these
# words, or exactly one of the short ones (``key=`` but not ``keyword=``).
_SECRET_WORDS = re.compile(
    r"token|secret|passw|pwd|api[-_]?key|apikey|signature|credential|session|auth",
    re.IGNORECASE,
)
_SECRET_NAMES = frozenset({"key", "sig", "sid", "pass", "code", "hash", "access"})
# A scheme (RFC 3986 §3.1) is matched by its last 32 characters at most: unbounded, a run of
# letters with no "://" after it would be scanned again from each of its letters
# (quadratic in the run's length). The URL's secrets are after "://", so a longer scheme is
# still redacted, shown from its 32nd-last character.
_URL_IN_TEXT = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]{0,31}://[^\s'\"<>]+")


def secret_parameter(name: str) -> bool:
    """Whether a query parameter of this name carries a credential."""
    return bool(_SECRET_WORDS.search(name)) or name.lower() in _SECRET_NAMES


def redact_url(url: str) -> str:
    """``url`` with its userinfo and secret-looking query values replaced by ``***``.
    Text that does not parse as a URL is returned as it is."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    netloc = parts.netloc
    if "@" in netloc:
        netloc = MASK + "@" + netloc.rpartition("@")[2]
    query = parts.query
    if query:
        query = "&".join(_redact_pair(pair) for pair in query.split("&"))
    if netloc == parts.netloc and query == parts.query:
        return url
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def shows_masked_secret(url: str) -> bool:
    """Whether ``url`` carries a secret as ``redact_url`` shows it (``***`` in place of the
    userinfo or of a secret query value): a URL copied from a listing or an OPML export,
    which would be polled with ``***`` as its credentials."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    if "@" in parts.netloc and unquote(parts.netloc.rpartition("@")[0]) == MASK:
        return True
    for pair in parts.query.split("&"):
        name, equals, value = pair.partition("=")
        if equals and unquote(value) == MASK and secret_parameter(unquote(name)):
            return True
    return False


def redact_text(text: str) -> str:
    """Every URL inside ``text`` (an error message, a log line) redacted."""
    return _URL_IN_TEXT.sub(_redact_match, text)


def _redact_match(match: re.Match[str]) -> str:
    # Punctuation that ends a sentence or a bracket around the URL is not part of it.
    url = match.group(0).rstrip(").,;:]'")
    return redact_url(url) + match.group(0)[len(url) :]


def _redact_pair(pair: str) -> str:
    name, equals, value = pair.partition("=")
    if equals and value and secret_parameter(unquote(name)):
        return f"{name}={MASK}"
    return pair


def without_userinfo(url: str) -> tuple[str, str | None]:
    """``url`` without its userinfo, and the ``Authorization`` value for it (HTTP Basic
    of the percent-decoded user and password) or None when it has none."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url, None
    if "@" not in parts.netloc:
        return url, None
    userinfo, _, host = parts.netloc.rpartition("@")
    user, _, password = userinfo.partition(":")
    token = base64.b64encode(f"{unquote(user)}:{unquote(password)}".encode()).decode("ascii")
    bare = urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))
    return bare, f"Basic {token}"
