"""Which texts the gazetteer reads differently in two checkouts, over every real text here.

    .venv/bin/python bench/place_readings.py BASE_CHECKOUT [OTHER_CHECKOUT]

Texts: every titled item of the real news feeds (``../shared/feeds/real``), the English
articles of the real 2020 stream, and the reports of the cross-language set and of its
tuning parts (dev, fresh, held3, held4, held5, held9-held26: bench/crosslingual.py's
``OWN_STREAMS``; never the held-out parts), each as its title, its text, and both. Each
checkout reads them in a process of its own (its ``workers`` first on the path, the host
cache off so each builds its own tables), and every text whose places differ is printed
with both readings: a change to the gazetteer is read here, text by text, before it is
measured end to end. A checkout that reads link towns
(workers/link_towns.py) prints them after the places, each with its script ("town
Chasiv Yar (Cyrillic)").
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from _background import feed_items, stream_dev_items

ROOT = Path(__file__).resolve().parent.parent
PARTS = ("stream.jsonl", "dev/stream.jsonl", "fresh/stream.jsonl", "held3/stream.jsonl",
         "held4/stream.jsonl", "held5/stream.jsonl", "held9/stream.jsonl",
         "held10/stream.jsonl", "held11/stream.jsonl", "held12/stream.jsonl",
         "held13/stream.jsonl", "held14/stream.jsonl", "held15/stream.jsonl",
         "held16/stream.jsonl", "held17/stream.jsonl", "held18/stream.jsonl",
         "held19/stream.jsonl", "held20/stream.jsonl", "held21/stream.jsonl",
         "held22/stream.jsonl", "held23/stream.jsonl", "held24/stream.jsonl",
         "held25/stream.jsonl", "held26/stream.jsonl")  # fmt: skip

_READ = """
import json, sys
from workers.places import find_places
try:
    from workers.link_towns import link_towns
except ImportError:
    def link_towns(text):
        return ()
def read(text):
    towns = sorted(f"town {town} ({'Latin' if latin else 'Cyrillic'})"
                   for town, latin in link_towns(text))
    return [*find_places(text), *towns]
texts = json.load(sys.stdin)
json.dump([read(text) for text in texts], sys.stdout, ensure_ascii=False)
"""


def texts() -> list[str]:
    rows = feed_items() + stream_dev_items()
    for part in PARTS:
        with (ROOT / "bench/data/crosslingual" / part).open(encoding="utf-8") as lines:
            rows += [json.loads(line) for line in lines if line.strip()]
    found: dict[str, None] = {}
    for row in rows:
        title, text = row.get("title") or "", row.get("text") or ""
        for one in (title, text, f"{title}\n{text}"):
            if one.strip():
                found.setdefault(one, None)
    return list(found)


def readings(checkout: Path, texts: list[str]) -> list[list[str]]:
    env = dict(os.environ, PYTHONPATH=str(checkout), BRIEFING_CACHE_DIR="off")
    done = subprocess.run([sys.executable, "-c", _READ], input=json.dumps(texts), env=env,
                          capture_output=True, text=True, check=True, cwd=checkout)  # fmt: skip
    return list(json.loads(done.stdout))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", type=Path)
    parser.add_argument("other", type=Path, nargs="?", default=ROOT)
    args = parser.parse_args()
    every = texts()
    base, other = readings(args.base, every), readings(args.other, every)
    changed = [(t, b, o) for t, b, o in zip(every, base, other, strict=True) if b != o]
    print(f"{len(every)} texts; {len(changed)} read differently")
    for text, was, now in changed:
        print(f"- {was} -> {now}: {' '.join(text.split())[:160]}")


if __name__ == "__main__":
    main()
