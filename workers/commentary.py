"""A third party's comment on a development is not the development (pure).

A development draws comments within hours from people who are not its actors: Medvedev
"noted that the choice of a new head of the Office will not help Zelensky" after "Zelensky
decides to appoint Budanov"; "the Kremlin said it hopes for a lasting ceasefire between Iran
and Israel" after "Trump announced the end of the war"; Trump "wished Biden a recovery"
after "Biden diagnosed with cancer"; a foreign ministry's "the presence of Ukrainians on
board is not confirmed" after a plane crash. The comment names the event's people, places
and affair, so the n-grams and the embedding put it as close to the event as a version
(0.81-0.90 on the tuning parts), within a version's hours. By the editor rule a
development's versions report that event; a third party's words about it are another
development, as a reaction is (workers/reactions.py).

A headline's statement frame alone does not tell a comment: most headlines that say
"X says", "заявил", "повідомив" or end in a source tag ("- mayor", "– Міноборони") are the
authority that reports the event itself ("Russian air attack kills seven in Lviv, mayor
says" beside "Россия ударила по Львову"). What tells a comment is its verb: the speaker
notes, stresses, hopes, wishes, believes, is sure, doubts, expresses hope or concern,
comments, denies or does not confirm, which states an opinion on news, not the news. So
two sides are set apart when exactly one of them comments, the other neither comments nor
reacts (workers/reactions.py: a comment beside a reaction answers the same news), and the
commenting speaker is not named in the other side's headline: a speaker named there is the
event's actor, and his own words on it ("Zelensky noted that Ukraine got ATACMS" beside
"Zelensky confirms ATACMS") are a version. A story comments when every kept report it is
compared through does: one that holds the event beside a comment it joined (its actor's own
words) is the event's story, and the event's next version is compared with it as any report.

The speaker is read from the commenting headline: a source tag at its end (", - МИД"; a tag
in lower case, "— подробности", "— деталі", may be an outlet's note, so the words read below
are read with it), else the capitalised words of the clause before the verb ("В Кремле
заявили, что надеются": the Kremlin), else those before it across the clause break
("Зеленский: надеемся на прогресс", a colon frame whose words name no one), else those just
after it ("..., — отметил Песков"); each as its name key (workers/link_names.py
``name_key``: Трамп and Trump meet, Кремле and Kremlin; a four-letter name's key meets its
case forms, ``meeting``: Merz, Мерцем). Only headlines are read, as
workers/reactions.py reads them: a lead quotes comments on its event.

The verbs are read narrowly. "noted", "отметил", "зазначив", "подчеркнул", "наголосив"
and "уверен", "переконаний" only before "that" ("отметил юбилей" is a celebration); the
English verbs in lower case after a capitalised subject (a Title Case headline's "Hopes"
is read as no comment: it reads less, never more), nor as nouns ("New hopes for",
"Ukraine's hopes ... dashed", "Fresh doubts over", "Trump's comments on"); "denies" with
what is denied (a report, a claim, involvement: "Court denies bail" is a ruling), not the
passive "denied"; "wishes" with a recovery or luck. Appeals ("calls on", "urges",
"призвали", "закликали") are not read: "36 countries call on Russia to withdraw" is itself
news, with versions worded alike.

With ``LinkConfig.topic_frame`` a frame is read as a comment too: "Speaker on topic:
statement" ("Зеленский о теракте в Магдебурге: Насилие никогда и нигде не должно
побеждать"), the speaker one to three capitalised words opening the headline before "о",
"об", "про" or "on", the statement after the colon capitalised or quoted (``_FRAMES``). It is
read as the verbs are: the speaker named in the other headline is the event's actor.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from workers.link_names import meeting, name_key
from workers.previews import headline
from workers.reactions import reacts

# English: a capitalised subject, at most two lower-case words (a "spokesman"), then the
# verb in lower case (case matters: no IGNORECASE).
_ENGLISH = re.compile(
    r"\b[A-Z][\w.'’-]*(?: [a-z][\w'’-]*){0,2} "
    r"(?P<verb>not(?:es|ed) that|stress(?:es|ed) that|hop(?:es|ed) (?:for|that|to)|"
    r"believes|doubts|is (?:sure|confident) that|"
    r"wish(?:es|ed) (?:\w+ ){1,3}(?:a )?(?:speedy |quick |full |swift )?(?:recovery|luck)|"
    r"express(?:es|ed) (?:hope|concern|condolences|regret|sympathy|solidarity)|"
    r"comment(?:s|ed) on|"
    r"denies (?:the |a )?(?:reports?|claims?|allegations?|involvement|responsibility|"
    r"rumou?rs?|that)|(?:does|do|did) not confirm)\b"
)
_RUSSIAN = re.compile(
    r"\b(?P<verb>(?:отметил|подчеркнул|уверен)[аиоы]?,? что|наде(?:ется|ются|емся)|"
    r"пожелал[аио]?|выразил[аио]? (?:надежду|обеспокоенность|соболезнования|сожаление|"
    r"уверенность)|прокомментировал[аио]?|счита(?:ет|ют),? что|сомнева(?:ется|ются)|"
    r"опроверг(?:ла|ло|ли)?|не подтвержда(?:ет|ют)(?:ся)?|не подтвердил[аио]?)(?!\w)",
    re.IGNORECASE,
)
_UKRAINIAN = re.compile(
    r"\b(?P<verb>(?:зазначи|наголоси)(?:в|ла|ло|ли),? що|переконан(?:ий|а|і),? що|"
    r"сподіва(?:ється|ються|ємося)|побажа(?:в|ла|ло|ли)|"
    r"вислови(?:в|ла|ло|ли) (?:надію|стурбованість|співчуття|жаль|впевненість)|"
    r"прокоментува(?:в|ла|ло|ли)|вважа(?:є|ють),? що|сумніва(?:ється|ються)|"
    r"спростува(?:в|ла|ло|ли)|"
    r"не підтвердж(?:ує|ують)(?:ться)?|не підтверди(?:в|ла|ло|ли))(?!\w)",
    re.IGNORECASE,
)
_MARKERS = (_ENGLISH, _RUSSIAN, _UKRAINIAN)
# A speaker's words on a topic, framed "Speaker on topic: statement": one to three
# capitalised words open the headline, then "о", "об", "про" or "on", the topic, and after a
# colon the statement, capitalised or quoted ("Зеленский о теракте в Магдебурге: Насилие
# никогда не должно побеждать"). A kicker's subtitle after the colon is in lower case
# ("Угода про копалини: нюанси для українців") and an English topic's statement is read
# only quoted (a Title Case "Strike on Kyiv: Five Killed" frames no speaker).
_FRAMES = (
    re.compile(
        r"^(?:[А-ЯІЇЄҐ][\w'’.-]*\s){1,3}(?P<verb>об?|про)\s[^:]{3,80}:\s*[«\"“„'‘А-ЯІЇЄҐA-Z]"
    ),
    re.compile(r"^(?:[A-Z][\w'’.-]*\s){1,3}(?P<verb>on)\s[^:]{3,80}:\s*[\"“'‘]"),
)
# English "hopes", "doubts" and "comments" are nouns as often as verbs in a headline ("New
# hopes for peace talks", "Ukraine's hopes for NATO dashed", "Fresh doubts over the deal",
# "Trump's comments on NATO"): a noun after a possessive or an adjective of its trend, or
# with a verb of its change later in the headline, and "doubts" before a preposition, is no
# comment.
_HOPE_OR_DOUBT = re.compile(r"hopes|doubts|comments")
_POSSESSIVE_OR_TREND = re.compile(
    r"(?:['’]s?|\b(?:new|fresh|renewed|growing|rising|faint|slim|dim|high|mounting|lingering|"
    r"serious|last))\s+$",
    re.IGNORECASE,
)
_CHANGE = re.compile(
    r"\b(?:fad(?:e|es|ed|ing)|dim(?:s|med)?|dashed|ris(?:e|es|ing)|grow(?:s|ing)?|"
    r"mount(?:s|ing)?|boost(?:s|ed)?|rais(?:e|es|ed)|soar(?:s|ed)?|wan(?:e|es|ed)|"
    r"evaporat\w+)\b",
    re.IGNORECASE,
)
_DOUBT_NOUN = re.compile(r"doubts (?:over|about|on|as|in|remain|grow|linger|mount|persist)\b")
# A source tag: a dash and one to four words closing the headline (", - МИД", "— Кремль"),
# after any closing parenthesis ("(видео)", "(ОНОВЛЕНО)") is cut.
_TAG = re.compile(r"\s[-–—]\s*(?P<speaker>[^-–—:]{2,40})$")
_TRAILING_NOTE = re.compile(r"\s*\([^()]*\)\s*$")
# A clause break before the verb: what precedes a kicker's colon or a sentence's end is
# not the speaker.
_CLAUSE = re.compile(r".*[:.!?«»\"]\s*", re.DOTALL)
_CAPITALISED = re.compile(r"\b[A-ZА-ЯІЇЄҐ][\w'’-]{2,}")
_WORD = re.compile(r"[\w'’-]{3,}")


def _speaker(title: str, frame: bool = True) -> frozenset[str] | None:
    """The name keys of the speaker of a commenting headline ``title`` (module docstring);
    None when the headline comments on nothing. ``frame``: a speaker's words on a topic
    (``_FRAMES``) comment too."""
    for marker in (*_MARKERS, *_FRAMES) if frame else _MARKERS:
        found = next((f for f in marker.finditer(title) if not _noun_use(title, f)), None)
        if found is None:
            continue
        tag = _TAG.search(_TRAILING_NOTE.sub("", title))
        words = _WORD.findall(tag["speaker"]) if tag is not None else []
        if not any(word[0].isupper() for word in words):
            before = title[: found.start("verb")]
            words += (
                _CAPITALISED.findall(_CLAUSE.sub("", before))
                or _CAPITALISED.findall(before)
                or _CAPITALISED.findall(title[found.end("verb") :][:40])
            )
        return frozenset(name_key(word) for word in words)
    return None


def _noun_use(title: str, found: re.Match[str]) -> bool:
    """Whether the verb read at ``found`` in ``title`` is the noun "hopes", "doubts" or
    "comments" (``_HOPE_OR_DOUBT``)."""
    verb = found.start("verb")
    if not _HOPE_OR_DOUBT.match(title, verb):
        return False
    return bool(
        _POSSESSIVE_OR_TREND.search(title, 0, verb)
        or _CHANGE.search(title, found.end("verb"))
        or _DOUBT_NOUN.match(title, verb)
    )


def comments(link_text: str, frame: bool = True) -> bool:
    """Whether the headline of ``link_text`` (``story_linking.link_text``) tells a comment
    on news: someone notes, hopes, wishes, believes, doubts, expresses hope or concern,
    comments, denies or does not confirm (any of the three languages' verbs), or, with
    ``frame``, speaks on a topic ("Зеленский о теракте: ...", ``_FRAMES``)."""
    return _speaker(headline(link_text), frame) is not None


def _names(link_text: str) -> frozenset[str]:
    """The name keys of every word of the headline of ``link_text``."""
    return frozenset(name_key(word) for word in _WORD.findall(headline(link_text)))


def _third_party(
    commenting: Iterable[str], others: Iterable[str], frame: bool, kinds: bool
) -> bool:
    """Whether the speakers of the ``commenting`` link texts are named in none of the
    ``others``' headlines, and none of those reacts (``reacts``, with ``kinds``)."""
    others = list(others)
    if any(reacts(other, kinds) for other in others):
        return False
    speakers = frozenset().union(*(_speaker(headline(text), frame) or () for text in commenting))
    named = frozenset().union(*(_names(other) for other in others))
    return not meeting(speakers, named)


def commentary_apart(
    text: str, others: Iterable[str], frame: bool = True, kinds: bool = True
) -> bool:
    """Whether the report ``text`` and the story compared through ``others`` (link texts:
    the story's kept reports the embedding compares ``text`` with, at the n-gram step and
    in the check alike) are a third party's comment and the development it comments on:
    exactly one side's headlines comment (the story's side when all of ``others`` do, and
    none when one of them tells the event: a story holding the event beside a comment it
    joined is the event's story), the other side reacts in none, and the commenting
    speaker is named in none of the other side's headlines. ``frame`` reads a speaker's
    words on a topic as a comment (``comments``), ``kinds`` the reaction kinds as a
    reaction (workers/reactions.py ``reacts``). False when there is nothing to compare."""
    others = list(others)
    if not others:
        return False
    theirs = [other for other in others if comments(other, frame)]
    if comments(text, frame):
        return not theirs and _third_party([text], others, frame, kinds)
    return len(theirs) == len(others) and _third_party(theirs, [text], frame, kinds)
