"""py3langid's language model, decompressed once per host rather than at every start.

py3langid ships its model as an LZMA-compressed npz (4.6 MB holding 68 MB of arrays), and
decompressing it costs each process that loads it about 0.3 s of CPU: every parse process
at its start (workers/parse_calls.py). The first load on a host also writes the arrays as
plain ``.npy`` files under the user's cache directory (``$XDG_CACHE_HOME``, else
``~/.cache``) in a directory named after the compressed file's SHA-256, so another model
brings its own; later loads read those, the largest (the features' class weights, 28 MB)
memory-mapped, so the processes of a host share its pages. They are the package's arrays
(``np.save`` of what its ``np.load`` gave), so the answers are the same. Where the cache
cannot be written or read, the model loads from the package as py3langid loads it.
"""

from __future__ import annotations

import hashlib
import logging
import lzma
import os
import shutil
import tempfile
from pathlib import Path

import numpy as np
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier
from py3langid.modelio import _to_array

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
        arrays = cached_arrays(source, cache_root())
    except (OSError, ValueError) as exc:
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


def cache_root() -> Path:
    """Where the cached arrays go (XDG Base Directory: ``$XDG_CACHE_HOME``, else
    ``~/.cache``)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "live-briefing"


def cached_arrays(source: Path, root: Path) -> dict[str, np.ndarray]:
    """The arrays of the compressed model ``source``, from their cache under ``root``
    (written first if absent)."""
    directory = root / f"py3langid-{hashlib.sha256(source.read_bytes()).hexdigest()[:32]}"
    if not directory.is_dir():
        _write(source, directory)
    return {
        name: np.load(
            directory / f"{name}.npy", mmap_mode="r" if name in MAPPED else None, allow_pickle=False
        )
        for name in ARRAYS
    }


def _write(source: Path, directory: Path) -> None:
    """Decompress ``source`` into ``directory``, whole or not at all: the files are
    written in a directory of their own, renamed into place; when two processes write at
    once, the second rename fails and its copy is dropped."""
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".writing-", dir=directory.parent))
    try:
        # Readable by every user, as the package's own file is: an image may write the
        # cache at build time for the user that runs it (Dockerfile).
        staging.chmod(0o755)
        # Through a file, as py3langid's load_model does: np.load reads an npz by seeking.
        with tempfile.TemporaryFile(dir=staging) as npz:
            with lzma.open(source) as compressed:
                shutil.copyfileobj(compressed, npz, length=1 << 20)
            npz.seek(0)
            with np.load(npz, allow_pickle=False) as model:
                missing = set(ARRAYS).difference(model.files)
                if missing:
                    raise ValueError(f"{source}: no arrays {sorted(missing)}")
                for name in ARRAYS:
                    np.save(staging / f"{name}.npy", model[name], allow_pickle=False)
        try:
            staging.rename(directory)
        except OSError:
            if not directory.is_dir():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
