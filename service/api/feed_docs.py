"""Timelines as feeds: Atom 1.0 (RFC 4287) and JSON Feed 1.1. Pure: timeline items
(``StoryOut``, the same bounded sources as the JSON timeline) in, text out.

One entry per story; its ``id`` is stable (the story id in a tag URI, RFC 4151) and its
``updated`` / ``date_modified`` is the story's last update, so readers show a grown
story as updated rather than new. An entry's authors are the outlets that reported it.
The feed's Atom ``id`` names the briefing and what chooses its stories (filters,
``since``): a filtered timeline is another feed, and no two feeds share an id (RFC 4287
§4.2.6: universally unique), while every page of one feed, in either order and of any
length, has the same id. When older stories follow, the document links the next page:
Atom ``rel="next"`` (RFC 5005 §3, paged feeds) and JSON Feed ``next_url``. Every page
names the first one, the feed itself: Atom ``rel="first"`` (RFC 5005 §3) and JSON Feed
``feed_url`` ("the unique identifier for the feed", so the same on every page); Atom
``rel="self"`` is the page at hand (RFC 4287 §4.2.7.2). A story in one language says
which: Atom ``xml:lang`` on its entry (RFC 4287 §2, XML 1.0 §2.12) and JSON Feed's item
``language``.

Atom is written by hand rather than with feedgen: feedgen builds on lxml, which refuses
control characters that feeds do carry; here every text goes through one escape that
drops what XML 1.0 cannot hold (§2.2).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, urlencode
from xml.sax.saxutils import escape, quoteattr

from service.api.schemas_stories import StoryOut
from service.api.xml_chars import xml_chars

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
TAG_AUTHORITY = "tag:live-briefing.dev,2026"
GENERATOR = "Live Briefing"
NEVER = datetime(1970, 1, 1, tzinfo=UTC)  # the ``updated`` of a feed page without stories
# What stays as it is in a URI: the reserved characters but "#", "[" and "]" (which
# ``uri`` keeps only where they delimit), the unreserved ones ``quote`` keeps anyway, and
# "%" (escapes; one that starts none is encoded first).
_URI_SAFE = ":/?@!$&'()*+,;=%~"
_STRAY_PERCENT = re.compile("%(?![0-9A-Fa-f]{2})")
_AUTHORITY = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://([^/?#]*)")  # scheme "://" authority
# [userinfo@][IP literal][:port]: an IPv6 address or an IPvFuture ("v1.…": unreserved,
# sub-delims and ":", RFC 3986 §3.2.2).
_IP_LITERAL = re.compile(r"(?:[^@\[\]]*@)?\[[0-9A-Za-z\-._~!$&'()*+,;=:]+\](?::[0-9]*)?")
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*")  # RFC 5646 §2.1, loosely


@dataclass(frozen=True, slots=True)
class FeedInfo:
    """What a feed says about itself; URLs are absolute."""

    briefing_id: str
    title: str
    description: str
    page_url: str  # the HTML page (Atom rel=alternate, JSON Feed home_page_url)
    self_url: str  # this document (rel=self)
    next_url: str | None = None  # the next (older) page, when there is one
    first_url: str | None = None  # the first page (rel=first, feed_url); None: this one
    # What chooses the feed's stories, as (parameter, value) pairs: its filters and
    # ``since``; not ``cursor``, ``limit`` or ``order``, which page or order one feed.
    selection: tuple[tuple[str, str], ...] = ()

    @property
    def feed_title(self) -> str:
        """The briefing's title, and the filters when there are some: a reader that
        follows two filtered feeds of one briefing tells them apart."""
        if not self.selection:
            return self.title
        return f"{self.title} ({', '.join(f'{name}: {value}' for name, value in self.selection)})"

    @property
    def feed_id(self) -> str:
        """The Atom id: the briefing's tag, with the selecting parameters sorted and
        percent-encoded (RFC 4151 §2.1: a tag's specific part is pchars)."""
        tag = f"{TAG_AUTHORITY}:briefing:{self.briefing_id}"
        return f"{tag}?{urlencode(sorted(self.selection))}" if self.selection else tag

    @property
    def feed_url(self) -> str:
        return self.first_url or self.self_url

    @property
    def paged(self) -> bool:
        return self.next_url is not None or self.feed_url != self.self_url


def _text(value: str) -> str:
    return escape(xml_chars(value))


def _attr(value: str) -> str:
    return quoteattr(xml_chars(value))


def _when(dt: datetime) -> str:
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def story_tag(story_id: str) -> str:
    return f"{TAG_AUTHORITY}:story:{story_id}"


def uri(url: str) -> str:
    """A URI as feeds require (RFC 3986): percent-encode what is not allowed in one
    (spaces, quotes, non-ASCII of an IRI), keeping reserved characters and escapes; a
    "%" that starts no escape is one too (§2.4: "%25"), "[" and "]" only delimit an IP
    literal host (§3.2.2; a PHP-style "?a[]=1" is encoded), and a fragment holds no "#"
    (§3.5)."""
    text = _STRAY_PERCENT.sub("%25", xml_chars(url))
    text, hash_mark, fragment = text.partition("#")
    head = _AUTHORITY.match(text)
    split = head.end() if head else 0
    ip_literal = head is not None and _IP_LITERAL.fullmatch(head.group(1)) is not None
    return (
        quote(text[:split], safe=_URI_SAFE + ("[]" if ip_literal else ""))
        + quote(text[split:], safe=_URI_SAFE)
        + hash_mark
        + quote(fragment, safe=_URI_SAFE)
    )


def _web(url: str) -> bool:
    """Only http(s) links go out: a hostile feed's "javascript:" URL must not either."""
    return url.lower().startswith(("http://", "https://"))


def _link(story: StoryOut, info: FeedInfo) -> str:
    """The first report's URL (what the reader came for), else the briefing page."""
    return uri(next((s.url for s in story.sources if _web(s.url)), info.page_url))


def _reported_by(story: StoryOut) -> str:
    outlets = ", ".join(s.outlet for s in story.sources)
    if not outlets:
        return ""
    more = story.unlisted_reports
    return f" (Reported by {outlets}{f' and {more} more reports' if more else ''}.)"


def _language(story: StoryOut) -> str | None:
    """The story's language when it has one: a BCP 47 tag (RFC 5646), as both
    ``xml:lang`` and JSON Feed's ``language`` require; stories carry primary subtags."""
    if len(story.languages) == 1 and _LANGUAGE_TAG.fullmatch(story.languages[0]):
        return story.languages[0]
    return None


def _outlets(story: StoryOut) -> list[str]:
    """The reporting outlets, each once, in the order they reported."""
    return list(dict.fromkeys(s.outlet for s in story.sources if s.outlet))


def atom(stories: list[StoryOut], info: FeedInfo) -> str:
    """An Atom 1.0 document. Its ``updated`` is its newest story's (RFC 4287 §4.2.15: when
    it last changed significantly); a page without stories has ``NEVER``, the same at every
    render, so its ETag holds while it stays empty (a render time would change it at
    every event of any briefing)."""
    updated = max((s.last_updated for s in stories), default=NEVER)
    out = [
        '<?xml version="1.0" encoding="utf-8"?>\n',
        '<feed xmlns="http://www.w3.org/2005/Atom">\n',
        f"<id>{_text(info.feed_id)}</id>\n",
        f"<title>{_text(info.feed_title)}</title>\n",
        f"<subtitle>{_text(info.description)}</subtitle>\n" if info.description else "",
        f"<updated>{_when(updated)}</updated>\n",
        f'<link rel="self" type="application/atom+xml" href={_attr(uri(info.self_url))}/>\n',
        f'<link rel="alternate" type="text/html" href={_attr(uri(info.page_url))}/>\n',
        (
            f'<link rel="first" type="application/atom+xml" href={_attr(uri(info.feed_url))}/>\n'
            if info.paged
            else ""
        ),
        (
            f'<link rel="next" type="application/atom+xml" href={_attr(uri(info.next_url))}/>\n'
            if info.next_url
            else ""
        ),
        f"<author><name>{GENERATOR}</name></author>\n",
        f"<generator>{GENERATOR}</generator>\n",
    ]
    for s in stories:
        language = _language(s)
        out.append(f"<entry xml:lang={_attr(language)}>\n" if language else "<entry>\n")
        out.append(f"<id>{_text(story_tag(s.id))}</id>\n")
        out.append(f"<title>{_text(s.headline)}</title>\n")
        out.append(f"<published>{_when(s.first_seen)}</published>\n")
        out.append(f"<updated>{_when(s.last_updated)}</updated>\n")
        out.append(f'<link rel="alternate" href={_attr(_link(s, info))}/>\n')
        for outlet in _outlets(s):
            out.append(f"<author><name>{_text(outlet)}</name></author>\n")
        for src in s.sources:
            if _web(src.url):
                out.append(
                    f'<link rel="related" href={_attr(uri(src.url))} title={_attr(src.outlet)}/>\n'
                )
        for place in s.places:
            out.append(f"<category term={_attr(place)}/>\n")
        summary = s.summary + _reported_by(s)
        out.append(f'<summary type="text">{_text(summary)}</summary>\n')
        out.append("</entry>\n")
    out.append("</feed>\n")
    return "".join(out)


def json_feed(stories: list[StoryOut], info: FeedInfo) -> dict[str, Any]:
    """A JSON Feed 1.1 object (https://www.jsonfeed.org/version/1.1/)."""
    feed: dict[str, Any] = {
        "version": JSON_FEED_VERSION,
        "title": info.feed_title,
        "home_page_url": uri(info.page_url),
        "feed_url": uri(info.feed_url),
        "authors": [{"name": GENERATOR}],
        "items": [],
    }
    if info.description:
        feed["description"] = info.description
    if info.next_url:
        feed["next_url"] = uri(info.next_url)
    for s in stories:
        item: dict[str, Any] = {
            "id": story_tag(s.id),
            "url": _link(s, info),
            "title": s.headline,
            "content_text": s.summary or s.headline,
            "summary": s.summary,
            "date_published": _when(s.first_seen),
            "date_modified": _when(s.last_updated),
            "authors": [{"name": outlet} for outlet in _outlets(s)] or [{"name": GENERATOR}],
            # Extensions start with an underscore (JSON Feed 1.1 "Extensions").
            "_live_briefing": {
                "story_id": s.id,
                "source_count": s.source_count,
                "sources": [
                    {
                        "outlet": src.outlet,
                        "url": uri(src.url) if _web(src.url) else "",
                        "time": _when(src.time),
                    }
                    for src in s.sources
                ],
                "places": list(s.places),
            },
        }
        if s.places:
            item["tags"] = list(s.places)
        if language := _language(s):
            item["language"] = language
        feed["items"].append(item)
    return feed


def json_feed_bytes(stories: list[StoryOut], info: FeedInfo) -> bytes:
    # "replace": a lone surrogate (a JSON Feed input can carry one) is not UTF-8.
    return json.dumps(json_feed(stories, info), ensure_ascii=False).encode("utf-8", "replace")
