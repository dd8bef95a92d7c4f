"""A briefing's timeline as Atom and as JSON Feed 1.1, for feed readers.

The same query parameters as the JSON timeline (filters, ``order``); one page of
``limit`` stories (feed readers want the latest, not an archive). ETag and 304 as for
the JSON timeline: readers poll, and most polls find nothing new. The next page is named
in the document (Atom ``<link rel="next">``, JSON Feed ``next_url``) and, as every paged
list names it, in a ``Link: <url>; rel="next"`` header (service/api/paging.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from fastapi import APIRouter, Request, Response

from service.api.briefing_lookup import current_config
from service.api.conditional import cached_response, current_version
from service.api.feed_docs import FeedInfo, atom, json_feed_bytes
from service.api.openapi import LINK_NEXT
from service.api.paging import PageBody
from service.api.routes.page import FILTERS as PAGE_FILTERS
from service.api.schemas_stories import StoryOut, problems
from service.api.timeline_query import (
    TIMELINE_PARAMETERS,
    TimelineQuery,
    find_briefing,
    get_timelines,
    read_timeline,
    timeline_query,
)
from service.config import AppConfig
from service.store.timelines import Timelines

router = APIRouter(prefix="/v1", tags=["feeds out"])

ATOM = "application/atom+xml"
# The charset said in the header too (RFC 7303 §3: authoritative when given), as text/html
# is sent; application/json defines no charset parameter (RFC 8259 §11), nor JSON Feed.
ATOM_UTF8 = f"{ATOM}; charset=utf-8"
JSON_FEED = "application/feed+json"


def selection(query: TimelineQuery) -> tuple[tuple[str, str], ...]:
    """What chooses a feed's stories, as parsed (so ``min_sources=1`` is no filter, as
    its absence is): the part of the query that names the feed (``FeedInfo.feed_id``)."""
    f = query.filters
    since = query.since_event if query.since_ms is None else _utc_time(query.since_ms)
    chosen = {
        "q": f.q,
        "lang": f.lang,
        "source": f.source,
        "place": f.place,
        "min_sources": str(f.min_sources) if f.min_sources > 1 else None,
        "since": since,
    }
    return tuple((name, value) for name, value in chosen.items() if value)


def _utc_time(epoch_ms: int) -> str:
    """A ``since`` time as a reader reads it in the feed's title: RFC 3339 in UTC, to the
    millisecond the query holds, the same whatever zone it was written in."""
    when = datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=epoch_ms)
    precision = "milliseconds" if epoch_ms % 1000 else "seconds"
    return when.isoformat(timespec=precision).replace("+00:00", "Z")


async def _stories_and_info(
    request: Request, briefing_id: str, query: TimelineQuery, config: AppConfig, t: Timelines
) -> tuple[list[StoryOut], FeedInfo, str | None]:
    """The page's stories, what the document says of the feed, and the next cursor."""
    briefing = find_briefing(config, briefing_id)
    page = await read_timeline(t, briefing.id, query)
    chosen = selection(query)
    # The page shown with the filters it offers: the feed's alternate (RFC 4287 §4.2.7.2).
    page_url = request.url_for("briefing_page", briefing_id=briefing.id).include_query_params(
        **{name: value for name, value in chosen if name in PAGE_FILTERS}
    )
    info = FeedInfo(
        briefing_id=briefing.id,
        title=briefing.title,
        description=briefing.description,
        page_url=str(page_url),
        self_url=str(request.url),
        first_url=(
            str(request.url.remove_query_params("cursor"))
            if "cursor" in request.query_params
            else None
        ),
        next_url=(
            str(request.url.include_query_params(cursor=page.next_cursor))
            if page.next_cursor
            else None
        ),
        selection=chosen,
    )
    return [StoryOut.item(s.payload) for s in page.items], info, page.next_cursor


@router.get(
    "/briefings/{briefing_id}/timeline.atom",
    response_class=Response,
    responses={
        200: {
            "content": {ATOM: {"schema": {"type": "string"}}},
            "description": "Atom 1.0",
            "headers": {"Link": LINK_NEXT},
        },
        304: {"description": "Not Modified"},
        **problems(400, 404, 410, 422),
    },
    openapi_extra={"parameters": TIMELINE_PARAMETERS},
)
async def timeline_atom(request: Request, briefing_id: str) -> Response:
    """The timeline as an Atom 1.0 feed: one entry per story, updated as it grows."""
    return await _feed_document(
        request, briefing_id, lambda stories, info: atom(stories, info).encode(), ATOM_UTF8
    )


@router.get(
    "/briefings/{briefing_id}/timeline.json",
    response_class=Response,
    responses={
        200: {
            "content": {JSON_FEED: {"schema": {"type": "object"}}},
            "description": "JSON Feed 1.1",
            "headers": {"Link": LINK_NEXT},
        },
        304: {"description": "Not Modified"},
        **problems(400, 404, 410, 422),
    },
    openapi_extra={"parameters": TIMELINE_PARAMETERS},
)
async def timeline_json_feed(request: Request, briefing_id: str) -> Response:
    """The timeline as a JSON Feed 1.1: one item per story, updated as it grows."""
    return await _feed_document(request, briefing_id, json_feed_bytes, JSON_FEED)


async def _feed_document(
    request: Request,
    briefing_id: str,
    serialize: Callable[[list[StoryOut], FeedInfo], bytes],
    media_type: str,
) -> Response:
    """One page of the timeline written by ``serialize``, through the render cache."""
    config, timelines = await current_config(request), get_timelines(request)
    version = await current_version(request, timelines.watermark)

    async def render() -> PageBody:  # only on a cache miss: a cached query was valid
        query = timeline_query(request)
        stories, info, next_cursor = await _stories_and_info(
            request, briefing_id, query, config, timelines
        )
        return PageBody(serialize(stories, info), next_cursor)

    return await cached_response(request, version, render, media_type)
