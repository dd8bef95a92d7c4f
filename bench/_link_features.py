"""Evidence a link check could weigh but does not: measured by bench/fit_link_check.py.

The service's decision (workers/link_evidence.py, ``linked``) reads the cosine, the margin
and the hours. This module adds what was measured beside them and found to separate
versions from other developments too weakly to decide on (docs/design.md, "A close call
weighs the hours"):

==================  ==========================================================================
``grams``           the n-gram cosine of the two stories' kept reports in different
                    languages (workers/story_linking.py)
``numbers_agree``   a number (digits, any language; years left out) in both texts
``numbers_conflict``both texts hold numbers and share none (tolls and counts differ
                    between developments more often than between versions)
``weekday_conflict``both name a day of the week (English, Ukrainian, Russian), no day in
                    both
``kind_conflict``   both name what happened (``_KINDS``: a strike, a meeting, an exchange,
                    sanctions, ...) and no kind is in both
``place_shared``    a specific place (a city or region, not a country; an oblast apart
                    from its capital) in both, through the gazetteer's names in every
                    language (workers/places.py)
``place_conflict``  both name specific places and share none
``count_shared``    a specific number in both (workers/link_counts.py ``counts``: not a
                    year, not 1 or 2, not a day of a month), as the decision reads it
``count_conflict``  both write such numbers and share none
==================  ==========================================================================

Import it as ``bench._link_features`` once the repository root is on ``sys.path``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from workers.cluster import Clusterer
from workers.link_counts import counts
from workers.link_evidence import LinkEvidence
from workers.one_report import gram_dot
from workers.places import specific_places

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
class MeasuredEvidence:
    """The decision's evidence and the measured-only features (module docstring)."""

    cosine: float
    margin: float
    hours: float
    grams: float
    numbers_agree: bool
    numbers_conflict: bool
    weekday_conflict: bool
    kind_conflict: bool
    place_shared: bool
    place_conflict: bool
    count_shared: bool = False
    count_conflict: bool = False

    def vector(self) -> tuple[float, ...]:
        """The evidence as numbers, in ``LINK_FEATURES`` order (what the bench measures)."""
        return (self.cosine, self.margin, self.hours, self.grams, float(self.numbers_agree),
                float(self.numbers_conflict), float(self.weekday_conflict),
                float(self.kind_conflict), float(self.place_shared),
                float(self.place_conflict), float(self.count_shared),
                float(self.count_conflict))  # fmt: skip

    @property
    def decided(self) -> LinkEvidence:
        """What the service's decision reads of it."""
        return LinkEvidence(cosine=self.cosine, margin=self.margin, hours=self.hours,
                            same_place=self.place_shared, same_count=self.count_shared)  # fmt: skip


LINK_FEATURES = tuple(MeasuredEvidence.__dataclass_fields__)


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


def _conflict(a: frozenset[object], b: frozenset[object]) -> bool:
    return bool(a) and bool(b) and a.isdisjoint(b)


def measured(evidence: LinkEvidence, text: str, other: str, grams: float) -> MeasuredEvidence:
    """``evidence`` with the measured-only features of ``text`` (the newcomer's) and
    ``other`` (a candidate's), ``grams`` their stories' n-gram cosine (``gram_cosine``)."""
    ours, theirs = numbers(text), numbers(other)
    our_places = specific_places(text[:_READ_CHARS])
    their_places = specific_places(other[:_READ_CHARS])
    return MeasuredEvidence(
        cosine=evidence.cosine,
        margin=evidence.margin,
        hours=evidence.hours,
        grams=grams,
        numbers_agree=not ours.isdisjoint(theirs),
        numbers_conflict=_conflict(ours, theirs),
        weekday_conflict=_conflict(weekdays(text), weekdays(other)),
        kind_conflict=_conflict(kinds(text), kinds(other)),
        place_shared=not our_places.isdisjoint(their_places),
        place_conflict=_conflict(our_places, their_places),
        count_shared=evidence.same_count,
        count_conflict=_conflict(counts(text), counts(other)),
    )


def gram_cosine(clusterer: Clusterer, a: str, b: str) -> float:
    """The highest n-gram cosine of a kept report of story ``a`` with one of ``b`` in
    another language (0 when either story keeps none). Reads the clusterer's private
    linker: a measurement, no service path."""
    reports = clusterer._linker._reports
    others = reports.get(b, [])
    return max((gram_dot(x.grams, y.grams) for x in reports.get(a, []) for y in others
                if x.language != y.language), default=0.0)  # fmt: skip
