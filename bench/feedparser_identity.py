"""Every shared document parses and normalizes the same with and without workers/parse.py's
changes to feedparser's internals (workers/feedparser_dicts.py, workers/feedparser_cp1252.py).

Run by hand: ``.venv/bin/python bench/feedparser_identity.py [--show N]``. Each document of
../shared/feeds (real and edge, hostile ones included) goes through what the fetch stage
runs in its parse processes (``parse_document``, then ``normalize_new`` of every entry),
in two parse pools as the service starts them (workers/parse_pool.py: fresh interpreters,
the service's deadline, bodies cut at its body cap): one as shipped, one whose workers put
feedparser's own methods back first. Each worker reports whether the changes are in place,
so the comparison also shows that every fresh parse process installs them. Prints the
documents whose ParsedFeed, identity keys, articles or outcome differ; exits 1 if any does.

``--time ROUNDS``: then what the changes buy, in this process on the real documents
(``parse_document`` + ``normalize_new``, the in-process figure of docs/benchmarks.md
"Ingest"): ms of CPU per entry, best of 5 per document, with and without the changes in
alternating rounds.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FEEDS = ROOT.parent / "shared" / "feeds"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench._support import load_average as load  # noqa: E402
from service.models import Article, FeedConfig  # noqa: E402
from service.settings import Settings  # noqa: E402
from workers.parse_calls import Parsed, load_parsers, normalize_new, parse_document  # noqa: E402
from workers.parse_pool import ParseDeadlineExceeded, ParsePool  # noqa: E402

NOW = datetime(2026, 3, 1, tzinfo=UTC)


def feedparser_changes_installed() -> bool:
    """Whether this process runs feedparser with workers/parse.py's changes."""
    import feedparser.mixin
    from feedparser.util import FeedParserDict

    from workers import feedparser_cp1252, feedparser_dicts

    return (
        FeedParserDict.get is feedparser_dicts._get
        and "__deepcopy__" in vars(FeedParserDict)
        and feedparser.mixin._FeedParserMixin.pop is not feedparser_cp1252.original_pop
    )


def feedparser_as_released() -> None:
    """Initializer of the unchanged side's workers: feedparser's own methods back. The
    parsers are loaded first, as a shipped parse worker's warm-up loads them
    (workers/parse_calls.py ``load_parsers``): importing workers/parse.py installs the
    changes, which are then taken out."""
    from workers import feedparser_cp1252, feedparser_dicts

    load_parsers()
    feedparser_dicts.uninstall()
    feedparser_cp1252.uninstall()


@dataclass(frozen=True)
class Outcome:
    """What the parse processes made of one document."""

    installed: bool = field(compare=False)  # the sides differ here by design
    parsed: Parsed | None
    articles: list[Article] | None
    failure: str | None  # the deadline ran out, or the call raised


# Documents that hold C1 code points (U+0080-U+009F), which no shared document does:
# feedparser maps 27 of them to Windows-1252's characters in every element's text, the
# other five (U+0081, U+008D, U+008F, U+0090, U+009D) it leaves. As character references,
# as characters (in UTF-8), in text, escaped HTML, CDATA, XHTML and base64 content.
_C1_TEXT = "a &#150; b &#x93;c&#x94; &#128;5 &#129; &#x8d; &#157; \u0085 \u0096 \u0081 \u009f"
_C1_BASE64 = base64.b64encode("<p>x \u0096 y \u0081 \u0092</p>".encode()).decode()
CONSTRUCTED = {
    "c1.rss": (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>T {_C1_TEXT}</title><link>https://c1.example/</link>"
        f"<item><title>{_C1_TEXT}</title><link>https://c1.example/a</link>"
        f"<description>&lt;p&gt;{_C1_TEXT}&lt;/p&gt;</description>"
        '<content:encoded xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<![CDATA[<p>{_C1_TEXT}</p>]]></content:encoded></item>"
        f"<item><title>plain “quotes” and Кирилиця</title><link>https://c1.example/b</link>"
        "<description>no C1 here — none</description></item></channel></rss>"
    ).encode(),
    "c1.atom": (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{_C1_TEXT}</title><id>urn:c1</id><updated>2026-02-01T00:00:00Z</updated>"
        f'<entry><id>urn:c1:1</id><title type="html">{_C1_TEXT}</title>'
        '<link href="https://c1.example/1"/><updated>2026-02-01T00:00:00Z</updated>'
        f'<summary type="text">{_C1_TEXT}</summary><content type="xhtml">'
        f'<div xmlns="http://www.w3.org/1999/xhtml"><p>{_C1_TEXT}</p></div></content></entry>'
        "</feed>"
    ).encode(),
    "c1-base64.atom03": (
        '<?xml version="1.0" encoding="utf-8"?><feed version="0.3" '
        'xmlns="http://purl.org/atom/ns#"><title>T</title><entry><id>urn:b64</id>'
        '<title>b64</title><link rel="alternate" href="https://c1.example/b64"/>'
        f'<content type="text/html" mode="base64">{_C1_BASE64}</content></entry></feed>'
    ).encode(),
}


def documents() -> list[tuple[str, bytes]]:
    """Every document of ../shared/feeds (name, body), then the constructed ones."""
    paths = sorted(p for part in ("real", "edge") for p in (FEEDS / part).iterdir() if p.is_file())
    return [(str(p.relative_to(FEEDS)), p.read_bytes()) for p in paths] + [
        (f"constructed/{name}", body) for name, body in CONSTRUCTED.items()
    ]


async def _outcome(pool: ParsePool, body: bytes, url: str, settings: Settings) -> Outcome:
    installed = await pool.run(feedparser_changes_installed)
    config = FeedConfig(url=url)
    try:
        parsed = await pool.run(parse_document, body, url, None, config)
        articles = None
        if parsed.feed.error is None:
            articles = await pool.run(
                normalize_new, parsed.feed, config, NOW, settings.text_max_chars, frozenset()
            )
    except ParseDeadlineExceeded:
        return Outcome(installed, None, None, "deadline")
    except Exception as exc:
        return Outcome(installed, None, None, f"{type(exc).__name__}: {exc}")
    return Outcome(installed, parsed, articles, None)


async def outcomes(docs: list[tuple[str, bytes]]) -> list[tuple[str, Outcome, Outcome]]:
    """Each document's outcome as shipped and with feedparser's own code. Raises if a
    worker of either side does not run the feedparser of its side."""
    settings = Settings()
    shipped = ParsePool(1, settings.parse_timeout, initializer=load_parsers)  # as fetch_stage's
    released = ParsePool(1, settings.parse_timeout, initializer=feedparser_as_released)
    both: list[tuple[str, Outcome, Outcome]] = []
    try:
        for name, whole in docs:
            body = whole[: settings.max_body_bytes]
            url = f"https://feeds.example/{name}"
            ours, theirs = await asyncio.gather(
                _outcome(shipped, body, url, settings), _outcome(released, body, url, settings)
            )
            if not ours.installed or theirs.installed:
                raise AssertionError(
                    f"{name}: a worker's feedparser is not as its side's (without the "
                    "changes as shipped: workers.feedparser_cp1252.unguarded_reason() says why)"
                )
            both.append((name, ours, theirs))
    finally:
        shipped.close()
        released.close()
    return both


def _cpu_ms_per_entry(docs: list[tuple[str, bytes]], settings: Settings) -> float:
    seconds, entries = 0.0, 0
    for name, body in docs:
        url = f"https://feeds.example/{name}"
        config = FeedConfig(url=url)
        best = float("inf")
        for _ in range(5):
            start = time.process_time()
            parsed = parse_document(body, url, None, config)
            if parsed.feed.error is None:
                normalize_new(parsed.feed, config, NOW, settings.text_max_chars, frozenset())
            best = min(best, time.process_time() - start)
        seconds += best
        entries += len(parsed.feed.entries)
    return 1000 * seconds / entries


def time_in_process(rounds: int) -> None:
    from workers import feedparser_cp1252, feedparser_dicts

    settings = Settings()
    docs = [(n, b) for n, b in documents() if n.startswith("real/")]
    _cpu_ms_per_entry(docs[:1], settings)  # the language model, loaded outside the timing
    for _ in range(rounds):
        for side in ("shipped", "released"):
            if side == "shipped":
                feedparser_dicts.install()
                feedparser_cp1252.install()
            else:
                feedparser_as_released()
            ms = _cpu_ms_per_entry(docs, settings)
            print(f"{side:<9} {ms:.3f} ms per entry ({len(docs)} documents, load {load()})")
    feedparser_dicts.install()
    feedparser_cp1252.install()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", type=int, default=3, help="differing documents to print")
    parser.add_argument("--time", type=int, default=0, metavar="ROUNDS")
    args = parser.parse_args()
    docs = documents()
    both = asyncio.run(outcomes(docs))
    entries = sum(len(ours.parsed.feed.entries) for _, ours, _ in both if ours.parsed)
    differ = [(name, ours, theirs) for name, ours, theirs in both if ours != theirs]
    print(f"{len(docs)} documents, {entries} entries: {len(differ)} differ")
    for name, ours, theirs in differ[: args.show]:
        print(f"{name}:\n  shipped:  {ours}\n  released: {theirs}")
    if args.time:
        time_in_process(args.time)
    return 1 if differ else 0


if __name__ == "__main__":
    # Run as a script, this file is ``__main__``, which a parse worker cannot import: call
    # through the module the workers import (the repository root is on their path).
    from bench.feedparser_identity import main as imported_main

    sys.exit(imported_main())
