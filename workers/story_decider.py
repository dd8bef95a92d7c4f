"""Where an article goes: the decision path the story stage and ``cluster-eval`` share (pure).

    article ──► a copy of a recent article (workers/dedupe.py)?  fold it under the original,
                in the original's story (the caller knows which story that is)
            ──► else: make it findable for its own copies, and cluster it
                (workers/cluster.py: retrieval, verification, join or start a story)

Live blogs and roundups (by their headline, workers/story_kinds.py) take no part in copy
detection: two editions of one live blog share most of their text and would fold into one,
and a live blog's entry repeats the item it covers word for word, which is a different
development on the page.

Time is stream time: the article's date, capped at ``now`` (never later than the clock of
the caller: an article dated in the future counts as of ``now``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from workers.cluster import ClusterConfig, ClusterDoc, Clusterer, LinkAnswer, StoryUpdate
from workers.dedupe import NearDuplicateIndex
from workers.link_checks import LinkCheck, check_scores
from workers.story_kinds import is_roundup_title
from workers.story_linking import Embed

CheckObserver = Callable[[Clusterer, LinkCheck, list[float]], None]


def article_time(published: datetime, now: datetime) -> datetime:
    """An article's place in stream time: its date, never later than ``now``."""
    return min(published, now)


class StoryDecider:
    """The near-duplicate index and the clusterer of one partition, used in one order."""

    def __init__(self, config: ClusterConfig | None = None) -> None:
        self.config = config or ClusterConfig()
        self.near = NearDuplicateIndex()
        self.clusterer = Clusterer(self.config)
        self._last: tuple[ClusterDoc | None, bool] = (None, False)

    def copy_of(self, doc: ClusterDoc, now: datetime) -> str | None:
        """The earlier article ``doc`` copies, if any (its story is the caller's to find)."""
        if self._roundup(doc):
            return None
        return self.near.find(doc, article_time(doc.published, now))

    def cluster(self, doc: ClusterDoc, now: datetime) -> StoryUpdate:
        """``doc`` is an original: findable for its copies from now on, and clustered."""
        if not self._roundup(doc):
            self.near.add(doc, article_time(doc.published, now))
        return self.clusterer.add(doc, now)

    def answer_checks(self, embed: Embed, observe: CheckObserver | None = None) -> list[LinkAnswer]:
        """Score and answer every pending link check now, oldest first (``cluster-eval``
        does this after each batch, where the service scores them in a child process and
        answers them in its next batch). ``observe`` sees each check and its scores just
        before it is answered (bench/fit_link_check.py reads the evidence there)."""
        answers = []
        for check in self.clusterer.pending_checks():
            scores = check_scores(check.texts(), embed)
            if observe is not None:
                observe(self.clusterer, check, scores)
            answer = self.clusterer.resolve_check(check.id, scores)
            if answer is not None:
                answers.append(answer)
        return answers

    def _roundup(self, doc: ClusterDoc) -> bool:
        last = self._last[0]
        if last is None or last.title != doc.title:  # copy_of and cluster ask about one
            self._last = (doc, is_roundup_title(doc.title))
        return self._last[1]

    def snapshot(self) -> dict[str, Any]:
        return {"clusterer": self.clusterer.snapshot(), "near": self.near.snapshot()}

    @classmethod
    def restore(cls, snapshot: dict[str, Any], config: ClusterConfig | None = None) -> StoryDecider:
        decider = cls(config)
        decider.clusterer = Clusterer.restore(snapshot["clusterer"], decider.config)
        decider.near = NearDuplicateIndex.restore(snapshot["near"])
        return decider
