"""A link check's candidate that a rival nearly ties and that began much further in time
from the newcomer than that rival (pure).

A check ranks its candidates by the embedding's cosine and links the best. When two
candidates read almost alike (cosines within ``LinkConfig.tie_cosine``), the embedding
does not say which one is the newcomer's development: both tell one affair of the same
people and places, and one of them is a neighbouring step of it (the announcement the
evening before, the previous day's visit). The hours do say: versions of one development
are filed within hours of each other, its neighbouring steps a day apart. So below
``sure_cosine`` a candidate is refused when a rival at most ``tie_cosine`` below it (or
anywhere above it) began more than ``tie_hours`` closer to the newcomer's story; the
rival is decided on its own evidence. Real cases (docs/design.md, "A near tie goes to
the nearer candidate"): the Russian "Finland officially became NATO's 31st member"
against the Ukrainian preview "Finland will officially become a NATO member on 4 April"
(0.873, began 18.3 h before) and the English accession story (0.867, 0 h); the Russian
"the Kremlin says Putin's trip to Mariupol took place on 18-19 March" against Putin's
visit to Sevastopol the day before (0.857, 13.2 h) and a rival at 0.850 that began
with it (0 h).

Two timed stories (``LinkEvidence.timed``: both first reports carry their filing time)
short of ``sure_cosine`` link only when the candidate beats every other compared candidate
by more than ``tie_cosine``, whatever the hours (``LinkConfig.timed_ties``): their hours
are exact, and a rival that close (or above) filed within hours is a neighbouring step of
one affair (the Ukrainian "strike on the substation in Slavutych" beside the Ukrainian
"blackout at the Chernobyl plant" in the check of the Russian report of the blackout),
which the embedding does not tell apart; a missed link only shows a development twice, a
wrong one hides it. So a check's further candidate of two timed stories needs a sure
cosine.

A rival the check's decision refuses on its own evidence (``link_evidence.linked``: its
hours, its band) ties a timed candidate only when it scores at least as high and began
at most ``LinkConfig.refused_rival_hours`` further from the newcomer's story than the
candidate (0 by default: only a rival that began nearer, or as near: at the same hours
the time tells neither apart). A refused rival below the candidate reads no development
of the newcomer's ("Cardinal Prevost elected Pope Leo XIV" against "Ukraine hopes for the
Vatican's further support", refused, 0.009 below), and a refused one above that began
further away is mostly the affair's earlier step, the nearer in time being the
newcomer's development as above (the English "Russia, the US and Ukraine meet in Abu
Dhabi" against the Russian preview "talks will take place in Abu Dhabi", 7.7 h, and the
talks' own story, 4.4 h; the Ukrainian "Trump imposed tariffs on eight countries over
Greenland" against the previous day's threat of them, 21.7 h, and the Russian report of
the tariffs, 0.4 h). Not always: the nearer can be the other step (the English preview
"Zelenskyy to meet Canada's PM", 4.4 h before the Russian "Zelensky arrived in Canada",
beside refused rivals above it 12 h and 31 h away), which the headline rules
(``story_linking.headlines_apart``, the procedure steps there) refuse. A rival the
decision links ties it as before (the substation strike beside the blackout).

A rival naming the candidate's own story is no rival: a check waiting while two of its
candidates merged names the survivor twice (workers/link_checks.py ``CheckQueue.merged``),
each time with the texts it held, and one story does not tie with itself.
"""

from __future__ import annotations

from collections.abc import Sequence

from workers.link_evidence import LinkEvidence


def nearer_rival(
    evidence: Sequence[LinkEvidence | None],
    tie_cosine: float | None,
    tie_hours: float,
    sure_cosine: float | None,
    timed_ties: bool = False,
    stories: Sequence[str] | None = None,
    links: Sequence[bool] | None = None,
    refused_rival_hours: float | None = None,
) -> list[bool]:
    """Per candidate of a check (its evidence; None: nothing compared), whether a nearer
    rival overrules it: its cosine is short of ``sure_cosine`` and another candidate's is
    at least its own less ``tie_cosine``, that candidate's story having begun more than
    ``tie_hours`` closer to the newcomer's (``LinkEvidence.hours``), or, with
    ``timed_ties``, the candidate's and the newcomer's stories being timed, whenever it
    began. ``stories``: each candidate's story, a rival of the same story not counted
    (None: every candidate its own). ``links``: the check's decision per candidate; with
    ``refused_rival_hours`` a rival it refuses ties a timed candidate only as
    ``timed_tie`` says (None: every rival ties). ``tie_cosine`` None: nothing is
    overruled."""
    out = []
    for at, mine in enumerate(evidence):
        out.append(
            tie_cosine is not None
            and mine is not None
            and (sure_cosine is None or mine.cosine < sure_cosine)
            and any(
                rival is not None
                and k != at
                and (stories is None or stories[k] != stories[at])
                and rival.cosine >= mine.cosine - tie_cosine
                and (
                    (
                        timed_ties
                        and mine.timed
                        and timed_tie(mine, rival, links is None or links[k], refused_rival_hours)
                    )
                    or rival.hours < mine.hours - tie_hours
                )
                for k, rival in enumerate(evidence)
            )
        )
    return out


def timed_tie(
    mine: LinkEvidence, rival: LinkEvidence, rival_linked: bool, refused_rival_hours: float | None
) -> bool:
    """Whether ``rival``, within the tie of the timed candidate ``mine``, ties it: always
    when the decision links the rival (``rival_linked``) or ``refused_rival_hours`` is None;
    a refused rival only when it scores at least as high and began at most
    ``refused_rival_hours`` further from the newcomer's story than the candidate (at the
    same hours the time tells neither apart, and the tie stands)."""
    if rival_linked or refused_rival_hours is None:
        return True
    return rival.cosine >= mine.cosine and rival.hours <= mine.hours + refused_rival_hours
