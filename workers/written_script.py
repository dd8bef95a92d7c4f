"""Which script a text is written in, and whether that is its language's script (pure).

A report's language is the one its entry, its outlet's configuration or its feed declares
(workers/normalize.py). A feed declares one language for every item, and an outlet that
publishes in two puts its translations in the same feed: an investigations outlet's
Russian feed carries its English teasers ("Succession. The Secret Lives of Vladimir
Putin's Sons", declared ``ru``), and WordPress writes its install language (``en-US``)
into a Ukrainian or Russian site's feed. A text whose letters are mostly of another script
than its language's is not written in that language, whatever else it is (``written_in``):
normalization then detects the item's language instead of taking the declared one, and the
clusterer keeps a report still read so out of linking across languages
(``Clusterer.add``: linked, it would meet the reports of its real language as another
language's, its whole words shared and its embedding compared with texts in its own).

Which script wins is read from the letters of the text's lower-case words where it has any
(it takes LETTERS_TO_TELL letters of the two scripts in the whole text to tell at all): names,
brands and acronyms are written in their own script in any language ("Bloomberg: Apple
представила iPhone 16 Pro", "The Washington Post: Байден дозволив ATACMS"), and a
headline alone (a feed without summaries) can hold more of their letters than of its own
words'; a language's common words are written in lower case, a name capitalised. A text in
title case, with no lower-case word, is read by all its letters.

Only languages written in one script are read (Latin or Cyrillic); any other language, or
a text with too few letters of either, is taken as written in its language.

Both questions, and normalization's "is this entry in the document's script"
(``dominant_script``), count letters by script the same way (``letters_by_script``).
"""

from __future__ import annotations

import bisect
import re
from collections import Counter

LATIN_LANGUAGES = frozenset("en de fr es it pt nl pl cs sk ro hu tr sv da no fi".split())
CYRILLIC_LANGUAGES = frozenset("ru uk be bg mk".split())
_WORD = re.compile(r"[^\W\d_]+")

# Fewer letters of Latin and Cyrillic than this do not tell a text's script: a headline of
# a few words or initials ("NATO: ЕС") says nothing against its declared language. Language
# detection needs as many (workers/language.py, MIN_LETTERS).
LETTERS_TO_TELL = 20

# The share of letters that makes a script dominant (``dominant_script``).
DOMINANT_SCRIPT_SHARE = 0.6

# Start code points of Unicode script blocks (a coarse map: enough to tell Latin from
# Cyrillic from Arabic…, which is all this module is asked). Letters in no listed block
# count as "other".
_SCRIPT_STARTS = (
    (0x0041, "latin"),
    (0x0370, "greek"),
    (0x0400, "cyrillic"),
    (0x0530, "armenian"),
    (0x0590, "hebrew"),
    (0x0600, "arabic"),
    (0x0900, "indic"),
    (0x0E00, "thai"),
    (0x10A0, "georgian"),
    (0x1100, "hangul"),
    (0x1200, "other"),
    (0x1E00, "latin"),
    (0x1F00, "greek"),
    (0x2000, "other"),
    (0x3040, "cjk"),
    (0xA000, "other"),
    (0xAC00, "hangul"),
    (0xD7B0, "other"),
)
_SCRIPT_KEYS = [start for start, _ in _SCRIPT_STARTS]


def letters_by_script(text: str) -> dict[str, int]:
    """How many of ``text``'s letters are of each script."""
    if text.isascii():  # every ASCII letter is Latin: no need to look each one up
        letters = sum(ch.isalpha() for ch in text)
        return {"latin": letters} if letters else {}
    counts: dict[str, int] = {}
    # Each distinct character looked up once, with how often it occurs: a sample of 2,000
    # characters holds a few dozen distinct letters.
    for ch, times in Counter(text).items():
        if ch.isalpha():
            index = bisect.bisect_right(_SCRIPT_KEYS, ord(ch)) - 1
            script = _SCRIPT_STARTS[index][1] if index >= 0 else "other"
            counts[script] = counts.get(script, 0) + times
    return counts


def dominant_script(text: str) -> str | None:
    """The script of most letters in ``text`` (over DOMINANT_SCRIPT_SHARE), else None."""
    counts = letters_by_script(text)
    if not counts:
        return None
    script, count = max(counts.items(), key=lambda item: item[1])
    return script if count >= DOMINANT_SCRIPT_SHARE * sum(counts.values()) else None


def written_in(language: str, text: str) -> bool:
    """Whether ``text`` may be written in ``language``: False only when the language is
    written in Latin or in Cyrillic letters, the text has LETTERS_TO_TELL letters of those
    two scripts, and most of those in its lower-case words (in all its words, where none
    is lower case) are of the other one."""
    if language in LATIN_LANGUAGES:
        own, other = "latin", "cyrillic"
    elif language in CYRILLIC_LANGUAGES:
        own, other = "cyrillic", "latin"
    else:
        return True
    counts = letters_by_script(text)
    if counts.get(own, 0) + counts.get(other, 0) < LETTERS_TO_TELL:
        return True
    words = _WORD.findall(text)
    lower = [word for word in words if word.islower()]
    if lower:
        counts = letters_by_script(" ".join(lower))
    mine, theirs = counts.get(own, 0), counts.get(other, 0)
    return theirs <= mine
