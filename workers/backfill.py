"""Backfill: load archived feed documents from disk through the same parse, normalize
and ingest steps as live polling (so the same dedup applies and a re-run adds nothing).

Each file stands for a feed whose URL is the file's ``file://`` URL unless the document
names its own link; the outlet is the document's title.

Every file is read first and the entries of all of them are ingested oldest first, so the
process stage meets the archive in the order the news happened and clusters it as it would
have clustered it live (stories run on the articles' own times, workers/cluster.py).

Retention judges articles by their published time, as clustering does, so an archive
older than the retention window is pruned by the next hourly retention run: each file's
report counts its new articles published before ``retained_since`` (``expiring``), and
``briefing backfill`` warns about them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from service.models import Article, FeedConfig
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
    expiring: int = 0  # new articles published before retained_since


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
    retained_since: datetime | None = None,
) -> list[FileReport]:
    reports: list[FileReport] = []
    pending: list[tuple[Article, int]] = []  # (article, index of its file's report)
    for path in files:
        url = path.resolve().as_uri()
        parsed = parse_feed(path.read_bytes(), url)
        if parsed.error is None:
            config = FeedConfig(url=url, name=parsed.title or path.name)
            for entry in parsed.entries:
                article = normalize_entry(
                    entry, parsed, config, now=now, text_max_chars=text_max_chars
                )
                if article is not None:
                    pending.append((article, len(reports)))
        reports.append(FileReport(path, len(parsed.entries), 0, parsed.error))
    new = [0] * len(reports)
    expiring = [0] * len(reports)
    for article, index in sorted(pending, key=lambda item: item[0].published):
        if await store.articles.ingest(storage_article(article)) == "new":
            new[index] += 1
            if retained_since is not None and article.published < retained_since:
                expiring[index] += 1
    reports = [
        dataclasses.replace(r, new=n, expiring=e)
        for r, n, e in zip(reports, new, expiring, strict=True)
    ]
    if progress is not None:
        for report in reports:
            progress(report)
    return reports
