"""Small builders of domain objects for tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from service.models import Article, Source

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def make_article(n: int, *, feed: str = "https://a.example/feed", lang: str = "en") -> Article:
    published = T0 + timedelta(minutes=n)
    return Article(
        id=f"art{n:04d}",
        identity=f"guid:{feed} {n}",
        url=f"https://a.example/{n}",
        title=f"Title {n}",
        text=f"Text {n}",
        published=published,
        first_seen=published,
        language=lang,
        feed_url=feed,
        outlet="A",
        sources=(Source(feed_url=feed, outlet="A", url=f"https://a.example/{n}", seen_at=T0),),
    )


# A real capture of BBC News World (33 items), from ../shared/feeds/real.
BBC_WORLD = (Path(__file__).resolve().parent / "data" / "pipeline" / "bbc-world.xml").read_bytes()
