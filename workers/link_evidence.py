"""What a link check's decision weighs besides the embedding's cosine (pure).

The embedding puts versions of one development in other languages close together, but
it puts two developments of one place and kind (a strike on a city and the next day's
strike on it, a preview and its decision) just as close: it reads what a report is about,
not which day it happened on. So the decision (``linked``) reads, per candidate:

==========  ==============================================================================
``cosine``  the embedding cosine of the two texts (headline and lead)
``margin``  how far the cosine is above the best other candidate's of the check (0 when
            it is the only one): a version stands out, one of several similar
            developments does not (read by the optional close band only)
``hours``   hours between the two stories' first reports: versions are filed within
            hours, the next day's strike a day later (a first report dated by its day
            only is read as ``LinkConfig.day_hours`` says, workers/filing_time.py)
``band_     the same hours as the place band reads them (``LinkConfig.band_day_hours``)
hours``
``grown_    how long the two stories grew in one language: the hours from a story's first
hours``     report of a language to its last, the longest of either story's languages
            (read as ``hours`` is). A story that grew across a day in one language may
            hold the next day's step of one affair, which its clusterer joined to the
            first (Kuleba's resignation, a day after the ministers' resignations it
            joined): a sure cosine between one of its reports and the other story says
            the two tell that report's development, not that the story began with it,
            whichever of the two grew (``LinkConfig.sure_reads_grown``)
``timed``   whether both stories' first reports carry their filing time (neither is dated
            by its day only): then ``hours`` is exact, and the check reads it against
            ``LinkConfig.timed_apart_hours`` and ``timed_place_cosine`` (docs/design.md,
            "Two timed stories are read by their hours")
``same_     whether the two texts name a city or region in common (through the
place``     gazetteer's names in every language, workers/places.py ``specific_places``;
            countries left out), or a smaller town one writes in Latin letters and
            the other in Cyrillic (workers/link_towns.py)
``same_     whether both write a specific number (workers/link_counts.py ``counts``: a
count``     toll, a count, in digits or from three to ten in words; not years, dates, 1 or 2)
``unmet``   whether the candidate's story holds no report in a language of the
            newcomer's story: no clusterer of one language read the two
            (workers/unmet_language.py; the timed place band's start for it)
``same_     whether both write a name (a surname, an organisation, a place the gazetteer
name``      lacks; workers/link_names.py) that none of the check's other candidates
            writes and few recent reports write (``LinkConfig.name_share``): everyone
            writes Putin, one development's versions write Medvedchuk; read only for
            the check's best candidate by the cosine; or a country both name beyond
            Ukraine, Russia, the US and the UK, read the same way
            (workers/link_countries.py)
==========  ==============================================================================

The last three are the band's evidence (``LinkEvidence.shared``, read from
``LinkConfig.place_cosine`` up). Other evidence (the n-gram cosine, numbers in conflict,
weekdays, event kinds, and a name's rarity as a score of its own) was measured and
separates versions from other developments too weakly to decide on (bench/fit_link_check.py and
bench/_link_features.py; docs/design.md, "A close call weighs the hours").

Everything here is computed from the check's scores and texts and the clusterer's state
when the answer is applied, so a replay of the clustering log, which re-applies the
logged cosines to the same state and queue, decides the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from workers.link_towns import link_towns, shares_a_town
from workers.places import specific_places
from workers.unmet_language import unmet_band_start

if TYPE_CHECKING:  # workers/story_linking.py reads ``share_a_place`` from here
    from workers.story_linking import LinkConfig


@dataclass(frozen=True, slots=True)
class LinkEvidence:
    """The evidence for a check's candidate (see the module docstring)."""

    cosine: float
    margin: float
    hours: float
    same_place: bool = False
    same_count: bool = False
    band_hours: float | None = None  # None: ``hours``
    same_name: bool = False
    grown_hours: float = 0.0
    timed: bool = False
    # The candidate's story holds no report in a language of the newcomer's
    # (workers/unmet_language.py).
    unmet: bool = False

    @property
    def shared(self) -> bool:
        """Whether the texts share a place, a count or a name (the band's evidence); a
        name only for the check's best candidate (``margin`` >= 0)."""
        return self.same_place or self.same_count or (self.same_name and self.margin >= 0.0)

    @property
    def hours_in_band(self) -> float:
        """The hours the place band reads."""
        return self.hours if self.band_hours is None else self.band_hours


def link_evidence(
    cosine: float,
    rivals: Sequence[float],
    hours: float,
    same_place: bool = False,
    same_count: bool = False,
    band_hours: float | None = None,
    same_name: bool = False,
    grown_hours: float = 0.0,
    timed: bool = False,
    unmet: bool = False,
) -> LinkEvidence:
    """The evidence for a candidate at ``cosine``: ``rivals`` are the check's other
    candidates' cosines, ``hours`` the time between the two stories' first reports (and
    ``band_hours`` as the place band reads it, None: the same), ``same_place`` and
    ``same_count`` and ``same_name`` whether the texts compared name a city or region, a
    specific number, a name no other candidate writes in common, ``grown_hours`` how
    long the check's story or the candidate's grew in one language, ``timed`` whether
    both stories' first reports carry their filing time, ``unmet`` whether the
    candidate's story holds no report in a language of the check's story."""
    margin = cosine - max(rivals, default=cosine)
    return LinkEvidence(cosine=cosine, margin=margin, hours=hours, same_place=same_place,
                        same_count=same_count,
                        band_hours=None if band_hours == hours else band_hours,
                        same_name=same_name, grown_hours=grown_hours, timed=timed,
                        unmet=unmet)  # fmt: skip


# Regions that say which front a report of this war is about, not where it happened, as a
# country does: Donbas spans two oblasts and is the war's main theatre ("бої на
# Донбасі"), so two reports naming it share no place by it (docs/benchmarks.md, "The
# merge rules reviewed").
_FRONTS = frozenset({"Donbas"})


def share_a_place(text: str, others: Sequence[str]) -> bool:
    """Whether ``text`` names a city or region (``specific_places``, fronts such as Donbas
    left out) that one of ``others`` names too, or a town the gazetteer leaves out that
    one of them writes in the other script (workers/link_towns.py)."""
    ours = specific_places(text) - _FRONTS
    if ours and any(not ours.isdisjoint(specific_places(o)) for o in others):
        return True
    towns = link_towns(text)
    return bool(towns) and any(shares_a_town(towns, link_towns(o)) for o in others)


def linked(evidence: LinkEvidence, config: LinkConfig) -> bool:
    """The check's decision on one candidate: the cosine, and for a cosine short of
    ``sure_cosine`` (or a sure one where either story grew across days, ``grown_apart``)
    the hours between the two stories and, in the optional close band, whether it is
    the check's best candidate, in the place band whether the texts name a place or a
    count in common (``LinkConfig`` says why). Two timed stories are read against the
    timed knobs (``timed_apart_hours``, ``timed_place_cosine`` unless they write a
    count in common: ``timed_band``), the band from ``unmet_place_cosine`` for a
    candidate in none of the newcomer's languages (workers/unmet_language.py)."""
    cosine, sure = evidence.cosine, config.sure_cosine
    apart = apart_hours(config, evidence.timed)
    grown = grown_apart(evidence.hours, evidence.grown_hours, config)
    if sure is None or (cosine >= sure and not grown):
        return cosine >= config.same_cosine
    if cosine >= config.same_cosine:
        return evidence.hours < apart
    band = timed_band(evidence, config)
    place = unmet_band_start(place_cosine(config, band), evidence.unmet, band,
                             config.unmet_place_cosine)  # fmt: skip
    close = config.close_cosine
    if (close is not None and cosine >= close and evidence.hours < config.close_hours
            and evidence.margin >= 0.0):  # fmt: skip
        return True
    return (place is not None and cosine >= place and evidence.shared
            and evidence.hours_in_band < apart)  # fmt: skip


def apart_hours(config: LinkConfig, timed: bool) -> float:
    """The hours from which the check reads two stories as apart: ``timed_apart_hours``
    when both are ``timed`` (``LinkEvidence.timed``) and it is set, else ``apart_hours``."""
    hours = config.timed_apart_hours
    return hours if timed and hours is not None else config.apart_hours


def place_cosine(config: LinkConfig, timed: bool) -> float | None:
    """Where the place band starts: ``timed_place_cosine`` when both stories are
    ``timed`` and it is set (and the band is on), else ``place_cosine``."""
    cosine, place = config.timed_place_cosine, config.place_cosine
    return cosine if timed and cosine is not None and place is not None else place


def timed_band(evidence: LinkEvidence, config: LinkConfig) -> bool:
    """Whether the place band reads ``evidence`` as two timed stories' (from
    ``timed_place_cosine``): both are ``timed`` and, with ``timed_count_band``, their
    texts write no count in common; a shared count keeps the band from ``place_cosine``."""
    return evidence.timed and not (config.timed_count_band and evidence.same_count)


def grown_apart(hours: float, grown_hours: float, config: LinkConfig) -> bool:
    """Whether a sure cosine between two stories that began ``hours`` apart, one of which
    grew ``grown_hours`` in one language, is read as one short of it: both are
    ``apart_hours`` or more (``LinkConfig.sure_reads_grown``), timed or not: a story grown
    across a day's hours, not a few. The n-grams' immediate link reads it too
    (``Linker.triage``'s ``held``)."""
    return (config.sure_reads_grown and grown_hours >= config.apart_hours
            and hours >= config.apart_hours)  # fmt: skip


def left_to_check(
    hours: float, grown_hours: float, timed: bool, config: LinkConfig, named_day: bool = False
) -> bool:
    """Whether the n-grams leave a report and a story that began ``hours`` apart to the
    check rather than link them at once (``Linker.triage``'s ``held``): an immediate link
    reads no cosine, so it is made only where the check's hours would not refuse one. The
    check reads a sure cosine of a story grown across days as one short of it
    (``grown_apart``), and, with ``LinkConfig.timed_gram_link``, two ``timed`` stories
    from ``timed_apart_hours`` as apart below ``sure_cosine``: a later act of one affair,
    filed hours after its first reports, names the same actors and places (a president
    captured, then his captor's photo of him seven hours on) and shares as many n-grams
    with them as a version does. Not when both headlines name one date, a day of their
    filings (``named_day``; ``Linker.names_its_date``): the date says which day they
    tell, as another date says they tell two, and an institution's items of that day
    link at once (its corridors planned for 22 March, filed in the morning, and their
    results of 22 March at night)."""
    timed_hours = config.timed_apart_hours
    return grown_apart(hours, grown_hours, config) or (
        config.timed_gram_link
        and timed
        and not named_day
        and timed_hours is not None
        and hours >= timed_hours
    )
