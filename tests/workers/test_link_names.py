"""Names across scripts: workers/link_names.py."""

from __future__ import annotations

import pytest

from workers.link_names import distinct_shared_names, name_key, name_keys


def test_a_name_meets_its_spellings_in_three_languages_and_their_cases() -> None:
    assert name_key("Зеленський") == name_key("Зеленский") == name_key("Zelensky") == "zelen"
    assert name_key("Зеленського") == name_key("Zelenskyy") == "zelen"
    assert name_key("Медведчука") == name_key("Medvedchuk") == "medve"
    assert name_key("Кубракова") == name_key("Kubrakov")
    assert name_key("Балашихе") == name_key("Balashikha")


def test_a_latin_spelling_with_diacritics_meets_the_plain_and_cyrillic_ones() -> None:
    assert name_key("Erdoğan") == name_key("Erdogan") == name_key("Эрдоган") == "erdoh"
    assert name_key("Orbán") == name_key("Орбан") == "orban"
    # Cyrillic letters are transliterated before any mark is dropped.
    assert name_key("Йосип") == "iosip" and name_key("Сергій") == name_key("Serhii") == "serhi"


def test_an_english_u_meets_the_a_of_its_cyrillic_transcription() -> None:
    assert name_key("Trump") == name_key("Трамп") == name_key("Трампа") == "tramp"
    assert name_key("Hunter") == name_key("Хантер") and name_key("Sullivan") == name_key("Салливан")
    # Every "u" inside a word is folded, so a Cyrillic "у" still meets its Latin spelling.
    assert name_key("Putin") == name_key("Путина") == name_key("Путін")
    # A last "u" is a case ending: Раду (accusative) is not Рада.
    assert name_key("Раду") != name_key("Рада")


def test_an_english_y_meets_the_iotated_cyrillic_vowels() -> None:
    assert name_key("Yermak") == name_key("Єрмак") == name_key("Ермака") == "ermak"
    assert name_key("Gloria") == name_key("Глория")
    assert name_key("Yevgeny") == name_key("Євгеній") == name_key("Евгений")
    assert name_key("Sobyanin") == name_key("Собянин")


@pytest.mark.parametrize(
    ("latin", "ukrainian", "russian"),
    [
        # A "c" read as "к" (and "ck"), a German "sch", a Polish "cz".
        ("Macron", "Макрона", "Макроном"),
        ("Lecornu", "Лекорню", "Лекорню"),
        ("Connolly", "Конноллі", "Коннолли"),
        ("Klitschko", "Кличка", "Кличко"),
        ("Scholz", "Шольцем", "Шольца"),
        ("Kaczynski", "Качинського", "Качиньского"),
        # A German final "z" after a consonant read as "ц".
        ("Merz", "Мерца", "Мерцем"),
        # An English "i" said /ai/ as "ай", a "w" as "у" or "в".
        ("Biden", "Байдена", "Байденом"),
        ("Griner", "Грайнер", "Грайнер"),
        ("Witkoff", "Віткоффа", "Уиткоффа"),
        # A transliterated "ай" beginning a name is read the same way in both scripts.
        ("Zaitsev", "Зайцева", "Зайцевым"),
        ("Gaidar", "Гайдара", "Гайдаром"),
    ],
)
def test_a_name_meets_its_transcriptions_and_their_cases(
    latin: str, ukrainian: str, russian: str
) -> None:
    """A Latin spelling and the Cyrillic transcriptions of both languages, in case forms,
    are one name: one key, or a four-letter key and its case forms (Merz: Мерца)."""
    for cyrillic in (ukrainian, russian):
        assert distinct_shared_names(f"Stories name {latin} today", [f"Вчера {cyrillic}"], [])


def test_a_c_before_a_front_vowel_and_a_later_ai_are_read_as_written() -> None:
    """A "c" before e, i, y is also a "ц" (Francis: Франциск), and a later syllable's "ai"
    is no English "i" (Takaichi: Такаити); Ukrainian apostrophes are no letters."""
    assert name_key("Francis") == name_key("Франциск") == name_key("Франциска") == "franc"
    assert name_key("Takaichi") == name_key("Такаїчі") == name_key("Такаити") == "takai"
    assert name_key("Дем’янчук") == name_key("Дем'янчука") == name_key("Demianchuk")


@pytest.mark.parametrize(
    ("word", "key"),
    [
        # Each spelling read by its sound, alone in a word or beside others, and words
        # holding none of them (``name_key`` searches only a word holding its letters).
        ("Kaczyński", "kachi"), ("Schulz", "shalc"), ("Nick", "nik"), ("Macron", "makro"),
        ("Moritz", "moric"), ("Merz", "merc"), ("Philip", "filip"), ("Thaksin", "taksi"),
        ("Zaitsev", "zicev"), ("Уиткофф", "vitko"), ("Putin", "patin"), ("Раду", "radu"),
        ("Lula", "lala"), ("Ivo", "ivo"), ("Abe", "abe"),
    ],
)  # fmt: skip
def test_each_spelling_rule_reads_the_words_that_hold_it(word: str, key: str) -> None:
    assert name_key(word) == key


def test_different_names_keep_different_keys() -> None:
    assert name_key("Biden") != name_key("Bidder")
    assert name_key("John") != name_key("Johnson") and name_key("Jones") != name_key("Jong")
    assert name_key("Kirk") != name_key("Цирка")


def test_names_are_capitalised_words_inside_a_sentence() -> None:
    assert name_keys("Росавіація підтвердила, що на борту був Пригожин") == {"priho"}
    assert name_keys("Plane carrying Prigozhin crashes near Tver") == {"priho"}
    # The first word of a sentence is capitalised by grammar.
    assert name_keys("Пригожин заявив. Шойгу мовчить") == frozenset()


def test_of_a_full_name_the_surname_counts() -> None:
    assert name_keys("The plane of Yevgeny Prigozhin crashed") == {"priho"}
    assert name_keys("Заява Президента Володимира Зеленського після зустрічі") == {"zelen"}


def test_a_run_of_names_ends_at_a_punctuation_mark() -> None:
    """A name followed by its title in apposition is read as the name: the comma ends the
    run of capitalised words, whose last word would otherwise be the title's."""
    text = "Zelensky has fired Kyrylo Tymoshenko, Deputy Head of the Office, from his post"
    assert "timos" in name_keys(text)
    # A hyphen joins the parts of one name (Anne-Marie): the run goes on.
    assert name_keys("Police said Anne-Marie Trevelyan spoke") == {"treve"}


def test_a_doubled_letter_meets_a_transcription_writing_it_once() -> None:
    assert name_key("Assad") == name_key("Асад") == name_key("Ассад") == "asad"
    assert distinct_shared_names(
        "Rebels say President Bashar al-Assad has fled", ["Повстанці кажуть, що Асада немає"], []
    ) == {"asad"}
    # Both spellings of a name that a transcription doubles too still meet.
    assert name_key("Connolly") == name_key("Конноллі") and name_key("Witkoff") == "vitko"


def test_a_title_case_headline_names_nothing_and_a_cyrillic_one_is_never_title_case() -> None:
    assert name_keys("Russian Forces Strike Hospital In Night Raid") == frozenset()
    assert name_keys("Volodymyr Zelensky met Shoigu") == {"zelen", "shoih"}
    assert name_keys("Глава ЧВК Вагнер Євгеній Пригожин заявив") == {"priho"}


def test_a_title_case_headline_with_a_number_compound_names_nothing() -> None:
    """Title Case leaves the word after a number in lower case ("3-day", "24-hour"): the
    headline's other capitals still say nothing."""
    title = "Putin Declares 3-day May Ceasefire to Mark 80 Years Since World War Two Victory"
    assert name_keys(title) == frozenset()
    assert name_keys("Kyiv Bakery Chain Opens 24-hour Shops Across Ukraine") == frozenset()
    # A sentence naming people writes its other words in lower case, numbers or not.
    assert name_keys("Strike kills 3 people near Kharkiv, Zelensky says") == {"zelen"}


def test_places_acronyms_calendar_words_and_short_words_are_no_names() -> None:
    assert name_keys("A strike on Kharkiv and Odesa on Friday, the AFU said in May") == frozenset()
    assert name_keys("Удар по Харкову, повідомили ЗСУ") == frozenset()


def test_a_name_both_texts_write_is_shared_across_scripts() -> None:
    ukrainian = (
        "СБУ показало Медведчука в кайданках. Українського олігарха Віктора Медведчука затримали"
    )
    english = ["Photo of opposition leader Medvedchuk in handcuffs shared by Zelensky"]
    assert distinct_shared_names(ukrainian, english, []) == {"medve"}
    assert (
        distinct_shared_names(ukrainian, ["Photo of an opposition leader in handcuffs"], [])
        == set()
    )


def test_a_name_another_candidate_writes_too_tells_nothing() -> None:
    """Everyone writes Putin: a name the check's other candidates write as well does not
    single out this candidate as the newcomer's development."""
    russian = (
        "Путин направился на церемонию инаугурации. Президент России Владимир Путин отправился"
    )
    sworn = ["Russia's president Vladimir Putin sworn in for a fifth time"]
    assert distinct_shared_names(russian, sworn, []) == {"patin"}
    rival = [["Ukraine war: Vladimir Putin says Russia will talk only on its terms"]]
    assert distinct_shared_names(russian, sworn, rival) == set()
    unrelated = [["Strike on Kharkiv kills three, governor says"]]
    assert distinct_shared_names(russian, sworn, unrelated) == {"patin"}


def test_a_four_letter_name_meets_its_declined_forms() -> None:
    """A short name's case ending enters its key's five letters (Кирка: "kirka"): a
    four-letter key meets the longer keys it begins, as the shorter key."""
    russian = "Президент Трамп подтвердил смерть Кирка и попросил приспустить флаги"
    english = ["Activist Charlie Kirk was shot dead, President Donald Trump confirmed"]
    assert distinct_shared_names(russian, english, []) == {"kirk", "tramp"}
    # A rival writing the name in any of its forms takes it away.
    rival = [["В Юте вспоминают Чарли Кирку"]]
    assert distinct_shared_names(russian, english, rival) == {"tramp"}
    # Two four-letter keys meet only when equal: Рада and Раду are two case forms of one
    # word, but so are two unrelated short names.
    assert distinct_shared_names("Голосувала Рада", ["Голосовали за Раду"], []) == set()


def test_a_four_letter_name_meets_no_longer_name_it_only_begins() -> None:
    """A Slavic case ending begins with a vowel (Кирка, Кирку, Кирком, Кирке): a longer
    key whose fifth letter is a consonant is another name (Johnson, Marat), not a form of
    the four-letter one (John, Мария: "mara")."""
    concert = "The festival opened with a concert by Elton John in the old stadium"
    speaker = ["House speaker Mike Johnson said the vote would be held next week"]
    assert distinct_shared_names(concert, speaker, []) == set()
    maria, marat = "Пенсионерка Мария погибла", ["Погиб полковник Марат"]
    assert distinct_shared_names(maria, marat, []) == set()
