"""Stories: one story with its articles (paged), and search over recent stories."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import RedirectResponse

from service.api.conditional import cached_response, conditional, current_version
from service.api.deps import get_store
from service.api.errors import ProblemError, bad_request
from service.api.openapi import PAGED
from service.api.paging import PageBody, next_link, with_link
from service.api.schemas import CURSOR_HELP, LIMIT_HELP, Page
from service.api.schemas_stories import StoryDetail, TimelineOut, problems
from service.api.story_articles import (
    MAX_STORY_REPORTS_PAGE,
    STORY_REPORTS_PAGE,
    StoryArticleOut,
    article_page,
)
from service.api.story_articles import CursorError as ReportCursorError
from service.api.timeline_query import get_timelines
from service.models import Story
from service.store import Store
from service.store.timelines import Cursor, CursorError, Filters, Timelines

router = APIRouter(prefix="/v1", tags=["stories"])

SEARCH_SCAN = 2000  # "recent stories": search looks at this many per page, newest first


REDIRECTS: dict[int | str, dict[str, Any]] = {
    308: {"description": "The story was merged into the story at `Location`"}
}


async def story_or_moved(request: Request, store: Store, story_id: str) -> Story | Response:
    """The story, or the 308 to the story it was merged into (``story.merged``), at the
    same route; a 404 problem when there is neither."""
    story = await store.stories.get(story_id) if len(story_id) <= 128 else None
    if story is None and len(story_id) <= 128:
        survivor = await store.stories.merged_into(story_id)
        if survivor is not None:
            route = request.scope["route"].name
            location = request.url_for(route, story_id=survivor).path
            # The query goes along: its limit, and a cursor that indexes the absorbed
            # story's order, not the survivor's (story_articles: start over after a merge).
            if request.url.query:
                location += "?" + request.url.query
            return RedirectResponse(location, status_code=308)
    if story is None:
        raise ProblemError(404, "Not Found", f"story: no story {story_id!r}")
    return story


def with_next(
    request: Request, response: Response, story_id: str, cursor: str | None, limit: int | None
) -> Response:
    """``response`` with a ``Link: <…/articles?cursor=…>; rel="next"`` (RFC 8288 §3) when
    the story's articles go on."""
    url = request.url_for("get_story_articles", story_id=story_id)
    if limit is not None:
        url = url.include_query_params(limit=str(limit))
    return with_link(response, next_link(url, cursor))


@router.get(
    "/stories/{story_id}",
    response_model=StoryDetail,
    responses={**PAGED, 304: {"description": "Not Modified"}, **REDIRECTS, **problems(404)},
)
async def get_story(
    request: Request, story_id: str, store: Annotated[Store, Depends(get_store)]
) -> Response:
    """A story with the first page of its articles (near-duplicate copies folded under
    their article); ``articles_next_cursor`` and the ``Link`` header lead to the rest. A
    story merged into another (``story.merged``) redirects there (308)."""
    story = await story_or_moved(request, store, story_id)
    if isinstance(story, Response):
        return story
    detail = StoryDetail.detail(story)
    response = conditional(request, detail.model_dump_json().encode(), "application/json")
    return with_next(request, response, story.id, detail.articles_next_cursor, None)


@router.get(
    "/stories/{story_id}/articles",
    response_model=Page[StoryArticleOut],
    responses={
        **PAGED,
        304: {"description": "Not Modified"},
        **REDIRECTS,
        **problems(400, 404, 422),
    },
)
async def get_story_articles(
    request: Request,
    story_id: str,
    store: Annotated[Store, Depends(get_store)],
    limit: Annotated[
        int, Query(ge=1, le=MAX_STORY_REPORTS_PAGE, description="Reports on a page, at most")
    ] = STORY_REPORTS_PAGE,
    cursor: Annotated[str | None, Query(max_length=20, description=CURSOR_HELP)] = None,
) -> Response:
    """Every report of the story, page by page: its articles in the order of their first
    report, each with the feeds that carried it and its copies; an article whose reports
    do not fit on a page goes on at the top of the next (same ``article_id``)."""
    story = await story_or_moved(request, store, story_id)
    if isinstance(story, Response):
        return story
    try:
        items, next_cursor = article_page(story.members, cursor=cursor, limit=limit)
    except ReportCursorError as exc:
        raise bad_request("cursor", str(exc)) from exc
    page = Page[StoryArticleOut](items=items, next_cursor=next_cursor)
    response = conditional(request, page.model_dump_json().encode(), "application/json")
    return with_next(request, response, story.id, next_cursor, limit)


@router.get(
    "/search",
    response_model=TimelineOut,
    responses={**PAGED, 304: {"description": "Not Modified"}, **problems(400, 422)},
)
async def search(
    request: Request,
    q: Annotated[
        str,
        Query(
            min_length=1,
            max_length=200,
            pattern=r"\S",
            description="Every word in the headline, summary, keywords or places",
        ),
    ],
    limit: Annotated[int, Query(ge=1, le=100, description=LIMIT_HELP)] = 20,
    cursor: Annotated[str | None, Query(max_length=512, description=CURSOR_HELP)] = None,
) -> Response:
    """Recent stories (across all briefings) whose headline, summary, keywords or
    places contain every word of ``q``, newest activity first. "Recent": the newest
    ``SEARCH_SCAN`` stories are looked at per page (bounded work per request; the
    cursor goes on from where a page stopped)."""
    try:
        parsed = Cursor.decode(cursor) if cursor is not None else None
    except CursorError as exc:
        raise bad_request("cursor", str(exc)) from exc
    timelines = get_timelines(request)
    version = await current_version(request, timelines.watermark)

    async def render() -> PageBody:
        scanner = Timelines(timelines.redis, timelines.keys, scan_limit=SEARCH_SCAN)
        page = await scanner.page(
            timelines.keys.stories_by("updated"),
            limit=limit,
            cursor=parsed,
            filters=Filters(q=q),
            watermark=version,
        )
        return PageBody(TimelineOut.of(page).model_dump_json().encode(), page.next_cursor)

    return await cached_response(request, version, render, "application/json")
