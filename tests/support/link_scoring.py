"""Functions a link-check child runs in tests (workers/link_check_pool.py): top-level, so
a spawned child imports them by name."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


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
