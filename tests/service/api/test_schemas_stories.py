"""A story's articles: one entry per article with every feed that carried it, and
near-duplicate copies folded under the article they copy (pure)."""

from __future__ import annotations

from datetime import UTC, datetime

from service.api.schemas_stories import fold_articles
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
