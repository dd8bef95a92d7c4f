"""Briefings and their timelines (JSON)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from service.api.conditional import conditional
from service.api.schemas_stories import (
    BriefingList,
    BriefingOut,
    StoryOut,
    TimelineOut,
    problems,
)
from service.api.timeline_query import (
    TimelineQuery,
    find_briefing,
    get_config,
    get_timelines,
    read_timeline,
    timeline_query,
)
from service.config import AppConfig
from service.store.timelines import Timelines

router = APIRouter(prefix="/v1", tags=["briefings"])

BRIEFING_ID = r"^[a-z0-9]+(-[a-z0-9]+)*$"


@router.get("/briefings", response_model=BriefingList)
async def list_briefings(
    config: Annotated[AppConfig, Depends(get_config)],
    timelines: Annotated[Timelines, Depends(get_timelines)],
) -> BriefingList:
    """Every configured briefing with its filters and how many stories it holds."""
    return BriefingList(
        items=[BriefingOut.of(b, await timelines.count(b.id)) for b in config.briefings]
    )


@router.get("/briefings/{briefing_id}", response_model=BriefingOut, responses=problems(404))
async def get_briefing(
    briefing_id: str,
    config: Annotated[AppConfig, Depends(get_config)],
    timelines: Annotated[Timelines, Depends(get_timelines)],
) -> BriefingOut:
    briefing = find_briefing(config, briefing_id)
    return BriefingOut.of(briefing, await timelines.count(briefing.id))


@router.get(
    "/briefings/{briefing_id}/timeline",
    response_model=TimelineOut,
    responses={
        304: {"description": "Not Modified (If-None-Match matched the ETag)"},
        **problems(400, 404, 410, 422),
    },
)
async def get_timeline(
    request: Request,
    briefing_id: str,
    query: Annotated[TimelineQuery, Depends(timeline_query)],
    config: Annotated[AppConfig, Depends(get_config)],
    timelines: Annotated[Timelines, Depends(get_timelines)],
) -> Response:
    """The briefing's stories, newest activity first (or newest story with
    ``order=created``), with an opaque cursor that stays correct while stories arrive,
    ``since=`` for incremental polling, filters, and an ETag for cheap revalidation."""
    briefing = find_briefing(config, briefing_id)
    page = await read_timeline(timelines, briefing.id, query)
    body = TimelineOut(
        items=[StoryOut.of(s) for s in page.items],
        next_cursor=page.next_cursor,
        watermark=page.watermark,
    )
    return conditional(request, body.model_dump_json().encode(), "application/json")
