"""workers.link_checks: the queue of pending link checks and how a check is scored."""

from __future__ import annotations

import json
from collections.abc import Sequence

import numpy as np

from workers.link_checks import CheckQueue, LinkCheck, check_scores, linked_candidates


def by_first_letter(texts: Sequence[str]) -> np.ndarray:
    """Texts that begin alike embed alike (unit vectors)."""
    vectors = np.zeros((len(texts), 26), dtype=np.float32)
    for row, text in enumerate(texts):
        vectors[row, ord(text[0].lower()) - ord("a")] = 1.0
    return vectors


def test_scores_are_the_best_cosine_per_candidate() -> None:
    check = LinkCheck(0, "st_new", "kharkiv", [("st_a", ["lviv", "kyiv strike"]),
                                               ("st_b", ["kharkiv strike"])], True)  # fmt: skip
    scores = check_scores(check.texts(), by_first_letter)
    assert scores == [1.0, 1.0]
    check = LinkCheck(0, "st_new", "odesa", check.candidates, True)
    assert check_scores(check.texts(), by_first_letter) == [0.0, 0.0]


def test_a_check_with_no_candidate_texts_left_embeds_nothing() -> None:
    def refuse(texts: Sequence[str]) -> np.ndarray:
        raise AssertionError(f"embedded {texts}")

    check = LinkCheck(0, "st_new", "kharkiv", [("st_new", []), ("st_new", [])], False)
    assert check_scores(check.texts(), refuse) == [-1.0, -1.0]


def test_candidates_at_the_threshold_link_best_first() -> None:
    check = LinkCheck(0, "st_new", "x", [("st_a", ["a"]), ("st_b", ["b"]), ("st_c", ["c"])], True)
    assert linked_candidates(check, [0.80, 0.90, 0.86], 0.85) == ["st_b", "st_c"]
    assert linked_candidates(check, [0.86, 0.86, 0.10], 0.85) == [
        "st_a",
        "st_b",
    ]  # equals: queued first
    assert linked_candidates(check, [0.84, 0.10, 0.80], 0.85) == []


def test_a_full_queue_drops_its_oldest_check_and_counts_it() -> None:
    queue = CheckQueue(limit=2)
    first = queue.add("st_1", "one", [("st_a", ["a"])])
    queue.add("st_2", "two", [("st_a", ["a"])])
    queue.add("st_3", "three", [("st_a", ["a"])])
    assert [c.story for c in queue.pending()] == ["st_2", "st_3"]
    assert queue.dropped == 1
    assert [c.id for c in queue.take_dropped()] == [first.id]
    assert queue.take_dropped() == []
    # The dropped check's story no longer waits: its caller announces it.
    assert not queue.waiting("st_1") and queue.waiting("st_2")


def test_a_merge_renames_stories_and_ends_their_wait() -> None:
    queue = CheckQueue(limit=10)
    queue.add("st_new", "text", [("st_old", ["a"]), ("st_other", ["b"])])
    queue.add("st_later", "text", [("st_new", ["c"])])
    queue.merged("st_old", "st_new")
    first, second = queue.pending()
    assert first.story == "st_old" and not first.announce
    assert [sid for sid, _ in first.candidates] == ["st_old", "st_other"]
    assert [sid for sid, _ in second.candidates] == ["st_old"] and second.announce
    assert not queue.waiting("st_new") and not queue.waiting("st_old")
    assert queue.waiting("st_later")
    assert queue.names("st_old") and not queue.names("st_new")
    queue.take(first.id)
    assert queue.names("st_old")  # the later check names it still
    queue.take(second.id)
    assert not any(queue.names(s) for s in ("st_old", "st_other", "st_later"))
    assert {"st_old", "st_other", "st_later"} <= set(queue.take_released())


def test_the_queue_restores_from_its_snapshot() -> None:
    queue = CheckQueue(limit=1)
    queue.add("st_1", "one", [("st_a", ["a"])])
    queue.add("st_2", "two", [("st_a", ["a"])])
    restored = CheckQueue.restore(json.loads(json.dumps(queue.snapshot())), limit=1)
    assert [c.to_json() for c in restored.pending()] == [c.to_json() for c in queue.pending()]
    assert restored.dropped == 1 and restored.waiting("st_2")
    assert restored.add("st_3", "three", []).id == queue.add("st_3", "three", []).id


def test_a_candidate_merged_into_the_newcomers_story_gives_way_to_the_next() -> None:
    queue = CheckQueue(limit=10)
    check = queue.add("st_new", "x", [("st_a", ["a"]), ("st_b", ["b"])])
    scores = [0.97, 0.9]  # scored while it waited; then st_a and st_new merged
    queue.merged("st_new", "st_a")
    assert [sid for sid, _ in check.candidates] == ["st_new", "st_b"]
    assert linked_candidates(check, scores, 0.85) == ["st_b"]
    # Scored from now on, it embeds nothing for the candidate that is its own story.
    assert check.texts() == [["x"], [], ["b"]]
    embedded: list[str] = []

    def recording(texts: Sequence[str]) -> np.ndarray:
        embedded.extend(texts)
        return by_first_letter(texts)

    assert check_scores(check.texts(), recording) == [-1.0, 0.0]
    assert embedded == ["x", "b"]


def test_a_check_for_an_announced_story_keeps_no_announcement_waiting() -> None:
    queue = CheckQueue(10)
    grown = queue.add("st_a", "text", [("st_b", ["other"])], announce=False)
    assert not grown.announce and not queue.waiting("st_a") and queue.names("st_b")
    new = queue.add("st_c", "text", [("st_b", ["other"])])
    assert new.announce and queue.waiting("st_c")
    assert queue.take(grown.id) is grown and queue.waiting("st_c") and queue.names("st_b")


def test_a_story_is_checked_again_once_at_a_time_and_only_into_room() -> None:
    queue = CheckQueue(2)
    grown = queue.add("st_a", "text", [("st_b", ["other"])], announce=False)
    assert not queue.may_recheck("st_a") and queue.may_recheck("st_c")
    queue.merged("st_d", "st_a")
    assert queue.may_recheck("st_a") and not queue.may_recheck("st_d")
    queue.add("st_e", "text", [("st_b", ["other"])])
    assert not queue.may_recheck("st_f")  # full: a check again would drop one
    restored = CheckQueue.restore(queue.snapshot(), 3)
    assert not restored.may_recheck("st_d") and restored.may_recheck("st_e")
    assert queue.take(grown.id) is grown and queue.may_recheck("st_d")
