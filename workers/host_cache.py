"""Files derived from a package's data, written once per host rather than derived again at
every process start.

A derived copy lives under the host's cache directory: ``$BRIEFING_CACHE_DIR`` if set (an
absolute path; ``off``: no cache), else the user's (XDG Base Directory:
``$XDG_CACHE_HOME`` if absolute, else ``~/.cache``), under ``live-briefing``. Its
directory is named after what it is and the SHA-256 of both the file it comes from (its
path, size and modification time) and the module of the code that derives it (and the
modules it names as building the copy with it), so a new version of either brings its own
copy. Several installs on one host (two virtualenvs, two
checkouts, a new version started beside the old) each read a copy of their own, so a copy
is kept while it is in use: a process that finds its copy marks it used (the directory's
modification time, set when over ``USE_MARK_SECONDS`` old: one stat per start, at most one
utime an hour), and a write or a mark removes the copies of its kind unused for
``UNUSED_SECONDS`` (a day): the cache holds the copies of the installs started within a
day. A copy is written whole or not at all: into a directory of its own, synced, renamed
into place. One process of the host writes it while the others wait: the writer holds an
exclusive ``flock`` (flock(2)) on a lock file of the kind's beside the copies, and a process
that finds the lock held waits for it, then reads the finished copy instead of deriving
its own (the processes a host starts together would otherwise each derive the same copy
at once, and share the cores doing it). The kernel releases the lock when its holder dies,
so a writer killed mid-write hands over to the next; a process that waits longer than
``LOCK_WAIT_SECONDS`` (a writer stalled, not dead) writes a copy of its own, as it does
where the lock file cannot be opened: when two processes write at once, the second rename
fails and its copy is dropped. A copy that cannot be read (cut short by a crash of the
host, corrupted) is removed and written again once (unless this process cannot remove
it: a cache another user wrote). Removing a copy never disturbs a
process reading it: its open files and memory maps keep the unlinked inodes (POSIX
unlink). Callers fall back to the source itself where the cache cannot be written or read
(``UNREADABLE``).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import inspect
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from stat import S_ISDIR
from types import ModuleType
from typing import TypeVar

from service.clock import utcnow

log = logging.getLogger(__name__)

T = TypeVar("T")

CACHE_DIR_ENV = "BRIEFING_CACHE_DIR"
DISABLED = "off"
# What reading a cached copy raises when it is absent, cut short or corrupted: np.load
# raises EOFError on an empty file, ValueError on a short one; json RecursionError on
# arrays nested deeper than the interpreter's recursion limit.
UNREADABLE = (OSError, ValueError, EOFError, RecursionError)
_WRITING = ".writing-"
_DISCARDED = ".discarded-"
_LOCK = ".lock-"
# How long a process waits for another's write before writing its own: each copy takes a
# few seconds alone, about four times that with four writers sharing two cores.
LOCK_WAIT_SECONDS = 60.0
_LOCK_POLL_SECONDS = 0.05
# A staging directory this old belongs to a writer that died (a write takes seconds).
_ABANDONED_SECONDS = 3600.0
# A copy is marked used when its mark is older than this (one utime an hour per copy, at
# most, whatever the number of starts); a copy unmarked for UNUSED_SECONDS belongs to no
# install started within that time (an earlier version's, a removed checkout's) and the
# next write or mark of its kind removes it.
USE_MARK_SECONDS = 3600.0
UNUSED_SECONDS = 86400.0


class NoCacheDirectory(OSError):
    """The cache is turned off, or there is no home directory to hold it."""


def cache_root() -> Path:
    configured = os.environ.get(CACHE_DIR_ENV, "")
    if configured == DISABLED:
        raise NoCacheDirectory(f"{CACHE_DIR_ENV}={DISABLED}")
    if configured:
        if not os.path.isabs(configured):  # processes of one host run in other directories
            raise NoCacheDirectory(f"{CACHE_DIR_ENV} is not an absolute path: {configured!r}")
        return Path(configured)
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):  # the XDG spec: a relative path is invalid and ignored
        return Path(xdg) / "live-briefing"
    # expanduser, not Path.home(): with HOME unset and a uid without a passwd entry (a
    # container run as a random uid) Path.home() raises RuntimeError.
    home = os.path.expanduser("~")
    if home.startswith("~"):
        raise NoCacheDirectory("no home directory (HOME unset, the uid has no passwd entry)")
    return Path(home) / ".cache" / "live-briefing"


def read_derived(
    source: Path,
    kind: str,
    write: Callable[[Path, Path], None],
    read: Callable[[Path], T],
    *,
    code: Iterable[ModuleType] = (),
) -> T:
    """``read(directory)`` of the copy of ``kind`` derived from ``source`` by ``write``
    (``derived``); a copy ``read`` cannot read is removed and written again once."""
    directory = derived(source, kind, write, code=code)
    try:
        return read(directory)
    except UNREADABLE as exc:
        if not _remove(directory):
            raise  # kept by a cache this process cannot write: the caller's fallback says so
        log.warning("host cache: %s unreadable, writing it again: %s", directory, exc)
    return read(derived(source, kind, write, code=code))


def derived(
    source: Path,
    kind: str,
    write: Callable[[Path, Path], None],
    *,
    code: Iterable[ModuleType] = (),
) -> Path:
    """The directory of ``kind`` derived from ``source``: ``write(source, directory)``
    fills it the first time. ``code``: modules besides ``write``'s own whose functions
    ``write`` calls to build the copy; the copy is named after their source too."""
    directory = cache_root() / f"{kind}-{_digest(source, write, code)}"
    if _found(directory, kind):
        return directory
    directory.parent.mkdir(parents=True, exist_ok=True)
    with _writer_lock(directory.parent / f"{_LOCK}{kind}"):
        if _found(directory, kind):  # written by the process that held the lock
            return directory
        log.info("host cache: writing %s", directory)
        _write(source, directory, kind, write)
    return directory


def _found(directory: Path, kind: str) -> bool:
    """Whether ``directory`` is a written copy; one found is marked used, and the copies
    of ``kind`` unused for ``UNUSED_SECONDS`` removed, when its mark is over
    ``USE_MARK_SECONDS`` old."""
    try:
        found = directory.stat()
    except OSError:
        return False
    if not S_ISDIR(found.st_mode):
        return False
    if utcnow().timestamp() - found.st_mtime > USE_MARK_SECONDS:
        try:
            os.utime(directory)
        except OSError as exc:  # a cache read-only to this user (an image's): nothing to mark
            log.debug("host cache: %s not marked used: %s", directory, exc)
        else:
            _remove_unused(directory, kind)
    return True


@contextlib.contextmanager
def _writer_lock(path: Path) -> Iterator[None]:
    """Hold the exclusive flock on ``path`` (created if absent) while writing; wait at most
    ``LOCK_WAIT_SECONDS`` for another holder, then write without it."""
    try:
        # Read-only is enough for flock, and lets a user other than the lock file's owner
        # (an image's cache written at build time as root) take it.
        fd = os.open(path, os.O_RDONLY | os.O_CREAT, 0o644)
    except OSError as exc:
        # Info: where the directory is writable the copy is written as well without the
        # lock, and where it is not the write fails next and its caller says so.
        log.info("host cache: no lock file %s, writing without it: %s", path, exc)
        yield
        return
    try:
        waited = _acquire(fd)
        if waited is None:
            log.warning(
                "host cache: %s held for over %.0f s, writing without it", path, LOCK_WAIT_SECONDS
            )
        elif waited >= _LOCK_POLL_SECONDS:
            log.info("host cache: waited %.1f s for another process's write", waited)
        yield
    finally:
        os.close(fd)  # releases the lock


def _acquire(fd: int) -> float | None:
    """Seconds waited for the exclusive flock on ``fd``, or None when ``LOCK_WAIT_SECONDS``
    passed without it. Polled without blocking, so the wait has a bound (a blocking flock
    has none but a signal's)."""
    started = time.monotonic()
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if time.monotonic() - started >= LOCK_WAIT_SECONDS:
                return None
            time.sleep(_LOCK_POLL_SECONDS)
        else:
            return time.monotonic() - started


def _write(source: Path, directory: Path, kind: str, write: Callable[[Path, Path], None]) -> None:
    """Derive into a staging directory, then publish it as ``directory`` (a rename)."""
    staging = Path(tempfile.mkdtemp(prefix=_WRITING, dir=directory.parent))
    try:
        write(source, staging)
        _publishable(staging)
        try:
            staging.rename(directory)
        except OSError:
            if not directory.is_dir():
                raise
        else:
            _remove_unused(directory, kind)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _digest(
    source: Path, write: Callable[[Path, Path], None], modules: Iterable[ModuleType]
) -> str:
    # The source by its path, size and modification time, not its bytes, so that finding
    # a copy reads none of its source: an installed package's file changes only when it
    # is written again (an upgrade, a reinstall).
    stat = source.stat()
    digest = hashlib.sha256(f"{source.resolve()}\0{stat.st_size}\0{stat.st_mtime_ns}".encode())
    for code in (inspect.getsourcefile(write), *map(inspect.getsourcefile, modules)):
        if code is not None:
            digest.update(Path(code).read_bytes())
    return digest.hexdigest()[:32]


def _publishable(directory: Path) -> None:
    """Readable by every user and executable by none, whatever the writer's umask, as the
    package's own files are: an image writes the cache at build time as root for the user
    that runs it (Dockerfile). Each file's data flushed before the rename that publishes
    it: otherwise a crash of the host can leave the rename on disk and the files empty
    (ext4's delayed allocation)."""
    directory.chmod(0o755)
    for path in directory.iterdir():
        path.chmod(0o644)
        with path.open("rb") as file:
            os.fsync(file.fileno())


def _remove_unused(kept: Path, kind: str) -> None:
    """Remove the other copies of ``kind`` unused for ``UNUSED_SECONDS`` (an earlier
    version's, a removed install's), and the staging directories of writers that died."""
    # The file system's clock, as the mtimes compared with it: the kept copy was just
    # written or marked used.
    now = kept.stat().st_mtime
    for path in kept.parent.iterdir():
        if path == kept:
            continue
        try:
            age = now - path.stat().st_mtime
        except OSError:
            continue
        other_copy = path.name.startswith(f"{kind}-") and len(path.name) == len(kept.name)
        abandoned = path.name.startswith(_WRITING) and age > _ABANDONED_SECONDS
        if (other_copy and age > UNUSED_SECONDS) or abandoned or path.name.startswith(_DISCARDED):
            _remove(path)


def _remove(directory: Path) -> bool:
    """Take ``directory`` out of use at once (a rename), then delete it; False when it
    stays (the cache is not writable by this process)."""
    aside = directory.with_name(f"{_DISCARDED}{os.getpid()}-{directory.name}")
    try:
        directory.rename(aside)
    except FileNotFoundError:
        return True  # already removed, by another process
    except OSError:
        return False
    shutil.rmtree(aside, ignore_errors=True)
    return True
