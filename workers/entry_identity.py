"""Exact identity of an entry: the key that makes "seen it already" a set lookup.

One key per entry, the first of these that the entry has:

1. ``guid:<feed url> <guid>`` — the publisher's own id (RSS ``<guid>``, Atom ``<id>``,
   JSON Feed ``id``). It survives edits to the title, text and even the link (CMSs
   add tracking to links, fix typos in slugs), which is exactly when a re-poll must
   not produce a new article. GUIDs are only promised unique *within one feed*
   (RSS 2.0 spec; many CMSs number items 1, 2, 3…), so the feed URL is part of the
   key: the same guid in two feeds is two keys. A guid that one document gives to
   several different items (another link or title: a CMS writing ``<guid>1</guid>`` or
   its home page into every item) identifies none of them; :func:`without_shared_guids`
   drops it from those entries at parse time, so each is keyed by its link (or hash)
   instead of all but the first being taken for repeats and lost.
2. ``url:<canonical url>`` — no guid, but a link: the canonical URL (see
   :mod:`workers.urls`) is the page itself, wherever it was syndicated. Except a
   link to a site's front page (path ``/``, no query): it names the site, not an
   item, and scraper-made feeds link every item there (``egfedorov-rss-parser__
   meduza.xml``: 24 different stories, one URL). Those fall through to the hash.
3. ``hash:<sha256>`` — neither: a digest of the normalized title and text
   (NFKC, case-folded, whitespace folded). Any edit makes a new key; that is the
   price of having nothing better, and near-duplicate detection catches it later.

Conservative by design (in the face of ambiguity, refuse to guess, as reader's
``entry_dedupe`` puts it): two entries share a key only when they are certainly
the same item. Looser matches (same wire story under another URL, a changed guid)
are the near-duplicate stage's job, which can be wrong without losing anything.
"""

from __future__ import annotations

import dataclasses
import hashlib
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from urllib.parse import urlsplit

from service.ids import digest
from service.models import ParsedEntry


def identity_key(
    *, feed_url: str, guid: str | None, canonical_url: str, title: str, text: str
) -> str:
    """The entry's identity key: ``guid:…``, else ``url:…``, else ``hash:…``."""
    guid = (guid or "").strip()
    if guid:
        return f"guid:{feed_url} {guid}"
    if canonical_url and not _is_front_page(canonical_url):
        return f"url:{canonical_url}"
    return f"hash:{content_hash(title, text)}"


def without_shared_guids(
    entries: Sequence[ParsedEntry],
) -> tuple[tuple[ParsedEntry, ...], int]:
    """``entries`` with the guid removed from every entry whose guid another entry of the
    same document carries with another link or title, and how many lost theirs. The
    same item listed twice (same guid, link and title) keeps its guid."""
    items: defaultdict[str, set[tuple[str | None, str]]] = defaultdict(set)
    for entry in entries:
        if entry.guid and entry.guid.strip():
            items[entry.guid.strip()].add((entry.link, entry.title))
    shared = {guid for guid, seen in items.items() if len(seen) > 1}
    if not shared:
        return tuple(entries), 0
    kept, dropped = [], 0
    for entry in entries:
        if entry.guid and entry.guid.strip() in shared:
            entry = dataclasses.replace(entry, guid=None)
            dropped += 1
        kept.append(entry)
    return tuple(kept), dropped


def content_hash(title: str, text: str) -> str:
    """sha256 hex of normalized title and text, so spacing, case and Unicode
    compatibility forms (full-width digits, ligatures) do not make a new key."""
    normalized = "\n".join(_normalize(part) for part in (title, text))
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()


def article_id(identity: str) -> str:
    """Short stable hex id of an article, derived from its identity key."""
    return digest(identity)


def _is_front_page(url: str) -> bool:
    parts = urlsplit(url)
    return parts.path in ("", "/") and not parts.query


def _normalize(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())
