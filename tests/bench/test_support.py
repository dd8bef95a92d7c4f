"""bench/_support.py: a checkout's own modules compiled for a run, as a wheel has them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bench._support import PROJECT_PACKAGES, compiled_modules


def _checkout(root: Path) -> Path:
    for package in PROJECT_PACKAGES:
        (root / package / "inner").mkdir(parents=True)
        (root / package / "__init__.py").write_text("")
        (root / package / "inner" / "__init__.py").write_text("VALUE = 1\n")
    return root


def test_the_modules_are_compiled_while_the_block_runs_and_removed_after(
    tmp_path: Path,
) -> None:
    checkout = _checkout(tmp_path)
    kept = checkout / "service" / "__pycache__"
    kept.mkdir()  # there before the run: left alone
    (kept / "old.pyc").write_bytes(b"")
    with compiled_modules(checkout, Path(sys.executable)):
        for package in PROJECT_PACKAGES:
            compiled = list((checkout / package / "inner" / "__pycache__").glob("*.pyc"))
            assert [p.name.split(".")[0] for p in compiled] == ["__init__"]
        # Where a process started with PYTHONDONTWRITEBYTECODE looks for the module's code.
        probe = "import workers.inner as m; print(m.__cached__)"
        done = subprocess.run(
            [sys.executable, "-c", probe], cwd=checkout, capture_output=True, text=True,
            check=True, env={"PYTHONDONTWRITEBYTECODE": "1", "PATH": ""},
        )  # fmt: skip
        assert Path(done.stdout.strip()).exists()
    assert not (checkout / "workers" / "__pycache__").exists()
    assert not (checkout / "workers" / "inner" / "__pycache__").exists()
    assert not (checkout / "service" / "inner" / "__pycache__").exists()
    assert (kept / "old.pyc").exists()
