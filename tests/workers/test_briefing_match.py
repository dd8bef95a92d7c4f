"""workers/briefing_match.py: keyword patterns (whole words, prefixes, any case)."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.config import BriefingConfig
from workers import geonames
from workers.briefing_match import (
    ArticleFacts,
    BriefingMatcher,
    briefings_admitting_feed,
    checked_place,
    keyword_pattern,
    place_countries,
)


def test_a_feed_enters_the_briefings_whose_feed_filter_names_its_url_or_outlet() -> None:
    briefings = [
        BriefingConfig(id="url", title="t", feeds=("HTTPS://A.example/rss",)),
        BriefingConfig(id="outlet", title="t", feeds=("https://b.example/rss", "a desk")),
        BriefingConfig(id="other", title="t", feeds=("https://b.example/rss",)),
        BriefingConfig(id="any", title="t", include=("kyiv",)),
    ]
    admitting = briefings_admitting_feed(briefings, feed_url="https://a.example/rss", outlet="")
    assert admitting == ["url", "any"]
    by_outlet = briefings_admitting_feed(briefings, feed_url="https://c.example/", outlet="A Desk")
    assert by_outlet == ["outlet", "any"]


# Feed URLs and outlet names as briefings and articles spell them: another case, and
# strings whose casefold differs from their lower() ("ß", "İ", the "ﬁ" ligature).
_FEED_URLS = ["https://a.example/rss", "HTTPS://A.EXAMPLE/RSS", "https://a.example/RSS",
              "https://straße.example/", "https://STRASSE.example/"]  # fmt: skip
_OUTLETS = ["", "A Desk", "a desk", "A DESK", "Straße", "STRASSE", "İstanbul", "i̇stanbul",
            "ﬁle", "FILE", "Kyiv Independent"]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(
    filters=st.lists(st.sampled_from([*_FEED_URLS, *_OUTLETS[1:]]), max_size=4),
    include=st.sampled_from([(), ("kyiv",)]),
    feed_url=st.sampled_from(_FEED_URLS),
    outlet=st.sampled_from(_OUTLETS),
    title=st.sampled_from(["Kyiv at night", "Lviv at night", ""]),
)
def test_the_feed_filter_decides_alike_for_articles_and_for_the_feeds_view(
    filters: list[str], include: tuple[str, ...], feed_url: str, outlet: str, title: str
) -> None:
    """A briefing's ``feeds`` admits an article whose feed URL or outlet equals one of
    them without regard to case (no filter: every article); the process stage's matcher
    and the feed's view (GET /v1/feeds/{id}: ``briefings_admitting_feed``) decide it
    alike, and the matcher's other filters still apply."""
    briefing = BriefingConfig(id="b", title="t", feeds=tuple(filters), include=include)
    named = not filters or any(
        f.casefold() in (feed_url.casefold(), outlet.casefold()) for f in filters
    )
    shown = briefings_admitting_feed([briefing], feed_url=feed_url, outlet=outlet)
    assert shown == (["b"] if named else [])
    facts = ArticleFacts(
        title=title, text="", language="en", feed_url=feed_url, outlet=outlet, places=()
    )
    keywords_pass = not include or "Kyiv" in title
    assert BriefingMatcher.of(briefing).matches(facts) == (named and keywords_pass)


def plain_alternation(keywords: list[str]) -> re.Pattern[str] | None:
    """The keywords as one alternation, without the first-character lookahead."""
    parts = []
    for keyword in keywords:
        word = keyword.strip()
        if word:
            body = r"\s+".join(re.escape(w) for w in word.rstrip("*").split())
            parts.append(body + (r"\w*" if word.endswith("*") else ""))
    if not parts:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)", re.IGNORECASE)


def test_keywords_match_whole_words_prefixes_and_phrases_in_any_case() -> None:
    pattern = keyword_pattern(["kyiv", "україн*", "russian forces", "C++"])
    assert pattern is not None
    assert pattern.search("Strikes on KYIV overnight")
    assert not pattern.search("Kyivstar outage")
    assert pattern.search("Президент України")
    assert pattern.search("Russian\n forces advanced")
    assert pattern.search("written in c++ today")
    assert not pattern.search("russian troops")


def test_a_decomposed_keyword_matches_composed_text() -> None:
    pattern = keyword_pattern([unicodedata.normalize("NFD", "київ"), "caf\u0065\u0301*"])
    assert pattern is not None
    assert pattern.search("Вибухи у Києві? Ні: Київ")
    assert pattern.search("Cafés reopen")


def test_a_lone_star_matches_everywhere_as_before() -> None:
    pattern = keyword_pattern(["*"])
    assert pattern is not None and pattern.search("") is not None
    assert keyword_pattern(["", "  "]) is None


# Several begin alike ("kyiv", "kyivan", "kiev*", "k"; "russian ..."): runs of them share a
# branch in the pattern (``_shared_starts``), which must match what the alternation does.
_WORDS = ["kyiv", "kyivan", "kiev*", "Київ", "Київщина", "ukrain*", "україн*", "russian forces",
          "russian troops", "russian*", "ß", "İstanbul", "c++", "-x", "^a", "]b", "*", "σ",
          "ΣΟΦΊΑ", "k"]  # fmt: skip
_TEXT = st.text(
    alphabet=st.sampled_from([*"kKyivЇїКкиївщнУуkraineßSsİiı σςΣ+-^]bxrustopfc\n.,", "\u212a"]),
    max_size=60,
)


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=6), st.lists(_TEXT, max_size=5))
def test_the_lookahead_matches_exactly_what_the_alternation_matches(
    keywords: list[str], texts: list[str]
) -> None:
    fast, plain = keyword_pattern(keywords), plain_alternation(keywords)
    assert fast is not None and plain is not None
    for text in texts:
        found, expected = fast.search(text), plain.search(text)
        assert (found and found.span()) == (expected and expected.span())


@pytest.mark.parametrize(
    "keywords",
    [
        ["russian*", "russian forces", "kyiv"],
        ["russian forces", "russian*", "kyiv"],
        ["kyiv", "russian troops", "russian forces", "russian*", "ru"],
    ],
)
def test_keywords_that_begin_alike_match_in_the_order_listed(keywords: list[str]) -> None:
    """Keywords listed one after another that begin alike share a branch; the engine still
    tries them in the order listed, so a match ends where the alternation's does ("Russian"
    or "Russian forces", whichever keyword comes first)."""
    shared, plain = keyword_pattern(keywords), plain_alternation(keywords)
    assert shared is not None and plain is not None
    assert shared.pattern.count("ssian") == 1  # one branch for the "russian" keywords
    for text in ["Russian forces advanced", "the russian  troops", "RU: Kyiv, russians"]:
        found, expected = shared.search(text), plain.search(text)
        assert (found and found.span()) == (expected and expected.span()), text


def test_a_country_code_is_checked_without_reading_the_cities() -> None:
    """Every process checks its config's briefings at its start; a fetch worker has no
    other use for the 16.7 MB cities table."""
    geonames.cities.cache_clear()
    assert checked_place("RU") == "RU"
    with pytest.raises(ValueError, match="alpha-2"):
        checked_place("QQ")
    assert geonames.cities.cache_info().currsize == 0


def test_the_country_codes_are_those_places_map_to() -> None:
    assert set(geonames.countries()) == set(place_countries().values())
