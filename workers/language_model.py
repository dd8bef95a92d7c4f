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
    arrays = {
        name: np.load(
            directory / f"{name}.npy", mmap_mode="r" if name in MAPPED else None, allow_pickle=False
        )
        for name in ARRAYS
    }
    # Arrays that do not fit together (a file written over by another array) load, and
    # then every classification of every parse process on the host raises (IndexError,
    # ValueError): ValueError here has read_derived write the copy again instead.
    if not _consistent(arrays):
        raise ValueError(f"{directory}: arrays that do not fit together as the model's")
    return arrays


def _consistent(arrays: dict[str, np.ndarray]) -> bool:
    """Whether the arrays index each other as py3langid's classifier does: its walk over a
    text's bytes goes from state to state through ``nextmove`` (rows of 256, a state's row
    by ``nextmove_row``), each state names a feature of ``ptc`` or none (``out_feat``, -1),
    and ``ptc``'s columns, ``pc`` and ``classes`` are the languages."""
    ptc, pc, classes = arrays["ptc"], arrays["pc"], arrays["classes"]
    moves, rows, features = arrays["nextmove"], arrays["nextmove_row"], arrays["out_feat"]
    if ptc.ndim != 2 or any(a.ndim != 1 for a in (pc, classes, moves, rows, features)):
        return False
    states = len(rows)
    return (
        pc.shape == classes.shape == (ptc.shape[1],)
        and classes.dtype.kind == "U"
        and moves.dtype.kind == rows.dtype.kind == "u"
        and features.dtype.kind == "i"
        and features.shape == (states,)
        and states > 0
        and moves.size % 256 == 0
        and int(rows.max()) < moves.size // 256
        and int(moves.max()) < states
        and int(features.max()) < ptc.shape[0]
    )


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
