"""Near-duplicate decisions with the 32-bit signature against the 64-bit one.

    .venv/bin/python bench/near_signature.py [--baseline REV] [--text-max-chars 1500]

workers/dedupe.py keeps the low 32 bits of each MinHash value (b-bit minwise hashing);
``--baseline`` names a revision whose workers/dedupe.py still used the 64-bit values (read
with ``git show``, imported beside the current module). Both indexes see the same documents
in the same order, and every decision is compared:

* ``../shared/data/uci-news-dev.jsonl.gz`` (13,102 labelled headlines): ``check_and_add`` in
  time order; also how often the chosen original is in the same gold story;
* every item of ``../shared/feeds/real``, parsed and normalized as the fetch stage does
  (``parse_feed`` -> ``normalize_document``, text trimmed to ``--text-max-chars``):
  ``check_and_add`` in file order;
* edited copies of those items (a seeded share of the words replaced, from 2 % to 25 %, so
  the estimated Jaccard crosses ``JACCARD``; a boilerplate footer; the text cut by a
  quarter): ``match`` against the index of the originals.

Reported: decisions compared, decisions that differ (matched id or rule), the largest
difference between the two similarity estimates, and how many decisions were "near"
(the rule the signature decides). Deterministic: no clock, a fixed seed.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import random
import subprocess
import sys
import tempfile
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DATA = ROOT.parent / "shared" / "data" / "uci-news-dev.jsonl.gz"
FEEDS = ROOT.parent / "shared" / "feeds" / "real"
NOW = datetime(2026, 11, 25, 12, tzinfo=UTC)
EDIT_SHARES = (0.02, 0.05, 0.08, 0.10, 0.12, 0.15, 0.20, 0.25)
FOOTER = (
    "Sign up for our newsletter to get the top stories of the day delivered to your inbox "
    "every morning, and follow us on social media for live updates and analysis."
)


def load_baseline(rev: str) -> ModuleType:
    source = subprocess.run(
        ["git", "show", f"{rev}:workers/dedupe.py"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    path = Path(tempfile.mkdtemp(prefix="near-signature-")) / "dedupe64.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("dedupe64", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


class Tally:
    def __init__(self, name: str) -> None:
        self.name = name
        self.compared = 0
        self.differ: list[tuple[str, Any, Any]] = []
        self.rules: dict[str, int] = {}
        self.max_delta = 0.0

    def add(self, doc_id: str, old: Any, new: Any) -> None:
        self.compared += 1
        old_key = None if old is None else (old.article_id, old.rule)
        new_key = None if new is None else (new.article_id, new.rule)
        if old_key != new_key:
            self.differ.append((doc_id, old_key, new_key))
        rule = "none" if new is None else new.rule
        self.rules[rule] = self.rules.get(rule, 0) + 1
        if old is not None and new is not None and old_key == new_key:
            self.max_delta = max(self.max_delta, abs(old.similarity - new.similarity))

    def line(self) -> str:
        return (
            f"{self.name}: {self.compared:,} decisions, {len(self.differ)} differ; "
            f"new decisions by rule {dict(sorted(self.rules.items()))}; "
            f"largest |similarity 64-bit - 32-bit| of the same match {self.max_delta:.6f}"
        )


def labelled(old_mod: ModuleType, new_mod: ModuleType) -> tuple[Tally, str]:
    with gzip.open(DATA, "rt", encoding="utf-8") as lines:
        rows = [json.loads(line) for line in lines]
    rows.sort(key=lambda r: (r["published"], r["id"]))
    gold = {r["id"]: r["cluster"] for r in rows}
    old, new = old_mod.NearDuplicateIndex(), new_mod.NearDuplicateIndex()
    tally = Tally("labelled headlines (../shared/data)")
    same_story = 0
    long_enough = 0
    for r in rows:
        doc = new_mod.TextDoc(r["id"], r["title"], r["text"], r["url"])
        now = datetime.fromisoformat(r["published"].replace("Z", "+00:00"))
        n_words = len(new_mod.words(r["title"]) + new_mod.words(r["text"]))
        long_enough += n_words >= new_mod.MIN_WORDS
        before, after = old.match(doc), new.match(doc)
        tally.add(r["id"], before, after)
        old.check_and_add(doc, now)
        new.check_and_add(doc, now)
        if after is not None and gold[after.article_id] == gold[r["id"]]:
            same_story += 1
    matched = sum(v for k, v in tally.rules.items() if k != "none")
    note = (
        f"  {long_enough} of {len(rows):,} headlines have >= MIN_WORDS words (a MinHash at "
        f"all); copies found {matched}, of which in the copied article's gold story {same_story}"
    )
    return tally, note


def real_items(text_max_chars: int) -> list[Any]:
    from service.models import FeedConfig
    from workers.normalize import normalize_document
    from workers.parse import parse_feed

    articles = []
    for n, path in enumerate(sorted(p for p in FEEDS.iterdir() if p.is_file())):
        config = FeedConfig(url=f"https://feeds.example/{n}", name=path.stem)
        parsed = parse_feed(path.read_bytes(), config.url)
        if parsed.error is not None:
            continue
        articles += normalize_document(parsed, config, now=NOW, text_max_chars=text_max_chars)
    return articles


def edited(rng: random.Random, text: str, share: float) -> str:
    tokens = text.split()
    for i in rng.sample(range(len(tokens)), max(1, round(share * len(tokens)))):
        tokens[i] = f"edited{rng.randrange(10**6)}x"
    return " ".join(tokens)


def real(old_mod: ModuleType, new_mod: ModuleType, text_max_chars: int) -> tuple[Tally, Tally]:
    articles = real_items(text_max_chars)
    old, new = old_mod.NearDuplicateIndex(), new_mod.NearDuplicateIndex()
    stream = Tally(f"real feed items (../shared/feeds/real, {len(articles):,})")
    for a in articles:
        doc = new_mod.TextDoc(a.id, a.title, a.text, a.url)
        stream.add(a.id, old.match(doc), new.match(doc))
        old.check_and_add(doc, NOW)
        new.check_and_add(doc, NOW)
    rng = random.Random(6)
    copies = Tally("edited copies of the real items")
    seen: set[str] = set()
    for a in articles:
        if a.id in seen or a.id not in new:
            continue
        seen.add(a.id)
        base = new_mod.TextDoc(f"{a.id}~", a.title, a.text, "")
        if len(new_mod.words(a.title) + new_mod.words(a.text)) < new_mod.MIN_WORDS:
            continue
        variants = [replace(base, text=edited(rng, a.text, s)) for s in EDIT_SHARES]
        variants += [replace(base, text=f"{a.text} {FOOTER}")]
        variants += [replace(base, text=" ".join(a.text.split()[: len(a.text.split()) * 3 // 4]))]
        for k, v in enumerate(variants):
            v = replace(v, id=f"{a.id}~{k}")
            copies.add(v.id, old.match(v), new.match(v))
    return stream, copies


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--baseline", default="fa1a9e4", help="revision with 64-bit values")
    parser.add_argument("--text-max-chars", type=int, default=1500)
    args = parser.parse_args(argv)
    import workers.dedupe as new_mod

    old_mod = load_baseline(args.baseline)
    assert old_mod.NUM_PERM == new_mod.NUM_PERM
    tally, note = labelled(old_mod, new_mod)
    print(tally.line())
    print(note)
    for t in real(old_mod, new_mod, args.text_max_chars):
        print(t.line())
        for doc_id, before, after in t.differ[:20]:
            print(f"  differs: {doc_id}: 64-bit {before} / 32-bit {after}")


if __name__ == "__main__":
    main()
