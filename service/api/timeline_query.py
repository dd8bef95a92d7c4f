"""The query of a timeline, shared by the JSON timeline, the feeds out and the page:
parse and check the parameters once, then read the page from Redis.

Bad input is a 400 naming the parameter (RFC 9457 via ``bad_request``); a ``since``
event id older than the retained events stream, or newer than its newest event (never
sent by this server), is 410 Gone: the client must reload.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, Field, ValidationError

from service.api.errors import ProblemError, bad_request
from service.api.schemas import CURSOR_HELP, LANGUAGE_HELP, LIMIT_HELP
from service.config import AppConfig, BriefingConfig
from service.store import Store, codec
from service.store.timelines import (
    STREAM_ID,
    Cursor,
    CursorError,
    Filters,
    SinceTooOld,
    SinceUnknown,
    TimelinePage,
    Timelines,
)

Order = Literal["updated", "created"]


# Plain helpers called by the routes, not FastAPI dependencies: FastAPI runs a ``def``
# dependency in a worker thread, and solving dependencies costs more than serving a
# cached timeline page.


def get_config(request: Request) -> AppConfig:
    config: AppConfig | None = getattr(request.app.state, "config", None)
    return config or AppConfig()


def find_briefing(config: AppConfig, briefing_id: str) -> BriefingConfig:
    for briefing in config.briefings:
        if briefing.id == briefing_id:
            return briefing
    raise ProblemError(404, "Not Found", f"briefing: no briefing {briefing_id!r}")


def get_timelines(request: Request) -> Timelines:
    store: Store = request.app.state.store
    return Timelines(store.redis, store.keys)


@dataclass(frozen=True, slots=True)
class TimelineQuery:
    order: Order
    limit: int
    cursor: Cursor | None
    since_ms: int | None
    since_event: str | None
    filters: Filters


class TimelineParams(BaseModel):
    """The timeline's query parameters, validated as one model (FastAPI validates a
    query model in one pass, several times faster than as many separate parameters)."""

    order: Order = Field("updated", description="Newest activity first, or newest story")
    limit: int = Field(50, ge=1, le=200, description=LIMIT_HELP)
    cursor: str | None = Field(None, max_length=512, description=CURSOR_HELP)
    since: str | None = Field(
        None,
        max_length=64,
        description="Only what changed after a time (ISO 8601 with zone) "
        "or after an event id (`1732530000000-0`, e.g. a page's `watermark`)",
    )
    q: str | None = Field(None, max_length=200, description="Words in the story")
    lang: str | None = Field(None, pattern=r"^[a-z]{2,3}$", description=LANGUAGE_HELP)
    source: str | None = Field(None, max_length=2048, description="Outlet name or feed URL")
    place: str | None = Field(
        None,
        max_length=100,
        description="A name the story lists in `places` (`Kyiv`, `Ukraine`), any case; "
        "not a country code",
    )
    min_sources: int = Field(1, ge=1, le=1000, description="Distinct outlets")


def _query_parameters(model: type[BaseModel]) -> list[dict[str, Any]]:
    """OpenAPI ``parameters`` for the fields of a query model, as FastAPI would write them."""
    schema = model.model_json_schema()
    return [
        {
            "name": name,
            "in": "query",
            "required": False,
            "schema": {k: v for k, v in prop.items() if k not in ("description", "title")},
            **({"description": prop["description"]} if "description" in prop else {}),
        }
        for name, prop in schema["properties"].items()
    ]


TIMELINE_PARAMETERS = _query_parameters(TimelineParams)


def timeline_query(request: Request) -> TimelineQuery:
    """Parse the query of a timeline request.

    Not a FastAPI dependency on purpose: FastAPI's per-parameter machinery costs about
    a millisecond for these nine parameters, more than serving a cached page; one
    pydantic validation does the same checks. Routes document the parameters with
    ``openapi_extra={"parameters": TIMELINE_PARAMETERS}``, and errors are the same 422.
    """
    try:
        params = TimelineParams.model_validate(dict(request.query_params))
    except ValidationError as exc:
        raise RequestValidationError(
            [{**e, "loc": ("query", *e["loc"])} for e in exc.errors(include_url=False)]
        ) from None
    order, limit, cursor, since = params.order, params.limit, params.cursor, params.since
    q, lang, source, place = params.q, params.lang, params.source, params.place
    min_sources = params.min_sources
    parsed_cursor = None
    if cursor is not None:
        try:
            parsed_cursor = Cursor.decode(cursor)
        except CursorError as exc:
            raise bad_request("cursor", str(exc)) from exc
    since_ms = since_event = None
    if since is not None:
        if STREAM_ID.looks_like(since):
            problem = STREAM_ID.problem(since)
            if problem is not None:
                raise bad_request("since", problem)
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


async def read_timeline(
    timelines: Timelines, briefing: str, query: TimelineQuery, *, watermark: str | None = None
) -> TimelinePage:
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
        except SinceUnknown as exc:
            raise ProblemError(
                410,
                "Gone",
                f"since: event {query.since_event} is newer than the newest event; "
                "it was not sent by this server: reload the timeline without since",
                kind="since-unknown",
            ) from exc
    return await timelines.page(
        timelines.keys.briefing_stories(briefing, query.order),
        limit=query.limit,
        cursor=query.cursor,
        since_ms=query.since_ms,
        filters=query.filters,
        watermark=watermark,
    )
