"""ETags and If-None-Match (service/api/conditional.py)."""

from __future__ import annotations

from service.api.conditional import etag_matches, etag_of


def test_if_none_match_uses_weak_comparison_and_lists() -> None:
    tag = etag_of(b"x")
    assert etag_matches(tag, tag) and etag_matches(f"W/{tag}", tag)
    assert etag_matches(f'"a", {tag}', tag)
    assert etag_matches("*", tag) and not etag_matches('"other"', tag)
