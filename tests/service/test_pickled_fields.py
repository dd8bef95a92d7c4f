"""Domain types pickled as their class and field values come back equal, whole."""

from __future__ import annotations

import copy
import pickle
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

import pytest

from service.models import Source
from service.pickled_fields import pickled_as_fields
from tests.factories import make_article, parsed_entry, parsed_feed

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


def test_entries_and_articles_come_back_equal_with_every_field() -> None:
    entry = parsed_entry(
        guid="g", link="https://x.example/a", title="<b>Title</b>", published=NOW,
        language="uk", author="A", published_date_only=True,
    )  # fmt: skip
    feed = parsed_feed(
        entry, entry, ttl_minutes=30, warning="w", fragment_pages=frozenset({"https://x.example/l"})
    )
    source = Source("https://x.example/f.xml", "X", "https://x.example/a", NOW, "UA", "uk")
    article = replace(
        make_article(1), guid="g", country="UA", sources=(source,), date_only=True, day_start=NOW
    )
    for value in (entry, feed, source, article):
        for protocol in (2, pickle.HIGHEST_PROTOCOL):
            again = pickle.loads(pickle.dumps(value, protocol=protocol))
            assert again == value and type(again) is type(value)
        assert copy.copy(value) == value and copy.deepcopy(value) == value
    assert pickle.loads(pickle.dumps(feed)).entries[1].published_date_only is True


def test_a_class_it_cannot_rebuild_is_refused() -> None:
    @dataclass(frozen=True)
    class Derived:
        a: int
        b: int = field(init=False, default=0)

    @dataclass(frozen=True)
    class One:
        a: int

    for cls in (Derived, One):
        with pytest.raises(TypeError):
            pickled_as_fields(cls)
