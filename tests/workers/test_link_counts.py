"""workers.link_counts: counts two reports in different languages can share."""

from __future__ import annotations

import pytest

from workers.link_counts import READ_CHARS, counts, share_a_count


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russian strike on Kharkiv kills 12, injures 117", {"12", "117"}),
        ("Удар по Харкову: 12 загиблих", {"12"}),
        ("Росія атакувала 43 дронами", {"43"}),
        ("On March 20, 7 killed", {"7"}),  # the day beside its month is a date
        ("15 ноября ракеты упали на территории Польши", set()),
        ("20 березня загинули 5 людей", {"5"}),
        ("Strike in 2023 kills 2", set()),  # a year, and a count of one or two
        ("No digits here", set()),
        ("30 marines killed", {"30"}),  # "mar" is a month only as a whole word
        ("5 окт. погибли 7", {"7"}),
        ("ночью 15-16 сентября", set()),  # both ends of a range of days
    ],
)
def test_counts_are_specific_numbers_in_digits(text: str, expected: set[str]) -> None:
    assert counts(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12,500 troops", {"12500"}),
        ("12 500 військових", {"12500"}),
        ("ЗСУ знищили вже 190\u00a0960 загарбників", {"190960"}),
        ("1.5 million without power", {"1.5"}),  # a decimal of one digit
        ("1,5 млн без світла", {"1.5"}),
        ("inflation at 9.45%", set()),  # of more: a clock's "14.30" reads alike
        ("Explosions at 14:30", set()),  # a time
        ("24.02.2022 почалось", set()),  # a date
        ("24/7", set()),
        ("F-16 jets arrive", {"~16"}),  # a designation
        ("Ил-76 упал", {"~76"}),
        ("G7 summit", {"~7"}),
        ("COVID-19 cases rise; Covid 19 deaths", set()),  # a disease's year
        ("Ковид-19: 19 погибших", {"19"}),
        ("17th brigade", {"#17"}),  # an ordinal
        ("командир 20-го корпусу", {"#20"}),
        ("3-я бригада", {"#3"}),
    ],
)
def test_a_number_is_read_whole(text: str, expected: set[str]) -> None:
    """A number's pieces are no counts: "12,500" is not 12 and 500, "14:30" not 14 and 30,
    and the 16 of "F-16" is not a toll of 16."""
    assert counts(text) == expected


def test_a_number_cut_by_the_read_is_not_read() -> None:
    assert counts("x" * (READ_CHARS - 3) + " 1250 killed") == set()
    assert counts("x" * (READ_CHARS - 5) + " 125 killed") == {"125"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Three killed, four wounded in a drone attack", {"3", "4"}),
        ("Троє загиблих, ще чотирьох людей поранено", {"3", "4"}),
        ("Трое военных погибли, ранены четверо", {"3", "4"}),
        ("Обстріляли дев’ять областей", {"9"}),  # an apostrophe's forms: "дев'ять", "девʼять"
        ("Обстріляли дев'ять областей", {"9"}),
        ("annexation of four regions", {"4"}),
        ("Ввечері п’ятого березня", set()),  # an ordinal, a date
        ("He was sworn in for a fifth time", set()),
        ("Сім'я загиблого", set()),  # a family, not seven
        ("one or two killed", set()),  # as 1 and 2 in digits
        ("ten March", set()),  # beside a month, as a day in digits
        # A word joined by a hyphen is an adjective, not a count: "three-day", "п'яти-".
        ("Trump wraps up three-day Japan visit", set()),
        ("Ten-point peace plan, nine-year-old boy", set()),
        ("У п'яти- та дев'ятиповерхівках", set()),
    ],
)
def test_counts_from_three_to_ten_are_read_in_words(text: str, expected: set[str]) -> None:
    assert counts(text) == expected


def test_a_count_in_words_meets_its_digits_and_its_words_in_another_language() -> None:
    assert share_a_count("Троє військових загинули", ["Three servicemen killed"])
    assert share_a_count("Трое военных погибли", ["Drone attack kills 3 servicemen"])
    assert not share_a_count("Троє військових загинули", ["Four servicemen killed"])


def test_a_count_is_shared_by_its_digits() -> None:
    assert share_a_count("Удар по Дніпру: 12 загиблих", ["Strike on Dnipro kills 12"])
    assert not share_a_count("Удар по Дніпру: 12 загиблих", ["Strike on Dnipro kills 14"])
    assert not share_a_count("Удар 5 березня", ["Strike on March 5"])  # dates, not counts
    assert not share_a_count("Strike kills 12,500", ["Удар: 12 загиблих, 500 поранених"])
    assert not share_a_count("F-16 arrive in Ukraine", ["Strike kills 16"])
    assert not share_a_count("В России выросло число случаев COVID-19", ["COVID-19 cases in US"])
    assert share_a_count("Іл-76 упав", ["Il-76 crashes"])
    assert not share_a_count("Звільнив командира 20-го корпусу", ["20 injured in Zaporizhzhia"])
    assert share_a_count("Звільнив командира 20-го корпусу", ["Commander of the 20th Corps"])
    assert share_a_count("4,4 млн заявок", ["4.4 million claims"])
    assert not share_a_count("4,4 млн заявок", ["4 killed"])
    assert not share_a_count("Удар по Дніпру", [])
