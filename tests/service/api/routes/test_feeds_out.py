"""Atom and JSON Feed 1.1 out: valid documents (feedparser; a JSON Feed 1.1 schema),
one entry per story, and an entry updated in place when its story grows."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from xml.etree import ElementTree

import feedparser
import httpx
import jsonschema_rs
import pytest

from service.api.feed_docs import FeedInfo, atom, json_feed_bytes
from service.api.routes.page import story_view
from service.api.schemas_stories import StoryOut
from service.models import Story, StoryMember
from tests.support.newsroom import Newsroom, rss

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[3] / "data" / "api" / "jsonfeed-1.1.schema.json")
    .read_text()
)  # fmt: skip
# BBC ran the Geneva talks story at 20:05; a later report from another outlet grows it.
GENEVA_TALKS = datetime(2026, 2, 17, 20, 30, tzinfo=UTC)
A = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
RFC3339 = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)")


def only(element: ElementTree.Element, tag: str) -> str:
    """The text of the one child ``tag`` of ``element`` (RFC 4287 says "exactly one")."""
    [child] = element.findall(A + tag)
    return child.text or ""


def links(element: ElementTree.Element) -> dict[str, str]:
    return {
        link.get("rel", "alternate"): link.get("href", "") for link in element.findall(A + "link")
    }


async def test_every_atom_page_meets_rfc_4287_and_rfc_5005(
    bbc: Newsroom, client: httpx.AsyncClient
) -> None:
    first = "http://test/v1/briefings/world/timeline.atom?limit=7"
    url: str | None = first
    pages = 0
    while url:
        response = await client.get(url)
        # RFC 7303 §3: the charset parameter, when given, is authoritative; we give it.
        assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
        assert not feedparser.parse(response.content).bozo
        feed = ElementTree.fromstring(response.content)
        assert feed.tag == A + "feed"
        # §4.1.1: exactly one id, title and updated; §3.3: dates are RFC 3339.
        assert only(feed, "id").startswith("tag:") and only(feed, "title") == "World news"
        assert RFC3339.fullmatch(only(feed, "updated"))
        # §4.1.1: an author on the feed stands for entries without one; §4.2.7.2: self is
        # this document; RFC 5005 §3: every page of a paged feed links the first.
        assert feed.find(f"{A}author/{A}name") is not None
        feed_links = links(feed)
        assert feed_links["self"] == url and feed_links["first"] == first
        assert feed_links["alternate"] == "http://test/briefings/world"
        for entry in feed.findall(A + "entry"):
            # §4.1.2: exactly one id, title, updated; a link rel=alternate without content.
            assert only(entry, "id").startswith("tag:") and only(entry, "title")
            assert RFC3339.fullmatch(only(entry, "updated"))
            assert RFC3339.fullmatch(only(entry, "published"))
            assert links(entry)["alternate"].startswith("https://www.bbc.")
            # §2: xml:lang says the language of the entry's text (BBC World: English).
            assert entry.get(XML_LANG) == "en"
        pages += 1
        url = feed_links.get("next")
    assert pages == -(-len(await bbc.story_ids("world")) // 7)


async def test_every_json_feed_page_meets_json_feed_1_1(
    bbc: Newsroom, client: httpx.AsyncClient
) -> None:
    first = "http://test/v1/briefings/world/timeline.json?limit=7"
    url: str | None = first
    while url:
        response = await client.get(url)
        assert response.headers["content-type"] == "application/feed+json"
        feed = response.json()
        jsonschema_rs.validate(SCHEMA, feed)
        assert feed["version"] == "https://jsonfeed.org/version/1.1"
        # feed_url "serves as the unique identifier for the feed": the same on every page.
        assert feed["feed_url"] == first
        assert feed["home_page_url"] == "http://test/briefings/world"
        assert feed["authors"] == [{"name": "Live Briefing"}]
        for item in feed["items"]:
            assert isinstance(item["id"], str)
            assert RFC3339.fullmatch(item["date_published"])
            assert RFC3339.fullmatch(item["date_modified"])
            assert item["authors"] == [{"name": "BBC World"}] and item["language"] == "en"
        url = feed.get("next_url")


@pytest.mark.parametrize("path", ["timeline.atom", "timeline.json"])
async def test_a_matching_if_none_match_is_a_bodiless_304_with_the_same_etag(
    bbc: Newsroom, client: httpx.AsyncClient, path: str
) -> None:
    # RFC 9110 §13.1.2 (weak comparison, lists, "*") and §15.4.5 (304: the validator
    # fields the 200 would carry, no content).
    url = f"/v1/briefings/world/{path}"
    full = await client.get(url)
    etag = full.headers["etag"]
    assert etag.startswith('"') and etag.endswith('"')  # strong: the exact bytes
    for header in (etag, f"W/{etag}", f'"stale", {etag}', "*"):
        cached = await client.get(url, headers={"If-None-Match": header})
        assert cached.status_code == 304 and cached.content == b"", header
        assert cached.headers["etag"] == etag
        assert cached.headers["cache-control"] == full.headers["cache-control"]
    changed = await client.get(url, headers={"If-None-Match": '"stale"'})
    assert changed.status_code == 200 and changed.content == full.content


async def test_each_filtered_feed_has_its_own_atom_id_and_its_pages_share_it(
    bbc: Newsroom, client: httpx.AsyncClient
) -> None:
    """RFC 4287 §4.2.6: a feed's id is universally unique, so a filtered timeline (other
    entries: another feed) has its own; paging, page size and order keep the feed's."""

    async def feed_id(query: str) -> str:
        response = await client.get(f"/v1/briefings/world/timeline.atom?{query}")
        assert response.status_code == 200 and not feedparser.parse(response.content).bozo
        return only(ElementTree.fromstring(response.content), "id")

    whole = await feed_id("")
    assert whole == "tag:live-briefing.dev,2026:briefing:world"  # as it always was
    first = await client.get("/v1/briefings/world/timeline.atom?limit=5")
    next_page = links(ElementTree.fromstring(first.content))["next"]
    same_feed = ["limit=5", "order=created", "min_sources=1", next_page.split("?", 1)[1]]
    assert {await feed_id(query) for query in same_feed} == {whole}
    filtered = ["lang=en", "q=avalanche", "place=California", "q=avalanche&lang=en"]
    ids = [await feed_id(query) for query in filtered]
    assert len({whole, *ids}) == 1 + len(filtered)
    assert ids[3] == f"{whole}?lang=en&q=avalanche" == await feed_id("lang=en&q=avalanche")


async def test_a_filtered_feeds_alternate_is_the_page_with_the_filters_it_offers(
    bbc: Newsroom, client: httpx.AsyncClient
) -> None:
    """RFC 4287 §4.2.7.2: the alternate is another version of the feed, here the page
    showing its stories; the page offers lang, source and place (not q)."""
    query = "place=California&q=avalanche&lang=en&limit=5"
    atom = await client.get(f"/v1/briefings/world/timeline.atom?{query}")
    alternate = links(ElementTree.fromstring(atom.content))["alternate"]
    assert alternate == "http://test/briefings/world?lang=en&place=California"
    feed = (await client.get(f"/v1/briefings/world/timeline.json?{query}")).json()
    assert feed["home_page_url"] == alternate
    page = await client.get(alternate)
    assert page.status_code == 200 and 'value="California"' in page.text


async def test_a_filtered_feed_names_its_filters_in_its_title(
    bbc: Newsroom, client: httpx.AsyncClient
) -> None:
    """Two filtered feeds of one briefing in a reader are told apart by their titles."""
    query = "place=California&lang=en&limit=5"
    atom = await client.get(f"/v1/briefings/world/timeline.atom?{query}")
    title = only(ElementTree.fromstring(atom.content), "title")
    assert title == "World news (lang: en, place: California)"
    feed = (await client.get(f"/v1/briefings/world/timeline.json?{query}")).json()
    assert feed["title"] == title
    whole = (await client.get("/v1/briefings/world/timeline.json?limit=5")).json()
    assert whole["title"] == "World news"
    # ``since`` as a time a reader reads, in UTC whatever zone the query wrote it in.
    since = await client.get(
        "/v1/briefings/world/timeline.atom", params={"since": "2026-02-18T02:30:00.250+02:00"}
    )
    assert only(ElementTree.fromstring(since.content), "title") == (
        "World news (since: 2026-02-18T00:30:00.250Z)"
    )


async def test_atom_parses_with_one_entry_per_story(
    bbc: Newsroom, client: httpx.AsyncClient
) -> None:
    response = await client.get("/v1/briefings/world/timeline.atom", params={"limit": 100})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    ids = await bbc.story_ids("world")
    assert len(parsed.entries) == len(ids)
    assert [e.id.rsplit(":", 1)[1] for e in parsed.entries] == ids
    entry = parsed.entries[0]
    assert entry.title and entry.link.startswith("https://www.bbc.")
    assert parsed.feed.title == "World news"
    assert any(link.rel == "self" for link in parsed.feed.links)
    etag = response.headers["etag"]
    cached = await client.get(
        "/v1/briefings/world/timeline.atom", params={"limit": 100}, headers={"If-None-Match": etag}
    )
    assert cached.status_code == 304


async def test_json_feed_is_valid_1_1(bbc: Newsroom, client: httpx.AsyncClient) -> None:
    response = await client.get("/v1/briefings/world/timeline.json")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/feed+json")
    feed = response.json()
    jsonschema_rs.validate(SCHEMA, feed)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert len(feed["items"]) == min(50, len(await bbc.story_ids("world")))
    assert feed["home_page_url"].endswith("/briefings/world")


async def test_readers_page_through_the_whole_timeline_by_next_links(
    bbc: Newsroom, client: httpx.AsyncClient
) -> None:
    """Atom rel="next" (RFC 5005) and JSON Feed next_url lead through every story once;
    the last page has no next link. Each entry's authors are its outlets."""
    ids = await bbc.story_ids("world")
    atom_ids: list[str] = []
    url: str | None = "/v1/briefings/world/timeline.atom?limit=7"
    while url:
        parsed = feedparser.parse((await client.get(url)).content)
        assert not parsed.bozo, parsed.get("bozo_exception")
        atom_ids += [e.id.rsplit(":", 1)[1] for e in parsed.entries]
        assert all([a.name for a in e.authors] == ["BBC World"] for e in parsed.entries)
        url = next((link.href for link in parsed.feed.links if link.rel == "next"), None)
    assert atom_ids == ids
    json_ids: list[str] = []
    url = "/v1/briefings/world/timeline.json?limit=7"
    while url:
        feed = (await client.get(url)).json()
        jsonschema_rs.validate(SCHEMA, feed)
        json_ids += [item["_live_briefing"]["story_id"] for item in feed["items"]]
        url = feed.get("next_url")
    assert json_ids == ids


async def test_a_growing_story_updates_its_entry(bbc: Newsroom, client: httpx.AsyncClient) -> None:
    before = feedparser.parse((await client.get("/v1/briefings/ukraine/timeline.atom")).content)
    await bbc.publish(
        rss("Wire", [("First day of Russia-Ukraine peace talks ends in Geneva",
                      "https://wire.example/geneva", GENEVA_TALKS + timedelta(hours=5))]),
        name="Wire",
    )  # fmt: skip
    after = feedparser.parse((await client.get("/v1/briefings/ukraine/timeline.atom")).content)
    assert len(after.entries) == len(before.entries)  # the same story, not a new entry
    grown = [e for e in after.entries if "Wire" in e.summary]
    assert len(grown) == 1
    old = next(e for e in before.entries if e.id == grown[0].id)
    assert grown[0].updated_parsed > old.updated_parsed


async def test_a_page_without_stories_stays_the_same_while_other_stories_come(
    bbc: Newsroom, client: httpx.AsyncClient
) -> None:
    # RFC 4287 §4.1.1 asks for one atom:updated even without entries: a fixed one, so a
    # reader polling an empty filter gets a 304 while it stays empty.
    url = "/v1/briefings/world/timeline.atom?q=nothingmatchesthis"
    empty = await client.get(url)
    feed = ElementTree.fromstring(empty.content)
    assert feed.findall(A + "entry") == [] and only(feed, "updated") == "1970-01-01T00:00:00Z"
    await bbc.publish(
        rss("Wire", [("Ferry sinks off Crete", "https://wire.example/crete", GENEVA_TALKS)]),
        name="Wire",
    )
    again = await client.get(url, headers={"If-None-Match": empty.headers["etag"]})
    assert again.status_code == 304


def test_hostile_text_still_makes_well_formed_documents() -> None:
    when = datetime(2026, 2, 18, tzinfo=UTC)
    nasty = 'Ctrl\x00\x07\x1b chars & <tags> "quotes" \ud800 \uffff ]]> end'
    story = StoryOut.of(Story(
        id="s1",
        headline=nasty,
        summary=nasty,
        first_seen=when,
        last_updated=when,
        members=(
            StoryMember(
                "a1", "https://f.example/rss", nasty, 'https://x.example/?a=1&b="2"', nasty, when
            ),
        ),
        places=("Kyiv & <Oblast>",),
    ))  # fmt: skip
    info = FeedInfo(
        "world", nasty, nasty, "https://h.example/briefings/world", "https://h.example/f"
    )
    doc = atom([story], info)
    parsed = feedparser.parse(doc.encode("utf-8", "surrogatepass"))
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.entries[0].title == 'Ctrl chars & <tags> "quotes"  \uffff ]]> end'.replace(
        "\uffff", ""
    )
    jsonschema_rs.validate(SCHEMA, json.loads(json_feed_bytes([story], info)))


@pytest.mark.parametrize(
    ("url", "sent"),
    [
        ("https://x.example/a?ids[]=1", "https://x.example/a?ids%5B%5D=1"),  # PHP-style
        ("https://x.example/find?q=100%", "https://x.example/find?q=100%25"),
        ("https://x.example/a#one#two", "https://x.example/a#one%23two"),
        ("http://[2001:db8::1]:8080/a b", "http://[2001:db8::1]:8080/a%20b"),
        ("http://[v1.fe80::a+en1]/a[1]", "http://[v1.fe80::a+en1]/a%5B1%5D"),  # IPvFuture
        ("https://x.example/ü?q=%E2%82%AC", "https://x.example/%C3%BC?q=%E2%82%AC"),
    ],
)
def test_links_out_are_uris(url: str, sent: str) -> None:
    """RFC 3986: a "%" that starts no escape is "%25" (§2.4), "[" and "]" delimit only an
    IP literal host (§3.2.2), a fragment holds no "#" (§3.5); JSON Feed's schema checks
    every URL as a URI."""
    when = datetime(2026, 2, 18, tzinfo=UTC)
    member = StoryMember("a1", "https://f.example/rss", "Desk", url, "Headline", when)
    story = StoryOut.of(Story("s1", "Headline", "", when, when, (member,)))
    info = FeedInfo("world", "T", "", "https://h.example/briefings/world", url)
    feed = json.loads(json_feed_bytes([story], info))
    jsonschema_rs.validate(SCHEMA, feed)
    assert feed["items"][0]["url"] == feed["feed_url"] == sent
    entry = ElementTree.fromstring(atom([story], info)).find(A + "entry")
    assert entry is not None and links(entry)["alternate"] == sent


def test_only_web_links_go_out() -> None:
    when = datetime(2026, 2, 18, tzinfo=UTC)
    members = tuple(
        StoryMember(f"a{n}", "https://f.example/rss", outlet, url, "Headline", when)
        for n, (outlet, url) in enumerate(
            [("Evil", "javascript:alert(1)"), ("Good", "https://good.example/a")]
        )
    )
    story = StoryOut.of(Story("s1", "Headline", "", when, when, members))
    info = FeedInfo("world", "T", "", "https://h.example/briefings/world", "https://h.example/f")
    assert "javascript:" not in atom([story], info)
    feed = json.loads(json_feed_bytes([story], info))
    assert feed["items"][0]["url"] == "https://good.example/a"
    assert "javascript:" not in json.dumps(feed)
    view = story_view(story, when, {})
    assert [(o.name, o.url) for group in view.groups for o in group.outlets] == [
        ("Evil", ""),
        ("Good", "https://good.example/a"),
    ]
