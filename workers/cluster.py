"""Online story clustering: a pure, deterministic state machine (no clock, no I/O).

    ClusterDoc ──► features (workers/story_features.py): terms, names, numbers, places, kind
               ──► candidates: inverted index term -> live stories of the same language,
                   ranked by TF-IDF cosine to each story's centroid (retrieval only)
               ──► verification (workers/story_evidence.py): the evidence between the
                   document and each report the story keeps, turned into the probability
                   that they report one development; the story's score is its best report's
               ──► join the best verified story at ``join_probability`` or start one
               ──► StoryUpdate (what changed, and the story as it is now)

A story is one development (an event, announcement, incident, decision and its direct
follow-ups), not a topic: a wrong merge hides news, a missed merge only shows it twice.
Hence the two stages of topic detection and tracking (Allan et al. 1998) with a verifier
in place of a similarity threshold: sharing vocabulary only makes a story a candidate, and
a merge needs evidence that the two reports tell the same development (names and what
happened agree, numbers, time, outlet, no roundup). Live blogs, roundups, galleries and an
outlet's recurring items never join or absorb anything (workers/story_kinds.py), and one
day's item of a series never joins another day's (workers/story_periods.py).

* **Reports kept for verification.** A story keeps its first report (what it is about)
  and its ``verify_reports - 1`` most recent ones (where it went since), so the verifier
  compares a newcomer with reports, never with a centroid that drifted by chaining.
* **Stream time.** Every window and eviction is measured in the articles' own time: the
  clusterer's clock is the latest article time it was given (capped by ``now``, so an
  article dated in the future cannot move it ahead). A backfill or a replay of last week
  clusters exactly like live ingestion did. ``now`` is never the wall clock in here.
* **Undated reports** (``ClusterDoc.dated`` False; they carry the time first seen) give
  the verifier no time evidence, so many undated items seen in the same minute are not
  pulled together by that minute.
* **Languages.** Every language (and "" = unknown) has its own index and verifier; a
  report no story of its language takes may join a story told in another language
  through workers/story_linking.py when the n-grams are clear, or start its own story
  with a link check queued (workers/link_checks.py) when only the embedding can tell;
  a positive answer (``resolve_check``) merges the two stories (``merge``: the older
  survives). An outlet's recurring item links too (its version in another language,
  often the same institution's, is the same day's item); roundups never do.

Determinism: no randomness, no hashing of Python objects, ties broken by the story
created first; story ids derive from the first article id (``story_id``).

Retrieval: a term's posting list maps each live story holding it in its centroid to the
centroid weight over the centroid's norm, so cosines are accumulated from the postings of
the document's heaviest terms (no scan of stories); terms held by more than
``max_postings`` stories are left out of retrieval (they are on every topic) and only the
``max_candidates`` best are verified.

The story: headline = the most central title (the newcomer replaces it when it is closer
to the centroid than the current one, rescored against the updated centroid); summary =
that article's text (else its title) trimmed on a word boundary; places counted over
members; keywords = the heaviest centroid words as first written.

Persistence: ``Clusterer.snapshot()`` returns JSON-able data and
``Clusterer.restore(snapshot, config)`` continues exactly as if never stopped (tested,
through ``json.dumps``). After a crash, restore the last snapshot and replay the documents
added since, with the same ``now`` values: the result is exact because ``add`` is
deterministic.
"""

from __future__ import annotations

import base64
import hashlib
import heapq
import json
import math
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from service.summary import summary_line
from workers.filing_time import Filed, FiledSpan, seconds_apart
from workers.kept_apart import kept_apart
from workers.link_checks import CheckQueue, LinkCheck, linked_candidates
from workers.link_countries import country_keys, distinct_shared_countries
from workers.link_counts import share_a_count
from workers.link_evidence import LinkEvidence, left_to_check, link_evidence, linked, share_a_place
from workers.link_names import distinct_shared_names, key_forms
from workers.named_day import days_of, named_day_hours
from workers.nearer_rival import nearer_rival
from workers.other_counterparts import other_counterparts
from workers.previews import preview_of
from workers.story_evidence import SAME_DEVELOPMENT, Weights, verify
from workers.story_features import DocFeatures, DocFreqs, FeatureReader, IdfMemo, Report
from workers.story_kinds import OutletMemory
from workers.story_linking import (
    DEFAULT_LINKING,
    LinkConfig,
    Linker,
    LinkReport,
    another_step,
    headline_rule,
)
from workers.story_periods import different_days
from workers.story_text import STOP, WORD, clean_title, stem
from workers.unmet_language import unmet_language
from workers.written_script import written_in

# What ``Clusterer.link_verdicts`` says of a link check's candidate: the check merges it
# with its story, or the name of the rule that refused it (one of ``LINK_REFUSALS``).
TAKEN = "taken"
LINK_REFUSALS = (
    "no scores",
    "own story gone",
    "own story",
    "not linked",
    "own outlet",
    "timed tie",
    "nearer rival",
    "preview",
    "reaction",
    "procedure step",
    "commentary",
    "later step",
    "gone",
    "another day",
    "best apart",
    "not a part",
)

# The state as plain JSON-able data (its encoding is the caller's: workers/story_snapshot.py).
SNAPSHOT_VERSION = 7
# Read only: the state before document counts per language, one count of every language in
# ``"df"`` (each language of the stories starts from it: ``DocFreqs.inherit``).
SHARED_COUNT_VERSION = 6
# Read only: version 6's state as one JSON document, deflated and base85-encoded in
# ``"deflated"`` (what story-stage snapshots of version 3 hold).
DEFLATED_VERSION = 5


@dataclass(frozen=True, slots=True)
class ClusterConfig:
    """Named knobs of the clusterer. Defaults are what the service and the eval run."""

    # Verified probability (workers/story_evidence.py) that a document reports the same
    # development as one of a story's reports, needed to join it. Precision first: the
    # sweep in docs/benchmarks.md shows what each step buys and costs.
    join_probability: float = 0.70
    # Languages whose same-language joins read the headline rules the linker reads across
    # languages (``story_linking.another_step``: a preview and its event, a reaction, a
    # procedure's other step, a comment): a report does not join a story of its language
    # whose kept reports' headlines read as another step of the affair, whatever the
    # verifier's probability (docs/design.md, "One affair's other step in a
    # same-language join"). Ukrainian and Russian: on English headlines the comment and
    # preview readings take nouns and offers for their verbs ("Chevron defers comments on
    # Apache", "Branson offers Caribbean island to secure Virgin bailout") and would split
    # versions. Empty: the verifier alone decides.
    step_languages: frozenset[str] = frozenset({"uk", "ru"})
    # The verifier's model (workers/story_evidence.py; bench/fit_verifier.py fits it).
    verifier: Weights = SAME_DEVELOPMENT
    # Retrieval: the TF-IDF cosine to a story's centroid that makes it a candidate at all.
    retrieval_floor: float = 0.1
    # A story with no new report for this long (stream time) is evicted, and reports this
    # far apart are never compared. The verifier's time evidence has made a match there
    # unlikely already: this bounds memory more than it decides.
    window: timedelta = timedelta(hours=72)
    # Document frequencies (and the casing counts) are kept in day buckets over this many.
    idf_window_days: int = 30
    # Field weights: the headline is the densest statement of the development; a URL
    # slug repeats it with the words a headline editor shortened away.
    title_weight: float = 1.0
    text_weight: float = 0.5
    url_weight: float = 0.6
    # Feature boosts (multiply the term weight): specific facts separate stories. Bigrams
    # of adjacent words are off: with the verifier they buy no precision and cost recall
    # (bench/clustering.py --ablate).
    bigram_weight: float = 0.0
    number_boost: float = 1.25
    place_boost: float = 1.25
    name_boost: float = 1.5
    # How much running text counts (the lead carries the news; the rest is noise).
    text_max_tokens: int = 60
    # A story's centroid keeps its ``centroid_terms`` heaviest terms (memory bound).
    centroid_terms: int = 80
    # Reports a story keeps to verify newcomers against: its first and the latest others.
    verify_reports: int = 8
    # Retrieval: terms in more live stories than this only rescore, never retrieve (they
    # are on every topic), and at most ``max_candidates`` stories are verified. Both
    # bound the work per document however busy the news is.
    max_postings: int = 100
    max_candidates: int = 6
    # Only the document's heaviest terms retrieve (its specific words; the rest still
    # count in the verifier's cosine).
    retrieval_terms: int = 16
    summary_chars: int = 400
    keywords: int = 8
    # Cross-language linking (workers/story_linking.py); None: every language alone.
    link: LinkConfig | None = DEFAULT_LINKING


@dataclass(frozen=True, slots=True)
class ClusterDoc:
    """One deduplicated article as the clusterer sees it. ``published`` is UTC.

    ``dated`` is False when the feed gave no date and ``published`` is when the article
    was first seen. ``places`` are those of ``title`` and ``text``
    (``workers.places.find_places``) when the caller has them already; None: found here.
    ``linkable``: it may join, or be joined by, reports in other languages
    (workers/story_linking.py); the story stage sets it for articles of a briefing that
    follows several languages, so monolingual news does not pay for linking.
    ``filed``: for a report dated by its day only, the instants between which it was
    filed (workers/filing_time.py); None: it was filed at ``published``. Only the
    cross-language decision reads it (the hours between two stories' beginnings)."""

    id: str
    title: str
    text: str
    published: datetime
    language: str = ""
    outlet: str = ""
    url: str = ""
    dated: bool = True
    places: tuple[str, ...] | None = None
    linkable: bool = True
    filed: Filed | None = None


@dataclass(frozen=True, slots=True)
class Member:
    """An article of a story and the outlet that carried it."""

    article_id: str
    outlet: str
    published: datetime


@dataclass(frozen=True, slots=True)
class StoryView:
    """A story as readers see it: headline, summary, sources, facets.

    ``first_seen`` and ``last_updated`` are the times of its earliest and latest report
    (stream time: the articles' dates), not when they were processed."""

    id: str
    headline: str
    summary: str
    first_seen: datetime
    last_updated: datetime
    members: tuple[Member, ...]
    outlets: tuple[str, ...]
    languages: tuple[str, ...]
    places: tuple[str, ...]
    keywords: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class StoryUpdate:
    """What adding one document did. ``score`` is the verified probability of the join
    (0 when created). ``announced``: False while the story's announcement waits for a
    link check (workers/link_checks.py)."""

    story_id: str
    created: bool
    headline_changed: bool
    new_outlet: bool
    score: float
    story: StoryView
    announced: bool = True


@dataclass(frozen=True, slots=True)
class LinkAnswer:
    """What an answered link check did: ``survivor`` absorbed ``absorbed`` (both None
    when it did not link), and the story to announce with ``story.created`` now (else
    None): the waiting story of a check that did not link, or the survivor of a merge
    of two stories that both waited (nobody has heard of either yet)."""

    survivor: str | None
    absorbed: str | None
    announce: str | None
    # The other stories ``survivor`` absorbed: the check linked stories that the other
    # language's clusterer kept apart.
    also_absorbed: tuple[str, ...] = ()

    @property
    def merges(self) -> list[tuple[str, str]]:
        """(survivor, absorbed) for each story the survivor absorbed."""
        if self.survivor is None or self.absorbed is None:
            return []
        return [(self.survivor, a) for a in (self.absorbed, *self.also_absorbed)]


def story_id(first_article_id: str) -> str:
    """Deterministic story id: stable across restarts, replays and processes."""
    return "st_" + hashlib.sha1(first_article_id.encode()).hexdigest()[:16]


# ---------------------------------------------------------------------------
# State


@dataclass(slots=True)
class _Story:
    id: str
    language: str
    first_seen: datetime
    last_updated: datetime
    members: list[Member]
    headline: str  # the most central title, cleaned
    summary: str
    headline_id: str
    headline_score: float
    centroid: dict[str, float]  # term -> summed pre-IDF weight
    norm: float  # |centroid| under the IDF at the last update
    reports: list[Report]  # the first report, then the most recent ones
    # When the story began (workers/filing_time.py): ``first_seen`` unless its first report
    # is dated by its day only.
    began: Filed
    places: dict[str, int] = field(default_factory=dict)
    # Per language, when its reports were filed (first and last): a story that grew across
    # days in one language, which a sure check reads the hours of (``LinkConfig``).
    filings: dict[str, FiledSpan] = field(default_factory=dict)
    outlets: dict[str, None] = field(default_factory=dict)
    languages: dict[str, None] = field(default_factory=dict)
    surface: dict[str, str] = field(default_factory=dict)  # term -> a word as written


class Clusterer:
    """Single-pass story clustering. Feed documents in arrival order with ``add``."""

    def __init__(self, config: ClusterConfig | None = None) -> None:
        self.config = config or ClusterConfig()
        self._linker = Linker(self.config.link, self.config.idf_window_days)
        self._checks = CheckQueue((self.config.link or DEFAULT_LINKING).pending_checks)
        self._stories: dict[str, _Story] = {}
        # language -> term -> story id -> centroid weight (the inverted index)
        self._index: dict[str, dict[str, dict[str, float]]] = {}
        self._df = DocFreqs(self.config.idf_window_days)
        self._outlets = OutletMemory()
        self._reader = FeatureReader(self.config, self._df, self._outlets)
        self._seen: dict[str, str] = {}  # article id -> story id (idempotent replays)
        # (last_updated timestamp, story id), a lazy heap: stale entries are skipped.
        self._expiry: list[tuple[float, str]] = []
        # Stories past the window that a pending link check names: out of the heap (so
        # each eviction does not pop and push them again) until no check names them.
        self._held: set[str] = set()
        self._clock = float("-inf")  # stream time: the latest article time given

    # -- public -----------------------------------------------------------

    def add(self, doc: ClusterDoc, now: datetime) -> StoryUpdate:
        """Place ``doc`` into a story. ``now`` caps the document's time (an article dated
        in the future counts as of ``now``); windows run on the articles' own times.

        Adding an article id already placed changes nothing and reports no change.
        """
        when = min(doc.published, now)
        filed = doc.filed or Filed.at(when.timestamp())
        self._clock = max(self._clock, when.timestamp())
        self._evict_before(self._clock - self.config.window.total_seconds())
        known = self._seen.get(doc.id)
        if known is not None and known in self._stories:
            story = self._stories[known]
            return StoryUpdate(known, False, False, False, 1.0, self._view(story))
        features, report, idf = self._reader.read(doc, when)
        best, score = self._best_story(doc.language, features, report, idf)
        link, band = None, list[tuple[str, list[str]]]()
        # A report written in another script than its language's is kept out of linking
        # (workers/written_script.py: a bilingual outlet's translation in its feed).
        lead = doc.text[: (self.config.link or DEFAULT_LINKING).lead_chars]
        if (self.config.link is not None and doc.linkable and doc.language
                and not features.roundup
                and written_in(doc.language, f"{doc.title} {lead}")):  # fmt: skip
            link = self._linker.read(doc.id, doc.language, when.timestamp(),
                                     clean_title(doc.title, doc.outlet), doc.text,
                                     daily=report.daily)  # fmt: skip
            if best is None:
                # A story the check's hours would read apart from this report is left to
                # it: the n-grams link at once only where the hours refuse no cosine.
                linked, band = self._linker.triage(
                    link, held=lambda sid: self._left_to_check(filed, link, self._stories[sid])
                )
                if linked is not None:
                    best = self._stories[linked]
                    if not self._checks.may_recheck(best.id):
                        band = []  # as a grown story's check: one at a time, with room
                    # The join's score is the best verified probability, short of the
                    # join probability: scored in full.
                    score = self._best_story(doc.language, features, report, idf,
                                             exact=True)[1]  # fmt: skip
            elif (
                self.config.link.recheck_grown
                and self._checks.may_recheck(best.id)
                and list(best.languages) == [doc.language]
            ):
                # A report joined a story told in its language only (all its members,
                # not only the reports the linker keeps, which rotate): its version in
                # another language may read closer to it than to the story's first report
                # (docs/design.md, "A grown story is checked again"). At most one such
                # check of a story pending, and only into a queue with room.
                band = self._linker.triage(link, at_once=False)[1]
        if best is None:
            story = self._new_story(doc, when, filed)
            created, headline_changed, new_outlet = True, True, True
        else:
            story = best
            created = False
            new_outlet = doc.outlet not in story.outlets
        headline_before = story.headline_id
        idf = self._join(story, doc, when, features, report, idf)
        if filed.earliest < story.began.earliest or filed.latest < story.began.latest:
            story.began = story.began.began_with(filed)
        filings = story.filings.get(doc.language)
        story.filings[doc.language] = (
            FiledSpan.of(filed) if filings is None else filings.with_filing(filed)
        )
        if link is not None:
            self._linker.join(story.id, link)
            if band:
                self._checks.add(story.id, link.text, band, announce=created)
        if not created:
            headline_changed = story.headline_id != headline_before
        self._seen[doc.id] = story.id
        return StoryUpdate(story.id, created, headline_changed, new_outlet,
                           0.0 if created else score, self._view(story, idf),
                           not self._checks.waiting(story.id))  # fmt: skip

    # -- link checks and merges -------------------------------------------------

    def waiting(self, story_id: str) -> bool:
        """Whether the story's announcement waits for a link check."""
        return self._checks.waiting(story_id)

    def pending_checks(self) -> list[LinkCheck]:
        """Link checks waiting for their scores, oldest first."""
        return self._checks.pending()

    def take_dropped_checks(self) -> list[LinkCheck]:
        """Checks a full queue dropped since the last call (their stories are announced
        unlinked)."""
        return self._checks.take_dropped()

    @property
    def dropped_checks(self) -> int:
        """How many link checks a full queue dropped, ever."""
        return self._checks.dropped

    def resolve_check(self, check_id: int, scores: list[float]) -> LinkAnswer | None:
        """Answer a pending check with its scores (``link_checks.check_scores``): every
        candidate the check's decision links (``link_evidence.linked``) that
        ``_link_targets`` keeps merges with the newcomer's story, one after another. No
        scores (its scoring kept failing) answers "not linked". None when the check is no
        longer pending (answered, or dropped)."""
        check = self._checks.take(check_id)
        if check is None:
            return None
        targets = self._link_targets(check, scores)
        if not targets:
            return LinkAnswer(None, None, check.story if check.announce else None)
        # A check again of a story still waiting for its first check (answered out of
        # order: that one's scoring failed, or finished later) speaks for its announcement
        # too, as the merge ends that wait.
        own_unannounced = check.announce or self._checks.waiting(check.story)
        unannounced = own_unannounced and all(self._checks.waiting(t) for t in targets)
        survivor = check.story
        for target in targets:
            survivor, _ = self.merge(survivor, target)
        first, *others = [s for s in (check.story, *targets) if s != survivor]
        return LinkAnswer(survivor, first, survivor if unannounced else None, tuple(others))

    def link_targets(self, check_id: int, scores: list[float]) -> tuple[str, ...]:
        """The live stories ``resolve_check`` would merge with these scores (the check's
        own first, then the candidates), without answering it; empty if it would not
        link."""
        check = self._checks.get(check_id)
        if check is None:
            return ()
        targets = self._link_targets(check, scores)
        return (check.story, *targets) if targets else ()

    def link_verdicts(self, check_id: int, scores: list[float]) -> list[str]:
        """Per candidate of the pending check, ``TAKEN`` if ``resolve_check`` would merge it
        with these scores, else the rule that refuses it (``_link_verdicts``); empty when
        the check is no longer pending."""
        check = self._checks.get(check_id)
        return [] if check is None else self._link_verdicts(check, scores)

    def _link_targets(self, check: LinkCheck, scores: list[float]) -> list[str]:
        """The candidate stories the check merges with its story (``_link_verdicts``), in
        the order it takes them: best score first."""
        taken = [verdict == TAKEN for verdict in self._link_verdicts(check, scores)]
        same_cosine = (self.config.link or DEFAULT_LINKING).same_cosine
        return linked_candidates(check, scores, same_cosine, taken) if any(taken) else []

    def _link_verdicts(self, check: LinkCheck, scores: list[float]) -> list[str]:
        """Per candidate of the check, ``TAKEN`` if the check merges it with its story, else
        the name of the first rule that refuses it (one of ``LINK_REFUSALS``).

        Taken are the best that the decision links (``link_evidence.linked``: the cosine,
        and below ``sure_cosine`` the hours between the stories; the margin too with the
        close band on), and every other linked one that is no other day's development than
        the stories taken before it (a series item of another day, a headline naming
        another date) and either holds reports in no language they hold (the newcomer's
        version in a third language, which the check links on its own evidence as it
        links the best, and which no check had linked to the best's story yet; a story in
        a language the best already holds is a part of it, below) or reads as a part of
        the best's development which their language's clusterer split: its texts name a
        place or write a count the newcomer's do too (``LinkEvidence.shared``, the place
        band's evidence) and its story began under ``apart_hours`` from the newcomer's
        (the decision waives the hours from ``sure_cosine`` for the best, but a story its
        clusterer kept apart from the best that began a day away is the place's other
        day's development) and under ``LinkConfig.further_hours`` from the best's
        (``_near_best``), or its kept reports share that development's names
        (``Linker.split_parts``).

        Refused: ``"not linked"`` by the decision; of those it links, in this order
        (``_refusal``), ``"own outlet"``: a candidate that began in the check's story's
        language and holds a report of its outlet links only from
        ``LinkConfig.own_outlet_cosine`` (workers/kept_apart.py); ``"nearer rival"``: one
        that a rival nearly ties and that began much further in time from the newcomer's
        story than that rival, or ``"timed tie"``: one of two timed stories short of
        ``sure_cosine`` that another candidate's story ties or beats, whatever the hours
        (``LinkConfig.timed_ties``: a split part or a third language's version too;
        workers/nearer_rival.py); ``"preview"``: an announcement and the event it
        announced (``_preview_apart``); the headline rule that reads the two as two
        developments (``story_linking.headline_rule``: ``"reaction"``, ``"procedure
        step"``, ``"commentary"``). Past those rules, in the order the check takes them
        (best score first): ``"gone"``, no longer live; ``"another day"``, another day's
        development than a story taken before it by the calendar (``_apart``), and when
        the best is gone or another day's nothing links, every other candidate the rules
        passed ``"best apart"``; ``"not a part"``, a further candidate in a language the
        stories taken hold that is neither a split part nor a shared place or count near
        the best. Besides: ``"own story"``, a candidate that a merge while the check waited
        made its own story; ``"no scores"`` (its scoring kept failing) and ``"own story
        gone"`` refuse every candidate. The service meets neither gone story: a merge
        renames the stories a pending check names (``CheckQueue.merged``) and eviction
        keeps them; with ``sure_cosine`` set a gone candidate has no evidence and reads
        ``"not linked"``. A story the check names twice (two candidates merged while it
        waited, each with the texts it held) is judged at each place: a place a rule
        refuses keeps that rule's name when the other is taken."""
        cfg = self.config.link or DEFAULT_LINKING
        live = self._stories
        if not scores:
            return ["no scores"] * len(check.candidates)
        if check.story not in live:
            return ["own story gone"] * len(check.candidates)
        # The check's decision per candidate (workers/link_evidence.py); without
        # ``sure_cosine`` there is no evidence to weigh, and the cosine alone decides.
        evidence: list[LinkEvidence | None] = (
            self._evidence(check, scores) if cfg.sure_cosine is not None else [None] * len(scores)
        )
        decided = [e is not None and linked(e, cfg) for e in evidence]
        shares = {sid for (sid, _), e in zip(check.candidates, evidence, strict=True)
                  if e is not None and e.shared
                  and e.hours_in_band < cfg.apart_hours}  # fmt: skip
        overruled = [False] * len(scores)
        if cfg.tie_cosine is not None:
            stories = [sid for sid, _ in check.candidates]
            overruled = nearer_rival(evidence, cfg.tie_cosine, cfg.tie_hours, cfg.sure_cosine,
                                     cfg.timed_ties, stories, decided,
                                     cfg.refused_rival_hours)  # fmt: skip
        verdicts: list[str] = []
        for (sid, texts), score, e, ok, rival in zip(check.candidates, scores, evidence, decided,
                                                     overruled, strict=True):  # fmt: skip
            if sid == check.story:
                verdicts.append("own story")  # a merge while the check waited renamed it
            elif not (score >= cfg.same_cosine if e is None else ok):
                verdicts.append("not linked")
            else:
                verdicts.append(self._refusal(check, sid, texts, score, e, rival) or "")
        accepted = [not verdict for verdict in verdicts]
        taken = [check.story]
        named: dict[str, str] = {}
        for target in linked_candidates(check, scores, cfg.same_cosine, accepted):
            if target not in live or any(self._apart(story, target) for story in taken):
                named[target] = "gone" if target not in live else "another day"
                if len(taken) == 1:
                    break  # the best grew apart since the check: another day's
                continue
            languages = set().union(*(live[story].languages for story in taken))
            if (len(taken) == 1 or languages.isdisjoint(live[target].languages)
                    or self._split_part(taken[1], target)
                    or (target in shares
                        and self._near_best(taken[1], target, cfg.further_hours))):  # fmt: skip
                taken.append(target)
                named[target] = TAKEN
            else:
                named[target] = "not a part"
        # Left unnamed: the candidates after a best that grew apart.
        return [verdict or named.get(sid, "best apart")
                for verdict, (sid, _) in zip(verdicts, check.candidates, strict=True)]  # fmt: skip

    def _refusal(self, check: LinkCheck, target: str, texts: list[str], score: float,
                 evidence: LinkEvidence | None, overruled: bool) -> str | None:  # fmt: skip
        """The first rule that refuses a candidate the check's decision links (None: none):
        the candidate's story and the check's are of one language and outlet
        (workers/kept_apart.py), a nearer rival overrules it (workers/nearer_rival.py,
        ``overruled``), they are a preview and its event, or their headlines tell two
        developments (``story_linking.headline_rule``). An overruled timed candidate
        (``timed_ties``) is named ``"timed tie"`` whichever clause overrules it: at the
        default knobs only the tie can, as the decision links a timed candidate below
        ``sure_cosine`` only under ``timed_apart_hours`` (6 h) from the newcomer's story
        and the hours clause wants a rival more than ``tie_hours`` (12 h) nearer; with
        ``timed_apart_hours`` off or above ``tie_hours`` a timed candidate refused by the
        hours is named the tie too."""
        cfg = self.config.link or DEFAULT_LINKING
        live = self._stories
        own = live[check.story]
        if (cfg.own_outlet_cosine is not None and target in live
                and kept_apart(own.language, own.outlets, live[target].language,
                               live[target].outlets, score, cfg.own_outlet_cosine)):  # fmt: skip
            return "own outlet"
        if overruled:
            timed = cfg.timed_ties and evidence is not None and evidence.timed
            return "timed tie" if timed else "nearer rival"
        if cfg.preview_hours is not None and self._preview_apart(check, target, texts,
                                                                 cfg.preview_hours):  # fmt: skip
            return "preview"
        return headline_rule(cfg, check.text, texts)

    def _near_best(self, best: str, other: str, limit: float | None) -> bool:
        """Whether ``other`` began under ``limit`` hours (``LinkConfig.further_hours``; None:
        any) from ``best``'s story (read as the check's other hours rules read them,
        ``_hours_apart``): a further candidate taken for a shared place or count claims to
        be the best's development."""
        live = self._stories
        return limit is None or self._hours_apart(live[best], live[other]) < limit

    def link_evidence(self, check_id: int, scores: list[float]) -> list[LinkEvidence | None]:
        """Per candidate of the pending check, the evidence its decision weighs with these
        scores (workers/link_evidence.py); None for a candidate with nothing to compare
        (merged into the check's own story, or gone)."""
        check = self._checks.get(check_id)
        return [] if check is None or not scores else self._evidence(check, scores)

    def _evidence(self, check: LinkCheck, scores: list[float]) -> list[LinkEvidence | None]:
        live, cfg = self._stories, self.config.link or DEFAULT_LINKING
        own = live.get(check.story)
        out: list[LinkEvidence | None] = []
        for at, ((target, texts), score) in enumerate(zip(check.candidates, scores, strict=True)):
            story = live.get(target)
            if own is None or story is None or not texts or target == check.story:
                out.append(None)
                continue
            rivals = [s for k, s in enumerate(scores) if k != at and check.candidates[k][1]]
            hours = self._hours_apart(own, story)
            band_hours = seconds_apart(own.began, story.began, cfg.band_day_hours) / 3600.0
            # Both texts name one day: the least hours, in every band (workers/named_day.py).
            named = named_day_hours(own.began, story.began, cfg.named_day_hours, check.text,
                                    texts)  # fmt: skip
            if named is not None:
                hours = band_hours = named
            # How long either story grew in one language (``LinkEvidence.grown_hours``).
            grown = self._grown_seconds(own, story)
            band = cfg.place_cosine is not None
            place = band and share_a_place(check.text, texts)
            count = band and cfg.shared_counts and share_a_count(check.text, texts)
            others = [t for k, (_, t) in enumerate(check.candidates) if k != at]
            languages = [*own.languages, *story.languages]
            # A name is read for the check's best candidate only (``LinkEvidence.shared``):
            # the others' would be read and never weighed.
            best = score >= max(rivals, default=score)
            name = (
                band
                and best
                and (
                    (cfg.distinct_names and self._rare_name(
                        distinct_shared_names(check.text, texts, others), languages))
                    or (cfg.distinct_countries and self._rare_country(
                        distinct_shared_countries(check.text, texts, others), languages))
                )
                and not other_counterparts(check.text, texts, hours, cfg.counterpart_hours)
            )  # fmt: skip
            # Both beginnings at an instant: the hours are exact (``LinkEvidence.timed``).
            timed = not own.began.day_dated and not story.began.day_dated
            out.append(link_evidence(score, rivals, hours, place, count, band_hours, name,
                                     grown / 3600.0, timed,
                                     unmet_language(own.languages, story.languages)))  # fmt: skip
        return out

    def _hours_apart(self, a: _Story, b: _Story) -> float:
        """Hours between two stories' beginnings, read as ``LinkConfig.day_hours`` (a
        date-only beginning by its day, workers/filing_time.py): what every hours rule of
        the check reads but the place band's."""
        reading = (self.config.link or DEFAULT_LINKING).day_hours
        return seconds_apart(a.began, b.began, reading) / 3600.0

    def _grown_seconds(self, *stories: _Story) -> float:
        """The longest any of ``stories`` grew in one language: seconds from its first
        report of a language to its last, read as the hours between stories are."""
        reading = (self.config.link or DEFAULT_LINKING).day_hours
        return max((f.seconds(reading) for s in stories for f in s.filings.values()),
                   default=0.0)  # fmt: skip

    def _left_to_check(self, filed: Filed, report: LinkReport, story: _Story) -> bool:
        """Whether ``report``, filed within ``filed``, as a story of its own, and ``story``
        are two stories the check's hours read apart (``link_evidence.left_to_check``:
        one grown across days, or two timed ones from ``timed_apart_hours`` whose
        headlines name no day of their filings in common): the n-grams do not link it at
        once."""
        cfg = self.config.link or DEFAULT_LINKING
        hours = seconds_apart(filed, story.began, cfg.day_hours) / 3600.0
        timed = not filed.day_dated and not story.began.day_dated
        # The headlines' dates are read only where the timed hours would hold the report.
        named = (
            cfg.timed_gram_link
            and timed
            and self._linker.names_its_date(report, story.id, days_of(filed, story.began))
        )
        return left_to_check(hours, self._grown_seconds(story) / 3600.0, timed, cfg, named)

    def _rare_name(self, keys: frozenset[str], languages: list[str]) -> bool:
        """Whether one of the name ``keys`` is rare in the recent reports of ``languages``
        (``LinkConfig.name_share``), counted with the case forms it meets (``key_forms``:
        a report writing Кирка counts for Kirk)."""
        return self._rare([key_forms(key) for key in keys], languages)

    def _rare_country(self, countries: frozenset[str], languages: list[str]) -> bool:
        """Whether one of ``countries`` is rare in the recent reports of ``languages`` as a
        name is, counted by every name key its names write (workers/link_countries.py
        ``country_keys``: "Poland" and "Польщі" together)."""
        return self._rare([country_keys(country) for country in countries], languages)

    def _rare(self, names: list[tuple[str, ...]], languages: list[str]) -> bool:
        """Whether one of ``names``, each the name keys its reports write, is written by at
        most ``LinkConfig.name_share`` of the recent reports of ``languages`` (or they
        are fewer than ``name_min_documents``: every name counts)."""
        cfg = self.config.link or DEFAULT_LINKING
        if cfg.name_share is None:
            return bool(names)
        for keys in names:
            counts = [self._df.name_count(key, languages) for key in keys]
            writing, documents = sum(n for n, _ in counts), counts[0][1]
            if documents < cfg.name_min_documents or writing <= cfg.name_share * documents:
                return True
        return False

    def _preview_apart(self, check: LinkCheck, target: str, texts: list[str],
                       preview_hours: float) -> bool:  # fmt: skip
        """Whether the check's story and the candidate ``target`` (compared through its
        kept ``texts``) are an announcement and, hours later, the event it announced
        (workers/previews.py): whichever began first began with a report whose headline
        announced, and the other's compared headlines do not. The hours between them are
        read as the check's other hours rules read them (``_hours_apart``): by the calendar,
        a date-only preview and a timed event of its own day are 0 h apart, not the hours
        since the day's first instant."""
        own, other = self._stories.get(check.story), self._stories.get(target)
        if own is None or other is None or not texts:
            return False
        own_later = own.began.earliest >= other.began.earliest
        earlier, later = (target, [check.text]) if own_later else (check.story, texts)
        first = self._linker.first_text(earlier)
        hours = self._hours_apart(own, other)
        return first is not None and all(
            preview_of(first, text, hours, preview_hours) for text in later
        )

    def _split_part(self, best: str, other: str) -> bool:
        """``other`` is a part of ``best``'s development that its clusterer split: of one
        language, sharing that development's names (n-grams at ``gram_link``)."""
        live = self._stories
        return live[best].language == live[other].language and self._linker.split_parts(best, other)

    def _apart(self, a: str, b: str) -> bool:
        """Another day's developments by the calendar (series days, headline dates)."""
        live = self._stories
        return _different_days(live[a], live[b]) or self._linker.apart(a, b)

    def merge(self, a: str, b: str) -> tuple[str, str]:
        """Merge two live stories into the older (first seen earlier; the smaller id on
        a tie): it takes the other's members, centroid, reports, facets and kept link
        reports, and the other is gone. Returns (survivor, absorbed)."""
        first, second = self._stories[a], self._stories[b]
        if (second.first_seen, second.id) < (first.first_seen, first.id):
            first, second = second, first
        survivor, absorbed = first, second
        cfg = self.config
        del self._stories[absorbed.id]
        self._held.discard(absorbed.id)
        old = self._index.get(absorbed.language, {})
        for term in absorbed.centroid:
            _unpost(old, term, absorbed.id)
        idf = self._df.idf_in([*survivor.languages, *absorbed.languages])
        self._grow_centroid(survivor, absorbed.centroid, idf, trim_over=cfg.centroid_terms)
        survivor.members = sorted(survivor.members + absorbed.members, key=lambda m: m.published)
        reports = sorted(survivor.reports + absorbed.reports, key=lambda r: r.when)
        del reports[1 : max(1, len(reports) - cfg.verify_reports + 1)]
        survivor.reports = reports
        survivor.first_seen = min(survivor.first_seen, absorbed.first_seen)
        survivor.began = survivor.began.began_with(absorbed.began)
        for language, span in absorbed.filings.items():
            ours = survivor.filings.get(language)
            survivor.filings[language] = span if ours is None else ours.with_filing(span)
        if absorbed.last_updated > survivor.last_updated:
            survivor.last_updated = absorbed.last_updated
            heapq.heappush(self._expiry, (survivor.last_updated.timestamp(), survivor.id))
        for place, n in absorbed.places.items():
            survivor.places[place] = survivor.places.get(place, 0) + n
        for outlet in absorbed.outlets:
            survivor.outlets.setdefault(outlet, None)
        for language in absorbed.languages:
            survivor.languages.setdefault(language, None)
        for term, word in absorbed.surface.items():
            survivor.surface.setdefault(term, word)
        for member in absorbed.members:
            self._seen[member.article_id] = survivor.id
        self._linker.absorb(survivor.id, absorbed.id)
        self._checks.merged(survivor.id, absorbed.id)
        return survivor.id, absorbed.id

    def story(self, story_id: str) -> StoryView | None:
        """The live story with this id, or None once it was evicted (or never existed)."""
        story = self._stories.get(story_id)
        return None if story is None else self._view(story)

    def __len__(self) -> int:
        """How many stories are live (not yet evicted)."""
        return len(self._stories)

    def stories(self) -> list[StoryView]:
        """All live stories, oldest first."""
        return [self._view(s) for s in self._stories.values()]

    def evict(self, now: datetime) -> list[str]:
        """Forget stories idle longer than the window before ``now``; returns their ids."""
        return self._evict_before((now - self.config.window).timestamp())

    def _evict_before(self, horizon: float) -> list[str]:
        expiry, gone = self._expiry, []
        for sid in self._checks.take_released():
            story = self._stories.get(sid)
            if sid in self._held and not self._checks.names(sid):
                self._held.discard(sid)
                if story is not None:
                    heapq.heappush(expiry, (story.last_updated.timestamp(), sid))
        while expiry and expiry[0][0] < horizon:
            stamp, sid = heapq.heappop(expiry)
            story = self._stories.get(sid)
            if story is None or story.last_updated.timestamp() != stamp:
                continue  # a stale entry: the story was updated (or evicted) since
            if self._checks.names(sid):
                # A pending link check names it: kept until answered, so a backlog drained
                # faster than its checks are scored loses no link to eviction. Held out of
                # the heap meanwhile, so a long lag costs nothing per eviction.
                self._held.add(sid)
                continue
            del self._stories[sid]
            self._linker.forget(sid)
            gone.append(sid)
            postings = self._index.get(story.language, {})
            for term in story.centroid:
                _unpost(postings, term, sid)
            for member in story.members:
                self._seen.pop(member.article_id, None)
        return gone

    # -- retrieval and verification -------------------------------------------

    def _best_story(
        self,
        language: str,
        features: DocFeatures,
        report: Report,
        idf: IdfMemo,
        *,
        exact: bool = False,
    ) -> tuple[_Story | None, float]:
        """The story to join (None: none verified at ``join_probability``) and the best
        verified probability. Reports that cannot reach ``join_probability`` are left
        unscored (``story_evidence.verify``), so when no story is joined that probability
        may be lower than the best report's; ``exact`` scores every report."""
        cfg = self.config
        postings = self._index.get(language)
        if not postings or features.roundup or features.series:
            return None, 0.0
        # A plain dict: most stories the postings reach are reached once, and a
        # defaultdict would call its factory for each of them.
        acc: dict[str, float] = {}
        accumulated = acc.get
        # The heaviest terms by (weight, term), descending (terms are distinct: a total
        # order, whatever order the vector was built in).
        heaviest = sorted([(w, t) for t, w in report.vector.items()], reverse=True)
        for w, term in heaviest[: cfg.retrieval_terms]:
            stories = postings.get(term)
            if stories is None or len(stories) > cfg.max_postings:
                continue
            factor = w * idf[term]
            for sid, cw in stories.items():
                acc[sid] = accumulated(sid, 0.0) + factor * cw
        live = self._stories
        best: _Story | None = None
        best_score = 0.0
        span = cfg.window.total_seconds()
        daily = report.daily  # most reports are not one day's item: skip the call
        # (cosine, story id): ties go to the greater id, whatever order acc was filled in.
        # Stories under the floor are never verified, so only those at or above it are
        # ranked (most of what the postings reach is far below it).
        floor = cfg.retrieval_floor
        ranked = [(cosine, sid) for sid, cosine in acc.items() if cosine >= floor]
        needed = 0.0 if exact else cfg.join_probability
        for _, sid in heapq.nlargest(cfg.max_candidates, ranked):
            story = live[sid]
            score = 0.0
            vouching: list[Report] = []  # kept reports verified at ``join_probability``
            for kept in story.reports:
                if abs(report.when - kept.when) > span:
                    continue
                if kept.roundup or kept.series:
                    score = 0.0
                    break  # a story of a roundup absorbs nothing
                if daily and different_days(daily, report.when, kept.daily, kept.when):
                    score = 0.0
                    break  # another day's item of a series: no report of it may join
                probability = verify(cfg.verifier, report, kept, idf, needed)
                if probability is not None:
                    score = max(score, probability)
                    if probability >= cfg.join_probability:
                        vouching.append(kept)
            # Read only for a story the report would join: the headlines' regexes once per
            # joining candidate, not per report kept. ``Report.headline`` is kept only in
            # ``step_languages``.
            if (
                score >= cfg.join_probability
                and report.headline
                and self._another_step(report, story, vouching)
            ):
                score = 0.0
            if score > best_score or (score == best_score and best is not None
                                      and story.first_seen < best.first_seen):  # fmt: skip
                best, best_score = story, score
        if best is None or best_score < cfg.join_probability:
            return None, best_score
        return best, best_score

    def _another_step(self, report: Report, story: _Story, vouching: list[Report]) -> bool:
        """Whether ``report`` and ``story`` of its language tell two developments of one
        affair (``story_linking.another_step``), read on the kept headlines (those of
        ``step_languages``): the preview rule on the earliest of them (the story's
        beginning), the other rules beside each kept report that verified the report at
        ``join_probability`` (``vouching``), one at a time, as the linker reads the kept
        report its check compares. One such report that is not another step is a version
        the report joins: a story is not set apart by one of its kept reports that tells a
        later step too (a strike's version naming the funeral ahead, "прощание пройдет")."""
        kept = [k for k in story.reports if k.headline]
        compared = [k for k in vouching if k.headline]
        if not kept or not compared:
            return False
        first = min(kept, key=lambda k: k.when)
        hours_after = (report.when - first.when) / 3600.0
        config = self.config.link or DEFAULT_LINKING
        return all(
            another_step(config, report.headline, [k.headline], first.headline, hours_after)
            for k in compared
        )

    # -- updates ------------------------------------------------------------

    def _new_story(self, doc: ClusterDoc, when: datetime, filed: Filed) -> _Story:
        story = _Story(
            id=story_id(doc.id), language=doc.language, first_seen=when, last_updated=when,
            members=[], headline="", summary="", headline_id=doc.id, headline_score=-1.0,
            centroid={}, norm=0.0, reports=[], began=filed,
        )  # fmt: skip
        self._stories[story.id] = story
        return story

    def _grow_centroid(
        self, story: _Story, terms: dict[str, float], idf: IdfMemo, *, trim_over: int
    ) -> None:
        """Add ``terms``' weights to ``story``'s centroid; once it holds more than
        ``trim_over`` terms, keep its ``centroid_terms`` heaviest (weight times ``idf``) and
        take the rest out of the postings; then weigh its norm and post it."""
        limit = self.config.centroid_terms
        postings = self._index.setdefault(story.language, {})
        centroid = story.centroid
        for term, w in terms.items():
            centroid[term] = centroid.get(term, 0.0) + w
        if len(centroid) > trim_over:
            keep = sorted(centroid, key=lambda t: (-centroid[t] * idf[t], t))
            for term in keep[limit:]:
                _unpost(postings, term, story.id)
            story.centroid = centroid = {t: centroid[t] for t in keep[:limit]}
        story.norm = math.sqrt(sum((w * idf[t]) ** 2 for t, w in centroid.items()))
        _post(postings, story)

    def _join(
        self,
        story: _Story,
        doc: ClusterDoc,
        when: datetime,
        features: DocFeatures,
        report: Report,
        idf: IdfMemo,
    ) -> IdfMemo:
        """Add ``doc`` to ``story``; returns the IDF the story's terms were weighed with (the
        story's languages' counts, as ``_view`` reads them)."""
        cfg = self.config
        if story.languages and list(story.languages) != [doc.language]:
            # A story of several languages: its terms weighed in the language that uses them.
            idf = self._df.idf_in([*story.languages, doc.language])
        # Trimmed to the heaviest terms only once it has grown by half: amortized O(1).
        self._grow_centroid(story, features.terms, idf, trim_over=cfg.centroid_terms * 3 // 2)
        story.members.append(Member(doc.id, doc.outlet, when))
        story.reports.append(report)
        if len(story.reports) > cfg.verify_reports:
            del story.reports[1 : len(story.reports) - cfg.verify_reports + 1]
        story.first_seen = min(story.first_seen, when)
        if when > story.last_updated or len(story.members) == 1:
            story.last_updated = max(story.last_updated, when)
            heapq.heappush(self._expiry, (story.last_updated.timestamp(), story.id))
        story.outlets.setdefault(doc.outlet, None)
        story.languages.setdefault(doc.language, None)
        for place in features.places:
            story.places[place] = story.places.get(place, 0) + 1
        title = clean_title(doc.title, doc.outlet)
        for word in WORD.findall(title):
            folded = word.casefold()
            if folded not in STOP and len(folded) > 2:
                story.surface.setdefault(folded, word)
                story.surface.setdefault(stem(doc.language, folded), word)
        self._pick_headline(story, doc, title, report, idf)
        return idf

    def _pick_headline(
        self, story: _Story, doc: ClusterDoc, title: str, report: Report, idf: IdfMemo
    ) -> None:
        """Keep the most central title: the new one wins only if closer to the centroid.

        Only the current headline and the newcomer are compared (O(1) per article);
        the current one is rescored against the updated centroid when its report is kept.
        """
        centroid, norm = story.centroid, story.norm or 1.0

        def centrality(vec: dict[str, float]) -> float:
            return sum(w * idf[t] * centroid[t] for t, w in vec.items()
                       if t in centroid) / norm  # fmt: skip

        mine = centrality(report.vector)
        current = next((r for r in story.reports if r.article_id == story.headline_id), None)
        if current is report:
            theirs = mine  # a new story's first report: its headline is the newcomer's
        else:
            theirs = centrality(current.vector) if current is not None else story.headline_score
        if story.headline_score < 0 or mine > theirs + 1e-9:
            story.headline_id, story.headline_score = doc.id, mine
            story.headline = title
            story.summary = summary_line(doc.text or title, self.config.summary_chars)
        else:
            story.headline_score = theirs

    def _view(self, story: _Story, idf: IdfMemo | None = None) -> StoryView:
        """What the story stage reads of ``story``; ``idf``: the IDF of the story's
        languages' counts as they stand (one ``_join`` just used), else read here."""
        cfg = self.config
        if idf is None:
            idf = self._df.idf_in(story.languages or [story.language])
        centroid, surface = story.centroid, story.surface
        weighed = [(-w * idf[t], t) for t, w in centroid.items()
                   if " " not in t and t[0] not in "#@" and t in surface]  # fmt: skip
        # The keywords are the first of these by (weight, term), a total order: the heaviest
        # few are enough unless several of them are one word in another case.
        ranked = heapq.nsmallest(2 * cfg.keywords, weighed)
        keywords = _distinct_words((surface[t] for _, t in ranked), cfg.keywords)
        if len(keywords) < cfg.keywords and len(ranked) < len(weighed):
            keywords = _distinct_words((surface[t] for _, t in sorted(weighed)), cfg.keywords)
        places = sorted(story.places, key=lambda p: (-story.places[p], p))
        return StoryView(
            id=story.id,
            headline=story.headline,
            summary=story.summary,
            first_seen=story.first_seen,
            last_updated=story.last_updated,
            members=tuple(story.members),
            outlets=tuple(story.outlets),
            languages=tuple(story.languages),
            places=tuple(places),
            keywords=keywords,
        )

    # -- persistence ----------------------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        """JSON-able state; ``restore`` continues exactly from here. Lossless: floats go
        through JSON's shortest round-trip repr. It shares containers with the live state,
        so it is encoded before the clusterer changes again (workers/story_snapshot.py
        encodes it in chunks)."""
        return {
            "version": SNAPSHOT_VERSION,
            "clock": self._clock if math.isfinite(self._clock) else None,
            "df": self._df.snapshot(),
            "outlets": self._outlets.snapshot(),
            "stories": [_story_to_json(s) for s in self._stories.values()],
            "links": self._linker.snapshot(),
            "checks": self._checks.snapshot(),
        }

    @classmethod
    def restore(cls, snapshot: dict[str, Any], config: ClusterConfig | None = None) -> Clusterer:
        """A clusterer in the state ``snapshot`` recorded (same config expected)."""
        version = snapshot.get("version")
        if version in (SNAPSHOT_VERSION, SHARED_COUNT_VERSION):
            state = snapshot
        elif version == DEFLATED_VERSION:
            try:
                state = json.loads(zlib.decompress(base64.b85decode(snapshot["deflated"])))
            except (zlib.error, UnicodeDecodeError) as exc:
                raise ValueError(f"corrupt cluster snapshot: {exc}") from exc
        else:
            raise ValueError(f"unsupported cluster snapshot version {version!r}")
        self = cls(config)
        self._linker = Linker.restore(state["links"], self.config.link, self.config.idf_window_days)
        self._checks = CheckQueue.restore(state["checks"], self._checks.limit)
        self._clock = float("-inf") if state["clock"] is None else state["clock"]
        self._outlets = OutletMemory.restore(state["outlets"])
        for raw in state["stories"]:
            story = _story_from_json(raw)
            self._stories[story.id] = story
            _post(self._index.setdefault(story.language, {}), story)
            for member in story.members:
                self._seen[member.article_id] = story.id
            heapq.heappush(self._expiry, (story.last_updated.timestamp(), story.id))
        days = self.config.idf_window_days
        if version == SNAPSHOT_VERSION:
            self._df = DocFreqs.restore(state["df"], days)
        else:  # one count of every language: each language of the stories starts from it
            languages = {lang for story in self._stories.values() for lang in story.languages}
            self._df = DocFreqs.inherit(state["df"], sorted(languages), days)
        self._reader = FeatureReader(self.config, self._df, self._outlets)
        return self


def _distinct_words(words: Iterable[str], limit: int) -> tuple[str, ...]:
    """The first ``limit`` of ``words`` that differ ignoring case: two terms can be written
    as one word (an English and a German report's stems of "strikes", or a folded word
    and its stem), and a keyword list names each word once."""
    seen: set[str] = set()
    kept: list[str] = []
    for word in words:
        if len(kept) == limit:
            break
        folded = word.casefold()
        if folded not in seen:
            seen.add(folded)
            kept.append(word)
    return tuple(kept)


def _story_to_json(s: _Story) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": s.id, "language": s.language, "first_seen": _iso(s.first_seen),
        "last_updated": _iso(s.last_updated),
        "members": [[m.article_id, m.outlet, _iso(m.published)] for m in s.members],
        "headline": s.headline, "summary": s.summary, "headline_id": s.headline_id,
        "headline_score": s.headline_score, "centroid": s.centroid, "norm": s.norm,
        "reports": [r.to_json() for r in s.reports], "places": s.places,
        "outlets": list(s.outlets), "languages": list(s.languages), "surface": s.surface,
    }  # fmt: skip
    if s.began != Filed.at(s.first_seen.timestamp()):
        out["began"] = [s.began.earliest, s.began.latest]
    if s.filings != _filings_unwritten(s.languages, s.began, s.last_updated):
        out["filings"] = {
            language: [f.first.earliest, f.first.latest, f.last.earliest, f.last.latest]
            for language, f in s.filings.items()
        }
    return out


def _filings_unwritten(
    languages: Iterable[str], began: Filed, last_updated: datetime
) -> dict[str, FiledSpan]:
    """A story's filings when its snapshot does not write them: those of a story of one
    language filed from its beginning to its latest report (members keep no language, so
    a story of several written before the filings were kept reads as spanning nothing
    until its reports join again). Written only when they differ from these, so a
    snapshot written before they were kept reads back as it was."""
    written = list(languages)
    if len(written) != 1:
        return {}
    return {written[0]: FiledSpan(began, Filed.at(last_updated.timestamp()))}


def _story_from_json(raw: dict[str, Any]) -> _Story:
    first_seen = _parse(raw["first_seen"])
    # Without "began" the story began at ``first_seen`` (a snapshot written before the
    # field was kept reads as the hours were read then).
    began = Filed(*raw["began"]) if "began" in raw else Filed.at(first_seen.timestamp())
    last_updated = _parse(raw["last_updated"])
    if "filings" in raw:
        filings = {language: FiledSpan(Filed(a, b), Filed(c, d))
                   for language, (a, b, c, d) in raw["filings"].items()}  # fmt: skip
    else:
        filings = _filings_unwritten(raw["languages"], began, last_updated)
    return _Story(
        id=raw["id"], language=raw["language"], first_seen=first_seen,
        last_updated=last_updated,
        members=[Member(a, o, _parse(p)) for a, o, p in raw["members"]],
        headline=raw["headline"], summary=raw["summary"], headline_id=raw["headline_id"],
        headline_score=raw["headline_score"], centroid=dict(raw["centroid"]), norm=raw["norm"],
        reports=[Report.from_json(r) for r in raw["reports"]], places=dict(raw["places"]),
        outlets=dict.fromkeys(raw["outlets"]), languages=dict.fromkeys(raw["languages"]),
        surface=dict(raw["surface"]), began=began, filings=filings,
    )  # fmt: skip


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).isoformat()


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _post(postings: dict[str, dict[str, float]], story: _Story) -> None:
    """Every centroid term points to the story with its weight over the centroid's norm,
    so retrieval sums cosines directly."""
    norm = story.norm or 1.0
    story_id, posted = story.id, postings.get
    for term, w in story.centroid.items():
        stories = posted(term)
        if stories is None:
            postings[term] = {story_id: w / norm}
        else:
            stories[story_id] = w / norm


def _unpost(postings: dict[str, dict[str, float]], term: str, story_id: str) -> None:
    stories = postings.get(term)
    if stories is not None:
        stories.pop(story_id, None)
        if not stories:
            del postings[term]


def _different_days(a: _Story, b: _Story) -> bool:
    """Some kept report of each is another day's item of one series (a merge would join
    two days' developments)."""
    return any(different_days(x.daily, x.when, y.daily, y.when)
               for x in a.reports for y in b.reports)  # fmt: skip


__all__ = [
    "ClusterConfig",
    "ClusterDoc",
    "Clusterer",
    "LinkAnswer",
    "Member",
    "StoryUpdate",
    "StoryView",
    "story_id",
]
