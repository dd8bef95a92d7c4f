"""workers.story_linking: reports of one development in other languages join its story.

Real reports from bench/data/crosslingual (its README says how the set was made) and the
real embedding model."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from workers.cluster import ClusterConfig, ClusterDoc, Clusterer
from workers.story_linking import (
    DEFAULT_LINKING,
    GramVerdict,
    LinkConfig,
    Linker,
    gram_verdict,
    link_grams,
)

SET = Path(__file__).resolve().parents[2] / "bench" / "data" / "crosslingual" / "stream.jsonl"
T0 = datetime(2026, 2, 17, 9, tzinfo=UTC)


def rows(development: str) -> list[dict[str, Any]]:
    lines = SET.read_text(encoding="utf-8").splitlines()
    return [r for r in map(json.loads, lines) if r["development"] == development]


def doc(row: dict[str, Any], when: datetime) -> ClusterDoc:
    return ClusterDoc(row["id"], row["title"], row["text"], when, row["language"],
                      row["source"], row["url"])  # fmt: skip


def versions(development: str, start: datetime, step: timedelta) -> list[ClusterDoc]:
    """A development's versions (en, uk, ru), ``step`` apart from ``start``."""
    return [doc(r, start + i * step) for i, r in enumerate(rows(development))]


def test_names_meet_across_scripts_as_ngrams() -> None:
    spellings = [link_grams(name) for name in ("Зеленський", "Зеленский", "Zelensky")]
    shared = set(spellings[0]) & set(spellings[1]) & set(spellings[2])
    assert {" ze", " zel", "zel", "ele", "len"} <= shared
    assert link_grams("in 2021 the Kremlin")["#2021"] == 1


def test_versions_of_one_development_in_three_languages_are_one_story() -> None:
    clusterer = Clusterer()
    # Two developments of the same war on the same morning, their versions interleaved.
    belarus = versions("dev-006", T0, timedelta(minutes=40))  # Kremlin planned to seize Belarus
    belousov = versions("dev-014", T0 + timedelta(minutes=15), timedelta(minutes=40))
    assert {d.language for d in belarus} == {d.language for d in belousov} == {"en", "uk", "ru"}
    placed = {}
    for d in sorted(belarus + belousov, key=lambda d: d.published):
        placed[d.id] = clusterer.add(d, T0 + timedelta(days=1))
    belarus_stories = {placed[d.id].story_id for d in belarus}
    belousov_stories = {placed[d.id].story_id for d in belousov}
    assert len(belarus_stories) == 1 and len(belousov_stories) == 1
    assert belarus_stories != belousov_stories
    # One created event per development, then updates that name every language.
    assert sum(placed[d.id].created for d in belarus) == 1
    story = clusterer.story(belarus_stories.pop())
    assert story is not None and set(story.languages) == {"en", "uk", "ru"}


def test_versions_days_apart_do_not_link() -> None:
    clusterer = Clusterer()
    first, second, _ = versions("dev-006", T0, timedelta(days=3))
    a = clusterer.add(first, T0 + timedelta(days=7))
    b = clusterer.add(second, T0 + timedelta(days=7))
    assert a.story_id != b.story_id


def test_reports_of_one_language_never_meet_through_the_linker() -> None:
    linker = Linker(embed=lambda texts: (_ for _ in ()).throw(AssertionError("embedded")))
    when = T0.timestamp()
    english = linker.read("a", "en", when, "Russia strikes Kharkiv power plant", "")
    linker.join("st_a", english)
    again = linker.read("b", "en", when + 60, "Russia strikes Kharkiv power plant", "")
    # Only reports in other languages are candidates: nothing to embed, nothing joins.
    assert linker.best(again) == (None, 0.0)


def test_linking_off_keeps_languages_apart() -> None:
    clusterer = Clusterer(ClusterConfig(link=None))
    stories = {clusterer.add(d, T0 + timedelta(days=1)).story_id
               for d in versions("dev-006", T0, timedelta(minutes=40))}  # fmt: skip
    assert len(stories) == 3


def test_snapshot_restores_the_links() -> None:
    docs = versions("dev-006", T0, timedelta(minutes=40))
    first = Clusterer()
    story = first.add(docs[0], T0 + timedelta(days=1)).story_id
    restored = Clusterer.restore(json.loads(json.dumps(first.snapshot())))
    assert restored.add(docs[1], T0 + timedelta(days=1)).story_id == story
    assert restored.add(docs[2], T0 + timedelta(days=1)).story_id == story


def refuse_to_embed(texts: Sequence[str]) -> np.ndarray:
    raise AssertionError(f"embedded {list(texts)}")


class SameVector:
    """An embedding that calls every text the same (cosine 1) and records what it got."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        self.texts.extend(texts)
        return np.ones((len(texts), 4), dtype=np.float32) / 2.0


def test_the_ngrams_decide_above_and_below_the_band_and_the_model_within() -> None:
    config = LinkConfig(gram_floor=0.03, gram_link=0.2)
    assert gram_verdict(0.0, config) is GramVerdict.APART
    assert gram_verdict(0.029, config) is GramVerdict.APART
    assert gram_verdict(0.03, config) is GramVerdict.VERIFY
    assert gram_verdict(0.199, config) is GramVerdict.VERIFY
    assert gram_verdict(0.2, config) is GramVerdict.LINK
    assert gram_verdict(0.8, config) is GramVerdict.LINK


def test_a_version_that_shares_its_names_links_without_the_model() -> None:
    russian, ukrainian, _ = rows("dev-024")  # record donations to Medvedev's funds
    assert (russian["language"], ukrainian["language"]) == ("ru", "uk")
    linker = Linker(embed=refuse_to_embed)
    when = T0.timestamp()
    first = linker.read(russian["id"], "ru", when, russian["title"], russian["text"])
    linker.join("st_ru", first)
    version = linker.read(ukrainian["id"], "uk", when + 3600, ukrainian["title"], ukrainian["text"])
    story, score = linker.best(version)
    assert story == "st_ru" and score >= DEFAULT_LINKING.gram_link


def test_a_weak_candidate_is_apart_without_the_model() -> None:
    linker = Linker(LinkConfig(gram_floor=0.9), embed=refuse_to_embed)
    when = T0.timestamp()
    linker.join("st_en", linker.read("a", "en", when, "Russian drones strike Kharkiv", ""))
    other = linker.read("b", "uk", when + 60, "Удар по Харкову: загинули двоє", "")
    assert linker.best(other) == (None, 0.0)


def test_the_band_embeds_the_newcomer_and_one_kept_report_of_a_candidate() -> None:
    embed = SameVector()
    linker = Linker(LinkConfig(gram_floor=0.0001, gram_link=2.0), embed=embed)
    when = T0.timestamp()
    for k, title in enumerate(("Russian drones strike Kharkiv power plant",
                               "Kharkiv: drones hit the power plant again",
                               "Kharkiv power plant burns after drone strike")):  # fmt: skip
        linker.join("st_en", linker.read(f"en{k}", "en", when + k, title, ""))
    newcomer = linker.read("uk", "uk", when + 60, "Дрони вдарили по Харківській ТЕС", "")
    assert linker.best(newcomer) == ("st_en", 1.0)
    # Of the three English reports, only the one sharing the most n-grams is embedded.
    assert len(embed.texts) == 2 and embed.texts[0] == newcomer.text
    # Embedded once: the next comparison with it is free.
    again = linker.read("uk2", "uk", when + 90, "Харківська ТЕС горить після удару", "")
    assert linker.best(again)[0] == "st_en"
    assert len(embed.texts) == 3
