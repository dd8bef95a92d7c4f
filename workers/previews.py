"""A report of what is planned or announced is not the event it announces (pure).

An affair moves in steps a few hours to a day apart: "Zelensky plans to meet Trump at the
summit", then the meeting; "Zelensky announces a meeting with Erdoğan on Wednesday", then
the talks; "Zelensky offers Budanov the Office", then the decree appointing him. The
preview and the event name the same people, places and affair, so the n-grams and the
embedding put them as close as two versions of one development (0.88-0.94), and when both
are timed nothing else keeps them apart: the hours rule reads a day, a preview is often
filed the evening or morning before.

What tells them apart is the headline's grammar: a preview's headline says the event is
planned, intended, offered or scheduled ("plans to", "to meet", "decides to appoint",
"announces meeting ... on Wed"; "планирует", "намерен", "состоится", "встретится",
"предложил"; "планує", "має намір", "відбудеться", "запропонував"), the event's does not. Read
alone the grammar is no rule: versions of one development are written in different
tenses ("Russia will suspend the grain deal" / "Россия приостанавливает") and a statement
quoting the future is no preview. So a preview is read only against a later report: the
two are set apart when the earlier story began with a report whose headline announces,
the later report's headline does not, and the later one was filed
``LinkConfig.preview_hours`` or more after the earlier story began (versions of one
development are filed within hours of each other; the step that happens follows its
announcement by hours or a day). The story's first report is read, not every report it
holds: a story that began with an announcement is its development, whatever reaction or
version in other words joined it since (a reaction to an offer, then the decree). Only
headlines are read: a lead's first sentence quotes plans and conditions that are not the
report's news.
"""

from __future__ import annotations

import re

# Markers of a planned, intended, offered or scheduled event in a headline. Each reads the
# construction, not an affair's words: intention and schedule verbs, a meeting or visit
# announced or in the future, the headline infinitive (below), an offer or a decision to
# appoint, a day ahead named as such. English weekdays only after "on" ("meeting with
# Erdoğan on Wed"), as a past event's headline rarely names its weekday. The bare future
# ("will", "буде", "будет") and promises ("vows", "пообіцяв", "пообещал") are not read:
# "Russia will suspend its participation in the grain deal" is the decision itself, and a
# promise or threat is a statement, each with versions written in the present or past.
# The future of a schedule verb is read, as its subject is the event itself, held, begun,
# opened or convened ("talks will be held in", "переговоры пройдут", "саммит откроется",
# "зустріч відбудеться", "розпочнуться переговори", "лидеры соберутся"), and so is the
# future of "hold" with talks or a meeting ("проведут переговоры"): "will be held" only
# before a place or a time ("they will be held accountable" is no event).
# A plan or an offer named as a noun is no announcement ("court blocks the plan to",
# "Trump's plan to", "Плану перемоги", "отверг предложение"): "plan to" is not read after
# an article or a possessive, nor the nouns' forms in Ukrainian and Russian.
_ENGLISH = re.compile(
    r"(?<!\ba )(?<!\bthe )(?<!'s )(?<!’s )"
    r"\b(?:plans?|planning|intends?|intending|decides?|decided|"
    r"(?:is|are|was|were) (?:set|due|scheduled|expected|going|poised))"
    r" to\b"
    r"|\b(?:proposes?|offers?|nominates?)\b"
    r"|\bannounces? (?:a |an |his |her |the |new )?(?:meeting|visit|talks|trip)\b"
    r"|\bwill (?:meet|visit|travel|hold talks|host|attend)\b"
    r"|\b(?:will|to) be held (?:in|on|at|next|this|later)\b|\bwill take place\b"
    r"|\b(?:tomorrow|next week|next month|upcoming)\b"
    r"|\bon (?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|mon|tue|tues|wed|thu|thur|thurs|"
    r"fri|sat|sun)\b",
    re.IGNORECASE,
)
# The headline infinitive: a subject of one to three capitalised words, then "to" and an
# event's verb ("Zelenskyy to meet Trump"). Case matters: "invites Pope to visit" is no
# such subject.
_ENGLISH_INFINITIVE = re.compile(
    r"^(?:[A-Z][\w.'’-]* ){1,3}to (?:meet|visit|hold|sign|travel|attend|host|"
    r"appoint|name|nominate|replace|dismiss)\b"
)
_RUSSIAN = re.compile(
    r"\b(?:планиру\w*|намерен\w*|намерева\w*|собира\w+ся|"
    r"состоится|состоятся|встретится|встретятся|посетит|посетят|"
    r"пройд[её]т|пройдут|откро[ею]тся|начн[её]тся|начнутся|собер[её]тся|соберутся|"
    r"провед[её]т переговоры|проведут переговоры|провед[её]т встречу|проведут встречу|"
    r"предлож(?!ени)\w+|анонсирова\w+|завтра|на следующей неделе)\b",
    re.IGNORECASE,
)
_UKRAINIAN = re.compile(
    r"\b(?:плану[єюв]\w*|має намір|мають намір|збира\w+ся|"
    r"відбудеться|відбудуться|зустрінеться|зустрінуться|відвідає|відвідають|"
    r"пройде|пройдуть|відкри[єю]ться|(?:роз)?почн[еу]ться|збер[еу]ться|"
    r"проведе переговори|проведуть переговори|проведе зустріч|проведуть зустріч|"
    r"пропону\w*|запропону\w*|анонсува\w*|завтра|наступного тижня)\b",
    re.IGNORECASE,
)
_MARKERS = (_ENGLISH, _ENGLISH_INFINITIVE, _RUSSIAN, _UKRAINIAN)
# The headline ends where the link text's lead begins (``story_linking.link_text``: the
# headline, ". ", then the lead): at the first ". " that does not end an abbreviation
# inside the headline, a single letter's ("U.S.", "м. Київ", an initial) or a title's
# before a name ("Mr.", "St. Petersburg").
_HEADLINE_END = re.compile(
    r"(?<!\b\w)(?<!\bMr)(?<!\bMs)(?<!\bMrs)(?<!\bDr)(?<!\bSt)(?<!\bGen)(?<!\bSen)(?<!\bGov)"
    r"(?<!\bRep)(?<!\bPres)\. "
)


def headline(link_text: str) -> str:
    """The headline of a link text (``story_linking.link_text``): up to its first ". "
    after a word that is no abbreviation."""
    return _HEADLINE_END.split(link_text, maxsplit=1)[0]


def announces(link_text: str) -> bool:
    """Whether the headline of ``link_text`` says its event is planned, intended, offered
    or scheduled (any of the three languages' markers)."""
    title = headline(link_text)
    return any(marker.search(title) for marker in _MARKERS)


def preview_of(first: str, later: str, hours_after: float, preview_hours: float | None) -> bool:
    """Whether the report ``later`` (a link text), filed ``hours_after`` hours after a
    story began with the report ``first``, tells the event ``first`` announced rather than
    its development: ``first`` announces, ``later`` does not, and it came
    ``preview_hours`` or more after. None: never."""
    return (
        preview_hours is not None
        and hours_after >= preview_hours
        and announces(first)
        and not announces(later)
    )
