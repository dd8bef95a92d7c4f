"""Feed administration (admin API key): add, remove, pause, resume, poll now, and the
feed list as OPML 2.0 (export for any reader, import from one).

An import is read by service/opml.py (defusedxml: untrusted XML). Every imported feed URL
passes the same SSRF guard as the fetcher.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated
from xml.etree.ElementTree import Element, SubElement, tostring

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field, HttpUrl

from service.api.auth import require_admin
from service.api.conditional import TAGGED_ACTION_CONDITIONS, check_write, etag_of
from service.api.deps import get_settings, get_store
from service.api.errors import ProblemError, bad_request
from service.api.openapi import header_parameter
from service.api.routes.feeds import FIRST_PAGE, feed_detail_body, feeds_page_body, no_feed
from service.api.schemas import FeedOut
from service.api.schemas_stories import problems
from service.api.xml_chars import xml_chars
from service.clock import utcnow
from service.feed_checks import refusal, refusals
from service.feed_refs import shown_name, shown_url
from service.models import FeedConfig
from service.opml import OpmlError, read_subscriptions
from service.settings import FEED_INTERVAL_MAX, Settings
from service.store import Store
from service.store.feeds import FeedListContended, StoredFeed
from service.url_secrets import redact_url

router = APIRouter(prefix="/v1", tags=["feeds"], dependencies=[Depends(require_admin)])
export_router = APIRouter(prefix="/v1", tags=["feeds"])

# Seconds a conditional add waits after its page kept changing under it (FeedListContended):
# polls of the first page's feeds come seconds apart, so a try a second later gets through.
CONTENDED_RETRY_AFTER = 1


class FeedIn(BaseModel):
    url: HttpUrl
    name: str = Field(default="", max_length=200)
    country: str = Field(default="", pattern=r"^([A-Z]{2})?$")
    language: str = Field(default="", pattern=r"^([a-z]{2,3})?$")
    interval: int | None = Field(default=None, ge=10, le=FEED_INTERVAL_MAX)


class ImportReport(BaseModel):
    added: int
    updated: int
    refused: list[str]


async def _feed(store: Store, feed_id: str) -> StoredFeed:
    feed = await store.feeds.get(feed_id)
    if feed is None:
        raise no_feed(feed_id)
    return feed


async def _acting_on(request: Request, store: Store, feed_id: str) -> StoredFeed:
    """The feed a write or action changes (404 when there is none), once the request's
    preconditions hold for it (412 else, RFC 9110 §13.1.1), compared with the ETag
    ``GET /v1/feeds/{id}`` sends now. That comparison is made just before the write, not
    in one transaction with it: the tag covers the feed's place in the schedule, a
    sorted set every claim and poll of any feed writes, which a WATCH cannot narrow to
    one member (each write's script would have to guard the score, as ADD_FEED does for
    the list's page). So a change landing between the comparison and the write (a poll
    ending, another admin's action) goes unnoticed. Whether the feed exists the writes
    check again as they write (a removal in between is a 404, never a half-written
    feed)."""
    feed = await _feed(store, feed_id)
    etag = None
    if "if-match" in request.headers or "if-none-match" in request.headers:
        etag = etag_of(await feed_detail_body(request, store, feed))
    check_write(request, f"feed {feed_id}", exists=True, etag=etag)
    return feed


# A POST's target is the list (RFC 9110 §9.3.3), so its preconditions are the list's:
# the page GET /v1/feeds sends (routes/feeds.py).
LIST_WRITE_CONDITIONS = {
    "parameters": [
        header_parameter(
            "If-Match",
            "The `ETag` of `GET /v1/feeds` (strong comparison): add only if that page is "
            "unchanged (else 412; a poll changes it too); `*` holds (the list exists)",
        ),
        header_parameter(
            "If-None-Match",
            "An `ETag` of `GET /v1/feeds`: add only if that page changed since (else 412). "
            "`*` always fails, as the list exists",
        ),
    ]
}


def _list_check(request: Request) -> Callable[[list[StoredFeed], str | None], None]:
    """The 412 unless the request's preconditions hold for the feed list's first page as
    stored now, compared with the ETag ``GET /v1/feeds`` sends for it."""

    def check(feeds: list[StoredFeed], next_cursor: str | None) -> None:
        etag = etag_of(feeds_page_body(feeds, next_cursor))
        check_write(request, "the feed list", exists=True, etag=etag)

    return check


@router.post(
    "/feeds",
    response_model=FeedOut,
    status_code=201,
    responses=problems(400, 412)
    | {200: {"description": "An existing feed's settings updated", "model": FeedOut}},
    openapi_extra=LIST_WRITE_CONDITIONS,
)
async def add_feed(
    request: Request,
    response: Response,
    body: FeedIn,
    store: Annotated[Store, Depends(get_store)],
    settings: Annotated[Settings, Depends(get_settings)],
) -> FeedOut:
    """Add a feed, polled right away: 201 with its ``Location`` (RFC 9110 §15.3.2); or
    update an existing one's settings: 200, nothing was created (its schedule stays:
    `next_poll` says when; `POST /v1/feeds/{id}/poll` polls it now).
    ``If-Match`` / ``If-None-Match`` are the list's (``GET /v1/feeds``), checked before
    the URL's checks and again in one transaction with the write; a 503 with
    ``Retry-After`` when the list kept changing between that check and the write."""
    url = str(body.url)
    check = None
    if "if-match" in request.headers or "if-none-match" in request.headers:
        # Before the SSRF guard's lookup: preconditions come before processing the
        # request's content (RFC 9110 §13.2.1); the write checks them again.
        check = _list_check(request)
        check(*await store.feeds.page(after=None, limit=FIRST_PAGE))
    refused = await refusal(url, allow_private=settings.allow_private_targets)
    if refused is not None:
        raise bad_request("url", refused)
    config = FeedConfig(
        url=url,
        name=body.name,
        country=body.country,
        language=body.language,
        interval=body.interval or settings.default_interval,
    )
    if check is None:
        feed_id, created = await store.feeds.add(config, first_poll=utcnow())
    else:
        feed_id, created = await _add_checked(store, config, check)
    if created:
        response.headers["Location"] = request.url_for("get_feed", feed_id=feed_id).path
    else:
        response.status_code = 200
    return FeedOut.of(await _feed(store, feed_id))


async def _add_checked(
    store: Store, config: FeedConfig, check: Callable[[list[StoredFeed], str | None], None]
) -> tuple[str, bool]:
    """``FeedStore.add_checked``, its giving up a 503 with ``Retry-After`` (RFC 9110
    §15.6.4: a passing state of the server, the request is fine as sent). Not a 412: the
    preconditions held at every try; nor a 409 (§15.5.10): there is no conflict the
    client could resolve, only the same request again a moment later."""
    try:
        added = await store.feeds.add_checked(
            config, check, first_poll=utcnow(), first_page=FIRST_PAGE
        )
    except FeedListContended as busy:
        raise ProblemError(
            503,
            "Service Unavailable",
            f"the feed list kept changing while the preconditions were checked ({busy}); "
            "nothing was written, retry shortly",
            kind="feed-list-contended",
            headers={"Retry-After": str(CONTENDED_RETRY_AFTER)},
        ) from busy
    return added


@router.delete(
    "/feeds/{feed_id}",
    status_code=204,
    responses=problems(412),
    openapi_extra=TAGGED_ACTION_CONDITIONS,
)
async def remove_feed(
    request: Request, feed_id: str, store: Annotated[Store, Depends(get_store)]
) -> Response:
    """Stop polling a feed; its articles and stories stay."""
    feed = await _acting_on(request, store, feed_id)
    await store.feeds.remove_feed(feed)
    return Response(status_code=204)


async def _set_paused(request: Request, store: Store, feed_id: str, paused: bool) -> None:
    await _acting_on(request, store, feed_id)
    if not await store.feeds.set_paused(feed_id, paused):
        raise no_feed(feed_id)


@router.post(
    "/feeds/{feed_id}/pause",
    response_model=FeedOut,
    responses=problems(412),
    openapi_extra=TAGGED_ACTION_CONDITIONS,
)
async def pause_feed(
    request: Request, feed_id: str, store: Annotated[Store, Depends(get_store)]
) -> FeedOut:
    await _set_paused(request, store, feed_id, True)
    return FeedOut.of(await _feed(store, feed_id))


@router.post(
    "/feeds/{feed_id}/resume",
    response_model=FeedOut,
    responses=problems(412),
    openapi_extra=TAGGED_ACTION_CONDITIONS,
)
async def resume_feed(
    request: Request, feed_id: str, store: Annotated[Store, Depends(get_store)]
) -> FeedOut:
    await _set_paused(request, store, feed_id, False)
    await store.feeds.schedule_now(feed_id, utcnow())
    return FeedOut.of(await _feed(store, feed_id))


@router.post(
    "/feeds/{feed_id}/poll",
    response_model=FeedOut,
    status_code=202,
    responses=problems(412),
    openapi_extra=TAGGED_ACTION_CONDITIONS,
)
async def poll_feed(
    request: Request, feed_id: str, store: Annotated[Store, Depends(get_store)]
) -> FeedOut:
    """Make the feed due now: the next scheduler tick of any fetch worker polls it."""
    await _acting_on(request, store, feed_id)
    await store.feeds.schedule_now(feed_id, utcnow())
    return FeedOut.of(await _feed(store, feed_id))


@export_router.get(
    "/feeds.opml",
    response_class=Response,
    responses={200: {"content": {"text/x-opml": {}}}},
)
async def export_opml(store: Annotated[Store, Depends(get_store)]) -> Response:
    """Every feed as OPML 2.0, for any feed reader."""
    opml = Element("opml", version="2.0")
    SubElement(SubElement(opml, "head"), "title").text = "Live Briefing feeds"
    body = SubElement(opml, "body")
    cursor = None
    while True:
        feeds, cursor = await store.feeds.page(after=cursor, limit=500)
        for feed in feeds:
            # A feed's own title (and site) may hold characters XML 1.0 cannot: dropped,
            # and a title of nothing else leaves the URL to name the feed, as no title does.
            title = xml_chars(shown_name(feed)) or xml_chars(redact_url(feed.config.url))
            outline = SubElement(body, "outline", type="rss", text=title, title=title,
                                 xmlUrl=xml_chars(shown_url(feed)))  # fmt: skip
            if feed.state.site_url:
                outline.set("htmlUrl", xml_chars(redact_url(feed.state.site_url)))
        if cursor is None:
            break
    xml = b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(opml, encoding="utf-8")
    return Response(xml, media_type="text/x-opml; charset=utf-8")


@router.post(
    "/feeds.opml",
    response_model=ImportReport,
    responses=problems(400),
    openapi_extra={"requestBody": {"content": {"text/x-opml": {"schema": {"type": "string"}}}}},
)
async def import_opml(
    request: Request,
    store: Annotated[Store, Depends(get_store)],
    settings: Annotated[Settings, Depends(get_settings)],
) -> ImportReport:
    """Add every ``outline`` with an ``xmlUrl`` (nested folders included).

    Every URL gets the SSRF guard's verdict as one added by itself would (its hosts judged
    concurrently: service/feed_checks.py); the feeds it accepts are written in chunks
    of a few hundred, one MGET and one MULTI each (``FeedStore.add_many``)."""
    raw = await request.body()  # bounded by BRIEFING_MAX_REQUEST_BYTES (service/api/limits.py)
    try:
        subscriptions = read_subscriptions(raw)
    except OpmlError as exc:
        raise bad_request("body", str(exc)) from exc
    outlines = subscriptions.feeds
    verdicts = await refusals(
        [url for url, _name in outlines], allow_private=settings.allow_private_targets
    )
    refused = list(subscriptions.refused)
    feeds: list[tuple[FeedConfig, datetime]] = []
    now = utcnow()
    for (url, name), reason in zip(outlines, verdicts, strict=True):
        if reason is not None:
            refused.append(f"{url}: {reason}")
            continue
        config = FeedConfig(url=url, name=name[:200], interval=settings.default_interval)
        feeds.append((config, now))
    created = [new for _id, new in await store.feeds.add_many(feeds)]
    return ImportReport(added=sum(created), updated=created.count(False), refused=refused)
