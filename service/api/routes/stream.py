"""Server-sent events of a briefing: ``story.created``, ``story.updated`` and
``story.merged`` (``STREAM_DOC`` says what each frame holds).

    connect ──► subscribe to the hub (positions at the stream's end)
            ──► missed events no longer kept (or an id never sent)? a ``reset`` event
            ──► catch up: XRANGE after Last-Event-ID (what happened while away)
            ──► live: the hub's queue, skipping what catch-up already sent
            ──► heartbeat comments from the hub (keep proxies from closing the connection),
                each with the id read up to (a quiet briefing resumes from a retained id)
            ──► ends when the client overflows its queue or the server shuts down

Every event carries ``id:`` = its events-stream id, so a reconnecting EventSource sends
``Last-Event-ID`` and misses nothing that the stream still retains (WHATWG HTML
§9.2 "Server-sent events"). ``?last_event_id=`` does the same for clients that cannot set
headers. A hand-written StreamingResponse rather than sse-starlette: the framing is four
lines, heartbeats come through the same queue, and sse-starlette patches uvicorn's
signal handling process-wide on import.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, FastAPI, Header, Query, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from starlette.types import Receive, Scope, Send

from service.api.briefing_lookup import lookup_briefing
from service.api.errors import bad_request, problem
from service.api.event_hub import (
    CLOSING,
    HEARTBEAT,
    EventHub,
    StreamEvent,
    Subscription,
    stream_events,
    stream_order,
)
from service.api.openapi import RETRY_AFTER
from service.api.schemas_stories import problems
from service.api.stream_slots import (
    StreamSlot,
    StreamSlots,
)
from service.store.timelines import STREAM_ID

router = APIRouter(prefix="/v1", tags=["live"])

# The 200 answer as the OpenAPI document describes it (docs/api.md, "The stream").
STREAM_DOC = (
    "An endless text/event-stream of the briefing's story events: `story.created`, "
    "`story.updated` and `story.merged`. Each frame's `id:` is the event id (send it back as "
    '`Last-Event-ID` to resume), `event:` its type, `data:` JSON: `{"story": Story}`, the '
    "story as it is when the server reads the event (the shape of a timeline item). "
    '`story.merged` adds `"absorbed": [ids]`: stories the `story` took in (they are gone; '
    "`GET /v1/stories/{id}` on one answers 308 to `story`). An event recorded for a story "
    "that has merged into another since carries that survivor as `story` and adds "
    '`"merged_from": id`, the id the event was recorded for. A resume whose missed events '
    "are no longer kept (or from an id this server never sent) first gets `reset`, "
    '`data: {"reason": "since-too-old" | "since-unknown", "reload": "timeline"}`: reload '
    "the timeline; the events after it are live. Comment lines "
    "(`: heartbeat`) keep idle connections open; each comes with an `id:`, the position "
    "the stream has been read to: keep it as the last event id (EventSource does)."
)
STREAM_EXAMPLE = (
    "id: 1764079391512-0\nevent: story.merged\n"
    'data: {"story":{"id":"st_1a2b","headline":"…"},"absorbed":["st_9f8e"]}\n\n'
)

RETRY_MS = 3000  # how soon a dropped EventSource reconnects
RESET = "reset"  # the event telling a resuming client it missed events (reset_frame)
# no-store: an endless live response is never to be kept by a cache (RFC 9111 §5.2.2.5);
# no-transform: no intermediary may change its content (§5.2.2.6), as a compressing
# proxy or CDN does, holding events back until a compressed block fills;
# X-Accel-Buffering: nginx would otherwise hold events back in its buffer.
STREAM_HEADERS = {"Cache-Control": "no-store, no-transform", "X-Accel-Buffering": "no"}
# Seconds a client refused for lack of stream slots is asked to wait (Retry-After).
FULL_RETRY_AFTER = 30
# Seconds the response of a dropped client gets to end by itself (HeldStream).
DROP_GRACE = 5.0


def close_streams(app: FastAPI) -> None:
    """End every open event stream of ``app`` (server shutdown: they never end alone)."""
    event_hub(app).close()


def event_hub(app: FastAPI) -> EventHub:
    """The app's one hub (made in ``create_app``, or when it connects its store)."""
    hub: EventHub = app.state.event_hub
    return hub


def stream_slots(app: FastAPI) -> StreamSlots:
    """The app's stream caps (made in ``create_app``)."""
    slots: StreamSlots = app.state.stream_slots
    return slots


class HeldStream(StreamingResponse):
    """A streaming response that frees its stream slot when it ends, however it ends
    (finished, client gone, server shutdown, client dropped), even if its body never
    started.

    ``dropped`` is set when the hub drops the client (its queue overflowed). The body
    then ends by itself at its next queue read, unless it is blocked in a send: a client
    that stopped reading holds the send in TCP flow control for as long as it keeps the
    connection open, and with it its slot and subscription. So the response gets
    ``DROP_GRACE`` seconds to end and is then cancelled, and uvicorn closes the
    connection (logging that the response was not completed)."""

    def __init__(
        self,
        slot: StreamSlot,
        content: AsyncIterator[bytes],
        dropped: asyncio.Event,
        **options: object,
    ):
        super().__init__(content, **options)  # type: ignore[arg-type]
        self.slot = slot
        self.dropped = dropped

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        serving = asyncio.ensure_future(super().__call__(scope, receive, send))
        watching = asyncio.ensure_future(self.dropped.wait())
        try:
            await asyncio.wait({serving, watching}, return_when=asyncio.FIRST_COMPLETED)
            if not serving.done():
                await asyncio.wait({serving}, timeout=DROP_GRACE)
            if not serving.done():
                serving.cancel()
                await asyncio.wait({serving})
            if not serving.cancelled():
                serving.result()  # its exception, if any
        finally:
            watching.cancel()
            serving.cancel()  # our own cancellation (shutdown) reaches the response
            self.slot.release()


def _too_many_streams(slots: StreamSlots, address: str) -> JSONResponse:
    if slots.per_address(address) >= slots.per_client:
        detail = f"this address has {slots.per_client} event streams open, the most allowed"
    else:
        detail = "the server holds as many event streams as it allows; retry later"
    response = problem(503, "Service Unavailable", detail, kind="too-many-streams")
    response.headers["Retry-After"] = str(FULL_RETRY_AFTER)
    return response


@router.get(
    "/briefings/{briefing_id}/stream",
    response_class=StreamingResponse,
    responses={
        200: {
            "content": {
                "text/event-stream": {
                    "schema": {"type": "string"},
                    "example": STREAM_EXAMPLE,
                }
            },
            "description": STREAM_DOC,
        },
        **problems(400, 404, 422),
        503: {
            "description": "As many event streams open as allowed (in all, or from this "
            "address), or storage unavailable: retry after `Retry-After` seconds",
            "headers": {"Retry-After": RETRY_AFTER},
        },
    },
)
async def stream(
    request: Request,
    briefing_id: str,
    last_event_id_header: Annotated[
        str | None, Header(alias="Last-Event-ID", max_length=64)
    ] = None,
    last_event_id: Annotated[
        str | None, Query(max_length=64, description="Resume after this event id")
    ] = None,
) -> Response:
    """Live story events of the briefing; reconnect with ``Last-Event-ID`` to resume."""
    briefing = await lookup_briefing(request, briefing_id)
    resume = last_event_id_header or last_event_id
    if resume is not None and not STREAM_ID.match(resume):
        raise bad_request("Last-Event-ID", "not an event id sent by this stream")
    slots = stream_slots(request.app)
    address = request.client.host if request.client else ""
    slot = slots.acquire(address)
    if slot is None:
        return _too_many_streams(slots, address)
    hub = event_hub(request.app)
    dropped = asyncio.Event()
    return HeldStream(
        slot,
        _events(hub, briefing.id, resume, dropped),
        dropped,
        media_type="text/event-stream",
        headers=STREAM_HEADERS,
    )


async def _events(
    hub: EventHub, briefing: str, resume: str | None, dropped: asyncio.Event
) -> AsyncIterator[bytes]:
    yield f"retry: {RETRY_MS}\n: connected\n\n".encode()  # headers and first bytes out now
    sub = await hub.subscribe(briefing, dropped)
    try:
        gap = await hub.log.gap_after(resume) if resume is not None else None
        if gap is not None:
            # The events after ``resume`` are gone, or it is no id this stream sent:
            # no catch-up can fill the gap, so the client is told to reload the timeline.
            newest = await hub.log.last_given_id()
            yield reset_frame(gap, newest)
            resume = newest
        sent = resume
        if resume is not None:
            async for event in _catch_up(hub, resume, briefing):
                yield event.frame
                sent = event.id
        async for chunk in _live(sub, sent):
            yield chunk
    finally:
        await hub.unsubscribe(sub)


def reset_frame(reason: str, newest: str) -> bytes:
    """The ``reset`` event: what the client shows may miss events, so it reloads the
    timeline (``GET .../timeline``) and goes on with the events that follow.

    Its ``id:`` is the newest event id, which sets the EventSource's last event ID (WHATWG
    HTML §9.2.6): a reconnection before the next event then resumes from here rather than
    from the position that caused the reset, and gets no second one. The subscription
    started before ``newest`` was read, so the live events after it all follow."""
    data = json.dumps({"reason": reason, "reload": "timeline"}, separators=(",", ":"))
    return f"id: {newest}\nevent: {RESET}\ndata: {data}\n\n".encode()


async def _catch_up(hub: EventHub, after: str, briefing: str) -> AsyncIterator[StreamEvent]:
    """The retained events after ``after``: 500 entries and one story MGET per round."""
    while True:
        rows = await hub.log.range_after(after, count=500)
        for event in await stream_events(hub.redis, hub.keys, rows, {briefing}):
            yield event
        if len(rows) < 500:
            return
        after = str(rows[-1][0])


async def _live(sub: Subscription, sent: str | None) -> AsyncIterator[bytes]:
    floor = stream_order(sent) if sent else (0, 0)
    while not (sub.overflowed.is_set() or sub.closed):
        event = await sub.queue.get()
        if event is HEARTBEAT:
            position = sub.beats.popleft() if sub.beats else ""
            if position and stream_order(position) > floor:
                # Every event up to ``position`` the briefing wants is sent by now: the
                # id moves the client's last event ID past the other briefings' events,
                # so a reconnection after a quiet spell resumes from a retained id
                # rather than one retention trimmed (which gets a ``reset``). An id with
                # no data dispatches no event (WHATWG HTML §9.2.6).
                floor = stream_order(position)
                yield f": heartbeat\nid: {position}\n\n".encode()
            else:
                yield event.frame
        elif event is CLOSING:
            break
        elif event.order > floor:  # catch-up may already have sent it
            floor = event.order
            yield event.frame
    # Overflowed or closed: end the response; the client reconnects with Last-Event-ID.
