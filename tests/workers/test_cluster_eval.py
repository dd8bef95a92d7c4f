"""workers.cluster_eval: the evaluation command reads documents, never labels."""

from __future__ import annotations

import gzip
import json
import random
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from workers.cluster_eval import DocumentError, main, read_docs, run_eval, to_doc
from workers.filing_time import day_of

DEV = Path(__file__).resolve().parents[3] / "shared" / "data" / "uci-news-dev.jsonl.gz"
Tamper = Callable[[list[dict[str, Any]], random.Random], list[dict[str, Any]]]
pytestmark = pytest.mark.skipif(not DEV.is_file(), reason="needs ../shared/data (shared data)")


def dev_rows(n: int = 800) -> list[dict[str, str]]:
    with gzip.open(DEV, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for _, line in zip(range(n), handle, strict=False)]


def write(path: Path, rows: list[dict[str, str]]) -> Path:
    text = "".join(json.dumps(r) + "\n" for r in rows)
    if path.suffix == ".gz":
        path.write_bytes(gzip.compress(text.encode()))
    else:
        path.write_text(text, encoding="utf-8")
    return path


def predictions(tmp_path: Path, rows: list[dict[str, str]], name: str) -> list[dict[str, str]]:
    out = tmp_path / f"{name}.pred.jsonl"
    run_eval(write(tmp_path / f"{name}.jsonl", rows), out)
    return [json.loads(line) for line in out.read_text().splitlines()]


def test_one_line_per_document(tmp_path: Path) -> None:
    rows = dev_rows()
    out = tmp_path / "pred.jsonl"
    result = run_eval(write(tmp_path / "in.jsonl.gz", rows), out)
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert sorted(line["id"] for line in lines) == sorted(r["id"] for r in rows)
    assert all(set(line) == {"id", "story"} for line in lines)
    assert result["documents"] == len(rows)
    assert 1 < result["stories"] < len(rows)
    assert result["docs_per_second"] > 0


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda rows, rng: [{k: v for k, v in r.items() if k != "cluster"}
                                        for r in rows], id="labels-removed"),
        pytest.param(lambda rows, rng: [{**r, "cluster": c} for r, c in
                                        zip(rows, rng.sample([r["cluster"] for r in rows],
                                                             len(rows)), strict=True)],
                     id="labels-shuffled"),
        pytest.param(lambda rows, rng: [{**r, "cluster": "same"} for r in rows], id="one-label"),
        pytest.param(lambda rows, rng: [{**r, "extra": rng.random()} for r in rows],
                     id="unknown-field-added"),
    ],
)  # fmt: skip
def test_labels_never_influence_predictions(tmp_path: Path, tamper: Tamper) -> None:
    rows = dev_rows()
    expected = predictions(tmp_path, rows, "clean")
    tampered = tamper(rows, random.Random(7))
    assert predictions(tmp_path, tampered, "tampered") == expected


def test_documents_go_in_published_order(tmp_path: Path) -> None:
    # One row per timestamp: with no ties the published order is total (ties keep file order).
    rows = list({r["published"]: r for r in reversed(dev_rows(300))}.values())[::-1]
    shuffled = rows[:]
    random.Random(3).shuffle(shuffled)
    docs = read_docs(write(tmp_path / "a.jsonl", shuffled))
    assert [d.published for d in docs] == sorted(d.published for d in docs)
    by_id = sorted(predictions(tmp_path, shuffled, "b"), key=lambda p: p["id"])
    assert by_id == sorted(predictions(tmp_path, rows, "c"), key=lambda p: p["id"])


def test_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = write(tmp_path / "in.jsonl", dev_rows(200))
    out = tmp_path / "pred.jsonl"
    assert main([str(source), "--out", str(out)]) == 0
    assert len(out.read_text().splitlines()) == 200
    assert "documents/s" in capsys.readouterr().err


def test_a_line_that_is_no_document_is_named_by_its_line(tmp_path: Path) -> None:
    rows = dev_rows(3)
    del rows[2]["published"]
    source = write(tmp_path / "in.jsonl.gz", rows)
    with pytest.raises(DocumentError, match=r"in\.jsonl\.gz:3: missing published$"):
        read_docs(source)


@pytest.mark.parametrize("damage", ["cut", "corrupt"])
def test_a_broken_gzip_file_is_a_document_error(tmp_path: Path, damage: str) -> None:
    # gzip.open raises EOFError for a cut stream and zlib.error for corrupt data, neither
    # an OSError: read_docs names the file and the first line it could not read instead.
    source = write(tmp_path / "in.jsonl.gz", dev_rows(50))
    data = bytearray(source.read_bytes())
    if damage == "cut":
        del data[len(data) // 2 :]
    else:
        data[10] = 0b111  # the first deflate block after the 10-byte header: reserved type
    source.write_bytes(bytes(data))
    with pytest.raises(DocumentError, match=r"in\.jsonl\.gz:\d+: cannot decompress: "):
        read_docs(source)


def test_a_date_only_row_was_filed_at_any_time_of_its_day() -> None:
    """``date_only``: the row's ``published`` is its day's start, its filing any instant of
    that day (workers/filing_time.py); without it, the row was filed at ``published``."""
    row = {"id": "a", "published": "2022-03-01T00:00:00+02:00"}
    day_start = datetime(2022, 2, 28, 22, tzinfo=UTC)
    assert to_doc({**row, "date_only": True}).filed == day_of(day_start)
    assert to_doc(row).filed is None and to_doc({**row, "date_only": False}).filed is None
    with pytest.raises(ValueError, match="date_only: not true or false"):
        to_doc({**row, "date_only": "yes"})
