"""workers.text: HTML to plain text, whitespace, word-boundary truncation."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workers.text import ELLIPSIS, fold_whitespace, html_to_text, one_apostrophe, truncate_words


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        pytest.param("plain words", "plain words", id="plain-text-passes"),
        pytest.param("<p>Hello <b>wor</b>ld</p>", "Hello world", id="inline-tags-join"),
        pytest.param("<p>one</p><p>two</p>", "one two", id="blocks-separate"),
        pytest.param("a<br>b<br/>c", "a b c", id="br-separates"),
        pytest.param("<li>x</li><li>y</li>", "x y", id="list-items-separate"),
        pytest.param(
            "Tom &amp; Jerry &#8220;q&#8221; &eacute;", "Tom & Jerry “q” é", id="entities"
        ),
        pytest.param("a&nbsp;b", "a b", id="nbsp-is-space"),
        pytest.param("<script>alert(1)</script>visible", "visible", id="script-dropped"),
        pytest.param("<style>p{color:red}</style>visible", "visible", id="style-dropped"),
        pytest.param("<p>x<noscript>enable js</noscript>ok</p>", "xok", id="noscript-dropped"),
        pytest.param("  lots \n\t of   space  ", "lots of space", id="whitespace-folded"),
        pytest.param("zero\u200bwidth\ufeff", "zerowidth", id="invisible-chars-dropped"),
        pytest.param("bell\x07 and nul\x00", "bell and nul", id="control-chars-dropped"),
        pytest.param("Ки\u0456\u0308в Cafe\u0301", "Київ Café", id="decomposed-is-composed"),
        pytest.param("e\u200b\u0301", "é", id="mark-after-dropped-char-composes"),
        pytest.param(
            "\u202eevil\u202c \u202a\u202b\u202d\u2066\u2067\u2068x\u2069 \u200fmark\u200e",
            "evil x \u200fmark\u200e",
            id="bidi-scopes-dropped-marks-kept",
        ),
        pytest.param("line\none\r\ntwo", "line one two", id="newlines-are-space"),
        pytest.param(
            "&lt;p&gt;Escaped &lt;a href=&quot;x&quot;&gt;twice&lt;/a&gt;",
            "Escaped twice",
            id="double-escaped-html",
        ),
        pytest.param("<pre>&lt;p&gt; is a tag</pre>", "<p> is a tag", id="escaped-code-kept"),
        pytest.param("AT&amp;T &lt;3", "AT&T <3", id="escaped-text-not-html"),
        pytest.param("<p>unclosed <b>bold", "unclosed bold", id="broken-markup"),
        pytest.param("", "", id="empty"),
        pytest.param('<img src="x.jpg" alt="a photo">', "", id="image-only"),
    ],
)
def test_html_to_text(html: str, expected: str) -> None:
    assert html_to_text(html) == expected


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        pytest.param("short", 10, "short", id="fits"),
        pytest.param("exactly ten", 11, "exactly ten", id="exact-fit"),
        pytest.param("the quick brown fox jumps", 15, "the quick…", id="word-boundary"),
        pytest.param("the quick brown fox", 16, "the quick brown…", id="space-at-cut"),
        pytest.param("萨达姆之墓在反伊斯兰国战事中被毁", 6, "萨达姆之墓…", id="no-spaces-hard-cut"),
        pytest.param("a verylongwordthatneverends", 10, "a verylon…", id="long-word-hard-cut"),
        pytest.param("anything", 0, "", id="zero-limit"),
        pytest.param("anything", 1, "a", id="limit-below-ellipsis"),
    ],
)
def test_truncate_words(text: str, limit: int, expected: str) -> None:
    assert truncate_words(text, limit) == expected


@settings(deadline=None)  # no wall-clock assertions; CI machines are shared
@given(st.text(), st.integers(min_value=0, max_value=200))
def test_truncate_never_exceeds_limit(text: str, limit: int) -> None:
    out = truncate_words(text, limit)
    assert len(out) <= limit
    if len(text) <= limit:
        assert out == text
    else:
        assert out.endswith(ELLIPSIS) or limit <= len(ELLIPSIS)


@settings(deadline=None)  # no wall-clock assertions; CI machines are shared
@given(st.text())
def test_fold_whitespace_is_idempotent_and_trimmed(text: str) -> None:
    once = fold_whitespace(text)
    assert fold_whitespace(once) == once
    assert once == once.strip()
    assert "  " not in once


@settings(deadline=None)  # no wall-clock assertions; CI machines are shared
@given(st.text())
def test_html_to_text_never_raises_and_is_folded(text: str) -> None:
    out = html_to_text(text)
    assert out == fold_whitespace(out)


@given(st.text(alphabet=st.sampled_from("aб ’ʼ'‘`\u02bb\n")))
def test_one_apostrophe_writes_each_apostrophe_as_the_ascii_one(text: str) -> None:
    """’ (U+2019) and ʼ (U+02BC) become ', and nothing else changes (‘ and ʻ are quotes
    and another letter, not apostrophes)."""
    expected = "".join("'" if ch in "’ʼ" else ch for ch in text)
    assert one_apostrophe(text) == expected


def test_one_apostrophe_on_ukrainian_words() -> None:
    assert one_apostrophe("обʼєкт з’явився п'ять") == "об'єкт з'явився п'ять"


_TRANSLATED_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'"})


@given(st.text())
def test_one_apostrophe_equals_the_translate_table_it_replaces(text: str) -> None:
    """The same result as ``text.translate`` with the two-entry table the dedupe and
    story-text folds used, on any text (surrogates, combining marks, astral letters)."""
    assert one_apostrophe(text) == text.translate(_TRANSLATED_APOSTROPHES)
