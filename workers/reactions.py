"""A report of a reaction is not the development it reacts to (pure).

A development draws reactions within hours: "Moldova's president congratulates Dan on his
victory" after "Dan wins the Romanian presidency", "Ukraine responds to Putin's proposal"
after "Putin invites Zelensky to Moscow". The reaction names the people, the place and the
affair of the event it answers, so its n-grams and its embedding put it as close to the
event as a version is, and both are filed within the hours that versions are. By the
editor rule a development's versions report that event, not a reaction to it: a third
party's reaction is another development.

What tells them apart is the headline's verb: a reaction's headline says that someone
responds, congratulates, welcomes, condemns, praises or criticises, with its object (the
event, its actor); the event's does not. So two sides are set apart when exactly one of
them tells a reaction: a reaction beside a reaction (the Russian and the Ukrainian report
of one congratulation) is read as any two reports. A story reacts when every kept report
it is compared through does: one that holds the event beside a reaction it joined is the
event's story. Only headlines are read, as
workers/previews.py reads them: a lead quotes the reactions the event drew.

The verbs are read with their object, active: "welcome" as a noun ("a red-carpet
welcome"), "criticism" ("sacks the envoy after criticism"), a passive ("is welcomed",
"welcomed at the White House", "condemned to nine years": sentenced), the Ukrainian
"засудили" (sentenced, and condemned) and adjectives of a mood ("Розчаровані",
disappointed) are no reaction: each is the news itself or part of it. A court's "осудил" ("суд
осудил", "заочно осудил") is a conviction. Nor an answer to a question ("ответил на
вопрос", "відповів на питання" or "на запитання"): an interview's statement, whose
versions say "said" or "says". A physical "slams" (a storm slams a coast) is an event, so
"slams" is not read.

With ``LinkConfig.reaction_kinds`` one kind of event is read as a reaction too: protests told
with what they are over or against ("343 detained in protests over Imamoglu's arrest",
"протестів через затримання мера") exist only as an answer to it, so beside the arrest they
are another development. A protest told alone ("thousands rally in Tbilisi") is the event.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from workers.previews import headline

# The verb with its object: "responds to" and "reacts to" name it after "to", the others
# directly. A passive is no reaction by the subject: after an auxiliary ("is welcomed"), or a
# headline's bare participle before a preposition ("welcomed at the White House", "hailed as
# a hero", "condemned to nine years"). A host welcoming a guest by name to or at a place
# ("Trump welcomes Zelensky to the White House") tells the visit itself, not a reaction.
_ENGLISH = re.compile(
    r"(?<!\bis )(?<!\bare )(?<!\bwas )(?<!\bwere )(?<!\bbe )(?<!\bbeen )(?<!\bbeing )"
    r"\b(?:(?:respond|react)(?:s|ed)? to\b|"
    r"(?:congratulat(?:es|ed)|welcom(?:es|ed)(?! (?:(?-i:[A-Z])[\w'’.-]* ){1,3}(?:to|at|in)\b)|"
    r"condemn(?:s|ed)|hail(?:s|ed)|prais(?:es|ed)|"
    r"critici[sz](?:es|ed)|denounc(?:es|ed))\b"
    r"(?! (?:at|as|by|in|into|for|on|to|with)\b))",
    re.IGNORECASE,
)
# "осудил" after a court ("суд", "Мосгорсуд") or "заочно" (in absentia) is a conviction, as
# "осудил на/к" is a sentence. An answer to a question is "на вопрос(ы)", "на (за)питання".
_RUSSIAN = re.compile(
    r"\b(?:отреагировал[аи]?|ответил[аи]? на(?! вопрос)|поздравил[аи]?|приветству(?:ет|ют)|"
    r"приветствовал[аи]?|(?<!суд )(?<!заочно )осудил[аи]?(?! (?:на|к)\b)|раскритиковал[аи]?)\b",
    re.IGNORECASE,
)
_UKRAINIAN = re.compile(
    r"\b(?:відреагува(?:в|ла|ли)|відпов(?:ів|іла|іли) на(?! (?:за)?питання)|привіта(?:в|ла|ли)|"
    r"розкритикува(?:в|ла|ли))\b",
    re.IGNORECASE,
)
_MARKERS = (_ENGLISH, _RUSSIAN, _UKRAINIAN)
# Protests told with what they are over or against answer it: an event that exists only as
# an answer to another. A protest named alone ("thousands rally in Tbilisi") is no reaction.
_KINDS = (
    re.compile(r"\bprotest(?:s|ers)? (?:over|against)\b", re.IGNORECASE),
    re.compile(r"\bпротест\w* (?:из-за|против|в связи с)(?!\w)", re.IGNORECASE),
    re.compile(r"\bпротест\w* (?:через|проти|у зв['’ʼ]язку з)(?!\w)", re.IGNORECASE),
)


def reacts(link_text: str, kinds: bool = True) -> bool:
    """Whether the headline of ``link_text`` (``story_linking.link_text``) tells a reaction:
    someone responds to, congratulates, welcomes, condemns, praises or criticises (any of
    the three languages' verbs), or, with ``kinds``, protests over or against something
    (``_KINDS``)."""
    title = headline(link_text)
    markers = (*_MARKERS, *_KINDS) if kinds else _MARKERS
    return any(marker.search(title) for marker in markers)


def reaction_apart(text: str, others: Iterable[str], kinds: bool = True) -> bool:
    """Whether the report ``text`` and the story compared through ``others`` (link texts:
    the story's kept reports the embedding compares ``text`` with, at the n-gram step and
    in the check alike) are a reaction and the development it reacts to: exactly one side
    reacts, the story's side when every one of ``others`` does, and none when one of them
    tells the event (a story holding the event beside a reaction it joined is the event's
    story: the event's next version is compared with it as with any report, and a
    reaction beside it may be a version of the reaction it holds), as
    workers/commentary.py reads a commenting story. The story's other kept reports are
    not read. ``kinds``: the reaction kinds are read too (``reacts``). False when there is
    nothing to compare."""
    theirs = [reacts(other, kinds) for other in others]
    if not theirs:
        return False
    return not any(theirs) if reacts(text, kinds) else all(theirs)
