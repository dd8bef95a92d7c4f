"""bench._link_features: the evidence bench/fit_link_check.py measures beside the decision's."""

from __future__ import annotations

from bench._link_features import MeasuredEvidence, kinds, measured, numbers, weekdays
from workers.link_evidence import link_evidence


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


def test_measured_evidence_reads_both_texts() -> None:
    english, ukrainian = (
        "Strike on Kharkiv on Sunday kills 7",
        "Удар по Харкову в суботу: 3 загиблих",
    )
    decided = link_evidence(0.88, [0.81, 0.84], 20.0, same_place=True)
    found = measured(decided, english, ukrainian, 0.05)
    assert found == MeasuredEvidence(cosine=0.88, margin=0.88 - 0.84, hours=20.0, grams=0.05,
                                     numbers_agree=False, numbers_conflict=True,
                                     weekday_conflict=True, kind_conflict=False,
                                     place_shared=True, place_conflict=False,
                                     count_conflict=True)  # fmt: skip
    assert found.decided == decided
    alone = measured(link_evidence(0.9, [], 1), "Zelensky meets Macron",
                     "Зустріч Зеленського і Макрона", 0)  # fmt: skip
    assert alone.margin == 0.0 and not alone.kind_conflict and not alone.numbers_conflict
    assert not alone.place_shared and not alone.place_conflict
    elsewhere = measured(link_evidence(0.86, [], 2), english, "Ракетний удар по Одесі", 0)
    assert elsewhere.place_conflict and not elsewhere.place_shared
