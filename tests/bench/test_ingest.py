"""bench/ingest.py: the checkout whose modules ``--compiled`` compiles is the one our
workers import."""

from __future__ import annotations

from pathlib import Path

import pytest

import service
from bench.ingest import our_checkout


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
