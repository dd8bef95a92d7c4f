"""What the fetch stage runs in its parse processes (workers/parse_pool.py): parse a
document and key its entries, normalize the new ones, and warm a fresh worker.

Pure and picklable in and out. A module apart from workers/fetch_stage.py, and
importing nothing of the store, HTTP or the event loop: a parse worker imports the module
of every function it is sent, and a fresh worker should pay for feedparser, the HTML
parser and the language model, not for the service around them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from service.cpu_priority import lower_in_own_session
from service.models import Article, FeedConfig, ParsedFeed
from workers.normalize import entry_identity, normalize_document
from workers.parse import parse_feed

# Parse workers yield the CPU to the processes that run event loops (the fetch loop,
# the API): on a saturated host a late parse only delays a poll's articles, while a
# starved fetch loop polls late and a starved API answers late. In a session of their
# own, so that this holds against every session on the host (service/cpu_priority.py).
PARSE_NICENESS = 10


@dataclass(frozen=True, slots=True)
class Parsed:
    """A parsed document with each entry's identity key (in entry order)."""

    feed: ParsedFeed
    identities: list[str]


def parse_document(body: bytes, url: str, content_type: str | None, config: FeedConfig) -> Parsed:
    """parse_feed + every entry's identity key: pure, picklable in and out (runs in the
    pool). ``config.url`` must be the URL the feed is polled under, as for normalizing."""
    parsed = parse_feed(body, url, content_type)
    if parsed.error is not None:
        return Parsed(parsed, [])
    return Parsed(parsed, [entry_identity(entry, parsed, config) for entry in parsed.entries])


def normalize_new(
    feed: ParsedFeed, config: FeedConfig, now: datetime, text_max_chars: int, skip: frozenset[int]
) -> list[Article]:
    """normalize_document of the entries not in ``skip`` (runs in the pool)."""
    return normalize_document(feed, config, now=now, text_max_chars=text_max_chars, skip=skip)


def warm_worker() -> None:
    """Lower this worker's CPU priority; load the language model (~1 s) now, not on its
    first feed."""
    lower_in_own_session(PARSE_NICENESS)
    from workers.language import identifier

    identifier()
