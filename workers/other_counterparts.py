"""A name two reports share half a day or more apart, whose headlines each name someone
the other report does not (pure).

The check's place band (workers/link_evidence.py) reads a name that only its best
candidate shares with the newcomer as evidence of one development (Medvedchuk's arrest,
Kubrakov's dismissal). A person in the news makes a development a day, though, and the
band's cosine (0.80-0.85) is where one person's two developments score too: a leader
arrives in one capital in the evening and receives a guest in another the next morning;
one leader meets an envoy, and the next day another leader calls the envoy's president,
a report that names the first leader only as what came before. Versions of one
development written hours apart tell who did what with whom; these two share the
person alone, and each headline names a counterpart, a place or an institution that the
other report never writes.

So a shared name is no evidence (``other_counterparts``) when the two stories began
``LinkConfig.counterpart_hours`` or more apart (read as the check's other hours rules read
them, ``LinkConfig.day_hours``: a report dated by its day only and one timed that day
are 0 h apart, not the hours since the day's first instant that the place band reads)
and each side's headline writes a name key (workers/link_names.py ``name_keys``) that
the other side's texts do not. Under those
hours versions of one development are read as before: independently written reports of
one event name their sources and officials differently (a Russian report's aide beside an
English report's spokesman), and the keys miss some spellings across scripts ("Уиткофф"
/ "Witkoff"), so names in conflict alone are too weak a reading of the same day. A
headline with no name of its own (a title in Title Case, whose capitals say nothing; a
subject named first, where a capital is grammar) reads as naming no one, and the shared
name stands.
"""

from __future__ import annotations

from collections.abc import Sequence

from workers.link_names import name_keys
from workers.previews import headline


def other_counterparts(
    text: str, others: Sequence[str], hours: float, counterpart_hours: float | None
) -> bool:
    """Whether ``text`` (the newcomer's link text) and a candidate's ``others``, whose
    stories began ``hours`` apart, are read as one person's two developments: at least
    ``counterpart_hours`` apart (None: never), and each side's headline writes a name the
    other side's texts do not (module docstring)."""
    if counterpart_hours is None or hours < counterpart_hours or not others:
        return False
    ours = name_keys(text)
    theirs = frozenset().union(*(name_keys(o) for o in others))
    ours_headline = name_keys(headline(text))
    theirs_headline = frozenset().union(*(name_keys(headline(o)) for o in others))
    return bool(ours_headline - theirs) and bool(theirs_headline - ours)
