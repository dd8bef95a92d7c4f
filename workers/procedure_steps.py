"""Two steps of one procedure are two developments (pure).

An affair that follows a procedure moves in steps a few hours apart: a parliament votes a
bill, then the president signs it, then it enters into force; a chancellor is elected, then
sworn in; talks are scheduled, then they begin; a visit's meeting is announced, then the
guest arrives; a court sentences, then the convicted party appeals. Each step names the
same people, places and affair as the one before, so the n-grams and the embedding put them
as close as two versions of one development (0.87-0.90), within the hours that versions are
filed. By the editor rule each step is its own development: the signature is news the vote
was not.

What tells them apart is the headline's verb of the procedure: each step has its own
("ухвалила", "passed", "проголосовала"; "підписав", "signed", "подписал"; "набув чинності",
"entered into force", "вступил в силу"; "обрано", "elected", "избран"; "склав присягу",
"sworn in", "официально стал"; "відбудеться", "will be held", "пройдут", "зустрінеться",
"to meet", "встретится"; "розпочалися", "began", "начались"; "прибув", "arrives in",
"прибыл"; "засудили до", "sentenced to", "приговорили к"; "оскаржить", "to appeal",
"обжаловать"). So two sides are set apart only when each side's headlines read a step and
no step is read on both: a side that reads none tells its news in other words and is read
as any report, and a side that names two steps (a law "passed by parliament and signed")
shares one with either. Versions of one step read that step on both sides and are never
split by it.

The readings are narrow. A vote is read with its bill ("принял закон", not "принял участие"
or "принял решение"), a signature as the act (the infinitive "to sign" and the noun
"підписання" are no signature: they announce one; nor the noun "signs of"), a beginning as
begun ("talks begin", not "to begin" or "could begin"; "talks begin Monday", a headline's
present with its day, is the schedule), a schedule only as the procedure's own future
("will be held", "пройдут", "назвали дату", a meeting's "will meet" and the headline
infinitive "X to meet"), not the bare future of a statement, which workers/previews.py
leaves out for the same reason. A step negated ("not signed", "так і не підписав", "не
подписал") is no step, nor a step asked about ("с кем встретится", with whom he will meet:
the headline explains what is ahead of the news it tells). An arrival ("arrives in",
"прибув", "прибыл"; not "to arrive") is one moment with "began": a guest's arrival at the
venue is the meeting begun (held4: "Зеленський прибув у Білий дім для зустрічі із Трампом"
beside "В Вашингтоне началась встреча Зеленского и Трампа", one development), so it is set
apart only from a meeting still ahead. A sentence is read with its term ("sentenced to",
"засудили до", "приговорили к"; not "Sentencing" or "приговор", nouns that retell it) and
an appeal against a ruling or its announcement ("to appeal", "appeals the verdict",
"обжаловать", "оскаржити", "подал апелляцию"; not "Putin's appeal", an address, nor an
appeals court, "Appeals court ruling", "Апелляционный суд": the court that rules on one,
whose ruling other outlets tell by the term it upheld). A word that tells two steps reads
both, so it shares one with either: a ratification is a parliament's vote and a head of
state's signature ("Putin ratifies" is his signing of the law), and a bill that "wins a
vote" is voted as a candidate who wins one is elected. A truce, a law or tariffs that take
effect have begun: "in force" and "began" are one moment, never apart. Only headlines are
read, as workers/previews.py and workers/reactions.py read them: a lead retells the steps
before.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from workers.previews import headline

# A day named after "begin(s)": the headline's present of a planned event ("Talks begin
# Monday"), as headlines write the future; after a modal or "to" ("to begin", "could
# begin") the beginning is announced, not read as begun.
_DAY = (
    r"(?:on |next |this )?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"tomorrow|week|month)"
)
# A negation just before a step's verb ("not signed", "has not yet signed", "не підписав",
# "так і не підписав", "не подписал"): the step not taken.
_NEGATED = re.compile(r"(?:\b(?:not|never|не|ні)|n[’']t)\s+(?:\w+\s+)?$", re.IGNORECASE)
# A step asked about ("с кем встретится", "when will talks begin") is no step told: the
# headline explains what is ahead of the news it tells.
_ASKED = re.compile(
    r"\b(?:с кем|з ким|когда|коли|где|де|who|when|where)\s+(?:\w+\s+)?$", re.IGNORECASE
)
# A modal or "to" before a verb announces the step, it does not tell it as taken.
_NOT_YET = r"(?<!\bto )(?<!\bcan )(?<!\bcould )(?<!\bmay )(?<!\bmight )(?<!\bwill )(?<!\bwould )"
# The headline infinitive of a meeting ahead ("Zelenskyy to meet Canada's PM"): a subject
# of one to three capitalised words, then "to meet" (workers/previews.py reads it so).
_TO_MEET = r"^(?:(?-i:[A-Z])[\w.'’-]* ){1,3}to meet\b"
# Steps that are one moment of an affair: a truce, a law or tariffs in force have begun
# ("ceasefire begins", "перемирие началось" and "ceasefire takes effect").
_ONE_MOMENT = {"in force": "began", "arrived": "began"}

# Per step, its readings in English, Ukrainian and Russian headlines.
_STEPS: dict[str, tuple[str, ...]] = {
    # Planned or dated, not yet held.
    "scheduled": (
        r"\b(?:will (?:be )?(?:held|take place|begin|start|sign(?:ed)?|meet)|"
        r"to be (?:held|signed)|"
        rf"(?:sets?|named?s?) (?:a |the )?date|(?:begins?|starts?) {_DAY})\b|{_TO_MEET}",
        r"\b(?:відбуд(?:еться|уться)|пройд(?:е|уть)|розпочн(?:еться|уться)|почн(?:еться|уться)|"
        r"назва(?:в|ла|ли|но) дат\w*|призначи(?:в|ла|ли) дат\w*|зустрін(?:еться|уться))",
        r"\b(?:пройд(?:[её]т|ут)|состо(?:ится|ятся)|начн(?:[её]тся|утся)|"
        r"назва(?:л|ла|ли|на) дат\w*|назначи(?:л|ла|ли) дат\w*|встрет(?:ится|ятся))",
    ),
    # Held, begun.
    "began": (
        rf"{_NOT_YET}\b(?:began|begins?(?! {_DAY})|kick(?:s|ed) off|(?:gets?|got) under ?way)\b",
        r"\b(?:розпочал(?:ися|ася|ося|ся)|почал(?:ися|ася|ося|ся)|відбул(?:ися|ася|ося|ся))",
        r"\b(?:начал(?:ись|ся|ась|ось)|состоял(?:ись|ся|ась|ось))",
    ),
    # A visit's arrival: the visit has begun (one moment with "began", ``_ONE_MOMENT``).
    "arrived": (
        rf"{_NOT_YET}\b(?:arriv(?:es|ed) (?:in|at)|lands? in|landed in)\b",
        r"\b(?:прибу(?:в|ла|ли)|прилеті(?:в|ла|ли)|приїха(?:в|ла|ли))\b",
        r"\b(?:прибыл[аи]?|прилетел[аи]?|приехал[аи]?)\b",
    ),
    # A vote on a bill, a law, a budget, a resolution, a ratification.
    "voted": (
        r"\b(?:(?:pass(?:es|ed)|adopt(?:s|ed)|approv(?:es|ed)) (?:(?:a|the|new|its) )?"
        r"(?:\w+ )?(?:bill|law|budget|resolution|amendment)s?|ratif(?:ies|ied)|"
        r"vot(?:es|ed) (?:for|to|in favou?r)|wins? (?:[\w'’]+ ){0,2}vote)\b",
        r"\b(?:(?:ухвали(?:ла|в|ли)|ухвалено)(?: [\w'’]+){0,3} (?:закон|законопроєкт|бюджет|"
        r"резолюці)\w*|проголосува(?:ла|в|ли)|ратифікува(?:ла|в|ли)|"
        r"голос(?:ів|ами) [\"«“”]?за\b)",
        r"\b(?:(?:принял[аи]?|принят)(?: \w+){0,3} (?:закон|законопроект|бюджет|резолюци)\w*|"
        r"проголосова(?:ла|л|ли)|ратифицирова(?:ла|л|ли)|голос(?:ов|ами) [\"«“”]?за\b)",
    ),
    # The signature that makes it law or binds the parties.
    "signed": (
        r"(?<!\bto )(?<!\bbe )(?<!\bwill )\bsign(?:s|ed)\b(?! (?:up|off|on|of)\b)|"
        r"\bratif(?:ies|ied)\b",
        r"\b(?:підписа(?:в|ла|ли)|підписано|ратифікува(?:ла|в|ли))\b",
        r"\b(?:подписа(?:л|ла|ли)|подписан[аоы]?|ратифицирова(?:ла|л|ли))\b",
    ),
    # In force.
    "in force": (
        r"\b(?:(?:enters?|entered|comes?|came) into force|(?:takes?|took) effect)\b",
        r"\b(?:набу(?:в|ла|ло|ли)|набра(?:в|ла|ло|ли)) чинності",
        r"\bвступи(?:л|ла|ло|ли)? в (?:силу|действие)|вступает в силу",
    ),
    # Elected, or the election won.
    "elected": (
        r"\b(?:(?:is|was|been) elected|elected (?:as )?(?:president|chancellor|prime minister|"
        r"speaker|mayor|pope)|wins? (?:[\w'’]+ ){0,2}(?:election|vote|runoff|presidency))\b",
        r"\b(?:обран(?:о|ий|а|і)|обра(?:ли|в|ла)|переміг|перемогла)\b",
        r"\b(?:избран[аы]?|избра(?:ли|л|ла)|победил[аи]?)\b",
    ),
    # In office: sworn in, inaugurated, officially in the post.
    "in office": (
        r"\b(?:sworn in|(?:takes|took|assumes|assumed) office|inaugurated|"
        r"officially (?:becomes|became))\b",
        r"\b(?:склав присягу|склала присягу|вступи(?:в|ла) на посаду|офіційно ста(?:в|ла)|"
        r"інавгуру\w+)",
        r"\b(?:принес(?:ла)? присягу|принял[аи]? присягу|вступил[аи]? в должность|"
        r"официально стал[аи]?|инаугурирова\w+)",
    ),
    # A court's sentence: the term or punishment given.
    "sentenced": (
        r"\b(?:sentenced to|jailed for)\b",
        r"\b(?:засуди(?:в|ла|ли) до|засуджен(?:о|ий|а|і)? до)\b",
        r"\b(?:приговори(?:л|ла|ли) к|приговор[её]н(?:а|ы)? к)\b",
    ),
    # An appeal against a sentence or ruling, lodged or announced by the party.
    "appealed": (
        r"\b(?:(?:to|will) appeal|appeal(?:s|ed|ing)? (?!courts? )(?:against )?"
        r"(?:the |his |her |their |its |a )?(?:\w+ )?(?:sentence|verdict|ruling|conviction|"
        r"judgment)|fil(?:es|ed) (?:an )?appeal)\b",
        r"\b(?:оскарж\w+|апеляці(?:я|ю|ї|єю))\b",
        r"\b(?:обжал\w+|апелляци(?:я|ю|и|ей))\b",
    ),
}
_READINGS = {
    step: tuple(re.compile(pattern, re.IGNORECASE) for pattern in patterns)
    for step, patterns in _STEPS.items()
}


def steps(link_text: str) -> frozenset[str]:
    """The steps of a procedure the headline of ``link_text`` (``story_linking.link_text``)
    reads: scheduled, began, voted, signed, in force, elected, in office."""
    title = headline(link_text)
    return frozenset(
        step
        for step, readings in _READINGS.items()
        if any(_taken(title, found) for r in readings for found in r.finditer(title))
    )


def _taken(title: str, found: re.Match[str]) -> bool:
    """Whether the step read at ``found`` is told: no negation and no question word just
    before it."""
    return not (_NEGATED.search(title, 0, found.start()) or _ASKED.search(title, 0, found.start()))


def _moments(read: frozenset[str]) -> frozenset[str]:
    """The steps read, with the step each is one moment with (``_ONE_MOMENT``)."""
    return read | {_ONE_MOMENT[step] for step in read if step in _ONE_MOMENT}


def steps_apart(text: str, others: Iterable[str]) -> bool:
    """Whether the report ``text`` and the story compared through ``others`` (link texts:
    the story's kept reports the embedding compares ``text`` with) tell two steps of one
    procedure: each side reads a step (``others`` read together) and no step is read on
    both. False when there is nothing to compare."""
    mine = _moments(steps(text))
    if not mine:
        return False
    theirs = _moments(frozenset().union(*(steps(other) for other in others)))
    return bool(theirs) and mine.isdisjoint(theirs)
