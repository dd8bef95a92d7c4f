"""The public story payload stays bounded however big a story grows, and carries the
story's attributed claims with the report each was read in."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta

from service.claims import MAX_STORY_CLAIMS
from service.models import Story, StoryMember
from service.store.stories import (
    MAX_EVENT_SOURCES,
    header_payload,
    header_to_json,
    story_payload,
)
from tests.factories import T0


def member(n: int, outlet: str, copy_of: str | None = None) -> StoryMember:
    return StoryMember(
        article_id=f"a{n}", feed_url=f"https://{outlet}.example/rss", outlet=outlet,
        url=f"https://{outlet}.example/{n}", title="t", published=T0 + timedelta(minutes=n),
        copy_of=copy_of,
    )  # fmt: skip


def test_one_source_per_outlet_capped_and_counts_exact() -> None:
    members = [member(n, f"outlet{n}") for n in range(60)]
    members += [member(100 + n, "outlet0") for n in range(40)]  # the same outlet again
    members.append(member(200, "wire", copy_of="a0"))
    story = Story(id="st", headline="h", summary="s", first_seen=T0, last_updated=T0,
                  members=tuple(members))  # fmt: skip
    payload = story_payload(story)
    assert len(payload["sources"]) == MAX_EVENT_SOURCES
    assert [s["outlet"] for s in payload["sources"]][:2] == ["outlet0", "outlet1"]
    assert payload["sources"][0]["url"] == "https://outlet0.example/0"  # its first report
    assert payload["source_count"] == 101
    assert payload["article_count"] == 100  # the wire copy folds under a0


def test_claims_name_the_report_they_were_read_in_and_stay_bounded() -> None:
    def report(n: int, outlet: str, title: str) -> StoryMember:
        return replace(member(n, outlet), title=title, language="en")

    members = [
        report(0, "kyivindependent", "Ukraine says the situation near Pokrovsk is difficult"),
        report(1, "bbc", "Russia claims advances near Pokrovsk"),
        *(report(n, f"outlet{n}", f"Governor of Region {n} says strikes went on for {n} hours")
          for n in range(2, 40)),
    ]  # fmt: skip
    story = Story(id="st", headline="Russia claims advances near Pokrovsk",
                  summary="Moscow took two villages, the Defense Ministry said.", first_seen=T0,
                  last_updated=T0, members=tuple(members))  # fmt: skip
    claims = story_payload(story)["claims"]
    assert claims[:3] == [
        {"claimant": "the Defense Ministry", "text": "Moscow took two villages",
         "report": {"outlet": "bbc", "url": "https://bbc.example/1"}},  # the headline's report
        {"claimant": "Ukraine", "text": "the situation near Pokrovsk is difficult",
         "report": {"outlet": "kyivindependent", "url": "https://kyivindependent.example/0"}},
        {"claimant": "Russia", "text": "advances near Pokrovsk",
         "report": {"outlet": "bbc", "url": "https://bbc.example/1"}},
    ]  # fmt: skip
    assert len(claims) == MAX_STORY_CLAIMS


def test_a_header_carries_the_claims_of_its_payload() -> None:
    story = Story(id="st", headline="h", summary="Officials said it was over.", first_seen=T0,
                  last_updated=T0, members=(member(0, "bbc"),))  # fmt: skip
    header = json.loads(header_to_json(story))
    assert header_payload(header)["claims"] == [
        {"claimant": "Officials", "text": "it was over.",
         "report": {"outlet": "bbc", "url": "https://bbc.example/0"}},
    ]  # fmt: skip
