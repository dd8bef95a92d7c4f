"""The n-grams link a report at once only when one report of the story shares them (pure).

A candidate story's n-gram cosine (workers/story_linking.py, ``Linker._candidates``) sums,
gram by gram, the report's weights against the story's postings: per language the heaviest
weight any of its kept reports gives the gram, added up over the story's languages. So the
score reads the story's reports together, and a story told in two languages counts a name
they both write twice. Together, an affair's reports of one day cover its vocabulary: the
names of its actors, its institution, its verbs. A report of another step of the affair
(the border guard chief to be replaced, beside the offer of the President's Office to
another man, both announced by the President the same afternoon; the flag over a town
beside the withdrawal from its region) shares a little of each report (the President's
name in one, "head" and "office" in another) and reaches the level at which the n-grams
link without the model (``LinkConfig.gram_link``), while no single report says what it
says. A version of a development shares its names, places and numbers with one report of
it, which reaches that level on its own.

So the n-grams decide a link at once only when one comparable kept report of the story
(in another language, in the window) shares ``gram_link`` with the report by itself
(``one_report_shares``); a story that reaches it only through its reports together is left
to the link check, as a band candidate, and the embedding decides between the affair's
steps (docs/design.md, "One report decides an immediate link").
"""

from __future__ import annotations

from collections.abc import Iterable


def gram_dot(a: dict[str, float], b: dict[str, float]) -> float:
    """The dot product of two reports' unit n-gram weights (their n-gram cosine)."""
    if len(b) < len(a):
        a, b = b, a
    return sum(w * b.get(gram, 0.0) for gram, w in a.items())


def one_report_shares(
    grams: dict[str, float], kept: Iterable[dict[str, float]], level: float
) -> bool:
    """Whether one of the ``kept`` reports' n-grams shares ``level`` or more with
    ``grams`` (a report's) by itself."""
    return any(gram_dot(grams, other) >= level for other in kept)
