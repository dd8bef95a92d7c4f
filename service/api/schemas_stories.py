"""Public shapes of briefings, stories and timelines (versioned under /v1).

``StoryOut`` is the same shape as the ``story`` object in story events (``story.created``,
``story.updated``, ``story.merged``), built from it (``service.store.stories.story_payload``,
one rule): so a client that renders timeline items can render stream events with the same
code, and an item's size does not grow with the story. Its ``sources`` are the first
report of each outlet, at most ``MAX_EVENT_SOURCES``; ``source_count`` counts every report.
Listing every member instead would make an item grow with its story (wire copies bring
hundreds of reports) and a page cost megabytes to render on every story event.
``StoryDetail`` (``GET /v1/stories/{id}``) still lists every report.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from service.config import BriefingConfig
from service.models import Story, StoryMember
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


class StorySource(BaseModel):
    outlet: str
    country: str
    language: str
    url: str
    time: datetime

    @classmethod
    def of(cls, m: StoryMember) -> StorySource:
        return cls(
            outlet=m.outlet, country=m.country, language=m.language, url=m.url, time=m.published
        )


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
        "(every report: `GET /v1/stories/{id}`)"
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


class CopyOut(BaseModel):
    """A near-duplicate of an article (the same report under another URL)."""

    article_id: str
    title: str
    url: str
    outlet: str
    published: datetime


class StoryArticleOut(BaseModel):
    article_id: str
    title: str
    url: str
    published: datetime
    language: str
    sources: list[StorySource] = Field(description="Every feed that carried this article")
    copies: list[CopyOut]


class StoryDetail(StoryOut):
    sources: list[StorySource] = Field(description="Every report, in the order they came")
    articles: list[StoryArticleOut] = Field(
        description="The story's articles, near-duplicate copies folded under their article"
    )

    @classmethod
    def detail(cls, s: Story) -> StoryDetail:
        base = {**story_payload(s), "sources": [StorySource.of(m) for m in s.members]}
        return cls(**base, articles=fold_articles(s.members))


def fold_articles(members: tuple[StoryMember, ...]) -> list[StoryArticleOut]:
    """Group members by article; a member with ``copy_of`` goes under that article
    (or stands alone when the article it copies is not in the story).

    Linear in the members: a story can have thousands (one wire text carried by every
    outlet), and this runs on the API's event loop."""
    in_story = {m.article_id for m in members}
    firsts: dict[str, StoryMember] = {}
    for m in members:
        if m.copy_of is None or m.copy_of not in in_story:
            firsts.setdefault(m.article_id, m)
    out = {
        aid: StoryArticleOut(
            article_id=aid,
            title=m.title,
            url=m.url,
            published=m.published,
            language=m.language,
            sources=[],
            copies=[],
        )
        for aid, m in firsts.items()
    }
    copied: set[tuple[str, str]] = set()  # (article, copy) pairs already listed
    for m in members:
        if m.article_id in out:
            out[m.article_id].sources.append(StorySource.of(m))
        elif m.copy_of in out and (m.copy_of, m.article_id) not in copied:
            copied.add((m.copy_of, m.article_id))
            out[m.copy_of].copies.append(
                CopyOut(
                    article_id=m.article_id,
                    title=m.title,
                    url=m.url,
                    outlet=m.outlet,
                    published=m.published,
                )
            )
    return list(out.values())


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


def problems(*statuses: int) -> dict[int | str, dict[str, object]]:
    """OpenAPI ``responses`` entries documenting our problem documents."""
    text = {
        400: "Bad parameter (the field is named in `detail`)",
        404: "No such resource",
        410: "`since` is older than the retained events",
        412: "A precondition (`If-Match`, `If-None-Match`) does not hold",
        422: "Invalid request (fields in `errors`)",
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
