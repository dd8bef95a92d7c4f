"""Counts two reports in different languages can share (pure).

A link check's shared-evidence band (workers/link_evidence.py, ``LinkConfig.place_cosine``)
reads, besides a city or region, a number that crosses languages without a dictionary:

``counts``      numbers written in digits that say how many: a toll ("12 killed",
                "12 загиблих"), a count of drones, a brigade. Years, 1 and 2 (one of two
                reports says "two" in words) and a day beside a month's name ("15
                ноября", "March 20": the date, which versions share with the next day's
                reports of a place only by chance) are left out.
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


def share_a_count(text: str, others: Iterable[str]) -> bool:
    """Whether ``text`` writes a specific number (``counts``) one of ``others`` writes."""
    ours = counts(text)
    return bool(ours) and any(not ours.isdisjoint(counts(o)) for o in others)
