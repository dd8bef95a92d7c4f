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

router = APIRouter(prefix="/v1", tags=["feeds"])


@router.get("/feeds", response_model=Page[FeedOut], responses=PAGED | NOT_MODIFIED)
async def list_feeds(
    request: Request,
    store: Annotated[Store, Depends(get_store)],
    limit: Annotated[int, Query(ge=1, le=500, description=LIMIT_HELP)] = 100,
    cursor: Annotated[
        str | None, Query(max_length=64, pattern=r"^[0-9a-f]+$", description=CURSOR_HELP)
    ] = None,
) -> Response:
    """Every feed with its health: last status and error, failures in a row, next poll;
    an ETag over the page, 304 for a matching If-None-Match; ``Link`` names the next page."""
    feeds, next_cursor = await store.feeds.page(after=cursor, limit=limit)
    body = Page[FeedOut](items=[FeedOut.of(f) for f in feeds], next_cursor=next_cursor)
    link = next_link(request.url, next_cursor)
    return conditional(request, body.model_dump_json().encode(), "application/json", link=link)
