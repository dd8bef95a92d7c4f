"""workers.cyrillic_names: reading place names across Latin and Cyrillic."""

from __future__ import annotations

import pytest

from workers.cyrillic_names import (
    add_pair_stems,
    add_stem,
    cyrillic_stem,
    folded,
    is_two_word_name,
    national_romanisation,
    one_apostrophe_keys,
    own_case_forms,
    pair_stems,
    short_case_forms,
    spells,
    ukrainian_romanisation,
)


@pytest.mark.parametrize(
    ("geonames_name", "national"),
    [
        ("Kryvyy Rih", "Kryvyi Rih"),
        ("Mykolayiv", "Mykolaiv"),
        ("Vinnytsya", "Vinnytsia"),
        ("Izyum", "Izium"),
        ("Mohyliv-Podilskyy", "Mohyliv-Podilskyi"),
        ("Yenakiyeve", "Yenakiieve"),
        ("Kyiv", "Kyiv"),
        ("Khmelnytskyi", "Khmelnytskyi"),
    ],
)
def test_national_romanisation(geonames_name: str, national: str) -> None:
    assert national_romanisation(geonames_name) == national


@pytest.mark.parametrize(
    ("cyrillic", "english", "expected"),
    [
        ("Белгород", "Belgorod", True),
        ("Брянськ", "Bryansk", True),
        ("Москва", "Moscow", True),
        ("Варшава", "Warsaw", True),
        ("Женева", "Geneva", True),
        ("Калинин", "Tver", False),
    ],
)
def test_spells(cyrillic: str, english: str, expected: bool) -> None:
    assert spells(cyrillic, english) is expected


def test_add_stem_indexes_a_name_by_its_case_forms_stems() -> None:
    stems: dict[str, str] = {}
    for name, place in (("одеса", "Odesa"), ("кременчук", "Kremenchuk"), ("харків", "Kharkiv")):
        add_stem(stems, name, place)
    assert {word: cyrillic_stem(word, stems) for word in ("одесою", "кременчуці", "харкові")} == {
        "одесою": "одес",
        "кременчуці": "кременчуц",
        "харкові": "харков",
    }
    assert cyrillic_stem("одеса", {}) is None


def test_endings_only_some_stems_take() -> None:
    """-ї, -єю and -ей follow a stem's vowel (a noun in -ія/-ея: "Балаклія", "Балаклея"),
    -ей also ц ("Винница"); after another stem the same letters are another word's ending
    ("Андрей" beside the village "Андра")."""
    stems: dict[str, str] = {}
    names = (("балаклія", "Balakliya"), ("балаклея", "Balakliya"), ("винница", "Vinnytsya"),
             ("андра", "Andra"))  # fmt: skip
    for name, place in names:
        add_stem(stems, name, place)
    read = ("балаклії", "балаклією", "балаклеей", "винницей")
    assert {word: cyrillic_stem(word, stems) for word in read} == {
        "балаклії": "балаклі",
        "балаклією": "балаклі",
        "балаклеей": "балакле",
        "винницей": "винниц",
    }
    assert cyrillic_stem("андрей", stems) is None


def test_plural_and_soft_feminine_endings_are_no_endings_of_every_stem() -> None:
    """-ам, -ами, -ях, -ями after a stem of a name that is no plural, and -ью after one
    that is no feminine in -ь, are another word's: "Українцями" (with Ukrainians) beside
    the town Українка, "Выборами" (elections) beside Выбор, "Грязью" (mud) beside Грязи,
    "Зеленью" (greens) beside Зелене."""
    stems: dict[str, str] = {}
    for name, place in (("українка", "Ukrayinka"), ("выбор", "Vybor"), ("грязи", "Gryazi"),
                        ("зелене", "Zelene"), ("родино", "Rodino")):  # fmt: skip
        add_stem(stems, name, place)
    words = ("українцями", "выборами", "выборам", "грязью", "зеленью", "родинам", "родинами")
    assert {word: cyrillic_stem(word, stems) for word in words} == dict.fromkeys(words)


@pytest.mark.parametrize(
    ("name", "forms"),
    [
        ("суми", ["сумам", "сумами", "сумах", "сумям", "сумями", "сумях"]),
        ("сумы", ["сумам", "сумами", "сумах"]),
        ("чернівці", ["чернівцям", "чернівцями", "чернівцях"]),
        ("дергачі", ["дергачам", "дергачами", "дергачах"]),
        ("прилуки", ["прилукам", "прилуками", "прилуках"]),
        ("тверь", ["тверью"]),
        ("балаклія", []),
        ("київ", []),
    ],
)
def test_own_case_forms_of_plural_and_soft_feminine_names(name: str, forms: list[str]) -> None:
    """A plural name's dative, instrumental and locative ("у Чернівцях", "Дергачам") and a
    feminine's in -ь instrumental ("Тверью"), which no other name takes."""
    assert own_case_forms(name) == forms


def test_adjective_and_plural_endings_are_no_noun_in_ia_case() -> None:
    """-ї and -єю follow only the і, и or е of a noun in -ія/-ия/-ея, and -ей no ж, ш, ч
    or щ: after a stem in -о they are an adjective's ("Нової": new, beside the village
    Новое), after a stem in ч or щ a plural's genitive ("ключей": keys, beside Ключі;
    "овощей": vegetables), after ш an adjective's ("хорошей": good, beside Хороше)."""
    stems: dict[str, str] = {}
    for name, place in (("новое", "Novoye"), ("ключі", "Klyuchi"), ("овощи", "Ovoshchi"),
                        ("хороше", "Khoroshe")):  # fmt: skip
        add_stem(stems, name, place)
    words = ("нової", "новоєю", "ключей", "овощей", "хорошей")
    assert {word: cyrillic_stem(word, stems) for word in words} == dict.fromkeys(words)


def test_a_two_word_name_is_read_by_both_words_stems() -> None:
    assert is_two_word_name("Кривий Ріг", "Kryvyy Rih")
    assert not is_two_word_name("Старе місто", "Kryvyy Rih")
    stems: dict[str, str] = {}
    add_pair_stems(stems, "кривий ріг", "Kryvyy Rih")
    assert any(
        f"{head} {tail}" in stems for head in pair_stems("кривому") for tail in pair_stems("розі")
    )


def test_folded_writes_one_apostrophe() -> None:
    assert folded("Слов‘янськ") == folded("Словʼянськ") == folded("Слов'янськ") == "слов’янськ"


def test_one_apostrophe_keys_keys_a_table_as_folded_reads() -> None:
    table = {"кам'янськ": "Kamyanske", "кам’янськ": "Other", "ryazan’": "Ryazan’"}
    assert one_apostrophe_keys(table) == {"кам’янськ": "Kamyanske", "ryazan’": "Ryazan’"}


@pytest.mark.parametrize(
    ("name", "latin"),
    [
        ("Саки", "saky"),
        ("Джанкой", "dzhankoi"),
        ("Слов’янськ", "sloviansk"),
        ("Феодосія", "feodosiia"),
        ("Євпаторія", "yevpatoriia"),
        ("Ізмаїл", "izmail"),
        ("Згурівка", "zghurivka"),
        ("Кривий Ріг", "kryvyi rih"),
        ("Івано-Франківськ", "ivano-frankivsk"),
        ("Юнаківка", "yunakivka"),
        ("Сыктывкар", None),
        ("Kiev", None),
        ("Zymoһir'ja", None),
        ("Ставрополь", "stavropol"),
    ],
)
def test_ukrainian_romanisation(name: str, latin: str | None) -> None:
    assert ukrainian_romanisation(name) == latin


@pytest.mark.parametrize(
    ("name", "forms"),
    [
        ("доха", ["дохи", "дохе", "доху", "дохой", "дохою", "досі"]),
        ("рига", ["риги", "риге", "ригу", "ригой", "ригою", "ризі"]),
        ("ялта", ["ялти", "ялты", "ялті", "ялте", "ялту", "ялтой", "ялтою"]),
        ("буча", ["бучи", "бучі", "буче", "бучу", "бучей", "бучею"]),
        ("осло", []),
        ("баку", []),
        ("одеса", []),
        ("киев", []),
    ],
)
def test_short_case_forms_of_four_letter_feminine_names(name: str, forms: list[str]) -> None:
    """A four-letter name in -а, whose three-letter stem is never read: its genitive,
    Russian locative, accusative and instrumental, and the Ukrainian locative with the
    alternated consonant ("у Досі", "у Ризі"); none for an indeclinable name or a longer
    one (its stem reads its forms)."""
    assert short_case_forms(name) == forms
