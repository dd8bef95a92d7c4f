"""Public shapes of briefings, stories and timelines (versioned under /v1).

``StoryOut`` is the same shape as the ``story`` object in ``story.created`` /
``story.updated`` events (``service.store.stories.story_payload``), so a client that
renders timeline items can render stream events with the same code.
"""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from service.config import BriefingConfig
from service.models import Story, StoryMember
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


class StoryOut(BaseModel):
    id: str
    headline: str
    summary: str
    first_seen: datetime
    last_updated: datetime
    article_count: int
    sources: list[StorySource]
    places: list[str]
    languages: list[str]
    keywords: list[str]
    briefings: list[str]

    @classmethod
    def of(cls, s: Story) -> StoryOut:
        return cls(
            id=s.id,
            headline=s.headline,
            summary=s.summary,
            first_seen=s.first_seen,
            last_updated=s.last_updated,
            article_count=len(s.original_ids),  # copies fold under their original
            sources=[StorySource.of(m) for m in s.members],
            places=list(s.places),
            languages=list(s.languages),
            keywords=list(s.keywords),
            briefings=list(s.briefings),
        )


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
            items=[StoryOut.of(s) for s in page.items],
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
    articles: list[StoryArticleOut] = Field(
        description="The story's articles, near-duplicate copies folded under their article"
    )

    @classmethod
    def detail(cls, s: Story) -> StoryDetail:
        base = StoryOut.of(s).model_dump()
        return cls(**base, articles=fold_articles(s.members))


def fold_articles(members: tuple[StoryMember, ...]) -> list[StoryArticleOut]:
    """Group members by article; a member with ``copy_of`` goes under that article
    (or stands alone when the article it copies is not in the story)."""
    firsts: dict[str, StoryMember] = {}
    for m in members:
        if m.copy_of is None or m.copy_of not in {x.article_id for x in members}:
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
    for m in members:
        if m.article_id in out:
            out[m.article_id].sources.append(StorySource.of(m))
        elif m.copy_of in out:
            copies = out[m.copy_of].copies
            if all(c.article_id != m.article_id for c in copies):
                copies.append(
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
