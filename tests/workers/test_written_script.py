"""workers/written_script.py: a report written in another script than its language's."""

from __future__ import annotations

import pytest

from workers.written_script import written_in


@pytest.mark.parametrize(
    ("language", "text", "written"),
    [
        ("ru", "Succession. The Secret Lives of Vladimir Putin’s Sons", False),
        ("uk", "Zelensky arrives in Canada on unannounced visit", False),
        ("en", "Зеленський прибув з візитом до Канади", False),
        ("ru", "Абвер для «Вагнера». Как работает служба безопасности Евгения Пригожина", True),
        ("uk", "США передають Україні танки M1 Abrams — Байден", True),
        ("en", "Biden confirmed that 31 Abrams tanks will be delivered to Ukraine", True),
        ("ru", "В Киеве прогремели взрывы, пишут Reuters, AFP, BBC и CNN", True),
        ("ru", "2024", True),  # no letters: nothing says otherwise
        ("el", "Startling images emerge from Russia", True),  # not read: Greek
        ("", "Startling images emerge from Russia", True),
        # A headline alone (a feed without summaries) whose names in Latin letters
        # outnumber its own words' letters: its lower-case words are its language's.
        ("ru", "Bloomberg: Apple представила iPhone 16 Pro", True),
        ("uk", "The Washington Post: Байден дозволив ATACMS", True),
        ("ru", "Зеленский на Munich Security Conference", True),
        # Title case gives no lower-case word: every letter counts.
        ("ru", "Succession", False),
        ("ru", "All the President’s Men", False),
        ("ru", "The Secret Lives Of Vladimir Putin’s Sons", False),
    ],
)
def test_a_text_is_written_in_its_language_unless_most_letters_are_the_other_script(
    language: str, text: str, written: bool
) -> None:
    assert written_in(language, text) is written
