"""workers/written_script.py: a report written in another script than its language's."""

from __future__ import annotations

from typing import Any

import pytest

from workers.written_script import dominant_script, written_in


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
        ("ru", "NATO и EU: OSCE, IAEA", True),  # too few letters to tell
        ("ru", "Zaporizhzhia NPP: МАГАТЭ", False),  # enough to tell
        ("el", "Startling images emerge from Russia", True),  # not read: Greek
        ("", "Startling images emerge from Russia", True),
        # A headline alone (a feed without summaries) whose names in Latin letters
        # outnumber its own words' letters: its lower-case words are its language's.
        ("ru", "Bloomberg: Apple представила iPhone 16 Pro", True),
        ("uk", "The Washington Post: Байден дозволив ATACMS", True),
        ("ru", "Зеленский на Munich Security Conference", True),
        # Title case gives no lower-case word: every letter counts.
        ("ru", "All The President’s Men Who Protects Vladimir Putin", False),
        ("ru", "The Secret Lives Of Vladimir Putin’s Sons", False),
        # A word or two are too few letters to tell, in any case.
        ("ru", "Succession", True),
        ("ru", "All the President’s Men", True),
    ],
)
def test_a_text_is_written_in_its_language_unless_most_letters_are_the_other_script(
    language: str, text: str, written: bool
) -> None:
    assert written_in(language, text) is written


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("Hello world, this is English", "latin"),
        ("Привіт, світе", "cyrillic"),
        ("مرحبا بالعالم", "arabic"),
        ("東京で会議が開かれた", "cjk"),
        ("12345 !!! ...", None),
        ("Hello Привет", None),  # neither has 60% of the letters
        ("жжжжжжжжжжж abcdef", "cyrillic"),  # every letter counts, repeats included
        ("aaaaaaaaaaa бвгдеё", "latin"),
    ],
)
def test_dominant_script(text: str, script: Any) -> None:
    assert dominant_script(text) == script
