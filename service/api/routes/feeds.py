"""Feeds and their health: the list, and one feed with what the list leaves out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from service.api.briefing_lookup import current_config
from service.api.conditional import conditional
from service.api.deps import get_store
from service.api.errors import ProblemError
from service.api.openapi import PAGED
from service.api.paging import next_link
from service.api.routes.articles import NOT_MODIFIED
from service.api.schemas import CURSOR_HELP, LIMIT_HELP, FeedDetail, FeedOut, Page
from service.api.schemas_stories import problems
from service.store import Store
from service.store.feeds import StoredFeed
from workers.briefing_match import briefings_admitting_feed
from workers.text import html_to_text

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


def no_feed(feed_id: str) -> ProblemError:
    """The 404 of a feed id that names no feed."""
    return ProblemError(404, "Not Found", f"feed_id: no feed {feed_id!r}")


async def feed_detail_body(request: Request, store: Store, feed: StoredFeed) -> bytes:
    """The feed as ``GET /v1/feeds/{id}`` sends it (its ETag is over these bytes, and
    the feed's writes evaluate their preconditions against it: routes/feeds_admin.py)."""
    # Articles carry the configured URL and this outlet name (workers/normalize.py), and
    # a briefing's feed filter is matched against those.
    outlet = feed.config.name or html_to_text(feed.state.title)
    briefings = briefings_admitting_feed(
        (await current_config(request)).briefings, feed_url=feed.config.url, outlet=outlet
    )
    detail = FeedDetail.detail(
        feed, briefings=briefings, article_count=await store.articles.count(feed_id=feed.id)
    )
    return detail.model_dump_json().encode()


@router.get("/feeds/{feed_id}", response_model=FeedDetail, responses=NOT_MODIFIED | problems(404))
async def get_feed(
    request: Request, feed_id: str, store: Annotated[Store, Depends(get_store)]
) -> Response:
    """One feed: the list's fields (health, schedule, the last poll's error), its site,
    where a redirect moved it, its ``<ttl>``, the briefings its reports may enter and how
    many articles it carried; an ETag over the body, 304 for a matching If-None-Match."""
    feed = await store.feeds.get(feed_id)
    if feed is None:
        raise no_feed(feed_id)
    return conditional(request, await feed_detail_body(request, store, feed), "application/json")
