"""workers.previews: a report of a planned or announced event is not the event; read in
three languages, and through the clusterer's checks and the n-grams' immediate link
(workers/cluster.py, workers/story_linking.py) on real timed reports of the held9 tuning
part."""

from __future__ import annotations

import dataclasses
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from workers.cluster import ClusterConfig, Clusterer
from workers.cluster_eval import to_doc
from workers.previews import announces, headline, preview_of
from workers.story_linking import LinkConfig, Linker, link_text

HELD9 = Path(__file__).resolve().parents[2] / "bench" / "data" / "crosslingual" / "held9"
LINKING = LinkConfig()
OFF = dataclasses.replace(LINKING, preview_hours=None)


def rows(*ids: str) -> list[dict[str, Any]]:
    by_id = {
        row["id"]: row
        for row in map(json.loads, (HELD9 / "stream.jsonl").read_text("utf-8").splitlines())
    }
    return [by_id[i] for i in ids]


@pytest.mark.parametrize(
    "headline",
    [
        "Zelenskyy announces meeting with Erdoğan on Wed",
        "Zelensky to meet Trump at NATO summit",
        "Zelensky decides to appoint Budanov as head of the Office of the President",
        "Trump is set to host Putin in Alaska",
        "Зеленский заявил, что планирует встретиться с Трампом на полях саммита НАТО",
        "Зеленский предложил Буданову возглавить Офис президента",
        "Переговоры в Стамбуле состоятся завтра",
        "Зеленський має намір зустрітися з Ердоганом",
        "Зеленський запропонував Буданову очолити Офіс президента",
        "Зустріч у Женеві відбудеться наступного тижня",
        "Україна планує провести вибори",
        "Russia, Ukraine to sign UN grain export deal on Friday, says Turkey",
        "Leaders to meet on Tues. in Geneva",
        "Трамп предложит Путину встречу",
        # A schedule verb's future: the event held, begun, opened or convened.
        "В Абу-Даби пройдут первые трехсторонние переговоры России, США и Украины",
        "Белый дом: встреча Трампа и Зеленского пройдет 28 декабря",
        "Саммит G20 откроется в Йоханнесбурге",
        "Переговоры по Украине начнутся в Эр-Рияде",
        "Лидеры ЕС соберутся на экстренный саммит по Украине",
        "Уиткофф проведет переговоры с Умеровым в Майами",
        "Переговори України, США та Росії пройдуть в Абу-Дабі",
        "У Женеві розпочнуться переговори щодо мирного плану",
        "Зеленський проведе зустріч із Трампом у Флориді",
        "Лідери G7 зберуться на саміт у Канаді",
        "Trilateral talks will be held in Abu Dhabi, Zelensky says",
        "Ukraine peace talks to be held in Geneva",
        "Putin-Trump summit will take place in Budapest",
        "Saudi Arabia will host US-Russia talks",
    ],
)
def test_a_headline_announcing_a_planned_event_announces(headline: str) -> None:
    assert announces(f"{headline}. The lead.")


@pytest.mark.parametrize(
    "headline",
    [
        "Zelenskyy and Trump meet on sidelines of NATO summit in The Hague",
        "Zelenskyy invites Pope to visit Ukraine",
        # The decision itself, and a promise: statements whose versions are written in
        # the present or past, not previews.
        "Russia will suspend its participation in grain deal",
        "Ukraine halts Russian gas transit to EU, Zelensky vows no profit from war",
        "В Турции начались переговоры Зеленского и Эрдогана",
        "Буданов официально возглавил офис президента Украины",
        "Трамп пообіцяв нові санкції проти РФ",
        "В Абу-Даби прошли трехсторонние переговоры России, США и Украины",
        "У Женеві розпочалися переговори щодо мирного плану",
        "Уиткофф провел переговоры с Умеровым в Майами",
        "Russian troops will be held accountable, Zelensky says",
        "Зеленський підписав указ про призначення Буданова головою Офісу президента",
        # A plan or an offer named as a noun, and "on" before a word that only begins as
        # a weekday's name: no announcement.
        "Запрошення України до НАТО є початковим пунктом Плану перемоги - Зеленський",
        "Зеленский отверг предложение Путина о перемирии",
        "Court blocks the plan to deploy troops in Chicago",
        "FBI has grave concerns about Trump's plan to release memo",
        "Apple Reportedly Focusing Less on Monolithic Annual iOS Updates",
        "US imposes sanctions on Montenegro's officials",
        "Russia fires missiles on Sunflower oil terminal",
    ],
)
def test_an_event_or_a_statement_does_not_announce(headline: str) -> None:
    assert not announces(f"{headline}. Він планує зустріч завтра.")  # the lead is not read


@pytest.mark.parametrize(
    "title",
    [
        "U.S. to host Ukraine peace talks in Geneva",
        "St. Petersburg forum to open tomorrow",
        "Ukraine, U.S. plan to sign minerals deal",
        "Mr. Trump to meet Putin in Alaska",
        "Зустріч у м. Женева відбудеться наступного тижня",
    ],
)
def test_a_headline_is_not_cut_at_an_abbreviations_dot(title: str) -> None:
    text = link_text(title, "Officials said so. He plans to go.", 300)
    assert headline(text) == title and announces(text)


def test_a_preview_is_read_only_against_a_later_report_that_does_not_announce() -> None:
    preview = "Zelensky to meet Trump at NATO summit. The lead."
    event = "Zelenskyy and Trump meet on sidelines of NATO summit. The lead."
    assert preview_of(preview, event, 6.0, 6.0)
    assert not preview_of(preview, event, 5.9, 6.0)  # versions are filed within hours
    assert not preview_of(preview, preview, 29.0, 6.0)  # two previews
    assert not preview_of(event, event, 29.0, 6.0)  # the story began with the event
    assert not preview_of(preview, event, 29.0, None)


def checked(config: LinkConfig, ids: tuple[str, str], score: float) -> Clusterer:
    """The preview, then the later event report; the event's check, if the n-grams left
    it one, answered with ``score`` against the preview's story."""
    return checked_rows(config, rows(*ids), score)


def checked_rows(config: LinkConfig, pair: list[dict[str, Any]], score: float) -> Clusterer:
    """``checked`` of two rows as given."""
    docs = sorted((to_doc(row) for row in pair), key=lambda d: d.published)
    clusterer = Clusterer(ClusterConfig(link=config))
    now = docs[-1].published + timedelta(days=1)
    preview, event = (clusterer.add(doc, now).story_id for doc in docs)
    for check in clusterer.pending_checks():
        assert check.story == event and [sid for sid, _ in check.candidates] == [preview]
        clusterer.resolve_check(check.id, [score])
    return clusterer


@pytest.mark.parametrize(
    ("ids", "score"),
    [
        # "Зеленский заявил, что планирует встретиться с Трампом на полях саммита НАТО в
        # Гааге" (24 June 2025, 07:54 UTC) and "Zelenskyy and Trump meet on sidelines of
        # NATO summit in The Hague" (29.3 h later): the check's cosine 0.900 is sure.
        (("nv-ru-50524516", "pravda-eng-7518693"), 0.900),
        # "Zelenskyy announces meeting with Erdoğan on Wed" and "В Турции начались
        # переговоры Зеленского и Эрдогана" 19.6 h later, under the 20 h of a close call
        # and of the n-grams' immediate link.
        (("interfax-en-1121592", "eurointegration-rus-7225254"), 0.880),
    ],
)
def test_the_event_does_not_link_to_its_announcement(ids: tuple[str, str], score: float) -> None:
    assert len(checked(LINKING, ids, score).stories()) == 2
    # Without the rule the check's cosine links them (or, in a stream of these two
    # alone, the n-grams at once, which two timed reports 19.6 h apart are left to the
    # check by ``timed_gram_link``: off too, to read the rule alone).
    off = dataclasses.replace(OFF, timed_gram_link=False)
    assert len(checked(off, ids, score).stories()) == 1


def test_the_n_grams_leave_an_appointment_after_its_offer_to_the_check() -> None:
    """The Russian offer and the English "decides to appoint" (one development, linked at
    once), then the Ukrainian decree 6.5 h after the offer: its n-grams are a version's
    (names, the office), but it tells the event the story began by announcing."""
    offer, decision, decree = rows(
        "report-az-ru-budanov-offer", "komersant-ua-en-budanov-offer", "racurs-211238"
    )

    def triage(config: LinkConfig) -> tuple[str | None, list[str]]:
        linker = Linker(config)
        for row in (offer, decision):
            doc = to_doc(row)
            linker.join("st_offer", linker.read(doc.id, doc.language,
                                                doc.published.timestamp(), doc.title,
                                                doc.text))  # fmt: skip
        doc = to_doc(decree)
        report = linker.read(doc.id, doc.language, doc.published.timestamp(), doc.title,
                             doc.text)  # fmt: skip
        linked, band = linker.triage(report)
        return linked, [sid for sid, _ in band]

    assert triage(LINKING) == (None, ["st_offer"])
    assert triage(OFF) == ("st_offer", [])


def test_a_date_only_preview_is_read_by_its_day_beside_an_event_of_that_day() -> None:
    """A preview dated by its day only and the event reported at 15:00 of that day: by the
    calendar (``LinkConfig.day_hours``, as the check's other hours rules read them) they
    are 0 h apart, not the 15 h since the day's first instant, so the rule does not part
    them, and the check's cosine links them; the next afternoon it does."""
    preview, event = rows("nv-ru-50524516", "pravda-eng-7518693")  # 10:54, then 29.3 h on
    day, offset = preview["published"][:10], preview["published"][19:]
    preview = {**preview, "published": f"{day}T00:00:00{offset}", "date_only": True}
    same_day = {**event, "published": f"{day}T15:00:00{offset}"}
    assert len(checked_rows(LINKING, [preview, same_day], 0.900).stories()) == 1
    assert len(checked_rows(LINKING, [preview, event], 0.900).stories()) == 2
