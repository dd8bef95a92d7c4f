"""A story's articles, page by page: each article with every feed that carried it and its
near-duplicate copies folded under it (pure).

A story can gather tens of thousands of reports (one wire text carried by every outlet:
one article with thousands of copies), so one body holding them all cost megabytes and
most of a second. A page holds at most ``limit`` reports (an article's sources and
copies, in that order); an article whose reports do not fit goes on at the top of the
next page, under the same ``article_id``. The cursor (``"<article>.<report>"``: where
the next page starts) is an index into the folded order, which only grows at its end as
the story gathers reports, except that a new feed carrying an earlier article adds a
source to it: a client paging while that happens may see one report twice, never miss
one carried when it started. A merge rewrites the order.

Folding is linear in the members (a story's members run to thousands and this runs on
the API's event loop); only the page's reports become response objects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from pydantic import BaseModel, Field

from service.models import StoryMember

STORY_REPORTS_PAGE = 200  # reports on a page unless the client asks for fewer or more
MAX_STORY_REPORTS_PAGE = 1000
CURSOR = re.compile(r"^([0-9]{1,9})\.([0-9]{1,9})$")


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


class CopyOut(BaseModel):
    """A near-duplicate of an article (the same report under another URL)."""

    article_id: str
    title: str
    url: str
    outlet: str
    published: datetime

    @classmethod
    def of(cls, m: StoryMember) -> CopyOut:
        return cls(
            article_id=m.article_id, title=m.title, url=m.url, outlet=m.outlet,
            published=m.published,
        )  # fmt: skip


class StoryArticleOut(BaseModel):
    article_id: str
    title: str
    url: str
    published: datetime
    language: str
    sources: list[StorySource] = Field(
        description="The feeds that carried this article (on this page)"
    )
    copies: list[CopyOut] = Field(description="Its near-duplicate copies (on this page)")


@dataclass(slots=True)
class _Folded:
    first: StoryMember
    sources: list[StoryMember] = field(default_factory=list)
    copies: list[StoryMember] = field(default_factory=list)


def fold(members: tuple[StoryMember, ...]) -> list[_Folded]:
    """Group members by article, in the order of each article's first report; a member
    with ``copy_of`` goes under that article once (or stands alone when the article it
    copies is not in the story)."""
    in_story = {m.article_id for m in members}
    out: dict[str, _Folded] = {}
    for m in members:
        if (m.copy_of is None or m.copy_of not in in_story) and m.article_id not in out:
            out[m.article_id] = _Folded(m)
    copied: set[tuple[str, str]] = set()  # (article, copy) pairs already listed
    for m in members:
        if m.article_id in out:
            out[m.article_id].sources.append(m)
        elif m.copy_of in out and (m.copy_of, m.article_id) not in copied:
            copied.add((m.copy_of, m.article_id))
            out[m.copy_of].copies.append(m)
    return list(out.values())


class CursorError(ValueError):
    pass


def parse_cursor(cursor: str | None) -> tuple[int, int]:
    """(article index, report index in it) where a page starts; (0, 0) for the first."""
    if cursor is None:
        return 0, 0
    match = CURSOR.match(cursor)
    if match is None:
        raise CursorError("not a cursor this story's pages gave (`<article>.<report>`)")
    return int(match[1]), int(match[2])


def article_page(
    members: tuple[StoryMember, ...], *, cursor: str | None, limit: int
) -> tuple[list[StoryArticleOut], str | None]:
    """The articles holding the ``limit`` reports from ``cursor`` on, and the cursor of
    the next page (None at the end)."""
    article, report = parse_cursor(cursor)
    folded = fold(members)
    page: list[StoryArticleOut] = []
    budget = limit
    while article < len(folded) and budget > 0:
        entry = folded[article]
        sources_from = min(report, len(entry.sources))
        sources = entry.sources[sources_from : sources_from + budget]
        copies_from = max(0, report - len(entry.sources))
        copies = entry.copies[copies_from : copies_from + budget - len(sources)]
        page.append(
            StoryArticleOut(
                article_id=entry.first.article_id,
                title=entry.first.title,
                url=entry.first.url,
                published=entry.first.published,
                language=entry.first.language,
                sources=[StorySource.of(m) for m in sources],
                copies=[CopyOut.of(m) for m in copies],
            )
        )
        taken = len(sources) + len(copies)
        budget -= taken
        report += taken
        if report >= len(entry.sources) + len(entry.copies):
            article, report = article + 1, 0
    return page, (f"{article}.{report}" if article < len(folded) else None)
