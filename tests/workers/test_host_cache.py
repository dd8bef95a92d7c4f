"""workers.host_cache: files derived from a package's data, written once per host."""

from __future__ import annotations

from pathlib import Path

import pytest

from workers.host_cache import cache_root, derived


def write_upper(source: Path, directory: Path) -> None:
    (directory / "upper.txt").write_text(source.read_text().upper())


@pytest.mark.usefixtures("host_cache")
def test_a_derived_copy_is_written_once_and_named_after_its_source(tmp_path: Path) -> None:
    source = tmp_path / "source.txt"
    source.write_text("kharkiv")
    first = derived(source, "upper", write_upper)
    assert (first / "upper.txt").read_text() == "KHARKIV"

    def no_second_write(source: Path, directory: Path) -> None:
        raise AssertionError("written again")

    assert derived(source, "upper", no_second_write) == first
    source.write_text("odesa")
    second = derived(source, "upper", write_upper)
    assert second != first
    assert (second / "upper.txt").read_text() == "ODESA"


@pytest.mark.usefixtures("host_cache")
def test_a_failed_write_leaves_nothing_behind(tmp_path: Path) -> None:
    source = tmp_path / "source.txt"
    source.write_text("kharkiv")

    def half_written(source: Path, directory: Path) -> None:
        (directory / "upper.txt").write_text("KHAR")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        derived(source, "upper", half_written)
    assert list(cache_root().iterdir()) == []
    assert (derived(source, "upper", write_upper) / "upper.txt").read_text() == "KHARKIV"


@pytest.mark.usefixtures("host_cache")
def test_a_writer_that_lost_the_race_uses_the_winners_copy(tmp_path: Path) -> None:
    source = tmp_path / "source.txt"
    source.write_text("kharkiv")

    def racing(source: Path, directory: Path) -> None:
        write_upper(source, directory)
        derived(source, "upper", write_upper)  # another process finishes first

    winner = derived(source, "upper", racing)
    assert (winner / "upper.txt").read_text() == "KHARKIV"
    assert [p.name for p in cache_root().iterdir()] == [winner.name]
