"""service.summary: the summary line of a story and of the page."""

from __future__ import annotations

import random

import pytest

from service.summary import ELLIPSIS, summary_line


def _collapsed_then_cut(text: str, limit: int) -> str:
    """The definition: every run of whitespace collapsed, then cut on a word boundary."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if text[limit] != " ":
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + ELLIPSIS


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        pytest.param("Short  text\n", 40, "Short text", id="collapsed-whole"),
        pytest.param("Troops took the village, officials said", 24, "Troops took the village…",
                     id="cut-on-a-word-no-comma"),
        pytest.param("Unbreakableword and more", 5, "Unbre…", id="inside-one-long-word"),
        pytest.param(" " * 100 + "Kyiv was struck overnight", 10, "Kyiv was…",
                     id="whitespace-longer-than-the-limit-first"),
        pytest.param("a" + " \n" * 30 + "b", 5, "a b", id="whitespace-runs-collapse-to-fit"),
    ],
)  # fmt: skip
def test_summary_line_collapses_whitespace_and_cuts_on_words(
    text: str, limit: int, expected: str
) -> None:
    assert summary_line(text, limit) == expected


def test_summary_line_reads_only_a_prefix_as_the_whole_text_would_read() -> None:
    """The line collapses a prefix of a long text only; it is the line of the whole text,
    whatever the whitespace (runs longer than the limit, words cut at the prefix's end)."""
    rnd = random.Random(16)
    for _ in range(3000):
        text = "".join(rnd.choice("ab  \n\t,;:x") for _ in range(rnd.randint(0, 80)))
        for limit in (1, 3, 8, 20):
            assert summary_line(text, limit) == _collapsed_then_cut(text, limit)
