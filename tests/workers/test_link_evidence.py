"""workers.link_evidence: what a link check weighs besides the embedding's cosine."""

from __future__ import annotations

import dataclasses

from workers.link_evidence import LinkEvidence, kinds, link_evidence, linked, numbers, weekdays
from workers.story_linking import DEFAULT_LINKING


def test_numbers_are_read_in_digits_in_any_language_without_years() -> None:
    assert numbers("Russian strike on Kharkiv kills 7, injures 117 in 2025") == {7, 117}
    assert numbers("ЗСУ знищили вже 190 960 окупантів") == {190960}
    assert numbers("Удар по Харкову 16 вересня 2025 року") == {16}
    assert numbers("No digits here") == frozenset()


def test_weekdays_and_kinds_meet_across_languages() -> None:
    sunday = [weekdays(t) for t in ("Strike on Sunday", "Удар у неділю", "Удар в воскресенье")]
    assert sunday == [frozenset({6})] * 3
    assert weekdays("п'ятниця, пятница, Friday") == {4}
    strike = [kinds(t) for t in ("Missile strike on Odesa", "Ракетний удар по Одесі",
                                  "Ракетный удар по Одессе")]  # fmt: skip
    assert strike[0] == strike[1] == strike[2] and strike[0]
    meeting = kinds("Zelensky meets Macron in Paris")
    assert meeting and meeting.isdisjoint(strike[0])
    assert kinds("Зустріч Зеленського і Макрона") == meeting == kinds("Встреча Зеленского")


def test_link_evidence_reads_both_texts_and_the_rivals() -> None:
    english, ukrainian = (
        "Strike on Kharkiv on Sunday kills 7",
        "Удар по Харкову в суботу: 3 загиблих",
    )
    found = link_evidence(english, ukrainian, 0.88, [0.81, 0.84], 20.0, 0.05)
    assert found == LinkEvidence(cosine=0.88, margin=0.88 - 0.84, hours=20.0, grams=0.05,
                                 numbers_agree=False, numbers_conflict=True,
                                 weekday_conflict=True, kind_conflict=False)  # fmt: skip
    alone = link_evidence("Zelensky meets Macron", "Зустріч Зеленського і Макрона", 0.9, [], 1, 0)
    assert alone.margin == 0.0 and not alone.kind_conflict and not alone.numbers_conflict


def evidence(cosine: float, hours: float, **fields: object) -> LinkEvidence:
    base = LinkEvidence(cosine, 0.0, hours, 0.0, False, False, False, False)
    return dataclasses.replace(base, **fields)  # type: ignore[arg-type]


def test_a_close_call_a_day_apart_is_another_days_development() -> None:
    config = DEFAULT_LINKING
    assert config.sure_cosine is not None and config.sure_cosine > config.same_cosine
    assert linked(evidence(0.87, 3.0), config)  # versions, filed within hours
    assert not linked(evidence(0.87, 30.0), config)  # the next day's strike on the city
    assert not linked(evidence(0.87, config.apart_hours), config)
    assert linked(evidence(0.91, 30.0), config)  # sure enough whatever the hours
    cosine_alone = dataclasses.replace(config, sure_cosine=None)
    assert linked(evidence(0.87, 30.0), cosine_alone)
    assert not linked(evidence(0.84, 0.5), cosine_alone)


def test_below_same_cosine_only_the_best_candidate_filed_in_the_same_hours_links() -> None:
    config = DEFAULT_LINKING
    assert config.close_cosine is not None
    low = (config.close_cosine + config.same_cosine) / 2
    assert linked(evidence(low, 0.5), config)
    assert not linked(evidence(low, 0.5, margin=-0.01), config)  # another candidate is closer
    assert not linked(evidence(low, config.close_hours), config)
    assert not linked(evidence(config.close_cosine - 0.01, 0.5), config)
    assert not linked(evidence(low, 0.5), dataclasses.replace(config, close_cosine=None))
