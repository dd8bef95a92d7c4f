"""workers.lsh_bands: the same candidates as datasketch's MinHashLSH, over signature bytes."""

from __future__ import annotations

import numpy as np
from datasketch import LeanMinHash, MinHashLSH
from hypothesis import given, settings
from hypothesis import strategies as st

from workers.dedupe import _SCHEME, _SEED, LSH_THRESHOLD, NUM_PERM
from workers.lsh_bands import BandIndex

# Values from a tiny alphabet, so that signatures share whole bands often.
SIGNATURES = st.lists(
    st.lists(st.integers(0, 1), min_size=NUM_PERM, max_size=NUM_PERM), min_size=1, max_size=40
)


def _bytes(values: list[int]) -> bytes:
    return np.array(values, dtype="<u4").tobytes()


def _minhash(values: list[int]) -> LeanMinHash:
    return LeanMinHash(seed=_SEED, hashvalues=np.array(values, dtype=np.uint64), scheme=_SCHEME)


@settings(max_examples=60, deadline=None)
@given(SIGNATURES, st.data())
def test_queries_answer_what_minhashlsh_answers(
    signatures: list[list[int]], data: st.DataObject
) -> None:
    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    bands = BandIndex(lsh.b, lsh.r)
    for i, values in enumerate(signatures):
        lsh.insert(f"k{i}", _minhash(values))
        bands.insert(f"k{i}", _bytes(values))
    gone = data.draw(st.sets(st.integers(0, len(signatures) - 1)))
    for i in gone:
        lsh.remove(f"k{i}")
        bands.remove(f"k{i}", _bytes(signatures[i]))
    probes = signatures + data.draw(SIGNATURES)
    answers = [bands.query(_bytes(p)) for p in probes]
    assert answers == [set(lsh.query(_minhash(p))) for p in probes]
    assert any(answers) or len(gone) == len(signatures)


def test_values_past_the_last_band_are_in_no_band() -> None:
    bands = BandIndex(bands=2, rows=3)
    stored = [1, 2, 3, 4, 5, 6, 7, 8]
    bands.insert("a", _bytes(stored))
    assert bands.query(_bytes([1, 2, 3, 0, 0, 0, 0, 0])) == {"a"}  # the first band
    assert bands.query(_bytes([0, 2, 3, 4, 5, 0, 7, 8])) == set()  # no whole band
    assert bands.query(_bytes([0, 0, 0, 0, 0, 0, 7, 8])) == set()  # only the tail


def test_removing_every_key_leaves_no_entry() -> None:
    bands = BandIndex(bands=4, rows=2)
    signatures = {"a": [1] * 8, "b": [1] * 4 + [2] * 4, "c": [3] * 8}
    for key, values in signatures.items():
        bands.insert(key, _bytes(values))
    assert len(bands) == 12
    assert bands.query(_bytes([1] * 8)) == {"a", "b"}
    for key, values in signatures.items():
        bands.remove(key, _bytes(values))
    assert len(bands) == 0
    assert bands.query(_bytes([1] * 8)) == set()
