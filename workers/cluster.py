"""Online story clustering: a pure, deterministic state machine (no clock, no I/O).

    ClusterDoc ──► features (title/text/url tokens, stems, bigrams, numbers, places)
               ──► candidates: inverted index term -> live stories of the same language
               ──► score: TF-IDF cosine to each candidate's centroid, IDF learned online
               ──► join the best story above ``threshold`` or start a new one
               ──► StoryUpdate (what changed, and the story as it is now)

Each document is compared only with the past, in arrival order. The method is
the classic single-pass centroid clustering of topic detection and tracking
(Allan et al. 1998, "On-line new event detection and tracking"), with what those
papers and the labeled development data (docs/benchmarks.md) taught:

* **Online IDF.** Term statistics come from the documents seen, in day buckets
  over ``idf_window`` (memory bounded, and old vocabulary fades). BM25's IDF
  keeps every weight positive while statistics are still thin.
* **Headline-aware features.** Headlines are Title Case and short, so capital
  letters say nothing there; wire boilerplate ("UPDATE 2-", "RPT-", "(VIDEO)",
  a trailing "- Reuters", a truncated last word before "...") is dropped.
  Words are stemmed (Snowball, per language) so "affirms"/"affirmed" meet;
  adjacent word pairs (bigrams) reward shared phrases; numbers, places (from
  ``workers.places``) and capitalized names in running text weigh more: they
  distinguish one development from another on the same topic.
* **URL slugs** ("/2014/03/11/emma-watson-noah-trailer_n_49.html") often carry the
  keywords a headline shortened away; their words count at ``url_weight`` (no
  bigrams: slugs drop words). A URL without a slug simply adds nothing; the
  ablation in docs/benchmarks.md gives the quality without any URL.
* **Centroid first.** A story is scored by the cosine to its centroid (topic
  drift is absorbed as the story grows); the cosine to its nearest recent member
  can be mixed in (``centroid_weight``), but on its own it chains unrelated
  reports together and scored lower.
* **Time.** A story is a development, and a development has a time: the mean
  time of its articles. Similarity halves per ``decay_half_life`` of distance from
  it beyond ``decay_grace`` (hours: feed times are imprecise by hours, so nothing
  leans on sub-hour gaps). The same topic a day later is a new development, which
  is what a live briefing's timeline wants. Stories idle longer than ``window``
  are evicted, which bounds memory.
* **Languages never merge by accident.** Every language (and "" = unknown) has its
  own index; cross-lingual linking is left out on purpose.

Determinism: no randomness, no hashing of Python objects, ties broken by the
story created first; story ids derive from the first article id (``story_id``).

Retrieval: a term's posting list maps each live story holding it in its centroid
to the centroid weight, so the dot products are accumulated from the postings of
the document's terms (no scan of stories); terms held by more than
``max_postings`` stories are left out of retrieval (they are on every topic) and
only the ``max_candidates`` best are scored exactly.

The story: headline = the most central title (the newcomer replaces it when it
is closer to the centroid than the current one, rescored against the updated
centroid); summary = that article's text (else its title) trimmed on a word
boundary; places counted over members; keywords = the heaviest centroid words as
first written.

Persistence: ``Clusterer.snapshot()`` returns JSON-able data and
``Clusterer.restore(snapshot, config)`` continues exactly as if never stopped
(tested, through ``json.dumps``). After a crash, restore the last snapshot and
replay the documents added since, with the same ``now`` values: the result is
exact because ``add`` is deterministic. A replay from empty state is not exact
unless it starts before every live story began and covers ``idf_window_days``.
"""

from __future__ import annotations

import base64
import hashlib
import heapq
import json
import math
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import snowballstemmer

from workers.places import find_places_in_tokens

# Snapshot encodings: 1 = the state as JSON; 2 = the same JSON, deflated (zlib) and
# base85-encoded. Restore reads both. The state is mostly term strings repeated across
# centroids, member vectors and document frequencies, and float reprs: deflate stores it
# in about a third (docs/benchmarks.md "Soak", memory), and base85 is ASCII without
# quotes or backslashes, so the stored JSON holds it without escaping.
SNAPSHOT_VERSION = 2
_SNAPSHOT_VERSIONS = (1, 2)


@dataclass(frozen=True, slots=True)
class ClusterConfig:
    """Named knobs of the clusterer. Defaults are what the service and the eval run."""

    # Similarity (0..1) a document needs to join a story. The sweep in
    # docs/benchmarks.md shows quality is flat around it (no knife edge).
    threshold: float = 0.15
    # A story with no new article for this long stops attracting and is evicted.
    # The decay below has made a match there all but impossible already: this
    # bounds memory more than it decides.
    window: timedelta = timedelta(hours=36)
    # A story is a development, and a development has a time: the mean time of its
    # articles. Similarity halves per ``decay_half_life`` of distance from that
    # time beyond ``decay_grace``. The grace is hours wide because feed times are
    # imprecise by hours; the same topic a day later is usually a new development.
    decay_grace: timedelta = timedelta(hours=8)
    decay_half_life: timedelta = timedelta(hours=8)
    # Document frequencies are kept in day buckets over this many days.
    idf_window_days: int = 30
    # Weight of the centroid cosine vs the best-member cosine in the score. The
    # centroid alone scored best (members echo the centroid; see the ablation).
    centroid_weight: float = 1.0
    # Field weights: the headline is the densest statement of the development;
    # a URL slug repeats it with the words a headline editor shortened away.
    title_weight: float = 1.0
    text_weight: float = 0.5
    url_weight: float = 0.6
    # Feature boosts (multiply the term weight): specific facts separate stories.
    bigram_weight: float = 0.5
    number_boost: float = 1.25
    place_boost: float = 1.25
    name_boost: float = 1.5
    # How much running text counts (the lead carries the news; the rest is noise).
    text_max_tokens: int = 60
    # A story's centroid keeps its ``centroid_terms`` heaviest terms (memory bound).
    centroid_terms: int = 80
    # Member vectors kept (the most recent ones) for nearest-member scoring and
    # for rescoring the current headline's centrality.
    member_vectors: int = 8
    # Retrieval: terms in more live stories than this only rescore, never retrieve
    # (they are on every topic), and at most ``max_candidates`` stories are scored
    # exactly. Both bound the work per document however busy the news is; quality
    # on the development data is the same from 10 to 40 candidates.
    max_postings: int = 100
    max_candidates: int = 10
    summary_chars: int = 400
    keywords: int = 8


@dataclass(frozen=True, slots=True)
class ClusterDoc:
    """One deduplicated article as the clusterer sees it. ``published`` is UTC."""

    id: str
    title: str
    text: str
    published: datetime
    language: str = ""
    outlet: str = ""
    url: str = ""


@dataclass(frozen=True, slots=True)
class Member:
    """An article of a story and the outlet that carried it."""

    article_id: str
    outlet: str
    published: datetime


@dataclass(frozen=True, slots=True)
class StoryView:
    """A story as readers see it: headline, summary, sources, facets."""

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
    """What adding one document did. ``score`` is the winning similarity (0 when created)."""

    story_id: str
    created: bool
    headline_changed: bool
    new_outlet: bool
    score: float
    story: StoryView


def story_id(first_article_id: str) -> str:
    """Deterministic story id: stable across restarts, replays and processes."""
    return "st_" + hashlib.sha1(first_article_id.encode()).hexdigest()[:16]


# ---------------------------------------------------------------------------
# Features


_STEMMERS = {
    "en": "english", "de": "german", "fr": "french", "es": "spanish", "it": "italian",
    "pt": "portuguese", "nl": "dutch", "ru": "russian", "pl": "polish", "sv": "swedish",
    "da": "danish", "no": "norwegian", "fi": "finnish", "tr": "turkish", "ro": "romanian",
    "hu": "hungarian", "cs": "czech", "el": "greek", "ar": "arabic",
}  # fmt: skip
# Ukrainian has no Snowball stemmer; its inflection is close enough to Russian's
# for grouping word forms in the same document stream.
_STEMMER_FALLBACK = {"uk": "russian", "be": "russian"}

_STOP = frozenset(
    """a an the and or but if of at by for with about against between into through during
    before after above below to from up down in out on off over under again further then
    once here there when where why how all any both each few more most other some such no
    nor not only own same so than too very s t can will just don should now is are was were
    be been being have has had having do does did doing i me my we our you your he him his
    she her it its they them their what which who whom this that these those am would could
    may might must shall as vs via says say said new amid after will than also up its it's
    der die das und oder ein eine zu von mit auf für ist im den dem des nicht sich auch le
    la les un une et ou de du des en dans pour sur par est au aux qui que el los las y o del
    por para con una es se al lo como і й та в у на з із до що це не як за від по для а але
    и в во на с со к по за из от до что это не как для а но""".split()
)

_WIRE_PREFIX = re.compile(
    r"^\s*(?:(?:UPDATE|WRAPUP|REFILE|CORRECTED|RPT|REPEAT|EXCLUSIVE|BREAKING|INSTANT VIEW)"
    r"(?:\s*\d+)?\s*[-:]\s*)+",
    re.IGNORECASE,
)
_BRACKETED = re.compile(r"[\[(](?:video|photos?|watch|pictures|trailer|live|update[sd]?|"
                        r"poll|graphic|text|\d+)[\])]", re.IGNORECASE)  # fmt: skip
_TRUNCATED = re.compile(r"\s*\S*\s*(?:\.\.\.|…)\s*$")
_TRAILING_OUTLET = re.compile(r"\s+[-|–—]\s+[^-|–—]{2,40}$")
_WORD = re.compile(r"[^\W_]+(?:['’.][^\W_]+)*")
_SENTENCE_END = re.compile(r"[.!?]\s")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+){2,}")


def clean_title(title: str, outlet: str = "") -> str:
    """Drop wire prefixes, media tags, a truncated last word and a trailing outlet name."""
    title = _WIRE_PREFIX.sub("", title)
    title = _BRACKETED.sub(" ", title)
    if _TRUNCATED.search(title):
        title = _TRUNCATED.sub("", title)
    match = _TRAILING_OUTLET.search(title)
    if match and outlet and outlet.casefold() in match.group().casefold():
        title = title[: match.start()]
    return title.strip()


class _Stemmer:
    """Snowball stemming per language, memoized (the same words recur all day)."""

    def __init__(self) -> None:
        self._stemmers: dict[str, Any] = {}
        self._memo: dict[tuple[str, str], str] = {}

    def __call__(self, language: str, word: str) -> str:
        key = (language, word)
        stem = self._memo.get(key)
        if stem is None:
            algo = _STEMMERS.get(language) or _STEMMER_FALLBACK.get(language)
            stem = word
            if algo is not None and not word[0].isdigit():
                stemmer = self._stemmers.get(algo)
                if stemmer is None:
                    stemmer = self._stemmers[algo] = snowballstemmer.stemmer(algo)
                stem = stemmer.stemWord(word)
            if len(self._memo) > 500_000:  # bound the memo; results do not depend on it
                self._memo.clear()
            self._memo[key] = stem
        return stem


_stem = _Stemmer()


def _is_title_case(words: list[str]) -> bool:
    """True when most words are capitalized (a headline style: capitals carry no signal)."""
    alpha = [w for w in words if w[0].isalpha() and w.casefold() not in _STOP]
    return bool(alpha) and sum(w[0].isupper() for w in alpha) >= 0.6 * len(alpha)


def _field_terms(
    raw_words: list[str],
    language: str,
    weight: float,
    config: ClusterConfig,
    out: dict[str, float],
    names_signal: bool,
    sentence_starts: frozenset[int] = frozenset(),
) -> None:
    """Add a field's unigram, bigram, number and name terms to ``out``."""
    previous: str | None = None
    for i, raw in enumerate(raw_words):
        word = raw.casefold().replace("’", "'").removesuffix("'s").replace(".", "")
        if not word or word in _STOP or (len(word) < 2 and not word.isdigit()):
            previous = None
            continue
        boost = 1.0
        if any(c.isdigit() for c in word):
            term = "#" + word.replace(",", "")
            boost = config.number_boost
        else:
            term = _stem(language, word)
            if names_signal and raw[0].isupper() and i not in sentence_starts:
                boost = config.name_boost
        out[term] = out.get(term, 0.0) + weight * boost
        if previous is not None and config.bigram_weight > 0:
            pair = previous + " " + term
            out[pair] = out.get(pair, 0.0) + weight * config.bigram_weight
        previous = term


def _url_words(url: str) -> list[str]:
    """Words of the URL path's longest hyphenated slug, if there is one."""
    path = url.split("://", 1)[-1].split("?", 1)[0].lower()
    slugs = _SLUG.findall(path)
    if not slugs:
        return []
    slug = max(slugs, key=len)
    return [w for w in slug.split("-") if w.isalpha()]


def features(doc: ClusterDoc, config: ClusterConfig) -> tuple[dict[str, float], tuple[str, ...]]:
    """Term weights before IDF (sublinear in repeats) and the places the document names."""
    language = doc.language
    title = clean_title(doc.title, doc.outlet)
    raw: dict[str, float] = {}
    title_words = _WORD.findall(title)
    _field_terms(title_words, language, config.title_weight, config, raw,
                 names_signal=not _is_title_case(title_words))  # fmt: skip
    text_words: list[str] = []
    if doc.text and config.text_weight > 0:
        lead = doc.text[: config.text_max_tokens * 12]
        text_words = _WORD.findall(lead)[: config.text_max_tokens]
        starts = _sentence_starts(lead, text_words)
        _field_terms(text_words, language, config.text_weight, config, raw, True, starts)
    if doc.url and config.url_weight > 0:
        url_raw: dict[str, float] = {}
        _field_terms(_url_words(doc.url), language, config.url_weight, config, url_raw, False)
        for term, w in url_raw.items():
            if " " not in term:  # slugs drop words: their bigrams are not phrases
                raw[term] = raw.get(term, 0.0) + w
    places = find_places_in_tokens(title_words + text_words)
    for place in places:
        raw["@" + place] = config.place_boost * config.title_weight
    # Sublinear repeats: a word said five times is not five times the evidence.
    weights = {t: (w if w <= 1.0 else 1.0 + math.log(w)) for t, w in raw.items()}
    return weights, places


def _sentence_starts(text: str, words: list[str]) -> frozenset[int]:
    """Indexes of words that open a sentence (their capital is grammar, not a name)."""
    starts = {0}
    boundaries = {m.end() for m in _SENTENCE_END.finditer(text)}
    pos = 0
    for i, word in enumerate(words):
        at = text.find(word, pos)
        if at < 0:
            break
        if at in boundaries:
            starts.add(i)
        pos = at + len(word)
    return frozenset(starts)


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
    recent: list[tuple[str, dict[str, float]]]  # (article id, unit vector) of recent members
    places: dict[str, int] = field(default_factory=dict)
    outlets: dict[str, None] = field(default_factory=dict)
    languages: dict[str, None] = field(default_factory=dict)
    surface: dict[str, str] = field(default_factory=dict)  # stem -> a word as written
    time_sum: float = 0.0  # sum of member times (epoch seconds), for the mean time


class _DocFreq:
    """Document frequencies in day buckets over a sliding window (bounded memory)."""

    def __init__(self, days: int) -> None:
        self.days = days
        self.buckets: dict[int, dict[str, int]] = {}
        self.df: dict[str, int] = {}
        self.n = 0
        self.sizes: dict[int, int] = {}

    def add(self, day: int, terms: Iterable[str]) -> None:
        bucket = self.buckets.setdefault(day, {})
        for term in terms:
            bucket[term] = bucket.get(term, 0) + 1
            self.df[term] = self.df.get(term, 0) + 1
        self.sizes[day] = self.sizes.get(day, 0) + 1
        self.n += 1
        for old in [d for d in self.buckets if d <= day - self.days]:
            for term, count in self.buckets.pop(old).items():
                left = self.df[term] - count
                if left:
                    self.df[term] = left
                else:
                    del self.df[term]
            self.n -= self.sizes.pop(old)

    def idf(self, term: str) -> float:
        df = self.df.get(term, 0)
        return math.log(1.0 + (self.n - df + 0.5) / (df + 0.5))


class Clusterer:
    """Single-pass story clustering. Feed documents in arrival order with ``add``."""

    def __init__(self, config: ClusterConfig | None = None) -> None:
        self.config = config or ClusterConfig()
        self._stories: dict[str, _Story] = {}
        # language -> term -> story id -> centroid weight (the inverted index)
        self._index: dict[str, dict[str, dict[str, float]]] = {}
        self._df = _DocFreq(self.config.idf_window_days)
        self._seen: dict[str, str] = {}  # article id -> story id (idempotent replays)
        # (last_updated timestamp, story id), a lazy heap: stale entries are skipped.
        self._expiry: list[tuple[float, str]] = []

    # -- public -----------------------------------------------------------

    def add(self, doc: ClusterDoc, now: datetime) -> StoryUpdate:
        """Place ``doc`` into a story; ``now`` drives eviction (never the wall clock).

        Adding an article id already placed changes nothing and reports no change.
        """
        when = min(doc.published, now)
        self.evict(now)
        known = self._seen.get(doc.id)
        if known is not None and known in self._stories:
            story = self._stories[known]
            return StoryUpdate(known, False, False, False, 1.0, self._view(story))
        terms, places = features(doc, self.config)
        self._df.add(_day(when), terms)
        idf = {t: self._df.idf(t) for t in terms}
        vector = _unit({t: w * idf[t] for t, w in terms.items()})
        best, score = self._best_story(doc.language, terms, vector, idf, when)
        if best is None:
            story = self._new_story(doc, when)
            created, headline_changed, new_outlet = True, True, True
        else:
            story = best
            created = False
            new_outlet = doc.outlet not in story.outlets
        headline_before = story.headline_id
        self._join(story, doc, when, terms, vector, places)
        if not created:
            headline_changed = story.headline_id != headline_before
        self._seen[doc.id] = story.id
        return StoryUpdate(story.id, created, headline_changed, new_outlet,
                           0.0 if created else score, self._view(story))  # fmt: skip

    def story(self, story_id: str) -> StoryView | None:
        """The live story with this id, or None once it was evicted (or never existed)."""
        story = self._stories.get(story_id)
        return None if story is None else self._view(story)

    def __len__(self) -> int:
        """How many stories are live (not yet evicted)."""
        return len(self._stories)

    def vocabulary_size(self) -> int:
        """How many distinct terms the online IDF currently counts."""
        return len(self._df.df)

    def stories(self) -> list[StoryView]:
        """All live stories, oldest first."""
        return [self._view(s) for s in self._stories.values()]

    def evict(self, now: datetime) -> list[str]:
        """Forget stories idle longer than the window; returns their ids."""
        horizon = (now - self.config.window).timestamp()
        expiry, gone = self._expiry, []
        while expiry and expiry[0][0] < horizon:
            stamp, sid = heapq.heappop(expiry)
            story = self._stories.get(sid)
            if story is None or story.last_updated.timestamp() != stamp:
                continue  # a stale entry: the story was updated (or evicted) since
            del self._stories[sid]
            gone.append(sid)
            postings = self._index.get(story.language, {})
            for term in story.centroid:
                _unpost(postings, term, sid)
            for member in story.members:
                self._seen.pop(member.article_id, None)
        return gone

    # -- scoring ------------------------------------------------------------

    def _best_story(
        self,
        language: str,
        terms: dict[str, float],
        vector: dict[str, float],
        idf: dict[str, float],
        when: datetime,
    ) -> tuple[_Story | None, float]:
        cfg = self.config
        postings = self._index.get(language)
        if not postings:
            return None, 0.0
        # Retrieval: accumulate the centroid dot product over selective terms.
        acc: dict[str, float] = {}
        for term, w in vector.items():
            stories = postings.get(term)
            if stories is None or len(stories) > cfg.max_postings:
                continue
            factor = w * idf[term]
            for sid, cw in stories.items():
                acc[sid] = acc.get(sid, 0.0) + factor * cw
        if not acc:
            return None, 0.0
        live = self._stories
        ranked = [(dot / live[sid].norm, sid) for sid, dot in acc.items()]
        best: _Story | None = None
        best_score = 0.0
        for _, sid in heapq.nlargest(cfg.max_candidates, ranked):
            story = self._stories[sid]
            if when - story.last_updated > cfg.window:
                continue
            gap = abs(when.timestamp() - story.time_sum / len(story.members))
            score = self._similarity(story, vector, idf) * self._decay(gap)
            if score > best_score or (score == best_score and best is not None
                                      and story.first_seen < best.first_seen):  # fmt: skip
                best, best_score = story, score
        if best is None or best_score < cfg.threshold:
            return None, best_score
        return best, best_score

    def _similarity(self, story: _Story, vector: dict[str, float], idf: dict[str, float]) -> float:
        cfg = self.config
        centroid = story.centroid
        dot = sum(w * idf[t] * centroid[t] for t, w in vector.items() if t in centroid)
        central = dot / story.norm if story.norm else 0.0
        nearest = 0.0
        if cfg.centroid_weight < 1.0:
            for _, member in story.recent:
                sim = sum(w * member[t] for t, w in vector.items() if t in member)
                nearest = max(nearest, sim)
        return cfg.centroid_weight * central + (1.0 - cfg.centroid_weight) * nearest

    def _decay(self, gap_seconds: float) -> float:
        beyond = gap_seconds - self.config.decay_grace.total_seconds()
        if beyond <= 0:
            return 1.0
        return float(0.5 ** (beyond / self.config.decay_half_life.total_seconds()))

    # -- updates ------------------------------------------------------------

    def _new_story(self, doc: ClusterDoc, when: datetime) -> _Story:
        story = _Story(
            id=story_id(doc.id), language=doc.language, first_seen=when, last_updated=when,
            members=[], headline="", summary="", headline_id=doc.id, headline_score=-1.0,
            centroid={}, norm=0.0, recent=[],
        )  # fmt: skip
        self._stories[story.id] = story
        return story

    def _join(
        self,
        story: _Story,
        doc: ClusterDoc,
        when: datetime,
        terms: dict[str, float],
        vector: dict[str, float],
        places: tuple[str, ...],
    ) -> None:
        cfg = self.config
        postings = self._index.setdefault(story.language, {})
        centroid = story.centroid
        for term, w in terms.items():
            weight = centroid[term] = centroid.get(term, 0.0) + w
            postings.setdefault(term, {})[story.id] = weight
        idf = {t: self._df.idf(t) for t in centroid}
        # Trim to the heaviest terms only once it has grown by half: amortized O(1).
        if len(centroid) > cfg.centroid_terms * 3 // 2:
            keep = sorted(centroid, key=lambda t: (-centroid[t] * idf[t], t))
            for term in keep[cfg.centroid_terms :]:
                _unpost(postings, term, story.id)
            story.centroid = centroid = {t: centroid[t] for t in keep[: cfg.centroid_terms]}
        story.norm = math.sqrt(sum((w * idf[t]) ** 2 for t, w in centroid.items()))
        story.members.append(Member(doc.id, doc.outlet, when))
        story.recent.append((doc.id, vector))
        del story.recent[: -cfg.member_vectors]
        if when > story.last_updated or len(story.members) == 1:
            story.last_updated = max(story.last_updated, when)
            heapq.heappush(self._expiry, (story.last_updated.timestamp(), story.id))
        story.time_sum += when.timestamp()
        story.outlets.setdefault(doc.outlet, None)
        story.languages.setdefault(doc.language, None)
        for place in places:
            story.places[place] = story.places.get(place, 0) + 1
        for word in _WORD.findall(clean_title(doc.title, doc.outlet)):
            folded = word.casefold()
            if folded not in _STOP and len(folded) > 2:
                story.surface.setdefault(_stem(doc.language, folded), word)
        self._pick_headline(story, doc, vector, idf)

    def _pick_headline(
        self, story: _Story, doc: ClusterDoc, vector: dict[str, float], idf: dict[str, float]
    ) -> None:
        """Keep the most central title: the new one wins only if closer to the centroid.

        Only the current headline and the newcomer are compared (O(1) per article);
        the current one is rescored against the updated centroid.
        """
        centroid, norm = story.centroid, story.norm or 1.0

        def centrality(vec: dict[str, float]) -> float:
            return sum(w * idf.get(t, 0.0) * centroid[t] for t, w in vec.items()
                       if t in centroid) / norm  # fmt: skip

        mine = centrality(vector)
        current = next((v for aid, v in story.recent if aid == story.headline_id), None)
        theirs = centrality(current) if current is not None else story.headline_score
        if story.headline_score < 0 or mine > theirs + 1e-9:
            story.headline_id, story.headline_score = doc.id, mine
            story.headline = clean_title(doc.title, doc.outlet)
            story.summary = _trim(doc.text or clean_title(doc.title, doc.outlet),
                                  self.config.summary_chars)  # fmt: skip
        else:
            story.headline_score = theirs

    def _view(self, story: _Story) -> StoryView:
        cfg = self.config
        ranked = sorted(
            (t for t in story.centroid if " " not in t and t[0] not in "#@" and t in story.surface),
            key=lambda t: (-story.centroid[t] * self._df.idf(t), t),
        )
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
            keywords=tuple(story.surface[t] for t in ranked[: cfg.keywords]),
        )

    # -- persistence ----------------------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        """Compact JSON-able state; ``restore`` continues exactly from here.

        Lossless: floats go through JSON's shortest round-trip repr, then deflate."""
        state = {
            "df": {
                "buckets": {str(d): b for d, b in self._df.buckets.items()},
                "sizes": {str(d): n for d, n in self._df.sizes.items()},
            },
            "stories": [_story_to_json(s) for s in self._stories.values()],
        }
        text = json.dumps(state, ensure_ascii=False, separators=(",", ":"))
        packed = base64.b85encode(zlib.compress(text.encode("utf-8"), 6)).decode("ascii")
        return {"version": SNAPSHOT_VERSION, "deflated": packed}

    @classmethod
    def restore(cls, snapshot: dict[str, Any], config: ClusterConfig | None = None) -> Clusterer:
        """A clusterer in the state ``snapshot`` recorded (same config expected).

        Reads every encoding in ``_SNAPSHOT_VERSIONS``: a snapshot written by the previous
        release restores after an upgrade."""
        version = snapshot.get("version")
        if version not in _SNAPSHOT_VERSIONS:
            raise ValueError(f"unsupported cluster snapshot version {version!r}")
        if version == 2:
            try:
                snapshot = json.loads(zlib.decompress(base64.b85decode(snapshot["deflated"])))
            except (zlib.error, UnicodeDecodeError) as exc:
                raise ValueError(f"corrupt cluster snapshot: {exc}") from exc
        self = cls(config)
        df = self._df
        for day, bucket in snapshot["df"]["buckets"].items():
            df.buckets[int(day)] = dict(bucket)
            for term, count in bucket.items():
                df.df[term] = df.df.get(term, 0) + count
        for day, size in snapshot["df"]["sizes"].items():
            df.sizes[int(day)] = size
            df.n += size
        for raw in snapshot["stories"]:
            story = _story_from_json(raw)
            self._stories[story.id] = story
            postings = self._index.setdefault(story.language, {})
            for term, w in story.centroid.items():
                postings.setdefault(term, {})[story.id] = w
            for member in story.members:
                self._seen[member.article_id] = story.id
            heapq.heappush(self._expiry, (story.last_updated.timestamp(), story.id))
        return self


def _story_to_json(s: _Story) -> dict[str, Any]:
    return {
        "id": s.id, "language": s.language, "first_seen": _iso(s.first_seen),
        "last_updated": _iso(s.last_updated),
        "members": [[m.article_id, m.outlet, _iso(m.published)] for m in s.members],
        "headline": s.headline, "summary": s.summary, "headline_id": s.headline_id,
        "headline_score": s.headline_score, "centroid": s.centroid, "norm": s.norm,
        "recent": [[aid, vec] for aid, vec in s.recent], "places": s.places,
        "outlets": list(s.outlets), "languages": list(s.languages), "surface": s.surface,
        "time_sum": s.time_sum,
    }  # fmt: skip


def _story_from_json(raw: dict[str, Any]) -> _Story:
    return _Story(
        id=raw["id"], language=raw["language"], first_seen=_parse(raw["first_seen"]),
        last_updated=_parse(raw["last_updated"]),
        members=[Member(a, o, _parse(p)) for a, o, p in raw["members"]],
        headline=raw["headline"], summary=raw["summary"], headline_id=raw["headline_id"],
        headline_score=raw["headline_score"], centroid=dict(raw["centroid"]), norm=raw["norm"],
        recent=[(aid, dict(vec)) for aid, vec in raw["recent"]], places=dict(raw["places"]),
        outlets=dict.fromkeys(raw["outlets"]), languages=dict.fromkeys(raw["languages"]),
        surface=dict(raw["surface"]), time_sum=raw["time_sum"],
    )  # fmt: skip


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).isoformat()


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _unpost(postings: dict[str, dict[str, float]], term: str, story_id: str) -> None:
    stories = postings.get(term)
    if stories is not None:
        stories.pop(story_id, None)
        if not stories:
            del postings[term]


def _day(when: datetime) -> int:
    return int(when.timestamp() // 86400)


def _unit(vec: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(w * w for w in vec.values()))
    return {t: w / norm for t, w in vec.items()} if norm else vec


def _trim(text: str, limit: int) -> str:
    """At most ``limit`` characters on a word boundary, then an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if text[limit] != " ":  # never end on half a word
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


__all__ = [
    "ClusterConfig",
    "ClusterDoc",
    "Clusterer",
    "Member",
    "StoryUpdate",
    "StoryView",
    "clean_title",
    "features",
    "story_id",
]
