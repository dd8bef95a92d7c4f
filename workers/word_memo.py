"""A bounded memo of a pure function of one word, read as a plain dict (pure).

The story path reads every word of every article through a few pure per-word functions
(a token's gazetteer reading, a word's reading for the clusterer, its stem): the same
words recur all day, so each is computed once and then looked up. ``WordMemo`` is a dict
whose missing key computes and stores the function's value, so a hit is one dict look-up
in C, and a list of words is read with ``list(map(memo.__getitem__, words))`` without a
Python call per word. ``functools.lru_cache``'s bounded wrapper moves a node of its linked
list on every hit (four more pointers written, and their cache lines, for each word of an
article), and with two arguments builds a key tuple per call.

Bounded: past ``size`` words the older half is dropped (insertion order), so a
long-running worker's memory stays flat. What a memo returns never depends on what it
holds: only how often the function runs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

V = TypeVar("V")


class WordMemo(dict[str, V]):
    """``read(word)`` for each word asked, computed once while the word stays held."""

    __slots__ = ("read", "size")

    def __init__(self, read: Callable[[str], V], size: int) -> None:
        super().__init__()
        self.read = read
        self.size = size

    def __missing__(self, word: str) -> V:
        if len(self) >= self.size:
            self._drop_older_half()
        value = self[word] = self.read(word)
        return value

    def _drop_older_half(self) -> None:
        kept = list(self.items())[len(self) // 2 :]
        self.clear()
        self.update(kept)
