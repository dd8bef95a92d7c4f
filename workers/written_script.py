"""Whether a report is written in the script of the language it is read as (pure).

A report's language is the one its entry, its outlet's configuration or its feed declares
(workers/normalize.py); detection runs only when none does. A feed declares one language
for every item, and an outlet that publishes in two puts its translations in the same
feed: an investigations outlet's Russian feed carries its English teasers ("Succession.
The Secret Lives of Vladimir Putin's Sons", declared ``ru``). Linked across languages, such
a report meets the reports of its real language as another language's: the n-grams share
its whole words ("Vladimir", "Putin") and the embedding compares two English texts, which
score as versions do on a shared topic (0.858 against "Russia claims Putin survived
assassination attempt by Ukraine"). A text whose letters are mostly of another script than
its language's is not written in that language, whatever else it is (``written_in``); the
clusterer keeps such a report out of linking (``Clusterer.add``).

The letters counted are those of the text's lower-case words where it has any: names,
brands and acronyms are written in their own script in any language ("Bloomberg: Apple
представила iPhone 16 Pro", "The Washington Post: Байден дозволив ATACMS"), and a
headline alone (a feed without summaries) can hold more of their letters than of its own
words'; a language's common words are written in lower case, a name capitalised. A text in
title case, with no lower-case word, is read by all its letters.

Only languages written in one script are read (Latin or Cyrillic); any other language, or
a text with no letters of either, is taken as written in its language.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

LATIN_LANGUAGES = frozenset("en de fr es it pt nl pl cs sk ro hu tr sv da no fi".split())
CYRILLIC_LANGUAGES = frozenset("ru uk be bg mk".split())
_WORD = re.compile(r"[^\W\d_]+")


def written_in(language: str, text: str) -> bool:
    """Whether ``text`` may be written in ``language``: False only when the language is
    written in Latin or in Cyrillic letters and most of the letters of those two scripts
    in the text's lower-case words (in all its words, where none is lower case) are of
    the other one."""
    if language not in LATIN_LANGUAGES and language not in CYRILLIC_LANGUAGES:
        return True
    words = _WORD.findall(text)
    latin, cyrillic = _letters(w for w in words if w.islower())
    if not latin and not cyrillic:
        latin, cyrillic = _letters(words)
    if language in LATIN_LANGUAGES:
        return cyrillic <= latin
    return latin <= cyrillic


def _letters(words: Iterable[str]) -> tuple[int, int]:
    """(Latin letters, Cyrillic letters) of ``words``."""
    latin = cyrillic = 0
    for word in words:
        for ch in word:
            if "a" <= ch.lower() <= "z":
                latin += 1
            elif "\u0400" <= ch <= "\u04ff":
                cyrillic += 1
    return latin, cyrillic
