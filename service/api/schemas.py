"""Public response shapes (versioned under /v1; not the storage model)."""

from __future__ import annotations

from datetime import datetime
from typing import Generic, TypeVar

from pydantic import BaseModel, Field

from service.models import Article, Source
from service.store.feeds import StoredFeed
from service.url_secrets import redact_text, redact_url

T = TypeVar("T")

# The query parameters every paged list takes, described once for the OpenAPI document.
LIMIT_HELP = "Items on a page, at most the maximum shown"
CURSOR_HELP = "The previous page's `next_cursor`; omitted: the first page"
LANGUAGE_HELP = "A language of the item (ISO 639 code: `en`)"


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end"
    )


class SourceOut(BaseModel):
    feed_url: str
    outlet: str
    url: str
    country: str
    language: str
    seen_at: datetime

    @classmethod
    def of(cls, source: Source) -> SourceOut:
        return cls(
            feed_url=redact_url(source.feed_url),
            outlet=source.outlet,
            url=source.url,
            country=source.country,
            language=source.language,
            seen_at=source.seen_at,
        )


class ArticleOut(BaseModel):
    id: str
    url: str
    title: str
    text: str
    published: datetime
    first_seen: datetime
    language: str
    feed_url: str
    outlet: str
    country: str
    sources: list[SourceOut]

    @classmethod
    def of(cls, article: Article) -> ArticleOut:
        return cls(
            id=article.id,
            url=article.url,
            title=article.title,
            text=article.text,
            published=article.published,
            first_seen=article.first_seen,
            language=article.language,
            feed_url=redact_url(article.feed_url),
            outlet=article.outlet,
            country=article.country,
            sources=[SourceOut.of(s) for s in article.sources],
        )


class FeedOut(BaseModel):
    id: str
    url: str
    name: str
    title: str
    country: str
    language: str
    interval: int
    paused: bool
    gone: bool
    last_status: int | None
    last_error: str | None
    last_attempt: datetime | None
    last_success: datetime | None
    consecutive_failures: int
    next_poll: datetime | None

    @classmethod
    def of(cls, feed: StoredFeed) -> FeedOut:
        c, s = feed.config, feed.state
        return cls(
            id=feed.id,
            url=redact_url(s.url or c.url),  # the stored URL keeps its credentials
            name=c.name,
            title=s.title,
            country=c.country,
            language=c.language,
            interval=c.interval,
            paused=c.paused,
            gone=s.gone,
            last_status=s.last_status,
            last_error=redact_text(s.last_error) if s.last_error else None,
            last_attempt=s.last_attempt,
            last_success=s.last_success,
            consecutive_failures=s.consecutive_failures,
            next_poll=feed.due or s.next_poll,  # the schedule's, else the last poll's plan
        )


class FeedDetail(FeedOut):
    """One feed as ``GET /v1/feeds/{id}`` sends it: the list's fields and what costs a
    read per feed, or changes with every article, so the list leaves it out. Its ETag is
    what the feed's DELETE, pause, resume and poll compare If-Match / If-None-Match with
    (a conditional add is checked against the list's ETag)."""

    site_url: str | None = Field(description="The feed's own site (RSS `link`, Atom alternate)")
    moved_to: str | None = Field(
        description="Where the last poll was permanently redirected (301/308): the feed is "
        "polled there since, as `url` shows; null again after a poll that was not"
    )
    ttl_minutes: int | None = Field(
        description="The feed's own RSS `<ttl>`: after a success the next poll waits the "
        "longest of it, `interval` and the response's freshness, at most "
        "`BRIEFING_MAX_INTERVAL`"
    )
    briefings: list[str] = Field(
        description="Briefings whose `feeds` filter lets this feed's reports through (no "
        "filter: every feed); their other filters still pick which reports enter"
    )
    article_count: int = Field(
        description="Articles listed under `GET /v1/articles?feed={id}` (within retention)"
    )

    @classmethod
    def detail(cls, feed: StoredFeed, *, briefings: list[str], article_count: int) -> FeedDetail:
        s = feed.state
        return cls(
            **FeedOut.of(feed).model_dump(),
            site_url=redact_url(s.site_url) if s.site_url else None,
            moved_to=redact_url(s.moved_to) if s.moved_to else None,
            ttl_minutes=s.ttl_minutes,
            briefings=briefings,
            article_count=article_count,
        )


class Health(BaseModel):
    status: str
    redis: str | None = None
