"""workers.one_report: the n-grams link a report at once only when one report of the story
shares them; read on real reports in three languages (the held9 tuning part, every row
timed, and the set), through the linker's triage and the clusterer's whole decision path
with the real embedding (workers/story_linking.py, workers/cluster.py)."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

from workers.cluster import ClusterConfig
from workers.cluster_eval import cluster_docs, to_doc
from workers.one_report import gram_dot, one_report_shares
from workers.story_linking import LinkConfig, Linker

DATA = Path(__file__).resolve().parents[2] / "bench" / "data" / "crosslingual"
LINKING = LinkConfig()
UNION = dataclasses.replace(LINKING, one_report_link=False)
# The reshuffle of 2 January 2026 (held9): the offer of the President's Office to Budanov in
# Russian (11:56 UTC) and English (12:27), then the Ukrainian report that the border guard
# chief will be replaced (16:14) and its Russian version (16:09).
OFFER_RU, OFFER_EN = "report-az-ru-budanov-offer", "komersant-ua-en-budanov-offer"
BORDER_UK, BORDER_RU = "regionews-1767370706", "charter97-668656"


def rows(part: str, *ids: str) -> list[dict[str, Any]]:
    lines = (DATA / part / "stream.jsonl").read_text("utf-8").splitlines()
    by_id = {row["id"]: row for row in map(json.loads, lines)}
    return [by_id[i] for i in ids]


def test_the_dot_of_two_reports_grams_is_symmetric() -> None:
    a, b = {"zel": 0.6, "ele": 0.8}, {"ele": 0.5, "bud": 0.5, "dan": 0.7071}
    assert gram_dot(a, b) == gram_dot(b, a) == 0.8 * 0.5
    assert gram_dot(a, {}) == 0.0


def test_one_report_must_share_the_level_by_itself() -> None:
    report = {"zel": 0.6, "pre": 0.8}
    # Each kept report shares a piece (0.36, 0.48), together more than either.
    pieces = [{"zel": 0.6, "kyi": 0.8}, {"pre": 0.6, "off": 0.8}]
    assert not one_report_shares(report, pieces, 0.5)
    assert one_report_shares(report, [*pieces, {"zel": 0.6, "pre": 0.8}], 0.5)
    assert not one_report_shares(report, [], 0.0)


def linker_with(config: LinkConfig, story: list[dict[str, Any]]) -> Linker:
    """A linker whose one story ``st`` keeps the reports of ``story``."""
    linker = Linker(config)
    for row in story:
        doc = to_doc(row)
        linker.join("st", linker.read(doc.id, doc.language, doc.published.timestamp(),
                                      doc.title, doc.text))  # fmt: skip
    return linker


def triage(config: LinkConfig, story: list[dict[str, Any]], newcomer: dict[str, Any]
           ) -> tuple[str | None, list[str], float, list[float]]:  # fmt: skip
    """The newcomer's triage against the story: the story it joins at once, its band,
    the story's n-gram cosine and each kept report's."""
    linker = linker_with(config, story)
    doc = to_doc(newcomer)
    report = linker.read(doc.id, doc.language, doc.published.timestamp(), doc.title, doc.text)
    [(story_cosine, _)] = linker._candidates(report)
    each = [gram_dot(report.grams, kept.grams) for kept in linker._reports["st"]]
    linked, band = linker.triage(report)
    return linked, [sid for sid, _ in band], story_cosine, each


def test_another_step_of_the_affair_that_meets_the_story_only_through_its_reports_together(
) -> None:  # fmt: skip
    """ "Очільника ДПСУ замінять: Зеленський розповів про подальшу долю Дейнека" against the
    story of the offer to Budanov, told in Russian and English: the President's name
    written in both languages, "pred-" and "pre-" in one; the story reaches ``gram_link``,
    neither report does. Left to the check."""
    story = rows("held9", OFFER_RU, OFFER_EN)
    [border] = rows("held9", BORDER_UK)
    linked, band, story_cosine, each = triage(LINKING, story, border)
    assert story_cosine >= LINKING.gram_link > max(each)
    assert (linked, band) == (None, ["st"])
    assert triage(UNION, story, border)[:2] == ("st", [])


def medvedev_versions() -> tuple[dict[str, Any], dict[str, Any]]:
    """The set's Russian and Ukrainian reports of the donations to Medvedev's foundations."""
    lines = (DATA / "stream.jsonl").read_text("utf-8").splitlines()
    russian, ukrainian, _ = [r for r in map(json.loads, lines) if r["development"] == "dev-024"]
    return russian, ukrainian


def test_a_version_that_one_report_says_links_at_once() -> None:
    """The Ukrainian version of the Russian report on the donations to Medvedev's
    foundations shares its names with that one report; and the
    Russian decree appointing Budanov against the Ukrainian decree's story."""
    russian, ukrainian = medvedev_versions()
    linked, band, _, each = triage(LINKING, [russian], ukrainian)
    assert max(each) >= LINKING.gram_link and (linked, band) == ("st", [])
    decree_ru, decree_uk = rows("held9", "lenta-2026-01-02-ukkr", "racurs-211238")
    linked, _, _, each = triage(LINKING, [decree_uk], decree_ru)
    assert max(each) >= LINKING.gram_link and linked == "st"


def stories(config: LinkConfig, ids: tuple[str, ...]) -> dict[str, str]:
    """Each report's story through the service's decision path (the real embedding)."""
    docs = sorted((to_doc(row) for row in rows("held9", *ids)), key=lambda d: d.published)
    return dict(cluster_docs(docs, ClusterConfig(link=config)))


def test_the_reshuffle_days_next_announcement_joins_its_version_not_the_offer() -> None:
    """The offer in Russian and English, then the border guard chief's replacement in
    Russian and Ukrainian. Read through the story's reports together, the n-grams put the
    Ukrainian report into the offer's story at once (three wrong pairs in held9, with the
    Russian reaction the Russian clusterer joined there too) and its Russian version stays
    apart; left to the check, the embedding links it with its version."""
    ids = (OFFER_RU, OFFER_EN, BORDER_RU, BORDER_UK)
    union = stories(UNION, ids)
    assert union[BORDER_UK] == union[OFFER_RU] != union[BORDER_RU]
    story = stories(LINKING, ids)
    assert story[OFFER_RU] == story[OFFER_EN]
    assert story[BORDER_UK] == story[BORDER_RU] != story[OFFER_RU]
