"""HTML to plain text, and the small text helpers normalization needs.

Feeds carry titles and bodies as HTML, as escaped HTML or as plain text, and the
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
# zero-width space/joiners, BOM, soft hyphen.
_INVISIBLE_CHARS = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)

ELLIPSIS = "…"


def fold_whitespace(text: str) -> str:
    """Collapse every run of Unicode whitespace (incl. NBSP) to one space; strip ends."""
    return " ".join(text.translate(_INVISIBLE_CHARS).split())


def html_to_text(html: str) -> str:
    """Readable plain text of an HTML fragment (or of plain text, which passes through).

    Tags, scripts and styles go; entities are decoded; whitespace is folded; control
    characters other than whitespace are dropped (they are invalid in XML 1.0 anyway
    and break JSON consumers).
    """
    if "<" not in html and "&" not in html:
        return _drop_controls(fold_whitespace(html))
    tree = LexborHTMLParser(_BLOCK_TAG.sub(" <", html))
    tree.strip_tags(_INVISIBLE)
    root = tree.root
    text = root.text(separator="") if root is not None else ""
    return _drop_controls(fold_whitespace(text))


def _drop_controls(text: str) -> str:
    if text.isprintable():
        return text
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cc")


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
