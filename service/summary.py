"""A summary as readers see it: one cut shared by the story record and the page."""

from __future__ import annotations

ELLIPSIS = "…"


def summary_line(text: str, limit: int) -> str:
    """A summary for display: whitespace collapsed, at most ``limit`` characters cut on a
    word boundary (inside a single longer word), no dangling comma, then "…"."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if text[limit] != " ":  # never end on half a word
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + ELLIPSIS
