"""Calendar dates a headline names, in English, Ukrainian and Russian (pure).

"Humanitarian corridors planned for March 20", "Ірина Верещук про заплановану на 14
березня роботу гуманітарних коридорів", "Обстрел Харькова 16 сентября": a headline that
names a day of a month says which day its development is about. Two reports whose
headlines name days, none of them the same, are about different days, so different
developments (``different_dates``), however many words they share: an institution's
recurring item ("the corridors planned for March #", "losses as of # May") differs from
the day before's only in that date, and its version in another language shares the same
n-grams and an embedding close enough to the other days' ones (docs/design.md, "Linking
across languages"). A headline that names no date says nothing.

Only a day number next to a month name counts ("March 20", "20 March", "20 березня",
"20-го марта"), not a bare number, which may be a toll, a count or a year; "may" in lower
case is the English verb, not the month. English dates a day with "on" ("on March 16"),
a month alone with "in": after "in", the number that follows a month is what happened
in it ("In March 16 people were killed"), not a day.
"""

from __future__ import annotations

import re

# Each month as written in a date: English names and abbreviations, Ukrainian and Russian
# nominative and genitive (the case a date takes: "20 березня", "20 марта").
_MONTHS: tuple[str, ...] = (
    r"january|jan|січень|січня|январь|января",
    r"february|feb|лютий|лютого|февраль|февраля",
    r"march|mar|березень|березня|март|марта",
    r"april|apr|квітень|квітня|апрель|апреля",
    r"may|травень|травня|май|мая",
    r"june|jun|червень|червня|июнь|июня",
    r"july|jul|липень|липня|июль|июля",
    r"august|aug|серпень|серпня|август|августа",
    r"september|sept|sep|вересень|вересня|сентябрь|сентября",
    r"october|oct|жовтень|жовтня|октябрь|октября",
    r"november|nov|листопад|листопада|ноябрь|ноября",
    r"december|dec|грудень|грудня|декабрь|декабря",
)
_MONTH_NUMBER = {name: n for n, names in enumerate(_MONTHS, 1) for name in names.split("|")}
_MONTH = "|".join(_MONTHS)
_DAY = r"([0-3]?\d)(?:st|nd|rd|th|-?го|-?е)?"
# "20 March", "20-го березня" / "March 20", "Mar. 20th": whole words only, and the day
# must not run on into another digit (a year, a time). A month after "in" is matched with
# it (first group) so that the caller can drop it.
_DAY_MONTH = re.compile(rf"(?<![\w.,:]){_DAY}\s+({_MONTH})(?!\w)", re.IGNORECASE)
_MONTH_DAY = re.compile(rf"(?<!\w)(in\s+)?({_MONTH})\.?\s+{_DAY}(?![\w:])", re.IGNORECASE)
# Read no further (a headline is shorter; bounds the regex's work on hostile input).
_READ_CHARS = 300


def headline_dates(title: str) -> frozenset[tuple[int, int]]:
    """The (month, day) pairs ``title`` names."""
    text = title[:_READ_CHARS]
    found = [(month, day) for day, month in _DAY_MONTH.findall(text)]
    found += [(month, day) for after_in, month, day in _MONTH_DAY.findall(text) if not after_in]
    return frozenset((_MONTH_NUMBER[month.lower()], int(day)) for month, day in found
                     if month != "may" and 1 <= int(day) <= 31)  # fmt: skip


def different_dates(a: frozenset[tuple[int, int]], b: frozenset[tuple[int, int]]) -> bool:
    """Both headlines name days of a month, and no day is in both."""
    return bool(a) and bool(b) and a.isdisjoint(b)
