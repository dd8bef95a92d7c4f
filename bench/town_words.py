"""The link towns' Latin names that an English word list holds (workers/link_towns.py).

    .venv/bin/python bench/town_words.py [WORD_LIST]

A link town (a town of Ukraine, Russia or Belarus the gazetteer leaves out) is read by
its Latin name only when that name is not an English word nor a person's or another
famous name: such a name in an English text names the word, the person, the river or the
newspaper ("Progress", "Pushkin", "Volga", "Pravda"). The word list (default
``/usr/share/dict/words``, Debian's wamerican: 104,000 words, 20,000 of them proper
names) is read here, not by the service: the names it holds are printed for
``workers.link_towns._WORDS``, those in lower case (words) apart from capitalized ones
(names). A name counts as a word in its plural too ("Marks").
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from workers import geonames, places
from workers.cyrillic_names import CYRILLIC
from workers.link_towns import _WORDS, build_link_tables


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("words", type=Path, nargs="?", default=Path("/usr/share/dict/words"))
    args = parser.parse_args()
    os.environ.setdefault("BRIEFING_CACHE_DIR", "off")  # the tables as this checkout builds them
    listed = [w.strip() for w in args.words.read_text(encoding="utf-8").splitlines()]
    lower = {w for w in listed if w.islower()}
    capitalized = {w.casefold() for w in listed if w[:1].isupper()}
    names, stems = places.build_tables()
    link_names, _ = build_link_tables(geonames.towns().values(), names, stems)
    latin = sorted({name for name in link_names if not CYRILLIC.search(name)} | _WORDS)
    words = [n for n in latin if n in lower or n.removesuffix("s") in lower]
    proper = [n for n in latin if n in capitalized and n not in words]
    print(f"{len(latin)} Latin names read (with _WORDS)")
    print(f"words ({len(words)}): {' '.join(words)}")
    print(f"names ({len(proper)}): {' '.join(proper)}")
    missing = sorted(set(words + proper) - _WORDS)
    print(f"not in _WORDS ({len(missing)}): {' '.join(missing)}")


if __name__ == "__main__":
    main()
