"""workers.world_names: which Cyrillic names of a city abroad the gazetteer reads."""

from __future__ import annotations

import pytest

from workers.world_names import OTHER_NAMES, WORD_NAMES, is_world_name


@pytest.mark.parametrize(
    ("alt", "capital", "read"),
    [
        pytest.param("Стамбул", False, True, id="a-name-of-its-own"),
        pytest.param("Нью-Йорк", False, True, id="hyphenated"),
        pytest.param("Рио-де-Жанейро", False, True, id="hyphenated-lower-case-particle"),
        pytest.param("Ріо-де-Жанейро", False, True, id="ukrainian-letters"),
        pytest.param("Њујорк", False, False, id="serbian-letters"),
        pytest.param("Стамбұл", False, False, id="kazakh-letters"),
        pytest.param("Лос Анджелес", False, False, id="words-apart"),
        pytest.param("Mилан", False, False, id="a-latin-letter"),
        pytest.param("Брод", False, False, id="a-word"),
        pytest.param("Вена", True, True, id="a-capitals-name-that-is-a-word"),
        pytest.param("Совето", False, False, id="case-forms-that-are-words"),
        pytest.param("Бразилия", True, False, id="a-capital-by-its-countrys-name"),
        pytest.param("Талін", True, False, id="a-capital-by-forms-that-are-words"),
    ],
)  # fmt: skip
def test_is_world_name(alt: str, capital: bool, read: bool) -> None:
    assert is_world_name(alt, capital) is read


def test_word_names_are_casefolded_single_words() -> None:
    assert all(name == name.casefold() and "-" not in name for name in WORD_NAMES | OTHER_NAMES)
