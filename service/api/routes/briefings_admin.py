"""Briefing administration (admin API key): create, replace, patch, delete.

Briefings live in Redis (service/store/briefings.py): the config file seeds them once,
these routes edit them after. Read routes see them through each process's cache
(service/api/briefing_lookup.py), which checks for a change at most once per
``BRIEFINGS_CHECK_EVERY`` seconds; the process that made an edit re-reads at once. So
another API process shows an edit within about a second, plus the render cache's
``max_age`` (2 s) for a timeline page already rendered (the rendered-page cache of this
process is dropped on change).

Input is checked with the rules the pipeline applies (RFC 9457 problems name the
field): keywords are compiled by the matcher's own ``keyword_pattern``, places must be
names the gazetteer reports (workers/places.py) or ISO 3166-1 alpha-2 codes, languages
ISO 639-1 codes, feeds http(s) URLs.
"""

from __future__ import annotations

import dataclasses
import functools
import unicodedata
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Path, Request, Response
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from service.api.auth import require_admin
from service.api.briefing_lookup import current_config
from service.api.conditional import (
    TAGGED_WRITE_CONDITIONS,
    check_write,
    etag_of,
    precondition_failed,
)
from service.api.errors import ProblemError
from service.api.openapi import header_parameter
from service.api.routes.briefings import JSON, briefing_body, briefings_body
from service.api.schemas_stories import BriefingOut, problems
from service.api.timeline_query import get_timelines
from service.clock import utcnow
from service.config import BriefingConfig
from service.feed_url import MAX_URL_CHARS
from service.store import Store
from service.store.briefings import BriefingCache
from workers.briefing_match import checked_keyword, checked_place

BRIEFING_ID = r"^[a-z0-9]+(-[a-z0-9]+)*$"

# ISO 639-1 (the 183 current two-letter codes; "bh" was withdrawn). Articles carry the
# primary subtag of their language tag, so a code outside this list could never match.
ISO_639_1 = frozenset(
    """aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu
    cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi
    ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks
    ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl
    nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl
    sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve
    vi vo wa wo xh yi yo za zh zu""".split()
)


# --- field rules -------------------------------------------------------------------------


def _language(value: str) -> str:
    if value not in ISO_639_1:
        raise ValueError(f"must be an ISO 639-1 code such as 'uk' or 'en', got {value!r}")
    return value


def _printable(value: str, *, allowed: str = "") -> str:
    """``value`` unless it holds a control character (Unicode Cc: C0, DEL, C1) outside
    ``allowed``: a NUL or an escape sent by a client's encoding bug would be shown as
    sent (the page, the JSON feed) and, in a filter, match nothing, since no article's
    text or feed URL holds one."""
    for position, char in enumerate(value):
        if char not in allowed and unicodedata.category(char) == "Cc":
            raise ValueError(f"{char!r} at position {position}: no control characters")
    return value


_printable_lines = functools.partial(_printable, allowed="\t\n\r")


def _feed_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("must be an http:// or https:// feed URL with a host")
    # No feed's URL holds a space or a control character (service/ssrf.py refuses them).
    if " " in value:
        raise ValueError(f"' ' at position {value.index(' ')}: a URL holds no spaces")
    return _printable(value)


Keyword = Annotated[
    str,
    Field(min_length=1, max_length=200),
    AfterValidator(_printable),
    AfterValidator(checked_keyword),
]
Language = Annotated[str, Field(pattern=r"^[a-z]{2}$"), AfterValidator(_language)]
FeedUrl = Annotated[str, Field(min_length=1, max_length=MAX_URL_CHARS), AfterValidator(_feed_url)]
Place = Annotated[
    str,
    Field(min_length=1, max_length=100),
    AfterValidator(_printable),
    AfterValidator(checked_place),
]
Title = Annotated[
    str, Field(min_length=1, max_length=200, pattern=r"\S"), AfterValidator(_printable)
]
Description = Annotated[str, Field(max_length=2000), AfterValidator(_printable_lines)]
BriefingId = Annotated[str, Field(min_length=1, max_length=64, pattern=BRIEFING_ID)]
PathId = Annotated[str, Path(min_length=1, max_length=64, pattern=BRIEFING_ID)]


class BriefingFields(BaseModel):
    """A briefing's definition (PUT). Every non-empty filter must match."""

    model_config = ConfigDict(extra="forbid")

    id: BriefingId | None = Field(None, description="Optional; must equal the path's id")
    title: Title
    description: Description = ""
    include: list[Keyword] = Field([], max_length=100, description="A story must match one")
    exclude: list[Keyword] = Field([], max_length=100, description="A story must match none")
    languages: list[Language] = Field([], max_length=50)
    feeds: list[FeedUrl] = Field([], max_length=500)
    places: list[Place] = Field([], max_length=100)

    def config(self, briefing_id: str) -> BriefingConfig:
        return BriefingConfig(
            id=briefing_id,
            title=self.title.strip(),
            description=self.description,
            include=tuple(self.include),
            exclude=tuple(self.exclude),
            languages=tuple(self.languages),
            feeds=tuple(self.feeds),
            places=tuple(self.places),
        )


class BriefingCreate(BriefingFields):
    """A new briefing (POST): the same fields, with its id."""

    id: BriefingId  # required here


class BriefingPatch(BaseModel):
    """Only the fields given change, as in a JSON merge patch (RFC 7396): ``null``
    resets a field to its default (empty); the title cannot be removed."""

    model_config = ConfigDict(extra="forbid")

    title: Title | None = None
    description: Description | None = None
    include: list[Keyword] | None = Field(None, max_length=100)
    exclude: list[Keyword] | None = Field(None, max_length=100)
    languages: list[Language] | None = Field(None, max_length=50)
    feeds: list[FeedUrl] | None = Field(None, max_length=500)
    places: list[Place] | None = Field(None, max_length=100)

    @field_validator("title")
    @classmethod
    def _title_stays(cls, value: str | None) -> str:
        # Runs only for a title that was sent: an explicit null is the one way here.
        if value is None:
            raise ValueError("cannot be removed (a briefing needs a title)")
        return value.strip()

    def apply(self, briefing: BriefingConfig) -> BriefingConfig:
        given: dict[str, Any] = {}
        for name in self.model_fields_set:
            value = getattr(self, name)
            if value is None:
                given[name] = "" if name == "description" else ()
            else:
                given[name] = tuple(value) if isinstance(value, list) else value
        return dataclasses.replace(briefing, **given)


# --- admin routes --------------------------------------------------------------------------


router = APIRouter(
    prefix="/v1",
    tags=["briefings"],
    dependencies=[Depends(require_admin)],
)

# 400: a body that is not even text (FastAPI's "error parsing the body").
WRITE_PROBLEMS = problems(400, 401, 413, 422)
CONDITIONAL_WRITE = WRITE_PROBLEMS | problems(412)


async def _out(request: Request, briefing: BriefingConfig, status: int = 200) -> Response:
    """The briefing as GET now sends it, with its ETag (RFC 9110 §8.8.3: the
    representation a later ``If-Match`` names)."""
    await current_config(request, force=True)  # this process reads its own write at once
    body = briefing_body(briefing, await get_timelines(request).count(briefing.id))
    return Response(body, status_code=status, media_type=JSON, headers={"ETag": etag_of(body)})


async def _store(request: Request) -> Store:
    """The store, seeded first: an edit made before this process's first read must not
    be the write that marks Redis seeded while the config's briefings are missing (a
    seed Redis refuses is retried here, and its refusal is the 503 the edit gets)."""
    await current_config(request)
    cache: BriefingCache = request.app.state.briefing_cache
    await cache.seeded()
    store: Store = request.app.state.store
    return store


def _not_found(briefing_id: str) -> ProblemError:
    return ProblemError(404, "Not Found", f"briefing_id: no briefing {briefing_id!r}")


def _check(request: Request, current: BriefingConfig | None, story_count: int) -> None:
    """The 412 unless the request's preconditions hold for the briefing as stored now,
    compared with the ETag GET would send for it (routes/briefings.py)."""
    etag = None if current is None else etag_of(briefing_body(current, story_count))
    what = f"briefing {current.id if current else request.path_params['briefing_id']!r}"
    check_write(request, what, exists=current is not None, etag=etag)


def _check_existing(
    request: Request, briefing_id: str, current: BriefingConfig | None, story_count: int
) -> BriefingConfig:
    """``current`` once the request's preconditions hold for it (``_check``); a missing
    briefing is a 404 whatever the preconditions (RFC 9110 §13.2.1)."""
    if current is None:
        raise _not_found(briefing_id)
    _check(request, current, story_count)
    return current


# A POST's target is the list (RFC 9110 §9.3.3), so its preconditions are the list's.
LIST_WRITE_CONDITIONS = {
    "parameters": [
        header_parameter(
            "If-Match",
            "The `ETag` of `GET /v1/briefings` (strong comparison): create only if the list "
            "still has that ETag (else 412); `*` holds (the list exists)",
        ),
        header_parameter(
            "If-None-Match",
            "An `ETag` of `GET /v1/briefings`: create only if the list changed since (else "
            "412). `*` always fails, as the list exists: `PUT /v1/briefings/{id}` with "
            "`If-None-Match: *` creates only if that briefing does not exist",
        ),
    ]
}


def _check_list(
    request: Request, briefings: tuple[BriefingConfig, ...], story_counts: tuple[int, ...]
) -> None:
    """The 412 unless the request's preconditions hold for the briefing list as stored
    now, compared with the ETag ``GET /v1/briefings`` sends for it."""
    if (request.headers.get("if-none-match") or "").strip() == "*":
        raise precondition_failed(
            "If-None-Match: *: a POST's target is the briefing list, which exists; to create "
            "a briefing only if it does not exist, PUT /v1/briefings/{id} with If-None-Match: *"
        )
    etag = etag_of(briefings_body(briefings, story_counts))
    check_write(request, "the briefing list", exists=True, etag=etag)


@router.post(
    "/briefings",
    response_model=BriefingOut,
    status_code=201,
    responses=problems(409, 412) | WRITE_PROBLEMS,
    openapi_extra=LIST_WRITE_CONDITIONS,
)
async def create_briefing(request: Request, body: BriefingCreate) -> Response:
    """Add a briefing. Stories processed from now on are matched against it (no
    retroactive tagging of stories already stored). ``If-Match`` / ``If-None-Match`` are
    the list's (``GET /v1/briefings``), checked in one transaction with the write."""
    assert body.id is not None
    briefing = body.config(body.id)
    briefings = (await _store(request)).briefings
    if "if-match" in request.headers or "if-none-match" in request.headers:
        check = functools.partial(_check_list, request)
        created = await briefings.create_checked(briefing, check, now=utcnow())
    else:
        created = await briefings.create(briefing, now=utcnow())
    if not created:
        raise ProblemError(409, "Conflict", f"id: briefing {body.id!r} exists (PUT replaces it)")
    response = await _out(request, briefing, 201)
    response.headers["Location"] = request.url_for("get_briefing", briefing_id=briefing.id).path
    return response


@router.put(
    "/briefings/{briefing_id}",
    response_model=BriefingOut,
    responses={201: {"description": "Created", "model": BriefingOut}, **CONDITIONAL_WRITE},
    openapi_extra=TAGGED_WRITE_CONDITIONS,
)
async def replace_briefing(request: Request, briefing_id: PathId, body: BriefingFields) -> Response:
    """Create or replace the whole definition (fields left out take their defaults);
    201 when it was created (RFC 9110 §9.3.4)."""
    if body.id is not None and body.id != briefing_id:
        raise ProblemError(
            422, "Invalid Request", f"id: {body.id!r} differs from the path's {briefing_id!r}",
            kind="validation",
        )  # fmt: skip
    briefing = body.config(briefing_id)

    def create_or_replace(current: BriefingConfig | None, story_count: int) -> BriefingConfig:
        _check(request, current, story_count)  # in the write's transaction
        return briefing

    briefings = (await _store(request)).briefings
    before, _after = await briefings.write(briefing_id, create_or_replace, now=utcnow())
    return await _out(request, briefing, 201 if before is None else 200)


@router.patch(
    "/briefings/{briefing_id}",
    response_model=BriefingOut,
    responses=problems(404) | CONDITIONAL_WRITE,
    openapi_extra=TAGGED_WRITE_CONDITIONS,
)
async def patch_briefing(request: Request, briefing_id: PathId, body: BriefingPatch) -> Response:
    """Change only the fields given; the others keep their values."""

    def change(current: BriefingConfig | None, story_count: int) -> BriefingConfig:
        return body.apply(_check_existing(request, briefing_id, current, story_count))

    _before, changed = await (await _store(request)).briefings.write(briefing_id, change)
    assert changed is not None
    return await _out(request, changed)


@router.delete(
    "/briefings/{briefing_id}",
    status_code=204,
    responses=problems(401, 404, 412, 422),
    openapi_extra=TAGGED_WRITE_CONDITIONS,
)
async def delete_briefing(request: Request, briefing_id: PathId) -> Response:
    """Remove a briefing: it leaves every list, its page, timeline and feeds answer 404.
    Stories keep their tag, and its timeline index stays until retention trims it, so
    re-creating the same id brings its timeline back."""

    def remove(current: BriefingConfig | None, story_count: int) -> None:
        _check_existing(request, briefing_id, current, story_count)

    await (await _store(request)).briefings.write(briefing_id, remove)
    await current_config(request, force=True)
    return Response(status_code=204)
