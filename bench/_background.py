"""Background traffic for the cross-language bench: real news of all three languages mixed
into a labelled stream, as a briefing's feeds would carry it around each labelled report.

A briefing follows ten-odd outlets; beside the reports of the developments labelled in a
stream it receives every other item they publish, 150-300 a day in the three languages, and
its linker holds hundreds of live stories when a check is answered. The labelled streams
hold 2-20. ``mix`` adds that traffic:

* the pool (``pool``): every item of the real news feeds in ``../shared/feeds/real/``
  (MANIFEST.tsv: English feeds whose note says ``news:``, and the Russian and Ukrainian
  outlets' feeds), read by the service's parser (workers/parse.py) with title, summary
  (tags stripped, cut to ``TEXT_CHARS``), outlet and link as the service reads them; and
  every article of ``../shared/data/stream-dev.jsonl.gz`` (seven English outlets, 2020).
  Items a labelled row uses (its ``feed_file``/``feed_entry``, the set's feed part and
  the originals of its translations) and items whose title a labelled row has are left
  out. Nothing is read from the held-out parts (bench/data/crosslingual/check/, held6/,
  held7/, held8/, held27/-held32/): the pool is built from ../shared alone
  and the rows passed in.
* re-dating: each UTC day that holds a labelled row receives ``per_day`` items (fewer
  when the pool runs short: no item is used twice in one stream), each at a uniformly
  drawn instant of that day, keeping its own language, outlet and text. The Cyrillic
  items (a few hundred in the feeds) are spread over the days first, so every day gets
  its share of them; English fills the rest. The draw is seeded: one stream, one mix.

Background rows carry ``role: "background"`` and their own ``development`` (their id):
they are no labelled development, and any cross-language link between a labelled row
and a background row is wrong (``wrong_background_links``).
"""

from __future__ import annotations

import csv
import gzip
import html
import json
import random
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from workers.parse import parse_feed

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
# The set (bench/data/crosslingual/stream.jsonl): its items are left out of every
# background, that of the dev and fresh parts too.
SET = Path(__file__).resolve().parent / "data" / "crosslingual" / "stream.jsonl"
FEEDS = SHARED / "feeds"
STREAM_DEV = SHARED / "data" / "stream-dev.jsonl.gz"
PER_DAY = 150
SEED = 13
TEXT_CHARS = 300
# MANIFEST.tsv's language column -> the stream's language, for the feeds the pool reads.
_LANGUAGES = {"uk": "uk", "ru": "ru", "undeclared(ru?)": "ru"}
_TAGS = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")
Row = dict[str, Any]


def clean(text: str) -> str:
    """Feed HTML as plain text, whitespace collapsed."""
    return _SPACE.sub(" ", html.unescape(_TAGS.sub(" ", text or ""))).strip()


def news_feeds(feeds: Path = FEEDS) -> list[tuple[str, str]]:
    """(file under ``feeds``, language) of the real news feeds in en/uk/ru (module
    docstring): English feeds the manifest notes as ``news:``, Russian and Ukrainian
    outlets' feeds whatever their note."""
    out = []
    with (feeds / "MANIFEST.tsv").open(encoding="utf-8") as manifest:
        for row in csv.DictReader(manifest, delimiter="\t"):
            name, declared = row["file"], row["language"].lower()
            if not name.startswith("real/"):
                continue
            if declared in _LANGUAGES:
                out.append((name, _LANGUAGES[declared]))
            elif row["notes"].startswith("news:") and _english(declared):
                out.append((name, "en"))
    return out


def _english(declared: str) -> bool:
    return declared.startswith("en") or declared == "undeclared(en?)"


def feed_items(feeds: Path = FEEDS) -> list[Row]:
    """Every titled item of the news feeds, with where it is (``feed_file``, its index in
    the service's entries: the set's ``feed_entry``)."""
    items = []
    for name, language in news_feeds(feeds):
        parsed = parse_feed((feeds / name).read_bytes(), f"https://feeds.example.org/{name}")
        outlet = parsed.title or name
        for index, entry in enumerate(parsed.entries):
            title = clean(entry.title)
            if not title:
                continue
            items.append({"title": title, "text": clean(entry.summary)[:TEXT_CHARS],
                          "source": outlet, "url": entry.link or "", "language": language,
                          "feed_file": name, "feed_entry": index})  # fmt: skip
    return items


def stream_dev_items(path: Path = STREAM_DEV) -> list[Row]:
    """The English articles of the real 2020 stream (../shared/data/README.md)."""
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines if line.strip()]
    return [{"title": r["title"], "text": (r.get("text") or "")[:TEXT_CHARS],
             "source": r["source"], "url": r.get("url") or "", "language": "en"}
            for r in rows if r.get("title")]  # fmt: skip


def pool(labelled: Iterable[Row], feeds: Path = FEEDS, stream_dev: Path = STREAM_DEV) -> list[Row]:
    """The items a background may draw, those the ``labelled`` rows use left out (module
    docstring); the stream-dev part only where its file is present."""
    labelled = list(labelled)
    used = {(r["feed_file"], r["feed_entry"]) for r in labelled if "feed_file" in r}
    titles = {clean(r["title"]).casefold() for r in labelled}
    items = feed_items(feeds) + (stream_dev_items(stream_dev) if stream_dev.exists() else [])
    return [it for it in items
            if (it.get("feed_file"), it.get("feed_entry")) not in used
            and it["title"].casefold() not in titles]  # fmt: skip


def background(labelled: Sequence[Row], per_day: int = PER_DAY, seed: int = SEED) -> list[Row]:
    """The background rows of a labelled stream: ``mix`` of the ``pool`` left when the
    set's items and the stream's own are taken out."""
    set_rows = [json.loads(line) for line in SET.read_text(encoding="utf-8").splitlines() if line]
    return mix(labelled, pool([*set_rows, *labelled]), per_day, seed)


def mix(
    labelled: Sequence[Row], items: Sequence[Row], per_day: int = PER_DAY, seed: int = SEED
) -> list[Row]:
    """Background rows for ``labelled``: ``per_day`` of ``items`` on each UTC day that holds
    a labelled row (module docstring), sorted by time. Deterministic for one seed."""
    rng = random.Random(seed)
    days = sorted({_day(r) for r in labelled})
    cyrillic = [it for it in items if it["language"] != "en"]
    english = [it for it in items if it["language"] == "en"]
    rng.shuffle(cyrillic)
    rng.shuffle(english)
    wanted = min(per_day, len(items) // max(len(days), 1))
    spread = len(cyrillic)
    rows: list[Row] = []
    for k, day in enumerate(days):
        share = spread * (k + 1) // len(days) - spread * k // len(days)
        drawn = [cyrillic.pop() for _ in range(min(share, wanted, len(cyrillic)))]
        drawn += [english.pop() for _ in range(min(wanted - len(drawn), len(english)))]
        for item in drawn:
            at = day + timedelta(seconds=rng.randrange(86400))
            rid = f"bg-{len(rows)}"
            rows.append({**{key: item[key] for key in ("title", "text", "source", "url",
                                                       "language")},
                         "id": rid, "published": at.isoformat(), "development": rid,
                         "role": "background"})  # fmt: skip
    rows.sort(key=lambda r: r["published"])
    return rows


def _day(row: Row) -> datetime:
    when = datetime.fromisoformat(row["published"]).astimezone(UTC)
    return datetime(when.year, when.month, when.day, tzinfo=UTC)


def background_stories(story: dict[str, str], rows: Sequence[Row]) -> list[list[Row]]:
    """The stories of a run's ``story`` that ``wrong_background_links`` counts: those
    holding a background row beside a row of another language, each as its rows in time
    order (what ``--misses`` prints with their headlines), in the order of their first."""
    members: dict[str, list[Row]] = {}
    for r in rows:
        members.setdefault(story[r["id"]], []).append(r)
    out = []
    for held in members.values():
        languages = {r["language"] for r in held}
        if len(languages) > 1 and any(r.get("role") == "background" for r in held):
            out.append(sorted(held, key=lambda r: r["published"]))
    return sorted(out, key=lambda held: held[0]["published"])


def wrong_background_links(story: dict[str, str], rows: Sequence[Row]) -> tuple[int, int]:
    """(labelled rows in one story with a background row of another language, background
    rows in one story with a background row of another language) of a run's ``story``."""
    languages: dict[str, dict[str, set[str]]] = {}  # story -> role -> languages
    for r in rows:
        kind = "background" if r.get("role") == "background" else "labelled"
        languages.setdefault(story[r["id"]], {}).setdefault(kind, set()).add(r["language"])
    labelled = background = 0
    for r in rows:
        kind = "background" if r.get("role") == "background" else "labelled"
        others = languages[story[r["id"]]].get("background", set()) - {r["language"]}
        if others and kind == "labelled":
            labelled += 1
        elif others:
            background += 1
    return labelled, background
