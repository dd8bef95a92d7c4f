"""A report whose headline marks a later step of an affair is not the step before (pure).

An affair moves on within hours, and each step names the people, the place and the affair of
the one before, so the n-grams and the embedding put it as close to the earlier step as a
version: a blackout at a plant, then the power restored there; the blackout, then an
official's account of how long it lasted; a port struck in the morning, then "Russia struck
Odesa again" at noon; an envoy expelled, then the expelling country's "promised to respond".
By the editor rule each is its own development.

What tells the later step is a word of its headline that only a later step writes: a supply
restored ("відновлено електропостачання", "power restored"); a resumption ("talks resumed",
"возобновили"), which tells that the thing stopped before; a duration told in the past
("тривав понад три години", "lasted more than three hours"), which only an account after the
end can give; a repetition ("again", "for the second time", "знову", "вдруге" or "удруге"
as Ukrainian alternates у and в, "снова", "во второй раз"); a promise or threat to answer
("пообещал ответить", "vows to retaliate"). So a report is set apart from a story when its
headline reads such a mark that none of the story's compared headlines reads: versions of
the later step read it on both sides, and the story of the earlier step reads none. Only the
newcomer's marks are read: a story that says "again" beside a newcomer that does not is the
repetition told without the word, as its next version may be.

The readings are narrow. A restoration is read with its supply (power, electricity, water,
heating, gas, communications; "восстановление Украины", a reconstruction, is not one); a
duration with its length (a number, "more than", "понад", "более": "strikes went on" is no
duration); a repetition not in a future ("to call again") and not of a count that rises
("toll rose again", "кількість жертв знову зросла": a toll's update is told with its
event, docs/design.md). Only headlines are read, as workers/reactions.py reads them, and
not inside quotation marks: a quote tells what someone said ("«Снова придется воевать»"),
not where the report stands in the affair.

Two marks are read on both sides. Numbered steps: two headlines that each number a step by
an ordinal ("the first seven hostages", "вторую партию", "другий раунд") and share no
ordinal tell different steps of a series, as two different dates tell different days
(workers/headline_dates.py); a title ("first lady", "первый вице-премьер", "Second World
War") numbers no step. A promised response: an event is never told with its own answer, so
a story whose every compared headline promises a response is not the event's story either.
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
# Verbs of a resumption, in any headline: a thing resumed has stopped before.
_RESUMED = (
    r"\bresum(?:es|ed)\b",
    r"\bпоновл(?:ено|ена|ені|юють|ює)\b|\bпонови(?:в|ла|ли)\b",
    r"\bвозобнов(?:ил|ила|ило|или|лен[оаы]?|ляет|ляют|ились|илась|ился|илось)\b",
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
    "resumed": _RESUMED,
    "lasted": (
        rf"\b(?:lasted|went on) {_LENGTH_EN}",
        rf"\b(?:трива|продовжува)(?:в|ла|ло|ли)(?:ся|сь)? {_LENGTH_UK}",
        rf"\b(?:длил|продолжал)(?:ся|ась|ось|ись) {_LENGTH_RU}",
    ),
    "again": (
        r"\b(?:again|anew|once more|(?:for )?the (?:second|third) time)\b",
        r"\b(?:знову|[ув]котре|повторно|ще раз|[ув]друге|[ув]третє|"
        r"(?:[ув] )?(?:другий|третій|черговий) раз)\b",
        r"\b(?:снова|вновь|опять|повторно|ещё раз|еще раз|"
        r"(?:во? )?(?:второй|третий|очередной) раз)\b",
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
_RESPONSE = "promised response"
# "again" read not after "to <verb>" nor "will <verb>": a future repetition is announced.
_FUTURE_AGAIN = re.compile(r"\b(?:to|will) \w+ again\b", re.IGNORECASE)


# A quoted span: guillemets, curly or straight double quotes ("«Снова придется воевать»").
_QUOTED = re.compile(r"«[^»]*»|“[^”]*”|„[^“”]*[“”]|\"[^\"]*\"")


def unquoted(title: str) -> str:
    """``title`` with its quoted spans left out (a space in their place)."""
    return _QUOTED.sub(" ", title)


def marks(link_text: str) -> frozenset[str]:
    """The marks of a later step the headline of ``link_text`` (``story_linking.link_text``)
    reads outside quotes: "restored", "resumed", "lasted", "again", "promised response"."""
    title = unquoted(headline(link_text))
    read = {mark for mark, readings in _READINGS.items() if any(r.search(title) for r in readings)}
    if "again" in read and (_FUTURE_AGAIN.search(title) or _RISING.search(title)):
        read.discard("again")
    return frozenset(read)


# Ordinals by their stems, up to the fifth, in the three languages; Ukrainian "друг-" only in
# forms Russian does not write for "friend" ("друга", "другу" are read as neither).
_ORDINALS: dict[int, str] = {
    1: r"first|1st|перш(?:ий|а|е|ого|ої|ому|им|ій|у|і|их|ими)|"
    r"перв(?:ый|ая|ое|ого|ой|ому|ым|ом|ую|ые|ых|ыми)",
    2: r"second|2nd|друг(?:ий|е|ого|ої|ому|им|ій|і|их|ими)|"
    r"втор(?:ой|ая|ое|ого|ому|ым|ом|ую|ые|ых|ыми)",
    3: r"third|3rd|трет(?:ій|я|є|ього|ьої|ьому|ім|ю|і|іх)|"
    r"трет(?:ий|ья|ье|ьего|ьей|ьему|ьим|ьем|ью|ьи|ьих)",
    4: r"fourth|4th|четверт(?:ий|а|е|ого|ої|ому|им|ій|у|і|их|ый|ая|ое|ой|ым|ом|ую|ые|ых)",
    5: r"fifth|5th|п['’ʼ]ят(?:ий|а|е|ого|ої|ому|им|ій|у|і|их)|"
    r"пят(?:ый|ая|ое|ого|ой|ому|ым|ом|ую|ые|ых)",
}
_ORDINAL_READINGS = {
    n: re.compile(rf"(?<![\w'’ʼ-])(?:{stems})(?![\w'’ʼ-])", re.IGNORECASE)
    for n, stems in _ORDINALS.items()
}
# An ordinal of a title, not of a step: "first lady", "первый вице-премьер", "перший
# заступник", "Second World War", "Второй мировой", "Другої світової".
_TITLE_AFTER = re.compile(
    r"^\s*(?:lady|ladies|deputy|minister|secretary|world war|леді|леди|заступни\w*|"
    r"заместител\w*|зам\w*|віце\w*|вице\w*|секретар\w*|світов\w*|миров\w*|канал\w*|channel)",
    re.IGNORECASE,
)


def ordinals(link_text: str) -> frozenset[int]:
    """The ordinal numbers (1-5) the headline of ``link_text`` numbers steps by, outside
    quotes and titles."""
    title = unquoted(headline(link_text))
    read = set()
    for n, reading in _ORDINAL_READINGS.items():
        if any(not _TITLE_AFTER.match(title[m.end() :]) for m in reading.finditer(title)):
            read.add(n)
    return frozenset(read)


def numbered_apart(text: str, others: Iterable[str]) -> bool:
    """Whether ``text`` and every one of ``others`` number their steps by ordinals, none in
    common: different steps of one series."""
    mine = ordinals(text)
    theirs = [ordinals(other) for other in others]
    return bool(mine) and bool(theirs) and all(t and not (t & mine) for t in theirs)


def later_step_apart(text: str, others: Iterable[str]) -> bool:
    """Whether the report ``text`` and the story compared through ``others`` (link texts:
    the story's kept reports the embedding compares ``text`` with) tell different steps of
    one affair: the newcomer's headline reads a mark (``marks``) that none of ``others``
    reads; every one of ``others`` promises a response and the newcomer does not; or the
    two number different steps (``numbered_apart``). False when there is nothing to
    compare."""
    others = list(others)
    theirs = [marks(other) for other in others]
    if not theirs:
        return False
    mine = marks(text)
    if mine - frozenset().union(*theirs):
        return True
    if all(_RESPONSE in t for t in theirs) and _RESPONSE not in mine:
        return True
    return numbered_apart(text, others)
