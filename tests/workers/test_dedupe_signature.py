"""workers.dedupe's 32-bit signature: the low 32 bits of each 64-bit MinHash value, in the
index and in its snapshot, which restores to the same answers."""

from __future__ import annotations

import base64
import json

import numpy as np
from datasketch import MinHash

from tests.factories import TextDoc
from tests.workers.test_dedupe import TIME_WORLD, _copy_cases, _index_with, feed_docs, news_article
from workers.dedupe import _SCHEME, _SEED, NUM_PERM, SHINGLE, NearDuplicateIndex, words


def minhash64(doc: TextDoc) -> np.ndarray:
    """datasketch's 64-bit MinHash values for ``doc``."""
    all_words = words(doc.title) + words(doc.text)
    shingles = {" ".join(all_words[i : i + SHINGLE]).encode()
                for i in range(len(all_words) - SHINGLE + 1)}  # fmt: skip
    minhash = MinHash(num_perm=NUM_PERM, seed=_SEED, scheme=_SCHEME)
    minhash.update_batch(sorted(shingles))
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
