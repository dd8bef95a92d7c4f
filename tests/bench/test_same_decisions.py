"""bench/same_decisions.py: two revisions' decisions and final state compared per stream."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.crosslingual import DATA, OWN_STREAMS
from bench.monolingual import HELD_OUT
from bench.same_decisions import STREAMS, decide, differences, run_revision

ROWS = [
    {"id": "a", "title": "Flood waters breach levee in Riverton, thousands evacuated",
     "published": "2026-03-01T08:00:00+00:00", "source": "A", "language": "en"},
    {"id": "b", "title": "Riverton levee breached by flood waters, thousands evacuated",
     "published": "2026-03-01T09:00:00+00:00", "source": "B", "language": "en"},
    {"id": "c", "title": "Central bank holds interest rates steady for third month",
     "published": "2026-03-01T10:00:00+00:00", "source": "C", "language": "en"},
]  # fmt: skip


@pytest.fixture
def stream(tmp_path: Path) -> dict[str, Path]:
    path = tmp_path / "stream.jsonl"
    path.write_text("".join(json.dumps(row) + "\n" for row in ROWS))
    return {"tiny": path}


def test_decide_places_every_article_and_hashes_the_final_state(
    stream: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[2]))
    decided = decide(stream)["tiny"]
    story = dict(decided["placed"])
    assert [a for a, _ in decided["placed"]] == ["a", "b", "c"]
    assert story["a"] == story["b"] != story["c"]
    assert len(decided["state"]) == 64
    assert decide(stream)["tiny"] == decided  # deterministic: one revision agrees with itself


def test_differences_name_the_first_article_placed_apart_and_the_state() -> None:
    base = {"s": {"placed": [["a", "1"], ["b", "1"]], "state": "x", "views": "v"}}
    same = {"s": {"placed": [["a", "1"], ["b", "1"]], "state": "x", "views": "v"}}
    moved = {"s": {"placed": [["a", "1"], ["b", "2"]], "state": "y", "views": "w"}}
    float_only = {"s": {"placed": [["a", "1"], ["b", "1"]], "state": "y", "views": "v"}}
    keywords_only = {"s": {"placed": [["a", "1"], ["b", "1"]], "state": "x", "views": "w"}}
    assert differences(base, same) == {"s": []}
    assert differences(base, moved) == {"s": ["decisions (first: b)", "state", "views"]}
    assert differences(base, float_only) == {"s": ["state"]}
    assert differences(base, keywords_only) == {"s": ["views"]}


def test_a_revision_runs_in_its_own_exported_tree(stream: dict[str, Path]) -> None:
    """The committed code decides in a process of its own, and alike each time."""
    decided = run_revision("HEAD", stream)["tiny"]
    story = dict(decided["placed"])
    assert story["a"] == story["b"] != story["c"]
    assert run_revision("HEAD", stream)["tiny"] == decided


def test_the_streams_are_the_tuning_data_with_every_tuning_part_of_the_set() -> None:
    parts = [path for name, path in STREAMS.items() if name.startswith("crosslingual")]
    assert parts == [DATA, *(path for _, path in OWN_STREAMS)]
    assert not [p for p in STREAMS.values() if p.parent.name in HELD_OUT]
