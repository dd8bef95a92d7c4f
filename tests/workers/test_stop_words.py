"""workers.stop_words: Ukrainian and Russian words that say nothing about a development."""

from __future__ import annotations

import pytest

from workers.stop_words import RUSSIAN, UKRAINIAN
from workers.story_text import STOP, fold


@pytest.mark.parametrize("words", [UKRAINIAN, RUSSIAN], ids=["uk", "ru"])
def test_words_are_written_as_compared_and_are_stop_words(words: frozenset[str]) -> None:
    """Each word is in the form ``fold`` gives a word of a text, so it matches."""
    assert words
    assert all(fold(word) == word for word in words)
    assert words <= STOP


@pytest.mark.parametrize(
    "word",
    [
        "про",
        "який",
        "якої",
        "якою",
        "цією",
        "таке",
        "повідомив",
        "об",
        "этом",
        "этому",
        "которые",
        "которому",
        "такое",
        "сообщил",
    ],
)
def test_case_forms_and_verbs_of_attribution_are_in(word: str) -> None:
    assert word in UKRAINIAN | RUSSIAN


@pytest.mark.parametrize(
    "word",
    [
        "заява",
        "заяву",
        "відставку",
        "заявление",
        "отставку",
        "україни",
        "россии",
        "удар",
        "війна",
        "ракета",
        "ту",
    ],
)
def test_what_happened_and_names_are_not(word: str) -> None:
    """Nouns of the development (a statement, a resignation, a war, a missile) and names
    stay terms; "Ту" names Tupolev's bombers ("Ту-95"), whatever the pronoun it also is."""
    assert word not in UKRAINIAN | RUSSIAN
