"""Cross-origin reads and writes from the browser origins an operator allows
(``BRIEFING_CORS_ORIGINS``), through Starlette's CORSMiddleware.

* Methods: every method a route answers, HEAD included (``HeadAsGet`` answers it wherever
  GET is). A request that needs a preflight (one with ``If-None-Match`` or
  ``Authorization``) is refused by the middleware when its method is not listed, though
  Fetch treats HEAD as safelisted (Fetch §3.2.2, CORS-preflight fetch).
* Request headers: what our routes read beyond the safelisted ones, the preconditions of
  a conditional write (``If-Match``, ``If-None-Match``: service/api/conditional.py) too.
* Response headers a script may read (Fetch §3.2.7, ``Access-Control-Expose-Headers``):
  ``ETag`` for conditional requests, ``Link`` to a list's next page (service/api/paging.py),
  ``Location`` of a created resource, ``Retry-After`` of a 503 (or of a stream refused for
  lack of slots); the safelisted ones need no listing.
"""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"]
REQUEST_HEADERS = [
    "Authorization",
    "Content-Type",
    "If-Match",
    "If-None-Match",
    "Last-Event-ID",
]
EXPOSED = ["ETag", "Link", "Location", "Retry-After"]


def install_cors(app: FastAPI, origins: Sequence[str]) -> None:
    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(origins),
        allow_methods=METHODS,
        allow_headers=REQUEST_HEADERS,
        expose_headers=EXPOSED,
    )
