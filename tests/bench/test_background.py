"""bench/_background.py: the real traffic mixed into the cross-language bench's streams."""

from __future__ import annotations

import builtins
import io
import json
from collections import Counter
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from bench import _background
from bench._background import background, background_stories, mix, pool, wrong_background_links
from tests.factories import SHARED_FEEDS

SET = _background.SET
DEV = SET.parent / "dev" / "stream.jsonl"
HELD_OUT = (
    "check", "held6", "held7", "held8", "held27", "held28", "held29", "held30", "held31", "held32",
)  # fmt: skip
needs_shared = pytest.mark.skipif(
    not (SHARED_FEEDS / "MANIFEST.tsv").exists(), reason="the shared feeds are not beside the repo"
)


def labelled(*stamps: str) -> list[dict[str, Any]]:
    return [{"id": f"l{k}", "title": f"labelled {k}", "text": "", "published": stamp,
             "language": "uk", "development": f"dev-{k}"}
            for k, stamp in enumerate(stamps)]  # fmt: skip


def items(count: int, language: str = "en") -> list[dict[str, Any]]:
    return [{"title": f"{language} item {k}", "text": f"text {k}", "source": f"outlet {k % 3}",
             "url": f"https://example.org/{language}/{k}", "language": language}
            for k in range(count)]  # fmt: skip


def rows_of(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def test_each_labelled_day_receives_its_items_within_that_day_each_item_once() -> None:
    stream = labelled("2022-03-14T09:00:00+00:00", "2022-03-14T23:30:00+02:00",
                      "2022-03-20T01:00:00+00:00")  # fmt: skip
    rows = mix(stream, items(50) + items(4, "ru"), per_day=10)
    days = Counter(r["published"][:10] for r in rows)
    assert days == {"2022-03-14": 10, "2022-03-20": 10}
    assert len({r["title"] for r in rows}) == 20
    assert Counter(r["language"] for r in rows)["ru"] == 4  # the Cyrillic items spread first
    assert all(r["role"] == "background" and r["development"] == r["id"] for r in rows)
    assert [r["published"] for r in rows] == sorted(r["published"] for r in rows)


def test_a_short_pool_lowers_the_rate_rather_than_repeat_an_item() -> None:
    rows = mix(labelled("2022-03-14T09:00:00+00:00", "2022-03-15T09:00:00+00:00"), items(7), 10)
    assert len(rows) == 6 and len({r["title"] for r in rows}) == 6


def test_the_mix_is_the_same_for_one_seed_and_another_for_another() -> None:
    stream = labelled("2022-03-14T09:00:00+00:00", "2022-05-01T12:00:00+00:00")
    pooled = items(100)
    first, again, other = (mix(stream, pooled, 20, seed) for seed in (13, 13, 14))
    assert first == again
    assert first != other


def test_an_item_keeps_its_language_outlet_and_text() -> None:
    pooled = items(5, "ru")
    rows = mix(labelled("2022-03-14T09:00:00+00:00"), pooled, per_day=5)
    kept = {(r["title"], r["text"], r["source"], r["url"], r["language"]) for r in rows}
    assert kept == {(i["title"], i["text"], i["source"], i["url"], i["language"]) for i in pooled}
    assert all(datetime.fromisoformat(r["published"]).date().isoformat() == "2022-03-14"
               for r in rows)  # fmt: skip


def test_a_labelled_row_with_a_background_row_of_another_language_is_a_wrong_link() -> None:
    rows = [
        {"id": "l0", "language": "uk"}, {"id": "l1", "language": "en"},
        {"id": "b0", "language": "en", "role": "background"},
        {"id": "b1", "language": "ru", "role": "background"},
        {"id": "b2", "language": "en", "role": "background"},
    ]  # fmt: skip
    story = {"l0": "s1", "b0": "s1", "l1": "s2", "b2": "s2", "b1": "s3"}
    # l0 (uk) shares s1 with b0 (en): wrong; l1 and b2 are one language: the clusterer's call
    assert wrong_background_links(story, rows) == (1, 0)
    story = {**story, "b1": "s2"}  # b1 (ru) joins b2 (en) and l1 (en)
    assert wrong_background_links(story, rows) == (2, 2)


def test_the_stories_listed_are_those_with_a_background_row_beside_another_language() -> None:
    rows = [
        {"id": "l0", "language": "uk", "published": "2022-03-14T10:00:00+00:00"},
        {"id": "b0", "language": "en", "published": "2022-03-14T09:00:00+00:00",
         "role": "background"},
        {"id": "l1", "language": "en", "published": "2022-03-14T08:00:00+00:00"},
        {"id": "l2", "language": "ru", "published": "2022-03-14T08:30:00+00:00"},
        {"id": "b1", "language": "ru", "published": "2022-03-14T07:00:00+00:00",
         "role": "background"},
        {"id": "b2", "language": "ru", "published": "2022-03-14T11:00:00+00:00",
         "role": "background"},
    ]  # fmt: skip
    # s1: a labelled uk row beside a background en row; s2: two labelled rows of two
    # languages (the pairs' score, not listed); s3: one language with its background
    story = {"l0": "s1", "b0": "s1", "l1": "s2", "l2": "s2", "b1": "s3", "b2": "s3"}
    assert [[r["id"] for r in held] for held in background_stories(story, rows)] == [["b0", "l0"]]
    story = {**story, "b2": "s2"}  # a background ru row beside the labelled en and ru rows
    listed = [[r["id"] for r in held] for held in background_stories(story, rows)]
    assert listed == [["l1", "l2", "b2"], ["b0", "l0"]]


@needs_shared
def test_the_pool_leaves_out_every_item_the_set_uses() -> None:
    set_rows = rows_of(SET)
    used = {(r["feed_file"], r["feed_entry"]) for r in set_rows if "feed_file" in r}
    pooled = pool(set_rows)
    where = {(i.get("feed_file"), i.get("feed_entry")) for i in pooled}
    assert used and not used & where
    assert {f for f, _ in used} <= {f for f, _ in where}  # the same feeds' other items stay
    titles = {r["title"].casefold() for r in set_rows}
    assert not any(i["title"].casefold() in titles for i in pooled)
    assert {i["language"] for i in pooled} == {"en", "ru", "uk"}


@needs_shared
def test_a_background_reads_no_held_out_part(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    real_open = builtins.open

    def recording_open(file: Any, *args: Any, **kwargs: Any) -> Any:
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", recording_open)
    monkeypatch.setattr(io, "open", recording_open)  # pathlib's
    assert background(rows_of(DEV), per_day=5)
    assert str(SET) in opened and str(SHARED_FEEDS / "MANIFEST.tsv") in opened
    data = SET.parent.resolve()
    under_data = [Path(p).resolve().relative_to(data) for p in opened
                  if Path(p).resolve().is_relative_to(data)]  # fmt: skip
    assert under_data and not [p for p in under_data if set(p.parts) & set(HELD_OUT)]
