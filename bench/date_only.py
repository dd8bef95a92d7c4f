"""How the real documents of ../shared/feeds/real are dated: which items' dates name a
day only (workers/date_only.py), as the parser marks them.

Run by hand: ``.venv/bin/python bench/date_only.py [--list]``. Counts the items whose
date normalize uses (published, else updated) is plausible (from EARLIEST_PLAUSIBLE on),
those of them marked date-only, the documents whose every such item is, and those
where only some are. ``--list`` names each document that has a date-only item.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from workers.normalize import entry_date
from workers.parse import parse_feed

REAL = Path(__file__).resolve().parents[2] / "shared" / "feeds" / "real"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--list", action="store_true", help="name the documents counted")
    args = parser.parse_args()
    if not REAL.is_dir():
        print(f"no corpus at {REAL}", file=sys.stderr)
        return 1
    documents = dated_documents = all_date_only = some_date_only = items = date_only = 0
    for path in sorted(REAL.iterdir()):
        documents += 1
        feed = parse_feed(path.read_bytes(), f"https://feeds.example.org/{path.name}")
        dated = [d[1] for d in map(entry_date, feed.entries) if d is not None]
        if not dated:
            continue
        marked = sum(dated)
        dated_documents += 1
        all_date_only += marked == len(dated)
        some_date_only += 0 < marked < len(dated)
        items, date_only = items + len(dated), date_only + marked
        if args.list and marked:
            print(f"{path.name}: {marked} of {len(dated)} dated items date-only")
    print(f"{documents} documents, {dated_documents} with plausible dates, {items} dated items")
    print(f"date-only items: {date_only} ({date_only / max(items, 1):.1%})")
    print(f"documents whose every dated item is date-only: {all_date_only}; some: {some_date_only}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
