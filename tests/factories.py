"""Small builders of domain objects for tests."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from service.models import Article, Source, Story
from service.store import Store
from service.store.stories import Event, Stored, StoryBatch

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


async def write_story(
    store: Store,
    story: Story,
    *,
    article_id: str,
    new_briefings: tuple[str, ...] = (),
    events: Sequence[Event] = (),
    log_entry: str | None = None,
    now: datetime,
    stored: Stored | None = None,
) -> list[str]:
    """Write what one article changed of ``story`` as the story stage writes a batch of
    one (``StoryStore.queue`` in one MULTI); returns the event ids."""
    batch = StoryBatch()
    batch.add(
        story,
        article_id=article_id,
        new_briefings=new_briefings,
        events=list(events),
        log_entry=log_entry,
        now=now,
        stored=stored,
    )
    async with store.redis.pipeline(transaction=True) as pipe:
        store.stories.queue(pipe, batch)
        replies = await pipe.execute()
    return [str(r) for r in replies[-len(events) :]] if events else []


@dataclass(frozen=True, slots=True)
class TextDoc:
    """The least a near-duplicate index reads of an article (``workers.dedupe.DedupeDoc``)."""

    id: str
    title: str
    text: str = ""
    url: str = ""
