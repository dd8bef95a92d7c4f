"""feedparser's result dictionaries answer plain-key look-ups and copies at ``dict`` speed.

``feedparser.util.FeedParserDict`` routes every ``get`` and ``in`` through its
``__getitem__``, which first tests the key against the legacy aliases it answers for
(``category``, ``enclosures``, ``license``, ``updated``, ``updated_parsed`` and the
``keymap`` of old names such as ``description`` → ``summary``) before it reads the dict.
feedparser itself asks such questions of plain keys several hundred thousand times on a
few thousand entries (``contentparams.get("type")`` for every run of character data,
the context checks of each end tag). For a key that is neither special-cased nor in
``keymap``, ``__getitem__`` reads exactly ``dict.__getitem__(self, key)``, so ``get``
and ``__contains__`` answer exactly as ``dict.get`` and ``dict.__contains__`` do: those
take the short way here, the aliased keys keep feedparser's.

feedparser also deep-copies an element's content parameters (type, language, base) for
each ``*_detail`` and ``content`` value it stores, through ``copy``'s generic
``__reduce_ex__`` path. ``__deepcopy__`` here makes the same copy in the same order (an
instance of the same class made by ``__new__`` without ``__init__``, the instance
attributes copied first, then each item set through ``__setitem__``, as
``copy._reconstruct`` does) without copying keys and values that are immutable anyway.
feedparser defines no subclass of FeedParserDict, nor any ``__slots__``,
``__getstate__`` or ``__reduce_ex__`` of its own that the generic path would follow.

workers/parse.py installs both beside its other corrections of feedparser.
"""

from __future__ import annotations

import copy
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
# Keys and values deepcopy returns as they are (copy._deepcopy_atomic).
_ATOMIC = frozenset({str, bytes, int, float, bool, type(None)})

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


def _deepcopy(self: FeedParserDict, memo: dict[int, Any]) -> FeedParserDict:
    cls: Any = type(self)
    new = cls.__new__(cls)
    memo[id(self)] = new
    if self.__dict__:
        new.__dict__.update(copy.deepcopy(self.__dict__, memo))
    for key, value in dict.items(self):
        if type(key) not in _ATOMIC:
            key = copy.deepcopy(key, memo)
        new[key] = value if type(value) in _ATOMIC else copy.deepcopy(value, memo)
    return new


def install() -> None:
    """Replace FeedParserDict's ``get``, ``__contains__``, ``has_key`` and give it a
    ``__deepcopy__`` (idempotent)."""
    FeedParserDict.get = _get
    FeedParserDict.__contains__ = _contains
    FeedParserDict.has_key = _contains
    FeedParserDict.__deepcopy__ = _deepcopy


def uninstall() -> None:
    """Give FeedParserDict back feedparser's own methods (idempotent)."""
    FeedParserDict.get = _feedparser_get
    FeedParserDict.__contains__ = _feedparser_contains
    FeedParserDict.has_key = _feedparser_contains
    if "__deepcopy__" in vars(FeedParserDict):
        del FeedParserDict.__deepcopy__
