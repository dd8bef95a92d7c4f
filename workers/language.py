"""Language detection of a short text (pure): py3langid's naive Bayes over byte n-grams.

Used only when neither the entry, the operator nor the feed declares a language
(workers/normalize.py). py3langid (a maintained fork of langid.py, 97 languages, wheels,
numpy only) answers in a tenth of langdetect's time and deterministically, without the
random trials langdetect needs a seed for; bench/langid.py compares both on the shared
feeds. Guesses on too few letters, or below ``MIN_PROBABILITY``, are ``""``: unknown
beats wrong.
"""

from __future__ import annotations

from functools import cache

from py3langid.langid import LanguageIdentifier

from workers.language_model import load_identifier

MIN_LETTERS = 20  # below this every guess is noise ("OK" -> Slovak)
# py3langid's probabilities (norm_probs: a softmax tempered by the text's length) below
# this are guesses between related languages or on mixed text.
MIN_PROBABILITY = 0.40


def detect_language(text: str) -> str:
    """ISO 639-1 code of the language ``text`` is confidently written in, else ``""``."""
    if sum(ch.isalpha() for ch in text) < MIN_LETTERS:
        return ""
    # Among ISO 639-1 languages only: the model also knows languages without a two-letter
    # code (Wu and Cantonese Chinese, Egyptian Arabic, ...), which articles are not
    # tagged with; their share is taken out before the probability floor applies.
    ranked = [(label, p) for label, p in identifier().rank(text) if len(label) == 2]
    language, best = ranked[0]
    total = sum(p for _, p in ranked)
    return language if total > 0 and best / total >= MIN_PROBABILITY else ""


@cache
def identifier() -> LanguageIdentifier:
    """The model, loaded once per process (workers/language_model.py)."""
    return load_identifier()
