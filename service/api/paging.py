"""The ``Link`` header of a paged list: ``<url>; rel="next"`` (RFC 8288 §3, the "next"
relation of the IANA link relations registry) naming the page after this one, beside
the body's ``next_cursor``, so a client follows pages without building their URLs.

The next page's URL is the request's own with ``cursor`` in place of its cursor: every
other parameter (``limit``, the filters, ``order``, ``since``) is kept, so each page is
of the same list. A last page (no cursor) links nothing, and neither do a 304 or an
error: they name no page.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.datastructures import URL
from starlette.responses import Response


@dataclass(frozen=True, slots=True)
class PageBody:
    """A rendered page of a list and the cursor of the page after it (None: the last)."""

    body: bytes
    next_cursor: str | None


def next_link(url: URL, cursor: str | None) -> str | None:
    """The ``Link`` field value naming ``url`` with ``cursor`` as its cursor, or None."""
    if cursor is None:
        return None
    return f'<{url.include_query_params(cursor=cursor)}>; rel="next"'


def with_link(response: Response, link: str | None) -> Response:
    """``response`` with the ``Link`` header when there is a next page and it is a 200."""
    if link is not None and response.status_code == 200:
        response.headers["Link"] = link
    return response
