"""Counts two reports in different languages can share (pure).

A link check's shared-evidence band (workers/link_evidence.py, ``LinkConfig.place_cosine``)
reads, besides a city or region, a number: in digits it crosses languages without a
dictionary, and the small ones written in words take a short table:

``counts``      numbers that say how many: a toll ("12 killed", "12 загиблих"), a count of
                drones, a brigade, written in digits, or from three to ten in words too
                ("three killed", "троє загиблих", "трое погибших": one of two versions
                writes a small toll in words, the other in words or digits;
                ``NUMBER_WORDS``). Years, 1 and 2 (one of two reports says "two" in
                words; "one" and "два" are everyday words) and a day beside a month's
                name ("15 ноября", "March 20": the date, which versions share with the
                next day's reports of a place only by chance) are left out, and so are times,
                dates and decimals of two digits or more in digits ("14:30", "24.02",
                "9.45"). A number is read whole: "12,500", "12 500" and "12.500" are one
                count, not 12 and 500; "4.4" and "4,4" are one ("4.4 million").
                Designations ("F-16") and ordinals ("20th", "20-го") are read apart
                from counts, each meeting only its own kind; a disease's year
                ("COVID-19") is no designation and not read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# How much of a text is read: the check compares a headline and a short lead.
READ_CHARS = 400
# A number beside a month's name is a day of that month. Full names (English, Ukrainian
# and Russian genitive) match as the start of a word ("березня", "березні"); short names
# and abbreviations ("may", "mar", "окт", "лист") only as a whole word, so "mayor",
# "marines" and "листівки" beside a count leave it a count.
_MONTH_STARTS = tuple(
    """january february march april august september october november december
    січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня
    января февраля марта апреля июня июля августа сентября октября ноября декабря""".split()
)  # fmt: skip
_MONTH_WORDS = frozenset(
    """may june july мая jan feb mar apr jun jul aug sep sept oct nov dec
    січ лют бер квіт трав черв лип серп вер жовт лист груд
    янв фев мар апр июн июл авг сен сент окт ноя нояб дек""".split()
)  # fmt: skip
_YEARS = range(1900, 2100)
# A number as written: digits in groups of three after a separator (a thousands
# separator: "12,500", "12 500", "12.500" are 12500), or digits joined by other marks
# ("1.5", "14:30", "24.02", "24/7": a decimal, a time, a date, a fraction: ``_values``), a
# range ("15-16") read as both its ends. A number glued after letters ("F-16", "S-300",
# "Ту-95", "Іл-76", "G7") is a designation: read apart from counts ("~16"), whatever the
# script of its letters, so "Іл-76" meets "Il-76" and not "76 killed".
_TOKEN = re.compile(
    r"(?P<number>(?:\d{1,3}(?P<sep>[,. \u00a0\u202f])\d{3}(?!\d)(?:(?P=sep)\d{3}(?!\d))*|\d+)"
    r"(?:[.,:/]\d+)*(?:[-–]\d+)?)"
    r"|(?P<word>[^\W\d_]+(?:['’ʼ][^\W\d_]+)*)"
)
# The numbers from three to ten in words, in English, Ukrainian and Russian, in the case
# forms a count takes ("троє загиблих", "трьох людей", "трое погибших", "троих военных"),
# a Ukrainian apostrophe dropped ("п’ять" reads as "пять"). Cardinals and collectives only:
# an ordinal ("третій", "fifth") is a rank or a date. Left out where the form is also an
# everyday word: Ukrainian "сьома" (seventh), Russian "семью" (family). A word joined by a
# hyphen is an adjective's first half ("three-day visit", "ten-point plan", "п'яти-
# та дев'ятиповерхівки"), not a count.
NUMBER_WORDS: dict[str, str] = {
    word: str(value)
    for value, words in {
        3: "three три трьох трьом трьома троє трое троих троим трех трёх трем трём тремя",
        4: "four чотири чотирьох чотирьом чотирма четверо четверых четыре четырех четырёх "
           "четырем четырём четырьмя",
        5: "five пять пяти пятьох пятьом пятьма пятеро пятерых пятью",
        6: "six шість шести шістьох шістьом шістьма шестеро шестерых шесть шестью",
        7: "seven сім семи сімох сімом сімома семеро семерых семь",
        8: "eight вісім восьми вісьмох вісьмом вісьмома восьмеро восьмерых восемь восьмью "
           "восемью",
        9: "nine девять девяти девятьох девятьом девятьма девятеро девятерых девятью",
        10: "ten десять десяти десятьох десятьом десятьма десятеро десятерых десятью",
    }.items()
    for word in words.split()
}  # fmt: skip
_APOSTROPHES = str.maketrans("", "", "'’ʼ")
_GLUED = re.compile(r"[^\W\d_]-?$")
# Names whose number is the year they were named in, not a model's: a disease's
# ("COVID-19", "Covid 19", "ковид-19", "ковід-19": 2019), read as a year is, as no count and no
# designation; every report of the disease writes it, whatever happened.
_YEAR_NAMED = re.compile(r"(?:covid|ковид|ковід)[- ]?$")
# An ordinal ("17th", "17-го", "3-я"): a unit's or a day's number, read apart from counts
# ("#17"), so the 20th corps does not meet "20 injured".
_ORDINAL = re.compile(r"(?:st|nd|rd|th|-(?:го|ого|й|ий|ій|а|я|ї|ої|ая|ой))(?![^\W\d_])")
_DECIMAL = re.compile(r"\d+[.,]\d")


def counts(text: str) -> frozenset[str]:
    """The specific numbers ``text`` writes in digits (module docstring)."""
    read = text[:READ_CHARS]
    if read[-1:].isalnum() and text[READ_CHARS : READ_CHARS + 1].isalnum():
        read = read.rsplit(None, 1)[0]  # a word or number cut by the read is not read
    folded = read.casefold()
    tokens = list(_TOKEN.finditer(folded))
    found: set[str] = set()
    for at, token in enumerate(tokens):
        number, word = token["number"], None
        if number is None:
            word = NUMBER_WORDS.get(token["word"].translate(_APOSTROPHES))
            if word is None or folded.startswith(("-", "–"), token.end()):
                continue
        beside = tokens[max(0, at - 1) : at] + tokens[at + 1 : at + 2]
        if any(_month(t["word"]) for t in beside):
            continue
        if word is not None:
            found.add(word)
            continue
        if _YEAR_NAMED.search(folded, 0, token.start()):
            continue
        kind = "~" if _GLUED.search(folded, 0, token.start()) else ""
        kind += "#" if _ORDINAL.match(folded, token.end()) else ""
        found.update(kind + value for value in _values(number, token["sep"]))
    return frozenset(found)


def _month(word: str | None) -> bool:
    return word is not None and (word in _MONTH_WORDS or word.startswith(_MONTH_STARTS))


def _values(number: str, sep: str | None) -> list[str]:
    """The counts a number token writes: both ends of a range, thousands joined, a
    decimal of one digit ("4.4", "4,4": "4.4 million", "4,4 млн") with a point; none
    for a decimal of more digits, a time, a date, a fraction (a clock's "14.30" and a
    date's "24.02" look alike), a year, 1 or 2."""
    values = []
    for part in number.replace("–", "-").split("-"):
        if sep is not None:
            part = part.replace(sep, "")
        if _DECIMAL.fullmatch(part):
            values.append(part.replace(",", "."))
        elif part.isdigit() and int(part) > 2 and int(part) not in _YEARS:
            values.append(str(int(part)))
    return values


def share_a_count(text: str, others: Iterable[str]) -> bool:
    """Whether ``text`` writes a specific number (``counts``) one of ``others`` writes."""
    ours = counts(text)
    return bool(ours) and any(not ours.isdisjoint(counts(o)) for o in others)
