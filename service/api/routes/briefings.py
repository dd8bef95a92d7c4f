"""Briefings and their timelines (JSON)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, Request, Response

from service.api.briefing_lookup import current_config, lookup_briefing
from service.api.cache_hits import HotRoute
from service.api.conditional import cached_response, conditional, current_version
from service.api.openapi import PAGED
from service.api.paging import PageBody
from service.api.schemas_stories import (
    BriefingList,
    BriefingOut,
    TimelineOut,
    problems,
)
from service.api.timeline_query import (
    TIMELINE_PARAMETERS,
    get_timelines,
    read_timeline,
    timeline_query,
)
from service.config import BriefingConfig

router = APIRouter(prefix="/v1", tags=["briefings"])

BRIEFING_ID = r"^[a-z0-9]+(-[a-z0-9]+)*$"
JSON = "application/json"


NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not Modified (If-None-Match matched the ETag)"}
}


def briefings_body(briefings: Sequence[BriefingConfig], story_counts: Sequence[int]) -> bytes:
    """The briefings list's JSON as GET sends it: its ETag is what a ``POST`` of a new
    briefing's ``If-Match`` is compared with (routes/briefings_admin.py)."""
    items = [BriefingOut.of(b, n) for b, n in zip(briefings, story_counts, strict=True)]
    return BriefingList(items=items).model_dump_json().encode()


def briefing_body(briefing: BriefingConfig, story_count: int) -> bytes:
    """A briefing's JSON as GET sends it: its strong ETag (``etag_of``) is what the
    writes' ``If-Match`` is compared with (routes/briefings_admin.py)."""
    return BriefingOut.of(briefing, story_count).model_dump_json().encode()


@router.get("/briefings", response_model=BriefingList, responses=NOT_MODIFIED)
async def list_briefings(request: Request) -> Response:
    """Every configured briefing with its filters and how many stories it holds, with an
    ETag over the list (a new story in any of them changes it)."""
    config, timelines = await current_config(request), get_timelines(request)
    counts = [await timelines.count(b.id) for b in config.briefings]
    return conditional(request, briefings_body(config.briefings, counts), JSON)


@router.get(
    "/briefings/{briefing_id}",
    response_model=BriefingOut,
    responses=NOT_MODIFIED | problems(404),
)
async def get_briefing(request: Request, briefing_id: str) -> Response:
    """A briefing with its filters and how many stories it holds. Its ETag changes when
    either does; a PUT, PATCH or DELETE with ``If-Match`` naming it writes only if
    neither has since."""
    briefing = await lookup_briefing(request, briefing_id)
    count = await get_timelines(request).count(briefing.id)
    return conditional(request, briefing_body(briefing, count), JSON)


async def timeline_version(request: Request, briefing_id: str) -> str:
    """What the timeline route checks before it looks in the render cache (the briefing
    exists, else a 404 problem), and the events version its pages are cached at. The
    route and the cache-hit layer in front of FastAPI (TIMELINE_HITS) both run this."""
    await lookup_briefing(request, briefing_id)
    return await current_version(request, get_timelines(request).watermark)


@router.get(
    "/briefings/{briefing_id}/timeline",
    response_model=TimelineOut,
    responses={
        **PAGED,
        **NOT_MODIFIED,
        **problems(400, 404, 410, 422),
    },
    openapi_extra={"parameters": TIMELINE_PARAMETERS},
)
async def get_timeline(request: Request, briefing_id: str) -> Response:
    """The briefing's stories, newest activity first (or newest story with
    ``order=created``), with an opaque cursor that stays correct while stories arrive,
    ``since=`` for incremental polling, filters, and an ETag for cheap revalidation;
    the ``Link`` header names the next page."""
    version = await timeline_version(request, briefing_id)
    timelines = get_timelines(request)

    async def render() -> PageBody:  # only on a cache miss: a cached query was valid
        query = timeline_query(request)
        page = await read_timeline(timelines, briefing_id, query, watermark=version)
        return PageBody(TimelineOut.of(page).model_dump_json().encode(), page.next_cursor)

    return await cached_response(request, version, render, JSON)


# Cache hits of the timeline answered before FastAPI's routing (service/api/cache_hits.py).
TIMELINE_HITS = HotRoute(re.compile(r"/v1/briefings/([^/]+)/timeline"), JSON, timeline_version)
