"""Countries across scripts for the link check: workers/link_countries.py."""

from __future__ import annotations

from workers.link_countries import HOME, countries, country_keys, distinct_shared_countries


def test_a_country_reads_in_three_languages_and_their_case_forms() -> None:
    assert countries("Report: Russian Missiles Hit Poland, Killing Two") == {"Poland"}
    assert countries("Російська ракета вдарила по Польщі: є загиблі") == {"Poland"}
    assert countries("Российские ракеты упали на территории Польши") == {"Poland"}
    assert countries("Прем'єр Франції подав у відставку") == {"France"}
    assert countries("Суд отправил в отставку премьер-министра Таиланда") == {"Thailand"}
    assert countries("Россия осуждает удары Израиля по Ирану") == {"Russia", "Israel", "Iran"}


def test_a_country_of_two_words_reads_as_one_in_any_case() -> None:
    assert countries("Новим президентом Південної Кореї став Лі") == {"South Korea"}
    assert countries("В Южной Корее началась встреча") == {"South Korea"}
    assert countries("Lee wins South Korea's presidency") == {"South Korea"}


def test_the_press_names_beside_cldrs_read() -> None:
    # CLDR's Russian name of Moldova is "Молдова"; the Russian press writes "Молдавия".
    assert countries("Партия Санду лидирует на выборах в Молдавии") == {"Moldova"}
    assert countries("Молдова обрала парламент") == {"Moldova"}


def test_a_country_in_lower_case_or_a_common_word_is_not_read() -> None:
    # A Cyrillic country's name is capitalised: "польща" is not how a text writes Poland.
    assert countries("вибори у польщі") == frozenset()
    # Togo and Mali are also "that", "had" and "small" in Ukrainian and Russian.
    assert countries("Того ж дня Мали місце обстріли") == frozenset()
    assert countries("Малі підприємства отримають гранти") == frozenset()


def test_the_home_countries_are_never_shared() -> None:
    assert {"Ukraine", "Russia", "United States", "United Kingdom"} == HOME
    text = "Україна та Росія обмінялися полоненими"
    assert countries(text) == {"Ukraine", "Russia"}
    assert distinct_shared_countries(text, ["Ukraine and Russia swap prisoners"], []) == frozenset()


def test_a_country_shared_counts_unless_a_rival_candidate_names_it() -> None:
    text = "Російська ракета вдарила по Польщі: є загиблі"
    candidate = ["Russian missiles hit Poland, killing two"]
    assert distinct_shared_countries(text, candidate, []) == {"Poland"}
    rival = [["Poland closes a border crossing with Belarus"]]
    assert distinct_shared_countries(text, candidate, rival) == frozenset()
    assert distinct_shared_countries(text, ["Missiles hit Lviv overnight"], []) == frozenset()


def test_a_countrys_keys_are_its_names_in_every_language() -> None:
    assert set(country_keys("Poland")) == {"polan", "polsh"}
    # A four-letter key comes with its case forms, as a name's does (Ірану, Ираном).
    assert {"iran", "iranu", "irano"} <= set(country_keys("Iran"))


def test_a_word_reads_as_the_country_of_its_longest_stem() -> None:
    # Nigeria's genitive (Нігерії, Нигерии) is Niger's stem with the ending -ії/-ии, and
    # Nigeria's own stem with -ї/-и: the longer stem is the country the word names.
    assert countries("Вибори в Нігерії") == {"Nigeria"}
    assert countries("Выборы в Нигерии") == {"Nigeria"}
    assert countries("Переворот у Нігері, посол Нігеру") == {"Niger"}
    assert countries("Военные Нигера") == {"Niger"}


def test_a_country_in_a_vowel_and_short_i_keeps_its_vowel_in_every_case() -> None:
    # Китай, Бруней, Уругвай: the й is the stem's last sound, written я, ю, е, ї before
    # the case endings (Китая, Китаю, Китаем, у Китаї, Китаєм).
    assert countries("Санкции против Китая") == {"China"}
    assert countries("Переговоры в Китае") == {"China"}
    assert countries("Візит до Китаю") == {"China"}
    assert countries("Виробництво у Китаї") == {"China"}
    assert countries("Торгівля з Китаєм") == {"China"}
    assert countries("Выборы в Уругвае") == {"Uruguay"}
    # Counted for rarity by the keys these forms write too.
    assert {"kitai", "kitaa", "kitau", "kitae"} <= set(country_keys("China"))
