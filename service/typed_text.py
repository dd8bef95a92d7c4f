"""Rules for text a person typed into a briefing (the config file, the admin API): no
control characters, and no space inside a URL.

A control character (Unicode category Cc: C0, DEL, C1) in a title, a filter or a feed URL
is a client's encoding bug, not content: a NUL or an escape would be shown as sent (the
page, the JSON feed) and, in a filter, match nothing, since no article's text or feed URL
holds one. A description may break lines (tab, line feed, carriage return). No feed's URL
holds a space (service/ssrf.py refuses them). The config file and the API apply the same
rules, so a briefing the file seeds is one ``PUT /v1/briefings/{id}`` takes back unchanged.
"""

from __future__ import annotations

import unicodedata

LINE_BREAKS = "\t\n\r"


def without_control_characters(value: str, *, allowed: str = "") -> str:
    """``value`` unless it holds a control character outside ``allowed`` (ValueError)."""
    for position, char in enumerate(value):
        if char not in allowed and unicodedata.category(char) == "Cc":
            raise ValueError(f"{char!r} at position {position}: no control characters")
    return value


def lines_without_control_characters(value: str) -> str:
    """``without_control_characters``, line breaks allowed (a description)."""
    return without_control_characters(value, allowed=LINE_BREAKS)


def url_without_spaces(value: str) -> str:
    """``value`` unless it holds a space or a control character (ValueError)."""
    if " " in value:
        raise ValueError(f"' ' at position {value.index(' ')}: a URL holds no spaces")
    return without_control_characters(value)
