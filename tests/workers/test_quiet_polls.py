"""Quiet polls (workers/quiet_polls.py): which polls count as quiet, and when their
summary is due."""

from __future__ import annotations

from workers.quiet_polls import QuietPolls


def test_only_polls_without_news_or_error_are_quiet() -> None:
    assert QuietPolls.is_quiet("not_modified", None)
    assert QuietPolls.is_quiet("unchanged", None)
    assert not QuietPolls.is_quiet("new_entries", None, 1)
    # A changed document with nothing new in it (a rewritten build date, a fresh token).
    assert QuietPolls.is_quiet("new_entries", None)
    assert QuietPolls.is_quiet("new_entries", None, 0)
    assert not QuietPolls.is_quiet("gone", None)
    assert not QuietPolls.is_quiet("error", "HTTP 500 Internal Server Error")


def test_a_summary_is_due_once_the_period_since_the_first_poll_has_passed() -> None:
    quiet = QuietPolls(every=60.0)
    assert quiet.add("not_modified", now=100.0) is None
    assert quiet.add("unchanged", now=130.0) is None
    assert quiet.add("not_modified", now=159.9) is None
    assert quiet.add("not_modified", now=160.0) == ({"not_modified": 3, "unchanged": 1}, 60.0)
    # A new summary starts with the next poll, not at the last summary's end.
    assert quiet.add("unchanged", now=500.0) is None
    assert quiet.take(now=510.0) == ({"unchanged": 1}, 10.0)
    assert quiet.take(now=520.0) is None
