"""An outlet's recurring headline labels, learned from its own headlines (pure).

Outlets open headlines with section labels ("Coronavirus:", "Coronavirus UK:", "Analysis |",
"LIVE -", a columnist's name). Such a *kicker* says which shelf the item sits on, not what
happened: it gives unrelated reports of one outlet words in common, and reports of one
event from two outlets words that only one of them has. The clusterer compares headlines
without it (the displayed headline keeps it).

The rule, the same for every outlet and language: a headline's *label* is its opening of at
most ``KICKER_WORDS`` words up to the first separator (a colon or a pipe followed by a
space, or a dash with spaces on both sides) with more text after it. The label is a kicker
once the same outlet has opened ``KICKER_REPEATS`` earlier headlines with it (compared
case-insensitively): a development's own words do not open three of an outlet's headlines
with a separator after them, a section's label does. After a kicker is taken off, the next
label is tried too ("Coronavirus: Europe: ..."), at most ``MAX_KICKERS`` in all. Counting
happens in article order, so it is deterministic and a replay learns the same kickers.

``KickerMemory`` keeps the counts of the last ``MEMORY_ENTRIES`` labels of all outlets
(least recently seen dropped first, keyed by a short hash of outlet and label), so memory is
bounded however many outlets the service follows; it is part of the clusterer's snapshot.
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

KICKER_REPEATS = 2
KICKER_WORDS = 4
MAX_KICKERS = 2
MEMORY_ENTRIES = 50_000

# The shortest opening up to a colon or pipe followed by whitespace, or a dash with
# whitespace on both sides ("Covid-19" and "10:30" are not separators).
_LABEL = re.compile(r"^\s*(?P<label>[^\s].*?)\s*(?:[:|]\s|\s[-–—]\s)\s*(?P<rest>\S.*)$", re.DOTALL)


@dataclass(frozen=True, slots=True)
class Headline:
    """A headline split into the outlet's kickers and the rest."""

    kicker: str  # "" when the headline opens with none
    rest: str


class KickerMemory:
    """How many headlines each outlet opened with each label (bounded, see the module)."""

    def __init__(self) -> None:
        self._labels: OrderedDict[str, int] = OrderedDict()

    def observe(self, outlet: str, title: str) -> Headline:
        """Split off ``title``'s kickers as known before it, then count its labels."""
        kickers: list[str] = []
        rest = title
        for _ in range(MAX_KICKERS):
            match = _LABEL.match(rest)
            if match is None or len(match["label"].split()) > KICKER_WORDS:
                break
            key = _key(outlet, match["label"].casefold())
            seen = self._labels.get(key, 0)
            self._labels[key] = seen + 1
            self._labels.move_to_end(key)
            if seen < KICKER_REPEATS:
                break
            kickers.append(match["label"])
            rest = match["rest"]
        while len(self._labels) > MEMORY_ENTRIES:
            self._labels.popitem(last=False)
        return Headline(kicker=" ".join(kickers), rest=rest.strip() if kickers else title)

    def snapshot(self) -> list[tuple[str, int]]:
        return list(self._labels.items())

    @classmethod
    def restore(cls, data: list[Any]) -> KickerMemory:
        memory = cls()
        memory._labels = OrderedDict((k, int(v)) for k, v in data)
        return memory


def _key(outlet: str, label: str) -> str:
    return hashlib.blake2b(f"{outlet}\x1f{label}".encode(), digest_size=8).hexdigest()
