"""JSON and Redis-hash encodings of the domain types (the storage model).

The storage model is ours to change; the public API shapes live in service/api/schemas.py.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
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


# --- articles and sources ---------------------------------------------------------------
#
# Compact, because an article's JSON and its sources are most of what the fetch stage
# stores (docs/design.md, "Compact article records"): one-letter field names, times as
# integer microseconds since the epoch (exact, unlike a float), empty fields left out, and
# whatever the identity key already says left out (a GUID identity is
# ``guid:<feed url> <guid>``, a URL identity ``url:<url>``: see workers/entry_identity.py).
# ``identity`` keeps its name: service/store/retention.py reads it from the raw JSON. The
# article's id is its key's (``lb:article:<id>``), not repeated.
#
# An article's first source is inside its JSON (``"r"``), so the ``…:sources`` hash exists
# only once a second feed reports the article: a one-field hash whose value is longer than
# ``hash-max-ziplist-value`` (64 B) is a full hash table in Redis, several times the bytes
# of the value (docs/design.md). ``"r"`` holds only what differs from the article's own
# fields; the first source of a fetched article is the article's own feed, outlet, URL,
# first-seen time, country and language, so it is usually ``{}``. The ingest script
# (service/store/articles.py ``INGEST``) reads the first source's feed URL back from the
# raw JSON (``r.f``, else ``f``, else the feed URL inside a GUID identity) and may append
# ``"part"``, the article's process partition when it is not 0.
#
# The shape is the store's data format (service/store/migrations.py): a change to it
# comes with a migration of what is stored.

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _micros(dt: datetime) -> int:
    delta = dt.astimezone(UTC) - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


def _from_micros(value: int) -> datetime:
    return _EPOCH + timedelta(microseconds=value)


def _dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def source_to_json(source: Source) -> str:
    data: dict[str, Any] = {
        "v": 2,
        "f": source.feed_url,
        "o": source.outlet,
        "u": source.url,
        "s": _micros(source.seen_at),
    }
    if source.country:
        data["c"] = source.country
    if source.language:
        data["l"] = source.language
    return _dumps(data)


def source_from_json(text: str) -> Source:
    data = json.loads(text)
    return Source(
        feed_url=data["f"],
        outlet=data["o"],
        url=data["u"],
        seen_at=_from_micros(data["s"]),
        country=data.get("c", ""),
        language=data.get("l", ""),
    )


def _guid_identity(feed_url: str, guid: str) -> str:
    return f"guid:{feed_url} {guid}"  # workers.entry_identity.identity_key, first rule


def _first_source(article: Article, source: Source) -> dict[str, Any]:
    """A source as the differences from its article's own fields (the article's ``"r"``)."""
    data: dict[str, Any] = {}
    if source.feed_url != article.feed_url:
        data["f"] = source.feed_url
    if source.outlet != article.outlet:
        data["o"] = source.outlet
    if source.url != article.url:
        data["u"] = source.url
    if source.seen_at != article.first_seen:
        data["s"] = _micros(source.seen_at)
    if source.country != article.country:
        data["c"] = source.country
    if source.language != article.language:
        data["l"] = source.language
    return data


def _first_source_from(
    data: dict[str, Any],
    feed_url: str,
    outlet: str,
    url: str,
    first_seen: datetime,
    country: str,
    language: str,
) -> Source:
    """The first source from its differences (``"r"``) and its article's own fields."""
    return Source(
        feed_url=data.get("f", feed_url),
        outlet=data.get("o", outlet),
        url=data.get("u", url),
        seen_at=_from_micros(data["s"]) if "s" in data else first_seen,
        country=data.get("c", country),
        language=data.get("l", language),
    )


def article_to_json(article: Article) -> str:
    """The article with its first source (``article.sources[0]``, if any) inside; further
    sources live in the article's sources hash, added atomically by the ingest script."""
    data: dict[str, Any] = {"v": 3, "identity": article.identity}
    # A GUID identity holds the feed URL and the GUID (feed URLs never contain a space).
    from_identity = (
        article.guid is not None
        and " " not in article.feed_url
        and article.identity == _guid_identity(article.feed_url, article.guid)
    )
    if not article.url or article.identity != f"url:{article.url}":
        data["u"] = article.url
    data["t"] = article.title
    data["x"] = article.text
    data["p"] = _micros(article.published)
    data["s"] = _micros(article.first_seen)
    if article.date_only:
        data["d"] = 1
        if article.day_start is not None:
            data["ds"] = _micros(article.day_start)
    if article.language:
        data["l"] = article.language
    if not from_identity:
        data["f"] = article.feed_url
        if article.guid is not None:
            data["g"] = article.guid
    data["o"] = article.outlet
    if article.country:
        data["c"] = article.country
    if article.sources:
        data["r"] = _first_source(article, article.sources[0])
    return _dumps(data)


def article_from_json(text: str, article_id: str, sources: tuple[Source, ...] = ()) -> Article:
    """``article_id``: the id in the article's key (the JSON does not repeat it).
    ``sources``: those of the article's sources hash; with the one inside the JSON, all of
    them, ordered by ``seen_at`` (the first source first among equals)."""
    data = json.loads(text)
    identity: str = data["identity"]
    if "f" in data:
        feed_url, guid = data["f"], data.get("g")
    else:
        feed_url, _, guid = identity.removeprefix("guid:").partition(" ")
    url = data["u"] if "u" in data else identity.removeprefix("url:")
    first_seen = _from_micros(data["s"])
    language, outlet, country = data.get("l", ""), data["o"], data.get("c", "")
    if "r" in data:  # the first source joins the hash's: the article is built once
        first = _first_source_from(data["r"], feed_url, outlet, url, first_seen, country, language)
        sources = tuple(sorted((first, *sources), key=lambda s: s.seen_at))
    return Article(
        id=article_id,
        identity=identity,
        url=url,
        title=data["t"],
        text=data["x"],
        published=_from_micros(data["p"]),
        first_seen=first_seen,
        language=language,
        feed_url=feed_url,
        outlet=outlet,
        country=country,
        guid=guid,
        sources=sources,
        date_only="d" in data,
        day_start=_from_micros(data["ds"]) if "ds" in data else None,
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
        "site_url": state.site_url,
        **{name: iso(getattr(state, name)) for name in _STATE_TIMES},
    }
    to_set = {k: v for k, v in values.items() if v is not None}
    to_delete = [k for k, v in values.items() if v is None]
    return to_set, to_delete


def feed_state_changes(
    state: FeedState, previous: FeedState | None
) -> tuple[dict[str, str], list[str]]:
    """``feed_state_to_hash`` of ``state`` less what ``previous`` (the state as stored)
    already holds: a 304 poll changes its times and little else."""
    to_set, to_delete = feed_state_to_hash(state)
    if previous is None:
        return to_set, to_delete
    # Each hash field is the state attribute of the same name: equal attributes store
    # equal text, and a None attribute of ``previous`` is a field already absent.
    changed = {k: v for k, v in to_set.items() if getattr(state, k) != getattr(previous, k)}
    return changed, [k for k in to_delete if getattr(previous, k) is not None]


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
        site_url=data.get("site_url"),
        **{name: parse_iso(data.get(name)) for name in _STATE_TIMES},
    )
