"""workers.gazetteer_tables: the process stage's place tables, derived once per host."""

from __future__ import annotations

import ast
import ctypes
import hashlib
import importlib
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import FrameType, ModuleType
from typing import Any

import pytest

import service
import workers
from service import clock
from tests.support.host_cache import GAZETTEER_TABLES, cached
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


@pytest.mark.usefixtures("fresh_gazetteer_tables", "written_host_cache")
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


@pytest.mark.usefixtures("fresh_gazetteer_tables", "written_host_cache")
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


@pytest.mark.usefixtures("fresh_gazetteer_tables", "written_host_cache")
@pytest.mark.parametrize(
    "corrupted",
    [
        b"",
        b'{"names": {',
        b"\x00" * 64,
        b"{}",
        b"null",
        b'{"names": 1, "stems": {}}',
        b'{"names": {}, "stems": {}, "countries": {}}',
        b'{"names": {"kharkiv": 1}, "stems": {"xap": "Kharkiv"}, "countries": {"kharkiv": "UA"}}',
        b"[" * 100_000,
    ],
)
def test_a_corrupted_copy_is_written_again(corrupted: bytes) -> None:
    """Cut short, zeroed, or JSON of another shape (other tables, empty tables, a table
    of other values): the copy is written again once, and the process reads the tables
    as built rather than failing at its start or reading places wrong."""
    tables()
    (copy,) = (name for name in cached() if name.startswith("gazetteer-tables-"))
    tables_file = cache_root() / copy / "tables.json"
    tables_file.write_bytes(corrupted)
    tables.cache_clear()
    assert in_order(tables()) == in_order(built())
    assert json.loads(tables_file.read_text(encoding="utf-8"))["stems"] == built().stems


@pytest.mark.usefixtures("fresh_gazetteer_tables", "written_host_cache")
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
    # A table a builder imports (the link towns' stop words) runs no function where it is
    # defined: the profile cannot see it, so the modules it comes from are read here.
    assert _data_sources(building - machinery) - machinery <= copy_named


def _data_sources(modules: set[Path]) -> set[Path]:
    """The modules of ours that ``modules`` import data from at their top level (``from
    workers.x import TABLE``: no function, class or module), and those that theirs comes
    from in turn."""
    found: set[Path] = set()
    todo = list(modules)
    while todo:
        tree = ast.parse(todo.pop().read_text(encoding="utf-8"))
        for node in tree.body:
            if not (
                isinstance(node, ast.ImportFrom) and (node.module or "").startswith("workers.")
            ):
                continue
            module = importlib.import_module(str(node.module))
            data = [a.name for a in node.names if not callable(getattr(module, a.name, None))
                    and not isinstance(getattr(module, a.name, None), ModuleType)]  # fmt: skip
            path = Path(str(module.__file__)).resolve()
            if data and path not in found:
                found.add(path)
                todo.append(path)
    return found


@pytest.mark.usefixtures("fresh_gazetteer_tables", "written_host_cache")
@pytest.mark.parametrize(
    "corrupted",
    [b"{}", b"[]", b'{"1": {"name": "Kharkiv"}}', b'{"1": {"name": 7}}', b"[" * 100_000],
)
def test_a_copy_of_the_cities_of_another_shape_is_written_again_not_built_on(
    corrupted: bytes,
) -> None:
    """The cities' compact copy (workers/geonames.py) is read where the tables' copy is
    written (a new version of the gazetteer): one of another shape is written again,
    rather than failing every start (KeyError) or building tables that name no place
    into the host's copy."""
    expected = in_order(tables())
    (cities,) = (name for name in cached() if name.startswith("geonames-cities-"))
    (copy,) = (name for name in cached() if name.startswith("gazetteer-tables-"))
    (cache_root() / cities / "cities.json").write_bytes(corrupted)
    shutil.rmtree(cache_root() / copy)
    for table in GAZETTEER_TABLES:
        table.cache_clear()
    assert in_order(tables()) == expected
    assert len(json.loads((cache_root() / cities / "cities.json").read_bytes())) > 20_000


# A process start reading the place tables, its log on stderr; it prints a digest of them.
START = """
import hashlib, json, logging
logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
from workers.gazetteer_tables import tables
print(hashlib.sha256(json.dumps(tables()).encode()).hexdigest())
"""
ROOT = Path(__file__).resolve().parents[2]
# prctl(2) and capabilities(7): what lets root read and write past a file's permissions.
_PR_CAPBSET_DROP = 24
_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH = 1, 2
# The exit status of a child that could not drop them (root without CAP_SETPCAP, as in a
# container started with fewer capabilities): its permissions would not bind it.
_CANNOT_DROP = 77


def digest(found: GazetteerTables) -> str:
    return hashlib.sha256(json.dumps(found).encode()).hexdigest()


def start(
    cache: Path, *, file_size: int | None = None, bound_by_permissions: bool = True
) -> tuple[str, list[str]]:
    """A process reading the tables with ``cache`` as its host cache, bound by the
    cache's permissions (root's process without the capabilities that override them;
    the test is skipped where root cannot drop them), writing at most ``file_size``
    bytes per file (a full disk: EFBIG); its digest of the tables and its warnings."""
    prctl = ctypes.CDLL(None, use_errno=True).prctl  # resolved before the fork

    def limited() -> None:
        if file_size is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG, not death, past it
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size, file_size))
        if bound_by_permissions and os.geteuid() == 0:
            # root's exec keeps only the bounding set's capabilities
            for capability in (_CAP_DAC_OVERRIDE, _CAP_DAC_READ_SEARCH):
                if prctl(_PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
                    os._exit(_CANNOT_DROP)

    env = {**os.environ, "BRIEFING_CACHE_DIR": str(cache), "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(
        [sys.executable, "-c", START],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=limited,
    )
    if done.returncode == _CANNOT_DROP:
        pytest.skip("root without CAP_SETPCAP: a child cannot drop the capabilities that "
                    "read and write past a file's permissions")  # fmt: skip
    assert done.returncode == 0, done.stderr
    return done.stdout.strip(), [
        line for line in done.stderr.splitlines() if line.startswith("WARNING")
    ]


@pytest.fixture
def shared_cache() -> Iterator[Path]:
    """A cache directory every user can reach (pytest's own directories are its user's)."""
    parent = Path(tempfile.mkdtemp(prefix="host-cache-"))
    parent.chmod(0o755)
    try:
        yield parent / "live-briefing"
    finally:
        subprocess.run(["chmod", "-R", "u+rwx", str(parent)], check=True)
        shutil.rmtree(parent)


@pytest.mark.usefixtures("fresh_gazetteer_tables")
def test_a_cache_this_process_cannot_write_or_read_costs_a_start_one_warning(
    shared_cache: Path,
) -> None:
    """The cache read-only to this process (an image's, built by root): with no copy in
    it, or with a copy this process cannot read, the process starts,
    builds the tables in memory as the copy holds them, and says so in one warning."""
    expected = digest(built())
    shared_cache.mkdir()
    shared_cache.chmod(0o555)  # read-only
    found, warnings = start(shared_cache)
    assert found == expected
    assert len(warnings) == 1 and "place tables built in memory" in warnings[0], warnings
    assert "Permission denied" in warnings[0]

    shared_cache.chmod(0o755)
    env = {**os.environ, "BRIEFING_CACHE_DIR": str(shared_cache)}
    subprocess.run(
        [sys.executable, "-c", START], cwd=ROOT, env=env, check=True, capture_output=True
    )
    (copy,) = shared_cache.glob("gazetteer-tables-*/tables.json")
    copy.chmod(0o000)
    shared_cache.chmod(0o555)
    found, warnings = start(shared_cache)
    assert found == expected
    assert len(warnings) == 1 and "place tables built in memory" in warnings[0], warnings
    assert copy.exists()  # not removed: another user's copy, readable to that user


@pytest.mark.usefixtures("fresh_gazetteer_tables")
def test_a_full_disk_costs_a_start_one_warning_and_leaves_no_copy(shared_cache: Path) -> None:
    """Every write past 64 KB fails (EFBIG, as ENOSPC on a full disk): the process starts
    on the tables built in memory, with one warning, and no partial copy is left to be
    read by the next start."""
    found, warnings = start(shared_cache, file_size=64 * 1024, bound_by_permissions=False)
    assert found == digest(built())
    assert len(warnings) == 1 and "place tables built in memory" in warnings[0], warnings
    assert "File too large" in warnings[0]
    assert [p.name for p in shared_cache.iterdir() if not p.name.startswith(".lock-")] == []
