"""Public shapes of briefings, stories and timelines (versioned under /v1).

``StoryOut`` is the same shape as the ``story`` object in story events (``story.created``,
``story.updated``, ``story.merged``), built from it (``service.store.stories.story_payload``,
one rule): so a client that renders timeline items can render stream events with the same
code, and an item's size does not grow with the story. Its ``sources`` are the first
report of each outlet, at most ``MAX_EVENT_SOURCES``; ``source_count`` counts every report.
Listing every member instead would make an item grow with its story (wire copies bring
hundreds of reports) and a page cost megabytes to render on every story event.
``StoryDetail`` (``GET /v1/stories/{id}``) adds the first page of its articles with every
report on it (service/api/story_articles.py pages the rest).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from service.api.story_articles import (
    STORY_REPORTS_PAGE,
    StoryArticleOut,
    StorySource,
    article_page,
)
from service.config import BriefingConfig
from service.models import Story
from service.store.stories import MAX_EVENT_SOURCES, story_payload
from service.store.timelines import TimelinePage


class BriefingOut(BaseModel):
    id: str
    title: str
    description: str
    include: list[str] = Field(description="Keyword patterns; a story must match one")
    exclude: list[str]
    languages: list[str]
    feeds: list[str] = Field(description="Feed URLs the briefing is limited to (empty: all)")
    places: list[str]
    story_count: int

    @classmethod
    def of(cls, briefing: BriefingConfig, story_count: int) -> BriefingOut:
        return cls(
            id=briefing.id,
            title=briefing.title,
            description=briefing.description,
            include=list(briefing.include),
            exclude=list(briefing.exclude),
            languages=list(briefing.languages),
            feeds=list(briefing.feeds),
            places=list(briefing.places),
            story_count=story_count,
        )


class BriefingList(BaseModel):
    items: list[BriefingOut]


class ClaimReport(BaseModel):
    outlet: str
    url: str


class ClaimOut(BaseModel):
    """An attributed claim read in one of the story's reports (service/claims.py)."""

    claimant: str = Field(description='Who makes the claim ("the Defense Ministry", "Zelensky")')
    text: str = Field(description="What they claim, as the report words it")
    report: ClaimReport = Field(description="The report it was read in")


class StoryOut(BaseModel):
    id: str
    headline: str
    summary: str
    first_seen: datetime
    last_updated: datetime
    article_count: int = Field(description="Distinct reports (near-duplicate copies not counted)")
    source_count: int = Field(
        description="Every report: each article in each feed that carried it, copies included"
    )
    sources: list[StorySource] = Field(
        description=f"The first report of each outlet, at most {MAX_EVENT_SOURCES} "
        "(every report: `GET /v1/stories/{id}/articles`)"
    )
    places: list[str]
    languages: list[str]
    keywords: list[str]
    briefings: list[str]
    claims: list[ClaimOut] = Field(
        default_factory=list,
        description="Attributed claims in the story's headlines and summary (English), "
        "at most 8: who says what, in which report",
    )

    @classmethod
    def item(cls, payload: dict[str, Any]) -> StoryOut:
        """A timeline item from a story's event payload (``story_payload`` or, from the
        header alone, ``header_payload``): every place that renders timeline items (JSON,
        search, Atom / JSON Feed, the page) builds them here."""
        return cls.model_validate(payload)

    @classmethod
    def of(cls, s: Story) -> StoryOut:
        return cls.item(story_payload(s))

    @property
    def unlisted_reports(self) -> int:
        """Reports ``sources`` does not show, when it may leave outlets out: it holds
        every outlet unless it is full (``MAX_EVENT_SOURCES``), so below that nothing is
        missing that a reader would count as another source. The page says "and N more
        reports" (templates/briefing.html applies the same rule to live items)."""
        if len(self.sources) < MAX_EVENT_SOURCES:
            return 0
        return max(0, self.source_count - len(self.sources))


class TimelineOut(BaseModel):
    items: list[StoryOut]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next (older) page; null at the end"
    )
    watermark: str = Field(
        description="Id of the newest event when paging started: `since=<watermark>` "
        "returns every story that changed after it (including while you paged)"
    )

    @classmethod
    def of(cls, page: TimelinePage) -> TimelineOut:
        return cls(
            items=[StoryOut.item(s.payload) for s in page.items],
            next_cursor=page.next_cursor,
            watermark=page.watermark,
        )


class StoryDetail(StoryOut):
    articles: list[StoryArticleOut] = Field(
        description="The first page of the story's articles: at most "
        f"{STORY_REPORTS_PAGE} reports, near-duplicate copies folded under their article"
    )
    articles_next_cursor: str | None = Field(
        description="Pass as `cursor` to `GET /v1/stories/{id}/articles` for the next page "
        '(also the `Link` header\'s `rel="next"`); null when `articles` holds every report'
    )

    @classmethod
    def detail(cls, s: Story) -> StoryDetail:
        articles, next_cursor = article_page(s.members, cursor=None, limit=STORY_REPORTS_PAGE)
        return cls(**story_payload(s), articles=articles, articles_next_cursor=next_cursor)


class FieldProblem(BaseModel):
    field: str
    message: str
    in_: str | None = Field(default=None, alias="in")


class Problem(BaseModel):
    """RFC 9457 problem details (media type application/problem+json)."""

    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldProblem] | None = None


def problems(
    *statuses: int, described: Mapping[int, str] | None = None
) -> dict[int | str, dict[str, object]]:
    """OpenAPI ``responses`` entries documenting our problem documents (``described``:
    what a status means on this route, where it is not the usual meaning)."""
    text = {
        400: "Bad parameter (the field is named in `detail`)",
        404: "No such resource",
        410: "`since` is older than the retained events",
        412: "A precondition (`If-Match`, `If-None-Match`) does not hold",
        422: "Invalid request (fields in `errors`)",
        **(described or {}),
    }
    return {
        s: {
            "model": Problem,
            "description": text.get(s, "Problem"),
            "content": {
                "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}
            },
        }
        for s in statuses
    }
