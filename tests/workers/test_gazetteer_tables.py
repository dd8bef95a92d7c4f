"""workers.gazetteer_tables: the process stage's place tables, derived once per host."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from types import FrameType, ModuleType
from typing import Any

import pytest

import service
import workers
from service import clock
from tests.support.host_cache import cached
from workers import briefing_match, gazetteer_tables, geonames, host_cache, link_towns, places
from workers.gazetteer_tables import GazetteerTables, built, tables
from workers.host_cache import cache_root


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
    assert first.link_names["chasiv yar"] == "Chasiv Yar"
    assert any(name.startswith("gazetteer-tables-") for name in cached())
    tables.cache_clear()

    def no_cities() -> None:
        raise AssertionError("the cities or the towns were read again")

    monkeypatch.setattr(geonames, "cities", no_cities)
    monkeypatch.setattr(geonames, "towns", no_cities)
    again = tables()
    assert in_order(again) == in_order(first)
    assert (places._tables(), briefing_match.place_countries(), link_towns._tables()) == (
        (first.names, first.stems),
        first.countries,
        (first.link_names, first.link_stems),
    )
    assert places.find_places("Shelling in Kharkiv overnight") == ("Kharkiv",)
    assert link_towns.link_towns("у Часовому Ярі") == {("Chasiv Yar", False)}


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


@pytest.mark.usefixtures("fresh_gazetteer_tables", "host_cache")
@pytest.mark.parametrize(
    "corrupted",
    [b"", b'{"names": {', b"\x00" * 64, b"{}", b"null", b'{"names": 1, "stems": {}}'],
)
def test_a_corrupted_copy_is_written_again(corrupted: bytes) -> None:
    """Cut short, zeroed, or JSON of another shape: the copy is written again once, and
    the process reads the tables as built rather than failing at its start."""
    tables()
    (copy,) = (name for name in cached() if name.startswith("gazetteer-tables-"))
    tables_file = cache_root() / copy / "tables.json"
    tables_file.write_bytes(corrupted)
    tables.cache_clear()
    assert in_order(tables()) == in_order(built())
    assert json.loads(tables_file.read_text(encoding="utf-8"))["stems"] == built().stems


@pytest.mark.usefixtures("fresh_gazetteer_tables", "host_cache")
def test_the_copy_is_named_after_every_module_of_ours_that_builds_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A rule of the tables' builders moved into a module of its own must name the copy
    too: otherwise an edit of that module leaves every host reading the tables an earlier
    version built. The host cache's own code only finds and writes copies."""
    named: list[ModuleType] = []
    read_derived = gazetteer_tables.read_derived

    def naming(*args: Any, code: Iterable[ModuleType] = (), **kwargs: Any) -> Any:
        named.extend(code)
        return read_derived(*args, code=code, **kwargs)

    monkeypatch.setattr(gazetteer_tables, "read_derived", naming)
    tables()
    ran: set[str] = set()

    def record(frame: FrameType, event: str, arg: object) -> None:
        if event == "call":
            ran.add(frame.f_code.co_filename)

    geonames.cities.cache_clear()
    sys.setprofile(record)
    try:
        built()
    finally:
        sys.setprofile(None)
    ours = {Path(workers.__file__).parent, Path(service.__file__).parent}
    building = {Path(f).resolve() for f in ran if Path(f).resolve().parent in ours}
    copy_named = {Path(str(m.__file__)).resolve() for m in (gazetteer_tables, *named)}
    machinery = {Path(str(m.__file__)).resolve() for m in (host_cache, clock)}
    assert building - machinery <= copy_named
    assert Path(str(geonames.__file__)).resolve() in building  # the profile saw the builders
