"""A story's articles, page by page: each article with every feed that carried it and its
near-duplicate copies folded under it (pure).

A story can gather tens of thousands of reports (one wire text carried by every outlet:
one article with thousands of copies), too many for one body. A page holds at most
``limit`` reports (an article's sources and copies, in that order); an article whose
reports do not fit goes on at the top of the next page, under the same ``article_id``.
The cursor (``"<article>.<report>"``: where the next page starts) is an index into the
folded order, which only grows at its end as the story gathers reports (``fold``),
except that a new feed carrying an earlier article adds a source to it: a client paging
while that happens may see one report twice, never miss one carried when it started. A
merge rewrites the order (the survivor's members are sorted by time): a cursor given
before it, by the survivor or by the absorbed story (whose cursors redirect to the
survivor unchanged), may skip or repeat reports; docs/api.md tells clients to start over.

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
    """Group members by article, in the order of each article's first report. An article
    whose first report copies another article of the story (``copy_of``) goes under it,
    listed once, and stays a copy when a later report of it comes without ``copy_of``
    (the story stage adds another feed's report of it as the same article): so the
    folded order only grows at its end, which the page cursors rely on. A copy of an
    article that is not in the story, or that is itself a copy, stands alone."""
    in_story = {m.article_id for m in members}
    first_copy_of: dict[str, str | None] = {}  # article -> ``copy_of`` of its first report
    for m in members:
        first_copy_of.setdefault(m.article_id, m.copy_of if m.copy_of in in_story else None)
    under = {  # article -> the article it is folded under (None: it is one of its own)
        article: None if original is None or first_copy_of[original] is not None else original
        for article, original in first_copy_of.items()
    }
    out: dict[str, _Folded] = {}
    for m in members:
        if under[m.article_id] is None and m.article_id not in out:
            out[m.article_id] = _Folded(m)
    copied: set[str] = set()  # copies already listed
    for m in members:
        original = under[m.article_id]
        if original is None:
            out[m.article_id].sources.append(m)
        elif m.article_id not in copied:
            copied.add(m.article_id)
            out[original].copies.append(m)
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
        if sources or copies:  # none: a cursor past the article's end (given before a merge)
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
