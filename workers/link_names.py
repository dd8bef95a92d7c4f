"""Names of people, organisations and places two reports in different languages can share
(pure).

A link check's band (workers/link_evidence.py) reads a name both texts write, in one
script or two: Медведчука and Medvedchuk, Кубракова and Kubrakov, Балашихе and Balashikha. A
name tells one development from another only when the check's other candidates do not
write it too (``distinct_shared_names``) and few recent reports do: everyone writes Putin
and Zelensky. The clusterer counts the reports writing each ``name_key`` per language
(workers/story_features.py ``DocFreqs.name_count``) and reads a name only while it is
rare (workers/story_linking.py ``LinkConfig.name_share``).

``name_keys``  the capitalised words of a text that may be names: not the first word of
               a sentence (its capital is grammar), not a sentence written in Title Case
               (an English headline style: its capitals carry no signal; told by every
               longer word capitalised, as a sentence naming people still writes its
               verbs in lower case), not all capitals (acronyms are written otherwise in
               each language: ЗСУ, AFU), not a stop word, a calendar word or a place the
               gazetteer reads (places are evidence of their own, workers/places.py), of
               four letters or more; of several such words in a row only the last (a
               full name's surname: many people share a first name), a row ending at
               a punctuation mark other than a hyphen (a title in apposition after a
               name, "Kyrylo Tymoshenko, Deputy Head", is a row of its own); each as
               its ``name_key``.
``name_key``   a word's Latin skeleton: transliterated as the linker's n-grams are
               (``LATIN``, BGN/PCGN-like and Ukraine's national system for the
               iotated vowels), a Latin letter's diacritics and apostrophes dropped
               (Erdoğan, Orbán, Дем'янчук), the Latin spellings a Cyrillic
               transcription writes by their sound read so (``_LATIN_SPELLINGS``: c,
               ck, sch, cz, tz, ph, th; Macron: Макрон, Merz: Мерц), the spellings the
               romanisations of the three languages differ in folded ("ie"/"e",
               "kh"/"h", "g"/"h", "y"/"i", ...), the sounds a transcription writes
               otherwise (``_TRANSCRIBED_SOUNDS``: Biden: Байден, Witkoff: Уиткофф),
               a doubled letter read once (Assad: Асад; Ассад too),
               cut to its first ``KEY_LETTERS`` letters, where Slavic names keep their
               root and their case endings have not begun (Зеленського, Зеленский and
               Zelensky are "zelen"; Пригожина and Prigozhin "priho"). Not read: a
               vowel English spells otherwise than it says (Vance: Вэнс, Trudeau:
               Трюдо), a Slovak or Czech "c" before a back vowel (Fico: Фицо, read as
               "к"), a final "-ey" (Carney: Карни; Russian writes "-ей" for "-ey" in
               Slavic first names, whose case forms it would split), and Ukrainian's
               "і" where Russian writes "е" or "о" (Білоусов, Белоусов).
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Sequence

from workers.places import find_places
from workers.story_text import STOP, WORD, fold, sentences

# ISO 9 / BGN-like romanization of Ukrainian and Russian letters, close enough for names to
# meet across the two languages and English ("Харків"/"Харьков"/"Kharkiv" -> "kharki"/"kharko");
# the linker's n-grams read words through it too (workers/story_linking.py).
LATIN = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ж": "zh",
    "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n",
    "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "iu", "я": "ia", "ы": "y", "э": "e",
    "ё": "e", "ъ": "",
})  # fmt: skip
# Spellings the romanisations differ in, folded in this order: "shch" before "sh"; an
# English "y" as "i" before the iotated vowels are folded, so that Yermak and Єрмак
# ("iermak"), Gloria and Глория ("hloryia") meet.
_FOLDS = (("shch", "sh"), ("kh", "h"), ("g", "h"), ("ts", "c"), ("w", "v"), ("j", "i"),
          ("y", "i"), ("ii", "i"), ("ie", "e"), ("iu", "u"), ("ia", "a"), ("x", "ks"))  # fmt: skip
# Ukrainian's apostrophe (Дем'янчук: the national romanisation writes none) and a Latin
# name's (O'Brien).
_APOSTROPHES = frozenset("'’ʼ‘")
# Latin spellings a Cyrillic transcription writes by sound, read before the folds (no
# Cyrillic letter transliterates to them, but for "сч", read as "щ" is): Polish "cz" as
# "ч" (Kaczyński: Качиньский); German "sch" as "ш" (Scholz: Шольц); "ck" and a "c"
# before a back vowel, a consonant or at the end as "к" (Macron: Макрон, Lecornu:
# Лекорню), but before e, i, y, where it is also "ц" (Francis: Франциск, Central:
# Центральный), as "ц"'s "c"; "tz" and a German final "z" after a consonant as "ц" (Merz:
# Мерц, Moritz: Мориц); "ph" as "ф", "th" as "т" (Thailand: Таиланд).
# Each with letters every match holds: a word without them is not searched (most words
# hold few of these spellings, and a search costs more than a substring test).
_LATIN_SPELLINGS = tuple(
    (needle, re.compile(pattern), written)
    for needle, pattern, written in (
        ("cz", "cz", "ch"), ("sch", "sch", "sh"), ("ck", "ck", "k"), ("c", "c(?![ehiy])", "k"),
        ("tz", "tz", "ts"), ("z", "(?<=[^aeiouy])z$", "ts"), ("ph", "ph", "f"), ("th", "th", "t"),
    )
)  # fmt: skip
# Sounds a Russian or Ukrainian transcription writes otherwise than the Latin spelling,
# read after the folds: an English "i" said /ai/ in a name's first syllable, which both
# write "ай" (Biden: Байден, Griner: Грайнер; a transliterated "ай" is "ai" there too:
# Zaitsev, Taiwan), and an English "w" beginning a word, which Russian writes "у" before
# a vowel and Ukrainian "в" (Witkoff: Уиткофф, Віткофф). A later syllable's "ai" is left
# as written (Takaichi: Такаити).
_TRANSCRIBED_SOUNDS = tuple(
    (needle, re.compile(pattern), written)
    for needle, pattern, written in (("ai", "^([^aeiou]*)ai", r"\1i"), ("u", "^u(?=[aeio])", "v"))
)
# Then an English "u" as the "a" a Cyrillic transcription writes for it (Trump: Трамп,
# Hunter: Хантер, Musk: Маск), and so every "u" inside a word (Putin and Путин are both
# "patin"); not a last "u", a Slavic case ending (Раду is not Рада).
_INNER_U = re.compile(r"u(?!$)")
# What ends a run of capitalised words between two of them: a punctuation mark other than
# a hyphen (a name's own: Jean-Luc), so that a name followed by its title in apposition
# reads as the name ("Kyrylo Tymoshenko, Deputy Head of the Office": Tymoshenko).
_RUN_BREAK = re.compile(r"[^\s\-\u2010\u2011]")
# A letter written twice in a row, which a Cyrillic transcription often writes once
# (Assad: Асад, Ассад; Mattarella: Маттарелла): read once in every script.
_DOUBLED = re.compile(r"(.)\1")
# Letters of a key: the inflected endings of Slavic names differ, their first five do not
# (the shortest names read, four letters, are their own key).
KEY_LETTERS = 5
_MIN_LETTERS = 4
# The letters a Slavic case ending of a name begins with, as keys write them ("ы", "и",
# "і" all "i").
_ENDING_VOWELS = frozenset("aeiou")
# How much of a text is read: the check compares a headline and a short lead.
READ_CHARS = 400
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# English capitalises the days of the week and the months: calendar words, not names.
_CALENDAR = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february march
    april june july august september october november december""".split()
)  # fmt: skip


@functools.lru_cache(maxsize=1 << 16)
def name_key(word: str) -> str:
    """A word's Latin skeleton (module docstring)."""
    latin = "".join(
        letter
        for letter in unicodedata.normalize("NFKD", word.casefold().translate(LATIN))
        if not unicodedata.combining(letter) and letter not in _APOSTROPHES
    )
    for needle, spelling, written in _LATIN_SPELLINGS:
        if needle in latin:
            latin = spelling.sub(written, latin)
    for spelled, folded in _FOLDS:
        latin = latin.replace(spelled, folded)
    latin = _DOUBLED.sub(r"\1", latin)
    for needle, spelling, written in _TRANSCRIBED_SOUNDS:
        if needle in latin:
            latin = spelling.sub(written, latin)
    return (_INNER_U.sub("a", latin) if "u" in latin else latin)[:KEY_LETTERS]


def name_keys(text: str) -> frozenset[str]:
    """The keys of the words of ``text`` that may be names (module docstring)."""
    keys = set()
    for sentence in sentences(text[:READ_CHARS]):
        matches = list(WORD.finditer(sentence))
        words = [match.group() for match in matches]
        if _title_case(words):
            continue
        last = None
        for before, match in itertools.pairwise(matches):
            if last is not None and _RUN_BREAK.search(sentence, before.end(), match.start()):
                keys.add(name_key(last))
                last = None
            word = match.group()
            folded = fold(word)
            if (word[0].isupper() and not word.isupper() and len(word) >= _MIN_LETTERS
                    and folded not in STOP and folded not in _CALENDAR
                    and not find_places(word)):  # fmt: skip
                last = folded
                continue
            if last is not None:
                keys.add(name_key(last))
            last = None
        if last is not None:
            keys.add(name_key(last))
    return frozenset(keys)


def _title_case(words: list[str]) -> bool:
    """Whether a sentence is written in Title Case, whose capitals say nothing: every word
    that is no stop word capitalised (three or more), in Latin letters (Ukrainian and
    Russian capitalise a headline's first word only). A sentence naming several people
    still writes its verbs in lower case. A word right after a number is not read: Title
    Case leaves a number's compound in lower case ("3-day", "24-hour")."""
    if _CYRILLIC.search(" ".join(words)):
        return False
    content = [
        w
        for before, w in zip(["", *words], words, strict=False)
        if w[0].isalpha() and fold(w) not in STOP and not before[:1].isdigit()
    ]
    return len(content) >= 3 and all(w[0].isupper() for w in content)


def distinct_shared_names(
    text: str, others: Sequence[str], rivals: Sequence[Sequence[str]]
) -> frozenset[str]:
    """The name keys ``text`` and one of ``others`` (a candidate's texts) both write that
    no text of ``rivals`` (the check's other candidates) writes."""
    ours = name_keys(text)
    if not ours:
        return frozenset()
    shared = meeting(ours, frozenset().union(*(name_keys(o) for o in others)))
    for texts in rivals:
        if not shared:
            break
        written = frozenset().union(*(name_keys(t) for t in texts))
        shared = frozenset(key for key in shared if not meeting({key}, written))
    return shared


def key_forms(key: str) -> tuple[str, ...]:
    """The keys a name's reports write under ``key`` (what its share counts): a four-letter
    key's case forms too, the longer keys it meets (``meeting``: Kirk, Кирка, Кирку)."""
    if len(key) != _MIN_LETTERS:
        return (key,)
    return (key, *(key + vowel for vowel in sorted(_ENDING_VOWELS)))


def meeting(ours: frozenset[str] | set[str], theirs: frozenset[str]) -> frozenset[str]:
    """The keys of ``ours`` and ``theirs`` that meet: equal, or a four-letter name's key
    and a longer one it begins with a vowel next (the shorter of the two is returned). A
    short name's case ending enters its five letters (Кирка, Кирку, Кирком: "kirka",
    "kirku", "kirko"; Kirk: "kirk"), a longer name's does not; a Slavic case ending begins
    with a vowel, so a consonant next is another name (John, Johnson: "iohn", "iohns").
    Two four-letter keys meet only when equal (Рада, Раду)."""
    met = set(ours & theirs)
    for short, long in ((a, b) for a in ours for b in theirs if len(a) != len(b)):
        if len(short) > len(long):
            short, long = long, short
        if (len(short) == _MIN_LETTERS and long.startswith(short)
                and long[_MIN_LETTERS] in _ENDING_VOWELS):  # fmt: skip
            met.add(short)
    return frozenset(met)
