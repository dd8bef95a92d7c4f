"""workers.cluster snapshot encoding: deflated JSON that restores identically."""

from __future__ import annotations

import base64
import json
import zlib
from datetime import UTC, datetime, timedelta

import pytest

from workers.cluster import SNAPSHOT_VERSION, ClusterDoc, Clusterer

T0 = datetime(2026, 2, 17, 12, tzinfo=UTC)

HEADLINES = [
    ("en", "Russia launches massive drone and missile attack on Kyiv"),
    ("en", "Kyiv hit by massive Russian drone attack overnight, officials say"),
    ("en", "Magnitude 7.1 earthquake strikes off the coast of Japan"),
    ("en", "Japan: 7.1 quake hits off coast, tsunami warning issued"),
    ("uk", "Росія завдала масованого удару дронами по Києву"),
    ("uk", "Київ атакували дрони вночі, повідомляє влада"),
    ("en", "Wall Street ends higher as tech stocks rally"),
    ("en", "Fed holds rates steady and signals two cuts this year"),
    ("de", "Bundestag beschließt Haushalt für das kommende Jahr"),
    ("en", "Zelensky meets Macron in Paris to discuss security guarantees"),
]


def docs(n: int) -> list[ClusterDoc]:
    out = []
    for i in range(n):
        language, title = HEADLINES[i % len(HEADLINES)]
        when = T0 + timedelta(hours=i * 0.7)
        text = f"{title}. Report number {i // len(HEADLINES)} from the scene."
        out.append(ClusterDoc(f"d{i}", title, text, when, language, f"Outlet {i % 7}"))
    return out


def run(clusterer: Clusterer, batch: list[ClusterDoc]) -> list[str]:
    return [clusterer.add(d, d.published).story_id for d in batch]


def test_snapshot_is_deflated_json_and_restores_identically() -> None:
    batch = docs(60)
    straight = Clusterer()
    expected = run(straight, batch)
    first = Clusterer()
    got = run(first, batch[:35])
    snapshot = first.snapshot()
    assert snapshot["version"] == SNAPSHOT_VERSION
    stored = json.dumps(snapshot)  # as the story store writes it: ASCII, nothing escaped
    assert "\\" not in stored
    restored = Clusterer.restore(json.loads(stored))
    got += run(restored, batch[35:])
    assert got == expected
    assert restored.stories() == straight.stories()


def test_deflated_snapshot_is_smaller_than_the_plain_one() -> None:
    clusterer = Clusterer()
    run(clusterer, docs(200))
    snapshot = clusterer.snapshot()
    state = json.loads(zlib.decompress(base64.b85decode(snapshot["deflated"])))
    assert len(json.dumps(snapshot)) < len(json.dumps(state, ensure_ascii=False)) / 2


def test_corrupt_snapshot_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="corrupt"):
        Clusterer.restore(
            {"version": SNAPSHOT_VERSION, "deflated": base64.b85encode(b"not zlib").decode()}
        )
