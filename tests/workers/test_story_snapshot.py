"""workers.story_snapshot: the story stage's snapshot text in chunks, and the version before."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from tests.factories import story_snapshot_shared_count, story_snapshot_v3
from workers import story_snapshot
from workers.cluster import ClusterConfig
from workers.cluster_eval import to_doc
from workers.story_decider import StoryDecider
from workers.story_linking import DEFAULT_LINKING
from workers.story_text import NAME_MARK


def fixture() -> tuple[list[dict[str, str]], str]:
    return story_snapshot_v3()


def decided(rows: list[dict[str, str]]) -> StoryDecider:
    """A decider that saw ``rows`` in order, each at its own time (as the fixture's did)."""
    decider = StoryDecider()
    feed(decider, rows)
    return decider


def feed(decider: StoryDecider, rows: list[dict[str, str]]) -> list[str]:
    """Each row copied or clustered; returns where each went (original id or story id)."""
    went = []
    for row in rows:
        doc = to_doc(row)
        original = decider.copy_of(doc, doc.published)
        went.append(original or decider.cluster(doc, doc.published).story_id)
    return went


def test_version_3_snapshot_restores_the_state_it_recorded() -> None:
    """Everything it recorded; the name keys' counts (``DocFreqs.name_count``), which it
    predates, begin with the next document read."""
    rows, text = fixture()
    restored, version = story_snapshot.decode(text)
    assert version == 3
    assert restored.snapshot() == without_name_counts(decided(rows).snapshot())


def without_name_counts(snapshot: dict[str, Any]) -> dict[str, Any]:
    """``snapshot`` with its document counts' name-key markers left out."""
    for count in snapshot["clusterer"]["df"]["languages"].values():
        for day, bucket in count["buckets"].items():
            count["buckets"][day] = {t: n for t, n in bucket.items()
                                     if not t.startswith(NAME_MARK)}  # fmt: skip
    return snapshot


def test_round_trip_continues_exactly_as_if_never_stopped() -> None:
    rows, _ = fixture()
    straight = decided(rows[:80])
    expected = feed(straight, rows[80:])
    restored, version = story_snapshot.decode(story_snapshot.encode(decided(rows[:80])))
    assert version == story_snapshot.VERSION
    assert feed(restored, rows[80:]) == expected
    assert restored.snapshot() == straight.snapshot()


def test_big_collections_are_cut_into_chunks_of_bounded_size(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rows, _ = fixture()
    decider = decided(rows)
    stories = len(decider.clusterer.snapshot()["stories"])
    monkeypatch.setattr(story_snapshot, "CHUNK", 7)
    text = story_snapshot.encode(decider)
    header, _head, *chunks = text.split("\n")
    parts = {tuple(path): count for path, _kind, count in json.loads(header)["parts"]}
    assert parts[("clusterer", "stories")] == -(-stories // 7)  # ceil: every story, 7 a chunk
    assert all(len(story_snapshot.unpack(chunk)) <= 7 for chunk in chunks)
    assert len(chunks) == sum(parts.values())
    restored, _ = story_snapshot.decode(text)
    assert restored.snapshot() == decider.snapshot()


def test_encoding_leaves_the_decider_as_it_was() -> None:
    rows, _ = fixture()
    decider = decided(rows)
    before = json.dumps(decider.snapshot(), sort_keys=True)
    story_snapshot.encode(decider)
    assert json.dumps(decider.snapshot(), sort_keys=True) == before


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text.rsplit("\n", 1)[0],  # a chunk short
        lambda text: text + "\n" + text.split("\n")[-1],  # a chunk too many
        lambda text: text.replace('"version":4', '"version":5', 1),
        lambda text: text[: len(text) // 2],
        lambda text: '{"version":999}',
    ],
    ids=["short", "long", "version", "truncated", "unknown-json"],
)
def test_unreadable_snapshots_are_value_errors(damage: object) -> None:
    rows, _ = fixture()
    text = story_snapshot.encode(decided(rows[:40]))
    assert callable(damage)
    with pytest.raises(ValueError):
        story_snapshot.decode(damage(text))


def test_a_story_begun_by_a_date_only_report_keeps_its_day_through_the_text() -> None:
    """A story whose first report is dated by its day only began within that day
    (workers/filing_time.py); the encoded text keeps that exactly, so a restored decider
    reads the same hours between stories."""
    rows, _ = fixture()
    rows = [{**row, "date_only": True} if i % 3 == 0 else row for i, row in enumerate(rows)]
    straight = decided(rows[:80])
    began = [s["began"] for s in straight.snapshot()["clusterer"]["stories"] if "began" in s]
    assert began
    restored, _ = story_snapshot.decode(story_snapshot.encode(decided(rows[:80])))
    assert restored.snapshot() == straight.snapshot()
    assert feed(restored, rows[80:]) == feed(straight, rows[80:])


def test_a_stage_restarted_on_a_snapshot_of_one_shared_count_keeps_its_stories() -> None:
    """A snapshot main wrote before document counts per language (clusterer version 6):
    every story comes back as written, each language of them starts from the shared count,
    and the stage goes on deciding as main did after it, with the link rules added since
    it was recorded off (the procedure steps keep apart later rows main linked: a change of
    decision, not of the restore)."""
    rows, text, went_on_main = story_snapshot_shared_count()
    link = dataclasses.replace(DEFAULT_LINKING, steps_apart=False)
    restored, version = story_snapshot.decode(text, ClusterConfig(link=link))
    assert version == 4
    header, head, *chunks = text.split("\n")
    written = story_snapshot.unpack(head)["clusterer"]
    assert written["version"] == 6
    (path, _kind, count), *_ = json.loads(header)["parts"]
    assert path == ["clusterer", "stories"]
    stories = [s for chunk in chunks[:count] for s in story_snapshot.unpack(chunk)]
    state = restored.snapshot()["clusterer"]
    assert state["stories"] == stories and len(stories) > 50
    counts = state["df"]["languages"]
    assert sorted(counts) == ["en", "ru", "uk"]
    assert all(count == written["df"] for count in counts.values())
    assert feed(restored, rows[90:]) == went_on_main
    again, version = story_snapshot.decode(story_snapshot.encode(restored))
    assert version == story_snapshot.VERSION
    assert again.snapshot() == restored.snapshot()
