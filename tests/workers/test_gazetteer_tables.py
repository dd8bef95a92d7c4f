"""workers.gazetteer_tables: the process stage's place tables, derived once per host."""

from __future__ import annotations

import pytest

from tests.support.host_cache import cached
from workers import briefing_match, gazetteer_tables, geonames, places
from workers.gazetteer_tables import GazetteerTables, built, tables


def in_order(found: GazetteerTables) -> list[list[tuple[str, str]]]:
    """Each table's entries in order: the gazetteer walks its names in order (``_widths``)."""
    return [list(table.items()) for table in found]


@pytest.mark.usefixtures("fresh_gazetteer_tables", "host_cache")
def test_the_copy_holds_the_tables_as_built_and_a_second_start_reads_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first = tables()
    assert tables() is first  # once per process
    assert in_order(first) == in_order(built())
    assert (first.names["kharkiv"], first.countries["kharkiv"]) == ("Kharkiv", "UA")
    assert any(name.startswith("gazetteer-tables-") for name in cached())
    tables.cache_clear()

    def no_cities() -> None:
        raise AssertionError("the cities were read again")

    monkeypatch.setattr(geonames, "cities", no_cities)
    again = tables()
    assert in_order(again) == in_order(first)
    assert (places._tables(), briefing_match.place_countries()) == (
        (first.names, first.stems),
        first.countries,
    )
    assert places.find_places("Shelling in Kharkiv overnight") == ("Kharkiv",)


@pytest.mark.usefixtures("fresh_gazetteer_tables", "host_cache")
def test_the_copy_keeps_the_stems_of_two_word_names() -> None:
    tables()
    tables.cache_clear()
    stems = tables().stems
    assert stems["нов каховк"] == stems["нов каховц"] == "Nova Kakhovka"
    assert stems["крив роз"] == "Kryvyy Rih"


@pytest.mark.usefixtures("fresh_gazetteer_tables", "unwritable_host_cache")
def test_without_a_writable_cache_the_tables_are_built_from_the_cities() -> None:
    found = tables()
    assert in_order(found) == in_order(built())
    assert geonames.cities.cache_info().currsize == 1


@pytest.mark.usefixtures("fresh_gazetteer_tables", "host_cache")
def test_the_copy_is_named_after_the_gazetteers_code(monkeypatch: pytest.MonkeyPatch) -> None:
    """A new version of the gazetteer or the filters (another alias, another rule) builds
    its own tables, not the copy an earlier version wrote from the same cities."""
    tables()
    (before,) = (name for name in cached() if name.startswith("gazetteer-tables-"))
    tables.cache_clear()
    changed = gazetteer_tables.__file__  # any of the modules the copy is named after
    monkeypatch.setattr(briefing_match, "__file__", changed)
    tables()
    copies = [name for name in cached() if name.startswith("gazetteer-tables-")]
    assert len(copies) == 2 and before in copies
