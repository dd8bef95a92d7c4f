"""workers.host_cache: files derived from a package's data, written once per host."""

from __future__ import annotations

import fcntl
import importlib.util
import logging
import os
import pwd
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from tests.support.host_cache import cached
from workers import host_cache
from workers.host_cache import NoCacheDirectory, cache_root, derived, read_derived


def write_upper(source: Path, directory: Path) -> None:
    (directory / "upper.txt").write_text(source.read_text().upper())


@pytest.mark.usefixtures("host_cache")
def test_a_derived_copy_is_written_once_and_named_after_its_source(tmp_path: Path) -> None:
    source = tmp_path / "source.txt"
    source.write_text("kharkiv")
    first = derived(source, "upper", write_upper)
    assert (first / "upper.txt").read_text() == "KHARKIV"

    def no_second_write(source: Path, directory: Path) -> None:
        raise AssertionError("written again")

    assert derived(source, "upper", no_second_write) == first
    source.write_text("odesa")
    second = derived(source, "upper", write_upper)
    assert second != first
    assert (second / "upper.txt").read_text() == "ODESA"


@pytest.mark.usefixtures("host_cache")
def test_a_failed_write_leaves_nothing_behind(tmp_path: Path) -> None:
    source = tmp_path / "source.txt"
    source.write_text("kharkiv")

    def half_written(source: Path, directory: Path) -> None:
        (directory / "upper.txt").write_text("KHAR")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        derived(source, "upper", half_written)
    assert cached() == []
    assert (derived(source, "upper", write_upper) / "upper.txt").read_text() == "KHARKIV"


@pytest.mark.usefixtures("host_cache")
def test_a_writer_that_lost_the_race_uses_the_winners_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A process that waited out the bound writes a copy of its own beside the stalled
    lock holder; whichever renames second drops its copy and reads the other's."""
    monkeypatch.setattr(host_cache, "LOCK_WAIT_SECONDS", 0.1)
    source = tmp_path / "source.txt"
    source.write_text("kharkiv")

    def racing(source: Path, directory: Path) -> None:
        write_upper(source, directory)
        derived(source, "upper", write_upper)  # another process, done waiting, finishes first

    with caplog.at_level(logging.WARNING, logger="workers.host_cache"):
        winner = derived(source, "upper", racing)
    assert (winner / "upper.txt").read_text() == "KHARKIV"
    assert cached() == [winner.name]
    assert "writing without it" in caplog.text


@pytest.mark.usefixtures("host_cache")
def test_a_lock_file_that_cannot_be_opened_leaves_the_write_unlocked(tmp_path: Path) -> None:
    source = tmp_path / "source.txt"
    source.write_text("kharkiv")
    (cache_root() / ".lock-upper").mkdir(parents=True)  # open() fails: a directory
    assert (derived(source, "upper", write_upper) / "upper.txt").read_text() == "KHARKIV"


# A process deriving ``upper`` from argv[1] once the file argv[2] exists: its write records
# its pid in $DERIVATIONS, then takes $WRITE_SECONDS; it prints the copy's directory.
DERIVING_PROCESS = """
import os, sys, time
from pathlib import Path
from workers import host_cache

def write(source, directory):
    with open(os.environ["DERIVATIONS"], "a") as derivations:
        derivations.write(f"{os.getpid()}\\n")
    time.sleep(float(os.environ["WRITE_SECONDS"]))
    (directory / "upper.txt").write_text(source.read_text().upper())

host_cache.LOCK_WAIT_SECONDS = 3600.0  # finishing proves a handover, not a wait's end
go = Path(sys.argv[2])
while not go.exists():
    time.sleep(0.01)
print(host_cache.derived(Path(sys.argv[1]), "upper", write), flush=True)
"""


class Deriving:
    """Processes running DERIVING_PROCESS on one source, one script, one cache."""

    def __init__(self, tmp_path: Path) -> None:
        self.script = tmp_path / "derive_upper.py"
        self.script.write_text(DERIVING_PROCESS)
        self.source = tmp_path / "source.txt"
        self.source.write_text("kharkiv")
        self.go = tmp_path / "go"
        self.derivations = tmp_path / "derivations"
        self.derivations.touch()

    def start(self, write_seconds: float) -> subprocess.Popen[str]:
        env = os.environ | {"DERIVATIONS": str(self.derivations)}
        env["WRITE_SECONDS"] = str(write_seconds)
        return subprocess.Popen(
            [sys.executable, str(self.script), str(self.source), str(self.go)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def writers(self) -> list[str]:
        return self.derivations.read_text().split()


def finished(process: subprocess.Popen[str]) -> Path:
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    return Path(out.strip())


@pytest.mark.usefixtures("host_cache")
def test_processes_started_together_derive_once_and_read_the_same_copy(tmp_path: Path) -> None:
    deriving = Deriving(tmp_path)
    processes = [deriving.start(write_seconds=0.5) for _ in range(4)]
    deriving.go.touch()
    copies = {finished(process) for process in processes}
    assert len(deriving.writers()) == 1
    assert len(copies) == 1
    assert (copies.pop() / "upper.txt").read_text() == "KHARKIV"


@pytest.mark.usefixtures("host_cache")
def test_a_writer_killed_mid_write_hands_over_to_the_next(tmp_path: Path) -> None:
    """flock is released when its holder dies: a process waiting for a writer killed with
    SIGKILL writes the copy itself, and a later start reads it."""
    deriving = Deriving(tmp_path)
    deriving.go.touch()
    killed = deriving.start(write_seconds=3600)
    while not deriving.writers():  # holding the lock, inside its write
        assert killed.poll() is None, killed.communicate()[1]
        time.sleep(0.01)
    waiting = deriving.start(write_seconds=0)
    time.sleep(0.5)  # started and waiting on the lock
    killed.send_signal(signal.SIGKILL)
    killed.communicate()
    copy = finished(waiting)
    assert (copy / "upper.txt").read_text() == "KHARKIV"
    assert finished(deriving.start(write_seconds=0)) == copy
    assert deriving.writers() == [str(killed.pid), str(waiting.pid)]


@pytest.mark.usefixtures("host_cache")
def test_a_lock_held_too_long_is_waited_for_only_so_long(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A writer stalled but alive (its lock held) delays the others by the bound only."""
    monkeypatch.setattr(host_cache, "LOCK_WAIT_SECONDS", 0.2)
    source = tmp_path / "source.txt"
    source.write_text("kharkiv")
    cache_root().mkdir(parents=True)
    with (cache_root() / ".lock-upper").open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # another open file description: it conflicts
        assert (derived(source, "upper", write_upper) / "upper.txt").read_text() == "KHARKIV"


def test_the_suite_never_writes_the_users_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """tests/support/host_cache.py: every test, and every process tests start."""
    assert cache_root().is_relative_to(tmp_path_factory.getbasetemp())


def test_without_a_home_directory_there_is_no_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    """A container run as a random uid: HOME unset, no passwd entry. The callers fall back
    on an OSError; Path.home() would raise RuntimeError and stop the process."""

    def no_entry(uid: int) -> pwd.struct_passwd:
        raise KeyError(f"getpwuid(): uid not found: {uid}")

    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.delenv("HOME", raising=False)
    monkeypatch.setattr(pwd, "getpwuid", no_entry)
    with pytest.raises(NoCacheDirectory):
        cache_root()


def test_a_relative_xdg_cache_home_is_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/cache")
    monkeypatch.setenv("HOME", "/home/briefing")
    assert cache_root() == Path("/home/briefing/.cache/live-briefing")


def test_the_setting_moves_or_turns_off_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(tmp_path / "derived"))
    assert cache_root() == tmp_path / "derived"
    monkeypatch.setenv("BRIEFING_CACHE_DIR", "derived")
    with pytest.raises(NoCacheDirectory, match="absolute"):
        cache_root()
    monkeypatch.setenv("BRIEFING_CACHE_DIR", "off")
    source = tmp_path / "source.txt"
    source.write_text("kharkiv")
    with pytest.raises(OSError, match="off"):
        derived(source, "upper", write_upper)


def writer_module(path: Path, suffix: str) -> ModuleType:
    """A module whose ``write`` derives the upper-cased source plus ``suffix``."""
    path.write_text(
        "def write(source, directory):\n"
        f"    (directory / 'upper.txt').write_text(source.read_text().upper() + {suffix!r})\n"
    )
    return module_at(path)


@pytest.mark.usefixtures("host_cache")
def test_a_copy_is_named_after_the_code_that_derives_it_too(tmp_path: Path) -> None:
    """A new version of the deriving code (another field kept, another format) must not be
    answered with the copy the old one wrote from the same source."""
    source = tmp_path / "source.txt"
    source.write_text("kharkiv")
    old = derived(source, "upper", writer_module(tmp_path / "derive.py", "").write)
    unused_since(old, host_cache.UNUSED_SECONDS + 60)
    new = derived(source, "upper", writer_module(tmp_path / "derive.py", "!").write)
    assert (new / "upper.txt").read_text() == "KHARKIV!"
    assert cached() == [new.name]
    assert not old.exists()


@pytest.mark.usefixtures("host_cache")
def test_a_copy_is_named_after_the_code_it_is_built_with(tmp_path: Path) -> None:
    """A copy built by functions of other modules (the gazetteer's tables) is another copy
    when one of those modules changes, even with the same source and writer."""
    source = tmp_path / "source.txt"
    source.write_text("kharkiv")
    helper = tmp_path / "helper.py"
    helper.write_text("SUFFIX = ''\n")
    first = derived(source, "upper", write_upper, code=[module_at(helper)])
    assert derived(source, "upper", write_upper, code=[module_at(helper)]) == first
    helper.write_text("SUFFIX = '!'\n")
    second = derived(source, "upper", write_upper, code=[module_at(helper)])
    assert second != first
    assert second.name.startswith("upper-") and cached() == sorted([first.name, second.name])
    assert derived(source, "upper", write_upper) not in (first, second)


def module_at(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def unused_since(copy: Path, seconds: float) -> None:
    """Mark ``copy`` last used ``seconds`` ago."""
    then = time.time() - seconds
    os.utime(copy, (then, then))


@pytest.mark.usefixtures("host_cache")
def test_a_new_copy_removes_unused_ones_and_abandoned_writes(tmp_path: Path) -> None:
    """The cache does not grow with each upgrade, nor with each writer killed mid-write:
    a copy unused for a day goes at the next write of its kind; a write in progress
    (recent) is left alone."""
    source = tmp_path / "source.txt"
    source.write_text("kharkiv")
    old = derived(source, "upper", write_upper)
    unused_since(old, host_cache.UNUSED_SECONDS + 60)
    other_kind = derived(source, "lower", write_upper)
    unused_since(other_kind, host_cache.UNUSED_SECONDS + 60)
    abandoned, in_progress = cache_root() / ".writing-dead", cache_root() / ".writing-live"
    for staging in (abandoned, in_progress):
        staging.mkdir()
        (staging / "upper.txt").write_text("KHAR")
    two_hours_ago = time.time() - 7200
    os.utime(abandoned, (two_hours_ago, two_hours_ago))
    source.write_text("odesa")
    new = derived(source, "upper", write_upper)
    assert cached() == sorted([new.name, other_kind.name, in_progress.name])
    assert not old.exists()


@pytest.mark.usefixtures("host_cache")
def test_an_unreadable_copy_is_written_again(tmp_path: Path) -> None:
    """Cut short (a crash of the host before its data reached the disk) or corrupted."""
    source = tmp_path / "source.txt"
    source.write_text("kharkiv")
    directory = derived(source, "upper", write_upper)
    (directory / "upper.txt").write_bytes(b"\xff")

    def read(directory: Path) -> str:
        return (directory / "upper.txt").read_text(encoding="utf-8")

    assert read_derived(source, "upper", write_upper, read) == "KHARKIV"
    assert cached() == [directory.name]


def write_array(source: Path, directory: Path) -> None:
    np.save(directory / "a.npy", np.frombuffer(source.read_bytes(), dtype=np.uint8))


@pytest.mark.usefixtures("host_cache")
def test_a_mapped_copy_stays_readable_when_another_version_replaces_it(tmp_path: Path) -> None:
    """A parse process keeps its memory map of a copy that a newer process removes."""
    source = tmp_path / "source.bin"
    source.write_bytes(bytes(range(256)) * 64)
    old = derived(source, "array", write_array)
    mapped = np.load(old / "a.npy", mmap_mode="r")
    unused_since(old, host_cache.UNUSED_SECONDS + 60)
    source.write_bytes(b"odesa")
    derived(source, "array", write_array)
    assert not old.exists()
    assert (mapped == np.frombuffer(bytes(range(256)) * 64, dtype=np.uint8)).all()


@pytest.mark.usefixtures("host_cache")
def test_a_copy_is_readable_by_every_user_whatever_the_umask(tmp_path: Path) -> None:
    """The image writes it as root for its runtime user; a root umask of 077 would
    otherwise leave that user a copy it cannot read."""
    source = tmp_path / "source.txt"
    source.write_text("kharkiv")
    saved = os.umask(0o077)
    try:
        directory = derived(source, "upper", write_upper)
    finally:
        os.umask(saved)
    assert directory.stat().st_mode & 0o777 == 0o755
    assert (directory / "upper.txt").stat().st_mode & 0o777 == 0o644


@pytest.mark.usefixtures("host_cache")
def test_a_copy_used_within_the_age_is_kept_by_another_installs_write(tmp_path: Path) -> None:
    """Two installs (two sources of one kind): the other's copy, used an hour ago, stays
    beside the new one; a copy used again is marked, so it outlives the age."""
    first, second = tmp_path / "first.txt", tmp_path / "second.txt"
    first.write_text("kharkiv")
    second.write_text("odesa")
    kept = derived(first, "upper", write_upper)
    unused_since(kept, host_cache.UNUSED_SECONDS - 3600)
    written = derived(second, "upper", write_upper)
    assert cached() == sorted([kept.name, written.name])

    unused_since(written, host_cache.UNUSED_SECONDS + 60)
    assert derived(second, "upper", write_upper) == written  # marked used again
    assert time.time() - written.stat().st_mtime < 60
    unused_since(kept, host_cache.UNUSED_SECONDS + 60)
    third = tmp_path / "third.txt"
    third.write_text("lviv")
    assert cached() == sorted([kept.name, written.name])
    newest = derived(third, "upper", write_upper)
    assert cached() == sorted([written.name, newest.name])


@pytest.mark.usefixtures("host_cache")
def test_a_mark_removes_copies_unused_past_the_age(tmp_path: Path) -> None:
    """Without a write of its kind (no new install), the first start an hour after its
    copy's mark removes the copies no install has used for a day."""
    current, removed = tmp_path / "current.txt", tmp_path / "removed.txt"
    current.write_text("kharkiv")
    removed.write_text("odesa")
    stale = derived(removed, "upper", write_upper)
    copy = derived(current, "upper", write_upper)
    unused_since(stale, host_cache.UNUSED_SECONDS + 60)
    assert derived(current, "upper", write_upper) == copy  # marked a moment ago: no sweep
    assert stale.exists()
    unused_since(copy, host_cache.USE_MARK_SECONDS + 60)
    assert derived(current, "upper", write_upper) == copy
    assert cached() == [copy.name]


@pytest.mark.usefixtures("host_cache")
def test_a_copy_that_cannot_be_marked_is_read_unmarked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An image's cache, written at build by root, read-only to the runtime user: utime
    fails with EPERM, and the copy is read as it is, nothing removed."""
    source, stale_source = tmp_path / "source.txt", tmp_path / "stale.txt"
    source.write_text("kharkiv")
    stale_source.write_text("odesa")
    stale = derived(stale_source, "upper", write_upper)
    copy = derived(source, "upper", write_upper)
    for old in (stale, copy):
        unused_since(old, host_cache.UNUSED_SECONDS + 60)
    marked = copy.stat().st_mtime

    def read_only(path: Path, *args: object) -> None:
        raise PermissionError(1, "Operation not permitted", str(path))

    monkeypatch.setattr(os, "utime", read_only)
    assert derived(source, "upper", write_upper) == copy
    assert copy.stat().st_mtime == marked
    assert stale.exists()


# An install's start: a process reading the copy of ``upper`` derived from argv[1], its writes
# recorded in $DERIVATIONS as DERIVING_PROCESS does; it prints the copy's directory.
INSTALL_START = """
import os, sys
from pathlib import Path
from workers import host_cache

def write(source, directory):
    with open(os.environ["DERIVATIONS"], "a") as derivations:
        derivations.write(f"{source}\\n")
    (directory / "upper.txt").write_text(source.read_text().upper())

print(host_cache.derived(Path(sys.argv[1]), "upper", write), flush=True)
"""


@pytest.mark.usefixtures("host_cache")
def test_two_installs_starting_in_turn_never_derive_again(tmp_path: Path) -> None:
    """Two virtualenvs on one host, their processes started in turn, one cache: each
    derives its copy once, and each reads its own from then on."""
    script = tmp_path / "start.py"
    script.write_text(INSTALL_START)
    derivations = tmp_path / "derivations"
    derivations.touch()
    installs = [tmp_path / "venv-a.txt", tmp_path / "venv-b.txt"]
    for install in installs:
        install.write_text(install.stem)
    env = os.environ | {"DERIVATIONS": str(derivations)}
    copies = []
    for _ in range(3):
        for install in installs:
            done = subprocess.run(
                [sys.executable, str(script), str(install)],
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
                check=True,
            )
            copies.append(Path(done.stdout.strip()))
    assert derivations.read_text().split() == [str(install) for install in installs]
    assert len(set(copies)) == 2
    assert cached() == sorted({copy.name for copy in copies})
