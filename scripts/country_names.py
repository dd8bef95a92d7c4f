"""Build the link check's Ukrainian and Russian country names from Unicode CLDR.

    .venv/bin/pip install babel  # PyPI; not a dependency of the service
    .venv/bin/python scripts/country_names.py

Babel ships CLDR's locale data (Unicode License v3), whose territory names are each
language's common name of a country ("Польща", "Польша", "Південна Корея"). This writes
``workers/data/country_names.json``: each GeoNames country's English name (the name the
gazetteer reads a country by, workers/places.py) -> its Ukrainian and Russian names, for
the countries of GeoNames' list that CLDR names. A name of more than two words, or with
a dash or a parenthesis ("Конго – Кіншаса", "Боснія і Герцеговина"), is left out: the
link reads a name of one or two words (workers/link_countries.py). ``PRESS_NAMES`` adds
the short forms the press writes where CLDR gives the formal one (CLDR's Russian name of
South Korea is "Республика Корея"; the press writes "Южная Корея").

No network: babel comes from PyPI through pip.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from babel import Locale

from workers import geonames

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "workers/data/country_names.json"
# Short forms the press writes beside CLDR's names (ISO 3166-1 alpha-2 -> names).
PRESS_NAMES = {
    "KR": ("Южная Корея",),
    "MD": ("Молдавия",),
    "PS": ("Палестина",),
    "KP": ("Северная Корея",),
    "GB": ("Британія", "Британия"),
}
_READABLE = re.compile(r"^[А-ЯЁІЇЄҐ][а-яёіїєґ’ʼ']+( [А-ЯЁІЇЄҐа-яёіїєґ][а-яёіїєґ’ʼ']+)?$")


def build() -> dict[str, list[str]]:
    locales = (Locale("uk"), Locale("ru"))
    out: dict[str, list[str]] = {}
    for code, country in sorted(geonames.countries().items()):
        names = [locale.territories.get(code) for locale in locales]
        names += PRESS_NAMES.get(code, ())
        readable = [n for n in dict.fromkeys(names) if n and _READABLE.match(n)]
        if readable:
            out[country["name"]] = readable
    return out


def main() -> None:
    rows = [json.dumps(k, ensure_ascii=False) + ": " + json.dumps(v, ensure_ascii=False)
            for k, v in sorted(build().items())]  # fmt: skip
    OUT.write_text("{\n" + ",\n".join(rows) + "\n}\n")
    print(f"{OUT}: {len(json.loads(OUT.read_text()))} countries")


if __name__ == "__main__":
    main()
