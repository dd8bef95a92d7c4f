"""bench/place_readings.py: the texts it reads are of the tuning parts only."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.crosslingual import DATA, OWN_STREAMS
from bench.monolingual import HELD_OUT

BENCH = Path(__file__).resolve().parents[2] / "bench"


def test_the_parts_read_are_the_set_and_its_tuning_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(BENCH))  # the script imports its neighbours by name
    from bench.place_readings import PARTS

    parts = [DATA.parent / part for part in PARTS]
    assert parts == [DATA, *(path for _, path in OWN_STREAMS)]
    assert "held14/stream.jsonl" in PARTS
    assert not [p for p in parts if p.parent.name in HELD_OUT]
