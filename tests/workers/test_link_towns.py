"""workers.link_towns: towns the gazetteer leaves out, read for the link check across scripts."""

from __future__ import annotations

import pytest

from workers.link_towns import link_towns, shares_a_town
from workers.places import find_places


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("Russian rockets hit the town of Chasiv Yar", {("Chasiv Yar", True)},
                     id="two-word-latin"),
        pytest.param("Удар армії РФ по місту Часів Яр", {("Chasiv Yar", False)}, id="uk"),
        pytest.param("У Часовому Ярі, в Часовом Яре", {("Chasiv Yar", False)},
                     id="two-word-locatives"),
        pytest.param("Drones hit Balashikha near Moscow", {("Balashikha", True)},
                     id="russian-town-latin"),
        pytest.param("Беспилотник упал в Балашихе", {("Balashikha", False)},
                     id="russian-town-declined"),
        pytest.param("бої біля Сіверська, у Сіверську; в Северске", {("Siversk", False)},
                     id="an-sk-towns-cases"),
        pytest.param("a missile strike on the village of Serhiivka, Ukrainian officials said",
                     {("Serhiyivka", True)}, id="national-romanisation-before-a-comma"),
        pytest.param("ракетный удар по поселку Сергеевка", {("Serhiyivka", False)},
                     id="ukraines-town-wins-a-russian-spelling"),
        pytest.param("бій під Крутами", {("Kruty", False)}, id="a-plural-towns-instrumental"),
        pytest.param("по поселку Сергеевка Белгород-Днестровского района; у селищі "
                     "Новофедорівка Сакського району", {("Serhiyivka", False),
                     ("Novofedorivka", False)}, id="beside-a-districts-adjective"),
        pytest.param("Обстріли у Кам’янці та Кирʼяківці", {("Kamyanka", False),
                     ("Kyryakivka", False)}, id="every-apostrophe-is-one"),
        pytest.param("Обстріл Сіверська. Вчора Балашиху",
                     {("Siversk", False), ("Balashikha", False)},
                     id="after-a-sentences-first-word"),
    ],
)  # fmt: skip
def test_link_towns_are_read_in_both_scripts_and_any_case(
    text: str, expected: set[tuple[str, bool]]
) -> None:
    assert link_towns(text) == expected


def test_the_gazetteer_itself_does_not_read_them() -> None:
    """Only the link check reads the towns: the briefing filters and the clusterer read
    the gazetteer's places, which leave small towns out (a false place is worse there)."""
    assert find_places("Russian rockets hit Chasiv Yar and Balashikha") == ()


def test_a_person_named_in_both_scripts_shares_no_town() -> None:
    """ "Суровикина" reads as the town Surovikino; "Surovikin" in English is no town."""
    assert not shares_a_town(
        link_towns("General Surovikin was dismissed"), link_towns("Суровикина отстранили")
    )


def test_a_town_counts_only_written_in_two_scripts() -> None:
    latin = link_towns("Russian rockets hit Chasiv Yar")
    cyrillic = link_towns("Удар по місту Часів Яр")
    russian = link_towns("Удар по городу Часов Яр")
    assert shares_a_town(latin, cyrillic) and shares_a_town(cyrillic, latin)
    assert shares_a_town(russian, latin)
    assert not shares_a_town(latin, latin)
    assert not shares_a_town(cyrillic, russian)  # Cyrillic alone: a word can be a town
    assert not shares_a_town(latin, link_towns("Удар по Балашихе"))


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Progress and smile never end", id="english-words"),
        pytest.param("The Pushkin monument and the Volga, says Pravda", id="famous-names"),
        pytest.param("Danilov said the council met; Kirillov was killed", id="surname-shapes"),
        pytest.param("Bogdanovich and Serafimovich said", id="surname-shapes-vich"),
        pytest.param("according to Serhii Popko, the head of the city's administration",
                     id="beside-a-surname"),
        pytest.param("Rohan Janse van Rensburg is fined", id="beside-a-first-name"),
        pytest.param("Заява Марії Захарової; зустріч з Вікторією Нуланд; Андрій Єрмак",
                     id="a-cyrillic-first-name-beside-a-surname"),
        pytest.param("Українцями, Выборами, Грязью, Зеленью, Родинами",
                     id="plural-and-soft-endings-of-other-words"),
        pytest.param("мирне населення, крива лінія", id="cyrillic-in-lower-case"),
        pytest.param("на вулиці Балашихинській, вулиця Сергіївка", id="after-a-street-word"),
        pytest.param("Shelling of Kharkiv and Kramatorsk", id="the-gazetteers-own-places"),
        pytest.param("Удар по нафтопроводу «Дружба»; ракета \"Буревестник\", „Спартак“",
                     id="quoted-cyrillic-names"),
        pytest.param("через Сіверський Донець, за Северским Донцом", id="an-sk-towns-adjective"),
        pytest.param("the Donets basin, the Oskil river; на реке Донец, річка Оскіл", id="rivers"),
        pytest.param("the Vostok battalion; на Дальнем Востоке", id="vostok-the-east"),
        pytest.param("Spartak beat Zorya; Metalist drew with Fakel. Спартак обыграл Факел, Зоря "
                     "перемогла Металіст", id="football-clubs"),
    ],
)  # fmt: skip
def test_words_and_names_are_no_towns(text: str) -> None:
    assert link_towns(text) == frozenset()
