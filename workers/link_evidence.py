"""What a link check knows besides the embedding's cosine (pure, language-independent
where it can be).

The embedding puts versions of one development in other languages close together, but
it puts two developments of one place and kind (a strike on a city and the next day's
strike on it, a preview and its decision) just as close: it reads what a report is about,
not which day it happened on. So a check's candidate comes with more evidence:

==================  ==========================================================================
``cosine``          the embedding cosine of the two texts (headline and lead)
``margin``          how far the cosine is above the best other candidate's of the check
                    (0 when it is the only one): a version stands out, one of several
                    similar developments does not
``hours``           hours between the two stories' first reports: versions are filed
                    within hours, the next day's strike a day later
``grams``           the n-gram cosine of the two reports (workers/story_linking.py)
``numbers_agree``   a number (digits, any language; years left out) in both texts
``numbers_conflict``both texts hold numbers and share none (tolls and counts differ
                    between developments more often than between versions)
``weekday_conflict``both name a day of the week (English, Ukrainian, Russian), no day in
                    both
``kind_conflict``   both name what happened (``_KINDS``: a strike, a meeting, an exchange,
                    sanctions, ...) and no kind is in both
==================  ==========================================================================

The decision (``linked``) reads the cosine, the hours and the margin: the others are
measured (bench/fit_link_check.py) and separate versions from other developments too
weakly to decide on (docs/design.md, "A close call weighs the hours").

Everything here is computed from what the check holds (its texts) and the clusterer's
state when the answer is applied, so a replay of the clustering log, which re-applies
the logged cosines to the same state, decides the same.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from workers.story_linking import LinkConfig

# Digits as written in any of the languages: "117", "190 960" (a space or a narrow
# no-break space between thousands), "3".
_NUMBER = re.compile(r"(?<![\d.,])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?!\d)|\d+")
# Years say when, not what: both versions and the next day's report name the same one.
_YEARS = range(1900, 2100)
# Read no further (the check's texts are a headline and a short lead).
_READ_CHARS = 400

# Days of the week by the start of their word forms (nominative and the accusative or
# genitive a date takes: "on Sunday", "в неділю", "в воскресенье").
_WEEKDAYS: tuple[tuple[str, ...], ...] = (
    ("monday", "понеділ", "понедельник"),
    ("tuesday", "вівтор", "вторник"),
    ("wednesday", "середа", "середу", "среда", "среду"),
    ("thursday", "четвер", "четверг"),
    ("friday", "п'ятниц", "п’ятниц", "пʼятниц", "пятниц"),
    ("saturday", "субот", "суббот"),
    ("sunday", "неділ", "воскресень"),
)
# What happened, by word starts in the three languages; coarse: a conflict is two texts
# that name kinds, none of them the same.
_KINDS: tuple[tuple[str, ...], ...] = (
    ("strike", "struck", "attack", "shell", "missile", "drone", "bomb", "explosion", "blast",
     "killed", "injur", "wound", "удар", "атак", "обстріл", "обстрел", "ракет", "дрон", "бпла",
     "вибух", "взрыв", "загин", "погиб", "поранен", "ранен", "убит", "вбит"),
    ("meet", "talks", "summit", "зустріч", "встреч", "переговор", "саміт", "саммит"),
    ("sanction", "санкці", "санкци"),
    ("exchange", "swap", "prisoner", "обмін", "обмен", "полон", "плен"),
    ("arrest", "detain", "sentenc", "court", "suspect", "арешт", "арест", "затрим",
     "задерж", "вирок", "приговор", "підозр", "подозр", "суд"),
    ("evacuat", "corridor", "евакуа", "эвакуа", "коридор"),
    ("aid", "package", "supply", "допомог", "помощ", "пакет", "постав"),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class LinkEvidence:
    """The evidence for a check's candidate (see the module docstring)."""

    cosine: float
    margin: float
    hours: float
    grams: float
    numbers_agree: bool
    numbers_conflict: bool
    weekday_conflict: bool
    kind_conflict: bool

    def vector(self) -> tuple[float, ...]:
        """The evidence as numbers, in ``LINK_FEATURES`` order (what the bench measures)."""
        return (self.cosine, self.margin, self.hours, self.grams, float(self.numbers_agree),
                float(self.numbers_conflict), float(self.weekday_conflict),
                float(self.kind_conflict))  # fmt: skip


LINK_FEATURES = tuple(LinkEvidence.__dataclass_fields__)


def numbers(text: str) -> frozenset[int]:
    """The numbers ``text`` writes in digits, years left out."""
    found = (int(re.sub(r"\D", "", raw)) for raw in _NUMBER.findall(text[:_READ_CHARS]))
    return frozenset(n for n in found if n not in _YEARS)


def _starts(groups: tuple[tuple[str, ...], ...]) -> tuple[re.Pattern[str], ...]:
    """Per group, a pattern matching a word that begins with one of its starts."""
    return tuple(re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, starts)) + ")")
                 for starts in groups)  # fmt: skip


_WEEKDAY_STARTS = _starts(_WEEKDAYS)
_KIND_STARTS = _starts(_KINDS)


def _named(text: str, patterns: tuple[re.Pattern[str], ...]) -> frozenset[int]:
    folded = text[:_READ_CHARS].casefold()
    return frozenset(at for at, pattern in enumerate(patterns) if pattern.search(folded))


def weekdays(text: str) -> frozenset[int]:
    """The days of the week ``text`` names (0: Monday)."""
    return _named(text, _WEEKDAY_STARTS)


def kinds(text: str) -> frozenset[int]:
    """The kinds of development ``text`` names (indexes into ``_KINDS``)."""
    return _named(text, _KIND_STARTS)


def _conflict(a: frozenset[int], b: frozenset[int]) -> bool:
    return bool(a) and bool(b) and a.isdisjoint(b)


def link_evidence(
    text: str, other: str, cosine: float, rivals: Sequence[float], hours: float, grams: float
) -> LinkEvidence:
    """The evidence that ``text`` (the newcomer's) and ``other`` (a candidate's) tell one
    development: ``cosine`` is theirs, ``rivals`` the other candidates' cosines,
    ``hours`` between the two stories' first reports, ``grams`` their n-gram cosine."""
    ours, theirs = numbers(text), numbers(other)
    return LinkEvidence(
        cosine=cosine,
        margin=cosine - max(rivals, default=cosine),
        hours=hours,
        grams=grams,
        numbers_agree=not ours.isdisjoint(theirs),
        numbers_conflict=_conflict(ours, theirs),
        weekday_conflict=_conflict(weekdays(text), weekdays(other)),
        kind_conflict=_conflict(kinds(text), kinds(other)),
    )


def linked(evidence: LinkEvidence, config: LinkConfig) -> bool:
    """The check's decision on one candidate: the cosine, and for a cosine short of
    ``sure_cosine`` the hours between the two stories and whether it is the check's
    best candidate (``LinkConfig`` says why)."""
    cosine, sure = evidence.cosine, config.sure_cosine
    if sure is None or cosine >= sure:
        return cosine >= config.same_cosine
    if cosine >= config.same_cosine:
        return evidence.hours < config.apart_hours
    close = config.close_cosine
    return (close is not None and cosine >= close and evidence.hours < config.close_hours
            and evidence.margin >= 0.0)  # fmt: skip
