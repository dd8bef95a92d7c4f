"""Stories: one story with all its articles, and search over recent stories."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import RedirectResponse

from service.api.conditional import cached_response, conditional, current_version
from service.api.deps import get_store
from service.api.errors import ProblemError, bad_request
from service.api.schemas import CURSOR_HELP, LIMIT_HELP
from service.api.schemas_stories import StoryDetail, TimelineOut, problems
from service.api.timeline_query import get_timelines
from service.store import Store
from service.store.timelines import Cursor, CursorError, Filters, Timelines

router = APIRouter(prefix="/v1", tags=["stories"])

SEARCH_SCAN = 2000  # "recent stories": search looks at this many per page, newest first


@router.get(
    "/stories/{story_id}",
    response_model=StoryDetail,
    responses={
        304: {"description": "Not Modified"},
        308: {"description": "The story was merged into the story at `Location`"},
        **problems(404),
    },
)
async def get_story(
    request: Request, story_id: str, store: Annotated[Store, Depends(get_store)]
) -> Response:
    """A story with every article, near-duplicate copies folded under their article. A
    story merged into another (``story.merged``) redirects there (308)."""
    story = await store.stories.get(story_id) if len(story_id) <= 128 else None
    if story is None and len(story_id) <= 128:
        survivor = await store.stories.merged_into(story_id)
        if survivor is not None:
            location = request.url_for("get_story", story_id=survivor).path
            return RedirectResponse(location, status_code=308)
    if story is None:
        raise ProblemError(404, "Not Found", f"story: no story {story_id!r}")
    body = StoryDetail.detail(story).model_dump_json().encode()
    return conditional(request, body, "application/json")


@router.get(
    "/search",
    response_model=TimelineOut,
    responses={304: {"description": "Not Modified"}, **problems(400, 422)},
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

    async def render() -> bytes:
        scanner = Timelines(timelines.redis, timelines.keys, scan_limit=SEARCH_SCAN)
        page = await scanner.page(
            timelines.keys.stories_by("updated"),
            limit=limit,
            cursor=parsed,
            filters=Filters(q=q),
            watermark=version,
        )
        return TimelineOut.of(page).model_dump_json().encode()

    return await cached_response(request, version, render, "application/json")
