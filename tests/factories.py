"""Builders of domain objects for tests: articles, story members, stories, events.

Each builder fills what a test does not care about; tests pass what they assert on.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from bench.loo_link_check import Candidates, RawCandidate
from service.models import Article, ParsedEntry, ParsedFeed, Source, Story, StoryMember
from service.store import Store
from service.store.stories import Event, Stored, StoryBatch
from workers.cluster import ClusterConfig, Clusterer
from workers.cluster_eval import to_doc
from workers.kept_apart import kept_apart
from workers.story_linking import LinkConfig

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
STORY_T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)  # make_story's stories start here

# A real capture of BBC News World (33 items), from ../shared/feeds/real.
BBC_WORLD = (Path(__file__).resolve().parent / "data" / "pipeline" / "bbc-world.xml").read_bytes()


# The shared corpus of real and edge-case feed documents, when this checkout sits beside it
# (it is not part of the repository; tests that read it skip without it).
SHARED_FEEDS = Path(__file__).resolve().parents[2] / "shared" / "feeds"


def shared_feed_manifest() -> list[dict[str, str]]:
    """The rows of ``SHARED_FEEDS/MANIFEST.tsv`` (file, format, notes, …); [] without it."""
    path = SHARED_FEEDS / "MANIFEST.tsv"
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


# A story-stage snapshot of version 3 (written by main at fb4c52c, before version 4) and the
# documents that went through StoryDecider in order, each at its own time, to make it.
STORY_SNAPSHOT_V3 = Path(__file__).resolve().parent / "data" / "snapshots" / "story-v3.json"


def story_snapshot_v3() -> tuple[list[dict[str, str]], str]:
    """(documents as cluster-eval rows, the snapshot's text as stored in Redis)."""
    data = json.loads(STORY_SNAPSHOT_V3.read_text())
    return data["docs"], data["snapshot"]


# A story-stage snapshot of version 4 whose clusterer state (version 6) holds one document
# count of every language, written by main at 6f263a0 after the first 90 of ``docs`` (120
# rows of the cross-language dev part, English, Ukrainian and Russian, by time); ``went``
# is where that main put each of the other 30 when it went on.
STORY_SNAPSHOT_SHARED_COUNT = STORY_SNAPSHOT_V3.with_name("story-v4-shared-count.json")


def story_snapshot_shared_count() -> tuple[list[dict[str, str]], str, list[str]]:
    """(documents as cluster-eval rows, the snapshot's text, where main put rows 90 on)."""
    data = json.loads(STORY_SNAPSHOT_SHARED_COUNT.read_text())
    return data["docs"], data["snapshot"], data["went"]


# --- articles ---------------------------------------------------------------------------


def article(
    *,
    id: str,
    url: str,
    title: str,
    published: datetime,
    feed_url: str,
    outlet: str,
    identity: str | None = None,
    text: str = "",
    language: str = "en",
    country: str = "",
    guid: str | None = None,
    first_seen: datetime | None = None,
    seen_at: datetime | None = None,
    with_source: bool = True,
) -> Article:
    """An article, first seen when published unless ``first_seen`` says otherwise;
    ``identity`` defaults to its URL's, and its one source is the feed it came from (seen
    at ``seen_at``, default when published) unless ``with_source`` is false."""
    sources = (
        (Source(feed_url=feed_url, outlet=outlet, url=url, seen_at=seen_at or published),)
        if with_source
        else ()
    )
    return Article(
        id=id,
        identity=identity if identity is not None else f"url:{url}",
        url=url,
        title=title,
        text=text,
        published=published,
        first_seen=first_seen or published,
        language=language,
        feed_url=feed_url,
        outlet=outlet,
        country=country,
        guid=guid,
        sources=sources,
    )


def make_article(n: int, *, feed: str = "https://a.example/feed", lang: str = "en") -> Article:
    """Article ``n`` of outlet "A": published ``n`` minutes after T0, identity by GUID."""
    return article(
        id=f"art{n:04d}",
        identity=f"guid:{feed} {n}",
        url=f"https://a.example/{n}",
        title=f"Title {n}",
        text=f"Text {n}",
        published=T0 + timedelta(minutes=n),
        language=lang,
        feed_url=feed,
        outlet="A",
        seen_at=T0,
    )


# --- parsed feeds -----------------------------------------------------------------------


def parsed_entry(**fields: Any) -> ParsedEntry:
    """An entry as the parser gives it: nothing set but ``fields``."""
    empty: dict[str, Any] = dict(
        guid=None, link=None, title="", summary="", content="", published=None, updated=None,
        language=None,
    )  # fmt: skip
    return ParsedEntry(**{**empty, **fields})


def parsed_feed(*entries: ParsedEntry, **fields: Any) -> ParsedFeed:
    """An RSS 2.0 document of ``entries`` as the parser gives it; ``fields`` override."""
    base: dict[str, Any] = dict(
        format="rss20", title="Example", link="https://news.example.org/",
        base_url="https://news.example.org/feed.xml", language=None, ttl_minutes=None,
    )  # fmt: skip
    return ParsedFeed(**{**base, **fields}, entries=entries)


# --- feed documents ---------------------------------------------------------------------


def many_attributes(count: int) -> bytes:
    """RSS with one item element carrying ``count`` attributes: feedparser's strict
    parser is quadratic in them (10,000 take seconds, 60,000 minutes)."""
    attributes = " ".join(f'a{i}="v"' for i in range(count))
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Hostile</title>'
        f"<item {attributes}><title>x</title><guid>hostile-1</guid></item></channel></rss>"
    ).encode()


# --- stories and events -----------------------------------------------------------------


def dated_rss(*dates: str, element: str = "pubDate") -> bytes:
    """RSS 2.0 with one item per date, each carrying it in ``element`` (``pubDate``,
    ``dc:date``): titled "Report 0", "Report 1"… and linked under news.example.org."""
    items = "".join(
        f"<item><title>Report {i}</title><link>https://news.example.org/{i}</link>"
        f"<{element}>{date}</{element}></item>"
        for i, date in enumerate(dates)
    )
    return (
        '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
        f"<title>t</title>{items}</channel></rss>"
    ).encode()


def member(
    n: int = 0,
    outlet: str = "Outlet",
    copy_of: str | None = None,
    *,
    article_id: str | None = None,
    feed_url: str | None = None,
    url: str | None = None,
    title: str = "t",
    at: datetime = T0,
    published: datetime | None = None,
    language: str = "",
    country: str = "",
) -> StoryMember:
    """Report ``n`` of a story: article ``a<n>`` from ``outlet``'s feed, published ``n``
    minutes after ``at`` (or at ``published``)."""
    return StoryMember(
        article_id=article_id if article_id is not None else f"a{n}",
        feed_url=feed_url if feed_url is not None else f"https://{outlet}.example/rss",
        outlet=outlet,
        url=url if url is not None else f"https://{outlet}.example/{n}",
        title=title,
        published=published if published is not None else at + timedelta(minutes=n),
        language=language,
        country=country,
        copy_of=copy_of,
    )


def make_story(
    story_id: str,
    headline: str = "Drone attack on Kharkiv power plant",
    *,
    briefings: tuple[str, ...] = ("ukraine",),
    outlets: tuple[str, ...] = ("Kyiv Independent", "Ukrainska Pravda"),
) -> Story:
    """A story with one report per outlet, a minute apart from STORY_T0."""
    members = tuple(
        member(
            n,
            outlet,
            article_id=f"{story_id}-a{n}",
            feed_url=f"https://feed{n}.example/rss",
            url=f"https://outlet{n}.example/{story_id}",
            title=headline,
            at=STORY_T0,
            language="en",
            country="UA",
        )
        for n, outlet in enumerate(outlets)
    )
    return Story(
        id=story_id,
        headline=headline,
        summary="Officials said the strike cut power to thousands. ¿Qué pasó? Всё.",
        first_seen=STORY_T0,
        last_updated=STORY_T0 + timedelta(minutes=len(outlets)),
        members=members,
        languages=("en",),
        places=("Kharkiv", "Ukraine"),
        keywords=("drone", "power"),
        briefings=briefings,
    )


WIDE_OUTLETS = 60  # wide_story's outlets: more than MAX_EVENT_SOURCES


def wide_story(story_id: str = "st_wide", outlets: int = WIDE_OUTLETS) -> Story:
    """``outlets`` outlets, each reporting twice (every first report before any second):
    members 0..outlets-1 are the first reports, in order."""
    names = tuple(f"Outlet {k}" for k in range(outlets))
    return make_story(story_id, "Ceasefire talks resume in Geneva", briefings=("world", "ukraine"),
                      outlets=names + names)  # fmt: skip


async def save_story(
    store: Store, story: Story, event_type: str = "story.created", *, now: datetime = STORY_T0
) -> str:
    """Write the story and its event as the story stage does (StoryStore, one MULTI:
    record + reference XADD); returns the event id."""
    [event_id] = await write_story(
        store,
        story,
        article_id=story.members[-1].article_id,
        new_briefings=story.briefings if event_type == "story.created" else (),
        events=[Event(event_type)],
        log_entry=None,
        now=now,
    )
    return event_id


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


async def feed_failing(store: Store, data: dict[str, Any], *, now: datetime = STORY_T0) -> str:
    """A ``feed.failing`` event, emitted as the fetch stage emits it (inline payload)."""
    event_id = await store.events.emit(
        "feed.failing", data, now=now, dedupe_key=f"feed.failing|{now.timestamp()}|{data}"
    )
    assert event_id is not None
    return event_id


def story_data(story_id: str = "s1", **fields: Any) -> dict[str, Any]:
    """A story event's public payload (docs/webhooks.md), as a webhook carries it."""
    base: dict[str, Any] = {
        "id": story_id,
        "headline": "Drone attack on Kharkiv power plant",
        "summary": "Officials said the strike cut power to thousands.",
        "first_seen": "2026-11-01T12:00:00Z",
        "last_updated": "2026-11-01T12:05:00Z",
        "article_count": 2,
        "sources": [
            {
                "outlet": "Kyiv Independent",
                "country": "UA",
                "language": "en",
                "url": "https://kyivindependent.com/a",
                "time": "2026-11-01T12:00:00Z",
            },
            {
                "outlet": "Ukrainska Pravda",
                "country": "UA",
                "language": "uk",
                "url": "https://www.pravda.com.ua/b",
                "time": "2026-11-01T12:01:00Z",
            },
        ],
        "places": ["Kharkiv", "Ukraine"],
        "languages": ["en", "uk"],
        "keywords": ["drone", "power"],
        "briefings": ["ukraine"],
    }
    base.update(fields)
    return base


# --- near-duplicate documents -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TextDoc:
    """The least a near-duplicate index reads of an article (``workers.dedupe.DedupeDoc``)."""

    id: str
    title: str
    text: str = ""
    url: str = ""


# The two stories' (first language, outlets) of a recorded candidate: an outlet in common
# in one language (the own-outlet gate applies), and none.
SAME_OUTLET = ("en", ("Ukrinform",), "en", ("Ukrinform", "Meduza"))
OTHER_OUTLET = ("uk", ("Suspilne",), "en", ("Meduza",))


def recorded_candidates(found: Sequence[RawCandidate], same: list[bool]) -> Candidates:
    """bench/loo_link_check.py's arrays of checked candidates: each (evidence, the two
    stories' first languages and outlets, set apart by the calendar), labelled ``same``."""
    zeros = np.zeros(len(found))
    return Candidates(
        cosine=np.array([e.cosine for e, _, _ in found]),
        margin=np.array([e.margin for e, _, _ in found]),
        hours=np.array([e.hours for e, _, _ in found]),
        band_hours=np.array([e.hours_in_band for e, _, _ in found]),
        place=np.array([e.same_place for e, _, _ in found]),
        count=np.array([e.same_count for e, _, _ in found]),
        name=np.array([e.same_name and e.margin >= 0.0 for e, _, _ in found]),
        own_outlet=np.array(
            [kept_apart(*o, cosine=0.0, own_outlet_cosine=1.0) for _, o, _ in found]
        ),
        apart=np.array([apart for _, _, apart in found]),
        grams=zeros,
        place_conflict=zeros.astype(bool),
        numbers_conflict=zeros.astype(bool),
        same=np.array(same),
    )


CROSSLINGUAL = Path(__file__).resolve().parents[1] / "bench" / "data" / "crosslingual"


def part_rows(part: str) -> list[dict[str, Any]]:
    """The rows of a tuning part of the cross-language set (``part``: its folder under
    bench/data/crosslingual), in the stream's order."""
    lines = (CROSSLINGUAL / part / "stream.jsonl").read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines if line]


def part_stories(
    part: str,
    keep: Callable[[dict[str, Any]], bool],
    config: LinkConfig,
    edit: Callable[[dict[str, Any]], dict[str, Any]] = lambda row: row,
) -> tuple[Clusterer, list[str]]:
    """The rows of a tuning part of the cross-language set (``part``: its folder under
    bench/data/crosslingual) that ``keep`` keeps, each as ``edit`` returns it, added in
    filing order to a clusterer linking by ``config``, a day after the last: (clusterer,
    each row's story id)."""
    rows = [edit(row) for row in part_rows(part) if keep(row)]
    docs = sorted((to_doc(row) for row in rows), key=lambda doc: doc.published)
    clusterer = Clusterer(ClusterConfig(link=config))
    now = docs[-1].published + timedelta(days=1)
    return clusterer, [clusterer.add(doc, now).story_id for doc in docs]


def checked_stories(
    part: str,
    ids: tuple[str, ...],
    cosine: float,
    config: LinkConfig,
    edit: Callable[[dict[str, Any]], dict[str, Any]] = lambda row: row,
) -> Clusterer:
    """The rows ``ids`` of tuning part ``part``, each as ``edit`` returns it, clustered by
    ``part_stories`` under ``config``, every link check answered at ``cosine`` (what the
    embedding gives the pair)."""
    clusterer, _ = part_stories(part, lambda row: row["id"] in ids, config, edit)
    for check in clusterer.pending_checks():
        clusterer.resolve_check(check.id, [cosine] * len(check.candidates))
    return clusterer
