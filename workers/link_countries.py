"""Countries two reports in different languages name, read for the link check (pure).

The gazetteer (workers/places.py) reads every country in English and only Ukraine and
Russia in Cyrillic, and the place band (workers/link_evidence.py) reads no country: most
reports of this war name Ukraine and Russia. A country beyond the service's own is
another matter: missiles falling in Poland, France's prime minister resigning, a court
in Thailand removing its prime minister are written "Poland" / "у Польщі" / "Польши",
and the country is what the versions keep in common. So the band reads a country both
texts name as it reads a name (``LinkEvidence.same_name``, workers/cluster.py): for the
check's best candidate only, when none of the check's other candidates names it
(``distinct_shared_countries``) and few of the window's reports write it
(``LinkConfig.name_share``, counted by the name keys its names write, ``country_keys``).

``countries``  the countries a text names: the gazetteer's in English (a possessive's
               too, "Romania’s"; and Ukraine and Russia in Cyrillic), and each of the
               other countries' Ukrainian and Russian names in any case form ("у
               Польщі", "Ираном", "Південної Кореї"), from Unicode CLDR's names
               (workers/data/country_names.json, built by scripts/country_names.py),
               read through the gazetteer's own stems of Cyrillic names
               (workers/cyrillic_names.py). A Cyrillic name counts only capitalised, as
               a country's name is written, and never one that is a stop word or
               another common word (``_WORDS``: "Того" is Togo and "that", "Малі" Mali
               and "small", a headline's first word capitalised).
``HOME``       the countries of the service's languages, Ukraine, Russia, the United
               States and the United Kingdom: their own press names them in most
               reports, as the government that spoke or the country the news is about,
               so two developments of one day share them as often as two versions do.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache, lru_cache
from pathlib import Path

from workers.cyrillic_names import (
    CYRILLIC,
    CYRILLIC_ENDINGS,
    MIN_STEM,
    TOKEN,
    VOWELS,
    add_pair_stems,
    add_stem,
    cyrillic_stem,
    folded,
    own_case_forms,
    pair_stems,
    short_case_forms,
)
from workers.link_names import key_forms, name_key
from workers.places import find_places
from workers.story_text import STOP

DATA = Path(__file__).resolve().parent / "data" / "country_names.json"
HOME = frozenset({"Ukraine", "Russia", "United States", "United Kingdom"})
# Countries' Cyrillic names that are also common Ukrainian or Russian words: had, small,
# a flaw, fumes, delusion.
_WORDS = frozenset({"мали", "малі", "гана", "чад", "оман"})
# A name in a vowel and й (Китай, Бруней, Уругвай, Маврикій): the й is the stem's last
# sound, written я, ю, е, и, ї before the case endings ("Китая", "Китаю", "Китаем", "у
# Китаї", "Китаєм"), which the stems, cut before a final consonant, do not read.
_SOFT_ENDINGS = ("я", "ю", "е", "и", "ем", "ї", "єм")
_LONGEST_ENDING = max(map(len, CYRILLIC_ENDINGS))


@cache
def _names() -> dict[str, list[str]]:
    """GeoNames' English name of each country -> its Ukrainian and Russian names."""
    names: dict[str, list[str]] = json.loads(DATA.read_text(encoding="utf-8"))
    return names


@cache
def _tables() -> tuple[dict[str, str], dict[str, str]]:
    """(Cyrillic name or case form -> country, Cyrillic stem -> country)."""
    whole: dict[str, str] = {}
    stems: dict[str, str] = {}
    for country, names in sorted(_names().items()):
        for name in names:
            key = folded(name)
            if " " in key:
                add_pair_stems(stems, key, country)
                continue
            if key in STOP or key in _WORDS:
                continue
            whole.setdefault(key, country)
            for form in (*own_case_forms(key), *short_case_forms(key), *_soft_forms(key)):
                whole.setdefault(form, country)
            if len(key) >= MIN_STEM:
                add_stem(stems, key, country)
    for key in STOP | _WORDS:
        whole.pop(key, None)
        stems.pop(key, None)
    return whole, stems


def _soft_forms(key: str) -> list[str]:
    """The case forms of a name in a vowel and й (``_SOFT_ENDINGS``); none of another."""
    if len(key) < 3 or key[-1] != "й" or key[-2] not in VOWELS:
        return []
    return [key[:-1] + ending for ending in _SOFT_ENDINGS]


def _stem_country(key: str, stems: dict[str, str]) -> str | None:
    """The country whose stem ``key`` is before a case ending, the longest stem first:
    "нігерії" is Nigeria's "нігері" with -ї, though Niger's "нігер" with -ії reads too
    (``cyrillic_stem`` alone tries the longest ending first)."""
    for cut in range(1, _LONGEST_ENDING + 1):
        stem = key[:-cut]
        country = stems.get(stem)
        if country is not None and cyrillic_stem(key, {stem: country}) == stem:
            return country
    return None


def _cyrillic_countries(text: str) -> set[str]:
    whole, stems = _tables()
    words = [w.rstrip(".") for w in TOKEN.findall(text)]
    found: set[str] = set()
    at, n = 0, len(words)
    while at < n:
        word = words[at]
        if not (word[:1].isupper() and CYRILLIC.match(word)) or word.isupper():
            at += 1
            continue
        key = folded(word)
        if at + 1 < n and words[at + 1][:1].isupper():
            pair = _pair(key, folded(words[at + 1]), stems)
            if pair is not None:
                found.add(pair)
                at += 2
                continue
        country = whole.get(key) or _stem_country(key, stems)
        if country is not None:
            found.add(country)
        at += 1
    return found


def _pair(head: str, tail: str, stems: dict[str, str]) -> str | None:
    """The country a two-word Cyrillic name in any case form names ("Південної Кореї")."""
    for one in pair_stems(head):
        for two in pair_stems(tail):
            country = stems.get(f"{one} {two}")
            if country is not None:
                return country
    return None


@cache
def _country_names() -> frozenset[str]:
    from workers import geonames

    return frozenset(c["name"] for c in geonames.countries().values())


@lru_cache(maxsize=4096)
def countries(text: str) -> frozenset[str]:
    """The countries ``text`` names (module docstring), by GeoNames' English names."""
    known = _country_names()
    found = {place for place in find_places(text) if place in known}
    found |= _cyrillic_countries(text)
    return frozenset(found)


def distinct_shared_countries(
    text: str, others: Sequence[str], rivals: Sequence[Sequence[str]]
) -> frozenset[str]:
    """The countries beyond ``HOME`` that ``text`` and one of ``others`` (a candidate's
    texts) both name and no text of ``rivals`` (the check's other candidates) names."""
    ours = countries(text) - HOME
    if not ours:
        return frozenset()
    shared = ours & frozenset().union(*(countries(o) for o in others))
    for texts in rivals:
        if not shared:
            break
        shared -= frozenset().union(*(countries(t) for t in texts))
    return shared


@cache
def country_keys(country: str) -> tuple[str, ...]:
    """The name keys (workers/link_names.py ``name_key``, with their case forms,
    ``key_forms``) the window's reports write a country under: its English name's last
    word and its Cyrillic names' ("Poland" "polan", "Польща" and "Польши" "polsh"; a name
    in a vowel and й, its case forms' too: "Китая" "kitaa"), what ``DocFreqs.name_count``
    counts a capitalised word by."""
    cyrillic = [name.split()[-1] for name in _names().get(country, ())]
    soft = [form.capitalize() for word in cyrillic for form in _soft_forms(folded(word))]
    words = [country.split()[-1], *cyrillic, *soft]
    keys = dict.fromkeys(form for word in words for form in key_forms(name_key(word)))
    return tuple(keys)
