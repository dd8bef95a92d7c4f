"""Attributed claims: the shapes reporters write them in (sentences from real feeds), what
is not a claimant, and a story's bounded claims with the report each was read in."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.claims import (
    _VERB,
    _VERBS,
    MAX_CLAIM_CHARS,
    MAX_STORY_CLAIMS,
    Claim,
    ReportClaim,
    _in_sentence,
    claimant_name,
    claims_in,
    sentences,
    story_claims,
)
from service.models import StoryMember
from tests import factories


@pytest.mark.parametrize(
    ("sentence", "claimant", "text"),
    [
        (
            "Ukrainian President Volodymyr Zelenskiy said US President Donald Trump was "
            "exerting undue pressure on him.",
            "Ukrainian President Volodymyr Zelenskiy",
            "US President Donald Trump was exerting undue pressure on him.",
        ),
        (
            "Denmark’s foreign minister said on Wednesday that a “fundamental disagreement” "
            "remained unresolved.",
            "Denmark’s foreign minister",
            "a “fundamental disagreement” remained unresolved.",
        ),
        (
            "There are 51 new community cases today, including four in Waikato, the Ministry "
            "of Health says.",
            "the Ministry of Health",
            "There are 51 new community cases today, including four in Waikato",
        ),
        (
            "An 18-year-old man ran toward the Capitol with a loaded shotgun, said U.S. Capitol "
            "Police Chief Michael Sullivan.",
            "U.S. Capitol Police Chief Michael Sullivan",
            "An 18-year-old man ran toward the Capitol with a loaded shotgun",
        ),
        (
            "The situation near Pokrovsk is difficult, Ukraine's General Staff said on Sunday.",
            "Ukraine's General Staff",
            "The situation near Pokrovsk is difficult",
        ),
        (
            "“We are holding the line,” said Kyrylenko.",
            "Kyrylenko",
            "We are holding the line",
        ),
        (
            "Jesse Jackson died Tuesday at the age of 84, according to NBC and Reuters.",
            "NBC and Reuters",
            "Jesse Jackson died Tuesday at the age of 84",
        ),
        (
            "According to the Defense Ministry, Russian forces took two villages.",
            "the Defense Ministry",
            "Russian forces took two villages.",
        ),
        (
            "Officials say a suicide bomber attacked a military checkpoint.",
            "Officials",
            "a suicide bomber attacked a military checkpoint.",
        ),
        (  # an acronym after the name is left out
            "The Oromo Liberation Front (OLF) has warned that clouds of war hang over Ethiopia.",
            "The Oromo Liberation Front",
            "clouds of war hang over Ethiopia.",
        ),
    ],
)
def test_a_claim_in_a_lead_sentence(sentence: str, claimant: str, text: str) -> None:
    assert claims_in(sentence, "en") == (Claim(claimant, text),)


@pytest.mark.parametrize(
    ("headline", "claimant", "text"),
    [
        ("Iran says 'guiding principles' agreed with US at nuclear talks", "Iran",
         "'guiding principles' agreed with US at nuclear talks"),
        ("Strikes on 3 more alleged drug boats kill 11 people, U.S. military says",
         "U.S. military", "Strikes on 3 more alleged drug boats kill 11 people"),
        ("Machado Insists Trump Will Do What’s Needed to Turn Venezuela Into a Democracy",
         "Machado", "Trump Will Do What’s Needed to Turn Venezuela Into a Democracy"),
        ("Jill Lepore: ‘Trump thrives on chaos and crisis’", "Jill Lepore",
         "‘Trump thrives on chaos and crisis’"),
    ],
)  # fmt: skip
def test_a_claim_in_a_headline(headline: str, claimant: str, text: str) -> None:
    assert claims_in(headline, "en", headline=True) == (Claim(claimant, text),)


@pytest.mark.parametrize(
    ("text", "headline"),
    [
        ("He said the talks would resume next week.", False),  # a pronoun: who?
        ("They say the bridge will reopen on Monday.", False),
        ("Let's say I own the domain example.com and want to use it locally.", False),
        ("Russia reported a record number of Covid-19 cases in the past 24 hours.", False),
        ("Belgium accuses U.S. envoy of disinformation for antisemitism claim", True),
        ("A Deadly Medieval Path in England Claims a Modern Victim: An Amazon Van", True),
        ("Casey argues for day/month/year instead of year/month/day.", False),
        ("Study warns that anti-malarial nets may reduce people's protection.", False),
        ("Free Tool Says it Can Bypass Discord's Age Verification Check", True),
        ("Watch: 'I am a survivor' Gisèle Pelicot tells BBC Newsnight", True),
        ("The Papers: 'Terror will not win' and MP murder suspect named", True),
        ("Scalia in 1987: ‘The Constitution Sometimes Insulates the Criminality of a Few’", True),
        ("Melvyn Bragg and guests discuss the man who, according to Machiavelli...", False),
        ("“This is a militia that kills,” the mayor told RTL, according to The Associated "
         "Press.", False),
        ("The government has maintained the internet shutdown.", False),
        ("Президент заявил, что переговоры продолжатся.", False),  # not English: no rules
    ],
)  # fmt: skip
def test_not_a_claim(text: str, headline: bool) -> None:
    language = "ru" if text.startswith("Президент") else "en"
    assert claims_in(text, language, headline=headline) == ()


@pytest.mark.parametrize("verb", _VERBS.split("|"))
def test_every_attributing_verb_is_found_whole_in_any_case(verb: str) -> None:
    for written in (verb, verb.upper(), verb.title()):
        found = _VERB.search(f"The ministry {written}: nothing")
        assert found is not None and found.group(1) == written
    assert _VERB.search(f"un{verb}able pre{verb} {verb}x") is None


@pytest.mark.parametrize(
    ("phrase", "name"),
    [
        ("the Defense Ministry", "the Defense Ministry"),
        ("a Nigerian defense spokesperson", "a Nigerian defense spokesperson"),
        ("The former Tory leader", "The former Tory leader"),
        ("officials", "officials"),
        ("she", None),
        ("which is to", None),
        ("the report", None),
        ("a resident of Tehran’s", None),  # cut off before its noun
        ("the man who went to the shop and", None),
    ],
)
def test_claimant_names(phrase: str, name: str | None) -> None:
    assert claimant_name(phrase) == name


def test_sentences_split_after_stops_not_after_abbreviations() -> None:
    text = (
        "Mr. Smith met U.S. officials. Officials said the talks went well! “We agreed,” "
        "said Dr. Jones. Gen. Syrskyi said the line held"
    )
    assert sentences(text) == [
        "Mr. Smith met U.S. officials.",
        "Officials said the talks went well!",
        "“We agreed,” said Dr. Jones.",
        "Gen. Syrskyi said the line held",
    ]


@pytest.mark.parametrize(
    ("text", "claims"),
    [
        # The attributing verb or "according to" only in a later sentence, or capitalized:
        # a text is passed over only when none of its sentences has either.
        (
            "Markets fell on Monday. Prices will keep rising, officials warned.",
            [Claim("officials", "Prices will keep rising")],
        ),
        (
            "Markets fell sharply on Monday. OFFICIALS SAID the talks went well.",
            [Claim("OFFICIALS", "the talks went well.")],
        ),
        (
            "Markets fell sharply on Monday. According to the UN, prices will keep rising.",
            [Claim("the UN", "prices will keep rising.")],
        ),
        ("Markets fell sharply on Monday. Prices kept rising on Tuesday.", []),
        # Inside a longer word, not an attributing verb: the text is passed over.
        ("Sayson and Saidov played a draw. The crowd took its seats early.", []),
    ],
)
def test_a_text_s_claims_whichever_sentence_holds_them(text: str, claims: list[Claim]) -> None:
    assert list(claims_in(text, "en")) == claims


# Pieces of texts where casing, Unicode spaces and quotes could make a whole text and its
# sentences disagree on whether a verb or "according to" is there.
_PIECES = [
    "Officials", "OFFICIALS SAID", "said", "Said", "ſaid", "Saidov", "warns", "DENIED",
    "according to", "ACCORDING TO", "According\u00a0to", "according", "to", "the UN",
    "Zelensky", "prices rose sharply", "Київ", "заявив", "it’s", "Kyivʼs", "Mr.", "U.S.",
    "2,500", "“We will not retreat,”", "'", "-",
]  # fmt: skip
_GAPS = [" ", " ", " ", "\u00a0", ". ", "! ", "? ", ", ", ",” ", ".\n", "\u2028", ": "]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_PIECES), st.sampled_from(_GAPS)), max_size=24))
def test_a_text_passed_over_whole_holds_no_sentence_with_a_claim(
    parts: list[tuple[str, str]],
) -> None:
    # claims_in skips a text in one search when it has no attributing verb and no
    # "according to": it must find what reading each sentence finds.
    text = "".join(piece + gap for piece, gap in parts)
    each = [_in_sentence(sentence, headline=False) for sentence in sentences(text)]
    assert list(claims_in(text, "en")) == list(dict.fromkeys(c for c in each if c))


def test_a_long_claim_is_cut_on_a_word() -> None:
    sentence = "Officials said " + "the shelling went on overnight " * 12
    (claim,) = claims_in(sentence, "en")
    assert len(claim.text) <= MAX_CLAIM_CHARS + 1 and claim.text.endswith(" the shelling…")


def member(n: int, title: str, outlet: str = "", language: str = "en") -> StoryMember:
    return factories.member(
        n, outlet or f"Outlet {n}", feed_url=f"https://feed{n}.example/rss",
        url=f"https://outlet{n}.example/{n}", title=title,
        published=datetime(2026, 2, 18, n % 24, tzinfo=UTC), language=language,
    )  # fmt: skip


def test_a_story_s_claims_name_their_report() -> None:
    lead = member(1, "Russia claims advances near Pokrovsk", "BBC World")
    members = [
        member(0, "Fighting near Pokrovsk", "Kyiv Independent"),
        lead,
        member(2, "Ukraine says the situation near Pokrovsk is difficult", "Ukrinform"),
        member(3, "Russia claims advances near Pokrovsk", "Copy Desk"),  # the same claim
        member(4, "Россия заявляет о продвижении", "TASS", language="ru"),
    ]
    summary = "Moscow took two villages, the Defense Ministry said on Sunday."
    assert story_claims(summary, lead, members) == [
        ReportClaim("the Defense Ministry", "Moscow took two villages", "BBC World",
                    "https://outlet1.example/1"),
        ReportClaim("Russia", "advances near Pokrovsk", "BBC World", "https://outlet1.example/1"),
        ReportClaim("Ukraine", "the situation near Pokrovsk is difficult", "Ukrinform",
                    "https://outlet2.example/2"),
    ]  # fmt: skip


def test_a_story_s_claims_are_bounded() -> None:
    members = [member(n, f"Governor of Region {n} says the shelling went on for {n} hours")
               for n in range(30)]  # fmt: skip
    claims = story_claims("", None, members)
    assert len(claims) == MAX_STORY_CLAIMS
    assert [c.outlet for c in claims] == [f"Outlet {n}" for n in range(MAX_STORY_CLAIMS)]
    assert story_claims("A summary.", None, []) == []
