"""feedparser's result dictionaries answer look-ups of plain keys at ``dict`` speed.

``feedparser.util.FeedParserDict`` routes every ``get`` and ``in`` through its
``__getitem__``, which first tests the key against the legacy aliases it answers for
(``category``, ``enclosures``, ``license``, ``updated``, ``updated_parsed`` and the
``keymap`` of old names such as ``description`` → ``summary``) before it reads the dict.
feedparser itself asks such questions of plain keys several hundred thousand times on a
few thousand entries (``contentparams.get("type")`` for every run of character data,
the context checks of each end tag): about a tenth of a parse process's time.

For a key that is neither special-cased nor in ``keymap``, ``__getitem__`` reads exactly
``dict.__getitem__(self, key)``, so ``get`` and ``__contains__`` answer exactly as
``dict.get`` and ``dict.__contains__`` do; those two take the short way here, and the
aliased keys keep feedparser's. workers/parse.py installs it beside its other corrections
of feedparser.
"""

from __future__ import annotations

from typing import Any

from feedparser.util import FeedParserDict

# The keys FeedParserDict.__getitem__ answers other than by the key itself (feedparser
# 6.0: the five special cases at the top of __getitem__, then keymap's old names).
ALIASED_KEYS = frozenset(FeedParserDict.keymap) | {
    "category",
    "enclosures",
    "license",
    "updated",
    "updated_parsed",
}

_feedparser_get = FeedParserDict.get
_feedparser_contains = FeedParserDict.__contains__


def _get(self: FeedParserDict, key: Any, default: Any = None) -> Any:
    if key in ALIASED_KEYS:
        return _feedparser_get(self, key, default)
    return dict.get(self, key, default)


def _contains(self: FeedParserDict, key: Any) -> bool:
    if key in ALIASED_KEYS:
        return bool(_feedparser_contains(self, key))
    return dict.__contains__(self, key)


def install() -> None:
    """Replace FeedParserDict's ``get``, ``__contains__`` and ``has_key`` (idempotent)."""
    FeedParserDict.get = _get
    FeedParserDict.__contains__ = _contains
    FeedParserDict.has_key = _contains
