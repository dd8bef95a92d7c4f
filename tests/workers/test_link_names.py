"""Names across scripts: workers/link_names.py."""

from __future__ import annotations

from workers.link_names import name_key, name_keys, outlet_keys


def test_a_name_meets_its_spellings_in_three_languages_and_their_cases() -> None:
    assert name_key("Зеленський") == name_key("Зеленский") == name_key("Zelensky") == "zelen"
    assert name_key("Зеленського") == name_key("Zelenskyy") == "zelen"
    assert name_key("Пригожина") == name_key("Prigozhin") == "priho"
    assert name_key("Шойгу") == name_key("Shoigu")
    assert name_key("Путина") == name_key("Putin")


def test_names_are_capitalised_words_inside_a_sentence() -> None:
    assert name_keys("Росавіація підтвердила, що на борту був Пригожин") == {"priho"}
    assert name_keys("Plane carrying Prigozhin crashes near Tver") == {"priho"}
    # The first word of a sentence is capitalised by grammar.
    assert name_keys("Пригожин заявив. Шойгу мовчить") == frozenset()


def test_of_a_full_name_the_surname_counts() -> None:
    assert name_keys("The plane of Yevgeny Prigozhin crashed") == {"priho"}
    assert name_keys("Заява Президента Володимира Зеленського після зустрічі") == {"zelen"}


def test_a_title_case_headline_names_nothing_and_a_cyrillic_one_is_never_title_case() -> None:
    assert name_keys("Russian Forces Strike Hospital In Night Raid") == frozenset()
    assert name_keys("Volodymyr Zelensky met Shoigu") == {"zelen", "shoih"}
    assert name_keys("Глава ЧВК Вагнер Євгеній Пригожин заявив") == {"priho"}


def test_places_acronyms_calendar_words_and_short_words_are_no_names() -> None:
    assert name_keys("A strike on Kharkiv and Odesa on Friday, the AFU said in May") == frozenset()
    assert name_keys("Удар по Харкову, повідомили ЗСУ") == frozenset()


def test_an_outlets_name_gives_the_keys_its_self_references_have() -> None:
    assert outlet_keys("Укрінформ") == outlet_keys("Ukrinform") == {"ukrin"}
    assert "ukrin" in name_keys("Як повідомляє Укрінформ, обстріл тривав")
    assert outlet_keys("Радио Свобода") == {"radio", "svobo"}
    assert outlet_keys("The Insider") == {"insid"}
