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

Only languages written in one script are read (Latin or Cyrillic); any other language, or
a text with no letters of either, is taken as written in its language.
"""

from __future__ import annotations

LATIN_LANGUAGES = frozenset("en de fr es it pt nl pl cs sk ro hu tr sv da no fi".split())
CYRILLIC_LANGUAGES = frozenset("ru uk be bg mk".split())


def written_in(language: str, text: str) -> bool:
    """Whether ``text`` may be written in ``language``: False only when the language is
    written in Latin or in Cyrillic letters and most of the text's letters of those two
    scripts are of the other one."""
    latin = cyrillic = 0
    for ch in text:
        if "a" <= ch.lower() <= "z":
            latin += 1
        elif "\u0400" <= ch <= "\u04ff":
            cyrillic += 1
    if language in LATIN_LANGUAGES:
        return cyrillic <= latin
    if language in CYRILLIC_LANGUAGES:
        return latin <= cyrillic
    return True
