"""The soak's feeds: real feed documents replayed as live feeds that publish an item
every few seconds (served by ``tests.feedserver.FeedServer``), and the config that lists
them."""

from __future__ import annotations

import html
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from email.utils import formatdate
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from bench._support import config_toml, default_briefings


@dataclass(frozen=True, slots=True)
class SourceItem:
    """One real item, pre-escaped for XML, its link split where the feed number goes."""

    link_head: str  # "https://host"
    link_tail: str  # "/path?query"
    guid: str
    title: str
    description: str


@dataclass(frozen=True, slots=True)
class SourceDoc:
    title: str
    language: str
    items: tuple[SourceItem, ...]


def load_documents(directory: Path) -> list[SourceDoc]:
    """The real documents with at least 5 items that have a link and a title."""
    from workers.parse import parse_feed

    docs = []
    for path in sorted(p for p in directory.iterdir() if p.is_file()):
        parsed = parse_feed(path.read_bytes(), "https://soak.example/")
        items = []
        for entry in parsed.entries:
            parts = urlsplit(entry.link or "")
            if parts.scheme not in ("http", "https") or not parts.netloc or not entry.title:
                continue
            tail = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            text = entry.content if len(entry.content) > len(entry.summary) else entry.summary
            items.append(
                SourceItem(
                    link_head=html.escape(f"{parts.scheme}://{parts.netloc}"),
                    link_tail=html.escape(tail),
                    guid=html.escape(entry.guid or entry.link or ""),
                    title=html.escape(entry.title),
                    description=html.escape(text),
                )
            )
        if len(items) >= 5:
            language = html.escape(parsed.language or "")
            docs.append(SourceDoc(html.escape(parsed.title or path.name), language, tuple(items)))
    return docs


@dataclass
class LiveFeed:
    """Feed ``number``: lists its newest items (at most ``window``), one more every
    ``every`` seconds; answers 304 to the ETag of what it lists now."""

    number: int
    doc: SourceDoc
    t0: float
    every: float
    window: int
    initial: int = 3
    _cached: tuple[int, bytes, str] | None = None

    @property
    def phase(self) -> float:
        return (self.number * 0.618034) % 1.0  # golden-ratio spread of publication times

    def head(self, now: float) -> int:
        """How many items the feed has published by ``now``."""
        return self.initial + math.floor((now - self.t0) / self.every + self.phase)

    def published(self, j: int) -> float:
        return self.t0 + (j - self.initial + 1 - self.phase) * self.every

    def __call__(self, request: Any) -> Any:
        from tests.feedserver import Response

        head = self.head(time.time())
        etag = f'"{self.number}-{head}"'
        modified = formatdate(self.published(head - 1), usegmt=True)
        headers = {"ETag": etag, "Last-Modified": modified}
        if request.headers.get("if-none-match") == etag:
            return Response(304, headers)
        if self._cached is None or self._cached[0] != head:
            self._cached = (head, self.render(head).encode(), etag)
        headers["Content-Type"] = "application/rss+xml; charset=utf-8"
        return Response(200, headers, self._cached[1])

    def render(self, head: int) -> str:
        doc, n = self.doc, self.number
        items = []
        for j in range(head - 1, max(0, head - self.window) - 1, -1):
            item = doc.items[(j + n // 7) % len(doc.items)]
            items.append(
                f"<item><title>{item.title}</title>"
                f"<link>{item.link_head}/s/{n}/{j}{item.link_tail}</link>"
                f'<guid isPermaLink="false">soak-{n}-{j}-{item.guid}</guid>'
                f"<pubDate>{formatdate(self.published(j), usegmt=True)}</pubDate>"
                f"<description>{item.description}</description></item>"
            )
        language = f"<language>{doc.language}</language>" if doc.language else ""
        return (
            '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
            f"<title>{doc.title} (soak {n})</title><link>https://soak.example/{n}</link>"
            f"{language}{''.join(items)}</channel></rss>"
        )


def write_config(path: Path, urls: Sequence[str], interval: int) -> list[str]:
    """The soak's BRIEFING_CONFIG; returns the briefing ids."""
    everything = {"id": "everything", "title": "Everything", "include": [], "languages": []}
    briefings = [everything, *default_briefings()]
    path.write_text(config_toml(urls, briefings, "Soak", interval))
    return [b["id"] for b in briefings]
