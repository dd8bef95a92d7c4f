"""A report whose headline marks a later step of an affair is not the step before (pure).

An affair moves on within hours, and each step names the people, the place and the affair
of the one before, so the n-grams and the embedding put it as close to the earlier step as
a version (0.85-0.90 on the tuning parts): a blackout at a plant, then the power restored
there; the blackout, then an official's account of how long it lasted; a port struck in
the morning, then "Russia struck Odesa again" at noon; an envoy expelled, then the expelling
country's "promised to respond". By the editor rule each is its own development.

What tells the later step is a word of its headline that only a later step writes: a
supply restored ("відновлено електропостачання", "power restored"); a duration told in the
past ("тривав понад три години", "lasted more than three hours"), which only an account
after the end can give; a repetition ("again", "знову", "снова"); a promise or threat to
answer ("пообещал ответить", "vows to retaliate"). So a report is set apart from a story
when its headline reads such a mark that none of the story's compared headlines reads:
versions of the later step read it on both sides, and the story of the earlier step reads
none. Only the newcomer's marks are read: a story that says "again" beside a newcomer that
does not is the repetition told without the word, as its next version may be.

The readings are narrow. A restoration is read with its supply (power, electricity, water,
heating, gas, communications; "восстановление Украины", a reconstruction, is not one); a
duration with its length (a number, "more than", "понад", "более": "strikes went on" is no
duration); a repetition not in a future ("to call again") and not of a count that rises
("toll rose again", "кількість жертв знову зросла": a toll's update is told with its
event, docs/design.md). Only headlines are read, as workers/reactions.py reads them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from workers.previews import headline

_SUPPLY_EN = r"(?:power|electricity|water|heating|gas|internet|communications?|supply|supplies)"
_SUPPLY_UK = (
    r"(?:електропостачання|електроенергі\w+|світло|водопостачання|водопоста\w+|"
    r"опалення|газопостачання|зв['’ʼ]язок|живлення)"
)
_SUPPLY_RU = (
    r"(?:электроснабжение|электроэнерги\w+|свет|водоснабжение|отопление|"
    r"газоснабжение|связь|питание)"
)
_LENGTH_EN = (
    r"(?:for )?(?:more than |over |about |nearly |almost |at least |some )?"
    r"(?:\d|an? |one|two|three|four|five|several)"
)
_LENGTH_UK = r"(?:понад|близько|майже|більше|щонайменше|\d|дві|три|чотири|п['’ʼ]ять)"
_LENGTH_RU = r"(?:более|около|почти|свыше|больше|не менее|\d|два|две|три|четыре|пять)"
# A rising count ("toll rose again", "жертв знову зросла"): a toll's update, not a repetition.
_RISING = re.compile(r"\b(?:ris(?:es|en)|rose|climb\w*|зрос\w*|вирос\w*|вырос\w*|возрос\w*)\b",
                     re.IGNORECASE)  # fmt: skip

_MARKS: dict[str, tuple[str, ...]] = {
    "restored": (
        rf"\b{_SUPPLY_EN}\b(?: \w+){{0,3}} (?:is |was |been )?restored\b|"
        rf"\brestor(?:es|ed) {_SUPPLY_EN}\b",
        rf"\b(?:відновлено|віднови(?:ли|в|ла))(?: \w+){{0,2}} {_SUPPLY_UK}|"
        rf"{_SUPPLY_UK}(?: \w+){{0,2}} (?:відновлено|віднови(?:ли|в|ла))\b",
        rf"\b(?:восстановлен[оаы]?|восстанови(?:ли|л|ла))(?: \w+){{0,2}} {_SUPPLY_RU}|"
        rf"{_SUPPLY_RU}(?: \w+){{0,2}} (?:восстановлен[оаы]?|восстанови(?:ли|л|ла))\b",
    ),
    "lasted": (
        rf"\blasted {_LENGTH_EN}",
        rf"\bтрива(?:в|ла|ло|ли) {_LENGTH_UK}",
        rf"\bдлил(?:ся|ась|ось|ись) {_LENGTH_RU}",
    ),
    "again": (
        r"\bagain\b",
        r"\b(?:знову|вкотре|повторно)\b",
        r"\b(?:снова|вновь|опять|повторно)\b",
    ),
    "promised response": (
        r"\b(?:vow(?:s|ed)?|promis(?:es|ed)|threaten(?:s|ed)?|pledg(?:es|ed)) to "
        r"(?:respond|retaliate|answer)\b",
        r"\b(?:пообіця(?:в|ла|ли)|пригрози(?:в|ла|ли)) (?:\w+ )?відпові(?:сти|дь\w*)",
        r"\b(?:пообеща(?:л|ла|ли)|пригрози(?:л|ла|ли)) (?:\w+ )?ответ(?:ить|ом)",
    ),
}
_READINGS = {
    mark: tuple(re.compile(pattern, re.IGNORECASE) for pattern in patterns)
    for mark, patterns in _MARKS.items()
}
# "again" read not after "to <verb>" nor "will <verb>": a future repetition is announced.
_FUTURE_AGAIN = re.compile(r"\b(?:to|will) \w+ again\b", re.IGNORECASE)


def marks(link_text: str) -> frozenset[str]:
    """The marks of a later step the headline of ``link_text`` (``story_linking.link_text``)
    reads: "restored", "lasted", "again", "promised response"."""
    title = headline(link_text)
    read = {mark for mark, readings in _READINGS.items() if any(r.search(title) for r in readings)}
    if "again" in read and (_FUTURE_AGAIN.search(title) or _RISING.search(title)):
        read.discard("again")
    return frozenset(read)


def later_step_apart(text: str, others: Iterable[str]) -> bool:
    """Whether the report ``text`` marks a later step of the affair the story compared
    through ``others`` (link texts: the story's kept reports the embedding compares
    ``text`` with) tells: its headline reads a mark (``marks``) that none of ``others``
    reads. False when there is nothing to compare."""
    theirs = [marks(other) for other in others]
    if not theirs:
        return False
    return bool(marks(text) - frozenset().union(*theirs))
