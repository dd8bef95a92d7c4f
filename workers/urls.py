"""Canonical article URLs: one spelling per page, so the same page dedups by URL.

:func:`canonicalize_url` applies, in order:

1. resolve against ``base`` (RFC 3986 §5; feeds use relative links and xml:base);
2. keep only ``http``/``https`` with a host: ``javascript:``, ``mailto:``, ``data:``,
   ``tag:`` URIs and the like are not pages a reader can open, so they give ``""``;
3. w3lib's ``canonicalize_url`` (RFC 3986 §6 normalization): scheme and host lower
   case, IDNA host, dot segments removed, percent-encoding normalized (unreserved
   characters decoded, hex upper case, non-ASCII UTF-8 encoded), query sorted,
   fragment dropped (fragments never reach the server, so they name the same page),
   unless ``keep_fragment``: a document whose items are parts of one page (a live
   page's posts, a journal's days, a comment feed) tells them apart by fragment only
   (RFC 3986 §3.5: the fragment identifies a secondary resource), see
   :func:`fragment_pages`;
4. default ports (``:80`` for http, ``:443`` for https) and user info dropped;
5. tracking parameters dropped (:data:`TRACKING_PARAMS`, :data:`TRACKING_PREFIXES`), and
   feed tags whose name alone is ambiguous (:data:`FEED_TAG_VALUES`: ``source=rss-…``).

Path case is kept: paths are case-sensitive on most servers (RFC 3986 §6.2.2.1).
The result is idempotent: ``canonicalize_url(canonicalize_url(u)) == canonicalize_url(u)``.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import SplitResult, unquote, urljoin, urlsplit, urlunsplit

from w3lib.url import canonicalize_url as _w3lib_canonicalize

# Query parameters that say how a reader arrived, never which page they get. Keeping
# them would make every share of one article a different URL. Only names documented
# as click/campaign trackers are listed; a name that could select content stays.
TRACKING_PARAMS: frozenset[str] = frozenset(
    {
        # Google Analytics / Ads: campaign tags, cross-domain linker, click ids
        "_ga",
        "_gl",
        "gclid",
        "gclsrc",
        "dclid",
        "gbraid",
        "wbraid",
        # Facebook, Instagram, Microsoft Ads, Yandex, TikTok, Twitter click/share ids
        "fbclid",
        "igshid",
        "msclkid",
        "yclid",
        "ttclid",
        "twclid",
        "ref_src",
        "ref_url",
        # Mailchimp newsletter ids
        "mc_cid",
        "mc_eid",
        # HubSpot, Marketo, AT Internet (BBC's RSS links carry at_medium=RSS),
        # Webtrekk/Mapp (heise, Spiegel, Zeit: wt_mc=rss.ho.beitrag.rdf), Adobe's
        # internal campaign id (icid, e.g. the Christian Science Monitor feed)
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "at_medium",
        "at_campaign",
        "wt_mc",
        "wt_zmc",
        "icid",
        # Publisher campaign ids: MSN/Microsoft Start (ocid), CNN/WaPo/many (cmpid),
        # Yahoo/HuffPost (ncid), NYT share and feed tags (smid, emc), Guardian (cmp)
        "ocid",
        "cmpid",
        "ncid",
        "smid",
        "emc",
        "cmp",
        # Daily Mail and other DMG Media feeds (ito=1490), Deutsche Welle's feed campaign
        # (maca=en-rss-en-all-1573-rdf)
        "ito",
        "maca",
    }
)
# Whole families: utm_* (Urchin/Google Analytics campaign tags), pk_* / mtm_* (Matomo),
# ns_* (comScore: ns_mchannel=rss, ns_campaign, ns_source, ns_linkname, ns_fee).
TRACKING_PREFIXES: tuple[str, ...] = ("utm_", "pk_", "mtm_", "ns_")
# Names that may select content elsewhere but are feed tags with these values: Medium's
# ``source=rss-<id>------2`` and ``source=rss----<id>--tag``, the Sydney Morning Herald's
# ``ref=rss``. Matched by value prefix, case-insensitively.
FEED_TAG_VALUES: dict[str, tuple[str, ...]] = {"source": ("rss",), "ref": ("rss",)}

_DEFAULT_PORTS = {"http": 80, "https": 443}


def is_tracking_param(name: str) -> bool:
    """True when a query parameter name (raw or percent-encoded) is a known tracker."""
    key = unquote(name.replace("+", " ")).strip().lower()
    return key in TRACKING_PARAMS or key.startswith(TRACKING_PREFIXES)


def canonicalize_url(url: str, base: str | None = None, *, keep_fragment: bool = False) -> str:
    """The canonical spelling of an http(s) URL, or ``""`` when it is not usable."""
    # Browsers drop ASCII tab/newline anywhere in a URL (WHATWG URL §4.4); feeds
    # wrap long links across lines.
    url = url.strip().replace("\t", "").replace("\n", "").replace("\r", "")
    if not url:
        return ""
    try:
        if base:
            url = urljoin(base.strip(), url)
        parts = urlsplit(url)
        if parts.scheme.lower() not in _DEFAULT_PORTS or not parts.hostname:
            return ""
        parts = _drop_userinfo_and_default_port(parts)
        query = "&".join(p for p in parts.query.split("&") if p and not _tracking_pair(p))
        fragment = parts.fragment if keep_fragment else ""
        canonical = _w3lib_canonicalize(
            urlunsplit(parts._replace(query=query, fragment=fragment)),
            keep_fragments=keep_fragment,
        )
        # w3lib lower-cases and IDNA-encodes the host, which may now spell a default
        # port or an empty host differently: check once more on its output.
        final = urlsplit(canonical)
        if not final.hostname:
            return ""
        return urlunsplit(_drop_userinfo_and_default_port(final))
    except (ValueError, UnicodeError):
        # Invalid port, bad IPv6 literal, host that IDNA refuses: not a usable URL.
        return ""


def _tracking_pair(pair: str) -> bool:
    name, _, value = pair.partition("=")
    if is_tracking_param(name):
        return True
    tags = FEED_TAG_VALUES.get(unquote(name).strip().lower())
    return tags is not None and unquote(value).lower().startswith(tags)


def _drop_userinfo_and_default_port(parts: SplitResult) -> SplitResult:
    # User info ("user:pass@") in a news link is a credential leak or a phishing
    # trick, never part of the article's identity (RFC 3986 §7.5).
    host = parts.hostname or ""
    if ":" in host:  # IPv6 literal keeps its brackets
        host = f"[{host}]"
    port = parts.port  # raises ValueError on a non-numeric or out-of-range port
    scheme = parts.scheme.lower()
    if port is not None and port != _DEFAULT_PORTS.get(scheme):
        host = f"{host}:{port}"
    return parts._replace(scheme=scheme, netloc=host)


def fragment_pages(links: Iterable[str | None], base: str) -> frozenset[str]:
    """The canonical pages (fragment dropped) that ``links`` of one document reach with
    two different fragments or more: for those, the fragment is what tells its items
    apart, and dropping it would make them one article."""
    fragments: dict[str, set[str]] = {}
    for link in links:
        if link and "#" in link:
            page = canonicalize_url(link, base)
            if page:
                fragments.setdefault(page, set()).add(urlsplit(urljoin(base, link)).fragment)
    return frozenset(page for page, seen in fragments.items() if len(seen) > 1)
