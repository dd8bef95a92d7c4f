"""A story's articles: one entry per article with every feed that carried it, and
near-duplicate copies folded under the article they copy, page by page (pure)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from service.api.story_articles import CursorError, StoryArticleOut, article_page
from service.models import StoryMember
from tests import factories

T = datetime(2026, 2, 18, 1, 0, tzinfo=UTC)


def member(article: str, outlet: str, copy_of: str | None = None) -> StoryMember:
    return factories.member(
        outlet=outlet,
        copy_of=copy_of,
        article_id=article,
        feed_url=f"https://{outlet.lower()}.example/rss",
        url=f"https://{outlet.lower()}.example/{article}",
        title=f"Title of {article}",
        published=T,
    )


def fold_articles(members: tuple[StoryMember, ...]) -> list[StoryArticleOut]:
    """Every article on one page."""
    page, cursor = article_page(members, cursor=None, limit=len(members))
    assert cursor is None
    return page


def test_sources_group_by_article_and_copies_fold_under_the_original() -> None:
    folded = fold_articles(
        (
            member("a1", "Reuters"),
            member("a1", "Yahoo"),  # the same article carried by a second feed
            member("a2", "AP"),
            member("a3", "Local", copy_of="a1"),  # the wire text under another URL
            member("a3", "Other", copy_of="a1"),
            member("a4", "Mirror", copy_of="gone"),  # copies an article not in the story
        )
    )
    assert [a.article_id for a in folded] == ["a1", "a2", "a4"]
    first = folded[0]
    assert [s.outlet for s in first.sources] == ["Reuters", "Yahoo"]
    assert [(c.article_id, c.outlet) for c in first.copies] == [("a3", "Local")]
    assert folded[1].copies == [] and folded[2].sources[0].outlet == "Mirror"


def test_a_wire_text_copied_by_every_outlet_folds_in_one_pass() -> None:
    """Behaviour, not speed: it returns (folding was quadratic in the members, and 50,000
    would time the test out; a story of one wire text carried by thousands of outlets
    held the API's event loop for as long) with every copy under the one article."""
    copies = [member(f"c{i}", f"Outlet{i}", copy_of="a1") for i in range(50_000)]
    folded = fold_articles((member("a1", "Wire"), *copies, *copies[:10]))
    [article] = folded
    assert [s.outlet for s in article.sources] == ["Wire"]
    assert len(article.copies) == 50_000
    assert article.copies[-1].article_id == "c49999"


def test_pages_hold_at_most_limit_reports_and_go_on_inside_an_article() -> None:
    members = (
        member("a1", "Reuters"),
        member("a1", "Yahoo"),
        *(member(f"c{i}", f"Outlet{i}", copy_of="a1") for i in range(4)),
        member("a2", "AP"),
    )
    pages: list[list[StoryArticleOut]] = []
    cursor = None
    while True:
        page, cursor = article_page(members, cursor=cursor, limit=3)
        pages.append(page)
        if cursor is None:
            break
    listed = [[(a.article_id, [s.outlet for s in a.sources], [c.article_id for c in a.copies])
               for a in page] for page in pages]  # fmt: skip
    assert listed == [
        [("a1", ["Reuters", "Yahoo"], ["c0"])],
        [("a1", [], ["c1", "c2", "c3"])],  # the same article goes on
        [("a2", ["AP"], [])],
    ]
    # Every report exactly once, over the pages.
    reports = [s.outlet for p in pages for a in p for s in a.sources]
    reports += [c.outlet for p in pages for a in p for c in a.copies]
    assert sorted(reports) == sorted(m.outlet for m in members)


@pytest.mark.parametrize("cursor", ["", "1", "a.b", "1.2.3", "-1.0", "1" * 12 + ".0"])
def test_a_cursor_no_page_gave_is_refused(cursor: str) -> None:
    with pytest.raises(CursorError):
        article_page((member("a1", "AP"),), cursor=cursor, limit=10)


def test_a_cursor_past_the_end_is_an_empty_last_page() -> None:
    assert article_page((member("a1", "AP"),), cursor="5.0", limit=10) == ([], None)


def test_a_copy_carried_by_another_feed_meanwhile_moves_no_report_past_a_cursor() -> None:
    # The story stage adds a copy's report from a second feed as the same article, without
    # ``copy_of``: it stays a copy, so the reports after the cursor keep their places.
    before = (
        member("a1", "Wire"),
        member("c1", "Local", copy_of="a1"),
        member("c2", "Other", copy_of="a1"),
        member("a2", "AP"),
    )
    first, cursor = article_page(before, cursor=None, limit=2)
    assert [(a.article_id, len(a.sources), len(a.copies)) for a in first] == [("a1", 1, 1)]
    rest, end = article_page((*before, member("c1", "Section")), cursor=cursor, limit=10)
    assert end is None
    assert [(a.article_id, [c.article_id for c in a.copies]) for a in rest] == [
        ("a1", ["c2"]),
        ("a2", []),
    ]


def test_a_copy_of_a_copy_is_listed_on_its_own() -> None:
    folded = fold_articles(
        (
            member("a1", "Wire"),
            member("c1", "Local", copy_of="a1"),
            member("c2", "Far", copy_of="c1"),
        )
    )
    assert [(a.article_id, [c.article_id for c in a.copies]) for a in folded] == [
        ("a1", ["c1"]),
        ("c2", []),
    ]


def test_a_cursor_past_an_articles_end_lists_no_empty_article() -> None:
    members = (member("a1", "AP"), member("a2", "Reuters"))
    page, cursor = article_page(members, cursor="0.5", limit=10)
    assert [(a.article_id, len(a.sources)) for a in page] == [("a2", 1)]
    assert cursor is None
