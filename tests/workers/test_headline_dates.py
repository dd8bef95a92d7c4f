"""workers.headline_dates: the calendar dates a headline names, in three languages."""

from __future__ import annotations

import pytest

from workers.headline_dates import different_dates, headline_dates


@pytest.mark.parametrize(
    ("title", "dates"),
    [
        ("Iryna Vereshchuk on the work of humanitarian corridors planned for March 20", {(3, 20)}),
        ("Ірина Верещук про заплановану на 14 березня роботу гуманітарних коридорів", {(3, 14)}),
        ("Обстрел Харькова 16-го сентября 2025 года", {(9, 16)}),
        ("On 5 May, 1945, and on Sept. 3rd", {(5, 5), (9, 3)}),
        ("Ukraine's losses as of 1 травня and 2 травня", {(5, 1), (5, 2)}),
        ("ЗВЕРНЕННЯ 24 ЛЮТОГО", {(2, 24)}),
        ("Rally planned in Berlin March 16", {(3, 16)}),  # "in" names the city here
        ("In March, 16 people died; on March 20, 3 more", {(3, 20)}),
    ],
)  # fmt: skip
def test_a_day_next_to_a_month_is_a_date(title: str, dates: set[tuple[int, int]]) -> None:
    assert headline_dates(title) == dates


@pytest.mark.parametrize(
    "title",
    [
        "20 marines killed in 3 attacks",  # a count, and a word that starts like "mar"
        "Russia may 2 times raise the tax",  # the verb, not the month
        "March 2022: the first month of the war",  # a year
        "Meeting at 12:30 March square",  # a time
        "Inflation 3.5 March estimate",  # a decimal
        "32 March",  # no such day
        "In March 16 people were killed in the region",  # a month, then a count
        "Prices rose IN  MAY 12 percent",
        "",
    ],
)
def test_numbers_that_are_no_day_of_a_month_are_not_dates(title: str) -> None:
    assert headline_dates(title) == frozenset()


def test_headlines_are_about_different_days_only_when_both_name_days_and_none_agree() -> None:
    march_18, march_19 = frozenset({(3, 18)}), frozenset({(3, 19)})
    assert different_dates(march_18, march_19)
    assert not different_dates(march_18, march_18 | march_19)
    assert not different_dates(march_18, frozenset())
    assert not different_dates(frozenset(), frozenset())
