"""The Cyrillic names of cities abroad that are Ukrainian or Russian words
(workers/world_names.py ``WORD_NAMES``).

    apt-get install hunspell-uk hunspell-ru  # Debian's spelling dictionaries
    .venv/bin/pip install spylls             # PyPI: Hunspell in Python; not a dependency
    .venv/bin/python bench/world_name_words.py

The gazetteer reads a city abroad by its Ukrainian and Russian names (workers/places.py,
workers/world_names.py). A name that is also a common word ("Брод": a ford, "Танго",
"Думай": think) would read a city wherever a sentence or a headline starts with the word.
The dictionaries are read here, not by the service: for each name of one word of the
cities abroad that are not capitals nor news places (the gazetteer read those before it
read these names), the name is printed when a dictionary accepts it in lower case, or
one of its case forms the gazetteer reads whole (``short_case_forms``,
``own_case_forms``). A dictionary holds a proper name capitalised, and accepts it only
so ("Стамбул", not "стамбул"). Hyphenated names are not checked: the dictionaries read
each part of a compound ("Мар-дель-Плата": "плата", a fee).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from spylls.hunspell import Dictionary

from workers import geonames, places
from workers.cyrillic_names import MIN_STEM, own_case_forms, short_case_forms
from workers.world_names import _UK_RU_NAME


def world_names() -> set[str]:
    """The casefolded one-word Cyrillic names of the cities abroad ``WORD_NAMES`` is for."""
    capitals = {c["capital"] for c in geonames.countries().values() if c["capital"]}
    news = set(places._NEWS_PLACES)
    found = set()
    for city in geonames.cities().values():
        if (city["countrycode"] in {"UA", *places._CYRILLIC_NEIGHBOURS}
                or city["population"] < places.CITY_MIN_POPULATION
                or city["name"] in capitals or city["name"] in news
                or city["name"].casefold() in places.AMBIGUOUS):  # fmt: skip
            continue
        for alt in city["alternatenames"]:
            if len(alt) >= MIN_STEM and "-" not in alt and _UK_RU_NAME.fullmatch(alt):
                found.add(alt.casefold())
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dictionaries", type=Path, default=Path("/usr/share/hunspell"))
    args = parser.parse_args()
    os.environ.setdefault("BRIEFING_CACHE_DIR", "off")
    dictionaries = [Dictionary.from_files(str(args.dictionaries / n)) for n in ("uk_UA", "ru_RU")]
    names = world_names()
    words = sorted(
        name
        for name in names
        if any(
            d.lookup(form)
            for form in (name, *short_case_forms(name), *own_case_forms(name))
            for d in dictionaries
        )
    )
    print(f"{len(names)} names checked, {len(words)} words:")
    print(" ".join(words))


if __name__ == "__main__":
    main()
