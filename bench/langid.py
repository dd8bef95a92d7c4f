"""Language detection on real snippets: langdetect vs py3langid.

Run by hand: ``.venv/bin/python bench/langid.py`` (needs ``pip install langdetect``, no
longer a dependency). For every entry of ../shared/feeds
whose feed or entry declares a language, the snippet normalization detects on (title +
start of text, ``DETECT_MAX_CHARS``) goes to both detectors; an answer below
``DETECT_MIN_PROBABILITY`` counts as "unknown" (what normalize does with it). Prints,
per detector, how often it agrees with the declared language, disagrees, or abstains,
and the mean time per call (best of ``--rounds``). Declared languages are themselves
noisy (CMS defaults), so agreement is a floor on accuracy, not accuracy.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

from workers.language import MIN_LETTERS
from workers.language import detect_language as detect_py3langid
from workers.normalize import _snippet, primary_language
from workers.parse import parse_feed

FEEDS = Path(__file__).resolve().parents[2] / "shared" / "feeds"


def snippets() -> list[tuple[str, str]]:
    """(declared primary language, snippet) for every entry that declares one."""
    out = []
    for path in sorted(FEEDS.rglob("*")):
        if not path.is_file() or path.suffix in (".tsv", ".md"):
            continue
        parsed = parse_feed(path.read_bytes(), path.as_uri())
        for entry in parsed.entries:
            declared = primary_language(entry.language) or primary_language(parsed.language)
            text = _snippet(entry)
            if declared and sum(ch.isalpha() for ch in text) >= MIN_LETTERS:
                out.append((declared, text))
    return out


def langdetect_factory() -> DetectorFactory:
    """langdetect as normalize used it: profiles loaded once, seeded, 3 trials."""
    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    factory.seed = 0
    return factory


def detect_langdetect(factory: DetectorFactory, text: str) -> str:
    detector = factory.create()
    detector.n_trial = 3
    detector.append(text)
    try:
        best = max(detector.get_probabilities(), key=lambda lang: lang.prob, default=None)
    except LangDetectException:
        return ""
    return primary_language(best.lang) if best is not None and best.prob >= 0.80 else ""


def score(
    name: str, detect: Callable[[str], str], cases: list[tuple[str, str]], rounds: int
) -> list[str]:
    answers = [detect(text) for _, text in cases]  # warm-up, and the answers
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for _, text in cases:
            detect(text)
        best = min(best, time.perf_counter() - started)
    agree = sum(a == d for a, (d, _) in zip(answers, cases, strict=True))
    unknown = sum(a == "" for a in answers)
    wrong = len(cases) - agree - unknown
    per_call = best / len(cases) * 1000
    print(
        f"{name:<22} agree {agree:5d}  disagree {wrong:5d}  unknown {unknown:5d}"
        f"  {per_call:.3f} ms/call"
    )
    return answers


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    cases = snippets()
    print(f"{len(cases)} snippets with a declared language from {FEEDS}")
    factory = langdetect_factory()
    score("langdetect", lambda text: detect_langdetect(factory, text), cases, args.rounds)
    score("py3langid", detect_py3langid, cases, args.rounds)


if __name__ == "__main__":
    main()
