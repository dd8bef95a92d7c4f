"""What the held-out parts' build.py scripts share: ../fresh/build.py loaded by path (the parts
are scripts run by path, not a package), the files a part must not repeat, and the part's
``main`` bound to its developments and distractors by ``fresh_part.part_main``.

Each part's build.py keeps its own developments, distractors and id prefix:

    OTHER_PARTS = held_part.files_through("held6")
    main = held_part.script(__file__, __doc__, "held6", DEVELOPMENTS, DISTRACTORS, "hd7")
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent
# Parts in the order they were built; a part refuses the titles and URLs of all before it.
ORDER = (
    "check", "dev", "fresh", "held3", "held4", "held5", "held6", "held7", "held8", "held9", "held10",
    "held11",
    "held12",
    "held13",
    "held14",
    "held15",
    "held16",
    "held17",
    "held18",
    "held19",
    "held20",
    "held21",
    "held22",
    "held23",
    "held24",
    "held25",
    "held26",
    "held27",
    "held28",
    "held29",
    "held30",
    "held31",
    "held32",
)

_spec = importlib.util.spec_from_file_location("fresh_part", ROOT / "fresh" / "build.py")
fresh_part = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(fresh_part)  # type: ignore[union-attr]  # load_part, parts_through, part_main


@functools.cache
def files_through(previous: str) -> tuple[Path, ...]:
    """The files a part built after part ``previous`` must not repeat: the main set's and every
    part's up to ``previous`` (``fresh_part.parts_through``). Cached: each part's build.py asks
    for its previous part's files twice (``OTHER_PARTS`` and ``script``), and loading that part
    loads the one before it, so without the cache a build loads the early parts 2**n times."""
    module = fresh_part if previous == "fresh" else fresh_part.load_part(previous)
    return tuple(fresh_part.parts_through(module, previous))


def script(
    build_file: str,
    doc: str | None,
    previous: str,
    developments: list[tuple[list[str], str]],
    distractors: list[tuple[str, str]],
    id_prefix: str,
) -> Callable[[list[str] | None], int]:
    """The ``main`` of the part in ``build_file``'s folder: writes its stream.jsonl from its
    captured.jsonl, refusing any title or URL of the main set and the parts through
    ``previous``."""
    here = Path(build_file).resolve().parent
    before = ORDER[: ORDER.index(previous) + 1]
    others_named = f"the main set, the {', '.join(before[:-1])} or {before[-1]} part"
    other_parts = files_through(previous)

    def main(argv: list[str] | None = None) -> int:
        return int(
            fresh_part.part_main(
                argv, here, doc or "", other_parts, others_named, developments, distractors,
                id_prefix,
            )
        )  # fmt: skip

    return main
