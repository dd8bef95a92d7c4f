"""Put a process's long-lived state out of the cyclic garbage collector's walks.

A full (generation 2) collection walks every tracked object of the process, and how
often one runs follows the objects that outlive the young generations: in the API,
requests in flight; in the fetch worker, polls in flight (about one full collection per
thousand polls). So what a process builds and keeps for its whole life (its modules, the
API's routes and schemas, the configuration's feeds: one ``FeedConfig`` per configured
feed; in the fetch worker, what the per-URL memos derive from each feed's URL, about
four tracked objects per feed, service/feed_url_cache.py) makes every full collection
longer, in proportion to its size: in the fetch worker that grew each poll's cost with
the number of feeds.

``gc.freeze()`` (Python 3.7+) moves every object tracked now to the permanent generation,
which collections skip. Frozen objects are still freed by reference counting; collecting
first keeps garbage out of it. What it cannot free: a reference cycle that objects alive
at a freeze (polls in flight) form later and drop, which stays until the process ends.

At start-up the heap is frozen once (``freeze_startup_heap``). The memos' entries come
later, one per feed polled, so ``RefreezeOnGrowth`` freezes again as what they derived
grows: each time it has grown by half of all derived before (a handful of freezes while
the first round fills the memos, the count growing geometrically), and once it stops
growing (the round's end: the last entries, up to a third of them, would otherwise stay
walked). Each freeze is a full collection of only what came since the previous one;
what it traps is the cycles that the few polls in flight at a freeze leave when they end
(in ``briefing run``, which runs the fetch stage beside the API, the requests in flight
too): a handful of freezes per process, more only as feeds are added.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable

# Entries derived since the last freeze before the next: at least this many, and at
# least this fraction of all derived by the last freeze.
REFREEZE_MIN_GROWTH = 2_000
REFREEZE_GROWTH = 0.5
# How often the fetch worker looks (a counter's read): well within a round's first
# seconds at thousands of polls a second.
REFREEZE_CHECK_SECONDS = 1.0


def freeze_startup_heap() -> None:
    """Collect, then move every object alive now out of later collections' walks; called
    once, when start-up state is built and before the process serves or polls."""
    gc.collect()
    gc.freeze()


class RefreezeOnGrowth:
    """Collect and freeze again as ``grown()`` (a count that only grows: entries the
    per-URL memos derived) grows, when called (every ``REFREEZE_CHECK_SECONDS``). Not
    while the collector is disabled (``workers/gc_pause.run`` pausing it for a big
    allocation in a thread, which a full collection would walk): at a later call."""

    def __init__(
        self,
        grown: Callable[[], int],
        *,
        minimum: int = REFREEZE_MIN_GROWTH,
        fraction: float = REFREEZE_GROWTH,
    ) -> None:
        self.grown = grown
        self.minimum = minimum
        self.fraction = fraction
        self.freezes = 0
        self._at_freeze = self._at_check = grown()

    def __call__(self) -> bool:
        """Freeze if grown enough (true): by ``max(minimum, fraction * count at the last
        freeze)``, or by ``minimum`` and not since the previous call (settled)."""
        count = self.grown()
        grown, settled = count - self._at_freeze, count == self._at_check
        self._at_check = count
        if grown < self.minimum or (not settled and grown < self.fraction * self._at_freeze):
            return False
        if not gc.isenabled():
            return False
        freeze_startup_heap()
        self._at_freeze = count
        self.freezes += 1
        return True

    async def run(self, every: float = REFREEZE_CHECK_SECONDS) -> None:
        """Check every ``every`` seconds, until cancelled."""
        while True:
            await asyncio.sleep(every)
            self()
