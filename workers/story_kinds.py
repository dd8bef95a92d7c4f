"""Items that are not one development, and the boilerplate an outlet repeats (pure).

A story is one development. Some feed items are not one: live blogs ("Coronavirus updates
LIVE: ..."), roundups ("Your Thursday Briefing", "All you need to know about today's
developments"), galleries ("The best of the world in pictures"), horoscopes, quizzes and
cartoons. They share words with every development of the day, so a vocabulary match would
pull unrelated news together through them. The clusterer never lets such an item join a
story or a story absorb one (an exact copy still folds, see workers/dedupe.py).

Three signals, each general to news feeds:

* **Roundup words** in the headline (``ROUNDUP_TITLE``): live, briefing, what you need to
  know, in pictures, horoscope, quiz, ... in the languages we serve most.
* **A recurring series**: the outlet published the same headline template (digits,
  weekdays and months masked: "Your Daily Horoscope for #day, #month #") more than
  ``SERIES_GAP`` earlier. A development is not re-reported under an identical headline a
  day later; a daily or weekly item is.
* **Boilerplate text**: a lead sentence the same outlet already used in
  ``BOILERPLATE_REPEATS`` other items ("SIGN UP TO OUR COVID-19 NEWSLETTER.", "If you
  suspect you or a family member has coronavirus ..."). It is dropped from the text the
  clusterer compares; an item whose whole lead is boilerplate is a templated item.

``OutletMemory`` keeps per outlet the last ``MEMORY_PER_OUTLET`` templates and sentences
(least recently seen dropped first), so memory is bounded however long the service runs;
it is part of the clusterer's snapshot, and deterministic, so a replay rebuilds it exactly.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from workers.story_text import sentences, title_template

SERIES_GAP = timedelta(hours=6)
KICKER_REPEATS = 2
KICKER_WORDS = 4
BOILERPLATE_REPEATS = 2
MEMORY_PER_OUTLET = 4000
_SENTENCE_KEY_CHARS = 100

ROUNDUP_TITLE = re.compile(
    r"\b(?:live(?: updates| blog|:)|as it happened|(?:morning|evening|daily|weekly|your \w+)"
    r" briefing|what you need to know|things to know|in pictures|pictures of the (?:day|week)"
    r"|photos of the (?:day|week)|horoscopes?|quiz|superquiz|crossword|cartoons?|podcast"
    r"|newsletter|week in review|round-?up|digest|catch up|the latest|latest list"
    r"|morning update|evening update|live-?ticker|liveblog|en direct|en vivo"
    r"|minuto a minuto|онлайн|хроніка|главное за|головне за)\b",
    re.IGNORECASE,
)
# "LIVE" in capitals marks a live blog; "live" in lower case is mostly the verb.
_LIVE_CAPITALS = re.compile(r"\bLIVE\b")


def is_roundup_title(title: str) -> bool:
    """Headline words of a live blog, roundup, gallery or other non-development item."""
    return bool(ROUNDUP_TITLE.search(title) or _LIVE_CAPITALS.search(title))


@dataclass(frozen=True, slots=True)
class ItemKind:
    """What the outlet memory says about one item."""

    roundup: bool  # a live blog, roundup, gallery or templated item: never one development
    series: bool  # the outlet's recurring headline template
    lead: str  # the text without the outlet's boilerplate sentences
    headline: str  # the headline without the outlet's recurring kicker ("Coronavirus: ")


class OutletMemory:
    """Per outlet: headline templates (first seen, epoch seconds) and lead sentences seen."""

    def __init__(self) -> None:
        self._templates: dict[str, OrderedDict[str, float]] = {}
        self._sentences: dict[str, OrderedDict[str, int]] = {}
        self._kickers: dict[str, OrderedDict[str, int]] = {}

    def observe(self, outlet: str, title: str, text: str, when: float) -> ItemKind:
        """Classify an item, then remember it (its template and its sentences)."""
        templates = self._templates.setdefault(outlet, OrderedDict())
        template = title_template(title)
        first = templates.get(template)
        series = first is not None and when - first > SERIES_GAP.total_seconds()
        if first is None:
            templates[template] = when
        else:
            templates.move_to_end(template)
        _bound(templates)

        seen = self._sentences.setdefault(outlet, OrderedDict())
        kept, keys = [], []
        for sentence in sentences(text):
            key = sentence[:_SENTENCE_KEY_CHARS].casefold()
            keys.append(key)
            if seen.get(key, 0) < BOILERPLATE_REPEATS:
                kept.append(sentence)
        for key in dict.fromkeys(keys):
            seen[key] = seen.get(key, 0) + 1
            seen.move_to_end(key)
        _bound(seen)
        lead = " ".join(kept)
        templated = bool(text.strip()) and not lead
        roundup = templated or is_roundup_title(title)
        return ItemKind(roundup=roundup, series=series, lead=lead,
                        headline=self._without_kicker(outlet, title))  # fmt: skip

    def _without_kicker(self, outlet: str, title: str) -> str:
        """A headline's leading label ("Coronavirus in California: ") is a kicker, not news,
        once the outlet has put it on ``KICKER_REPEATS`` other headlines."""
        head, colon, rest = title.partition(":")
        if not colon or not rest.strip() or len(head.split()) > KICKER_WORDS:
            return title
        kickers = self._kickers.setdefault(outlet, OrderedDict())
        key = head.strip().casefold()
        seen = kickers.get(key, 0)
        kickers[key] = seen + 1
        kickers.move_to_end(key)
        _bound(kickers)
        return rest.strip() if seen >= KICKER_REPEATS else title

    def snapshot(self) -> dict[str, Any]:
        return {
            "templates": {o: list(t.items()) for o, t in self._templates.items()},
            "sentences": {o: list(s.items()) for o, s in self._sentences.items()},
            "kickers": {o: list(k.items()) for o, k in self._kickers.items()},
        }

    @classmethod
    def restore(cls, data: dict[str, Any]) -> OutletMemory:
        memory = cls()
        for outlet, items in data["templates"].items():
            memory._templates[outlet] = OrderedDict((k, float(v)) for k, v in items)
        for outlet, items in data["sentences"].items():
            memory._sentences[outlet] = OrderedDict((k, int(v)) for k, v in items)
        for outlet, items in data["kickers"].items():
            memory._kickers[outlet] = OrderedDict((k, int(v)) for k, v in items)
        return memory


def _bound(entries: OrderedDict[str, Any]) -> None:
    while len(entries) > MEMORY_PER_OUTLET:
        entries.popitem(last=False)
