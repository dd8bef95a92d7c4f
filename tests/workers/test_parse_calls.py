"""What a parse worker runs: entries keyed as normalization keys them, a first document
parsed and normalized in one call, and a worker that imports the parser, not the service
around it."""

from __future__ import annotations

from datetime import UTC, datetime

from service.models import FeedConfig
from tests.factories import BBC_WORLD
from workers.fetch_stage import _pool
from workers.parse_calls import normalize_new, parse_and_normalize, parse_document, warm_worker
from workers.parse_pool import ParsePool, close_all


def test_parse_document_keys_every_entry() -> None:
    config = FeedConfig(url="https://feeds.bbci.co.uk/news/world/rss.xml")
    parsed = parse_document(BBC_WORLD, config.url, None, config)
    assert len(parsed.identities) == len(parsed.feed.entries) > 20
    assert all(key.startswith(f"guid:{config.url} ") for key in parsed.identities)


def test_a_first_document_is_parsed_and_normalized_as_in_two_calls() -> None:
    config = FeedConfig(url="https://feeds.bbci.co.uk/news/world/rss.xml")
    now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    digest = parse_and_normalize(BBC_WORLD, config.url, None, config, now, 1500)
    parsed = parse_document(BBC_WORLD, config.url, None, config)
    articles = normalize_new(parsed.feed, config, now, 1500, frozenset())
    assert digest.articles == articles and digest.entries == len(parsed.feed.entries) > 20
    assert digest.feed.entries == () and digest.feed.title == parsed.feed.title
    broken = parse_and_normalize(b"<rss", config.url, None, config, now, 1500)
    assert broken.feed.error and (broken.entries, broken.articles) == (0, [])


# The worker's loaded modules, asked with a builtin: a function of this module would make
# the worker import this module, and with it everything the test imports.
LOADED = "sorted(__import__('sys').modules)"


async def test_a_parse_worker_imports_neither_the_store_nor_the_fetch_stage() -> None:
    try:
        pool = _pool(1, 60.0)
        config = FeedConfig(url="https://feeds.bbci.co.uk/news/world/rss.xml")
        parsed = await pool.run(parse_document, BBC_WORLD, config.url, None, config)
        loaded = set(await pool.run(eval, LOADED))
    finally:
        close_all()
    assert len(parsed.identities) > 20
    assert {"feedparser", "py3langid", "workers.parse_calls"} <= loaded
    assert not {"redis", "httpx", "service.store", "workers.fetch_stage"} & loaded


async def test_a_parse_worker_loads_the_parser_at_its_start() -> None:
    """The parser, normalizer and language model load in the worker's warm-up, not in
    its first feed's parse (the fetch worker that sends the calls loads none of them)."""
    pool = ParsePool(1, 60.0, initializer=warm_worker)
    try:
        loaded = set(await pool.run(eval, LOADED))
    finally:
        pool.close()
    assert {"feedparser", "workers.parse", "workers.normalize", "py3langid"} <= loaded
