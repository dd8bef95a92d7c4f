"""A summary as readers see it: one cut shared by the story record and the page."""

from __future__ import annotations

ELLIPSIS = "…"


def summary_line(text: str, limit: int) -> str:
    """A summary for display: whitespace collapsed, at most ``limit`` characters cut on a
    word boundary (inside a single longer word), no dangling comma, then "…"."""
    # Collapsing a prefix of the text gives a prefix of the whole collapsed text (its last
    # word perhaps cut short): once that is longer than ``limit``, the rest is never read.
    head = " ".join(text[: 2 * limit + 2].split())
    text = head if len(head) > limit else " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if text[limit] != " ":  # never end on half a word
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + ELLIPSIS
