"""Reports of a recurring series: a period of one day, or a running tally (pure).

Some developments recur: the General Staff's losses ("ЗСУ знищили вже 190 960 ..."), the
regional administrations' summary of the past day, a country's case count, the night's
drone attack on a region. Each day's report is a new development, yet it shares nearly
every word, place and name with the day before's, so no lexical or embedding evidence
tells the two apart; only the calendar does. A report that frames itself by **a period of
one day** ("за добу", "за сутки", "over the past day", "in the past 24 hours",
"overnight", "this morning", a night or morning attack) or as **a running tally** ("so
far", "вже 190 960", "уже 191 940", "to date") is dated by that framing: two such reports
``SERIES_APART_HOURS`` or more apart are about different days, so they are never one
development (``different_days``).

Both reports must carry the framing: a follow-up that tells the night attack's toll the
next day without it ("Death toll from Zaporizhzhia strike rises to 20") is still the
same development and can still join. The framing is read in the headline and the lead's
first sentence (where agencies put "In the night of 18 September ..."), in the languages
we serve most. ``SERIES_APART_HOURS`` lies between the hours over which outlets report one
day's item (versions and updates within a few hours) and the day between two
consecutive items.
"""

from __future__ import annotations

import re

from workers.story_text import first_sentence

SERIES_APART_HOURS = 16.0
# Read no further (a headline and a first sentence are shorter; bounds the regex's work
# on hostile input such as a run of 100,000 digits).
_READ_CHARS = 400

# A period of one day, or an attack tied to one night or morning.
_PERIOD = (
    r"(?:over|in|during|for) (?:the )?(?:past|last|previous) (?:day|24 hours|twenty-four hours)"
    r"|overnight|last night|this morning|(?:night|morning)(?:time)? (?:attacks?|strikes?|raids?)"
    r"|за (?:минулу |останню )?добу|протягом (?:минулої )?доби|минулої ночі|цієї ночі"
    r"|у?вночі|[ув] ніч (?:проти|на)|вранці|зранку|(?:нічн|ранков)\w* (?:атак|удар|обстріл)\w*"
    r"|за (?:прошедшие |минувшие |последние )?сутки|в течение суток|ночью|в ночь на|утром"
    r"|(?:ночн|утренн)\w* (?:атак|удар|обстрел)\w*"
)
# A running total: a number with "so far", "to date", "already" (вже / уже).
_TALLY = (
    r"\d[\d,.]*(?: \w+){0,3} (?:so far|to date)|(?:so far|to date),?(?: \w+){0,3} \d+"
    r"|(?:already|вже|уже) (?:\w+ ){0,2}\d+"
)
# Matched on casefolded text: a case-insensitive Unicode pattern is twice as slow.
_SERIES = re.compile(rf"(?<!\w)(?:{_PERIOD}|{_TALLY})(?!\w)")


def is_daily(title: str, lead: str) -> bool:
    """The headline or the lead's first sentence frames the report by one day's period
    or as a running tally."""
    first = first_sentence(lead[:_READ_CHARS])
    return bool(_SERIES.search(title[:_READ_CHARS].casefold()) or _SERIES.search(first.casefold()))


def different_days(a_daily: bool, a_when: float, b_daily: bool, b_when: float) -> bool:
    """Two dated reports framed by a day's period or a tally, ``SERIES_APART_HOURS`` or
    more apart (epoch seconds): different days' items, so different developments."""
    return a_daily and b_daily and abs(a_when - b_when) >= SERIES_APART_HOURS * 3600.0
