"""workers.dedupe: real feed articles turned into copies (must match) and near-misses (must not).

Articles come from ../shared/feeds/real, parsed with feedparser and a plain tag strip
(the project's parser is tested on its own; this test must not depend on it).
"""

from __future__ import annotations

import base64
import html
import json
import re
import unicodedata
import warnings
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

import feedparser
import numpy as np
import pytest
from datasketch import MinHash, MinHashLSH
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.factories import TextDoc
from workers.dedupe import (
    _BANDS,
    _NUMBER,
    _PERMUTATIONS,
    _ROWS,
    _SCHEME,
    _SEED,
    _WORD,
    JACCARD,
    LSH_THRESHOLD,
    MIN_WORDS,
    NUM_PERM,
    SHINGLE,
    WINDOW,
    NearDuplicateIndex,
    minhash_values,
    url_skeleton,
    words,
)
from workers.text import one_apostrophe

FEEDS = Path(__file__).resolve().parents[3] / "shared" / "feeds" / "real"
TIME_WORLD = "kagisearch-fastfeedparser__9f9555d69283aeda"  # TIME World, full articles
GUARDIAN = "rbren-rss-parser__guardian.rss"
T0 = datetime(2026, 2, 17, 12, tzinfo=UTC)

pytestmark = pytest.mark.skipif(not FEEDS.is_dir(), reason="needs ../shared/feeds (shared data)")


def _strip(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup or "")).split())


@cache
def feed_docs(name: str) -> tuple[TextDoc, ...]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # feedparser's own deprecation noise
        parsed = feedparser.parse((FEEDS / name).read_bytes())
    docs = []
    for i, entry in enumerate(parsed.entries):
        content = (entry.get("content") or [{}])[0].get("value") or entry.get("summary", "")
        docs.append(
            TextDoc(
                f"{name}#{i}",
                _strip(entry.get("title", "")),
                _strip(content),
                entry.get("link", ""),
            )
        )
    return tuple(docs)


def news_article(k: int = 0, max_words: int = 220) -> TextDoc:
    """The k-th TIME World article long enough for near-duplicate rules, its lead only."""
    long = [d for d in feed_docs(TIME_WORLD) if len(d.text.split()) >= 400]
    doc = long[k]
    return replace(doc, text=" ".join(doc.text.split()[:max_words]))


def edit_words(text: str, every: int) -> str:
    """Replace every ``every``-th word with another word (a copy editor's touch)."""
    out = text.split()
    for i in range(every // 2, len(out), every):
        out[i] = "reportedly" if out[i] != "reportedly" else "said"
    return " ".join(out)


BOILERPLATE = (
    "Sign up for our daily newsletter to get the most important stories delivered to your "
    "inbox. Follow us on social media. Copyright 2026 Wire Service. All rights reserved. "
    "This article was republished under a syndication agreement."
)


def _index_with(*docs: TextDoc) -> NearDuplicateIndex:
    index = NearDuplicateIndex()
    for doc in docs:
        index.add(doc, T0)
    return index


# -- copies: must be found ---------------------------------------------------


def _copy_cases() -> list[tuple[str, TextDoc]]:
    doc = news_article(0)
    return [
        ("wire-copy-other-url", replace(doc, id="c", url="https://other.example/world/abc-123")),
        (
            "case-and-punctuation",
            replace(doc, id="c", title=doc.title.upper() + "!", text=doc.text.replace(",", "")),
        ),
        ("boilerplate-appended", replace(doc, id="c", text=f"{doc.text} {BOILERPLATE}")),
        ("boilerplate-prepended", replace(doc, id="c", text=f"ADVERTISEMENT {doc.text}")),
        ("title-edited", replace(doc, id="c", title="Updated: " + doc.title.rsplit(" ", 2)[0])),
        ("words-edited", replace(doc, id="c", text=edit_words(doc.text, 25))),
        (
            "title-words-and-footer",
            replace(
                doc,
                id="c",
                title=doc.title + " (Analysis)",
                text=edit_words(doc.text, 30) + " " + BOILERPLATE,
            ),
        ),
        (
            "amp-url-shorter-text",
            replace(doc, id="c", url=_amp(doc.url), text=" ".join(doc.text.split()[:30])),
        ),
    ]


def _amp(url: str) -> str:
    return url.replace("https://", "https://amp.").rstrip("/") + "/?amp=1"


@pytest.mark.parametrize(
    "case", range(8), ids=lambda i: _copy_cases()[i][0] if FEEDS.is_dir() else str(i)
)
def test_copies_are_found(case: int) -> None:
    original = news_article(0)
    _, copy = _copy_cases()[case]
    index = _index_with(original, *feed_docs(GUARDIAN))
    assert index.find(copy) == original.id


def test_a_short_item_repeated_days_later_is_a_new_item() -> None:
    """An outlet's daily gallery under a new URL is not a copy of yesterday's."""
    gallery = TextDoc("g1", "The best of the world in pictures",
                      "The best photos from the wire agencies, chosen by our picture editors.",
                      "https://smh.example/world/gallery-20200422-p1")  # fmt: skip
    index = NearDuplicateIndex()
    index.add(gallery, T0)
    next_day = replace(gallery, id="g2", url="https://smh.example/world/gallery-20200423-p2")
    assert index.find(next_day, T0 + timedelta(days=1)) is None
    assert index.find(next_day, T0 + timedelta(hours=2)) == gallery.id  # a re-post: a copy
    long = news_article(0)
    index.add(long, T0)
    assert index.find(replace(long, id="c", url="https://x.example/a"), T0 + timedelta(days=2)) == (
        long.id
    )


def test_amp_skeleton_of_the_real_url() -> None:
    url = news_article(0).url
    assert url_skeleton(url)
    assert url_skeleton(_amp(url)) == url_skeleton(url)


# -- near-misses: must stay apart ------------------------------------------------


def _casualty_update(doc: TextDoc, killed: int, injured: int) -> TextDoc:
    lead = f"At least {killed} people were killed and {injured} injured, officials said."
    return replace(
        doc, id=f"killed-{killed}", title=f"{doc.title}: {killed} dead", text=f"{lead} {doc.text}"
    )


def test_casualty_update_is_a_new_article() -> None:
    """Same text, new counts: an update, which readers must see."""
    base = news_article(1)
    first = _casualty_update(base, 12, 30)
    index = _index_with(first)
    assert index.find(_casualty_update(base, 25, 41)) is None
    assert index.find(replace(first, id="again", url="https://mirror.example/x/1")) == first.id


def test_different_events_on_the_same_topic_stay_apart() -> None:
    a, b = news_article(2), news_article(3)
    index = _index_with(a)
    assert index.find(b) is None


@pytest.mark.parametrize(
    ("first", "second"),
    [
        pytest.param(
            ("Strike on Kharkiv kills 3", "Officials said the toll may rise."),
            ("Strike on Kharkiv kills 5", "Officials said the toll may rise."),
            id="headline-numbers-differ",
        ),
        pytest.param(
            ("Strike on Kharkiv", "Three dead, officials say."),
            ("Strike on Kharkiv", "Rescuers search the rubble overnight."),
            id="same-headline-other-summary",
        ),
        pytest.param(
            ("Parliament passes budget", ""),
            ("Parliament passes budget bill", ""),
            id="headline-alone-edited",
        ),
    ],
)
def test_short_texts_need_an_exact_match(first: tuple[str, str], second: tuple[str, str]) -> None:
    a = TextDoc("a", *first, url="https://a.example/news/2026/02/17/one")
    b = TextDoc("b", *second, url="https://b.example/news/2026/02/17/two")
    assert len(words(a.title + " " + a.text)) < MIN_WORDS
    assert _index_with(a).find(b) is None


def test_identical_short_texts_are_copies() -> None:
    a = TextDoc("a", "Strike on Kharkiv kills 3", "Officials said the toll may rise.")
    b = TextDoc("b", "Strike on  KHARKIV kills 3.", "Officials said the toll may rise")
    assert _index_with(a).match(b) == _match("a", "exact", 1.0)


def test_a_copy_with_another_apostrophe_is_a_copy() -> None:
    """Ukrainian outlets write the apostrophe as U+02BC, ’ or ': the words are the same."""
    a = TextDoc("a", "Удар по обʼєкту в Запоріжжі", "Пошкоджено обʼєкт інфраструктури.")
    b = TextDoc("b", "Удар по об’єкту в Запоріжжі", "Пошкоджено об'єкт інфраструктури.")
    assert _index_with(a).match(b) == _match("a", "exact", 1.0)


def _match(article_id: str, rule: str, similarity: float) -> object:
    from workers.dedupe import Match

    return Match(article_id, rule, similarity)


def test_real_feed_articles_do_not_match_each_other() -> None:
    """Every TIME and Guardian article against all the others: no false copy."""
    docs = [d for d in feed_docs(TIME_WORLD) + feed_docs(GUARDIAN) if d.title]
    index = NearDuplicateIndex()
    false = []
    for doc in docs:
        original = index.find(doc)
        if original is not None and not _same_item(doc, original, docs):
            false.append((doc.id, original))
        index.add(doc, T0)
    assert false == []


def _same_item(doc: TextDoc, other_id: str, docs: list[TextDoc]) -> bool:
    other = next(d for d in docs if d.id == other_id)
    return other.url == doc.url or other.text == doc.text  # feeds do repeat items


# -- window, replay, persistence --------------------------------------------------


def test_articles_leave_after_the_window() -> None:
    doc = news_article(0)
    index = _index_with(doc)
    copy = replace(doc, id="c")
    index.evict(T0 + WINDOW - timedelta(seconds=1))
    assert index.find(copy) == doc.id
    index.add(TextDoc("later", "Something else", ""), T0 + WINDOW + timedelta(seconds=1))
    assert index.find(copy) is None
    assert len(index) == 1


def find_or_add(index: NearDuplicateIndex, doc: TextDoc, when: datetime) -> str | None:
    """The story stage's order (workers/story_decider.py): ``find`` the original ``doc``
    copies, and ``add`` ``doc`` when it copies none. Returns the original's id or None."""
    original = index.find(doc, when)
    if original is None:
        index.add(doc, when)
    return original


def test_adding_only_what_copies_nothing_keeps_originals_only() -> None:
    doc = news_article(0)
    index = NearDuplicateIndex()
    assert find_or_add(index, doc, T0) is None
    assert find_or_add(index, replace(doc, id="c", text=doc.text + " " + BOILERPLATE), T0) == (
        doc.id
    )
    assert len(index) == 1
    index.add(doc, T0)  # a replay changes nothing
    assert len(index) == 1


def test_snapshot_restores_the_same_answers() -> None:
    docs = list(feed_docs(TIME_WORLD)[:40])
    index = _index_with(*docs)
    restored = NearDuplicateIndex.restore(json.loads(json.dumps(index.snapshot())))
    probes = [c for _, c in _copy_cases()] + [news_article(5), TextDoc("x", "Nothing", "")]
    assert [restored.match(p) for p in probes] == [index.match(p) for p in probes]
    assert len(restored) == len(index)


def test_thresholds_are_ordered() -> None:
    from workers.dedupe import LSH_THRESHOLD

    assert LSH_THRESHOLD < JACCARD  # LSH must not drop what verification would accept


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.sampled_from(["war", "talks", "kyiv", "said", "on", "the", "3", "minister"]),
        min_size=1,
        max_size=80,
    )
)
def test_any_text_is_a_copy_of_itself(tokens: list[str]) -> None:
    text = " ".join(tokens)
    index = _index_with(TextDoc("a", "Title", text))
    assert index.find(TextDoc("b", "title", text)) == "a"


# ------------------------------------------------------------------------------------------
# workers.dedupe's 32-bit signature: the low 32 bits of each 64-bit MinHash value, in the
# index and in its snapshot, which restores to the same answers.


def shingles_of(doc: TextDoc) -> set[bytes]:
    all_words = words(doc.title) + words(doc.text)
    return {" ".join(all_words[i : i + SHINGLE]).encode()
            for i in range(len(all_words) - SHINGLE + 1)}  # fmt: skip


def minhash64(doc: TextDoc) -> np.ndarray:
    """datasketch's 64-bit MinHash values for ``doc``."""
    minhash = MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME)
    minhash.update_batch(sorted(shingles_of(doc)))
    return minhash.hashvalues.astype(np.uint64)


def test_the_signature_is_the_low_32_bits_of_the_minhash_values() -> None:
    doc = news_article(3)
    index = _index_with(doc)
    (entry,) = index.snapshot()["entries"]
    stored = np.frombuffer(base64.b64decode(entry[-1]), dtype="<u4")
    assert len(stored) == NUM_PERM  # 4 bytes each: 684 base64 characters, not 1,368
    assert (stored == (minhash64(doc) & np.uint64(0xFFFFFFFF))).all()


def test_a_snapshot_restores_to_the_same_state_and_answers() -> None:
    docs = {d.id: d for d in feed_docs(TIME_WORLD)[:40]}
    index = _index_with(*docs.values())
    restored = NearDuplicateIndex.restore(json.loads(json.dumps(index.snapshot())))
    assert restored.snapshot() == index.snapshot()
    probes = [c for _, c in _copy_cases()] + [news_article(5), TextDoc("x", "Nothing", "")]
    assert [restored.match(p) for p in probes] == [index.match(p) for p in probes]


def test_a_snapshot_of_an_unknown_version_is_refused() -> None:
    import pytest

    with pytest.raises(ValueError, match="version 99"):
        NearDuplicateIndex.restore({"version": 99, "window_seconds": 1, "entries": []})


def test_the_permutations_and_bands_are_datasketchs() -> None:
    """Written without datasketch (its import costs a start), they are its values."""
    minhash = MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME)
    assert _PERMUTATIONS.dtype == minhash.permutations.dtype
    assert (minhash.permutations == _PERMUTATIONS).all()
    optimum = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    assert (optimum.b, optimum.r) == (_BANDS, _ROWS)


@settings(max_examples=60, deadline=None)
@given(st.sets(st.binary(min_size=0, max_size=40), min_size=1, max_size=300))
def test_minhash_values_are_datasketchs(shingles: set[bytes]) -> None:
    minhash = MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME)
    minhash.update_batch(sorted(shingles))
    assert (minhash_values(shingles) == minhash.hashvalues.astype(np.uint64)).all()


# The same patterns with their first repeat written "x+" (dedupe's open with "x" then "x*").
WORD_PLUS = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
NUMBER_PLUS = re.compile(r"\d+(?:[.,:]\d+)*")


@given(
    st.text(alphabet="ab1_ '’.,:-\n\u00e9\u0436\u0661\u00b2", max_size=60) | st.text(max_size=60)
)
def test_words_and_numbers_are_what_the_plus_patterns_find(text: str) -> None:
    assert _WORD.findall(text) == WORD_PLUS.findall(text)
    assert _NUMBER.findall(text) == NUMBER_PLUS.findall(text)


@given(
    st.text(alphabet="ab ’'\u00a0\ufb01\uff21\u00b2\u0301e\u2126", max_size=30)
    | st.text(max_size=30)
)
def test_words_read_the_text_in_its_nfkc_form(text: str) -> None:
    """Text already in NFKC (most) and text that is not (a no-break space, a ligature, a
    full-width letter, a superscript, a combining accent) give the words of its NFKC form."""
    assert words(text) == _WORD.findall(
        one_apostrophe(unicodedata.normalize("NFKC", text).casefold())
    )


def test_minhash_values_of_real_articles_are_datasketchs() -> None:
    docs = feed_docs(TIME_WORLD)[:40]
    assert any(len(shingles_of(d)) > 50 for d in docs)
    for doc in docs:
        assert (minhash_values(shingles_of(doc)) == minhash64(doc)).all()
