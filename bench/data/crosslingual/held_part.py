"""What the held-out parts' build.py scripts share: loading ../fresh/build.py by path (the
parts are scripts run by path, not a package) and its ``part_main`` bound to one part.

    import sys; sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    import held_part
    OTHER_PARTS = held_part.files_through("held6")
    def main(argv=None): return held_part.main(argv, __file__, __doc__, OTHER_PARTS, ...)

Each part's build.py keeps its own developments, distractors and id prefix.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"{name}_part", ROOT / name / "build.py")
    assert spec is not None and spec.loader is not None
    part = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(part)
    return part


fresh_part = _load("fresh")  # ../fresh/build.py: load_part, parts_through, part_main


def files_through(previous: str) -> tuple[Path, ...]:
    """The files a part built after part ``previous`` must not repeat: the main set's and every
    part's up to ``previous`` (``fresh_part.parts_through``)."""
    module = fresh_part if previous == "fresh" else fresh_part.load_part(previous)
    return tuple(fresh_part.parts_through(module, previous))


def main(
    argv: list[str] | None,
    build_file: str,
    doc: str | None,
    other_parts: tuple[Path, ...],
    others_named: str,
    developments: list[tuple[list[str], str]],
    distractors: list[tuple[str, str]],
    id_prefix: str,
) -> int:
    """The part in ``build_file``'s folder written by ``fresh_part.part_main``."""
    here = Path(build_file).resolve().parent
    return int(
        fresh_part.part_main(
            argv, here, doc or "", other_parts, others_named, developments, distractors, id_prefix
        )
    )
