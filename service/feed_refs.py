"""Which stored feed a user means on the command line (`briefing feeds poll|remove REF`).

``REF`` is anything `briefing feeds list` shows of a feed, so a feed whose URL carries
credentials (shown masked, ``https://***@host/feed``) can be named without them:

    its id            (first column; ids are unique)
    its URL           the full URL, as added (credentials included), or as the list shows it
                      with credentials masked when only one feed shows that way
    its name          the outlet name (or the feed's own title), when only one feed has it

An id or the full URL names at most one feed. A masked URL or a name may fit several (two
private feeds of one host, two feeds of one outlet): then none is picked and the error
lists their ids.
"""

from __future__ import annotations

from collections.abc import Iterable

from service.store import Store
from service.store.feeds import StoredFeed
from service.url_secrets import redact_url

HINT = "briefing feeds list shows each feed's id, URL and name"


class FeedRefError(LookupError):
    """``REF`` names no stored feed, or several: the message says which and what to do."""


def shown_url(feed: StoredFeed) -> str:
    """The feed's URL as listings show it: where it is polled now, credentials masked."""
    return redact_url(feed.state.url or feed.config.url)


def shown_name(feed: StoredFeed) -> str:
    """The name listings show: the configured outlet name, else the feed's own title."""
    return feed.config.name or feed.state.title or ""


def pick(feeds: Iterable[StoredFeed], ref: str) -> StoredFeed:
    """The one feed of ``feeds`` that ``ref`` names by id, masked URL or name (in that
    order of precedence). Raises FeedRefError when none does or several do."""
    wanted = ref.strip()
    by_url: list[StoredFeed] = []
    by_name: list[StoredFeed] = []
    for feed in feeds:
        if feed.id == wanted:
            return feed
        if wanted in {shown_url(feed), redact_url(feed.config.url)}:
            by_url.append(feed)
        elif wanted and wanted.casefold() == shown_name(feed).casefold():  # "" is no name
            by_name.append(feed)
    matches = by_url or by_name
    if len(matches) == 1:
        return matches[0]
    shown = redact_url(wanted)
    if not matches:
        raise FeedRefError(f"no such feed: {shown} ({HINT})")
    ids = ", ".join(sorted(f.id for f in matches))
    raise FeedRefError(
        f"{shown} names {len(matches)} feeds (ids {ids}): give the id of the one you mean"
    )


async def find_feed(store: Store, ref: str) -> StoredFeed:
    """The stored feed ``ref`` names: by its full URL (one lookup), else by id, masked URL
    or name among every stored feed (``pick``)."""
    if "://" in ref:
        feed = await store.feeds.by_url(ref.strip())
        if feed is not None:
            return feed
    return pick(await _every_feed(store), ref)


async def _every_feed(store: Store) -> list[StoredFeed]:
    feeds: list[StoredFeed] = []
    cursor = None
    while True:
        page, cursor = await store.feeds.page(after=cursor, limit=500)
        feeds += page
        if cursor is None:
            return feeds
