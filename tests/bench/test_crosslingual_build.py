"""bench/data/crosslingual/build.py: the set's rows from real feeds read their dates as the
service does."""

from __future__ import annotations

import importlib.util
import json
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType

import pytest

from tests.factories import SHARED_FEEDS

ROOT = Path(__file__).resolve().parents[2]
SET = ROOT / "bench" / "data" / "crosslingual"
FEEDS = SHARED_FEEDS / "real"

# The set's feed part is built from the shared corpus, which is not in the repository.
pytestmark = pytest.mark.skipif(
    not FEEDS.is_dir(), reason="needs ../shared/feeds/real (the shared feed corpus)"
)


def build_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("crosslingual_build", SET / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_feed_item_dated_by_its_day_is_a_date_only_row_at_the_days_start() -> None:
    """Radio Svoboda's feed stamps every item 12:00 and BBC Russian's 00:00 (a date field
    written as a time, workers/date_only.py): the rows carry ``date_only`` at the day's
    00:00, as a captured row dated by its day does; Novosti Donbasu's items are timed."""
    rows = build_module().load_real(FEEDS, {"svoboda-0", "bbcru-5", "donbass-0"})
    svoboda, bbc, donbass = rows["svoboda-0"], rows["bbcru-5"], rows["donbass-0"]
    assert (svoboda["published"], svoboda.get("date_only")) == (
        datetime(2025, 6, 10, tzinfo=UTC), True)  # fmt: skip
    assert (bbc["published"], bbc.get("date_only")) == (datetime(2025, 11, 26, tzinfo=UTC), True)
    assert "date_only" not in donbass and donbass["published"].time() != datetime.min.time()


def test_the_committed_set_is_what_the_build_writes() -> None:
    rows = build_module().build(FEEDS)
    committed = (SET / "stream.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.dumps(row, ensure_ascii=False) for row in rows] == committed
