"""py3langid's language model, decompressed once per host rather than at every start.

py3langid ships its model as an LZMA-compressed npz (4.6 MB holding 68 MB of arrays), and
decompressing it costs each process that loads it about 0.3 s of CPU: every parse process
at its start (workers/parse_calls.py). The first load on a host also writes the arrays as
plain ``.npy`` files in the host's cache (workers/host_cache.py), named after the
compressed file, so another model brings its own. Later loads read those, the largest
(the features' class weights, 28 MB) memory-mapped, so the processes of a host share its
pages. They are the package's arrays (``np.save`` of what its ``np.load`` gave), so the
answers are the same. Where the cache cannot be written or read, the model loads from
the package as py3langid loads it.
"""

from __future__ import annotations

import logging
import lzma
import shutil
import tempfile
from pathlib import Path

import numpy as np
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier
from py3langid.modelio import _to_array

from workers.host_cache import UNREADABLE, read_derived

log = logging.getLogger(__name__)

# The npz's arrays (py3langid/modelio.py, save_model): class weights per feature, class
# priors, class labels, the tokenizer's distinct transition rows, each state's row, each
# state's output feature.
ARRAYS = ("ptc", "pc", "classes", "nextmove", "nextmove_row", "out_feat")
MAPPED = frozenset({"ptc"})  # read where they are used, not copied into each process


def load_identifier(source: Path | None = None) -> LanguageIdentifier:
    """The model (probabilities normalized, as workers/language.py asks), from the host's
    cache of its arrays, written first if absent."""
    source = source if source is not None else MODEL_DIR / MODEL_FILE
    try:
        arrays = cached_arrays(source)
    except UNREADABLE as exc:
        log.info("language model: loading the compressed model (no cached arrays: %s)", exc)
        return LanguageIdentifier.from_model_file(source, norm_probs=True)
    return LanguageIdentifier(
        np.asarray(arrays["ptc"]),
        np.asarray(arrays["pc"]),
        arrays["classes"].tolist(),
        _to_array(arrays["nextmove"]),
        arrays["out_feat"].tolist(),
        norm_probs=True,
        tk_row=_to_array(arrays["nextmove_row"]),
    )


def cached_arrays(source: Path) -> dict[str, np.ndarray]:
    """The arrays of the compressed model ``source``, from the host's cache
    (workers/host_cache.py; written first if absent)."""
    return read_derived(source, "py3langid", _write, _read)


def _read(directory: Path) -> dict[str, np.ndarray]:
    return {
        name: np.load(
            directory / f"{name}.npy", mmap_mode="r" if name in MAPPED else None, allow_pickle=False
        )
        for name in ARRAYS
    }


def _write(source: Path, directory: Path) -> None:
    """Decompress ``source`` into ``directory``: one ``.npy`` file per array."""
    # Through a file, as py3langid's load_model does: np.load reads an npz by seeking.
    with tempfile.TemporaryFile(dir=directory) as npz:
        with lzma.open(source) as compressed:
            shutil.copyfileobj(compressed, npz, length=1 << 20)
        npz.seek(0)
        with np.load(npz, allow_pickle=False) as model:
            missing = set(ARRAYS).difference(model.files)
            if missing:
                raise ValueError(f"{source}: no arrays {sorted(missing)}")
            for name in ARRAYS:
                np.save(directory / f"{name}.npy", model[name], allow_pickle=False)
