"""Put a process's start-up state out of the cyclic garbage collector's walks.

A full (generation 2) collection walks every tracked object of the process, and how
often one runs follows the objects that outlive the young generations: in the API,
requests in flight; in the fetch worker, polls in flight (about one full collection per
thousand polls). So what a process builds at start-up and keeps for its whole life (its
modules, the API's routes and schemas, the configuration's feeds: one ``FeedConfig`` per
configured feed) makes every full collection longer, in proportion to its size: in the
fetch worker that grew each poll's cost with the number of configured feeds.

``gc.freeze()`` (Python 3.7+) moves every object tracked now to the permanent generation,
which collections skip. Frozen objects are still freed by reference counting; collecting
first keeps start-up garbage out of it.
"""

from __future__ import annotations

import gc


def freeze_startup_heap() -> None:
    """Collect, then move every object alive now out of later collections' walks; called
    once, when start-up state is built and before the process serves or polls."""
    gc.collect()
    gc.freeze()
