"""The "Live Briefing" page: server-rendered HTML, live through EventSource.

Without JavaScript it is a plain list of developments with an "older" link (the same
cursor paging as the API). With JavaScript, templates/briefing.html opens the
briefing's event stream starting at the page's watermark (so nothing between render
and connect is missed) and puts new and updated stories on top without a reload.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from service.api.errors import bad_request
from service.api.routes.briefings_admin import lookup_briefing
from service.api.schemas_stories import StoryOut
from service.api.timeline_query import get_timelines
from service.store import codec
from service.store.stories import MAX_EVENT_SOURCES
from service.store.timelines import Cursor, CursorError

router = APIRouter(tags=["page"])
templates = Jinja2Templates(directory=Path(__file__).resolve().parent.parent / "templates")

PAGE_SIZE = 30


@dataclass(frozen=True, slots=True)
class Outlet:
    name: str
    url: str


@dataclass(frozen=True, slots=True)
class StoryView:
    """What the template shows of a story (the same fields the page's JS renders)."""

    id: str
    headline: str
    summary: str
    updated_iso: str
    updated_text: str
    outlets: list[Outlet]
    places: list[str]
    article_count: int
    unlisted_reports: int  # "and N more reports" after the outlets (StoryOut.unlisted_reports)


def is_web_url(url: str) -> bool:
    return url.lower().startswith(("http://", "https://"))


def when_text(dt: datetime) -> str:
    """The page's time format; templates/briefing.html formats live items the same way."""
    return dt.astimezone(UTC).strftime("%d %b %Y, %H:%M UTC")


def story_view(s: StoryOut) -> StoryView:
    """A timeline item as the page shows it: its sources are already one per outlet (the
    first report), at most ``MAX_EVENT_SOURCES``, as in the stream events the page's JS
    renders; the counts are the item's."""
    return StoryView(
        id=s.id,
        headline=s.headline,
        summary=s.summary,
        updated_iso=codec.iso(s.last_updated) or "",
        updated_text=when_text(s.last_updated),
        # Only web links: a hostile feed's "javascript:" URL must not become a live link.
        outlets=[Outlet(src.outlet, src.url if is_web_url(src.url) else "") for src in s.sources],
        places=list(s.places),
        article_count=s.article_count,
        unlisted_reports=s.unlisted_reports,
    )


@router.get(
    "/briefings/{briefing_id}",
    response_class=HTMLResponse,
    name="briefing_page",
    include_in_schema=False,
)
async def briefing_page(
    request: Request,
    briefing_id: str,
    cursor: Annotated[str | None, Query(max_length=512)] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = PAGE_SIZE,
) -> HTMLResponse:
    briefing = await lookup_briefing(request, briefing_id)
    timelines = get_timelines(request)
    try:
        parsed = Cursor.decode(cursor) if cursor else None
    except CursorError as exc:
        raise bad_request("cursor", str(exc)) from exc
    page = await timelines.page(
        timelines.keys.briefing_stories(briefing.id, "updated"), limit=limit, cursor=parsed
    )
    return templates.TemplateResponse(
        request,
        "briefing.html",
        {
            "briefing": briefing,
            "stories": [story_view(StoryOut.item(s.payload)) for s in page.items],
            "max_sources": MAX_EVENT_SOURCES,
            "next_cursor": page.next_cursor,
            "limit": limit,
            "first_page": parsed is None,
            "watermark": page.watermark,
            "stream_url": request.app.url_path_for("stream", briefing_id=briefing.id),
        },
        headers={"Cache-Control": "no-cache"},
    )
