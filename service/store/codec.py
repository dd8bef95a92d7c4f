"""JSON and Redis-hash encodings of the domain types (the storage model).

The storage model is ours to change; the public API shapes live in service/api/schemas.py.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from service.models import Article, FeedConfig, FeedState, Source


def iso(dt: datetime | None) -> str | None:
    return None if dt is None else dt.astimezone(UTC).isoformat().replace("+00:00", "Z")


def parse_iso(text: str | None) -> datetime | None:
    if not text:
        return None
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def epoch_ms(dt: datetime) -> int:
    return int(dt.timestamp() * 1000)


def source_to_json(source: Source) -> str:
    return json.dumps(
        {
            "feed_url": source.feed_url,
            "outlet": source.outlet,
            "url": source.url,
            "seen_at": iso(source.seen_at),
            "country": source.country,
            "language": source.language,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def source_from_json(text: str) -> Source:
    data = json.loads(text)
    seen_at = parse_iso(data["seen_at"])
    assert seen_at is not None
    return Source(
        feed_url=data["feed_url"],
        outlet=data["outlet"],
        url=data["url"],
        seen_at=seen_at,
        country=data.get("country", ""),
        language=data.get("language", ""),
    )


def article_to_json(article: Article) -> str:
    """The article without its sources (they live in their own hash, added atomically)."""
    return json.dumps(
        {
            "id": article.id,
            "identity": article.identity,
            "url": article.url,
            "title": article.title,
            "text": article.text,
            "published": iso(article.published),
            "first_seen": iso(article.first_seen),
            "language": article.language,
            "feed_url": article.feed_url,
            "outlet": article.outlet,
            "country": article.country,
            "guid": article.guid,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def article_from_json(text: str, sources: tuple[Source, ...] = ()) -> Article:
    data = json.loads(text)
    published = parse_iso(data["published"])
    first_seen = parse_iso(data["first_seen"])
    assert published is not None and first_seen is not None
    return Article(
        id=data["id"],
        identity=data["identity"],
        url=data["url"],
        title=data["title"],
        text=data["text"],
        published=published,
        first_seen=first_seen,
        language=data["language"],
        feed_url=data["feed_url"],
        outlet=data["outlet"],
        country=data.get("country", ""),
        guid=data.get("guid"),
        sources=sources,
    )


# --- feeds: one flat hash per feed (config fields + state fields) ---------------------

_STATE_TIMES = ("last_attempt", "last_success", "next_poll")


def feed_config_to_hash(config: FeedConfig) -> dict[str, str]:
    return {
        "url": config.url,
        "name": config.name,
        "country": config.country,
        "language": config.language,
        "interval": str(config.interval),
        "paused": "1" if config.paused else "0",
    }


def feed_config_from_hash(data: dict[str, str]) -> FeedConfig:
    return FeedConfig(
        url=data["url"],
        name=data.get("name", ""),
        country=data.get("country", ""),
        language=data.get("language", ""),
        interval=int(data.get("interval", "900")),
        paused=data.get("paused") == "1",
    )


def feed_state_to_hash(state: FeedState) -> tuple[dict[str, str], list[str]]:
    """Fields to set, and fields to delete (None values are stored as absent)."""
    values: dict[str, Any] = {
        "title": state.title,
        "etag": state.etag,
        "last_modified": state.last_modified,
        "body_hash": state.body_hash,
        "last_status": None if state.last_status is None else str(state.last_status),
        "last_error": state.last_error,
        "consecutive_failures": str(state.consecutive_failures),
        "gone": "1" if state.gone else "0",
        "moved_to": state.moved_to,
        "ttl_minutes": None if state.ttl_minutes is None else str(state.ttl_minutes),
        **{name: iso(getattr(state, name)) for name in _STATE_TIMES},
    }
    to_set = {k: v for k, v in values.items() if v is not None}
    to_delete = [k for k, v in values.items() if v is None]
    return to_set, to_delete


def feed_state_from_hash(data: dict[str, str]) -> FeedState:
    status = data.get("last_status")
    ttl = data.get("ttl_minutes")
    return FeedState(
        url=data["url"],
        title=data.get("title", ""),
        etag=data.get("etag"),
        last_modified=data.get("last_modified"),
        body_hash=data.get("body_hash"),
        last_status=int(status) if status else None,
        last_error=data.get("last_error"),
        consecutive_failures=int(data.get("consecutive_failures", "0")),
        gone=data.get("gone") == "1",
        moved_to=data.get("moved_to"),
        ttl_minutes=int(ttl) if ttl else None,
        **{name: parse_iso(data.get(name)) for name in _STATE_TIMES},
    )
