"""Near-duplicate detection: one article, several copies (pure; no clock, no I/O).

Exact duplicates (same GUID, same canonical URL) are caught earlier by identity
keys (workers/entry_identity.py). This module catches the copies identity misses: the
same wire text republished by another outlet, an AMP or mobile URL of the same
page, a headline edited by a few words, a footer of boilerplate added.

    doc ──► normalize (casefold, NFKC, punctuation out) ──► three rules, in order:
      1. exact:   same normalized title + text (a short one only
                  within ``EXACT_SHORT_WINDOW`` of the original)     -> copy
      2. url:     same URL skeleton (AMP/mobile markers removed)
                  and headlines that share ``URL_TITLE_OVERLAP``
                  and the numbers guard                               -> copy
      3. near:    both long enough (``MIN_WORDS``), MinHash of word
                  ``SHINGLE``-grams with estimated Jaccard >= ``JACCARD``,
                  found through LSH (no scan), and the numbers guard -> copy

Every rule refuses when in doubt ("in the face of ambiguity, refuse to guess",
as reader's entry_dedupe puts it): two articles wrongly merged hide a development
from readers, two copies wrongly kept apart only cost a second line in a story.

* ``EXACT_SHORT_WINDOW``: a short item repeated word for word days apart is an outlet's
  recurring item ("The best of the world in pictures" / "The best photos from the
  international wire agencies ..." under a new URL every day), not a copy; wire copies
  reach other outlets within hours.
* ``MIN_WORDS``: below it only rule 1 applies. A headline plus a one-line summary
  is exactly what two *different* updates on the same topic look like ("Strike on
  Kharkiv kills 3" / "Strike on Kharkiv kills 5"), and a few shingles give MinHash
  no statistical footing.
* ``JACCARD`` 0.6: a 3-word shingle dies with every edited word, so ten edits in
  a 150-word text already cost ~20 % of the shingles, and a footer of 25 % more
  words costs as much again; unrelated texts on one topic stay below 0.2.
* Numbers guard: the numbers of the shorter text must all appear in the longer
  one. Updates change counts, times and scores while most sentences stay the same
  ("death toll rises to 25"); boilerplate may add a year or a phone number.
* Time is the article's (stream time, passed in: ``add(doc, when)``, ``find(doc, when)``).
  Eviction drops what was added more than ``window`` before the latest time given: copies
  arrive within hours, so a window of days bounds memory without missing them.

Signature: the low 32 bits of each of the ``NUM_PERM`` 64-bit MinHash values ("b-bit
minwise hashing", Li & König, WWW 2010, with b = 32). Two sets whose minima are the same
shingle agree on every bit; otherwise two (near-)uniform 64-bit values agree on their low
32 bits with probability 2^-32. So the estimated Jaccard becomes J + (1 - J) * 2^-32 in
expectation, a bias of under 2.4e-10 against the estimator's own spread of
sqrt(J(1 - J) / 128) ~ 0.043 at J = 0.6; an LSH band of r rows collides spuriously with
probability ~2^-32r. Over a window of 100,000 articles a probe meets about
100,000 * 128 * 2^-32 = 0.003 spurious equal rows in all, and one row moves an estimate by
1/128, so no decision can move in practice (bench/near_signature.py checked every decision
on ../shared/data and ../shared/feeds: docs/benchmarks.md). Half the bytes of 64-bit
values: in the clustering snapshot (docs/design.md, "32-bit MinHash values") and in the
process.

Persistence: ``snapshot()`` gives JSON-able data (MinHash values included), and
``NearDuplicateIndex.restore(snapshot)`` rebuilds the LSH index from it. Replaying
the window's documents through ``add`` rebuilds the same state too.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import re
import unicodedata
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

import numpy as np

from workers.lsh_bands import BandIndex
from workers.text import one_apostrophe

SHINGLE = 3  # words per shingle: long enough that topic words alone do not match
NUM_PERM = 128  # MinHash permutations: estimated Jaccard within ~0.04 (1 sigma)
JACCARD = 0.6  # estimated Jaccard of shingle sets from which two texts are copies
LSH_THRESHOLD = 0.5  # LSH recall threshold, below JACCARD so candidates are not lost
MIN_WORDS = 40  # below this many words only an exact normalized match is a copy
URL_TITLE_OVERLAP = 0.5  # share of headline words two same-page copies must share
WINDOW = timedelta(days=3)  # how long an article stays findable
EXACT_SHORT_WINDOW = timedelta(hours=6)  # a short exact repeat further apart is a new item
SNAPSHOT_VERSION = 3  # entries with 32-bit signature values, and the clock
_SEED = 1  # fixed: fingerprints must be equal across processes and restarts
_SCHEME = "affine64"  # named: the permutations minhash_values applies (modulo 2^64)
# A SHA-1 digest as ``minhash_values`` reads it: its first 8 bytes, little-endian, then 12 more.
_DIGEST = np.dtype([("head", "<u8"), ("rest", "V12")])
# LSH bands and rows per band: datasketch's ``MinHashLSH(threshold=LSH_THRESHOLD,
# num_perm=NUM_PERM)`` optimum (equal weights on false positives and negatives), which
# tests/workers/test_dedupe.py checks; workers/lsh_bands.py bands the stored signatures as
# its MinHashLSH would. Written out: datasketch computes it with scipy's integrator, and
# importing the two costs a process worker's start about 0.3 s of CPU.
_BANDS, _ROWS = 25, 5


def _affine64_permutations(num_perm: int, seed: int) -> np.ndarray:
    """The (a, b) rows datasketch's ``MinHash(num_perm, seed, scheme="affine64")`` draws
    (its ``_init_permutations``): ``a`` odd, so that ``a * h + b`` modulo 2^64 is a
    bijection. The tests compare the MinHash values with datasketch's."""
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 63, num_perm, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    b = gen.randint(0, 1 << 64, num_perm, dtype=np.uint64)
    return np.array([a, b])


# The permutations follow from the seed alone: computed once, not per MinHash (datasketch
# draws them anew in every constructor, most of the cost of a short document).
_PERMUTATIONS = _affine64_permutations(NUM_PERM, _SEED)

# Each opens with one character ("x" then "x*": the same matches as "x+"): a pattern whose
# first item is a character class lets ``re`` skip in C to the next character that can start
# a match, where one opening with a repeat is tried at every position.
_WORD = re.compile(r"[^\W_][^\W_]*(?:['’][^\W_]+)?")
_NUMBER = re.compile(r"\d\d*(?:[.,:]\d+)*")
# AMP and mobile spellings of one page (AMP project URL conventions, m./mobile. hosts).
_AMP_HOST = re.compile(r"^(?:amp|m|mobile|www)\.")
_AMP_PATH = re.compile(r"(?:/amp(?=/|$)|[.-]amp(?=\.html?$|/|$)|\.amp$|/amp\.html$)")
_AMP_QUERY = re.compile(r"(?:^|&)(?:amp|outputType=amp|output=amp)(?:=[^&]*)?")


class DedupeDoc(Protocol):
    """What the index reads from an article (``service.models.Article`` fits)."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def url(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Match:
    """Why ``doc`` is a copy of ``article_id``: rule "exact", "url" or "near"."""

    article_id: str
    rule: str
    similarity: float


def words(text: str) -> list[str]:
    """Normalized words: NFKC, casefolded, one apostrophe, punctuation dropped ("U.S." ->
    "u", "s")."""
    if not unicodedata.is_normalized("NFKC", text):  # most texts are: a check, not a copy
        text = unicodedata.normalize("NFKC", text)
    return _WORD.findall(one_apostrophe(text.casefold()))


def url_skeleton(url: str) -> str:
    """The URL with scheme, AMP/mobile markers, query and fragment removed ("" if none).

    ``https://m.example.com/news/amp/story-1?amp=1`` and
    ``https://www.example.com/news/story-1`` share ``example.com/news/story-1``.
    """
    if "://" not in url:
        return ""
    rest = url.split("://", 1)[1].split("#", 1)[0]
    host, _, path_query = rest.partition("/")
    path, _, query = path_query.partition("?")
    host = _AMP_HOST.sub("", host.lower())
    path = _AMP_PATH.sub("", "/" + path).rstrip("/")
    kept = "&".join(p for p in query.split("&") if p and not _AMP_QUERY.fullmatch(p))
    if not kept and not any(len(seg) >= 8 or any(c.isdigit() for c in seg)
                            for seg in path.split("/")):  # fmt: skip
        return ""  # a home page or a section ("/news") is no one article
    return f"{host}{path}" + (f"?{kept}" if kept else "")


def _numbers(text: str) -> frozenset[str]:
    """Numbers as written in the raw text ("1,000" and "3.5" stay whole; "1,000" == "1000")."""
    return frozenset(n.replace(",", "") for n in _NUMBER.findall(text))


@dataclass(slots=True)
class _Entry:
    added: datetime
    exact: str
    skeleton: str
    title_words: frozenset[str]
    numbers: frozenset[str]
    n_words: int
    hashvalues: bytes | None  # signature: low 32 bits of each value, "<u4"; None if short


class NearDuplicateIndex:
    """Articles of the last ``window``, findable by their copies.

    ``find(doc)`` says which earlier article ``doc`` copies (or None); ``add(doc,
    now)`` makes ``doc`` findable and evicts what is older than ``now - window``.
    Add originals only: a copy's text is, by definition, already represented.
    """

    def __init__(self, window: timedelta = WINDOW) -> None:
        self.window = window
        self._entries: OrderedDict[str, _Entry] = OrderedDict()  # in add order
        self._exact: dict[str, str] = {}
        self._skeleton: dict[str, str] = {}
        self._bands = BandIndex(_BANDS, _ROWS)
        self._clock: datetime | None = None  # the latest article time added
        # The last probe's fingerprints: ``add`` after ``find`` of one document (the story
        # stage's order) computes them once.
        self._probe: tuple[DedupeDoc, _Entry] | None = None

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._entries

    # -- queries ------------------------------------------------------------

    def find(self, doc: DedupeDoc, when: datetime | None = None) -> str | None:
        """The id of the article ``doc`` (of time ``when``) is a copy of, or None.

        Without ``when``, a short exact repeat counts as a copy however far apart."""
        match = self.match(doc, when)
        return None if match is None else match.article_id

    def match(self, doc: DedupeDoc, when: datetime | None = None) -> Match | None:
        """Like ``find``, with the rule that decided and its similarity."""
        probe = self._entry(doc, datetime.min)
        self._probe = (doc, probe)
        original = self._exact.get(probe.exact)
        if original is not None and original != doc.id:
            entry = self._entries[original]
            recurring = (
                when is not None
                and probe.n_words < MIN_WORDS
                and abs(when - entry.added) > EXACT_SHORT_WINDOW
            )
            if not recurring:
                return Match(original, "exact", 1.0)
        original = self._skeleton.get(probe.skeleton) if probe.skeleton else None
        if original is not None and original != doc.id:
            entry = self._entries[original]
            overlap = _overlap(probe.title_words, entry.title_words)
            if overlap >= URL_TITLE_OVERLAP and _numbers_agree(probe, entry):
                return Match(original, "url", overlap)
        if probe.hashvalues is None:
            return None
        best: Match | None = None
        for key in sorted(self._bands.query(probe.hashvalues)):  # sorted: deterministic ties
            if key == doc.id:
                continue
            entry = self._entries[key]
            assert entry.hashvalues is not None
            similarity = _jaccard(probe.hashvalues, entry.hashvalues)
            if similarity < JACCARD or not _numbers_agree(probe, entry):
                continue
            if best is None or similarity > best.similarity:
                best = Match(key, "near", similarity)
        return best

    # -- updates ------------------------------------------------------------

    def add(self, doc: DedupeDoc, when: datetime) -> None:
        """Make ``doc`` (of time ``when``) findable; first evicts everything added before
        the latest time given minus ``window``.

        Adding an id already present changes nothing (replays are harmless).
        """
        self._advance(when)
        if doc.id in self._entries:
            return
        if self._probe is not None and _same_text(self._probe[0], doc):
            entry = dataclasses.replace(self._probe[1], added=when)
        else:
            entry = self._entry(doc, when)
        self._probe = None
        self._insert(doc.id, entry)

    def _advance(self, when: datetime) -> None:
        self._clock = when if self._clock is None else max(self._clock, when)
        self.evict(self._clock)

    def evict(self, now: datetime) -> int:
        """Forget articles added before ``now - window`` (from the oldest added on, while
        they are that old); returns how many."""
        horizon = now - self.window
        gone = 0
        while self._entries:
            article_id, entry = next(iter(self._entries.items()))
            if entry.added >= horizon:
                break
            self._remove(article_id)
            gone += 1
        return gone

    # -- persistence ----------------------------------------------------------

    def snapshot(self) -> dict[str, Any]:
        """JSON-able state: the entries in add order, fingerprints included."""
        return {
            "version": SNAPSHOT_VERSION,
            "window_seconds": self.window.total_seconds(),
            "clock": None if self._clock is None else self._clock.isoformat(),
            "entries": [
                [aid, e.added.isoformat(), e.exact, e.skeleton, sorted(e.title_words),
                 sorted(e.numbers), e.n_words,
                 None if e.hashvalues is None else base64.b64encode(e.hashvalues).decode()]
                for aid, e in self._entries.items()
            ],
        }  # fmt: skip

    @classmethod
    def restore(cls, snapshot: dict[str, Any]) -> NearDuplicateIndex:
        version = snapshot.get("version")
        if version != SNAPSHOT_VERSION:
            raise ValueError(f"unsupported dedupe snapshot version {version!r}")
        index = cls(timedelta(seconds=snapshot["window_seconds"]))
        clock = snapshot["clock"]
        index._clock = None if clock is None else datetime.fromisoformat(clock)
        for aid, added, exact, skeleton, title_words, numbers, n_words, hv in snapshot["entries"]:
            values = None if hv is None else base64.b64decode(hv)
            entry = _Entry(datetime.fromisoformat(added), exact, skeleton, frozenset(title_words),
                           frozenset(numbers), n_words, values)  # fmt: skip
            index._insert(aid, entry)
        return index

    # -- internals ------------------------------------------------------------

    def _entry(self, doc: DedupeDoc, added: datetime) -> _Entry:
        title_words = words(doc.title)
        body_words = words(doc.text)
        all_words = title_words + body_words
        exact = hashlib.sha1(" ".join(all_words).encode()).hexdigest()
        hashvalues = None
        if len(all_words) >= MIN_WORDS:
            # Every run of SHINGLE consecutive words: the list shifted by 0..SHINGLE-1, cut
            # to the shortest (the last run ends at the last word).
            runs = zip(*(all_words[k:] for k in range(SHINGLE)), strict=False)
            shingles = set(map(str.encode, map(" ".join, runs)))
            hashvalues = _low32(minhash_values(shingles))
        return _Entry(
            added=added,
            exact=exact,
            skeleton=url_skeleton(doc.url),
            title_words=frozenset(title_words),
            numbers=_numbers(f"{doc.title}\n{doc.text}"),
            n_words=len(all_words),
            hashvalues=hashvalues,
        )

    def _insert(self, article_id: str, entry: _Entry) -> None:
        self._entries[article_id] = entry
        self._exact.setdefault(entry.exact, article_id)
        if entry.skeleton:
            self._skeleton.setdefault(entry.skeleton, article_id)
        if entry.hashvalues is not None:
            self._bands.insert(article_id, entry.hashvalues)

    def _remove(self, article_id: str) -> None:
        entry = self._entries.pop(article_id)
        if self._exact.get(entry.exact) == article_id:
            del self._exact[entry.exact]
        if entry.skeleton and self._skeleton.get(entry.skeleton) == article_id:
            del self._skeleton[entry.skeleton]
        if entry.hashvalues is not None:
            self._bands.remove(article_id, entry.hashvalues)


def minhash_values(shingles: Iterable[bytes]) -> np.ndarray:
    """datasketch's 64-bit MinHash values (``_SCHEME``, ``_SEED``, ``NUM_PERM``) of a set of
    shingles, computed as its ``update_batch`` does in one pass of numpy: SHA-1's first 8
    bytes as a little-endian integer (``sha1_hash64``), MurmurHash3's 64-bit finalizer, the
    affine permutations ``a * h + b`` modulo 2^64, the minimum per permutation. Without
    its per-value Python call, ``struct.unpack`` and array conversion, which were most of
    a document's cost here. The order of the shingles does not matter (a minimum)."""
    sha1 = hashlib.sha1
    digests = b"".join([sha1(shingle).digest() for shingle in shingles])
    if not digests:
        return np.full(NUM_PERM, np.uint64(0xFFFF_FFFF_FFFF_FFFF), dtype=np.uint64)
    # Each whole 20-byte digest joined, its first 8 bytes read through a record view (a
    # slice per shingle would build a bytes object each).
    hv = np.frombuffer(digests, dtype=_DIGEST)["head"].astype(np.uint64).reshape(-1, 1)
    hv ^= hv >> np.uint64(33)
    hv *= np.uint64(0xFF51_AFD7_ED55_8CCD)
    hv ^= hv >> np.uint64(33)
    hv *= np.uint64(0xC4CE_B9FE_1A85_EC53)
    hv ^= hv >> np.uint64(33)
    a, b = _PERMUTATIONS
    permuted = hv * a
    permuted += b  # in place: one (shingles x NUM_PERM) array, not two
    return np.minimum.reduce(permuted, axis=0)  # ndarray.min's own Python wrapper skipped


def _low32(values: np.ndarray) -> bytes:
    """The signature: each 64-bit MinHash value's low 32 bits, as little-endian uint32."""
    return values.astype("<u8").view("<u4")[::2].tobytes()  # little-endian: low half first


def _same_text(a: DedupeDoc, b: DedupeDoc) -> bool:
    return a is b or (a.id, a.title, a.text, a.url) == (b.id, b.title, b.text, b.url)


def _jaccard(a: bytes, b: bytes) -> float:
    """MinHash's Jaccard estimate: the share of equal signature values."""
    equal = np.count_nonzero(np.frombuffer(a, dtype="<u4") == np.frombuffer(b, dtype="<u4"))
    return float(equal) / NUM_PERM


def _overlap(a: frozenset[str], b: frozenset[str]) -> float:
    """Share of the smaller headline's words found in the other one."""
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def _numbers_agree(a: _Entry, b: _Entry) -> bool:
    shorter, longer = (a, b) if a.n_words <= b.n_words else (b, a)
    return shorter.numbers <= longer.numbers
