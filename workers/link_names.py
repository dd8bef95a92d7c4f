"""Names and counts two reports in different languages can share (pure).

A link check's shared-evidence band (workers/link_evidence.py, ``LinkConfig.place_cosine``)
reads, besides a city or region, two things that cross languages without a dictionary:

``counts``      numbers written in digits that say how many: a toll ("12 killed",
                "12 загиблих"), a count of drones, a brigade. Years, 1 and 2 (one of two
                reports says "two" in words) and a day beside a month's name ("15
                ноября", "March 20": the date, which versions share with the next day's
                reports of a place only by chance) are left out.
``name_keys``   capitalised words as a Latin skeleton: transliterated as the linker's
                n-grams are (workers/story_linking.py), the spellings the three
                languages' romanisations differ in folded ("ie"/"e", "kh"/"h", "g"/"h",
                "y"/"i", ...), cut to their first letters, so Вадатурський, Вадатурский
                and Vadatursky are all "vadat", Бєлоусов, Белоусов and Belousov "belou".
                Which keys are rare enough to count is the linker's to say: it counts
                the reports naming each (``Linker.rare_names``), as Zelensky, Putin and
                the war's countries name most of a war's reports and tell nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# How much of a text is read: the check compares a headline and a short lead.
READ_CHARS = 400
# Month names (English, Ukrainian and Russian genitive, English abbreviations): a number
# beside one is a day of a month.
_MONTHS = tuple(
    """january february march april may june july august september october november december
    січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня
    января февраля марта апреля мая июня июля августа сентября октября ноября декабря
    jan feb mar apr jun jul aug sep sept oct nov dec""".split()
)  # fmt: skip
_YEARS = range(1900, 2100)
_WORD = re.compile(r"\d+|[^\W\d_]+")
# A capitalised word of four letters or more (names; English headlines capitalise every
# word, and the rarity count leaves out the common ones).
_CAPITALISED = re.compile(r"(?<!\w)[A-ZА-ЯІЇЄҐЁ][^\W\d_]{3,}")
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
# Spellings romanisations differ in, folded in this order ("shch" before "sh").
_FOLDS = (("shch", "sh"), ("ie", "e"), ("iu", "u"), ("ia", "a"), ("kh", "h"), ("g", "h"),
          ("ts", "c"), ("yi", "i"), ("ii", "i"), ("y", "i"), ("w", "v"), ("j", "i"),
          ("x", "ks"))  # fmt: skip
_KEY_LETTERS = 5  # inflected endings differ, the start of a name does not


def counts(text: str) -> frozenset[int]:
    """The specific numbers ``text`` writes in digits (module docstring)."""
    words = _WORD.findall(text[:READ_CHARS].casefold())
    found = set()
    for at, word in enumerate(words):
        if not word.isdigit():
            continue
        beside = words[max(0, at - 1) : at] + words[at + 1 : at + 2]
        if any(w.startswith(_MONTHS) for w in beside):
            continue
        n = int(word)
        if n > 2 and n not in _YEARS:
            found.add(n)
    return frozenset(found)


def name_key(word: str) -> str:
    """A word's Latin skeleton (module docstring)."""
    latin = word.casefold().translate(LATIN)
    for spelled, folded in _FOLDS:
        latin = latin.replace(spelled, folded)
    return latin[:_KEY_LETTERS]


def name_keys(text: str) -> frozenset[str]:
    """The skeletons of the capitalised words of ``text``."""
    return frozenset(name_key(w) for w in _CAPITALISED.findall(text[:READ_CHARS]))


def share_a_count(text: str, others: Iterable[str]) -> bool:
    """Whether ``text`` writes a specific number (``counts``) one of ``others`` writes."""
    ours = counts(text)
    return bool(ours) and any(not ours.isdisjoint(counts(o)) for o in others)
