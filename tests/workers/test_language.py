"""Language detection: named cases, and agreement with declared languages on real feeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from workers.language import MIN_LETTERS, detect_language
from workers.normalize import _snippet, primary_language
from workers.parse import parse_feed

FEEDS = Path(__file__).resolve().parents[3] / "shared" / "feeds" / "real"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Russian missile strike on Kharkiv apartment block kills seven people", "en", id="en"
        ),
        pytest.param("Путин заявил о готовности к переговорам с Украиной", "ru", id="ru"),
        pytest.param("Президент України підписав закон про мобілізацію", "uk", id="uk"),
        pytest.param("Die Bundesregierung beschließt ein neues Klimaschutzgesetz", "de", id="de"),
        pytest.param("El gobierno anuncia nuevas medidas contra la inflación", "es", id="es"),
        pytest.param("中国国家主席习近平今天在北京会见了法国总统马克龙", "zh", id="zh-not-wuu"),
        pytest.param("OK", "", id="too-few-letters"),
        pytest.param("2026-11-25 12:00 +++ 42 / 17 = 2.47", "", id="no-letters"),
    ],
)
def test_detect_language(text: str, expected: str) -> None:
    assert detect_language(text) == expected


def test_same_text_same_answer() -> None:
    text = "Ministers meet in Brussels; Minister treffen sich in Brüssel"
    assert len({detect_language(text) for _ in range(5)}) == 1


@pytest.mark.skipif(not FEEDS.is_dir(), reason=f"{FEEDS} is not beside the repository")
def test_agrees_with_declared_languages_on_real_feeds() -> None:
    """On the entries of the real captures that declare a language, the detector agrees
    with the declaration almost always and is rarely confidently different (the
    declarations themselves include CMS defaults that are wrong)."""
    agree = disagree = total = 0
    for path in sorted(FEEDS.iterdir()):
        parsed = parse_feed(path.read_bytes(), path.as_uri())
        for entry in parsed.entries:
            declared = primary_language(entry.language) or primary_language(parsed.language)
            text = _snippet(entry)
            if not declared or sum(ch.isalpha() for ch in text) < MIN_LETTERS:
                continue
            total += 1
            found = detect_language(text)
            agree += found == declared
            disagree += found not in ("", declared)
    assert total > 1500
    assert agree / total > 0.97
    assert disagree / total < 0.01
