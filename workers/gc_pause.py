"""Big CPU work in a thread, with CPython's cyclic garbage collector paused meanwhile.

Decoding or encoding a partition's snapshot (workers/story_snapshot.py) allocates millions
of containers. Each allocation counts towards the collector's thresholds, so collections
run during the work, and a full one (generation 2) walks every tracked object of the
process with the GIL held for up to a second on a busy partition's state, during which the
event loop (the API, the other partitions) waits, thread or not. Paused, the work triggers none.

``freeze``: after a restore, the rebuilt state is long-lived; ``gc.freeze()`` moves every
object tracked then to the permanent generation, which later collections skip, so the
first collections after the restore do not walk millions of new objects either. Frozen
objects are still freed by reference counting; only garbage cycles among them would stay,
which is why a restore freezes (rare: a start or a lease taken over).

``freeze_survivors``: the story stage's state grows with every article and lives for the
clustering window; between restores every full collection walks all of it, with the GIL
held, in whichever thread allocates: the event loop (the API, the other partitions) waits
it out. So the stage freezes what is alive as the state grows, and full collections walk
only what came since. What it freezes dies by reference counting: the clusterer's state
holds no reference cycles, so an evicted story is freed without the collector. But a
freeze takes everything alive in the process, and in ``briefing run`` that includes the
API's requests in flight: an SSE stream cancelled after the freeze leaves a cycle
(task, frames, traceback, ``CancelledError``) through frozen objects, which no
collection walks. So every ``COLLECT_ALL_EVERY`` freezes, the permanent generation is
merged back and collected whole, once, before freezing again: the trapped garbage is
bounded by what that many freezes trap, for one full collection's pause
(docs/design.md, "Snapshots and restores off the event loop").
"""

from __future__ import annotations

import asyncio
import gc
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

# Freezes between two collections of everything, the frozen objects included.
COLLECT_ALL_EVERY = 100

_lock = threading.Lock()
_paused = 0  # callers inside ``run``: the collector is enabled again when the last leaves
_was_enabled = True
_freezes = 0  # by ``freeze_survivors`` since it last collected everything


def freeze_survivors() -> bool:
    """Collect the young generations, then move every object alive to the permanent one:
    short-lived cycles are freed first, and later full collections skip the rest; every
    ``COLLECT_ALL_EVERY``-th time, unfreeze and collect everything first, which frees the
    cycles that objects frozen in flight formed since. Not while ``run`` has the collector
    paused (false): the young generations then hold the work's whole allocation, which a
    collection would walk."""
    global _freezes
    with _lock:
        if _paused:
            return False
        _freezes += 1
        if _freezes >= COLLECT_ALL_EVERY:
            _freezes = 0
            gc.unfreeze()
            gc.collect()
        else:
            gc.collect(1)
        gc.freeze()
        return True


async def run(fn: Callable[[], T], *, freeze: bool = False) -> T:
    """``fn()`` in a thread with the collector paused (per process, so counted across
    callers); with ``freeze``, what is alive afterwards moves to the permanent generation."""
    global _paused, _was_enabled
    with _lock:
        if _paused == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _paused += 1
    try:
        return await asyncio.to_thread(fn)
    finally:
        with _lock:
            if freeze:
                gc.freeze()
            _paused -= 1
            if _paused == 0 and _was_enabled:
                gc.enable()
