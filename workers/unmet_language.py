"""A timed candidate in languages the newcomer's story does not write (pure).

A check compares a newcomer's story with stories of other languages. When the candidate's
story already holds a report in a language of the newcomer's story, that language's
clusterer read the newcomer beside it and kept it apart: a version of the candidate's
event filed in that language would usually have joined it there, an affair's next step
(the reaction, the next act) would not. A candidate told only in other languages has had
no such reading, and a version told across scripts often scores under the timed place
band's start (``LinkConfig.timed_place_cosine``) for its translation alone. So, of two
timed stories, such a candidate's place band starts at ``LinkConfig.unmet_place_cosine``
(with a place, count or name shared, under ``timed_apart_hours`` as before)
(docs/design.md, "A timed candidate in languages the newcomer does not write").
"""

from __future__ import annotations

from collections.abc import Iterable


def unmet_language(own_languages: Iterable[str], candidate_languages: Iterable[str]) -> bool:
    """Whether the candidate's story holds no report in a language of the newcomer's
    story (``own_languages``): no clusterer of one language has read the two."""
    return set(own_languages).isdisjoint(candidate_languages)


def unmet_band_start(
    start: float | None, unmet: bool, timed_band: bool, unmet_cosine: float | None
) -> float | None:
    """Where the place band starts for a candidate: ``unmet_cosine`` when the band reads
    two timed stories (``timed_band``) and the candidate's languages are ``unmet``
    (``unmet_language``), if it is lower than ``start``; else ``start``. None (``start``
    or ``unmet_cosine``): as ``start``."""
    if start is None or unmet_cosine is None or not (unmet and timed_band):
        return start
    return min(start, unmet_cosine)
