"""The query of a timeline, shared by the JSON timeline, the feeds out and the page:
parse and check the parameters once, then read the page from Redis.

Bad input is a 400 naming the parameter (RFC 9457 via ``bad_request``); a ``since``
event id older than the retained events stream is 410 Gone: the client must reload.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Literal

from fastapi import Depends, Query, Request

from service.api.deps import get_store
from service.api.errors import ProblemError, bad_request
from service.config import AppConfig, BriefingConfig
from service.store import Store, codec
from service.store.timelines import (
    STREAM_ID,
    Cursor,
    CursorError,
    Filters,
    SinceTooOld,
    TimelinePage,
    Timelines,
)

Order = Literal["updated", "created"]


def get_config(request: Request) -> AppConfig:
    config: AppConfig | None = getattr(request.app.state, "config", None)
    return config or AppConfig()


def find_briefing(config: AppConfig, briefing_id: str) -> BriefingConfig:
    for briefing in config.briefings:
        if briefing.id == briefing_id:
            return briefing
    raise ProblemError(404, "Not Found", f"briefing: no briefing {briefing_id!r}")


def get_timelines(store: Annotated[Store, Depends(get_store)]) -> Timelines:
    return Timelines(store.redis, store.keys)


@dataclass(frozen=True, slots=True)
class TimelineQuery:
    order: Order
    limit: int
    cursor: Cursor | None
    since_ms: int | None
    since_event: str | None
    filters: Filters


def timeline_query(
    order: Annotated[Order, Query(description="Newest activity first, or newest story")] = (
        "updated"
    ),
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(max_length=512)] = None,
    since: Annotated[
        str | None,
        Query(
            max_length=64,
            description="Only what changed after a time (ISO 8601 with zone) "
            "or after an event id (`1732530000000-0`, e.g. a page's `watermark`)",
        ),
    ] = None,
    q: Annotated[str | None, Query(max_length=200, description="Words in the story")] = None,
    lang: Annotated[str | None, Query(pattern=r"^[a-z]{2,3}$")] = None,
    source: Annotated[
        str | None, Query(max_length=2048, description="Outlet name or feed URL")
    ] = None,
    place: Annotated[str | None, Query(max_length=100)] = None,
    min_sources: Annotated[int, Query(ge=1, le=1000, description="Distinct outlets")] = 1,
) -> TimelineQuery:
    parsed_cursor = None
    if cursor is not None:
        try:
            parsed_cursor = Cursor.decode(cursor)
        except CursorError as exc:
            raise bad_request("cursor", str(exc)) from exc
    since_ms = since_event = None
    if since is not None:
        if STREAM_ID.match(since):
            since_event = since
            if parsed_cursor is not None:
                raise bad_request("since", "an event id cannot be combined with cursor")
        else:
            since_ms = _since_time(since)
    return TimelineQuery(
        order=order,
        limit=limit,
        cursor=parsed_cursor,
        since_ms=since_ms,
        since_event=since_event,
        filters=Filters(
            q=q or None, lang=lang, source=source, place=place, min_sources=min_sources
        ),
    )


def _since_time(text: str) -> int:
    try:
        when = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError as exc:
        raise bad_request("since", "not an ISO 8601 time nor an event id") from exc
    if when.tzinfo is None:
        raise bad_request("since", "must include a timezone (e.g. 2026-11-25T10:00:00Z)")
    try:
        return codec.epoch_ms(when)
    except (OverflowError, ValueError, OSError) as exc:
        raise bad_request("since", "out of range") from exc


async def read_timeline(timelines: Timelines, briefing: str, query: TimelineQuery) -> TimelinePage:
    if query.since_event is not None:
        try:
            return await timelines.changes(
                briefing,
                query.since_event,
                limit=query.limit,
                filters=query.filters,
                order=query.order,
            )
        except SinceTooOld as exc:
            raise ProblemError(
                410,
                "Gone",
                f"since: event {query.since_event} is older than the retained events; "
                "reload the timeline without since",
                kind="since-too-old",
            ) from exc
    return await timelines.page(
        timelines.keys.briefing_stories(briefing, query.order),
        limit=query.limit,
        cursor=query.cursor,
        since_ms=query.since_ms,
        filters=query.filters,
    )
