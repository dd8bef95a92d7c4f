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
and each side's headline names someone or somewhere of its own (``_names_its_own``): a
name key (workers/link_names.py ``name_keys``) the other side's texts do not write, or a
city or region the gazetteer reads in it (workers/places.py ``specific_places``) that
the other side's texts do not name in any script. ``name_keys`` leaves places out, as
they are evidence of their own, so the places are read here by the gazetteer's readings
("Брюссель" and "Brussels" are one place, not two spellings). Countries are left out:
English writes a country as an adjective more often than Ukrainian and Russian do
("Turkish President" / "Президент Турции"), which the gazetteer does not read, so a
country would read as a counterpart between versions. Under those
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
from workers.places import specific_places
from workers.previews import headline


def other_counterparts(
    text: str, others: Sequence[str], hours: float, counterpart_hours: float | None
) -> bool:
    """Whether ``text`` (the newcomer's link text) and a candidate's ``others``, whose
    stories began ``hours`` apart, are read as one person's two developments: at least
    ``counterpart_hours`` apart (None: never), and each side's headline writes a name or
    names a place the other side's texts do not (module docstring)."""
    if counterpart_hours is None or hours < counterpart_hours or not others:
        return False
    return _names_its_own([text], others) and _names_its_own(others, [text])


def _names_its_own(texts: Sequence[str], others: Sequence[str]) -> bool:
    """Whether a headline of ``texts`` writes a name key or names a city or region that
    no text of ``others`` writes (module docstring)."""
    headlines = [headline(t) for t in texts]
    keys = frozenset().union(*(name_keys(h) for h in headlines))
    if keys and keys - frozenset().union(*(name_keys(o) for o in others)):
        return True
    places = frozenset().union(*(specific_places(h) for h in headlines))
    return bool(places) and bool(places - frozenset().union(*(specific_places(o) for o in others)))
