"""What the fetch stage runs in its parse processes (workers/parse_pool.py): parse a
document and key its entries, normalize the new ones, parse and normalize a feed's first
document in one call, and warm a fresh worker.

Pure and picklable in and out. A module apart from workers/fetch_stage.py, and
importing nothing of the store, HTTP or the event loop: a parse worker imports the module
of every function it is sent, and a fresh worker should pay for feedparser, the HTML
parser and the language model, not for the service around them.

The parser and the normalizer (feedparser, the HTML parser, py3langid and numpy) are
imported where the calls run (``load_parsers``), not with this module: the fetch worker
imports it for the references it sends its parse processes and for ``Parsed``, which it
unpickles, and parses nothing itself unless it has no parse process (workers/runtime.py,
``warm_up``).
"""

from __future__ import annotations

import dataclasses
import importlib
from dataclasses import dataclass
from datetime import datetime

from service.cpu_priority import lower_in_own_session
from service.models import Article, FeedConfig, ParsedFeed

# Parse workers yield the CPU to the processes that run event loops (the fetch loop,
# the API): on a saturated host a late parse only delays a poll's articles, while a
# starved fetch loop polls late and a starved API answers late. In a session of their
# own, so that this holds against every session on the host (service/cpu_priority.py).
PARSE_NICENESS = 10
# What the calls import: the parser, and the normalizer with its HTML parser and language
# identifier.
PARSER_MODULES = ("workers.parse", "workers.normalize")


@dataclass(frozen=True, slots=True)
class Parsed:
    """A parsed document with each entry's identity key (in entry order)."""

    feed: ParsedFeed
    identities: list[str]


def parse_document(body: bytes, url: str, content_type: str | None, config: FeedConfig) -> Parsed:
    """parse_feed + every entry's identity key: pure, picklable in and out (runs in the
    pool). ``config.url`` must be the URL the feed is polled under, as for normalizing."""
    from workers.normalize import entry_identity
    from workers.parse import parse_feed

    parsed = parse_feed(body, url, content_type)
    if parsed.error is not None:
        return Parsed(parsed, [])
    return Parsed(parsed, [entry_identity(entry, parsed, config) for entry in parsed.entries])


@dataclass(frozen=True, slots=True)
class Digest:
    """A parsed and normalized document: the feed without its entries (they are in
    ``articles`` now, and need not cross a process boundary again), their count."""

    feed: ParsedFeed
    entries: int
    articles: list[Article]
    stored: int = 0  # entries not normalized: their identity was already stored


def parse_and_normalize(
    body: bytes,
    url: str,
    content_type: str | None,
    config: FeedConfig,
    now: datetime,
    text_max_chars: int,
) -> Digest:
    """parse_feed + normalize_document of every entry, in one call (runs in the pool): a
    feed's first document, none of whose entries the fetch stage can expect stored, so
    the entries cross no process boundary, only the articles do."""
    from workers.normalize import normalize_document
    from workers.parse import parse_feed

    feed = parse_feed(body, url, content_type)
    articles = []
    if feed.error is None:
        articles = normalize_document(feed, config, now=now, text_max_chars=text_max_chars)
    return Digest(dataclasses.replace(feed, entries=()), len(feed.entries), articles)


def normalize_new(
    feed: ParsedFeed, config: FeedConfig, now: datetime, text_max_chars: int, skip: frozenset[int]
) -> list[Article]:
    """normalize_document of the entries not in ``skip`` (runs in the pool)."""
    from workers.normalize import normalize_document

    return normalize_document(feed, config, now=now, text_max_chars=text_max_chars, skip=skip)


def load_parsers() -> None:
    """Import the parser and the normalizer and load the language model now, not in the
    first feed's parse."""
    for module in PARSER_MODULES:
        importlib.import_module(module)
    from workers.language import identifier

    identifier()


def warm_worker() -> None:
    """Lower this worker's CPU priority; load the parser and the language model now, not
    on its first feed."""
    lower_in_own_session(PARSE_NICENESS)
    load_parsers()
