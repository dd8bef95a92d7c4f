"""bench/feedparser_identity.py: every shared document, and documents holding C1 code
points, parse and normalize the same in parse processes with and without workers/parse.py's
changes to feedparser's internals."""

from __future__ import annotations

import pytest

from bench.feedparser_identity import documents, outcomes
from tests.factories import SHARED_FEEDS

pytestmark = [
    pytest.mark.slow,  # two parse pools over 255 documents, about 7 s
    # The documents are the shared corpus's, which is not in the repository.
    pytest.mark.skipif(
        not SHARED_FEEDS.is_dir(), reason="needs ../shared/feeds (the shared feed corpus)"
    ),
]


async def test_every_document_parses_as_with_feedparsers_own_code() -> None:
    both = {name: (ours, theirs) for name, ours, theirs in await outcomes(documents())}
    assert [name for name, (ours, theirs) in both.items() if ours != theirs] == []
    assert sum(len(o.parsed.feed.entries) for o, _ in both.values() if o.parsed) > 4000
    # The constructed documents reach feedparser's Windows-1252 mapping: mapped where
    # Windows-1252 has a character, left where it has none (U+0081).
    c1, _ = both["constructed/c1.rss"]
    assert c1.parsed is not None
    assert c1.parsed.feed.entries[0].title == "a – b “c” €5 \x81 \x8d \x9d … – \x81 Ÿ"
