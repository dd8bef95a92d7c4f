"""Parse throughput on ../shared/feeds/real: workers.parse.parse_feed vs plain feedparser.

Run by hand: ``.venv/bin/python bench/parse.py [--rounds 3]``. Prints items/s for

* ``feedparser``        plain ``feedparser.parse(BytesIO(body))`` (sanitizing on, the default);
* ``parse_feed``        our parser (own decoding + prolog scan + feedparser, sanitizing off);
* ``parse+normalize``   parse_feed then normalize_entry for every entry (the fetch stage's
  whole CPU work per document before the pre-filter: HTML to text, canonical URL, language).
* ``parse+normalize_document``  the same through ``normalize_document`` (one language
  detection per document), as the fetch stage normalizes a first poll.
* ``pre-filtered, 1 new``  what a poll of a changed document costs now: ``parse_document``
  (parse + every entry's identity key) and ``normalize_document`` of the first entry only,
  the others' identities being stored (the soak's steady state: one new item per poll).
  Items/s counts every entry of the document, as the other lines do.

Best of ``--rounds`` per document, so a GC pause or a noisy neighbour does not count.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import feedparser

from service.models import FeedConfig
from workers.fetch_stage import parse_document
from workers.normalize import normalize_document, normalize_entry
from workers.parse import parse_feed

REAL = Path(__file__).resolve().parents[2] / "shared" / "feeds" / "real"
NOW = datetime(2026, 3, 1, tzinfo=UTC)


def plain_feedparser(body: bytes, url: str) -> int:
    return len(feedparser.parse(io.BytesIO(body)).entries)


def ours(body: bytes, url: str) -> int:
    return len(parse_feed(body, url).entries)


def ours_and_normalize(body: bytes, url: str) -> int:
    feed = parse_feed(body, url)
    config = FeedConfig(url=url)
    for entry in feed.entries:
        normalize_entry(entry, feed, config, now=NOW, text_max_chars=1500)
    return len(feed.entries)


def ours_and_normalize_document(body: bytes, url: str) -> int:
    feed = parse_feed(body, url)
    normalize_document(feed, FeedConfig(url=url), now=NOW, text_max_chars=1500)
    return len(feed.entries)


def prefiltered_one_new(body: bytes, url: str) -> int:
    config = FeedConfig(url=url)
    parsed = parse_document(body, url, None, config)
    skip = frozenset(range(1, len(parsed.feed.entries)))
    normalize_document(parsed.feed, config, now=NOW, text_max_chars=1500, skip=skip)
    return len(parsed.feed.entries)


def measure(fn: Callable[[bytes, str], int], docs: list[tuple[str, bytes]], rounds: int) -> float:
    items, seconds = 0, 0.0
    for url, body in docs:
        best = float("inf")
        for _ in range(rounds):
            start = time.perf_counter()
            count = fn(body, url)
            best = min(best, time.perf_counter() - start)
        items += count
        seconds += best
    return items / seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if not REAL.is_dir():
        print(f"no corpus at {REAL}", file=sys.stderr)
        return 1
    docs = [(f"https://feeds.example.org/{p.name}", p.read_bytes()) for p in sorted(REAL.iterdir())]
    first_url, first_body = docs[0]
    ours_and_normalize(first_body, first_url)  # load langdetect's profiles outside the timing
    total = sum(len(body) for _, body in docs)
    print(f"{len(docs)} documents, {total / 1e6:.1f} MB, best of {args.rounds} rounds")
    base = measure(plain_feedparser, docs, args.rounds)
    print(f"{'feedparser':<25} {base:8.0f} items/s")
    cases = (
        ("parse_feed", ours),
        ("parse+normalize", ours_and_normalize),
        ("parse+normalize_document", ours_and_normalize_document),
        ("pre-filtered, 1 new", prefiltered_one_new),
    )
    for name, fn in cases:
        rate = measure(fn, docs, args.rounds)
        print(f"{name:<25} {rate:8.0f} items/s   x{rate / base:.2f} of feedparser")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
