"""Attributed claims in a report's text: who says what.

A news report is made of claims attributed to someone ("Russia claims advances …;
Ukraine says the situation is difficult"). This finds them in English headlines and
leads by the shapes reporters write them in, one sentence at a time:

    CLAIMANT says|said|claims|warns|denies … [that] CLAIM     "Zelensky says talks were hard"
    CLAIM, CLAIMANT said|says [on Sunday | in a statement].    "…, the Defense Ministry said."
    CLAIM, said CLAIMANT [on Sunday | in a statement].         "…, said Kyrylenko."
    CLAIM, according to CLAIMANT.                              "…, according to the UN."
    CLAIMANT: CLAIM  (a headline's quote)                      "Zelensky: 'We will not retreat'"

A claimant is a noun phrase that names someone: capitalised names and titles ("Ukraine's
General Staff", "Ukrainian President Volodymyr Zelenskiy"), or a speaker the reader can
place ("officials", "the police", "a professor at the University of …"). Pronouns ("he
said"), things ("the report says") and phrases such as "which is to say" are not
claimants: a claim the reader cannot attribute is no help. Precision first: a sentence
whose shape is unclear gives nothing. Other languages give nothing (no rules for them
yet); docs/api.md gives the precision measured on real feed texts (bench/claims.py).

Pure and deterministic; results are cached per text, since a story's header is rebuilt
from the same reports on every write.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from service.models import StoryMember

MAX_CLAIM_CHARS = 200  # a claim longer than this is cut on a word boundary

# Verbs that attribute a claim. Not "reported", "announced", "confirmed", "accused",
# "maintained": their object is usually an event ("Russia reported a record number of
# cases", "Belgium accuses U.S. envoy of …", "maintained the shutdown"), not a claim; not
# "told" or "added": they need an object or the sentence before.
_VERBS = (
    r"says|said|say|claims|claimed|claim|warns|warned|warn|insists|insisted|insist|"
    r"denies|denied|deny|alleges|alleged|allege|argues|argued|stresses|stressed|"
    r"admits|admitted"
)
# The lookahead of the verbs' first letters lets a search leave a word start after one
# character test instead of trying every verb there (Python's ``re`` tries each branch of a
# case-insensitive alternation in turn); it matches exactly what the alternation matches.
_VERB_INITIALS = "".join(sorted({verb[0] for verb in _VERBS.split("|")}))
_VERB = re.compile(rf"\b(?=[{_VERB_INITIALS}])({_VERBS})\b", re.IGNORECASE)

# A word of a claimant: a capitalised word (names, titles, "U.S.", "Ukraine's"), a noun
# for a speaker, or a joining word between them.
_SPEAKERS = frozenset(
    """
    official officials authorities authority police military army navy forces government
    ministry minister ministers spokesperson spokesman spokeswoman spokespeople
    president prime governor mayor chief head leader leaders commander commanders
    general staff prosecutor prosecutors investigators investigator experts expert
    analysts analyst residents resident witnesses witness sources source lawyers lawyer
    lawmakers lawmaker diplomats diplomat scientists researchers doctors medics rescuers
    officers officer troops soldiers activists activist campaigners organisers organizers
    firefighters paramedics professor economist economists judge judges court regulator
    regulators agency council committee board union spokespersons monitors monitor
    observers ombudsman envoy ambassador secretary senator senators congressman
    congresswoman chancellor minister's ministry's officials' military's government's
    department office service services guard coastguard administration white house
    negotiators negotiator representatives representative party company's
    """.split()
)
_JOINERS = frozenset("of the for and at in on from de del al la le von van der 's ’s a an".split())
# Words that qualify a speaker without naming one ("the former Tory leader").
_MODIFIERS = frozenset(
    """
    former new top senior junior deputy acting local regional foreign defence defense
    interior health state federal national international military's civilian chief
    russian ukrainian american british european israeli palestinian chinese iranian
    opposition ruling independent medical emergency security intelligence police
    """.split()
)
_ARTICLES = frozenset({"the", "a", "an"})
_PRONOUNS = frozenset(
    "he she they it we i you who which that this these those one someone anyone everyone "
    "nobody people many some others critics".split()
)
_ACRONYM = re.compile(r"\s*\([A-Z][A-Za-z.]{1,9}\)")  # "Front (OLF)": the name without it
_WORD = re.compile(r"[\w’'.\-]+", re.UNICODE)
# Words that name a document, a tool or a headline's label, not a speaker ("Study warns",
# "Free Tool Says", "Watch: '…'").
_NOT_SPEAKERS = frozenset(
    """
    study studies report reports survey poll polls research data analysis review paper
    tool app website site video watch listen live opinion explainer exclusive breaking
    update updates podcast quiz photos pictures gallery letters editorial
    """.split()
)
# Words that look like names at the start of a sentence but are not speakers.
_NOT_NAMES = frozenset(
    "the a an but and or so yet if when while as after before since because although "
    "though however meanwhile still also now then here there what how why where let".split()
)

_ABBREVIATIONS = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|Gen|Lt|Col|Sgt|Capt|Cmdr|St|Rep|Sen|Gov|Prof|Rev|No|Jr|Sr|Maj|"
    r"Adm|Brig|Insp|Supt|Det|Fr|vs|etc|U\.S|U\.K|U\.N|E\.U|[A-Z])\.$"
)
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’']?\s+(?=[\"“‘'(\[]?[A-Z0-9])")

_DAYS = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|today|yesterday)"
# What may follow a trailing "… X said": a day, a time, a place of saying it.
_TAIL = (
    rf"(?:\s+(?:on\s+)?{_DAYS}|\s+(?:in|on|at|during|after|before|late|early|earlier|"
    rf"last|this)\b[^,;:.]{{0,60}}|\s+told\b[^,;:.]{{0,60}})?"
)
_LEAD = re.compile(  # CLAIMANT VERB [that] CLAIM
    rf"^(?P<who>[^,;:“”\"]{{2,90}}?)\s+(?:has\s+|have\s+|had\s+)?(?:{_VERBS})\b"
    rf"(?:\s+(?:on\s+)?{_DAYS})?(?:\s+that\b|[,:](?=\s*[\"“‘']))?\s+(?P<what>.{{8,}})$",
    re.IGNORECASE,
)
_TRAIL = re.compile(  # CLAIM, CLAIMANT VERB [when].
    rf"^(?P<what>.{{8,}}?)[,”\"]+\s+(?P<who>[^,;:“”\"]{{2,90}}?)\s+(?:{_VERBS})\b{_TAIL}"
    r"\s*[.!]?$",
    re.IGNORECASE,
)
_INVERTED = re.compile(  # CLAIM, VERB CLAIMANT [when].
    rf"^(?P<what>.{{8,}}?)[,”\"]+\s+(?:{_VERBS})\s+(?P<who>[^,;:“”\"]{{2,90}}?)"
    rf"(?:,[^,;:]{{2,90}}?)?{_TAIL}\s*[.!]?$",
    re.IGNORECASE,
)
_ACCORDING = re.compile(
    r"^(?P<what>.{8,}?),?\s+according to\s+(?P<who>[^,;:“”\"]{2,90}?)\s*[.!]?$",
    re.IGNORECASE,
)
_ACCORDING_FIRST = re.compile(
    r"^According to\s+(?P<who>[^,;:“”\"]{2,90}?),\s+(?P<what>.{8,})$", re.IGNORECASE
)
# "A medieval path claims a modern victim", "Casey argues for …", "warned of …": the verb
# is not attributing a statement.
_NOT_A_STATEMENT = re.compile(
    r"^(?:(?:an?|the|his|her|their|its|another|two|three)\s+)?(?:\w+\s+){0,2}?"
    r"(?:life|lives|victims?|title|medal|gold|silver|bronze|crown|prize|trophy|jackpot)\b"
    r"|^(?:for|against|of|about|with|on|over|to|in|into|at|by)\b",
    re.IGNORECASE,
)
_RELATIVE_END = re.compile(r"\b(?:who|whom|which|that|whose)$", re.IGNORECASE)
_QUOTED_SPEAKER = re.compile(rf"\b(?:{_VERBS}|told|tells)\b", re.IGNORECASE)
MAX_SENTENCE_WORDS = 70  # longer: a run-on from a list without punctuation
_QUOTE_HEADLINE = re.compile(r"^(?P<who>[^:“”\"]{2,60}?):\s+(?P<what>[\"“‘'].{8,})$")


@dataclass(frozen=True, slots=True)
class Claim:
    claimant: str
    text: str


def sentences(text: str) -> list[str]:
    """The text's sentences: split after . ! ? … before a capital, not after an
    abbreviation ("Mr.", "U.S.", an initial)."""
    parts: list[str] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        piece = text[start : m.start()].rstrip()
        if _ABBREVIATIONS.search(piece):
            continue
        parts.append(text[start : m.end()].strip())
        start = m.end()
    parts.append(text[start:].strip())
    return [p for p in parts if p]


def claimant_name(phrase: str) -> str | None:
    """``phrase`` cleaned as a claimant, or None when it does not name someone."""
    phrase = _ACRONYM.sub("", phrase).strip(" \t'\"“”‘’()[]-–—.…")
    words = _WORD.findall(phrase)
    if not words or len(words) > 12 or len(phrase) > 90:
        return None
    if _WORD.sub("", phrase).strip(" ,’'-"):  # anything but words and spaces: not a name
        return None
    if words[0].casefold() in _PRONOUNS or words[-1].casefold() in _PRONOUNS:
        return None
    if words[0].casefold() in _NOT_NAMES - _ARTICLES:
        return None
    named = False
    for n, word in enumerate(words):
        folded = word.casefold()
        bare = folded.removesuffix("'s").removesuffix("’s")
        if word[0].isupper() or word[0].isdigit():
            if n > 0 or folded not in _ARTICLES:
                named = True
        elif bare in _SPEAKERS or folded in _SPEAKERS:
            named = True
        elif folded not in _JOINERS and folded not in _MODIFIERS:
            return None  # a verb or a common word: a clause, not a claimant
    if not named or words[-1].casefold() in _JOINERS:
        return None
    if words[-1].casefold() in _NOT_SPEAKERS:
        return None
    if words[-1].endswith(("'s", "’s")):
        return None  # cut off before the noun ("a resident of Tehran's …")
    return phrase


def _tidy(text: str) -> str:
    text = " ".join(text.split()).strip(" ,;:-–—")
    if text.count("“") > text.count("”"):
        text = text.replace("“", "", 1)
    if text.count("”") > text.count("“"):
        text = text[::-1].replace("”", "", 1)[::-1]
    if text.count('"') % 2:
        text = text.replace('"', "", 1)
    text = text.strip(" ,;:")
    if len(text) > MAX_CLAIM_CHARS:
        text = text[:MAX_CLAIM_CHARS].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
    return text


def _in_sentence(sentence: str, headline: bool) -> Claim | None:
    sentence = sentence.strip()
    if len(sentence.split()) > MAX_SENTENCE_WORDS:
        return None
    verb = _VERB.search(sentence) is not None
    patterns = [_ACCORDING_FIRST, _TRAIL, _INVERTED, _ACCORDING, _LEAD] if verb else []
    if "according to" in sentence.casefold():
        patterns += [_ACCORDING_FIRST, _ACCORDING]
    if headline and not verb:
        patterns.append(_QUOTE_HEADLINE)
    for pattern in patterns:
        m = pattern.match(sentence)
        if m is None:
            continue
        who = claimant_name(m.group("who"))
        if who is None:
            continue
        if pattern is _QUOTE_HEADLINE and (
            len(who.split()) > 4 or any(w[0].islower() for w in who.split())
            or who.split()[0].casefold() in _ARTICLES
        ):  # fmt: skip
            # "The Papers: '…'", "Buttigieg Joins the Debate: '…'", "Scalia in 1987: '…'":
            # a label or a topic before the quote, not only a speaker.
            continue
        what = _tidy(m.group("what"))
        if pattern is _LEAD and _NOT_A_STATEMENT.match(what):
            continue
        if pattern is _ACCORDING and _QUOTED_SPEAKER.search(what):
            continue  # "'…,' the mayor told RTL, according to AP": the mayor's, not AP's
        if _RELATIVE_END.search(what):
            continue  # "… the man who, according to Machiavelli": not the claim
        if len(what) >= 8 and len(what.split()) >= 2:
            return Claim(who, what)
    return None


def _may_attribute(text: str) -> bool:
    """Whether any sentence of ``text`` can hold a claim outside a headline: one needs an
    attributing verb or "according to" (``_in_sentence`` tries no pattern without), and
    every sentence is a stretch of ``text`` cut at whitespace (``sentences``), so a word
    the sentence holds whole is a whole word of ``text`` too. One search of the text
    instead of the sentence split and a search per sentence."""
    return _VERB.search(text) is not None or "according to" in text.casefold()


@lru_cache(maxsize=8192)
def claims_in(text: str, language: str, headline: bool = False) -> tuple[Claim, ...]:
    """The attributed claims in ``text`` (a headline when ``headline``: one sentence,
    and "Name: 'quote'" counts), in order; none for a language other than English
    (``""``, unknown, is read as English)."""
    if language not in ("en", ""):
        return ()
    if not headline and not _may_attribute(text):
        return ()
    found: list[Claim] = []
    for sentence in [text] if headline else sentences(text):
        claim = _in_sentence(sentence, headline)
        if claim is not None and claim not in found:
            found.append(claim)
    return tuple(found)


# A story's claims travel in its header and in every event, so they are bounded.
MAX_STORY_CLAIMS = 8


@dataclass(frozen=True, slots=True)
class ReportClaim:
    """A claim and the report it was read in."""

    claimant: str
    text: str
    outlet: str
    url: str


def story_claims(
    summary: str, lead: StoryMember | None, members: Sequence[StoryMember]
) -> list[ReportClaim]:
    """A story's claims, at most ``MAX_STORY_CLAIMS``: those of its summary, the lead of
    the report ``lead`` (the one whose title is the headline), then those of each report's
    headline in order (``members``: one report per outlet is enough), each claim once."""
    if not members:
        return []
    lead = lead or members[0]
    readings = [(lead, summary, False), *((m, m.title, True) for m in members)]
    seen: set[tuple[str, str]] = set()
    found: list[ReportClaim] = []
    for member, text, is_headline in readings:
        for claim in claims_in(text, member.language, is_headline):
            key = (claim.claimant.casefold(), claim.text.casefold())
            if key in seen:
                continue
            seen.add(key)
            found.append(ReportClaim(claim.claimant, claim.text, member.outlet, member.url))
            if len(found) == MAX_STORY_CLAIMS:
                return found
    return found
