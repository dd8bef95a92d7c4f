"""workers.story_text: headline cleaning, headline styles, templates, sentences."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workers.story_text import (
    cased,
    casing_word,
    clean_title,
    first_sentence,
    is_title_case,
    read_word,
    sentence_starts,
    sentences,
    stem,
    term_word,
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
    ("title", "outlet", "expected"),
    [
        pytest.param("a" + " " * 100_000 + "b", "X", "a" + " " * 100_000 + "b",
                     id="long-space-run"),
        pytest.param("Storm" + " " * 100_000 + "hits ...", "", "Storm", id="run-then-ellipsis"),
        pytest.param("Storm" + " " * 100_000 + "- Reuters", "Reuters", "Storm",
                     id="run-then-outlet"),
    ],
)  # fmt: skip
def test_clean_title_of_a_long_run_of_spaces_returns(
    title: str, outlet: str, expected: str
) -> None:
    # Behaviour, not speed: it returns (cubic backtracking would time the test out).
    # The service collapses spaces in titles; `briefing cluster-eval` reads them raw.
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


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        pytest.param("a" * 100_000, [], id="one-long-run"),
        pytest.param("a-" * 50_000 + "!", ["a"] * 50_000, id="long-slug"),
        pytest.param("1-" * 50_000, [], id="digits-only-slug"),
    ],
)
def test_url_words_of_a_hostile_url_return(path: str, expected: list[str]) -> None:
    # Behaviour, not speed: it returns (quadratic backtracking would time the test out),
    # with the words a slug of that shape has.
    assert url_words("https://example.com/" + path) == expected


def test_sentences_split_after_each_end() -> None:
    assert sentences("First one. Second one! Third") == ["First one.", "Second one!", "Third"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("First one. Second one! Third", "First one.", id="first-of-several"),
        pytest.param("  No end at all  ", "No end at all", id="no-end"),
        pytest.param(". Then words", ".", id="an-end-first"),
        pytest.param("   ", "", id="blank"),
        pytest.param("", "", id="empty"),
    ],
)
def test_first_sentence(text: str, expected: str) -> None:
    assert first_sentence(text) == expected


@given(st.text(alphabet=st.sampled_from("ab .!?\n\t\u00a0"), max_size=40))
def test_first_sentence_is_the_first_of_sentences(text: str) -> None:
    assert first_sentence(text) == next(iter(sentences(text)), "")


@pytest.mark.parametrize(
    ("read", "word", "expected"),
    [
        pytest.param(term_word, "Merkel’s", ("merkel", False), id="term-possessive"),
        pytest.param(term_word, "U.S.", ("us", False), id="term-dots-dropped"),
        pytest.param(term_word, "10,633", ("10,633", True), id="term-number"),
        pytest.param(term_word, "7", ("7", True), id="term-single-digit-kept"),
        pytest.param(term_word, "x", None, id="term-single-letter"),
        pytest.param(term_word, "The", None, id="term-stop-word"),
        pytest.param(term_word, "Про", None, id="term-ukrainian-stop-word"),
        pytest.param(term_word, "этом", None, id="term-russian-stop-word"),
        pytest.param(term_word, "заяву", ("заяву", False), id="term-ukrainian-noun-kept"),
        pytest.param(term_word, "обʼєкт", ("об'єкт", False), id="term-modifier-apostrophe"),
        pytest.param(term_word, "Об’єкт", ("об'єкт", False), id="term-typographic-apostrophe"),
        pytest.param(casing_word, "Apple", ("apple", True), id="casing-capitalized"),
        pytest.param(casing_word, "apples", ("apples", False), id="casing-lower-case"),
        pytest.param(casing_word, "NATO", None, id="casing-all-capitals"),
        pytest.param(casing_word, "2024", None, id="casing-not-a-word"),
        pytest.param(casing_word, "With", None, id="casing-stop-word"),
    ],
)
def test_word_readings_fold_and_skip_words_that_say_nothing(
    read: Callable[[str], tuple[str, bool] | None], word: str, expected: tuple[str, bool] | None
) -> None:
    """term_word: folded word and whether it holds a digit; casing_word: folded word and
    whether it is capitalized; None when the word carries no such evidence."""
    assert read(word) == expected


@pytest.mark.parametrize(
    "word",
    ["Merkel’s", "U.S.", "10,633", "7", "x", "The", "Про", "заяву", "Об’єкт", "Apple",
     "apples", "NATO", "2024", "With", "COVID-19", "1.5bn", "İstanbul", "Straße"],
)  # fmt: skip
def test_read_word_answers_as_term_word_and_casing_word(word: str) -> None:
    """One memo look-up for both readings of a word: each part as the separate helper
    reads it, the number term as the clusterer writes it, and the casing keys."""
    reading = read_word(word)
    shape, casing = term_word(word), casing_word(word)
    assert reading.term == (None if shape is None else shape[0])
    expected_number = "#" + shape[0].replace(",", "") if shape is not None and shape[1] else None
    assert reading.number == expected_number
    assert reading.capitalized == (None if casing is None else casing[1])
    folded = shape[0] if shape is not None else casing[0] if casing is not None else None
    if folded is not None:
        assert (reading.capital_key, reading.lower_key) == cased(folded)


def test_stem_by_language_and_never_for_numbers_or_unknown_languages() -> None:
    assert stem("en", "affirmed") == stem("en", "affirms") == "affirm"
    assert stem("uk", "танки") == stem("uk", "танків")  # Ukrainian's own endings
    assert stem("be", "горадзе") == stem("ru", "горадзе")  # Russian's endings stand in
    assert stem("en", "1990s") == "1990s"
    assert stem("xx", "running") == "running"
