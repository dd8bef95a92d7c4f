"""workers.story_text: headline cleaning, headline styles, templates, sentences."""

from __future__ import annotations

import pytest

from workers.story_text import (
    clean_title,
    is_title_case,
    sentence_starts,
    sentences,
    title_template,
    url_words,
)


@pytest.mark.parametrize(
    ("title", "outlet", "expected"),
    [
        pytest.param("UPDATE 2-Draghi says ECB ready", "", "Draghi says ECB ready",
                     id="wire-update"),
        pytest.param("RPT-FOREX-Euro slips", "", "FOREX-Euro slips", id="repeat-keeps-slug"),
        pytest.param("Storm hits coast (VIDEO)", "", "Storm hits coast", id="media-tag"),
        pytest.param("Keith Richards Writes Book With Daughter  ...", "",
                     "Keith Richards Writes Book With", id="truncated-last-word"),
        pytest.param("Fed holds rates - Reuters", "Reuters", "Fed holds rates",
                     id="trailing-outlet"),
        pytest.param("Talks stall - officials", "Reuters", "Talks stall - officials",
                     id="trailing-dash-not-outlet"),
    ],
)  # fmt: skip
def test_clean_title(title: str, outlet: str, expected: str) -> None:
    assert clean_title(title, outlet) == expected


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        pytest.param("Fed Holds Rates Steady As Inflation Cools", True, id="title-case"),
        pytest.param("Fed holds rates steady as inflation cools", False, id="sentence-case"),
        pytest.param("", False, id="empty"),
    ],
)
def test_is_title_case(words: str, expected: bool) -> None:
    assert is_title_case(words.split()) is expected


def test_sentence_starts_mark_the_words_after_a_full_stop() -> None:
    text = "Police said. Officers arrived at Bondi Beach."
    words = text.replace(".", "").split()
    assert sentence_starts(text, words) == frozenset({0, 2})


def test_title_template_masks_dates_and_numbers() -> None:
    assert title_template("Your Daily Horoscope for Monday, May 4") == title_template(
        "Your Daily Horoscope for Thursday, May 7"
    )
    assert title_template("Vettel to leave Ferrari") != title_template("Vettel to join Ferrari")


def test_url_words_take_the_longest_slug() -> None:
    url = "https://example.com/2014/03/11/emma-watson-noah-trailer_n_49.html?x=1"
    assert url_words(url) == ["emma", "watson", "noah", "trailer"]
    assert url_words("https://example.com/news/12345") == []


def test_sentences_split_after_each_end() -> None:
    assert sentences("First one. Second one! Third") == ["First one.", "Second one!", "Third"]
