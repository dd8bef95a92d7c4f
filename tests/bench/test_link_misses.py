"""bench/link_misses.py: a missed version pair's cause, from what the run recorded."""

from __future__ import annotations

from bench.link_misses import Compared, Triage, Watch, cause
from workers.story_linking import DEFAULT_LINKING

TIMED = {"a": True, "b": True, "c": False, "d": False}


def compared(cosine: float, hours: float, shared: bool, firsts: tuple[str, str] = ("a", "b")
             ) -> Compared:  # fmt: skip
    return Compared(frozenset({"a"}), frozenset({"b"}), cosine, hours, shared, False, firsts)


def test_a_check_that_compared_the_two_stories_names_what_it_lacked() -> None:
    def why(*checks: Compared) -> str:
        return cause("a", "b", Watch(compared=list(checks)), DEFAULT_LINKING, TIMED)

    assert why(compared(0.78, 1.0, True)) == "cosine < 0.80"
    assert why(compared(0.82, 1.0, False)) == "band, nothing shared"
    assert why(compared(0.82, 30.0, True)) == "hours, timed"
    assert why(compared(0.87, 30.0, False), compared(0.79, 1.0, True)) == "hours, timed"
    assert why(compared(0.87, 30.0, False, ("c", "b"))) == "hours, one first report date-only"
    assert why(compared(0.87, 30.0, False, ("c", "d"))) == "hours, both first reports date-only"
    linked = Compared(frozenset({"b"}), frozenset({"a"}), 0.95, 1.0, False, True, ("a", "b"))
    assert why(linked) == "refused"


def test_without_a_check_the_later_rows_triage_says_where_it_stopped() -> None:
    def why(triage: Triage | None) -> str:
        watch = Watch(triage={} if triage is None else {"b": triage})
        return cause("a", "b", watch, DEFAULT_LINKING, TIMED)

    story_a = frozenset({"a"})
    assert why(None) == "own language"
    assert why(Triage()) == "no shared gram"
    assert why(Triage(scored=[(story_a, 0.001, 0)])) == "below floor"
    assert why(Triage(scored=[(story_a, 0.05, 6)])) == "not in top"
    assert why(Triage(scored=[(story_a, 0.05, 0)])) == "filtered"
    assert why(Triage(scored=[(story_a, 0.05, 0)], linked=frozenset({"x"}))) == "n-grams elsewhere"
