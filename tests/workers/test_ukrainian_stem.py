"""workers.ukrainian_stem: a word's Ukrainian forms meet on one stem."""

from __future__ import annotations

import pytest

from workers.ukrainian_stem import ukrainian_stem


@pytest.mark.parametrize(
    "forms",
    [
        ("загиблі", "загиблих"),  # plural nominative / genitive (adjective as noun)
        ("обстріл", "обстріли", "обстрілу"),  # noun in -і- endings Russian's stemmer keeps
        ("танк", "танки", "танків"),  # genitive plural -ів
        ("ракетний", "ракетного", "ракетні"),  # adjective
        ("подав", "подала", "подали"),  # past tense after а
        ("оголосив", "оголосила", "оголосили"),  # past tense of an -ити verb
        ("відставка", "відставку", "відставки"),
        ("пошкоджені", "пошкоджено"),
        ("загинув", "загинула", "загинули", "загинуло"),  # past tense after у
        ("курс", "курси", "курсу"),  # plural in -си: no reflexive ending
        ("ресурс", "ресурси", "ресурсів"),
        ("одеса", "одеси", "одесу"),
        ("армія", "армії", "армією"),  # instrumental in -ією
    ],
)
def test_forms_of_one_word_meet(forms: tuple[str, ...]) -> None:
    stems = {ukrainian_stem(form) for form in forms}
    assert len(stems) == 1, stems


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("танки", "такі"),
        ("удар", "удача"),
        ("обстріл", "обставини"),
        ("часи", "чай"),
        ("маси", "має"),
        ("щось", "що"),
        ("десь", "де"),
    ],
)
def test_other_words_stay_apart(one: str, other: str) -> None:
    assert ukrainian_stem(one) != ukrainian_stem(other)


@pytest.mark.parametrize("word", ["сша", "мзс", "в"])
def test_acronyms_and_short_words_are_kept(word: str) -> None:
    assert ukrainian_stem(word) == word
