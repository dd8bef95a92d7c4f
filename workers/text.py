"""HTML to plain text, and the small text helpers normalization needs.

Feeds carry titles and bodies as HTML, as escaped HTML (even twice) or as plain text, and the
``type`` attribute that should tell them apart is often wrong. So everything goes
through :func:`html_to_text`: plain text passes untouched (fast path), HTML loses
its tags, scripts and styles, entities are decoded and whitespace is folded.

selectolax's lexbor backend parses like a browser (HTML5), which matters for the
broken markup feeds are full of; its ``text()`` decodes entities for us.
"""

from __future__ import annotations

import re
import unicodedata

from selectolax.lexbor import LexborHTMLParser

from service.summary import ELLIPSIS

# Elements whose text is not prose a reader sees.
_INVISIBLE = ["script", "style", "noscript", "template", "iframe", "svg", "math", "head"]

# Block-level tags end a line in a browser; lexbor's text() joins text nodes with no
# separator, so "<p>a</p><p>b</p>" would read "ab". A space before each block tag keeps
# words apart without splitting inline markup ("<b>wor</b>ld" stays "world").
_BLOCK_TAG = re.compile(
    r"<(?=/?(?:address|article|aside|blockquote|br|dd|div|dl|dt|figcaption|figure|footer"
    r"|h[1-6]|header|hr|li|main|nav|ol|p|pre|section|table|td|th|tr|ul)\b)",
    re.IGNORECASE,
)

# Characters that render as nothing and only get in the way of comparing texts:
# zero-width space/joiners, BOM, soft hyphen, and the C0/C1 control characters that
# are not whitespace (invalid in XML 1.0 anyway, and they break JSON consumers).
# Also the bidi embeddings, overrides and isolates (UAX #9 §2.1-2.4; "Trojan Source",
# CVE-2021-42574): each one holds until its closer or the end of the paragraph, and a
# feed's text ends up in paragraphs we write after it (the Atom summary's "(Reported by
# ...)", the page's lines), so an unclosed U+202E would show our text reversed. Without
# them the bidi algorithm still orders right-to-left scripts from the letters themselves;
# the marks U+200E/U+200F, which have no scope, stay.
# One character class, removed by a regex scan, which passes over runs of other
# characters in C, where str.translate with a table looks every character up in a dict.
_INVISIBLE_CODES = [
    *map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"),
    *range(0x202A, 0x202F),
    *range(0x2066, 0x206A),
    *(c for c in [*range(0x20), *range(0x7F, 0xA0)] if not chr(c).isspace()),
]
_INVISIBLE_CHARS = re.compile("[" + "".join(re.escape(chr(c)) for c in _INVISIBLE_CODES) + "]")

# A few unmistakable tags, to recognize HTML that was escaped twice.
_LOOKS_LIKE_HTML = re.compile(
    r"<(?:p|a\s+href|div|span|br|img|em|strong|ul|ol|li|h[1-6]|blockquote)\b[^<>]*>", re.IGNORECASE
)


# Ukrainian writes its apostrophe ("обʼєкт", "з'явився") as the modifier letter U+02BC
# (the orthography's recommendation), the typographic ’ or the ASCII ', and English its
# possessive with ’ or ': ``one_apostrophe`` writes each as ', one word one way.
def one_apostrophe(text: str) -> str:
    """``text`` with ’ and ʼ written as '. Two ``str.replace`` scans, which look for one
    character in C (memchr), where ``str.translate`` with a table looks every character
    up in a dict."""
    return text.replace("’", "'").replace("ʼ", "'")


def fold_whitespace(text: str) -> str:
    """Collapse every run of Unicode whitespace (incl. NBSP) to one space, strip the
    ends, drop invisible and control characters, compose to NFC.

    NFC because keywords and the gazetteer's names are composed, as almost all text is: a
    feed written decomposed (NFD, "и" + U+0306 for "й") would otherwise match neither.
    After dropping invisible characters, which can stand between a letter and its mark."""
    return " ".join(unicodedata.normalize("NFC", _INVISIBLE_CHARS.sub("", text)).split())


def html_to_text(html: str) -> str:
    """Readable plain text of an HTML fragment (or of plain text, which passes through).

    Tags, scripts and styles go; entities are decoded; whitespace is folded and
    invisible characters are dropped (see :func:`fold_whitespace`).
    """
    if "<" not in html and "&" not in html:
        return fold_whitespace(html)
    text = _strip_tags(html)
    # Double-escaped HTML ("&lt;p&gt;Hello"): some CMSs escape content_html or
    # <description> once too often. Only when the input had no real tag at all, so a
    # post that shows escaped markup as code inside real HTML keeps it.
    if "<" not in html and _LOOKS_LIKE_HTML.search(text):
        text = _strip_tags(text)
    return fold_whitespace(text)


def _strip_tags(html: str) -> str:
    tree = LexborHTMLParser(_BLOCK_TAG.sub(" <", html))
    tree.strip_tags(_INVISIBLE)
    root = tree.root
    return root.text(separator="") if root is not None else ""


def truncate_words(text: str, max_chars: int) -> str:
    """``text`` cut to at most ``max_chars`` characters, on a word boundary, with "…".

    When the cut would lose more than a third of the budget (scripts without spaces,
    such as Chinese or Japanese, or one enormous URL) it cuts mid-word instead, so a
    short limit never empties the text.
    """
    if len(text) <= max_chars:
        return text
    if max_chars <= len(ELLIPSIS):
        return text[:max_chars]
    budget = max_chars - len(ELLIPSIS)
    cut = text[: budget + 1]
    space = cut.rfind(" ")
    head = cut[:space] if space >= budget * 2 // 3 else cut[:budget]
    return head.rstrip() + ELLIPSIS
