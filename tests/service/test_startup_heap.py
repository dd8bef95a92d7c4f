from __future__ import annotations

import gc

from service.startup_heap import freeze_startup_heap


class StartupState:
    """Stands for a long-lived object built at start-up (a feed's configuration)."""


def test_objects_alive_at_the_freeze_leave_the_collectors_generations() -> None:
    state = [StartupState() for _ in range(100)]
    frozen_before = gc.get_freeze_count()
    try:
        freeze_startup_heap()
        assert gc.get_freeze_count() >= frozen_before + len(state)
        young_and_old = {id(o) for generation in range(3) for o in gc.get_objects(generation)}
        assert not any(id(o) in young_and_old for o in state)
    finally:
        gc.unfreeze()
