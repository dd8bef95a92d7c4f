"""Feed bytes in, :class:`ParsedFeed` out. Pure: never touches the network or the disk.

::

    bytes ──► sniff ──► JSON?  ──► JSON Feed reader (feedparser cannot read JSON Feed)
                   └──► XML    ──► decode to text ──► prolog scan (HTML? entity DTD?)
                                   ──► feedparser (RSS 0.9x/1.0/2.0, Atom 0.3/1.0) ──► entries

Safety. ``feedparser.parse`` fetches URLs and opens files when handed a string that
looks like one, so it only ever gets an in-memory stream. XML entity attacks are
defused before feedparser sees the document (see :func:`_scan_prolog`): feedparser
re-inserts "safe" literal entities, and expat then expands a 50 kB literal thousands of
times (the quadratic blowup in ``tiran-defusedxml__quadratic.xml`` costs ~300 MB and
2 s before expat's amplification limit trips). We drop every markup declaration with an
internal subset from the prolog instead: real feeds never need one, and an entity that
is never declared can never expand. Not defusedxml: feedparser builds its own SAX parser
(no hook to swap in defusedxml's without monkeypatching a library global), and
defusedxml refuses the whole document on any entity declaration, where dropping the
declaration still lets the feed's items through. The scan runs on the decoded text, so
a bomb in UTF-16 is no disguise, and is linear even on hostile input.

Decoding. We decode the bytes ourselves and hand feedparser UTF-8, because the real
world disagrees with RFC 7303: servers send a default ``charset`` that the document
contradicts, CMSs declare ISO-8859-1 and write UTF-8. Order (first that works):
BOM; UTF-16/32 byte pattern of ``<``; valid UTF-8 (text in any other 8-bit encoding
is almost never valid UTF-8 by accident, as miniflux's encoding fixtures show); the
XML declaration; the HTTP charset; windows-1252 (what "latin-1" means in practice,
WHATWG Encoding §4.2).

Outcome. Entries, possibly with ``warning`` (feedparser's "bozo": the XML was broken
but its lenient parser recovered something), or ``error`` and no entries when nothing
in the body is a feed (HTML page, empty body, JSON that is not a JSON Feed, …). An HTML
page's error names the feeds its head advertises, which are not fetched.

Where feedparser's reading departs from the formats' rules, a handler or a step here
puts it right: permalink guids that are no URL, military time zones, the choice among
Atom alternates, an item's ``dc:language`` (docs/design.md, "What we read").
"""

from __future__ import annotations

import codecs
import dataclasses
import functools
import html
import io
import json
import re
import time
import xml.sax
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin

import feedparser
import feedparser.mixin

from service.models import ParsedEntry, ParsedFeed
from workers.date_only import day_starts
from workers.entry_identity import without_shared_guids
from workers.feedparser_cp1252 import install as install_guarded_cp1252
from workers.feedparser_dicts import install as install_fast_dicts
from workers.urls import fragment_pages

# feedparser's HTML sanitizer and relative-URI rewriting walk every HTML field a second
# time with sgmllib; we turn HTML into plain text ourselves, so both would be wasted work
# (together about a third of feedparser's time on content-heavy feeds).
_FEEDPARSER_OPTIONS: dict[str, Any] = {"sanitize_html": False, "resolve_relative_uris": False}

_HTML_ROOTS = frozenset({"html", "head", "body"})

# feedparser joins the in-scope base URI (xml:base, else the document's URL) with itself
# at every start tag, and with every link it resolves: urllib's urljoin on the same few
# strings, a large share of its time on a typical feed. Both joins are pure functions of
# their string arguments (the scheme allow-list is a constant), so they are memoized for
# feedparser's own calls; the cache is bounded, so a document with many distinct
# xml:base values only evicts entries.
_URI_JOIN_CACHE = 4096


def _memoize_uri_joins(mixin: object) -> None:
    for name in ("make_safe_absolute_uri", "_urljoin"):
        join = getattr(mixin, name, None)
        if join is not None and not hasattr(join, "cache_info"):
            setattr(mixin, name, functools.lru_cache(_URI_JOIN_CACHE)(join))


_memoize_uri_joins(feedparser.mixin)
install_fast_dicts()
install_guarded_cp1252()

# RSS 2.0 "<guid>": isPermaLink defaults to true, and such a guid is the item's URL; the
# RSS Best Practices Profile ("guid") says it MUST then be a full URL. feedparser makes
# any permalink guid the link of an item that has none, resolved against the base URI,
# so "broadcast-36b1…" would be the link "https://host/broadcast-36b1…": a page that does
# not exist, and one URL for unrelated items of two feeds on that host. A permalink guid
# that is neither an absolute http(s) URL nor a path from the root stays the item's id
# (resolved as feedparser resolves it, so stored identities keep their values) and gives
# it no link.
_PERMALINK = re.compile(r"\s*(?:https?://|/)", re.IGNORECASE)
_feedparser_end_guid = feedparser.namespaces._base.Namespace._end_guid


def _end_guid(parser: Any) -> None:
    pieces = parser.elementstack[-1][2] if parser.elementstack else []
    raw = "".join(p.decode("utf-8", "replace") if isinstance(p, bytes) else p for p in pieces)
    context = parser._get_context()
    had_link = "link" in context
    _feedparser_end_guid(parser)
    if parser.guidislink and not had_link and not _PERMALINK.match(raw):
        context.pop("link", None)
        context["guidislink"] = False


feedparser.namespaces._base.Namespace._end_guid = _end_guid


def parse_feed(body: bytes, url: str, content_type: str | None = None) -> ParsedFeed:
    """Parse one feed document fetched from ``url``.

    ``content_type`` is the HTTP Content-Type header, used only for its charset
    (when the document declares none) and to recognize JSON served as JSON.
    """
    head = _sniff_text(body)
    if not head:
        return _failure(url, "not a feed: the body is empty")
    media_type, charset = _split_content_type(content_type)
    if head[0] in "{[" or ("json" in media_type and not head.startswith("<")):
        parsed = _parse_json_feed(body, url)
    else:
        parsed = _parse_xml_feed(body, url, charset)
    entries, _dropped = without_shared_guids(parsed.entries)
    pages = fragment_pages((entry.link for entry in entries), url)
    return dataclasses.replace(parsed, entries=entries, fragment_pages=pages)


# --- XML ------------------------------------------------------------------------------


def _parse_xml_feed(body: bytes, url: str, charset: str | None) -> ParsedFeed:
    text, warnings = _decode(body, charset)
    text, root, removed = _scan_prolog(text)
    text = _IMPOSSIBLE_CHARREF.sub(_replacement_charref, text)
    if removed:
        warnings.append("DOCTYPE with entity declarations removed; its entities were not expanded")
    if root is None:
        start = " ".join(text[:40].split())
        found = f" (starts with {start!r})" if start and not start.startswith("<") else ""
        return _failure(url, f"not a feed: no XML element found{found}", warnings)
    if root.lower() in _HTML_ROOTS:
        feeds = _advertised_feeds(text, url)
        named = f"; it names a feed at {feeds[0]}" if feeds else ""
        more = f" and {len(feeds) - 1} more" if len(feeds) > 1 else ""
        return _failure(url, f"not a feed: looks like an HTML page{named}{more}", warnings)

    result = feedparser.parse(
        io.BytesIO(text.encode("utf-8")),
        response_headers={
            "content-type": "application/xml; charset=utf-8",
            # Base URI for relative links and xml:base (RFC 3986 §5.1.3).
            "content-location": url,
        },
        **_FEEDPARSER_OPTIONS,
    )
    bozo = _readable(result.get("bozo_exception")) if result.get("bozo") else None
    entries = _with_date_only(
        [_entry(e) for e in result.entries],
        [e.get("published") for e in result.entries],
        [dict.get(e, "updated") for e in result.entries],  # no fallback, as in _entry
    )
    version = result.get("version") or ""
    if not entries and not version:
        detail = f" ({bozo})" if bozo else ""
        return _failure(
            url, f"not a feed: root element <{root}> is not RSS, Atom or RDF{detail}", warnings
        )
    if bozo:
        warnings.append(f"{bozo}; parsed leniently")
    feed = result.feed
    return ParsedFeed(
        format=version or "unknown",
        title=feed.get("title") or "",
        link=feed.get("link") or None,
        base_url=url,
        language=feed.get("language") or _detail_language(feed, "title_detail", "subtitle_detail"),
        ttl_minutes=_int(feed.get("ttl")),
        entries=entries,
        warning="; ".join(warnings) or None,
    )


# Feed autodiscovery: a page names its feeds with <link rel="alternate" type=…> in its
# head (RSS Autodiscovery, rssboard.org; RFC 4287 §7.1 registers application/atom+xml;
# JSON Feed 1.1, "Discovery": application/feed+json). Only named in the error, never
# fetched: the operator decides which feed to add.
_LINK_TAG = re.compile(r"<link\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_FEED_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/feed+json", "application/json"}
)
_HEAD_SCAN_CHARS = 65_536


def _advertised_feeds(text: str, url: str) -> list[str]:
    """The http(s) feed URLs an HTML page's head names, absolute, in document order."""
    head = text[:_HEAD_SCAN_CHARS]
    head_end = head.lower().find("</head>")
    head = head[:head_end] if head_end >= 0 else head
    found: list[str] = []
    for tag in _LINK_TAG.findall(head):
        attrs = {m[0].lower(): m[1] or m[2] or m[3] for m in _ATTRIBUTE.findall(tag)}
        rels = attrs.get("rel", "").lower().split()
        kind = attrs.get("type", "").split(";")[0].strip().lower()
        if "alternate" in rels and kind in _FEED_TYPES and attrs.get("href"):
            try:
                feed = urljoin(url, html.unescape(attrs["href"]).strip())
            except ValueError:
                continue
            if feed.startswith(("http://", "https://")) and feed not in found:
                found.append(feed)
    return found


def _entry(e: Any) -> ParsedEntry:
    contents = [c for c in e.get("content") or () if c.get("value")]
    content = max((c["value"] for c in contents), key=len, default="")
    # An item's own <dc:language> (Dublin Core, common in RSS 1.0) states its language;
    # else the xml:lang in scope of its text (XML 1.0 §2.12), which may be inherited.
    language = e.get("language") or None
    if not language:
        language = _detail_language(e, "summary_detail", "title_detail")
        for c in contents:
            language = c.get("language") or language
    return ParsedEntry(
        guid=e.get("id") or None,
        link=_alternate_link(e.get("links") or (), language) or e.get("link") or None,
        title=e.get("title") or "",
        summary=e.get("summary") or "",
        content=content,
        published=_dated(e.get("published"), e.get("published_parsed")),
        # dict.get: FeedParserDict falls back from updated to published with a warning.
        updated=_dated(dict.get(e, "updated"), dict.get(e, "updated_parsed")),
        language=language,
        author=e.get("author") or None,
    )


_HTML_TYPES = frozenset({"", "text/html", "application/xhtml+xml"})


def _alternate_link(links: Any, language: str | None) -> str | None:
    """The item's page among its ``alternate`` links (RFC 4287 §4.2.7.2: the default
    relation; several differ by ``type`` or ``hreflang``): an HTML one before any other
    type, the one whose ``hreflang`` has the entry's language, else the first in document
    order. feedparser keeps the last HTML alternate as ``link``, whatever its language."""
    alternates = [
        link
        for link in links
        if (link.get("rel") or "alternate") == "alternate" and link.get("href")
    ]
    pages = [link for link in alternates if (link.get("type") or "") in _HTML_TYPES] or alternates
    primary = (language or "").split("-")[0].lower()
    for link in pages:
        if primary and (link.get("hreflang") or "").split("-")[0].lower() == primary:
            return str(link["href"])
    return str(pages[0]["href"]) if pages else None


def _detail_language(d: Mapping[str, Any], *keys: str) -> str | None:
    """The xml:lang in scope of a feedparser ``*_detail`` element, if any."""
    for key in keys:
        detail = d.get(key)
        if detail and detail.get("language"):
            return str(detail["language"])
    return None


# Comments, PIs and quoted strings are skipped whole: a "]" or ">" inside them is data.
# An unterminated one runs to the end of the text (``\Z``) instead of failing, so a
# hostile body full of "<!--" cannot make the scan quadratic.
_DECL_TOKEN = re.compile(
    r"\"[^\"]*(?:\"|\Z)|'[^']*(?:'|\Z)|<!--.*?(?:-->|\Z)|<\?.*?(?:\?>|\Z)|[\[\]>]", re.DOTALL
)
_ROOT_NAME = re.compile(r"<([A-Za-z_][\w:.-]*)")


def _scan_prolog(text: str) -> tuple[str, str | None, bool]:
    """``(text, root element name, removed)``: the prolog without dangerous declarations.

    Walks comments, PIs and declarations up to the first element. A ``<!DOCTYPE``
    without an internal subset stays (feedparser reads Netscape's RSS 0.91 DOCTYPE to
    tell rss091n from rss091u; expat never loads external DTDs). Any declaration with an
    internal subset, and any stray ``<!ENTITY``/``<!ELEMENT``… outside one, is removed:
    that is where entity bombs and external entities (XXE) are declared.
    """
    pos, removed = 0, False
    kept: list[str] = []
    while True:
        lt = text.find("<", pos)
        if lt < 0:
            return ("".join(kept) + text[pos:] if removed else text), None, removed
        if text.startswith("<!--", lt):
            end = text.find("-->", lt + 4)
            end = len(text) if end < 0 else end + 3
        elif text.startswith("<?", lt):
            end = text.find("?>", lt + 2)
            end = len(text) if end < 0 else end + 2
        elif text.startswith("<!", lt):
            end, has_subset = _declaration_end(text, lt + 2)
            if has_subset or text[lt + 2 : lt + 9].upper() != "DOCTYPE":
                kept.append(text[pos:lt])
                pos, removed = end, True
                continue
        else:
            match = _ROOT_NAME.match(text, lt)
            if removed:
                text = "".join(kept) + text[pos:]
            return text, match.group(1) if match else None, removed
        kept.append(text[pos:end])
        pos = end


def _declaration_end(text: str, start: int) -> tuple[int, bool]:
    """End offset of the ``<!…>`` declaration starting before ``start``, and whether
    it has an internal subset (``[…]``). Unterminated: runs to the end of the text."""
    depth, has_subset = 0, False
    for token in _DECL_TOKEN.finditer(text, start):
        t = token.group()
        if t == "[":
            depth, has_subset = depth + 1, True
        elif t == "]":
            depth = max(depth - 1, 0)
        elif t == ">" and depth == 0:
            return token.end(), has_subset
    return len(text), has_subset


# --- decoding -------------------------------------------------------------------------

_XML_DECL = re.compile(r"<\?xml\s[^>]*?\?>")  # not <?xml-stylesheet …?>
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")

# What labels mean in practice (WHATWG Encoding §4.2): supersets that browsers use for
# these labels, because publishers write the superset and declare the subset.
_SUPERSETS = {
    "ascii": "cp1252",
    "iso8859-1": "cp1252",
    "latin-1": "cp1252",
    "iso8859-9": "cp1254",
    "tis-620": "cp874",
    "iso8859-11": "cp874",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
    "big5": "big5hkscs",
}
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _wide_encoding(body: bytes) -> tuple[str, int] | None:
    """``(codec, BOM length)`` for a BOM or the null-byte pattern of UTF-16/32 (XML 1.0
    Appendix F); None for ASCII-compatible bytes."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return codec, len(bom)
    b = body[:4].ljust(4, b"\x01")
    if b[0] == b[1] == b[2] == 0 and b[3]:
        return "utf-32-be", 0
    if b[0] and b[1] == b[2] == b[3] == 0:
        return "utf-32-le", 0
    if b[0] == 0 and b[1]:
        return "utf-16-be", 0
    if b[0] and b[1] == 0:
        return "utf-16-le", 0
    return None


def _sniff_text(body: bytes, size: int = 1024) -> str:
    """Best-effort start of the text after leading whitespace: enough to tell JSON
    from XML from nothing."""
    wide = _wide_encoding(body)
    if not wide:
        return body.lstrip()[:size].decode("latin-1")
    codec, bom = wide
    head = body[bom : bom + 4 * size].decode(codec, "replace").lstrip()
    if not head and len(body) > bom + 4 * size:  # a lot of leading whitespace: rare
        head = body[bom:].decode(codec, "replace").lstrip()
    return head[:size]


def _decode(body: bytes, charset: str | None) -> tuple[str, list[str]]:
    """Text of an XML document and the readable warnings decoding produced, with
    leading whitespace and the XML declaration removed (it names the old encoding)."""
    warnings: list[str] = []
    wide = _wide_encoding(body)
    if wide:
        text = body[wide[1] :].decode(wide[0], "replace")
    else:
        match = _XML_ENCODING.match(body[:512])
        label = match.group(1).decode("ascii") if match else None
        text = _decode_8bit(body, label, charset, warnings)
    text = text.lstrip()
    decl = _XML_DECL.match(text)
    return (text[decl.end() :] if decl else text), warnings


def _decode_8bit(body: bytes, label: str | None, charset: str | None, warnings: list[str]) -> str:
    declared = _codec(label) if label else None
    # 7-bit stateful encodings are valid ASCII, so the UTF-8 test below would pass them.
    if declared and declared.startswith("iso2022"):
        candidates = [declared]
    else:
        candidates = ["utf-8", declared or "", _codec(charset or "") or "", "cp1252"]
    for codec in dict.fromkeys(c for c in candidates if c):
        try:
            text = body.decode(codec)
        except (UnicodeDecodeError, LookupError):
            continue
        # ASCII-only bodies decode identically in every 8-bit codec: nothing to say.
        if declared and codec != declared and not body.isascii():
            warnings.append(f"document declares encoding {label} but is {codec}; read as {codec}")
        return text
    warnings.append("undecodable bytes replaced")
    return body.decode(declared or "utf-8", "replace")


def _codec(label: str) -> str | None:
    """Python codec name for an encoding label, mapped to its superset; None if unknown
    or if the label claims a UTF-16/32 encoding that the bytes have already disproved."""
    try:
        name = codecs.lookup(label.strip()).name
    except (LookupError, ValueError):
        return None
    if name.startswith(("utf-16", "utf-32")):
        return None
    return _SUPERSETS.get(name, name)


def _split_content_type(content_type: str | None) -> tuple[str, str | None]:
    if not content_type:
        return "", None
    media_type, _, params = content_type.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip("\"'")
    return media_type.strip().lower(), charset


# A numeric character reference to no Unicode scalar value (a surrogate, past U+10FFFF)
# is not well-formed XML (XML 1.0 §4.1, WFC: Legal Character); expat refuses it and
# feedparser's lenient fallback then calls chr() on it and raises (ValueError,
# OverflowError), or keeps a lone surrogate that no UTF-8 encoder accepts, so one such
# reference failed every poll of its feed. It becomes U+FFFD, as an undecodable byte
# does. sgmllib also reads decimal references without the semicolon.
_IMPOSSIBLE_CHARREF = re.compile(r"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));?")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _replacement_charref(match: re.Match[str]) -> str:
    hex_digits, decimal = match.groups()
    digits = (hex_digits or decimal).lstrip("0")
    # Eight digits are past U+10FFFF in either base; longer ones are not even converted
    # (int() of thousands of digits is slow, and refused past sys.get_int_max_str_digits).
    code = 0x110000 if len(digits) > 8 else int(digits or "0", 16 if hex_digits else 10)
    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return "&#xFFFD;"
    return match.group(0)


# --- JSON Feed ------------------------------------------------------------------------

# JSON Feed 1.0 and 1.1 (https://www.jsonfeed.org/version/1.1/). Small enough to read by
# hand; feedparser does not read JSON Feed at all.
_JSONFEED_VERSION = re.compile(r"^https?://(?:www\.)?jsonfeed\.org/version/([0-9.]+)/?$")


def _json_kind(value: object) -> str:
    """What a decoded JSON value is, by JSON's names."""
    if isinstance(value, dict):
        return "object"
    if isinstance(value, str):
        return "string"
    return "boolean" if isinstance(value, bool) else "number"


def _parse_json_feed(body: bytes, url: str) -> ParsedFeed:
    try:
        doc = json.loads(body)  # bytes: UTF-8/16/32 and a UTF-8 BOM are detected
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, deep nesting
        return _failure(url, f"not a feed: invalid JSON ({_first_line(exc)})")
    if not isinstance(doc, dict):
        return _failure(url, "not a feed: JSON document is not a JSON Feed (not an object)")
    version = doc.get("version")
    match = _JSONFEED_VERSION.match(version) if isinstance(version, str) else None
    items = doc.get("items")
    if not match:
        return _failure(url, "not a feed: JSON document is not a JSON Feed (no JSON Feed version)")
    if not isinstance(items, list):  # JSON Feed 1.1: "items (array, required)"
        found = "missing" if items is None else f"a JSON {_json_kind(items)}"
        return _failure(url, f"not a feed: JSON Feed items is {found}, not an array")
    warnings = []
    number = match.group(1)
    if number not in ("1", "1.0", "1.1"):
        warnings.append(f"unknown JSON Feed version {number}; read as 1.1")
    objects = [item for item in items if isinstance(item, dict)]
    entries = _with_date_only(
        [_json_entry(item) for item in objects],
        [item.get("date_published") for item in objects],
        [item.get("date_modified") for item in objects],
    )
    if len(entries) < len(items):
        warnings.append(f"{len(items) - len(entries)} items are not JSON objects; skipped")
    return ParsedFeed(
        format="json10" if number in ("1", "1.0") else "json11",
        title=_str(doc.get("title")),
        link=_str(doc.get("home_page_url")) or None,
        base_url=url,
        language=_str(doc.get("language")) or None,
        ttl_minutes=None,
        entries=entries,
        warning="; ".join(warnings) or None,
    )


def _json_entry(item: Mapping[str, Any]) -> ParsedEntry:
    guid = item.get("id")
    # The spec says id is a string; numbers appear in the wild and are still ids.
    if isinstance(guid, (int, float)) and not isinstance(guid, bool):
        guid = str(guid)
    return ParsedEntry(
        guid=_str(guid).strip() or None,
        link=_str(item.get("url")) or _str(item.get("external_url")) or None,
        title=_str(item.get("title")),
        summary=_str(item.get("summary")),
        content=_str(item.get("content_html")) or _str(item.get("content_text")),
        published=_json_date(item.get("date_published")),
        updated=_json_date(item.get("date_modified")),
        language=_str(item.get("language")) or None,
        author=_json_author(item),
    )


def _json_author(item: Mapping[str, Any]) -> str | None:
    # 1.1 has "authors" (a list); 1.0 had "author" (an object).
    authors = item.get("authors")
    candidates = authors if isinstance(authors, list) else [item.get("author")]
    names = [_str(a.get("name")) for a in candidates if isinstance(a, dict)]
    return ", ".join(n for n in names if n) or None


def _json_date(value: object) -> datetime | None:
    """RFC 3339 as the spec requires, else whatever feedparser's date parsers accept."""
    if not isinstance(value, str) or not value.strip() or _impossible_offset(value):
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return _utc(feedparser.datetimes._parse_date(value))
    if parsed.tzinfo is None:  # RFC 3339 requires an offset; assume UTC when missing
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except OverflowError:  # year 1 with a positive offset: before datetime.min
        return None


# --- small helpers --------------------------------------------------------------------


def _with_date_only(
    entries: list[ParsedEntry], raw_published: list[object], raw_updated: list[object]
) -> tuple[ParsedEntry, ...]:
    """The entries, with the dates that name a day only marked so and read as that day's
    first instant (workers/date_only.py: decided per field over the whole document, from
    each entry's raw stamps)."""
    pairs = list(zip(entries, raw_published, raw_updated, strict=True))
    published = day_starts([(raw, e.published) for e, raw, _ in pairs])
    updated = day_starts([(raw, e.updated) for e, _, raw in pairs])
    return tuple(
        dataclasses.replace(
            e,
            published=p or e.published,
            published_date_only=p is not None,
            updated=u or e.updated,
            updated_date_only=u is not None,
        )
        if p or u
        else e
        for e, p, u in zip(entries, published, updated, strict=True)
    )


def _failure(url: str, error: str, warnings: list[str] | None = None) -> ParsedFeed:
    return ParsedFeed(
        format="",
        title="",
        link=None,
        base_url=url,
        language=None,
        ttl_minutes=None,
        entries=(),
        warning="; ".join(warnings or ()) or None,
        error=error,
    )


# "2020/1/10 14:33:00": year-first dates with slashes, common in Chinese and Japanese CMSs.
# None of feedparser's date handlers reads them, and its fallbacks misread them (6.0.14 gives
# 2020-12-01 for the example), so this handler runs first. No zone is given: taken as UTC,
# as feedparser takes every zone-less date.
_SLASHED_DATE = re.compile(
    r"^\s*(\d{4})/(\d{1,2})/(\d{1,2})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?\s*$"
)


def _parse_slashed_date(value: str) -> time.struct_time | None:
    match = _SLASHED_DATE.match(value)
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(g) if g else 0 for g in match.groups())
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC).utctimetuple()
    except ValueError:
        return None


def _register_date_handler(
    handler: Callable[[str], time.struct_time | None], *, last: bool
) -> None:
    """Put ``handler`` first among feedparser's date handlers (as ``registerDateHandler``
    does) or ``last``, in place of any handler of the same name from this file: one
    entry per handler however often the module runs (``importlib.reload``, a second
    import under another name), so a date none reads is not tried again per copy."""
    handlers = feedparser.datetimes._date_handlers
    name = _handler_name(handler)
    handlers[:] = [h for h in handlers if _handler_name(h) != name]
    handlers.insert(len(handlers) if last else 0, handler)


def _handler_name(handler: object) -> tuple[object, object]:
    """The source file and qualified name of ``handler``'s code: the same for every copy of
    this module, under whichever module name it was imported."""
    code = getattr(handler, "__code__", None)
    return getattr(code, "co_filename", None), getattr(handler, "__qualname__", None)


_register_date_handler(_parse_slashed_date, last=False)


# RFC 822 §5 gave the one-letter military zones the wrong signs ("A" is UTC+1, RFC 822
# says -1), so RFC 5322 §4.3 (obsolete date syntax) says they SHOULD all be read as
# "-0000": UTC, the local zone unknown. feedparser applies RFC 822's signs to A, N, M
# and Y (13:00 M becomes 01:00 the next day) and UTC to the rest, so this handler runs
# before it and reads every letter but Z (already UTC) as "-0000".
_MILITARY_ZONE = re.compile(r"^(.*\d:\d\d(?::\d\d)?\s*)(?![Zz]\s*$)[A-IK-Za-ik-z]\s*$", re.DOTALL)


def _parse_military_zone_date(value: str) -> time.struct_time | None:
    match = _MILITARY_ZONE.match(value)
    if match is None:
        return None
    parsed: time.struct_time | None = feedparser.datetimes.rfc822._parse_date_rfc822(
        match.group(1).rstrip() + " -0000"
    )
    return parsed


_register_date_handler(_parse_military_zone_date, last=False)


# RFC 822 names days and months in English; some news sites' CMSs write the site's
# language ("Seg, 24 Set 2018 19:42:40 -0300" at UOL, "mer, 16 nov 2022 00:38:15 +0100"
# at Il Messaggero), which no feedparser handler reads: unread, the items would be
# undated, a first poll's backlog all dated "now". This handler reads the month by its first
# letters in English, Portuguese, Italian, Spanish, French, German, Russian or Ukrainian
# (no abbreviation names two months), drops the weekday (only a check, RFC 5322 §3.3),
# and hands the date, so in English, back to feedparser's handlers (the zone rules
# above included). It is tried last, when every other handler read nothing, so a date
# in English that they read never reaches it.
_MONTH_PREFIXES = (
    ("jan", "ene", "gen", "янв", "січ"),
    ("feb", "fev", "fév", "лют", "фев"),
    ("mar", "mär", "mrz", "бер", "мар"),
    ("apr", "abr", "avr", "кві", "апр"),
    ("may", "mag", "mai", "тра", "мая", "май"),
    ("jun", "giu", "juin", "чер", "июн"),
    ("jul", "lug", "juil", "лип", "июл"),
    ("aug", "ago", "aoû", "aou", "сер", "авг"),
    ("sep", "set", "вер", "сен"),
    ("oct", "out", "ott", "okt", "жов", "окт"),
    ("nov", "лис", "ноя"),
    ("dec", "dez", "dic", "déc", "гру", "дек"),
)
_MONTHS = {prefix: month for month, names in enumerate(_MONTH_PREFIXES) for prefix in names}
_ENGLISH_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_NAMED_DATE = re.compile(r"^\s*(?:([^\W\d_]+)\.?,?\s+)?(\d{1,2})\s+([^\W\d_]+)\.?\s+(\d{2,4}\s.*)$")


# The longest date this handler reads: RFC 822 dates run to about 40 characters, and a
# longer value (a hostile feed's megabyte of "date") is no date it reads, rather than
# text its pattern and feedparser's handlers would each run over again.
_LONGEST_NAMED_DATE = 100


def _parse_local_month_date(value: str) -> time.struct_time | None:
    if len(value) > _LONGEST_NAMED_DATE:
        return None
    match = _NAMED_DATE.match(value)
    if match is None:
        return None
    weekday, day, word, rest = match.groups()
    month = _MONTHS.get(word[:4].lower(), _MONTHS.get(word[:3].lower()))
    english = word[:3].lower() == _MONTH_PREFIXES[month][0] if month is not None else False
    if month is None or (english and (weekday is None or weekday[:3].lower() in _ENGLISH_DAYS)):
        return None
    english_date = f"{day} {_MONTH_PREFIXES[month][0].title()} {rest}"
    parsed: time.struct_time | None = feedparser.datetimes._parse_date(english_date)
    return parsed


_register_date_handler(_parse_local_month_date, last=True)


# A numeric UTC offset at the end of a date: RFC 822/5322 "+hhmm", RFC 3339 "+hh:mm".
_OFFSET = re.compile(r"[+-](\d\d):?(\d\d)\s*$")
# Zones in use run from UTC-12:00 to UTC+14:00 (Kiribati). feedparser applies any offset
# it reads ("+9999" shifts a date by 4 days), so an impossible one leaves the entry
# undated (normalize then uses the time it was first seen) rather than misplaced.
_LONGEST_OFFSET_MINUTES = 14 * 60


def _impossible_offset(value: str) -> bool:
    match = _OFFSET.search(value)
    if match is None:
        return False
    hours, minutes = int(match.group(1)), int(match.group(2))
    return minutes > 59 or hours * 60 + minutes > _LONGEST_OFFSET_MINUTES


def _dated(raw: object, parsed: time.struct_time | None) -> datetime | None:
    """feedparser's parsed date, unless the raw date's offset is no real time zone."""
    if isinstance(raw, str) and _impossible_offset(raw):
        return None
    return _utc(parsed)


def _utc(value: time.struct_time | None) -> datetime | None:
    """feedparser's ``*_parsed`` (a UTC struct_time) as an aware datetime."""
    if not value:
        return None
    try:
        # struct_time allows a leap second (60, even 61); datetime does not.
        return datetime(*value[:5], min(value[5], 59), tzinfo=UTC)
    except (ValueError, TypeError):
        # Out of datetime's range (year 0, 10000+): as good as no date.
        return None


def _readable(exc: object) -> str:
    """One readable line for a feedparser bozo exception (never a repr)."""
    if isinstance(exc, xml.sax.SAXParseException):
        return (
            f"malformed XML at line {exc.getLineNumber()}, column {exc.getColumnNumber()}: "
            f"{exc.getMessage()}"
        )
    return _first_line(exc) if exc is not None else "malformed feed"


def _first_line(exc: object) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _int(value: object) -> int | None:
    try:
        return int(str(value).strip()) if value is not None else None
    except ValueError:
        return None


def _str(value: object) -> str:
    """A JSON string as text; lone surrogates (``"\\ud800"`` is valid JSON, RFC 8259 §8.2)
    become U+FFFD, since no UTF-8 encoder (Redis, our outputs) accepts them."""
    return _LONE_SURROGATE.sub("\ufffd", value) if isinstance(value, str) else ""
