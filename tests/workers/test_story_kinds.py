"""workers.story_kinds: roundups, an outlet's recurring items, boilerplate and kickers."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from workers.story_kinds import OutletMemory, is_roundup_title

T0 = datetime(2020, 4, 20, 12, tzinfo=UTC).timestamp()
HOUR = timedelta(hours=1).total_seconds()


@pytest.mark.parametrize(
    ("title", "roundup"),
    [
        pytest.param("Coronavirus updates LIVE: Morrison urges downloads", True, id="live-caps"),
        pytest.param("Coronavirus live updates: what happened today", True, id="live-updates"),
        pytest.param("Coronavirus, Tornadoes, N.F.L. Draft: Your Thursday Briefing", True,
                     id="your-briefing"),
        pytest.param("Coronavirus: All you need to know about today's developments", False,
                     id="need-to-know-without-what"),
        pytest.param("Five things you need to know about the outbreak: what you need to know",
                     True, id="what-you-need-to-know"),
        pytest.param("The best of the world in pictures", True, id="gallery"),
        pytest.param("Your Daily Horoscope for Monday, May 4", True, id="horoscope"),
        pytest.param("Онлайн-трансляція: головні події дня", True, id="ukrainian-online"),
        pytest.param("How long can the virus live on surfaces?", False, id="live-the-verb"),
        pytest.param("Trump's coronavirus briefing turns into campaign rally", False,
                     id="a-press-briefing-is-news"),
        pytest.param("Sebastian Vettel to leave Ferrari at end of season", False, id="news"),
    ],
)  # fmt: skip
def test_roundup_titles(title: str, roundup: bool) -> None:
    assert is_roundup_title(title) is roundup


def test_a_headline_template_recurring_days_later_is_a_series() -> None:
    memory = OutletMemory()
    first = memory.observe("SMH", "Your Daily Horoscope for Monday, May 4", "", T0)
    soon = memory.observe("SMH", "Your Daily Horoscope for Monday, May 4", "", T0 + HOUR)
    later = memory.observe("SMH", "Your Daily Horoscope for Thursday, May 7", "", T0 + 72 * HOUR)
    other_outlet = memory.observe(
        "BBC", "Your Daily Horoscope for Friday, May 8", "", T0 + 96 * HOUR
    )
    assert not first.series
    assert not soon.series  # a re-post within hours is not a series
    assert later.series
    assert not other_outlet.series  # templates are per outlet


def test_repeated_lead_sentences_are_boilerplate() -> None:
    memory = OutletMemory()
    plug = "SIGN UP TO OUR COVID-19 NEWSLETTER."
    leads = [
        memory.observe("NZH", f"Story {i}", f"{plug} Fact number {i} about the news.", T0 + i)
        for i in range(4)
    ]
    assert [k.lead for k in leads[:2]] == [
        f"{plug} Fact number 0 about the news.",
        f"{plug} Fact number 1 about the news.",
    ]
    assert leads[2].lead == "Fact number 2 about the news."
    assert leads[3].lead == "Fact number 3 about the news."
    assert not leads[3].roundup


def test_an_item_whose_whole_text_is_boilerplate_is_compared_on_its_headline() -> None:
    memory = OutletMemory()
    text = "Investigation by The Insider."
    kinds = [memory.observe("Insider", f"Finding {i}", text, T0 + i) for i in range(3)]
    assert [k.lead for k in kinds] == [text, text, ""]
    assert not any(k.roundup for k in kinds)


def test_a_recurring_kicker_is_dropped_from_the_headline() -> None:
    memory = OutletMemory()
    heads = [
        memory.observe("BBC", f"Coronavirus: item {i} happened", "", T0 + i).headline
        for i in range(3)
    ]
    assert heads == ["Coronavirus: item 0 happened", "Coronavirus: item 1 happened",
                     "item 2 happened"]  # fmt: skip
    long_head = "This is a long sentence before the colon: and after it"
    assert memory.observe("BBC", long_head, "", T0).headline == long_head


def test_memory_survives_a_snapshot_through_json() -> None:
    memory = OutletMemory()
    for i in range(5):
        memory.observe("BBC", f"Coronavirus: item {i}", "Same plug. Fresh fact.", T0 + i * HOUR)
    restored = OutletMemory.restore(json.loads(json.dumps(memory.snapshot())))
    probe = ("BBC", "Coronavirus: item 0", "Same plug. Another fact.", T0 + 30 * HOUR)
    assert restored.observe(*probe) == memory.observe(*probe)
