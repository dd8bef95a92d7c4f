"""Validate ``stream.jsonl`` (the cross-lingual development set) and print its counts.

    .venv/bin/python bench/data/crosslingual/check.py [stream.jsonl] [--feeds DIR] [--pred PRED.jsonl]

Checks: the fields ``briefing cluster-eval`` reads (id, title, text, published with a zone,
source, url, language) and the labels (development, role, kind, origin, translated_from);
languages en/uk/ru; unique ids; rows sorted by published; every development seen in two
or more languages, every distractor alone in one row; every translation points at a real
item (in the file, or withheld with its feed entry named) and comes after it; texts short.
Every real row of the captured part is compared with its item in captured.jsonl (title and
link). With --feeds (default ../shared/feeds/real beside the repo, when it exists) every
real row of the feed part is compared with its feed entry (title and link). Exits 1 on any
error.

With --pred (the output of ``briefing cluster-eval``: {"id", "story"} lines) it also
scores a clustering the way issue 13 states its targets: the share of cross-language
version pairs put in one story, and the share of cross-language pairs of different
developments published within 48 hours of each other that were put in one story.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from itertools import combinations
from pathlib import Path

HERE = Path(__file__).resolve().parent
LANGUAGES = ("en", "uk", "ru")
REQUIRED = (
    "id",
    "title",
    "text",
    "published",
    "source",
    "url",
    "language",
    "development",
    "role",
    "kind",
    "origin",
)
MAX_TEXT = 320
NEAR = timedelta(hours=48)


def load(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def check(rows: list[dict], feeds: Path | None) -> list[str]:
    errors: list[str] = []
    ids = Counter(r.get("id") for r in rows)
    errors += [f"duplicate id {i}" for i, n in ids.items() if n > 1]
    by_id = {r.get("id"): r for r in rows}
    times: list[datetime] = []
    for n, r in enumerate(rows, 1):
        where = f"line {n} ({r.get('id')})"
        for field in REQUIRED:
            if field not in r:
                errors.append(f"{where}: missing {field}")
        if not all(isinstance(r.get(f), str) for f in REQUIRED):
            errors.append(f"{where}: a required field is not a string")
            continue
        if not r["title"].strip():
            errors.append(f"{where}: empty title")
        if r["language"] not in LANGUAGES:
            errors.append(f"{where}: language {r['language']!r}")
        if r["role"] not in ("development", "distractor"):
            errors.append(f"{where}: role {r['role']!r}")
        if r["kind"] not in ("event", "report"):
            errors.append(f"{where}: kind {r['kind']!r}")
        if len(r["text"]) > MAX_TEXT:
            errors.append(f"{where}: text of {len(r['text'])} characters")
        # A captured item whose versions share one link (a video with its titles in two
        # languages) keeps no link at all; check_against_capture compares it with the item.
        linkless = r["url"] == "" and r["origin"] == "real" and bool(r.get("capture"))
        if not linkless and not r["url"].startswith(("https://", "http://")):
            errors.append(f"{where}: url {r['url']!r}")
        try:
            when = datetime.fromisoformat(r["published"])
            if when.tzinfo is None:
                errors.append(f"{where}: published without a zone")
            times.append(when)
        except ValueError:
            errors.append(f"{where}: published {r['published']!r} is not ISO 8601")
            continue
        if r["origin"] == "real":
            if r.get("synthetic") or "translated_from" in r or "example.org" in r["url"]:
                errors.append(f"{where}: a real row marked as translated")
        elif r["origin"] == "translated":
            if r.get("synthetic") is not True or "//example.org/" not in r["url"]:
                errors.append(f"{where}: translation not marked synthetic with an example.org url")
            source = r.get("translated_from")
            if source in by_id:
                original = by_id[source]
                if original.get("origin") != "real":
                    errors.append(f"{where}: translated from a row that is not real")
                if original.get("development") != r["development"]:
                    errors.append(f"{where}: not in its original's development")
                if original.get("language") == r["language"]:
                    errors.append(f"{where}: translated into its original's language")
                if datetime.fromisoformat(original["published"]) >= when:
                    errors.append(f"{where}: published before its original")
            elif not (
                r.get("original_withheld")
                and ((r.get("feed_file") and "feed_entry" in r) or r.get("capture"))
            ):
                errors.append(f"{where}: translated_from {source!r} not in the file nor named")
        else:
            errors.append(f"{where}: origin {r['origin']!r}")
    if times != sorted(times):
        errors.append("rows are not sorted by published")

    groups: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        groups[r.get("development")].append(r)
    for dev, members in groups.items():
        roles = {m.get("role") for m in members}
        if len(roles) != 1:
            errors.append(f"{dev}: mixed roles {sorted(roles)}")
            continue
        languages = {m.get("language") for m in members}
        if roles == {"development"} and len(languages) < 2:
            errors.append(f"{dev}: a development in one language only")
        if roles == {"distractor"} and len(members) != 1:
            errors.append(f"{dev}: a distractor with {len(members)} rows")
        if not any(m.get("origin") == "real" for m in members) and roles == {"development"}:
            errors.append(f"{dev}: a development without a real report")

    errors += check_against_capture(rows)
    if feeds is not None:
        errors += check_against_feeds(rows, feeds)
    return errors


def check_against_capture(rows: list[dict]) -> list[str]:
    """Every real row taken from a captured.jsonl (the main set's, or a part's named by the
    row's ``capture``), and every withheld original named there, matches its captured item:
    the same url, and the title build.py derives from it."""
    sys.path.insert(0, str(HERE))
    from build import load_captured

    captures: dict[str, dict[str, dict]] = {}
    errors: list[str] = []
    for r in rows:
        if not r.get("capture"):
            continue
        # the main set's rows name captured.jsonl, a part's rows <part>/captured.jsonl
        if r["capture"] not in captures:
            captures[r["capture"]] = load_captured(HERE / r["capture"])
        key = r["id"] if r.get("origin") == "real" else r.get("translated_from")
        item = captures[r["capture"]].get(key)
        if item is None:
            errors.append(f"{r['id']}: {key} is not in {r['capture']}")
        elif r.get("origin") == "real" and (item["title"], item["url"]) != (r["title"], r["url"]):
            errors.append(f"{r['id']}: does not match its item in {r['capture']}")
    return errors


def check_against_feeds(rows: list[dict], feeds: Path) -> list[str]:
    try:
        import feedparser
    except ImportError:
        return ["--feeds needs feedparser (use the project's .venv)"]
    sys.path.insert(0, str(HERE))
    from build import clean

    errors: list[str] = []
    parsed: dict[str, object] = {}
    for r in rows:
        if r.get("origin") != "real" or "feed_file" not in r:
            continue
        name = r["feed_file"].removeprefix("real/")
        if name not in parsed:
            parsed[name] = feedparser.parse(str(feeds / name))
        entries = parsed[name].entries  # type: ignore[attr-defined]
        entry = entries[r["feed_entry"]] if r["feed_entry"] < len(entries) else None
        if (
            entry is None
            or clean(entry.get("title", "")) != r["title"]
            or entry.get("link") != r["url"]
        ):
            errors.append(f"{r['id']}: does not match entry {r['feed_entry']} of {name}")
    return errors


def counts(rows: list[dict]) -> dict:
    groups: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        groups[r["development"]].append(r)
    devs = {d: m for d, m in groups.items() if m[0]["role"] == "development"}
    distractors = {d: m for d, m in groups.items() if m[0]["role"] == "distractor"}
    by_langs = Counter(len({m["language"] for m in members}) for members in devs.values())
    positive = sum(
        1
        for members in devs.values()
        for a, b in combinations(members, 2)
        if a["language"] != b["language"]
    )
    negative_near = 0
    ordered = sorted(rows, key=lambda r: datetime.fromisoformat(r["published"]))
    stamps = [datetime.fromisoformat(r["published"]) for r in ordered]
    for i, a in enumerate(ordered):
        for j in range(i + 1, len(ordered)):
            if stamps[j] - stamps[i] > NEAR:
                break
            b = ordered[j]
            if a["language"] != b["language"] and a["development"] != b["development"]:
                negative_near += 1
    return {
        "rows": len(rows),
        "developments": len(devs),
        "developments_by_language_count": dict(sorted(by_langs.items())),
        "developments_by_kind": dict(Counter(m[0]["kind"] for m in devs.values())),
        "development_versions": sum(len(m) for m in devs.values()),
        "development_versions_by_language_origin": dict(
            sorted(
                Counter(f"{r['language']}/{r['origin']}" for m in devs.values() for r in m).items()
            )
        ),
        "distractors": len(distractors),
        "distractors_by_language_origin": dict(
            sorted(
                Counter(
                    f"{m[0]['language']}/{m[0]['origin']}" for m in distractors.values()
                ).items()
            )
        ),
        "rows_by_language": dict(sorted(Counter(r["language"] for r in rows).items())),
        "cross_language_same_development_pairs": positive,
        "cross_language_different_development_pairs_within_48h": negative_near,
        "first_published": ordered[0]["published"],
        "last_published": ordered[-1]["published"],
    }


def score(rows: list[dict], pred_path: Path) -> dict:
    story = {}
    for line in pred_path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            item = json.loads(line)
            story[item["id"]] = item["story"]
    missing = [r["id"] for r in rows if r["id"] not in story]
    if missing:
        raise SystemExit(f"{len(missing)} ids have no prediction, e.g. {missing[:3]}")
    pos = pos_hit = neg = neg_hit = 0
    ordered = sorted(rows, key=lambda r: datetime.fromisoformat(r["published"]))
    stamps = [datetime.fromisoformat(r["published"]) for r in ordered]
    for i, a in enumerate(ordered):
        for j in range(i + 1, len(ordered)):
            b = ordered[j]
            if a["language"] == b["language"]:
                continue
            together = story[a["id"]] == story[b["id"]]
            if a["development"] == b["development"]:
                pos += 1
                pos_hit += together
            elif stamps[j] - stamps[i] <= NEAR:
                neg += 1
                neg_hit += together
    return {
        "cross_language_versions_linked": f"{pos_hit}/{pos} = {pos_hit / pos:.1%}"
        if pos
        else "n/a",
        "cross_language_distractor_pairs_linked_within_48h": (
            f"{neg_hit}/{neg} = {neg_hit / neg:.2%}" if neg else "n/a"
        ),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("file", nargs="?", type=Path, default=HERE / "stream.jsonl")
    default_feeds = HERE.parents[3] / "shared" / "feeds" / "real"
    parser.add_argument(
        "--feeds", type=Path, default=default_feeds if default_feeds.is_dir() else None
    )
    parser.add_argument("--pred", type=Path, default=None)
    args = parser.parse_args(argv)
    rows = load(args.file)
    errors = check(rows, args.feeds)
    for error in errors[:50]:
        print("ERROR", error)
    if errors:
        print(f"{len(errors)} errors")
        return 1
    print(json.dumps(counts(rows), ensure_ascii=False, indent=2))
    if args.feeds is not None:
        print(f"real rows match their feed entries in {args.feeds}")
    if args.pred is not None:
        print(json.dumps(score(rows, args.pred), indent=2))
    print("OK")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
