"""ETags and If-None-Match (service/api/conditional.py)."""

from __future__ import annotations

from service.api.conditional import _matches, etag_of


def test_if_none_match_uses_weak_comparison_and_lists() -> None:
    tag = etag_of(b"x")
    assert _matches(tag, tag) and _matches(f"W/{tag}", tag) and _matches(f'"a", {tag}', tag)
    assert _matches("*", tag) and not _matches('"other"', tag)
