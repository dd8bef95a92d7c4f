"""Backfill: load archived feed documents from disk through the same parse, normalize
and ingest steps as live polling (so the same dedup applies and a re-run adds nothing).

Each file stands for a feed whose URL is the file's ``file://`` URL unless the document
names its own link; the outlet is the document's title.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from service.models import FeedConfig
from service.store import Store
from workers.fetch_stage import storage_article
from workers.normalize import normalize_entry
from workers.parse import parse_feed


@dataclass(frozen=True, slots=True)
class FileReport:
    path: Path
    entries: int
    new: int
    error: str | None


def feed_files(source: Path) -> list[Path]:
    """A file, or every regular file under a directory (sorted, hidden files skipped)."""
    if source.is_file():
        return [source]
    return sorted(
        p for p in source.rglob("*") if p.is_file() and not p.name.startswith((".", "MANIFEST"))
    )


async def backfill(
    store: Store,
    files: Iterable[Path],
    *,
    now: datetime,
    text_max_chars: int,
    progress: Callable[[FileReport], None] | None = None,
) -> list[FileReport]:
    reports = []
    for path in files:
        url = path.resolve().as_uri()
        parsed = parse_feed(path.read_bytes(), url)
        new = 0
        if parsed.error is None:
            config = FeedConfig(url=url, name=parsed.title or path.name)
            for entry in parsed.entries:
                article = normalize_entry(
                    entry, parsed, config, now=now, text_max_chars=text_max_chars
                )
                if article is not None:
                    new += await store.articles.ingest(storage_article(article)) == "new"
        report = FileReport(path, len(parsed.entries), new, parsed.error)
        reports.append(report)
        if progress is not None:
            progress(report)
    return reports
