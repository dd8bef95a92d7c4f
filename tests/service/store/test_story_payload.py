"""The public story payload stays bounded however big a story grows."""

from __future__ import annotations

from datetime import timedelta

from service.models import Story, StoryMember
from service.store.stories import MAX_EVENT_SOURCES, story_payload
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
