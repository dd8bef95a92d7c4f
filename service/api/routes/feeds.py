"""Feeds and their health."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from service.api.conditional import conditional
from service.api.deps import get_store
from service.api.openapi import PAGED
from service.api.paging import next_link
from service.api.routes.articles import NOT_MODIFIED
from service.api.schemas import CURSOR_HELP, LIMIT_HELP, FeedOut, Page
from service.store import Store
from service.store.feeds import StoredFeed

router = APIRouter(prefix="/v1", tags=["feeds"])

# The page GET /v1/feeds sends without a limit: the list's representation, whose ETag a
# POST /v1/feeds's preconditions are evaluated against (routes/feeds_admin.py).
FIRST_PAGE = 100


def feeds_page_body(feeds: list[StoredFeed], next_cursor: str | None) -> bytes:
    """A page of the feed list as GET sends it (its ETag is over these bytes)."""
    body = Page[FeedOut](items=[FeedOut.of(f) for f in feeds], next_cursor=next_cursor)
    return body.model_dump_json().encode()


@router.get("/feeds", response_model=Page[FeedOut], responses=PAGED | NOT_MODIFIED)
async def list_feeds(
    request: Request,
    store: Annotated[Store, Depends(get_store)],
    limit: Annotated[int, Query(ge=1, le=500, description=LIMIT_HELP)] = FIRST_PAGE,
    cursor: Annotated[
        str | None, Query(max_length=64, pattern=r"^[0-9a-f]+$", description=CURSOR_HELP)
    ] = None,
) -> Response:
    """Every feed with its health: last status and error, failures in a row, next poll;
    an ETag over the page, 304 for a matching If-None-Match; ``Link`` names the next page."""
    feeds, next_cursor = await store.feeds.page(after=cursor, limit=limit)
    link = next_link(request.url, next_cursor)
    body = feeds_page_body(feeds, next_cursor)
    return conditional(request, body, "application/json", link=link)
