"""The briefing text rules the config file and the admin API share."""

from __future__ import annotations

import re

import pytest

from service.typed_text import (
    lines_without_control_characters,
    url_without_spaces,
    without_control_characters,
)


@pytest.mark.parametrize("char", ["\x00", "\t", "\n", "\x1b", "\x7f", "\x85", "\x9f"])
def test_a_control_character_is_refused_naming_its_position(char: str) -> None:
    with pytest.raises(
        ValueError, match=f"^{re.escape(repr(char))} at position 3: no control characters$"
    ):
        without_control_characters("Kyi" + char + "v")


@pytest.mark.parametrize("text", ["", "Київ", "Слов’янськ", "a\u200bb", "a\u00a0b", "\U0001f600"])
def test_text_of_any_script_and_format_characters_is_kept(text: str) -> None:
    assert without_control_characters(text) == text


def test_a_description_may_break_lines_but_holds_no_other_control_character() -> None:
    assert lines_without_control_characters("a\tb\r\nc") == "a\tb\r\nc"
    with pytest.raises(ValueError, match=re.escape("'\\x0b' at position 1")):
        lines_without_control_characters("a\x0bb")


def test_a_url_holds_no_space_nor_control_character() -> None:
    assert url_without_spaces("https://a.example/r%20ss") == "https://a.example/r%20ss"
    with pytest.raises(ValueError, match=r"^' ' at position 19: a URL holds no spaces$"):
        url_without_spaces("https://a.example/r ss")
    with pytest.raises(ValueError, match="no control characters"):
        url_without_spaces("https://a.example/\t")
