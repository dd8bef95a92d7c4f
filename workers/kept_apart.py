"""A link check's candidate holding the newcomer's outlet's own report that the
newcomer's clusterer kept apart (pure).

A check compares the newcomer's story with a candidate story through one of the
candidate's kept reports in another language. When the candidate story began in the
newcomer's language, it is posted in that language's index (workers/cluster.py indexes a
story under its first language), so the same-language clusterer read the newcomer
against that story's own reports and did not join them; when the story also holds a
report of the newcomer's own outlet, that outlet filed the two as separate items, in one
language, and the clusterer, with one language's full evidence, agreed. A cross-language
cosine from the band then overrules both with weaker evidence: an outlet that publishes
in two languages (the Office of the President's speech to the Joint Expeditionary Force
and its statement after meeting three ministers, each in English and Ukrainian, on one
day) files items of one kind whose texts the embedding reads as one development. Such a
candidate links only from ``LinkConfig.own_outlet_cosine`` (docs/design.md, "A candidate
holding the newcomer's outlet's own report").

The outlets compared are every outlet of the check's story: the newcomer's own for a new
story's check, all of the story's for a grown story's check and for the other candidates
of an immediate link. An outlet is the feed's configured name or its title
(workers/normalize.py); an empty one (a feed with neither) names no outlet, so two
stories of untitled feeds share none.
"""

from __future__ import annotations

from collections.abc import Collection


def kept_apart(
    own_language: str,
    own_outlets: Collection[str],
    candidate_language: str,
    candidate_outlets: Collection[str],
    cosine: float,
    own_outlet_cosine: float | None,
) -> bool:
    """Whether a check's candidate at ``cosine`` is refused: its story began in the
    language the check's story began in (each story's first language, whose clusterer
    kept the two apart), it holds a report of an outlet the check's story holds, and the
    cosine is short of ``own_outlet_cosine`` (``LinkConfig.own_outlet_cosine``; None: never
    refused)."""
    return (
        own_outlet_cosine is not None
        and cosine < own_outlet_cosine
        and own_language == candidate_language
        and any(outlet and outlet in candidate_outlets for outlet in own_outlets)
    )
