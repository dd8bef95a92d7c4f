"""Which events a subscription receives: pure matching over the public event payload.

A subscription names the event types it wants and, optionally, filters over stories.
Every filter that is set must hold (AND); inside one filter any listed value may match
(OR). Matching is case-insensitive:

``briefings``    the story is in one of these briefings (ids)
``keywords``     one of these is among the story's keywords, or a whole word (or phrase)
                 of its headline or summary
``languages``    the story (or one of its sources) is in one of these languages; compared
                 by primary subtag, so "en" matches "en-GB"
``sources``      one of the story's sources is this outlet (by name) or is on this domain
                 (its URL's host is the domain or a subdomain of it)
``places``       the story mentions one of these places (canonical names, as in the API)
``min_sources``  the story is reported by at least this many distinct outlets

Filters select stories: a ``feed.failing`` event is selected by its type alone.

A subscription that takes ``story.updated`` but not ``story.merged`` receives a merge as a
``story.updated`` of the survivor (``delivered_as``): a merge changes the surviving story
(it gains the absorbed story's reports, outlets, languages), which is what such a
subscription asked to hear, and whether a version of a development joins a story at once
(``story.updated``) or through a link check (``story.merged``) depends on the polls'
timing, not on the news. A subscription that takes ``story.merged`` receives the merge as
that, and only as that.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit

EVENT_TYPES = ("story.created", "story.updated", "story.merged", "feed.failing")
STORY_EVENTS = frozenset({"story.created", "story.updated", "story.merged"})
LIST_FILTERS = ("briefings", "keywords", "languages", "sources", "places")


def _folded(values: Iterable[str]) -> frozenset[str]:
    # NFC as stories' text is stored (workers/text.py): a value typed decomposed matches.
    return frozenset(
        unicodedata.normalize("NFC", v.strip()).casefold() for v in values if v and v.strip()
    )


@dataclass(frozen=True)
class Filters:
    briefings: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    min_sources: int = 0

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {name: list(getattr(self, name)) for name in LIST_FILTERS}
        out["min_sources"] = self.min_sources
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Filters:
        lists = {name: tuple(str(v) for v in data.get(name) or ()) for name in LIST_FILTERS}
        return cls(**lists, min_sources=int(data.get("min_sources") or 0))

    @cached_property
    def _keyword_pattern(self) -> re.Pattern[str] | None:
        words = sorted(_folded(self.keywords), key=len, reverse=True)
        if not words:
            return None
        # \b fails next to non-word characters ("C++"), so use explicit word-char lookarounds.
        alternatives = "|".join(re.escape(w) for w in words)
        return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")


def delivered_as(events: Collection[str], event_type: str) -> str | None:
    """The type a subscription to ``events`` receives an event of ``event_type`` as, by
    type alone (None: not at all): the event's own type when subscribed, and a merge as
    ``story.updated`` when only that is."""
    if event_type in events:
        return event_type
    if event_type == "story.merged" and "story.updated" in events:
        return "story.updated"
    return None


def received_as(
    events: Collection[str], filters: Filters, event_type: str, data: Mapping[str, Any]
) -> str | None:
    """The type a subscription to ``events`` with ``filters`` receives this event as
    (``delivered_as``), None when it should not receive it."""
    sent_as = delivered_as(events, event_type)
    if sent_as is None or event_type not in STORY_EVENTS:
        return sent_as
    story = data.get("story")
    return sent_as if isinstance(story, Mapping) and story_matches(filters, story) else None


def matches(
    events: Collection[str], filters: Filters, event_type: str, data: Mapping[str, Any]
) -> bool:
    """True when a subscription to ``events`` with ``filters`` should receive this event
    (as the type ``delivered_as`` says)."""
    return received_as(events, filters, event_type, data) is not None


def story_matches(filters: Filters, story: Mapping[str, Any]) -> bool:
    sources = [s for s in story.get("sources") or () if isinstance(s, Mapping)]
    if filters.briefings and not _folded(filters.briefings) & _folded(story.get("briefings") or ()):
        return False
    if filters.places and not _folded(filters.places) & _folded(story.get("places") or ()):
        return False
    if filters.languages and not _languages_match(filters, story, sources):
        return False
    if filters.sources and not _sources_match(filters, sources):
        return False
    if filters.min_sources and _outlet_count(sources) < filters.min_sources:
        return False
    return not filters.keywords or _keywords_match(filters, story)


def _languages_match(filters: Filters, story: Mapping[str, Any], sources: list[Any]) -> bool:
    wanted = {lang.split("-")[0] for lang in _folded(filters.languages)}
    have = list(story.get("languages") or ()) + [str(s.get("language") or "") for s in sources]
    return any(lang.split("-")[0] in wanted for lang in _folded(have))


def _sources_match(filters: Filters, sources: list[Any]) -> bool:
    wanted = _folded(filters.sources)
    for source in sources:
        if str(source.get("outlet") or "").strip().casefold() in wanted:
            return True
        host = (urlsplit(str(source.get("url") or "")).hostname or "").casefold()
        while host:
            if host in wanted:
                return True
            _, _, host = host.partition(".")
    return False


def _outlet_count(sources: list[Any]) -> int:
    return len({str(s.get("outlet") or s.get("url") or "").casefold() for s in sources})


def _keywords_match(filters: Filters, story: Mapping[str, Any]) -> bool:
    if _folded(filters.keywords) & _folded(story.get("keywords") or ()):
        return True
    pattern = filters._keyword_pattern
    text = f"{story.get('headline') or ''}\n{story.get('summary') or ''}".casefold()
    return pattern is not None and pattern.search(text) is not None
