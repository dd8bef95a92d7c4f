"""bench/monolingual.py: same-language pairs scored per language; held-out parts refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.monolingual import main, score


def row(id: str, language: str, development: str) -> dict[str, str]:
    return {"id": id, "language": language, "development": development}


def test_score_counts_same_language_pairs_only() -> None:
    rows = [
        row("a", "uk", "d1"), row("b", "uk", "d2"), row("c", "uk", "d1"),
        row("d", "ru", "d1"), row("e", "en", "d3"), row("f", "en", "d3"),
    ]  # fmt: skip
    # a, b, d in one story: one Ukrainian wrong pair (a-b); a-d crosses languages.
    story = {"a": "s1", "b": "s1", "c": "s2", "d": "s1", "e": "s3", "f": "s3"}
    counts = score(rows, story)
    assert [(x["id"], y["id"]) for x, y in counts["uk"]["wrong"]] == [("a", "b")]
    assert (counts["uk"]["versions"], counts["uk"]["together"]) == (1, 0)
    assert (counts["en"]["versions"], counts["en"]["together"]) == (1, 1)
    assert counts["en"]["wrong"] == []
    assert "ru" not in counts  # one Russian report: no pair


HELD_OUT_PARTS = (
    "check", "held6", "held7", "held8", "held27", "held28", "held29", "held30", "held31",
    "held32",
)  # fmt: skip


@pytest.mark.parametrize("part", HELD_OUT_PARTS)
def test_held_out_parts_are_refused(part: str, tmp_path: Path) -> None:
    path = tmp_path / part / "stream.jsonl"
    path.parent.mkdir()
    path.write_text("")
    with pytest.raises(SystemExit):
        main(["--data", str(path)])


@pytest.mark.parametrize(
    "part",
    ["fresh", "held3", "held4", "held5", "held9", "held10", "held11", "held12", "held13", "held14",
     "held15", "held16", "held17", "held18", "held19", "held20", "held21", "held22", "held23",
     "held24", "held25", "held26"],
)  # fmt: skip
def test_a_retired_part_is_read_as_tuning_data(
    part: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Parts retired from held-out into tuning data (the data README) are scored."""
    path = tmp_path / part / "stream.jsonl"
    path.parent.mkdir()
    path.write_text("")
    monkeypatch.setattr("bench.monolingual.ROOT", tmp_path)  # paths print relative to it
    assert main(["--data", str(path)]) == 0
    assert f"{part}/stream.jsonl: 0 reports, 0 stories" in capsys.readouterr().out
