"""What a document says, as the story clusterer weighs it (pure, deterministic).

    ClusterDoc ──► outlet memory (workers/story_kinds.py): roundup? series? boilerplate out
               ──► words of the headline, the lead and the URL slug
               ──► names vs common words (casing learned from the stream), numbers, places
               ──► DocFeatures: term weights (before IDF) and the sets the verifier compares

* **Names are kept apart from common words.** Common words are stemmed ("affirms" and
  "affirmed" meet); names are not ("Apple" is not "apples"). Whether a word is a name is
  learned from the stream itself, as truecasers do: a word is a name when the documents
  seen write it capitalized in the middle of a sentence more often than in lower case.
  The decision is the same for every document, whatever its own casing, so a Title Case
  headline ("Apple Unveils Cheaper iPhone") and a sentence-case one meet on the same terms.
  The counts live in the document frequencies (markers ``^word`` and ``_word``), so they
  fade with the IDF window.
* **Numbers** ("#10,633" -> ``#10633``) and **places** (``@Ukraine``, workers/places.py,
  of the headline and the whole text, as briefings match them) are terms of their own,
  boosted: they tell one development from another on one topic.
* **Bigrams** of adjacent words reward shared phrases; **URL slug** words count a little
  (no bigrams: slugs drop words).
* **Online IDF** in day buckets over ``idf_window_days`` (memory bounded, old vocabulary
  fades); BM25's IDF keeps every weight positive, and a prior of documents that hold none
  of the words keeps a cold start from weighing shared words as nothing.
* **One document count per language** (``DocFreqs``): common words are stemmed per
  language and a story weighs only reports of its own language, so a term's frequency and
  the count it is read against cover the same documents; a briefing's English traffic no
  longer makes every Ukrainian word read as rare.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from workers.link_names import name_key
from workers.places import find_places
from workers.story_kinds import OutletMemory
from workers.story_periods import is_daily
from workers.story_text import (
    CAPITAL_MARK,
    NAME_MARK,
    STOP,
    WORD,
    WordReading,
    cased,
    clean_title,
    is_title_case,
    read_word,
    sentence_starts,
    stem,
    url_words,
)

if TYPE_CHECKING:
    from workers.cluster import ClusterConfig, ClusterDoc

# A fresh service has seen a handful of documents, and words they all share would weigh
# nothing. As if this many documents without any of the words came first: the first
# reports of a development still share weighty words, and the prior fades as news arrives.
IDF_PRIOR_DOCUMENTS = 1000
_FIRST = frozenset({0})  # a headline's first word, which opens its sentence


@dataclass(frozen=True, slots=True)
class DocFeatures:
    """One document's terms (stems, ``#number``, ``@place``, names, bigrams) and kind."""

    terms: dict[str, float]  # weights before IDF, sublinear in repeats
    places: tuple[str, ...]
    roundup: bool  # a live blog, roundup or gallery
    series: bool  # the outlet's recurring headline template


@dataclass(frozen=True, slots=True)
class Report:
    """What a story keeps of one of its reports to verify newcomers against it.

    Word weights are the IDF when the report was read: a report is compared as it was
    written into the story, and the comparison costs no look-ups."""

    article_id: str
    outlet: str
    when: float  # epoch seconds (stream time)
    dated: bool
    vector: dict[str, float]  # unit TF-IDF vector of every term
    title: dict[str, float]  # the headline's words -> IDF
    events: dict[str, float]  # the headline's common words (what happened, not who) -> IDF
    body: frozenset[str]  # words of headline and lead
    names: frozenset[str]  # names in headline and lead (casefolded, unstemmed)
    numbers: frozenset[str]
    roundup: bool
    series: bool
    # Framed by one day's period or as a running tally (workers/story_periods.py), and
    # dated: its time says which day it is about.
    daily: bool = False
    title_total: float = 0.0  # sum of ``title`` weights
    title_norm: float = 0.0  # Euclidean norm of ``title`` weights
    events_total: float = 0.0  # sum of ``events`` weights
    # The cleaned headline (``clean_title``) of a report in a language whose same-language
    # joins read the headline rules (``ClusterConfig.step_languages``); "" in another
    # language and in a snapshot written before it was kept (no rule reads it).
    headline: str = ""

    @classmethod
    def of(cls, **fields: Any) -> Report:
        title, events = fields["title"], fields["events"]
        return cls(
            **fields,
            title_total=sum(title.values()),
            title_norm=math.sqrt(sum(w * w for w in title.values())),
            events_total=sum(events.values()),
        )

    def to_json(self) -> list[Any]:
        """The report as JSON-able data; the headline only when kept, so a report without
        one is written as a snapshot before it was kept wrote it."""
        out = [
            self.article_id, self.outlet, self.when, self.dated, self.vector, self.title,
            self.events, sorted(self.body), sorted(self.names), sorted(self.numbers),
            self.roundup, self.series, self.daily,
        ]  # fmt: skip
        return [*out, self.headline] if self.headline else out

    @classmethod
    def from_json(cls, raw: list[Any]) -> Report:
        aid, outlet, when, dated, vector, title, events, body, names, numbers = raw[:10]
        return cls.of(
            article_id=aid, outlet=outlet, when=when, dated=dated, vector=dict(vector),
            title=dict(title), events=dict(events), body=frozenset(body),
            names=frozenset(names), numbers=frozenset(numbers), roundup=raw[10],
            series=raw[11], daily=len(raw) > 12 and bool(raw[12]),
            headline=raw[13] if len(raw) > 13 else "",
        )  # fmt: skip


class DocFreq:
    """Document frequencies in day buckets over a sliding window (bounded memory)."""

    def __init__(self, days: int) -> None:
        self.days = days
        self.buckets: dict[int, dict[str, int]] = {}
        self.df: dict[str, int] = {}
        self.n = 0
        self.sizes: dict[int, int] = {}
        self._oldest = math.inf  # the earliest day of ``buckets``: no day expires before it

    def add(self, day: int, terms: Iterable[str], *, document: bool = True) -> None:
        """Count ``terms`` once each on ``day``; ``document`` counts one more document."""
        bucket = self.buckets.get(day)
        if bucket is None:
            bucket = self.buckets[day] = {}
            self._oldest = min(self._oldest, day)
        df = self.df
        in_bucket, in_window = bucket.get, df.get
        for term in terms:
            bucket[term] = in_bucket(term, 0) + 1
            df[term] = in_window(term, 0) + 1
        if document:
            self.sizes[day] = self.sizes.get(day, 0) + 1
            self.n += 1
        self.drop_expired(day)

    def drop_expired(self, day: int) -> None:
        """Drop the days that left the window by ``day`` (called with every count: most
        calls find the earliest day still inside)."""
        if self._oldest > day - self.days:
            return
        for old in [d for d in self.buckets if d <= day - self.days]:
            for term, count in self.buckets.pop(old).items():
                left = self.df[term] - count
                if left:
                    self.df[term] = left
                else:
                    del self.df[term]
            self.n -= self.sizes.pop(old, 0)
        self._oldest = min(self.buckets, default=math.inf)

    def idf(self, term: str) -> float:
        """BM25's IDF over the documents seen plus ``IDF_PRIOR_DOCUMENTS`` that hold no term."""
        return self.idfs((term,))[term]

    def idfs(self, terms: Iterable[str]) -> dict[str, float]:
        """``idf`` of each of ``terms``, in one pass (a document's terms at once)."""
        seen, counts, log = self.n + IDF_PRIOR_DOCUMENTS, self.df, math.log
        out = {}
        for term in terms:
            df = counts.get(term, 0)
            out[term] = log(1.0 + (seen - df + 0.5) / (df + 0.5))
        return out

    def is_name(self, folded: str) -> bool:
        """Written capitalized mid-sentence by more documents than in lower case."""
        capital_key, lower_key = cased(folded)
        capital = self.df.get(capital_key, 0)
        return capital > 0 and capital > self.df.get(lower_key, 0)

    def snapshot(self) -> dict[str, Any]:
        return {
            "buckets": {str(d): b for d, b in self.buckets.items()},
            "sizes": {str(d): n for d, n in self.sizes.items()},
        }

    @classmethod
    def restore(cls, data: dict[str, Any], days: int) -> DocFreq:
        df = cls(days)
        for day, bucket in data["buckets"].items():
            df.buckets[int(day)] = dict(bucket)
            for term, count in bucket.items():
                df.df[term] = df.df.get(term, 0) + count
        for day, size in data["sizes"].items():
            df.sizes[int(day)] = size
            df.n += size
        df._oldest = min(df.buckets, default=math.inf)
        return df


class DocFreqs:
    """One ``DocFreq`` per language: a document is counted, and its terms weighed, among
    the documents of its own language.

    Common words are stemmed per language (workers/story_text.py), and the clusterer
    compares a report only with stories of its language (its index is per language), so
    the frequency of a Ukrainian stem is a count of Ukrainian reports. Read against one
    count of every language, a briefing of 100 English reports a day beside three
    Ukrainian ones reads every Ukrainian word as rare and draws the weights of common and
    rare words together (docs/design.md, "A document count per language"). Each language
    has its own prior of ``IDF_PRIOR_DOCUMENTS``, so a language's first reports weigh as a
    fresh service's do; an English-only stream reads the one count a single shared count gives.
    """

    def __init__(self, days: int) -> None:
        self.days = days
        self.languages: dict[str, DocFreq] = {}
        self._day = -math.inf  # the stream's latest day, up to which every count expired

    def advance(self, day: int) -> None:
        """Expire every language's days that left the window by the stream's ``day``: a
        language that falls quiet (or a count a version-6 state handed it) keeps no day
        past the window, so memory stays one window and a story of several languages
        reads each of its counts over the same days. A count left empty is dropped."""
        if day <= self._day:
            return
        self._day = day
        for language, count in list(self.languages.items()):
            count.drop_expired(day)
            if not count.buckets:
                del self.languages[language]

    def of(self, language: str) -> DocFreq:
        """The count of ``language``'s documents (empty until its first document)."""
        count = self.languages.get(language)
        if count is None:
            count = self.languages[language] = DocFreq(self.days)
        return count

    def idf_in(self, languages: Iterable[str]) -> IdfMemo:
        """IDF of a story told in ``languages``: each term read in the language of them that
        uses it most (its lowest IDF). A story's centroid holds the terms of each of its
        languages; a Ukrainian stem in a story of English and Ukrainian reports is weighed
        among Ukrainian documents, not as a word the English never wrote."""
        counts = [self.of(language) for language in dict.fromkeys(languages)]
        return IdfMemo(*counts)

    def name_count(self, key: str, languages: Iterable[str]) -> tuple[int, int]:
        """How many of the window's documents in ``languages`` write a word of this name
        key (workers/link_names.py ``name_key``) capitalized mid-sentence, and of how
        many whose name keys were counted (a state saved before name keys were counted
        holds days without them): every declension and spelling of a surname (Путина,
        Путін, Putin) counts once a document."""
        counts = [self.languages[lang] for lang in dict.fromkeys(languages)
                  if lang in self.languages]  # fmt: skip
        marker = NAME_MARK + key
        return (sum(c.df.get(marker, 0) for c in counts),
                sum(c.df.get(NAME_MARK, 0) for c in counts))  # fmt: skip

    def terms(self) -> int:
        """Terms held over every language (what the window's memory grows with)."""
        return sum(len(count.df) for count in self.languages.values())

    def snapshot(self) -> dict[str, Any]:
        return {"languages": {lang: count.snapshot() for lang, count in self.languages.items()}}

    @classmethod
    def restore(cls, data: dict[str, Any], days: int) -> DocFreqs:
        counts = cls(days)
        for language, count in data["languages"].items():
            counts.languages[language] = DocFreq.restore(count, days)
        return counts

    @classmethod
    def inherit(cls, shared: dict[str, Any], languages: Iterable[str], days: int) -> DocFreqs:
        """Counts restored from one ``DocFreq.snapshot`` of every language (what the state
        held before): each of ``languages`` starts from all of it, as it read it then, so
        a restored stage weighs as it did, and each language's own count takes over as the
        shared days leave the window."""
        counts = cls(days)
        for language in languages:
            counts.languages[language] = DocFreq.restore(shared, days)
        return counts


class IdfMemo(dict[str, float]):
    """IDF of any term on demand, memoized while the statistics stand still: read in the
    one count given, or in whichever of several counts gives it the lowest IDF."""

    def __init__(self, *counts: DocFreq) -> None:
        super().__init__()
        self._counts = counts

    def __missing__(self, term: str) -> float:
        counts = self._counts
        if len(counts) == 1:
            value = self[term] = counts[0].idf(term)
        else:
            value = self[term] = min(count.idf(term) for count in counts)
        return value


class FeatureReader:
    """Reads documents into ``DocFeatures``, learning IDF, casing and outlet habits."""

    def __init__(self, config: ClusterConfig, counts: DocFreqs, outlets: OutletMemory) -> None:
        self.config = config
        self.counts = counts
        self.outlets = outlets

    def read(self, doc: ClusterDoc, when: datetime) -> tuple[DocFeatures, Report, IdfMemo]:
        """Features of ``doc`` at stream time ``when``, the report a story would keep of it
        and the IDF after counting it into its language's statistics (valid until the next
        read)."""
        cfg = self.config
        language = doc.language
        day = int(when.timestamp() // 86400)
        counts = self.counts.of(language)
        kind = self.outlets.observe(doc.outlet, doc.title, doc.text, when.timestamp())
        title_words = WORD.findall(clean_title(kind.headline, doc.outlet))
        lead = kind.lead[: cfg.text_max_tokens * 12] if cfg.text_weight > 0 else ""
        lead_words = WORD.findall(lead)[: cfg.text_max_tokens]
        title_informative = not is_title_case(title_words)
        starts = sentence_starts(lead, lead_words)
        title_readings = list(map(read_word, title_words))
        lead_readings = list(map(read_word, lead_words))
        self._learn_casing(
            counts, day, title_readings if title_informative else [], lead_readings, starts
        )

        raw: dict[str, float] = {}
        title: dict[str, None] = {}  # dicts, not sets: word order stays deterministic
        body: set[str] = set()
        events: dict[str, None] = {}
        names: set[str] = set()
        numbers: set[str] = set()
        is_name = counts.is_name
        # Locals in the per-word loop below: the hottest loop of the process stage.
        number_boost, name_boost = cfg.number_boost, cfg.name_boost
        bigram_weight = cfg.bigram_weight
        bigrams = bigram_weight > 0
        raw_get, df_get = raw.get, counts.df.get
        for readings, weight, into in (
            (title_readings, cfg.title_weight, title),
            (lead_readings, cfg.text_weight, None),
        ):
            previous: str | None = None
            for reading in readings:
                word = reading.term
                if word is None:
                    previous = None
                    continue
                if reading.number is not None:
                    term, boost = reading.number, number_boost
                    numbers.add(term)
                elif (capital := df_get(reading.capital_key, 0)) > 0 and capital > df_get(
                    reading.lower_key, 0
                ):  # ``DocFreq.is_name``, its keys read once per word
                    term, boost = word, name_boost
                    names.add(term)
                else:
                    term, boost = stem(language, word), 1.0
                    if into is not None:
                        events[term] = None
                raw[term] = raw_get(term, 0.0) + weight * boost
                body.add(term)
                if into is not None:
                    into[term] = None
                if previous is not None and bigrams:
                    pair = previous + " " + term
                    raw[pair] = raw_get(pair, 0.0) + weight * bigram_weight
                previous = term
        if doc.url and cfg.url_weight > 0:
            for word in url_words(doc.url):
                if word not in STOP and len(word) > 1:
                    term = word if is_name(word) else stem(language, word)
                    raw[term] = raw.get(term, 0.0) + cfg.url_weight
        places = doc.places
        if places is None:
            places = find_places(f"{doc.title}\n{doc.text}")
        for place in places:
            raw["@" + place] = cfg.place_boost * cfg.title_weight
        # Sublinear repeats: a word said five times is not five times the evidence.
        terms = {t: (w if w <= 1.0 else 1.0 + math.log(w)) for t, w in raw.items()}
        counts.add(day, terms)
        # Among the documents whose name keys were counted (``DocFreqs.name_count``).
        counts.add(day, (NAME_MARK,), document=False)
        # After the document's own count moved (its casing markers read the window as it
        # stood before its day, as ``DocFreq.add`` expires last): now every other language.
        self.counts.advance(day)
        features = DocFeatures(terms, places, kind.roundup, kind.series)
        idf = IdfMemo(counts)
        idf.update(counts.idfs(terms))
        vector = {t: w * idf[t] for t, w in terms.items()}
        norm = math.sqrt(sum(w * w for w in vector.values()))
        report = Report.of(
            article_id=doc.id, outlet=doc.outlet, when=when.timestamp(), dated=doc.dated,
            vector={t: w / norm for t, w in vector.items()} if norm else vector,
            title={t: idf[t] for t in title}, events={t: idf[t] for t in events},
            body=frozenset(body), names=frozenset(names), numbers=frozenset(numbers),
            roundup=kind.roundup, series=kind.series,
            daily=doc.dated and is_daily(kind.headline, kind.lead),
            headline=clean_title(doc.title, doc.outlet) if language in cfg.step_languages else "",
        )  # fmt: skip
        return features, report, idf

    @staticmethod
    def _learn_casing(
        counts: DocFreq,
        day: int,
        title_words: list[WordReading],
        lead_words: list[WordReading],
        starts: frozenset[int],
    ) -> None:
        """Count which words this document writes capitalized mid-sentence or in lower case.

        Lower-case uses count only for words already seen capitalized (the others can
        never be names), which keeps the markers to a small share of the vocabulary."""
        markers: set[str] = set()
        seen = counts.df
        for words, skip in ((title_words, _FIRST), (lead_words, starts)):
            for i, reading in enumerate(words):
                if i in skip:
                    continue  # a sentence's first word: its capital is grammar
                if reading.capitalized is None:
                    continue
                if reading.capitalized:
                    markers.add(reading.capital_key)
                    folded = reading.capital_key.removeprefix(CAPITAL_MARK)
                    markers.add(NAME_MARK + name_key(folded))
                elif reading.capital_key in seen:
                    markers.add(reading.lower_key)
        if markers:
            counts.add(day, markers, document=False)
