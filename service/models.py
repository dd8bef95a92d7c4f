"""Immutable domain types, named for their place in the flow.

    FeedConfig ──► FetchResult ──► ParsedFeed(ParsedEntry…) ──► Article ──► (stories)
                        │
                        └──► FeedState (poll bookkeeping, health)

Every type here is a frozen dataclass: stages hand them to each other and never
mutate what they were given. Datetimes are always timezone-aware UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from service.pickled_fields import pickled_as_fields


@dataclass(frozen=True, slots=True)
class FeedConfig:
    """A feed as configured: where to poll and which outlet it speaks for."""

    url: str
    name: str = ""
    country: str = ""  # ISO 3166-1 alpha-2, upper case ("UA"), "" when unknown
    language: str = ""  # BCP 47 primary tag ("uk", "en"), "" when unknown
    interval: int = 900  # seconds between polls when the server says nothing else
    paused: bool = False


@dataclass(frozen=True, slots=True)
class HttpFacts:
    """The caching and retry facts of one HTTP response, as received."""

    etag: str | None = None
    last_modified: str | None = None
    cache_control: str | None = None
    expires: str | None = None
    retry_after: str | None = None
    content_type: str | None = None
    date: str | None = None


@dataclass(frozen=True, slots=True)
class FetchResult:
    """What one poll of one feed produced: bytes plus HTTP facts, or an error.

    ``body`` is None for 304, for errors and for non-2xx answers.
    ``error`` is a readable one-line message when the poll failed.
    ``permanent_url`` is set when a 301/308 chain ended somewhere else: the
    stored feed URL should move there.
    """

    url: str
    status: int | None  # None when no HTTP response arrived (DNS, timeout, refused)
    facts: HttpFacts = field(default_factory=HttpFacts)
    body: bytes | None = None
    body_hash: str | None = None  # sha256 hex of body
    error: str | None = None
    error_kind: str | None = None  # short machine tag: "timeout", "too_large", "ssrf", "http", ...
    permanent_url: str | None = None
    elapsed: float = 0.0  # seconds

    @property
    def ok(self) -> bool:
        return (
            self.error is None
            and self.status is not None
            and (200 <= self.status < 300 or self.status == 304)
        )


@pickled_as_fields
@dataclass(frozen=True, slots=True)
class ParsedEntry:
    """One item as parsed from one feed document, before normalization.

    Strings are as the feed gave them (HTML may remain in ``summary``/``content``);
    ``link`` may be relative (resolve against ``ParsedFeed.base_url``).
    """

    guid: str | None
    link: str | None
    title: str
    summary: str  # HTML or text as given
    content: str  # the longest full content, HTML or text as given; "" if none
    published: datetime | None  # UTC; None when absent or unparseable
    updated: datetime | None
    language: str | None
    author: str | None = None
    # The date names a day, not a time of day (workers/date_only.py): ``published`` or
    # ``updated`` is then that day's first instant in the stamp's offset.
    published_date_only: bool = False
    updated_date_only: bool = False


@pickled_as_fields
@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A parsed feed document. ``error`` is set only when nothing usable came out."""

    format: str  # "rss20", "atom10", "rdf", "json11", ... (feedparser's version names, "json1x")
    title: str
    link: str | None
    base_url: str  # the URL the document was fetched from (for relative links)
    language: str | None
    ttl_minutes: int | None  # RSS <ttl>
    entries: tuple[ParsedEntry, ...]
    warning: str | None = None  # recoverable problem ("bozo"), readable
    error: str | None = None  # unrecoverable problem, readable; entries is empty then
    # Canonical page URLs (no fragment) that several entries link to with different
    # fragments: their fragments tell the items apart (workers/urls.py, fragment_pages).
    fragment_pages: frozenset[str] = frozenset()


@pickled_as_fields
@dataclass(frozen=True, slots=True)
class Source:
    """One copy of an article: which feed carried it under which URL, first seen when."""

    feed_url: str
    outlet: str
    url: str
    seen_at: datetime
    country: str = ""
    language: str = ""


@pickled_as_fields
@dataclass(frozen=True, slots=True)
class Article:
    """A normalized report. ``id`` is derived from ``identity`` (deterministic)."""

    id: str
    identity: str  # "guid:…", "url:…" or "hash:…" (see workers/entry_identity.py)
    url: str  # canonical URL, "" if the entry had none
    title: str
    text: str  # plain text, trimmed to the configured length
    published: datetime  # UTC; fallback first_seen; never in the future
    first_seen: datetime
    language: str  # "" when unknown
    feed_url: str  # the feed that first carried it
    outlet: str
    country: str = ""
    guid: str | None = None
    sources: tuple[Source, ...] = ()
    # ``published`` comes from a date that names a day only (workers/date_only.py): it is
    # a dated report, though its time is the time first seen while that day lasted.
    date_only: bool = False
    # For a ``date_only`` report, the first instant of the day its date names (UTC; in the
    # stamp's offset): it was filed between then and ``published`` (workers/filing_time.py).
    # None for a timed report, or one stored before the day was kept.
    day_start: datetime | None = None


@dataclass(frozen=True, slots=True)
class FeedState:
    """Poll bookkeeping and health of one feed, as stored."""

    url: str
    title: str = ""
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    last_status: int | None = None
    last_error: str | None = None
    last_attempt: datetime | None = None
    last_success: datetime | None = None
    consecutive_failures: int = 0
    next_poll: datetime | None = None
    gone: bool = False  # 410 Gone: polled rarely, reported in health
    moved_to: str | None = None  # set when a 301 moved the feed
    ttl_minutes: int | None = None  # the feed's own <ttl>, kept for unchanged polls
    site_url: str | None = None  # the feed's own site (RSS channel link, Atom alternate)


@dataclass(frozen=True, slots=True)
class StoryMember:
    """One report in a story: an article as carried by one feed.

    An article carried by two feeds is two members (two outlets) with one article id;
    a near-duplicate copy has ``copy_of`` set to the article it copies.
    """

    article_id: str
    feed_url: str
    outlet: str
    url: str
    title: str
    published: datetime
    language: str = ""
    country: str = ""
    copy_of: str | None = None


@dataclass(frozen=True, slots=True)
class Story:
    """A development: the articles about it, with a headline chosen to represent them."""

    id: str
    headline: str
    summary: str
    first_seen: datetime
    last_updated: datetime
    members: tuple[StoryMember, ...]
    languages: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    briefings: tuple[str, ...] = ()

    @property
    def outlets(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.outlet for m in self.members))

    @property
    def article_ids(self) -> tuple[str, ...]:
        """Every article in the story, near-duplicate copies included."""
        return tuple(dict.fromkeys(m.article_id for m in self.members))

    @property
    def original_ids(self) -> tuple[str, ...]:
        """The distinct reports: articles that are not a copy of another."""
        return tuple(dict.fromkeys(m.article_id for m in self.members if m.copy_of is None))
