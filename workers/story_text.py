"""Headlines and leads as the story clusterer reads them: words, stems, headline styles (pure).

* ``clean_title`` drops what says nothing about the development: wire prefixes
  ("UPDATE 2-", "RPT-"), media tags ("(VIDEO)"), a truncated last word before "...", and
  a trailing outlet name ("- Reuters").
* ``stem`` is Snowball per language, memoized. Snowball has no Ukrainian nor Belarusian
  stemmer: Ukrainian has its own light one (workers/ukrainian_stem.py); Russian's endings
  stand in for Belarusian's.
* ``is_title_case``: most headline words capitalized ("Fed Holds Rates Steady"), so the
  capitals there say nothing about names.
* ``sentence_starts``: which words open a sentence (their capital is grammar).
* ``url_words``: the longest hyphenated slug of a URL path ("/2014/03/emma-watson-noah-
  trailer.html"), which often keeps words a headline editor shortened away.
* ``title_template``: a headline with its digits, weekdays and months masked, so one
  outlet's recurring item ("Your Daily Horoscope for Monday, May 4") is recognizable.
"""

from __future__ import annotations

import functools
import re
from typing import Any, NamedTuple

import snowballstemmer

from workers.stop_words import RUSSIAN, UKRAINIAN
from workers.text import one_apostrophe
from workers.ukrainian_stem import ukrainian_stem

_STEMMERS = {
    "en": "english", "de": "german", "fr": "french", "es": "spanish", "it": "italian",
    "pt": "portuguese", "nl": "dutch", "ru": "russian", "pl": "polish", "sv": "swedish",
    "da": "danish", "no": "norwegian", "fi": "finnish", "tr": "turkish", "ro": "romanian",
    "hu": "hungarian", "cs": "czech", "el": "greek", "ar": "arabic",
}  # fmt: skip
_STEMMER_FALLBACK = {"be": "russian"}

_STOP_MANY_LANGUAGES = frozenset(
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
# Ukrainian and Russian inflect their function words: their lists are workers/stop_words.py.
STOP = _STOP_MANY_LANGUAGES | UKRAINIAN | RUSSIAN

_WIRE_PREFIX = re.compile(
    r"^\s*(?:(?:UPDATE|WRAPUP|REFILE|CORRECTED|RPT|REPEAT|EXCLUSIVE|BREAKING|INSTANT VIEW)"
    r"(?:\s*\d+)?\s*[-:]\s*)+",
    re.IGNORECASE,
)
_BRACKETED = re.compile(r"[\[(](?:video|photos?|watch|pictures|trailer|live|update[sd]?|"
                        r"poll|graphic|text|\d+)[\])]", re.IGNORECASE)  # fmt: skip
_ELLIPSES = ("...", "…")
# The separator's first run of spaces starts only where a run starts and is possessive, so a
# long run of spaces is scanned once, not once per position in it.
_TRAILING_OUTLET = re.compile(r"(?<!\s)\s++[-|–—]\s+[^-|–—]{2,40}$")
# A number keeps its thousands separators and decimals ("10,633", "3.5"); a word its
# apostrophes and dots ("it's", "U.S.").
WORD = re.compile(r"\d+(?:[.,]\d+)+|[^\W_]+(?:['’.][^\W_]+)*")
_DIGIT = re.compile(r"\d")
_SENTENCE_END = re.compile(r"[.!?]\s")
# A slug starts where a run of letters and digits does, and its runs are possessive: a
# hostile URL of one 100,000-character run otherwise costs quadratic backtracking
# (minutes on the process stage's event loop).
_SLUG = re.compile(r"(?<![a-z0-9])[a-z0-9]++(?:-[a-z0-9]++){2,}")
_TEMPLATE_MASK = re.compile(
    r"\d+|\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february"
    r"|march|april|may|june|july|august|september|october|november|december)\b"
)


def clean_title(title: str, outlet: str = "") -> str:
    """Drop wire prefixes, media tags, a truncated last word and a trailing outlet name."""
    title = _WIRE_PREFIX.sub("", title)
    title = _BRACKETED.sub(" ", title)
    title = _without_truncated_word(title)
    match = _TRAILING_OUTLET.search(title)
    if match and outlet and outlet.casefold() in match.group().casefold():
        title = title[: match.start()]
    return title.strip()


def _without_truncated_word(title: str) -> str:
    """Drop a closing ellipsis and the word it cut ("Keith Richards Writes Book With ...").

    Plain string work rather than a regex: a pattern of optional spaces around an optional
    word backtracks cubically on a long run of spaces."""
    body = title.rstrip()
    for ellipsis in _ELLIPSES:
        if body.endswith(ellipsis):
            body = body[: -len(ellipsis)].rstrip()
            cut = len(body)
            while cut and not body[cut - 1].isspace():
                cut -= 1
            return body[:cut].rstrip()
    return title


# Memo size for the per-word helpers below: the same words recur all day (a few days of
# one English stream hold about 32,000 distinct words), and the bound keeps a long-running
# worker's memory flat, about 10 MiB per helper (results do not depend on the memo).
_WORD_MEMO = 1 << 16
# The document frequencies count a word's casing under these marks before the folded word
# (workers/story_features.py): written capitalized mid-sentence, or in lower case; and
# before a capitalized word's name key (workers/link_names.py ``name_key``).
CAPITAL_MARK = "^"
LOWER_MARK = "_"
NAME_MARK = "~"


def _fold(word: str) -> str:
    return one_apostrophe(word.casefold()).removesuffix("'s").replace(".", "")


@functools.lru_cache(maxsize=_WORD_MEMO)
def fold(word: str) -> str:
    """A word as compared: casefolded, one apostrophe, no possessive, no dots."""
    return _fold(word)


@functools.lru_cache(maxsize=_WORD_MEMO)
def term_word(word: str) -> tuple[str, bool] | None:
    """``word`` folded and whether it holds a digit, or None when it says nothing (a stop
    word, or a single character that is not a digit)."""
    return _term_shape(fold(word))


def _term_shape(folded: str) -> tuple[str, bool] | None:
    if not folded or folded in STOP or (len(folded) < 2 and not folded.isdigit()):
        return None
    return folded, _DIGIT.search(folded) is not None


class WordReading(NamedTuple):
    """What the clusterer reads in one written word, all at once: ``term_word`` and
    ``casing_word`` of it, and the keys its casing is counted under (``cased``). A named
    tuple: one is built for every new word a document brings, and a frozen dataclass's
    ``__init__`` (an ``object.__setattr__`` call per field) costs several times more."""

    term: str | None  # ``term_word``'s folded word: None when it says nothing
    number: str | None  # ``#`` and the digits without separators, for a word with a digit
    capitalized: bool | None  # ``casing_word``'s flag: None when its casing says nothing
    capital_key: str  # the folded word's key for being written capitalized mid-sentence
    lower_key: str  # and in lower case


@functools.lru_cache(maxsize=_WORD_MEMO)
def read_word(word: str) -> WordReading:
    """``term_word`` and ``casing_word`` of ``word`` in one memo look-up (the clusterer asks
    both of every word of a headline and lead), with the keys ``cased`` names."""
    folded = _fold(word)
    shape = _term_shape(folded)
    casing = _casing(word, folded)
    capital, lower = cased(folded)
    term = None if shape is None else folded
    number = "#" + folded.replace(",", "") if shape is not None and shape[1] else None
    capitalized = None if casing is None else casing[1]
    # Positional: a named tuple's ``__new__`` binds keywords in Python, once per new word.
    return WordReading(term, number, capitalized, capital, lower)


def cased(folded: str) -> tuple[str, str]:
    """The keys under which documents writing ``folded`` capitalized mid-sentence, and in
    lower case, are counted (the document frequencies' casing markers)."""
    return CAPITAL_MARK + folded, LOWER_MARK + folded


@functools.lru_cache(maxsize=_WORD_MEMO)
def casing_word(word: str) -> tuple[str, bool] | None:
    """``word`` folded and whether it is capitalized, or None when its casing says nothing
    about a name: not a word, all capitals (emphasis, acronyms) or a stop word."""
    return _casing(word, fold(word))


def _casing(word: str, folded: str) -> tuple[str, bool] | None:
    if not word[0].isalpha() or word.isupper() or folded in STOP:
        return None
    return folded, word[0].isupper()


@functools.cache
def _stemmer(algorithm: str) -> Any:
    stemmer = snowballstemmer.stemmer(algorithm)
    if hasattr(stemmer, "maxCacheSize"):
        # PyStemmer's C stemmer keeps a memo of its own, whose upkeep costs more than the
        # stemming (about 0.6 of 0.9 us per new word); ``stem`` is memoized already.
        stemmer.maxCacheSize = 0
    return stemmer


@functools.lru_cache(maxsize=2 * _WORD_MEMO)
def stem(language: str, word: str) -> str:
    """Snowball's stem of ``word`` in ``language``, Ukrainian's own (workers/ukrainian_stem.py),
    or the word itself when none applies."""
    if word[0].isdigit():
        return word
    if language == "uk":
        return ukrainian_stem(word)
    algorithm = _STEMMERS.get(language) or _STEMMER_FALLBACK.get(language)
    if algorithm is None:
        return word
    return str(_stemmer(algorithm).stemWord(word))


def is_title_case(words: list[str]) -> bool:
    """True when most words are capitalized (a headline style: capitals carry no signal)."""
    alpha = [w for w in words if w[0].isalpha() and w.casefold() not in STOP]
    return bool(alpha) and sum(w[0].isupper() for w in alpha) >= 0.6 * len(alpha)


def sentence_starts(text: str, words: list[str]) -> frozenset[int]:
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


def url_words(url: str) -> list[str]:
    """Words of the URL path's longest hyphenated slug, if there is one."""
    path = url.split("://", 1)[-1].split("?", 1)[0].lower()
    slugs = _SLUG.findall(path)
    if not slugs:
        return []
    slug = max(slugs, key=len)
    return [w for w in slug.split("-") if w.isalpha()]


def title_template(title: str) -> str:
    """The headline with digits, weekdays and months masked, spaces folded, casefolded."""
    return " ".join(_TEMPLATE_MASK.sub("#", title.casefold()).split())


def sentences(text: str) -> list[str]:
    """The text cut after each sentence end (a rough cut is enough for boilerplate)."""
    out, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        out.append(text[start : match.end()].strip())
        start = match.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


def first_sentence(text: str) -> str:
    """``sentences(text)``'s first ("" for none), without cutting the rest."""
    end = _SENTENCE_END.search(text)
    return text[: end.end()].strip() if end else text.strip()
