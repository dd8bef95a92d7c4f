"""The story stage's snapshot as text: a partition's ``StoryDecider`` state, in chunks (pure).

A busy partition's state is tens of MB of JSON (stories with their centroids and reports,
the linker's reports, the near-duplicate entries). Encoded and decoded whole, one C call
(``json.dumps``/``json.loads``) holds the GIL for a second or more, and the API and the
other partitions that share the process wait it out even when the work runs in a thread.
So the big lists are cut into chunks of ``CHUNK`` items, each its own JSON document,
deflated and base64-encoded (both C, and zlib releases the GIL): no single call of an
encode or decode runs long, and a thread doing either lets the event loop in between.

Version 4, one chunk a line (base64 holds no newline)::

    {"version": 4, "parts": [[path, kind, chunks], ...]}    plain JSON
    head                                                     the state, cut lists as null
    chunk, chunk, ...                                        each part's chunks, in order

``path`` names a list (``kind`` "list") or a dict (``kind`` "dict", its items cut as
pairs) inside the state, e.g. ``["clusterer", "stories"]``.

``decode`` also reads version 3, one JSON document ``{"version": 3, "clusterer": ...,
"near": ...}`` with the clusterer's state deflated and base85-encoded in a single string
(workers/cluster.py reads that clusterer format); the stage writes version 4 over it at
its next batch.
"""

from __future__ import annotations

import base64
import json
import zlib
from collections.abc import Iterator
from typing import Any

from workers.cluster import ClusterConfig
from workers.story_decider import StoryDecider

VERSION = 4
# Items per chunk: small enough that a chunk's JSON decodes in milliseconds.
CHUNK = 250
# zlib level: 1 deflates this state several times as fast as the default 6, for some more
# bytes (docs/design.md has the figures).
LEVEL = 1
# The big collections of StoryDecider.snapshot(): everything else stays in the head.
CUT = (
    (("clusterer", "stories"), "list"),
    (("clusterer", "links", "stories"), "dict"),
    (("near", "entries"), "list"),
)


def pack(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return base64.b64encode(zlib.compress(text.encode("utf-8"), LEVEL)).decode("ascii")


def unpack(line: str) -> Any:
    return json.loads(zlib.decompress(base64.b64decode(line, validate=True)))


def encode(decider: StoryDecider) -> str:
    """The decider's state as version-4 text (the decider must not change meanwhile)."""
    state = decider.snapshot()
    parts: list[list[Any]] = []
    chunks: list[str] = []
    for path, kind in CUT:
        parent = _parent(state, path)
        value = parent[path[-1]]
        items = list(value.items()) if kind == "dict" else value
        parent[path[-1]] = None  # snapshot() built this dict afresh: the decider's stays
        cut = [pack(items[i : i + CHUNK]) for i in range(0, len(items), CHUNK)]
        parts.append([list(path), kind, len(cut)])
        chunks += cut
    header = json.dumps({"version": VERSION, "parts": parts}, separators=(",", ":"))
    return "\n".join([header, pack(state), *chunks])


def decode(text: str, config: ClusterConfig | None = None) -> tuple[StoryDecider, int]:
    """The decider ``text`` holds, and the version it was written in. ValueError if this
    code cannot read it (another version, or damaged)."""
    try:
        if text.startswith("{") and "\n" not in text:
            state = json.loads(text)
            version = state.get("version") if isinstance(state, dict) else None
            if version != 3:
                raise ValueError(f"snapshot version {version!r}")
        else:
            state, version = _state_v4(text)
        return StoryDecider.restore(state, config), version
    except (KeyError, TypeError, IndexError, zlib.error, UnicodeDecodeError) as exc:
        raise ValueError(f"corrupt snapshot: {exc!r}") from exc
    except json.JSONDecodeError as exc:  # a ValueError already; say what it was
        raise ValueError(f"corrupt snapshot: {exc}") from exc


def _state_v4(text: str) -> tuple[dict[str, Any], int]:
    lines = iter(text.split("\n"))
    header = json.loads(next(lines))
    version = header.get("version")
    if version != VERSION:
        raise ValueError(f"snapshot version {version!r}")
    state: dict[str, Any] = unpack(next(lines))
    for path, kind, count in header["parts"]:
        items = [item for chunk in _take(lines, count) for item in unpack(chunk)]
        _parent(state, path)[path[-1]] = dict(items) if kind == "dict" else items
    if next(lines, None) is not None:
        raise ValueError("corrupt snapshot: lines after the last part")
    return state, version


def _take(lines: Iterator[str], count: int) -> Iterator[str]:
    for _ in range(count):
        line = next(lines, None)
        if line is None:
            raise ValueError("corrupt snapshot: a part is short of chunks")
        yield line


def _parent(state: dict[str, Any], path: tuple[str, ...] | list[str]) -> dict[str, Any]:
    parent = state
    for key in path[:-1]:
        parent = parent[key]
    return parent


__all__ = ["VERSION", "decode", "encode"]
