"""Reading an OPML subscription list: bytes in, the feeds it names out (pure).

OPML 2.0 (http://opml.org/spec2.opml): an ``<opml>`` root with a ``<head>`` and a
``<body>``; the body's ``<outline>`` elements nest (folders of feeds). A subscription is
an outline with ``type="rss"`` (for RSS, Atom and JSON Feed alike), whose ``xmlUrl`` is
the feed and whose ``text`` (required on every outline) is what the reader shows;
``title`` is "probably the same as text" and names the feed's own title. So a feed's
name is its ``text``, else its ``title``. An outline with an ``xmlUrl`` and another
``type`` or none (exports of OPML 1.0 readers) is taken as a feed too; one with
``type="rss"`` and no ``xmlUrl`` names no feed, and is reported rather than skipped.

Parsed with defusedxml, DTDs forbidden: an import is untrusted XML (entity bombs,
external entities). An ``xmlUrl`` longer than ``MAX_URL_CHARS`` is refused, as
``POST /v1/feeds`` and the config file refuse it; refusals quote at most
``QUOTED_CHARS`` of a name or URL, so a huge attribute is not echoed back whole.
"""

from __future__ import annotations

from dataclasses import dataclass

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from service.feed_url import MAX_URL_CHARS

QUOTED_CHARS = 200


class OpmlError(ValueError):
    """The body is no OPML document; the message says why in one line."""


@dataclass(frozen=True, slots=True)
class Subscriptions:
    feeds: list[tuple[str, str]]  # (xmlUrl, name), in document order
    refused: list[str]  # outlines that claim a feed and name none, one line each


def read_subscriptions(raw: bytes) -> Subscriptions:
    """The feeds an OPML document subscribes to. Raises :class:`OpmlError`."""
    try:
        root = SafeET.fromstring(raw, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise OpmlError("not OPML: it declares a DTD or entities, which are refused") from exc
    except (SafeET.ParseError, ValueError, LookupError) as exc:
        # LookupError: an encoding the XML declaration names that Python does not know.
        raise OpmlError(f"not OPML: {exc}") from exc
    if root.tag != "opml":
        raise OpmlError(f"not OPML: the root element is <{root.tag}>, not <opml>")
    body = root.find("body")
    if body is None:
        raise OpmlError("not OPML: <opml> has no <body> (OPML 2.0 requires one)")
    feeds: list[tuple[str, str]] = []
    refused: list[str] = []
    for outline in body.iter("outline"):
        name = outline.get("text") or outline.get("title") or ""
        url = (outline.get("xmlUrl") or "").strip()
        if len(url) > MAX_URL_CHARS:
            refused.append(
                f"{_quoted(url)}: a URL of {len(url):,} characters, over the "
                f"{MAX_URL_CHARS:,} a feed URL may have"
            )
        elif url:
            feeds.append((url, name))
        elif (outline.get("type") or "").lower() == "rss":
            refused.append(f'outline {_quoted(name)!r}: type="rss" without xmlUrl')
    return Subscriptions(feeds, refused)


def _quoted(text: str) -> str:
    """``text`` as a refusal quotes it: its first ``QUOTED_CHARS`` characters."""
    return text if len(text) <= QUOTED_CHARS else text[:QUOTED_CHARS] + "…"
