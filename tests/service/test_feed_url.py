"""canonical_feed_url: one spelling per feed URL (RFC 3986 §6.2.2–6.2.3)."""

from __future__ import annotations

import pytest

from service.feed_url import canonical_feed_url


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("https://Example.com:443/rss", "https://example.com/rss"),
        ("http://example.com:80/a?b=1", "http://example.com/a?b=1"),
        ("HTTPS://Example.com:443/rss", "https://example.com/rss"),
        ("Http://example.com:80", "http://example.com/"),
        ("HTTPS://пример.рф/rss", "https://xn--e1afmkfd.xn--p1ai/rss"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com?x=1", "https://example.com/?x=1"),
        ("http://127.0.0.1:8123/f.xml", "http://127.0.0.1:8123/f.xml"),
        ("https://example.com:8443/rss", "https://example.com:8443/rss"),
        # Malformed: kept as typed, for the SSRF guard to refuse with its reason.
        ("http://exa mple.com/x", "http://exa mple.com/x"),
        ("http://example.com/feed\nHost: x", "http://example.com/feed\nHost: x"),
        ("not a url", "not a url"),
    ],
)
def test_canonical_feed_url(typed: str, canonical: str) -> None:
    assert canonical_feed_url(typed) == canonical
    assert canonical_feed_url(canonical) == canonical  # idempotent
