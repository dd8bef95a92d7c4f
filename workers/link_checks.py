"""Link checks: the embedding's verdict on a report the n-grams left in the band
(workers/story_linking.py), given after the report has a story of its own (pure).

    report in the band ──► its own story at once, and a LinkCheck queued: the newcomer's
                           story, its text, and the band's candidate stories with the
                           texts of theirs to compare
                       ──► ``check_scores``: the embedding cosine of the newcomer's text
                           with each candidate's texts (the slow part: the process worker
                           runs it in a child process, workers/link_check_pool.py)
                       ──► ``linked_candidates``: the candidates at ``same_cosine`` or
                           more, best first; ``Clusterer.resolve_check`` merges the best
                           with the newcomer's story, and the others that are parts of
                           the best's development split in its language

The queue is part of the clusterer's state: snapshotted with it and rebuilt by the replay
of the clustering log (a check is queued by ``Clusterer.add``, and the log records each
answer), so a kill -9 loses no check and answers none twice. It is bounded: a full queue
drops its oldest check (a missed link only shows a development twice) and counts it.

A story started by a report with a check waiting is announced (``story.created``) when the
check is answered: by ``story.merged`` if it links to an announced story, else by
``story.created`` then (for the survivor when it links to another waiting story, followed
by ``story.merged``). So a development told in two languages is announced once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from workers.embedding import Embed


@dataclass(slots=True)
class LinkCheck:
    """One report's pending link: its story and the band's candidates, best first."""

    id: int
    story: str  # the newcomer's story (a merge renames it to the survivor)
    text: str  # the newcomer's headline and lead
    candidates: list[tuple[str, list[str]]]  # story id, texts of its kept reports
    announce: bool  # the story's story.created waits for this check

    def texts(self) -> list[list[str]]:
        """What ``check_scores`` compares: the newcomer's text, then each candidate's."""
        return [[self.text], *(texts for _, texts in self.candidates)]

    def to_json(self) -> list[Any]:
        return [self.id, self.story, self.text, self.candidates, self.announce]

    @classmethod
    def from_json(cls, raw: list[Any]) -> LinkCheck:
        check_id, story, text, candidates, announce = raw
        return cls(check_id, story, text, [(s, list(t)) for s, t in candidates], announce)


def scores_known(texts: Sequence[Sequence[str]]) -> list[float] | None:
    """``check_scores`` without embedding anything when no candidate has texts left (each
    was merged into the newcomer's story, ``CheckQueue.merged``): -1 each; else None."""
    if any(texts[1:]):
        return None
    return [-1.0] * len(texts[1:])


def check_scores(texts: Sequence[Sequence[str]], embed: Embed) -> list[float]:
    """Per candidate, the best embedding cosine of the newcomer's text (``texts[0][0]``)
    with the candidate's texts (``texts[1:]``, as ``LinkCheck.texts`` lists them); -1 (the
    lowest cosine) for a candidate with no texts left to compare (``CheckQueue.merged``)."""
    known = scores_known(texts)
    if known is not None:
        return known
    flat = [text for group in texts for text in group]
    vectors = np.asarray(embed(flat), dtype=np.float32)
    newcomer, at = vectors[0], 1
    scores = []
    for group in texts[1:]:
        group_vectors = vectors[at : at + len(group)]
        scores.append(max((float(newcomer @ v) for v in group_vectors), default=-1.0))
        at += len(group)
    return scores


def linked_candidates(
    check: LinkCheck,
    scores: Sequence[float],
    same_cosine: float,
    accepted: Sequence[bool] | None = None,
) -> list[str]:
    """The candidate stories at ``same_cosine`` or more (or, given ``accepted``, those it
    marks: the check's decision, workers/link_evidence.py), best score first (the first
    queued of equal ones). A candidate that has become the check's own story (a merge
    renamed it) is passed over. More than one: the development may be split in the other
    language (``Clusterer.resolve_check`` decides which of them merge)."""
    ranked = sorted(
        (-score, at, story)
        for at, ((story, _), score) in enumerate(zip(check.candidates, scores, strict=True))
        if story != check.story and (score >= same_cosine if accepted is None else accepted[at])
    )
    return list(dict.fromkeys(story for _, _, story in ranked))


class CheckQueue:
    """Pending link checks in the order they were queued, at most ``limit``."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._checks: dict[int, LinkCheck] = {}
        self._next = 0
        self.dropped = 0  # how many checks a full queue dropped, ever
        self._dropped_since: list[LinkCheck] = []  # not yet taken (``take_dropped``)
        self._waiting: dict[str, int] = {}  # story -> the check its announcement waits for
        self._named: dict[str, int] = {}  # story -> how many pending checks name it
        self._rechecks: dict[str, int] = {}  # story -> its pending checks that announce none
        self._released: list[str] = []  # named by none any more, since ``take_released``

    def __len__(self) -> int:
        return len(self._checks)

    def add(
        self, story: str, text: str, candidates: list[tuple[str, list[str]]], announce: bool = True
    ) -> LinkCheck:
        """Queue a check for ``story``: newly started, its announcement waits (``announce``);
        else a story already announced that a report of its language joined."""
        while len(self._checks) >= self.limit:
            dropped = self.take(next(iter(self._checks)))
            assert dropped is not None
            self._dropped_since.append(dropped)
            self.dropped += 1
        check = LinkCheck(self._next, story, text, candidates, announce=announce)
        self._checks[check.id] = check
        self._name(check, 1)
        if announce:
            self._waiting[story] = check.id
        self._next += 1
        return check

    def pending(self) -> list[LinkCheck]:
        """The checks waiting for an answer, oldest first."""
        return list(self._checks.values())

    def get(self, check_id: int) -> LinkCheck | None:
        """The pending check (None: answered already, or dropped)."""
        return self._checks.get(check_id)

    def take(self, check_id: int) -> LinkCheck | None:
        """Remove and return the check (None: answered already, or dropped)."""
        check = self._checks.pop(check_id, None)
        if check is not None:
            self._name(check, -1)
            if check.announce:
                self._waiting.pop(check.story, None)
        return check

    def _name(self, check: LinkCheck, by: int) -> None:
        """Count the stories ``check`` names (its own and its candidates) by ``by``, and
        its story's checks that announce nothing."""
        if not check.announce:
            rechecks = self._rechecks.get(check.story, 0) + by
            if rechecks > 0:
                self._rechecks[check.story] = rechecks
            else:
                del self._rechecks[check.story]
        for story in {check.story, *(sid for sid, _ in check.candidates)}:
            count = self._named.get(story, 0) + by
            if count > 0:
                self._named[story] = count
            else:
                del self._named[story]
                self._released.append(story)

    def take_dropped(self) -> list[LinkCheck]:
        """The checks dropped since the last call."""
        dropped, self._dropped_since = self._dropped_since, []
        return dropped

    def names(self, story: str) -> bool:
        """Whether a pending check names ``story`` (as its own or a candidate)."""
        return story in self._named

    def take_released(self) -> list[str]:
        """The stories no pending check names any more since the last call (some may be
        named again since, or be gone: the caller checks)."""
        released, self._released = self._released, []
        return released

    def may_recheck(self, story: str) -> bool:
        """Whether a check for ``story`` grown by a report of its language may be queued:
        none of its re-checks is pending (one at a time: a burst of reports to a busy
        story queues one check, not one a report), and the queue has room (a re-check
        never drops a check whose story's announcement waits)."""
        return story not in self._rechecks and len(self._checks) < self.limit

    def waiting(self, story: str) -> bool:
        """Whether ``story``'s announcement waits for a check."""
        return story in self._waiting

    def merged(self, survivor: str, absorbed: str) -> None:
        """Two stories merged: checks name the survivor from now on, and neither waits
        to be announced any more (``story.merged`` announces the survivor). A candidate
        that became the check's own story keeps its place (scores in flight, and those
        the log recorded, are by position) but loses its texts: nothing to embed, and
        ``linked_candidates`` passes it over."""
        self._waiting.pop(survivor, None)
        self._waiting.pop(absorbed, None)
        pair = (survivor, absorbed)
        for check in self._checks.values():
            if check.story not in pair and all(sid not in pair for sid, _ in check.candidates):
                continue
            self._name(check, -1)
            if check.story in pair:
                check.story, check.announce = survivor, False
            renamed = ((survivor if sid == absorbed else sid, texts)
                       for sid, texts in check.candidates)  # fmt: skip
            check.candidates = [
                (sid, [] if sid == check.story else texts) for sid, texts in renamed
            ]
            self._name(check, 1)

    def snapshot(self) -> dict[str, Any]:
        return {
            "next": self._next,
            "dropped": self.dropped,
            "checks": [c.to_json() for c in self._checks.values()],
        }

    @classmethod
    def restore(cls, state: dict[str, Any], limit: int) -> CheckQueue:
        self = cls(limit)
        self._next, self.dropped = state["next"], state["dropped"]
        for raw in state["checks"]:
            check = LinkCheck.from_json(raw)
            self._checks[check.id] = check
            self._name(check, 1)
            if check.announce:
                self._waiting[check.story] = check.id
        return self
