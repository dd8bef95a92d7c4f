"""The Live Briefing page: its time, filter and summary rules (tables), the server-rendered
HTML without JavaScript (days, times, "Updated" markers, filters, paging), its weight
budget, and the page in a real headless Chromium: live stories, the "Updated" marker and
filters without a reload, times in the reader's zone and locale, screenshots on a desktop
and a phone, axe-core's accessibility rules, the keyboard, and the page without scripts."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from html import unescape
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus, urlsplit
from zoneinfo import ZoneInfo

import httpx
import pytest
from markupsafe import escape

from service.api.app import create_app
from service.api.place_map import place_point
from service.api.routes.page import PAGE_SIZE, SUMMARY_CHARS, ago, day_label, one_line
from service.models import Story, StoryMember
from service.settings import Settings
from service.store import Store
from service.store.stories import MAX_EVENT_SOURCES, StoryBatch
from service.store.trim import trim_to
from tests import factories
from tests.factories import make_story, save_story, wide_story
from tests.support.browser import Page, chromium, chromium_path
from tests.support.live_server import serve
from tests.support.newsroom import CONFIG, NOW, Newsroom, rss

# --- the reader's words for times and summaries ------------------------------------------

AT = datetime(2026, 2, 18, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("when", "now", "text"),
    [
        (AT - timedelta(seconds=30), AT, "just now"),
        (AT + timedelta(minutes=5), AT, "just now"),  # dated a little ahead of this clock
        (AT - timedelta(minutes=12), AT, "12 min ago"),
        (AT - timedelta(minutes=59, seconds=59), AT, "59 min ago"),
        (AT - timedelta(hours=3, minutes=40), AT, "3 h ago"),
        (datetime(2026, 2, 18, 0, 30, tzinfo=UTC), AT, "9 h ago"),  # earlier today
        # Four hours ago but before midnight: still "4 h ago" within six hours ...
        (datetime(2026, 2, 17, 22, 0, tzinfo=UTC), AT.replace(hour=2), "4 h ago"),
        # ... and "yesterday" beyond them.
        (datetime(2026, 2, 17, 22, 0, tzinfo=UTC), AT, "yesterday"),
        (datetime(2026, 2, 15, 9, 0, tzinfo=UTC), AT, "3 days ago"),
        (datetime(2026, 2, 10, 9, 0, tzinfo=UTC), AT, "10 Feb"),
        (datetime(2025, 12, 30, 9, 0, tzinfo=UTC), AT, "30 Dec 2025"),
    ],
)
def test_times_read_as_a_reader_says_them(when: datetime, now: datetime, text: str) -> None:
    assert ago(when, now) == text


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (date(2026, 2, 18), "Today"),
        (date(2026, 2, 17), "Yesterday"),
        (date(2026, 2, 16), "Monday 16 February"),
        (date(2025, 12, 30), "Tuesday 30 December 2025"),
    ],
)
def test_day_separators(day: date, label: str) -> None:
    assert day_label(day, AT.date()) == label


LONG = "word " * 60


@pytest.mark.parametrize(
    ("summary", "headline", "line"),
    [
        ("Tributes poured in.", "Jackson dies", "Tributes poured in."),
        ("  Spaces\n and\tnewlines  ", "H", "Spaces and newlines"),
        ("Dam breach floods villages.", "Dam breach floods villages", ""),  # only the headline
        ("Dam  breach floods villages", "Dam breach floods villages.", ""),
        ("x" * SUMMARY_CHARS, "H", "x" * SUMMARY_CHARS),
        (LONG, "H", ("word " * 32).strip() + "…"),  # 160 characters end on a whole word
        ("a, " * 80, "H", ("a, " * 53).rstrip(" ,") + "…"),  # no dangling comma
        ("x" * 200, "H", "x" * SUMMARY_CHARS + "…"),  # one long word: cut inside it
    ],
)
def test_one_line_summary(summary: str, headline: str, line: str) -> None:
    assert one_line(summary, headline) == line
    assert len(one_line(summary, headline)) <= SUMMARY_CHARS + 1


# --- the page without JavaScript --------------------------------------------------------


async def headlines(store: Store, briefing: str, n: int) -> list[str]:
    ids = await store.redis.zrevrange(store.keys.briefing_stories(briefing, "updated"), 0, n - 1)
    return [s.headline for s in await store.stories.get_many(list(ids))]


def story_ids(html: str) -> list[str]:
    return re.findall(r'<li class="story[^"]*" id="story-([^"]+)"', html)


def stories_html(html: str) -> dict[str, str]:
    return {
        m.group(1): m.group(2)
        for m in re.finditer(r'id="story-([^"]+)"(.*?)</li>', html, flags=re.DOTALL)
    }


async def timeline_ids(client: httpx.AsyncClient, **params: str | int) -> list[str]:
    response = await client.get("/v1/briefings/world/timeline", params=params)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


async def test_page_without_javascript_has_days_times_and_summaries(
    bbc: Newsroom, client: httpx.AsyncClient, store: Store
) -> None:
    response = await client.get("/briefings/world")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert '<html lang="en">' in html and "<h1>World news</h1>" in html
    assert 'name="viewport"' in html
    for landmark in ("<header>", "<main", 'role="search"', "<footer>", "<nav"):
        assert landmark in html
    # Nothing inline: the policy forbids it, and the CSS and JS are cached once.
    assert "<style" not in html and "<script>" not in html and " style=" not in html
    assert "script-src 'self'" in response.headers["content-security-policy"]

    top = await headlines(store, "world", PAGE_SIZE)
    positions = [html.find(f">{escape(h)}</h3>") for h in top]  # as Jinja autoescapes
    assert all(p > 0 for p in positions) and positions == sorted(positions)
    assert story_ids(html) == await timeline_ids(client, limit=PAGE_SIZE)
    assert "Reported by" in html and 'href="https://www.bbc.' in html

    # Days: one separator per UTC day, newest first, each story under its own day.
    items = (await client.get("/v1/briefings/world/timeline", params={"limit": PAGE_SIZE})).json()[
        "items"
    ]
    days = re.findall(r'<section class="day" data-day="([\d-]+)"', html)
    assert days == sorted(set(days), reverse=True) and len(days) > 1
    for day, section in zip(days, html.split('<section class="day"')[1:], strict=True):
        for item in items:
            if f'id="story-{item["id"]}"' in section:
                assert item["last_updated"].startswith(day)
    assert re.search(r'<h2 id="day-2026-02-17">Tuesday 17 February( 2026)?</h2>', html)

    # Each story: its latest report's time in a <time> with the absolute time on hover,
    # and the summary on one line under the headline.
    jackson = next(i for i in items if i["headline"].startswith("US civil rights leader"))
    part = stories_html(html)[jackson["id"]]
    stamp = jackson["last_updated"]
    assert re.search(
        rf'<time datetime="{stamp}" title="Tuesday 17 February 2026, 18:55 UTC">[^<]+</time>',
        part,
    )
    assert '<p class="summary">Tributes poured in from politicians who described Jackson' in part
    assert "badge" not in part  # one report: nothing developed

    html = (await client.get("/briefings/world", params={"limit": 10})).text
    older = re.search(r'<a id="older" href="\?([^"]+)"', html)
    assert older is not None
    second = await client.get(f"/briefings/world?{older.group(1).replace('&amp;', '&')}")
    assert second.status_code == 200 and "Latest developments" in second.text
    first_ids, second_ids = set(story_ids(html)), set(story_ids(second.text))
    assert first_ids and second_ids and not first_ids & second_ids
    assert (await client.get("/briefings/nope")).status_code == 404


async def test_updated_marker_when_the_latest_report_is_well_after_the_first(
    store: Store, client: httpx.AsyncClient
) -> None:
    wide = wide_story()  # reports over two hours
    await save_story(store, wide)
    quick = make_story("st_quick", "Power restored in Kharkiv", briefings=("world",))
    await save_story(store, quick)  # two reports two minutes apart
    parts = stories_html((await client.get("/briefings/world")).text)
    first = '<strong class="badge">Updated</strong>'
    assert first in parts["st_wide"]
    assert re.search(
        r"· first reported <time datetime=\"2026-11-20T08:00:00Z\" "
        r'title="Friday 20 November 2026, 08:00 UTC">',
        parts["st_wide"],
    )
    assert "badge" not in parts["st_quick"] and "first reported" not in parts["st_quick"]


async def test_filters_are_the_timeline_query(bbc: Newsroom, client: httpx.AsyncClient) -> None:
    html = (await client.get("/briefings/world")).text
    form = html.split('<form class="filters"')[1].split("</form>")[0]
    assert 'method="get"' in form
    assert re.findall(r'<(?:select|input) id="f-\w+" name="(\w+)"', form) == [
        "lang",
        "source",
        "place",
    ]
    assert '<option value="en">English</option>' in form
    assert '<option value="BBC World">' in form and '<option value="Iran">' in form
    # What the form sends, empty fields included, is the timeline's query.
    for params, wanted in [
        ({"lang": "", "source": "", "place": "Iran"}, {"place": "Iran"}),
        ({"lang": "en", "source": "", "place": ""}, {"lang": "en"}),
        ({"lang": "", "source": "BBC World", "place": ""}, {"source": "BBC World"}),
        ({"lang": "fr", "source": "", "place": ""}, {"lang": "fr"}),
    ]:
        page = (await client.get("/briefings/world", params=params)).text
        expected = await timeline_ids(client, limit=PAGE_SIZE, **wanted)
        assert story_ids(page) == expected, params
        if not expected:
            assert "No developments match these filters." in page
            assert '<p id="empty">' in page
    iran = (await client.get("/briefings/world", params={"place": "Iran"})).text
    assert 'value="Iran"' in iran and '<a id="clear" href="?">Show all</a>' in iran
    assert len(story_ids(iran)) == 2
    # A story's places link to the page filtered by them, the other filters kept.
    english = (await client.get("/briefings/world", params={"lang": "en"})).text
    assert 'href="?lang=en&amp;place=Iran" data-place="Iran">Iran</a>' in english
    # Paging keeps the filters.
    page = (await client.get("/briefings/world", params={"lang": "en", "limit": 10})).text
    older = re.search(r'<a id="older" href="\?([^"]+)"', page)
    assert older is not None and "lang=en" in older.group(1) and "limit=10" in older.group(1)
    # Bad values are refused as the timeline refuses them.
    bad = await client.get("/briefings/world", params={"lang": "English"})
    assert bad.status_code == 422 and "lang" in bad.text


async def test_a_filtered_page_advertises_the_feeds_of_what_it_shows(
    bbc: Newsroom, client: httpx.AsyncClient
) -> None:
    """The page's ``<link rel="alternate">`` feeds (HTML §4.6.7.1: alternate
    representations of the current document) and its footer's links carry its filters,
    not its paging: a reader subscribing from a filtered page gets that page's stories."""

    def feeds(html: str) -> list[str]:
        return [unescape(h) for h in re.findall(r'href="([^"]+)" data-feed', html)]

    whole = feeds((await client.get("/briefings/world")).text)
    assert [urlsplit(h).path.rsplit("/", 1)[1] for h in whole] == [
        "timeline.atom", "timeline.json", "timeline.atom", "timeline.json", "timeline",
    ]  # fmt: skip
    assert all(urlsplit(h).query == "" for h in whole)
    page = await client.get("/briefings/world", params={"place": "Iran", "lang": "en", "limit": 1})
    filtered = feeds(page.text)
    assert [urlsplit(h).query for h in filtered] == ["lang=en&place=Iran"] * 5
    feed_id, *entry_ids = re.findall(r"<id>([^<]+)</id>", (await client.get(filtered[0])).text)
    assert unescape(feed_id).endswith(":briefing:world?lang=en&place=Iran")
    shown = [entry_id.rsplit(":", 1)[1] for entry_id in entry_ids]
    assert shown == await timeline_ids(client, limit=50, place="Iran", lang="en") != []


async def test_the_map_marks_the_places_of_the_stories_shown(
    bbc: Newsroom, client: httpx.AsyncClient
) -> None:
    params = {"limit": PAGE_SIZE, "lang": "en"}
    items = (await client.get("/v1/briefings/world/timeline", params=params)).json()
    named = Counter(p for item in items["items"] for p in item["places"])
    html = (await client.get("/briefings/world", params={"lang": "en"})).text
    figure = html.split('<figure class="map" id="map">')[1].split("</figure>")[0]
    assert re.search(r'<image href="/static/world\.svg\?v=\w+"', figure)
    markers = re.findall(
        r'<a href="\?lang=en&amp;place=([^"]+)" data-place="([^"]+)" aria-label="[^"]+: (\d+) '
        r"developments?",
        figure,
    )
    assert markers and {(unquote_plus(a), b) for a, b, _ in markers} == {
        (b, b) for _, b, _ in markers
    }
    # Each marker counts the stories that name its place; places without a point (a US
    # state) have none.
    assert {place: int(n) for _, place, n in markers} == {
        place: n for place, n in named.items() if place_point(place) is not None
    }
    # A filtered page maps its own stories only.
    iran = (await client.get("/briefings/world", params={"place": "Iran"})).text
    assert 'data-place="Iran" aria-label="Iran: 2 developments"' in iran
    assert 'data-place="California"' not in iran
    # The map alone, for the page's script: the same figure for the same query, and
    # nothing when no place of the stories has a point.
    alone = await client.get("/briefings/world/map", params={"place": "Iran"})
    assert alone.status_code == 200 and alone.headers["content-type"].startswith("text/html")
    figure = iran.split('<figure class="map" id="map">')[1].split("</figure>")[0]
    assert figure in alone.text
    assert (await client.get("/briefings/world/map", params={"place": "California"})).text == ""
    assert (await client.get("/briefings/world/map", params={"lang": "English"})).status_code == 422


async def test_page_assets_are_versioned_and_cached(
    bbc: Newsroom, client: httpx.AsyncClient
) -> None:
    html = (await client.get("/briefings/world")).text
    for url in re.findall(r'(?:href|src)="(/static/[^"]+)"', html):
        response = await client.get(url)
        assert response.status_code == 200
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
        etag = response.headers["etag"]
        # RFC 9110 §13.1.2: If-None-Match compares weakly and may list several tags, as a
        # browser holding two copies sends them.
        for header in (etag, etag.removeprefix("W/"), f'"older", {etag}'):
            again = await client.get(url, headers={"If-None-Match": header})
            assert again.status_code == 304, header
            assert again.headers["etag"] == etag and again.content == b""
    unversioned = await client.get("/static/briefing.js")
    assert unversioned.headers["cache-control"] == "no-cache"
    assert unversioned.headers["content-type"].startswith("text/javascript")
    assert (await client.get("/static/nope.js")).status_code == 404


async def test_an_unchanged_page_revalidates_to_a_bodiless_304(
    bbc: Newsroom, client: httpx.AsyncClient, store: Store
) -> None:
    for path in ("/briefings/world", "/briefings/world/map"):
        plain = await client.get(path, headers={"Accept-Encoding": "identity"})
        packed = await client.get(path, headers={"Accept-Encoding": "gzip"})
        etag = plain.headers["etag"]
        # Weak (RFC 9110 §8.8.1): the gzipped and plain bodies are equivalent, not equal.
        assert etag.startswith('W/"') and packed.headers["etag"] == etag
        assert packed.headers["content-encoding"] == "gzip"
        for header in (etag, etag.removeprefix("W/"), f'"older", {etag}', "*"):
            again = await client.get(path, headers={"If-None-Match": header})
            assert again.status_code == 304, (path, header)
            assert again.content == b"" and "content-encoding" not in again.headers
            # §15.4.5: the 304 carries what the 200 would have of these.
            for name in ("etag", "vary", "cache-control", "content-security-policy"):
                assert again.headers[name] == plain.headers[name], (path, name)
        head = await client.head(path, headers={"If-None-Match": etag})
        assert head.status_code == 304
    page_etag = (await client.get("/briefings/world")).headers["etag"]
    await save_story(store, make_story("st_new", "Power restored in Kharkiv", briefings=("world",)))
    changed = await client.get("/briefings/world", headers={"If-None-Match": page_etag})
    assert changed.status_code == 200 and "Power restored in Kharkiv" in changed.text


# --- page weight ------------------------------------------------------------------------

# The budget (docs/api.md, "Feeds and the page"): bytes of HTML + CSS + JS for a page of
# 50 stories, as the browser reads them and as they travel gzipped, (typical, full).
TYPICAL = 10  # outlets a story lists (with 3 places and a 400-character summary)
BUDGET = {TYPICAL: (224 * 1024, 32 * 1024), MAX_EVENT_SOURCES: (416 * 1024, 40 * 1024)}


def development(
    story_id: str,
    headline: str,
    *,
    first: datetime,
    last: datetime,
    outlets: int = 1,
    places: tuple[str, ...] = (),
    summary: str = "",
    briefings: tuple[str, ...] = ("world",),
) -> Story:
    """A story of ``outlets`` reports spread from ``first`` to ``last``."""
    step = (last - first) / max(1, outlets - 1)
    members = tuple(
        factories.member(
            n,
            f"Outlet {n}" if n else "Kyiv Independent",
            article_id=f"{story_id}-a{n}",
            feed_url=f"https://feed{n}.example/rss",
            url=f"https://outlet{n}.example/news/2026/02/{story_id}-{n}",
            title=headline,
            published=first + step * n,
            language="en",
            country="UA",
        )
        for n in range(outlets)
    )
    return Story(
        id=story_id, headline=headline, summary=summary or f"{headline}.", first_seen=first,
        last_updated=last, members=members, languages=("en",), places=places,
        keywords=(), briefings=briefings,
    )  # fmt: skip


def competing_claims() -> Story:
    """A development told by both sides: each side's claim in its own outlet's report."""
    at = NOW + timedelta(minutes=8)  # the newest story when it arrives
    russian = StoryMember(
        article_id="tass-1", feed_url="https://tass.example/rss", outlet="TASS",
        url="https://tass.example/pokrovsk", title="Russia claims advances near Pokrovsk",
        published=at - timedelta(minutes=30), language="en", country="RU",
    )  # fmt: skip
    ukrainian = replace(
        russian, article_id="ukrinform-1", feed_url="https://ukrinform.example/rss",
        outlet="Ukrinform", url="https://ukrinform.example/pokrovsk", published=at,
        title="Ukraine says the situation near Pokrovsk is difficult", country="UA",
    )  # fmt: skip
    # In Ukrainian: grouped apart, and no claims read (the rules are English only).
    pravda = replace(
        ukrainian, article_id="up-1", feed_url="https://pravda.example/rss",
        outlet="Українська правда", url="https://pravda.example/pokrovsk", language="uk",
        title="Ситуація біля Покровська складна, кажуть у Генштабі",
    )  # fmt: skip
    return Story(
        id="st_pokrovsk", headline=russian.title, first_seen=russian.published, last_updated=at,
        summary="Russian forces took two villages near Pokrovsk, the Defense Ministry said.",
        members=(russian, ukrainian, pravda), languages=("en", "uk"), places=("Pokrovsk",),
        keywords=(), briefings=("world",),
    )  # fmt: skip


SUMMARY = (
    "Officials said the overnight strike cut power to thousands of homes and damaged a "
    "school and two apartment blocks, while rescue teams searched the rubble for people "
    "who may still be trapped; the regional governor said air defences shot down most of "
    "the drones but that debris started fires in three districts of the city overnight."
)


async def page_weight(client: httpx.AsyncClient, url: str) -> tuple[int, int]:
    """Bytes of the page and of every asset it links: decoded, and as sent (gzipped)."""
    decoded = sent = 0
    response = await client.get(url, headers={"Accept-Encoding": "gzip"})
    for asset in [None, *re.findall(r'(?:href|src)="(/static/[^"]+)"', response.text)]:
        if asset is not None:
            response = await client.get(asset, headers={"Accept-Encoding": "gzip"})
        assert response.headers["content-encoding"] == "gzip"
        decoded, sent = decoded + len(response.content), sent + response.num_bytes_downloaded
    return decoded, sent


async def test_page_weight_budget(store: Store, client: httpx.AsyncClient) -> None:
    weights = {}
    for outlets, (decoded_budget, sent_budget) in BUDGET.items():
        for n in range(50):
            last = NOW - timedelta(minutes=20 * n)
            headline = f"Drone strike on power plant number {n} leaves city without heat"
            story = development(
                f"st_{n:02}", headline, first=last - timedelta(hours=2), last=last,
                outlets=outlets, places=("Kharkiv", "Ukraine", "Russia"), summary=SUMMARY,
            )  # fmt: skip
            await save_story(store, story)
        decoded, sent = weights[outlets] = await page_weight(client, "/briefings/world?limit=50")
        assert decoded <= decoded_budget and sent <= sent_budget, (outlets, decoded, sent)
    print(f"page weight (outlets: decoded, sent): {weights}")


# --- in Chromium --------------------------------------------------------------------------

needs_chromium = pytest.mark.skipif(
    chromium_path() is None, reason="needs Debian's chromium (scripts/test installs it)"
)
BROWSER_NOW = NOW + timedelta(minutes=10)  # the reader's clock, just after the newsroom's
ZONE = "Europe/Kyiv"  # the reader's time zone (UTC+2 in February)


@pytest.fixture
async def base_url(store: Store) -> AsyncIterator[str]:
    app = create_app(Settings(page_staleness=0), store, CONFIG, version_ttl=0)
    async with serve(app) as url:
        yield url


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Where the browser tests save their screenshots (look at them after a change):
    ``$BRIEFING_SCREENSHOTS`` if set, else the test's temporary folder."""
    folder = Path(os.environ.get("BRIEFING_SCREENSHOTS") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


async def open_page(page: Page, url: str) -> None:
    await page.goto(url)
    await page.wait_for(
        "document.getElementById('live-badge')?.dataset.state === 'live'"
        " && !document.getElementById('live-line').hidden"
    )


async def both_viewports(page: Page, shots: Path, name: str, scroll_to: str = "") -> None:
    """Screenshots of the page as it is, on a desktop and on a phone."""
    for size in ("desktop", "phone"):
        await (page.desktop() if size == "desktop" else page.phone())
        target = f"document.querySelector({json.dumps(scroll_to)})" if scroll_to else "null"
        await page.evaluate(
            f"(({target}) || document.body).scrollIntoView({{block: 'start'}});"
            " document.activeElement?.blur?.()"
        )
        await page.settle()
        await page.screenshot(shots / f"{name}-{size}.png")
        assert (shots / f"{name}-{size}.png").read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    await page.desktop()


SHOWN = "[...document.querySelectorAll('#timeline li.story')].map(li => li.id.slice(6))"
TOP = "document.querySelector('#timeline li.story')"
BADGE = "document.getElementById('live-badge')"


def top_is(story_id: str) -> str:
    return f"{TOP}?.id === {json.dumps('story-' + story_id)}"


def shown_is(story_ids: list[str]) -> str:
    """True when the page lists exactly these stories, in this order."""
    return f"JSON.stringify({SHOWN}) === JSON.stringify({json.dumps(story_ids)})"


async def story_text(page: Page, story_id: str) -> str:
    text = await page.evaluate(f"document.getElementById('story-{story_id}')?.innerText")
    return " ".join(str(text).split())


@pytest.mark.slow
@needs_chromium
async def test_page_live_in_chromium(
    bbc: Newsroom, base_url: str, store: Store, shots: Path, tmp_path: Path
) -> None:
    async with chromium(tmp_path / "profile") as page, httpx.AsyncClient() as http:
        await page.emulate(timezone=ZONE, locale="de-DE")
        await page.set_clock(BROWSER_NOW)
        await page.desktop()
        await open_page(page, f"{base_url}/briefings/world")
        items = (await http.get(f"{base_url}/v1/briefings/world/timeline?limit=30")).json()
        assert await page.evaluate(SHOWN) == [i["id"] for i in items["items"]]

        # The reader's days (Kyiv), labelled from the reader's today.
        kyiv = ZoneInfo(ZONE)
        today = BROWSER_NOW.astimezone(kyiv).date()
        expected: dict[str, list[str]] = {}
        for item in items["items"]:
            day = datetime.fromisoformat(item["last_updated"]).astimezone(kyiv).date()
            expected.setdefault(day_label(day, today), []).append(item["id"])
        sections = await page.evaluate(
            "[...document.querySelectorAll('#timeline section.day')].map(s =>"
            " [s.querySelector('h2').textContent,"
            "  [...s.querySelectorAll('li.story')].map(li => li.id.slice(6))])"
        )
        assert sections == [[label, ids] for label, ids in expected.items()]
        assert sections[0][0] == "Today" and sections[1][0] == "Yesterday"
        zone = await page.evaluate("document.getElementById('zone').textContent")
        # ICU, and so Chromium, still names the zone by its older canonical id.
        assert zone in [f"Times are in your time zone ({z})." for z in (ZONE, "Europe/Kiev")]

        # A story arrives on the stream: on top, with its time as the reader says it.
        await page.evaluate("window.__notReloaded = true")
        headline = "Dam breach floods villages near Kherson"
        await bbc.publish(
            rss("Later", [(headline, "https://later.example/dam", NOW - timedelta(minutes=5))]),
            name="Later Desk",
        )
        await page.wait_for(f"{TOP}?.querySelector('h3').textContent === {json.dumps(headline)}")
        dam = str(await page.evaluate(f"{TOP}.id")).removeprefix("story-")
        assert await page.evaluate("window.__notReloaded") is True
        assert await page.evaluate("document.getElementById('announcer').textContent") == (
            f"New: {headline}"
        )
        assert await page.evaluate(f"{TOP}.classList.contains('fresh')")
        assert await page.evaluate(f"{TOP}.closest('section').querySelector('h2').textContent") == (
            "Today"
        )
        when = await page.evaluate(
            f"(t => [t.dateTime, t.textContent, t.title])({TOP}.querySelector('time'))"
        )
        assert when[0] == "2026-02-18T01:55:00Z" and when[1] == "15 min ago"
        assert "18. Februar 2026" in when[2] and "03:55" in when[2]  # de-DE, Kyiv time
        assert "Later Desk" in await story_text(page, dam)
        await both_viewports(page, shots, "live")

        # Relative times move on with the clock (the page refreshes them every minute, and
        # when it becomes visible again).
        tick = "window.__clockShift = %d; document.dispatchEvent(new Event('visibilitychange'))"
        await page.evaluate(tick % (3 * 3600 * 1000))
        assert await page.evaluate(f"{TOP}.querySelector('time').textContent") == "3 h ago"
        await page.evaluate(tick % 0)

        # Yesterday's story gains a report: it moves on top, marked "Updated".
        geneva_id = next(i["id"] for i in items["items"] if "Geneva" in i["headline"])
        geneva = await store.stories.get(geneva_id)
        assert geneva is not None
        report = StoryMember(
            article_id="ki-geneva", feed_url="https://kyivindependent.example/rss",
            outlet="Kyiv Independent", url="https://kyivindependent.example/geneva",
            title=geneva.headline, published=NOW + timedelta(minutes=5), language="en",
            country="UA",
        )  # fmt: skip
        grown = replace(
            geneva, members=(*geneva.members, report), last_updated=NOW + timedelta(minutes=5)
        )
        await save_story(store, grown, "story.updated")
        await page.wait_for(top_is(geneva_id))
        text = await story_text(page, geneva_id)
        # innerText: as the reader sees it, the marker in capitals (CSS text-transform).
        assert text.startswith("UPDATED 5 min ago · first reported yesterday · 2 reports")
        # Reports by the outlet's country and language (the feed's, or the detected one).
        assert "Reported by English: BBC World; Ukraine · English: Kyiv Independent" in text
        assert await page.evaluate("document.getElementById('announcer').textContent") == (
            f"Updated: {geneva.headline}"
        )
        await both_viewports(page, shots, "updated")

        # A filter, typed and submitted from the keyboard: the list is the timeline's
        # under that filter, without a reload, and the address says so.
        await page.evaluate("document.getElementById('f-place').focus()")
        await page.type("Iran")
        await page.press("Enter")
        iran = (await http.get(f"{base_url}/v1/briefings/world/timeline?place=Iran")).json()
        iran_ids = [i["id"] for i in iran["items"]]
        await page.wait_for(shown_is(iran_ids))
        assert await page.evaluate("location.search") == "?place=Iran"
        # Its feeds follow: a reader subscribing now gets the stories the page shows.
        feeds = "[...document.querySelectorAll('[data-feed]')].map(a => new URL(a.href).search)"
        assert await page.evaluate(feeds) == ["?place=Iran"] * 5
        # The map follows the list: the places of the Iran stories only.
        mapped = sorted({p for i in iran["items"] for p in i["places"] if place_point(p)})
        await page.wait_for(
            "JSON.stringify([...document.querySelectorAll('#map a')].map(a => a.dataset.place)"
            f".sort()) === JSON.stringify({json.dumps(mapped)})"
        )
        assert await page.evaluate("window.__notReloaded") is True
        assert not await page.evaluate("document.getElementById('clear').hidden")
        # Live under the filter: a matching story appears, another one does not.
        elsewhere = development(
            "st_kharkiv", "Drone attack on Kharkiv power plant", first=NOW, last=NOW,
            places=("Kharkiv",),
        )  # fmt: skip
        await save_story(store, elsewhere)
        tehran = development(
            "st_tehran", "Iran and US agree on a second round of talks in Geneva",
            first=NOW + timedelta(minutes=1), last=NOW + timedelta(minutes=1),
            places=("Iran", "Tehran"), summary=SUMMARY + "  Later:  𝔘nicode.",
        )  # fmt: skip
        await save_story(store, tehran)
        await page.wait_for(top_is("st_tehran"))
        assert "st_kharkiv" not in await page.evaluate(SHOWN)
        await both_viewports(page, shots, "filter")

        # The same list after a reload (server-rendered) reads the same, word for word.
        live = {i: await story_text(page, i) for i in await page.evaluate(SHOWN)}
        await page.goto(f"{base_url}/briefings/world?place=Iran")
        await page.wait_for(f"{TOP}?.id === 'story-st_tehran'")
        assert {i: await story_text(page, i) for i in await page.evaluate(SHOWN)} == live
        assert live["st_tehran"].count("…") == 2  # the summary on one line, and its claim
        # Who says what: the claim in the summary, with the report it was read in.
        assert "WHO SAYS WHAT Officials: the overnight strike cut power" in live["st_tehran"]
        assert live["st_tehran"].endswith("(Kyiv Independent) Places: Iran, Tehran")

        # Back to every story with "Show all", still without a reload.
        await page.evaluate("window.__notReloaded = true")
        await page.evaluate("document.getElementById('clear').click()")
        await page.wait_for("location.search === ''")
        await page.wait_for(f"{SHOWN}.includes('st_kharkiv')")
        assert await page.evaluate("window.__notReloaded") is True
        assert await page.evaluate("document.activeElement.id") == "developments"

        # Competing claims arrive live: who says what, in which report, with the reports
        # grouped by the outlet's country and language.
        await save_story(store, competing_claims())
        await page.wait_for(top_is("st_pokrovsk"))
        claims = await page.evaluate(
            f"[...{TOP}.querySelectorAll('.claims li')].map(li => li.innerText)"
        )
        assert claims == [
            "the Defense Ministry: Russian forces took two villages near Pokrovsk (TASS)",
            "Russia: advances near Pokrovsk (TASS)",
            "Ukraine: the situation near Pokrovsk is difficult (Ukrinform)",
        ]
        live_text = await story_text(page, "st_pokrovsk")
        assert (
            "Reported by Russia · English: TASS; Ukraine · English: Ukrinform;"
            " Ukraine · Ukrainian: Українська правда"
        ) in live_text
        await both_viewports(page, shots, "claims", scroll_to="#story-st_pokrovsk")
        await page.goto(f"{base_url}/briefings/world")
        await page.wait_for(top_is("st_pokrovsk"))
        assert await story_text(page, "st_pokrovsk") == live_text

        # A story of 60 outlets (120 reports) lists 50 and says how many reports are not
        # listed, live (from the stream event) and after a reload (server-rendered) alike.
        wide = wide_story()
        await save_story(store, wide)
        await page.wait_for(top_is(wide.id))
        listed = (
            f"[{TOP}.querySelectorAll('.reported a').length,"
            f" {TOP}.querySelector('.reported .more')?.textContent]"
        )
        unlisted = f" and {len(wide.members) - MAX_EVENT_SOURCES} more reports"
        assert await page.evaluate(listed) == [MAX_EVENT_SOURCES, unlisted]
        await page.goto(f"{base_url}/briefings/world")
        await page.wait_for(top_is(wide.id))
        assert await page.evaluate(listed) == [MAX_EVENT_SOURCES, unlisted]

        # The map: a marker per place of the stories shown; clicking one filters the list
        # by that place, without a reload.
        await open_page(page, f"{base_url}/briefings/world")
        await page.evaluate("window.__notReloaded = true")
        marker = "document.querySelector('#map a[data-place=\"Geneva\"]')"
        shown = (await http.get(f"{base_url}/v1/briefings/world/timeline?limit=30")).json()
        count = sum("Geneva" in i["places"] for i in shown["items"])
        assert count > 0
        plural = "" if count == 1 else "s"
        assert await page.evaluate(f"{marker}.getAttribute('aria-label')") == (
            f"Geneva: {count} development{plural}"
        )
        geneva_ids = [i["id"] for i in
                      (await http.get(f"{base_url}/v1/briefings/world/timeline?place=Geneva"))
                      .json()["items"]]  # fmt: skip
        await both_viewports(page, shots, "map", scroll_to="#map")
        # A real click on a visible part of the marker (markers may overlap at this zoom).
        box = await page.evaluate(
            f"(a => {{ const r = a.getBoundingClientRect();"
            " for (const [dx, dy] of [[0, 0], [0, -.35], [0, .35], [-.35, 0], [.35, 0]]) {"
            "  const x = r.x + r.width * (.5 + dx), y = r.y + r.height * (.5 + dy);"
            "  if (document.elementFromPoint(x, y)?.closest('a') === a) return [x, y]; }"
            f" return null; }})({marker})"
        )
        assert box is not None, "the Geneva marker is hidden under others"
        await page.click(*box)
        await page.wait_for("location.search === '?place=Geneva'")
        await page.wait_for(shown_is(geneva_ids))
        assert await page.evaluate("window.__notReloaded") is True
        assert await page.evaluate("document.getElementById('f-place').value") == "Geneva"

        # Zoomed in on one country, the map draws its oblasts.
        await open_page(page, f"{base_url}/briefings/world?place=Kharkiv")
        assert await page.evaluate("document.querySelectorAll('#map path.regions').length") == 1
        await both_viewports(page, shots, "map-ukraine", scroll_to="#map")


# --- accessibility ------------------------------------------------------------------------


@pytest.mark.slow
@needs_chromium
async def test_a_merge_on_the_stream_leaves_one_story_on_the_page(
    base_url: str, store: Store, tmp_path: Path
) -> None:
    older = make_story("st_old", "Drone attack on Kharkiv power plant")
    newer = replace(
        make_story("st_new", "Удар дронів по електростанції в Харкові", outlets=("Ukrinform",)),
        first_seen=older.first_seen + timedelta(minutes=30),
        last_updated=older.last_updated + timedelta(minutes=30),
    )
    for story in (older, newer):
        await save_story(store, story)
    async with chromium(tmp_path / "profile") as page:
        await page.set_clock(older.last_updated + timedelta(hours=1))
        await open_page(page, f"{base_url}/briefings/ukraine")
        assert await page.evaluate(SHOWN) == ["st_new", "st_old"]
        # A late link: the Ukrainian report's story merges into the English one.
        merged = replace(
            older, members=older.members + newer.members, last_updated=newer.last_updated
        )
        batch = StoryBatch()
        batch.merge(merged, newer, new_briefings=(), now=newer.last_updated, stored=None)
        await store.stories.write_batch(batch, None)
        await page.wait_for(shown_is(["st_old"]))
        assert "Ukrinform" in await story_text(page, "st_old")
        assert await page.evaluate("document.getElementById('announcer').textContent") == (
            f"Updated: {older.headline}"
        )


@needs_chromium
async def test_a_page_whose_missed_events_are_gone_reloads_its_timeline(
    base_url: str, store: Store, tmp_path: Path
) -> None:
    """A page whose stream resumes at a position the events stream no longer holds (a tab
    reconnecting after a long sleep, a render served from a cache) gets the stream's
    ``reset``, and loads its timeline afresh (announcing what it shows)."""
    first = make_story("st_first", "Drone attack on Kharkiv power plant")
    seen = await save_story(store, first)
    second = replace(
        make_story("st_second", "Kyiv metro reopens after air raid", outlets=("Ukrinform",)),
        first_seen=first.first_seen + timedelta(minutes=30),
        last_updated=first.last_updated + timedelta(minutes=30),
    )
    newest = await save_story(store, second)
    await trim_to(store, store.keys.events_stream, newest, ceiling=10_000)  # `seen` is gone
    # The page's EventSource resumes at `seen`, as after a sleep; the rest is the page's.
    resume_at_seen = (
        "const RealEventSource = window.EventSource;"
        "window.EventSource = function (url, init) {"
        "  const u = new URL(url, location.href);"
        f"  u.searchParams.set('last_event_id', {json.dumps(seen)});"
        "  return new RealEventSource(u, init);"
        "};"
    )
    async with chromium(tmp_path / "profile") as page:
        await page.send("Page.addScriptToEvaluateOnNewDocument", {"source": resume_at_seen})
        await page.set_clock(second.last_updated + timedelta(hours=1))
        await open_page(page, f"{base_url}/briefings/ukraine")
        await page.wait_for(
            "document.getElementById('announcer').textContent === '2 developments shown'"
        )
        assert await page.evaluate(SHOWN) == ["st_second", "st_first"]


# Counts the streams the browser gave up on (an error that leaves one CLOSED).
COUNT_REFUSALS = (
    "window.__refused = 0;"
    "const RealEventSource = window.EventSource;"
    "window.EventSource = function (url, init) {"
    "  const source = new RealEventSource(url, init);"
    "  source.addEventListener('error', () => {"
    "    if (source.readyState === source.CLOSED) window.__refused++;"
    "  });"
    "  return source;"
    "};"
)


@needs_chromium
async def test_a_page_whose_stream_is_refused_opens_it_again_and_misses_nothing(
    room: Newsroom, store: Store, tmp_path: Path
) -> None:
    """EventSource gives up for good on an answer other than 200 (WHATWG HTML §9.2.3):
    the page opens its stream again itself, here after a 503 for lack of stream slots,
    and gets what was published while it was refused."""
    app = create_app(
        Settings(page_staleness=0, sse_max_streams_per_client=1), store, CONFIG, version_ttl=0
    )
    async with (
        serve(app) as base_url,
        chromium(tmp_path / "profile") as page,
        httpx.AsyncClient(timeout=10) as http,
    ):
        # Another stream from this address holds its only slot: the page's is refused.
        async with http.stream("GET", f"{base_url}/v1/briefings/world/stream") as held:
            assert held.status_code == 200
            await page.send("Page.addScriptToEvaluateOnNewDocument", {"source": COUNT_REFUSALS})
            await page.set_clock(BROWSER_NOW)
            await page.goto(f"{base_url}/briefings/world")
            await page.wait_for("window.__refused > 0")
            assert await page.evaluate(f"{BADGE}.dataset.state") == "offline"
            headline = "Dam breach floods villages near Kherson"
            await room.publish(
                rss("Desk", [(headline, "https://desk.example/dam", NOW - timedelta(minutes=5))]),
                name="Desk",
            )
        # Refused while the story was published, the page waits 1.5-3 s, then 3-6, 6-12.
        arrived = f"{TOP}?.querySelector('h3').textContent === {json.dumps(headline)}"
        await page.wait_for(arrived, within=30)
        assert await page.evaluate(f"{BADGE}.dataset.state") == "live"


AXE_VERSION = "4.14.1"


@pytest.fixture(scope="session")
def axe_source(request: pytest.FixtureRequest) -> str:
    """axe-core from npm, installed once into pytest's cache folder."""
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("needs npm to install axe-core")
    folder = request.config.cache.mkdir(f"axe-core-{AXE_VERSION}")
    script = folder / "node_modules" / "axe-core" / "axe.min.js"
    if not script.exists():
        subprocess.run(
            [npm, "install", "--prefix", str(folder), "--no-save", "--no-audit", "--no-fund",
             "--ignore-scripts", f"axe-core@{AXE_VERSION}"],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
    return script.read_text()


async def axe(page: Page, source: str) -> list[dict[str, Any]]:
    """Serious and critical violations of axe-core's rules (WCAG 2.x A/AA and best practice)."""
    if not await page.evaluate("typeof axe !== 'undefined'"):
        await page.evaluate(source)
    result = await page.evaluate(
        "axe.run(document).then(r => r.violations.map(v => ({id: v.id, impact: v.impact,"
        " nodes: v.nodes.map(n => n.target.join(' '))})))",
        await_promise=True,
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]


@pytest.mark.slow
@needs_chromium
async def test_page_accessible_in_chromium(
    bbc: Newsroom, base_url: str, store: Store, axe_source: str, shots: Path, tmp_path: Path
) -> None:
    await save_story(store, wide_story())  # the most a story shows: 50 outlets, "Updated"
    async with chromium(tmp_path / "profile") as page:
        await page.set_clock(BROWSER_NOW)
        await page.desktop()
        await open_page(page, f"{base_url}/briefings/world")
        assert await axe(page, axe_source) == []
        await page.emulate(dark=True)
        assert await axe(page, axe_source) == []
        await page.phone()
        # Fits a phone: nothing wider than the viewport.
        assert await page.evaluate("document.documentElement.scrollWidth <= innerWidth")
        await page.emulate(dark=False)

        # Landmarks and headings: a banner, a search form, the main list, days, stories.
        outline = await page.evaluate(
            "[document.documentElement.lang, !!document.querySelector('body > header'),"
            " !!document.querySelector('main form[role=search]'),"
            " !!document.querySelector('body > footer'), document.querySelectorAll('h1').length,"
            " document.querySelectorAll('section.day > h2').length > 1,"
            " document.querySelectorAll('li.story h3').length]"
        )
        assert outline == ["en", True, True, True, 1, True, PAGE_SIZE]

        # Keyboard: the first Tab shows the skip link; it leads to the list, then the filters.
        await page.desktop()
        await page.press("Tab")
        focused = await page.evaluate(
            "(e => [e.className, e.getBoundingClientRect().left >= 0,"
            " getComputedStyle(e).outlineStyle])(document.activeElement)"
        )
        assert focused == ["skip", True, "solid"]
        await page.press("Enter")
        await page.wait_for("document.activeElement.id === 'developments'")
        order = []
        for _ in range(4):
            await page.press("Tab")
            order.append(
                await page.evaluate("document.activeElement.id || document.activeElement.tagName")
            )
        assert order == ["f-lang", "f-source", "f-place", "BUTTON"]
        assert await page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == (
            "solid"
        )

        # Dynamic states too: a filtered list, then a live story on it.
        await page.evaluate("document.getElementById('f-place').value = 'Geneva'")
        await page.press("Enter")  # on the focused "Filter" button
        await page.wait_for("location.search === '?place=Geneva'")
        await save_story(store, replace(make_story("st_live", briefings=("world",)),
                                        places=("Geneva",)))  # fmt: skip
        await page.wait_for(top_is("st_live"))
        assert await axe(page, axe_source) == []

        # What the browser loaded besides data (the JSON timeline, the stream, the map
        # redrawn for the filter): one stylesheet, one script and the map's base, the
        # zoomed one once the filter shows Geneva alone; no fonts, no other images (the
        # budget test counts the same bytes).
        loaded = await page.evaluate(
            "performance.getEntriesByType('resource').filter(r => !r.name.includes('/v1/')"
            " && r.initiatorType !== 'fetch').map(r => [r.initiatorType,"
            " new URL(r.name).pathname])"
        )
        assert sorted(loaded) == [["image", "/static/world-zoomed.svg"],
                                  ["image", "/static/world.svg"],
                                  ["link", "/static/briefing.css"],
                                  ["script", "/static/briefing.js"]]  # fmt: skip

        # Without JavaScript: the same list, server-rendered, and the form still filters.
        await page.phone()
        await page.send("Emulation.setScriptExecutionDisabled", {"value": True})
        await page.goto(f"{base_url}/briefings/world?lang=&source=&place=Iran")
        assert await page.evaluate("document.getElementById('zone').textContent") == (
            "Times are UTC."  # the script did not run
        )
        # Not live without the script, so no "Live" badge.
        assert await page.evaluate("document.getElementById('live-line').hidden") is True
        async with httpx.AsyncClient(base_url=base_url) as http:
            assert await page.evaluate(SHOWN) == await timeline_ids(http, place="Iran")
            assert await page.evaluate("document.getElementById('f-place').value") == "Iran"
            await page.screenshot(shots / "nojs-phone.png")
            # The form is a plain GET form: submitting it loads the filtered page.
            await page.evaluate(
                "document.getElementById('f-place').value = 'Geneva';"
                " document.querySelector('#filters button').click()"
            )
            await page.wait_for("location.search === '?lang=&source=&place=Geneva'")
            await page.wait_for("document.readyState === 'complete'")
            assert await page.evaluate(SHOWN) == await timeline_ids(http, place="Geneva")
            assert await page.evaluate(SHOWN)  # not vacuous: Geneva has stories
