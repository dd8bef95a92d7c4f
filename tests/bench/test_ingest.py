"""bench/ingest.py: the checkout whose modules ``--compiled`` compiles is the one our
workers import; the process stage's reads and batches in case (cold)'s note."""

from __future__ import annotations

from pathlib import Path

import pytest

import service
from bench.ingest import our_checkout, process_batches
from service.store import Store
from tests import factories
from workers.process_stage import ProcessStage
from workers.story_stage import StoryStage


def test_the_checkout_compiled_is_the_one_on_the_workers_pythonpath(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A worker (``briefing worker``, started with this environment) imports ``service``
    # from PYTHONPATH first: a detached worktree of main measured with this checkout's
    # bench script, whose own checkout the script puts first on its path.
    other = tmp_path / "main"
    (other / "service").mkdir(parents=True)
    (other / "service" / "__init__.py").write_text("")
    monkeypatch.setenv("PYTHONPATH", str(other))
    assert our_checkout() == other.resolve()
    monkeypatch.delenv("PYTHONPATH")
    assert our_checkout() == Path(service.__file__).resolve().parent.parent


async def test_the_process_batches_note_counts_the_stages_reads_and_written_batches(
    store: Store,
) -> None:
    for n in range(6):
        await store.articles.ingest(factories.make_article(n))
    # A clock that stands still: no second look for pending messages, however slow the batch.
    stage = ProcessStage(store, "bench", stories=StoryStage(store, []), monotonic=lambda: 0.0)
    await stage.start()
    await store.reset_command_stats()
    # The first batch: its own pending (none), what a dead consumer left (none), then new.
    assert await stage.run_once(count=4, block_ms=None) == 4
    assert await stage.run_once(count=4, block_ms=None) == 2
    note = await process_batches(store, 6)
    assert note.startswith(
        "process stream reads 3 (2.0 entries each), written batches 2 (3.0 each), Redis commands"
    )
