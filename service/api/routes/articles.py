"""Articles: the minimal timeline of normalized, deduplicated reports."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from service.api.cache_hits import HotRoute
from service.api.conditional import cached_response
from service.api.deps import get_store
from service.api.errors import ProblemError, bad_request
from service.api.openapi import PAGED
from service.api.paging import PageBody
from service.api.render_cache import UNVERSIONED
from service.api.schemas import CURSOR_HELP, LANGUAGE_HELP, LIMIT_HELP, ArticleOut, Page
from service.api.schemas_stories import problems
from service.store import Store
from service.store.articles import decode_cursor

router = APIRouter(prefix="/v1", tags=["articles"])


NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not Modified (If-None-Match matched the ETag)"}
}


@router.get(
    "/articles",
    response_model=Page[ArticleOut],
    responses=PAGED | NOT_MODIFIED | problems(400, 404),
)
async def list_articles(
    request: Request,
    store: Annotated[Store, Depends(get_store)],
    limit: Annotated[int, Query(ge=1, le=200, description=LIMIT_HELP)] = 50,
    cursor: Annotated[str | None, Query(max_length=512, description=CURSOR_HELP)] = None,
    since: Annotated[datetime | None, Query(description="Published after (ISO 8601)")] = None,
    feed: Annotated[str | None, Query(max_length=2048, description="Feed URL or feed id")] = None,
    lang: Annotated[str | None, Query(pattern=r"^[a-z]{2,3}$", description=LANGUAGE_HELP)] = None,
) -> Response:
    """Articles, newest first, with cursor pagination (``Link`` names the next page); an
    ETag over the page, 304 for a matching If-None-Match. A page may lag the newest
    article by the page staleness setting (1 s by default)."""
    if cursor is not None:
        try:
            decode_cursor(cursor)
        except (ValueError, UnicodeDecodeError) as exc:
            raise bad_request("cursor", "not a cursor returned by this API") from exc
    if since is not None and since.tzinfo is None:
        raise bad_request("since", "must include a timezone (e.g. 2026-11-25T10:00:00Z)")
    feed_id = None
    if feed is not None:
        found = await store.feeds.by_url(feed) or await store.feeds.get(feed)
        if found is None:
            raise ProblemError(404, "Not Found", f"feed: no feed {feed!r}")
        feed_id = found.id

    async def render() -> PageBody:  # only when no page of this URL is recent enough
        page = await store.articles.page(
            limit=limit, cursor=cursor, since=since, feed_id=feed_id, lang=lang
        )
        body = Page[ArticleOut](
            items=[ArticleOut.of(a) for a in page.items], next_cursor=page.next_cursor
        )
        return PageBody(body.model_dump_json().encode(), page.next_cursor)

    # Articles are stored many times a second while feeds are ingested: a page is
    # rendered once per URL within BRIEFING_PAGE_STALENESS (service/api/render_cache.py).
    return await cached_response(request, UNVERSIONED, render, "application/json")


async def articles_version(request: Request, _: str) -> str:
    """The version the cache-hit layer looks an articles page up at (ARTICLES_HITS): no
    events version describes the list. Its other checks need no repeating there: a page
    is cached under its exact query only once the route accepted that query, and the
    query alone decides that, except for ``feed``, which names a feed that may since
    have been removed, so a page filtered by feed is left to the route."""
    if "feed" in request.query_params:
        raise LookupError("a feed filter: the route looks the feed up")
    return UNVERSIONED


@router.get("/articles/{article_id}", response_model=ArticleOut)
async def get_article(article_id: str, store: Annotated[Store, Depends(get_store)]) -> ArticleOut:
    article = await store.articles.get(article_id)
    if article is None:
        raise ProblemError(404, "Not Found", f"article: no article {article_id!r}")
    return ArticleOut.of(article)


# Cache hits of the articles list answered before FastAPI's routing (service/api/cache_hits.py).
ARTICLES_HITS = HotRoute(re.compile(r"/v1/articles()"), "application/json", articles_version)
