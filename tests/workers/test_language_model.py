"""workers.language_model: py3langid's model from the host's cache of its arrays."""

from __future__ import annotations

import lzma
from functools import cache
from pathlib import Path

import numpy as np
import pytest
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

from tests.support.host_cache import cached
from workers.host_cache import cache_root
from workers.language_model import ARRAYS, load_identifier

TEXTS = [
    "Russian drones struck an energy facility in Kharkiv overnight, the governor said.",
    "Пожежа на складі в Харкові після атаки дронів, повідомив голова ОВА.",
    "Ночью беспилотники атаковали энергетический объект в Харькове.",
    "Die Regierung kündigte am Montag neue Hilfen für die Ukraine an.",
    "OK",
]


@cache
def packaged() -> LanguageIdentifier:
    """The model as py3langid loads it from its package."""
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def assert_same_model(model: LanguageIdentifier) -> None:
    reference = packaged()
    assert model.nb_ptc.dtype == reference.nb_ptc.dtype
    assert np.array_equal(model.nb_ptc, reference.nb_ptc)
    assert np.array_equal(model.nb_pc, reference.nb_pc)
    assert model.nb_classes == reference.nb_classes
    assert model.tk_nextmove == reference.tk_nextmove
    assert model.tk_row == reference.tk_row
    assert model.tk_output == reference.tk_output
    assert [model.rank(text) for text in TEXTS] == [reference.rank(text) for text in TEXTS]


@pytest.mark.usefixtures("host_cache")
def test_a_second_load_reads_the_arrays_the_first_cached(monkeypatch: pytest.MonkeyPatch) -> None:
    packaged()
    first = load_identifier()
    (model,) = cached()
    assert sorted(p.name for p in (cache_root() / model).iterdir()) == sorted(
        f"{name}.npy" for name in ARRAYS
    )

    def no_decompression(*args: object, **kwargs: object) -> None:
        raise AssertionError("the compressed model was read again")

    monkeypatch.setattr(lzma, "open", no_decompression)
    second = load_identifier()
    assert_same_model(first)
    assert_same_model(second)


@pytest.mark.usefixtures("unwritable_host_cache")
def test_without_a_writable_cache_the_packaged_model_loads() -> None:
    assert_same_model(load_identifier())


@pytest.mark.usefixtures("host_cache")
def test_another_model_file_gets_a_cache_of_its_own(tmp_path: Path) -> None:
    """Named after the compressed file's bytes: a new py3langid's model is not answered
    with the old one's arrays."""
    load_identifier()
    recompressed = tmp_path / "model.npz.xz"
    with lzma.open(MODEL_DIR / MODEL_FILE) as source:
        recompressed.write_bytes(lzma.compress(source.read(), preset=0))
    (first,) = cached()
    assert_same_model(load_identifier(recompressed))
    (second,) = set(cached()) - {first}  # beside the other model's, used a moment ago
    assert second != first


@pytest.mark.usefixtures("host_cache")
@pytest.mark.parametrize(("name", "kept_bytes"), [("ptc", 0), ("ptc", 4096), ("nextmove", 100)])
def test_an_array_cut_short_is_written_again(name: str, kept_bytes: int) -> None:
    """A copy whose files a crash of the host left empty or short (np.load: EOFError,
    ValueError) is detected at load and derived again: never a worker stopped, nor a model
    answering with part of its weights."""
    load_identifier()
    (model,) = cached()
    array = cache_root() / model / f"{name}.npy"
    whole = array.stat().st_size
    with array.open("r+b") as file:
        file.truncate(kept_bytes)
    assert_same_model(load_identifier())
    assert cached() == [model]
    assert array.stat().st_size == whole


@pytest.mark.usefixtures("host_cache")
@pytest.mark.parametrize(
    ("name", "other"),
    [
        ("pc", np.zeros(3, dtype=np.float32)),
        ("classes", np.array(["en"])),
        ("ptc", np.zeros((10, 142), dtype=np.float16)),
        ("nextmove", np.zeros(5, dtype=np.uint32)),
        ("nextmove_row", np.full(104_583, 60_000, dtype=np.uint16)),
        ("out_feat", np.full(104_583, 1 << 30, dtype=np.int32)),
    ],
    ids=["pc", "classes", "ptc", "nextmove", "nextmove_row", "out_feat"],
)
def test_an_array_written_over_by_another_is_written_again(name: str, other: np.ndarray) -> None:
    """An array of the copy replaced by a whole array of another shape or range loads,
    and then every classification raises (IndexError, ValueError): it is detected at
    load and derived again."""
    load_identifier()
    (model,) = cached()
    array = cache_root() / model / f"{name}.npy"
    np.save(array, other, allow_pickle=False)
    assert_same_model(load_identifier())
    assert cached() == [model]
