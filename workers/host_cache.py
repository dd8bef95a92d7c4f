"""Files derived from a package's data, written once per host rather than derived again at
every process start.

A derived copy lives under the user's cache directory (XDG Base Directory:
``$XDG_CACHE_HOME``, else ``~/.cache``), in a directory named after what it is and the
SHA-256 of the file it comes from, so a new version of the source brings its own. It is
written whole or not at all: into a directory of its own, renamed into place; when two
processes write at once, the second rename fails and its copy is dropped. Callers fall
back to the source itself where the cache cannot be written or read (``OSError``).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "live-briefing"


def derived(source: Path, kind: str, write: Callable[[Path, Path], None]) -> Path:
    """The directory of ``kind`` derived from ``source``: ``write(source, directory)``
    fills it the first time."""
    digest = hashlib.sha256(source.read_bytes()).hexdigest()[:32]
    directory = cache_root() / f"{kind}-{digest}"
    if directory.is_dir():
        return directory
    directory.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".writing-", dir=directory.parent))
    try:
        # Readable by every user, as the package's own files are: an image may write the
        # cache at build time for the user that runs it (Dockerfile).
        staging.chmod(0o755)
        write(source, staging)
        try:
            staging.rename(directory)
        except OSError:
            if not directory.is_dir():
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return directory
