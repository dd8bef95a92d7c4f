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
  clusterer compares. An item whose whole lead is boilerplate ("Investigation by The
  Insider.", a cartoonist's standing caption) is compared on its headline alone: the
  headline still says what happened, and galleries and cartoons are caught by their
  headline words or their recurring template.

``OutletMemory`` keeps the last ``MEMORY_ENTRIES`` templates, sentences and kickers of all
outlets (least recently seen dropped first, keyed by a short hash), so memory is bounded
however long the service runs and however many outlets it follows; it is part of the
clusterer's snapshot, and deterministic, so a replay rebuilds it exactly.
"""

from __future__ import annotations

import functools
import hashlib
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
MEMORY_ENTRIES = 50_000
_SENTENCE_KEY_CHARS = 100

# The lookahead of the alternatives' first letters: see service/claims.py's ``_VERB``.
ROUNDUP_TITLE = re.compile(
    r"\b(?=[acdehilmnpqrstwyгох])"
    r"(?:live(?: updates| blog|:)|as it happened|(?:morning|evening|daily|weekly|your \w+)"
    r" briefing|what you need to know|things to know|in pictures|pictures of the (?:day|week)"
    r"|photos of the (?:day|week)|horoscopes?|quiz|superquiz|crossword|cartoons?|podcast"
    r"|newsletter|week in review|round-?up|digest|catch up|the latest|latest list"
    r"|morning update|evening update|live-?ticker|liveblog|en direct|en vivo"
    r"|minuto a minuto|онлайн|хроніка|главное за|головне за)\b",
    re.IGNORECASE,
)
# "LIVE" in capitals marks a live blog; "live" in lower case is mostly the verb.
_LIVE_CAPITALS = re.compile(r"\bLIVE\b")


# The story stage asks about each headline twice (copy detection, then the outlet memory):
# a small memo answers the second time.
@functools.lru_cache(maxsize=1024)
def is_roundup_title(title: str) -> bool:
    """Headline words of a live blog, roundup, gallery or other non-development item."""
    return bool(ROUNDUP_TITLE.search(title) or _LIVE_CAPITALS.search(title))


@dataclass(frozen=True, slots=True)
class ItemKind:
    """What the outlet memory says about one item."""

    roundup: bool  # a live blog, roundup or gallery: never one development
    series: bool  # the outlet's recurring headline template
    lead: str  # the text without the outlet's boilerplate sentences
    headline: str  # the headline without the outlet's recurring kicker ("Coronavirus: ")


class OutletMemory:
    """Headline templates (first seen, epoch seconds), lead sentences and kickers (times
    seen), each keyed by outlet and a short hash of the text, least recently seen dropped
    first beyond ``MEMORY_ENTRIES`` per kind, shared by every outlet: a busy outlet's
    boilerplate stays because it recurs, and memory and snapshot stay small however many
    outlets there are."""

    def __init__(self) -> None:
        self._templates: OrderedDict[str, float] = OrderedDict()
        self._sentences: OrderedDict[str, int] = OrderedDict()
        self._kickers: OrderedDict[str, int] = OrderedDict()

    def observe(self, outlet: str, title: str, text: str, when: float) -> ItemKind:
        """Classify an item, then remember it (its template and its sentences)."""
        template = _key(outlet, title_template(title))
        first = self._templates.get(template)
        series = first is not None and when - first > SERIES_GAP.total_seconds()
        if first is None:
            self._templates[template] = when
        else:
            self._templates.move_to_end(template)
        _bound(self._templates)

        seen = self._sentences
        kept, keys = [], []
        for sentence in sentences(text):
            key = _key(outlet, sentence[:_SENTENCE_KEY_CHARS].casefold())
            keys.append(key)
            if seen.get(key, 0) < BOILERPLATE_REPEATS:
                kept.append(sentence)
        for key in dict.fromkeys(keys):
            seen[key] = seen.get(key, 0) + 1
            seen.move_to_end(key)
        _bound(seen)
        lead = " ".join(kept)
        return ItemKind(roundup=is_roundup_title(title), series=series, lead=lead,
                        headline=self._without_kicker(outlet, title))  # fmt: skip

    def _without_kicker(self, outlet: str, title: str) -> str:
        """A headline's leading label ("Coronavirus in California: ") is a kicker, not news,
        once the outlet has put it on ``KICKER_REPEATS`` other headlines."""
        head, colon, rest = title.partition(":")
        if not colon or not rest.strip() or len(head.split()) > KICKER_WORDS:
            return title
        key = _key(outlet, head.strip().casefold())
        seen = self._kickers.get(key, 0)
        self._kickers[key] = seen + 1
        self._kickers.move_to_end(key)
        _bound(self._kickers)
        return rest.strip() if seen >= KICKER_REPEATS else title

    def snapshot(self) -> dict[str, Any]:
        return {
            "templates": list(self._templates.items()),
            "sentences": list(self._sentences.items()),
            "kickers": list(self._kickers.items()),
        }

    @classmethod
    def restore(cls, data: dict[str, Any]) -> OutletMemory:
        memory = cls()
        memory._templates = OrderedDict((k, float(v)) for k, v in data["templates"])
        memory._sentences = OrderedDict((k, int(v)) for k, v in data["sentences"])
        memory._kickers = OrderedDict((k, int(v)) for k, v in data["kickers"])
        return memory


def _key(outlet: str, text: str) -> str:
    return hashlib.blake2b(f"{outlet}\x1f{text}".encode(), digest_size=8).hexdigest()


def _bound(entries: OrderedDict[str, Any]) -> None:
    while len(entries) > MEMORY_ENTRIES:
        entries.popitem(last=False)
