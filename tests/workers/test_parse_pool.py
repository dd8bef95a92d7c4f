"""ParsePool with real worker processes: a call past the deadline kills its worker and
the next call gets a fresh one; a worker's exception reaches the caller; close() kills
busy workers; and kill -9 of the process that owns the pool leaves no worker behind,
idle or stuck in a call."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
import signal
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path

import pytest

from service.cpu_priority import lower_in_own_session
from tests.support.child_modules import imported
from tests.support.processes import alive, busy_core, gone
from workers import charged_time, parse_pool
from workers.parse_pool import (
    ParseDeadlineExceeded,
    ParsePool,
    ParsePoolClosed,
    ParseWallCapExceeded,
    ParseWorkerDidNotStart,
    ParseWorkerDied,
    close_all,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def no_pools_left() -> Iterator[None]:
    yield
    close_all()


async def test_a_call_past_the_deadline_kills_its_worker_and_the_next_gets_a_new_one() -> None:
    pool = ParsePool(1, deadline=0.5)
    first = await pool.run(os.getpid)
    with pytest.raises(ParseDeadlineExceeded, match=r"gave up after 0\.5 s"):
        await pool.run(time.sleep, 3600)
    assert await gone(first)
    second = await pool.run(os.getpid)
    assert second != first and alive(second)


def _lowest_priority() -> None:
    """A worker's initializer: the lowest priority a process can take, in a session of
    its own (a parse process's place, further down)."""
    lower_in_own_session(19)


def _spin(cpu_seconds: float) -> int:
    """Busy for ``cpu_seconds`` of CPU, however long that takes by the clock."""
    end = time.process_time() + cpu_seconds
    while time.process_time() < end:
        pass
    return os.getpid()


@contextlib.asynccontextmanager
async def _starved(deadline: float) -> AsyncIterator[tuple[ParsePool, int]]:
    """A pool of one worker at the lowest priority, started (outside any deadline) and
    pinned to a core that a process of better rank keeps busy while the block runs; the
    pool and the worker's process id."""
    pool = ParsePool(1, deadline, initializer=_lowest_priority)
    with busy_core() as core:
        pid = await pool.run(os.getpid)
        os.sched_setaffinity(pid, {core})
        yield pool, pid


async def test_a_call_that_waits_for_a_cpu_past_its_deadline_is_not_failed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The worker, at the lowest priority, shares its one core with a busy process: a call
    # that needs a tenth of its deadline of CPU waits for it many deadlines by the clock.
    # Charged only what it ran, it answers (the wall cap is moved out of its way).
    monkeypatch.setattr(parse_pool, "WALL_CAP_DEADLINES", 1000)
    async with _starved(deadline=0.5) as (pool, pid):
        assert await pool.run(_spin, 0.05) == pid


async def test_without_the_wait_for_a_cpu_a_call_is_charged_its_wall_time(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Where /proc/<pid>/schedstat cannot be read, the same starved call fails at its
    # deadline, as if the worker had never waited for a CPU.
    monkeypatch.setattr(charged_time, "PROC", tmp_path / "no-proc")
    monkeypatch.setattr(parse_pool, "WALL_CAP_DEADLINES", 1000)
    async with _starved(deadline=0.5) as (pool, pid):
        with pytest.raises(ParseDeadlineExceeded, match=r"^gave up after 0\.5 s$") as raised:
            await pool.run(_spin, 0.05)
    assert type(raised.value) is ParseDeadlineExceeded
    assert await gone(pid)


async def test_a_starved_call_that_never_ends_is_killed_at_the_wall_cap(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A hostile document on a host too busy to run its process: charged a fraction of
    # its deadline, it is killed once the wall cap (three deadlines here) has passed.
    monkeypatch.setattr(parse_pool, "WALL_CAP_DEADLINES", 3)
    async with _starved(deadline=1.0) as (pool, pid):
        with pytest.raises(ParseWallCapExceeded, match=r"^gave up after 3 s of wall time, "):
            await pool.run(_spin, 3600)
    assert await gone(pid)
    assert alive(await pool.run(os.getpid))


def _lowest_priority_then_warm_up() -> None:
    """A worker's initializer: the lowest priority, then a tenth of a second of CPU (as
    a parse process lowers itself, then loads its parser and language model)."""
    _lowest_priority()
    _spin(0.1)


async def test_a_worker_start_that_waits_for_a_cpu_is_not_failed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A start is charged as a call is: a worker started on a core that a process of
    # better rank keeps busy warms up within its 2 s charged, many seconds by the clock.
    monkeypatch.setattr(parse_pool, "_START_TIMEOUT", 2.0)
    monkeypatch.setattr(parse_pool, "WALL_CAP_DEADLINES", 1000)
    pool = ParsePool(1, deadline=60, initializer=_lowest_priority_then_warm_up)
    own = os.sched_getaffinity(0)
    with busy_core() as core:
        os.sched_setaffinity(0, {core})  # the worker started from here inherits it
        try:
            assert alive(await pool.run(os.getpid))
        finally:
            os.sched_setaffinity(0, own)


async def test_a_worker_start_that_never_ends_is_given_up_after_the_start_timeout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(parse_pool, "_START_TIMEOUT", 1.0)
    pool = ParsePool(1, deadline=60, initializer=_slow_start)
    with pytest.raises(ParseWorkerDidNotStart, match=r"did not start: not ready after 1 s$"):
        await pool.run(os.getpid)


async def test_calls_wait_for_a_free_worker_and_all_get_answers() -> None:
    pool = ParsePool(2, deadline=60)
    answers = await asyncio.gather(*(pool.run(pow, n, 2) for n in range(6)))
    assert answers == [0, 1, 4, 9, 16, 25]
    assert len(pool.pids()) == 2


async def test_a_call_ahead_is_served_before_calls_that_waited_longer() -> None:
    pool = ParsePool(1, deadline=60)
    served: list[str] = []

    async def call(name: str, *, ahead: bool = False) -> None:
        await pool.run(os.getpid, ahead=ahead)
        served.append(name)

    # The first call starts the one worker; the others wait for it, in this order.
    await asyncio.gather(
        call("first"), call("second"), call("third"), call("next step", ahead=True)
    )
    assert served == ["first", "next step", "second", "third"]


async def test_the_workers_exception_reaches_the_caller_and_the_worker_stays() -> None:
    pool = ParsePool(1, deadline=60)
    before = await pool.run(os.getpid)
    with pytest.raises(ValueError, match="invalid literal"):
        await pool.run(int, "not a number")
    assert await pool.run(os.getpid) == before


async def test_a_killed_worker_is_reported_and_replaced() -> None:
    pool = ParsePool(1, deadline=60)
    pid = await pool.run(os.getpid)
    with pytest.raises(ParseWorkerDied):
        await pool.run(os.kill, pid, signal.SIGKILL)
    assert await pool.run(os.getpid) != pid


async def test_an_idle_worker_killed_with_kill_nine_is_replaced_before_the_next_call(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # The OOM killer or an operator ends a warm worker between calls: the next call
    # goes to a fresh one, not to the dead process (which failed it for nothing it did).
    pool = ParsePool(1, deadline=60)
    assert await pool.fill() == 1
    (idle,) = pool.pids()
    os.kill(idle, signal.SIGKILL)
    assert await gone(idle)
    with caplog.at_level(logging.WARNING, logger="workers.parse_pool"):
        replacement = await pool.run(os.getpid)
    assert replacement != idle and alive(replacement)
    assert pool.pids() == [replacement]
    assert [r.getMessage() for r in caplog.records] == [
        f"parse worker {idle} killed by SIGKILL while idle; a fresh one takes its place"
    ]


def _die(*args: object) -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _die_the_first_time(marker: Path) -> int:
    """Kill this worker unless ``marker`` exists (it is made first): a call whose process
    is killed under it once, as by the OOM killer."""
    if not marker.exists():
        marker.touch()
        _die()
    return os.getpid()


async def test_a_call_whose_worker_dies_is_made_once_more_on_a_fresh_worker(
    tmp_path: Path,
) -> None:
    pool = ParsePool(1, deadline=60, retry_when_died=True)
    first = await pool.run(os.getpid)
    answer = await pool.run(_die_the_first_time, tmp_path / "killed")
    assert answer != first and alive(answer)
    assert await gone(first)


async def test_calls_waiting_while_a_call_is_made_again_keep_their_order(
    tmp_path: Path,
) -> None:
    # The second try takes the dead worker's place at once; the call first in line, woken
    # by that place coming free, waits first again, not behind the calls that came later.
    pool = ParsePool(1, deadline=60, retry_when_died=True)
    served: list[str] = []

    async def call(name: str, fn: Callable[..., object], *args: object) -> None:
        await pool.run(fn, *args)
        served.append(name)

    await asyncio.gather(
        call("killed once", _die_the_first_time, tmp_path / "killed"),
        call("second", os.getpid),
        call("third", os.getpid),
        call("fourth", os.getpid),
    )
    assert served == ["killed once", "second", "third", "fourth"]


def _note_and_die(tries: Path) -> None:
    with tries.open("a") as out:
        out.write(f"{os.getpid()}\n")
    _die()


async def test_a_call_that_kills_its_worker_twice_fails_and_the_pool_serves_on(
    tmp_path: Path,
) -> None:
    # Input that crashes the code it runs: tried on two processes, no third.
    pool = ParsePool(1, deadline=60, retry_when_died=True)
    tries = tmp_path / "tries"
    with pytest.raises(ParseWorkerDied, match="died twice in this call"):
        await pool.run(_note_and_die, tries)
    first, second = (int(pid) for pid in tries.read_text().split())
    assert first != second
    assert await gone(first) and await gone(second)
    assert alive(await pool.run(os.getpid))
    assert len(tries.read_text().split()) == 2


def _count_and_sleep(starts: Path) -> None:
    with starts.open("a") as out:
        out.write("started\n")
    time.sleep(3600)


async def test_a_call_doing_two_calls_work_has_two_deadlines() -> None:
    pool = ParsePool(1, deadline=3.0)
    await pool.run(os.getpid)  # the worker started (its start is no part of a deadline)
    with pytest.raises(ParseDeadlineExceeded, match=r"gave up after 3 s"):
        await pool.run(time.sleep, 4.5)
    assert await pool.run(time.sleep, 4.5, deadlines=2) is None
    with pytest.raises(ParseDeadlineExceeded, match=r"gave up after 6 s"):
        await pool.run(time.sleep, 3600, deadlines=2)


async def test_a_call_past_the_deadline_is_not_made_again(tmp_path: Path) -> None:
    # 3 s: room for the worker to note its start on a loaded machine before the deadline.
    pool = ParsePool(1, deadline=3.0, retry_when_died=True)
    imported = tmp_path / "imported"
    imported.touch()
    await pool.run(_die_the_first_time, imported)  # this module imported, outside the deadline
    starts = tmp_path / "starts"
    with pytest.raises(ParseDeadlineExceeded):
        await pool.run(_count_and_sleep, starts)
    assert starts.read_text().splitlines() == ["started"]


def _sleep_then_die_the_first_time(marker: Path, seconds: float) -> int:
    """Take ``seconds``, then kill this worker unless ``marker`` exists (it is made
    first): a call whose process is killed under it late in its deadline."""
    time.sleep(seconds)
    return _die_the_first_time(marker)


async def test_a_call_made_again_has_what_its_first_try_left_of_the_deadline(
    tmp_path: Path,
) -> None:
    # The first try takes 2.5 s of the 4 s deadline before its worker dies: the second
    # has 1.5 s at most, less than the 2.5 s it needs, so the call fails on the deadline
    # (a call holds workers for one deadline at most), not after 5 s with an answer.
    pool = ParsePool(1, deadline=4.0, retry_when_died=True)
    with pytest.raises(ParseDeadlineExceeded, match=r"gave up after 4 s"):
        await pool.run(_sleep_then_die_the_first_time, tmp_path / "killed", 2.5)
    assert (tmp_path / "killed").exists()


async def test_close_kills_a_busy_worker_and_its_call_ends() -> None:
    pool = ParsePool(1, deadline=3600)
    pid = await pool.run(os.getpid)
    call = asyncio.ensure_future(pool.run(time.sleep, 3600))
    await asyncio.sleep(0.2)  # the call is in the worker now
    pool.close()
    with pytest.raises(ParsePoolClosed):
        await asyncio.wait_for(call, 30)
    assert await gone(pid)
    with pytest.raises(ParsePoolClosed):
        await pool.run(os.getpid)


def _hang_at_a_second_start(starts: Path) -> None:
    """A worker's initializer: the first start goes through; a later one writes its pid
    to ``starts``/second and hangs (a fresh worker still starting)."""
    first = starts / "first"
    if not first.exists():
        first.touch()
        return
    (starts / "second").write_text(str(os.getpid()))
    time.sleep(3600)


async def test_close_while_a_call_is_made_again_ends_it_and_kills_the_starting_worker(
    tmp_path: Path,
) -> None:
    # A stop (SIGTERM) lands while the second try of a call waits for its fresh worker.
    pool = ParsePool(
        1,
        deadline=3600,
        initializer=functools.partial(_hang_at_a_second_start, tmp_path),
        retry_when_died=True,
    )
    call = asyncio.ensure_future(pool.run(_die_the_first_time, tmp_path / "killed"))
    second = tmp_path / "second"
    started = time.monotonic()
    while not second.exists() or not second.read_text():
        assert time.monotonic() - started < 60 and not call.done()
        await asyncio.sleep(0.05)
    pool.close()
    with pytest.raises(ParsePoolClosed):
        await asyncio.wait_for(call, 30)
    assert await gone(int(second.read_text()))
    assert pool.pids() == []


OWNER = """
import asyncio, os, sys, time
from workers.parse_pool import ParsePool

async def main():
    pool = ParsePool(2, deadline=3600)
    await asyncio.gather(pool.run(os.getpid), pool.run(time.sleep, 0.2))  # both started
    busy = asyncio.ensure_future(pool.run(time.sleep, 3600))
    while len(pool.pids()) < 2 or not pool._busy:
        await asyncio.sleep(0.01)
    print(" ".join(str(p) for p in pool.pids()), flush=True)
    await busy

asyncio.run(main())
"""


async def test_kill_nine_of_the_owner_leaves_no_worker_behind() -> None:
    owner = await asyncio.create_subprocess_exec(
        sys.executable, "-c", OWNER, cwd=ROOT, stdout=asyncio.subprocess.PIPE
    )
    try:
        assert owner.stdout is not None
        line = await asyncio.wait_for(owner.stdout.readline(), 60)
        workers = [int(pid) for pid in line.split()]
        assert len(workers) == 2 and all(alive(pid) for pid in workers)  # busy + idle
        owner.send_signal(signal.SIGKILL)
        await owner.wait()
        for pid in workers:
            assert await gone(pid), f"parse worker {pid} outlived its owner"
    finally:
        if owner.returncode is None:
            owner.kill()
            await owner.wait()


def _slow_start() -> None:
    time.sleep(3600)


async def test_close_ends_a_worker_still_starting() -> None:
    pool = ParsePool(1, deadline=3600, initializer=_slow_start)
    call = asyncio.ensure_future(pool.run(os.getpid))
    while not pool._starting:  # noqa: ASYNC110
        await asyncio.sleep(0.01)
    (starting,) = pool._starting
    pool.close()
    with pytest.raises(ParsePoolClosed):
        await asyncio.wait_for(call, 30)
    assert await gone(starting.process.pid or 0)


def zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return False


async def test_killed_workers_are_reaped_by_the_next_call() -> None:
    pool = ParsePool(2, deadline=1.0)
    await asyncio.gather(pool.run(time.sleep, 0.2), pool.run(time.sleep, 0.2))  # both up
    before = set(pool.pids())
    with pytest.raises(ParseDeadlineExceeded):
        await pool.run(time.sleep, 3600)
    (killed,) = before - set(pool.pids())
    assert await gone(killed)
    assert await pool.run(os.getpid) in before  # the idle worker: no new process started
    assert not zombie(killed)


async def test_a_worker_does_not_run_the_owners_main_module(tmp_path: Path) -> None:
    ran = tmp_path / "ran"
    owner = tmp_path / "owner.py"
    owner.write_text(
        "import asyncio, os, sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        f"with open({str(ran)!r}, 'a') as out:\n"
        "    out.write(f'{os.getpid()}\\n')\n"
        "from workers.parse_pool import ParsePool\n"
        "async def main():\n"
        "    print(await ParsePool(1, deadline=60).run(os.getpid), flush=True)\n"
        "if __name__ == '__main__':\n"
        "    asyncio.run(main())\n"
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, str(owner), cwd=tmp_path, stdout=asyncio.subprocess.PIPE
    )
    out, _ = await asyncio.wait_for(process.communicate(), 60)
    worker = int(out)
    assert worker != process.pid
    assert ran.read_text().split() == [str(process.pid)]  # the owner's own run, alone


async def test_a_worker_imports_its_calls_not_the_pools_side() -> None:
    """A worker's start pays for its calls' modules, not the owner's event loop."""
    pool = ParsePool(1, deadline=60)
    assert await pool.run(imported, "workers.pool_worker")
    assert not await pool.run(imported, "workers.parse_pool")
    assert not await pool.run(imported, "asyncio")


async def test_a_worker_runs_with_the_owners_interpreter_flags() -> None:
    # -O drops asserts, -W sets warning filters, -X dev turns on checks: a worker
    # started without them would parse under other rules than its owner.
    owner = (
        "import asyncio\n"
        "from workers.parse_pool import ParsePool\n"
        "ASK = \"(__import__('sys').flags.optimize, __import__('sys').warnoptions)\"\n"
        "print(asyncio.run(ParsePool(1, deadline=60).run(eval, ASK)), flush=True)\n"
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-O",
        "-W",
        "error::ResourceWarning",
        "-c",
        owner,
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
    )
    out, _ = await asyncio.wait_for(process.communicate(), 60)
    assert out.decode().strip() == "(1, ['error::ResourceWarning'])"


# The owner restores Python's SIGINT handler: a shell starts a background job with SIGINT
# ignored (POSIX, "Shell Execution Environment"), and a test runner started that way would
# hand the ignoring on, where a terminal's foreground process has the handler.
INTERRUPTED_OWNER = """
import asyncio, os, signal
signal.signal(signal.SIGINT, signal.default_int_handler)
from workers.parse_pool import ParsePool
async def main():
    pool = ParsePool(2, deadline=3600)
    print(*await asyncio.gather(pool.run(os.getpid), pool.run(os.getpid)), flush=True)
    await asyncio.sleep(3600)
try:
    asyncio.run(main())
except KeyboardInterrupt:
    pass
"""


async def test_ctrl_c_stops_the_owner_and_its_workers_say_nothing() -> None:
    # Ctrl-C in a terminal sends SIGINT to the whole foreground process group: the
    # workers are in it, and their life is the owner's to end (it closes the pool).
    owner = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        INTERRUPTED_OWNER,
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        start_new_session=True,
    )
    assert owner.stdout is not None
    workers = [int(pid) for pid in (await asyncio.wait_for(owner.stdout.readline(), 60)).split()]
    os.killpg(owner.pid, signal.SIGINT)
    _out, err = await asyncio.wait_for(owner.communicate(), 60)
    assert owner.returncode == 0
    assert err.decode() == ""  # no worker's KeyboardInterrupt traceback
    for pid in workers:
        assert await gone(pid)


async def test_fill_starts_every_worker_before_any_call_and_calls_use_them() -> None:
    pool = ParsePool(2, deadline=60)
    assert pool.pids() == []
    assert await pool.fill() == 2
    started = pool.pids()
    assert len(started) == 2 and all(alive(pid) for pid in started)
    # Two calls at once: each finds a warm worker idle, none is started for them.
    answers = await asyncio.gather(pool.run(os.getpid), pool.run(os.getpid))
    assert sorted(answers) == started
    assert pool.pids() == started
    assert await pool.fill() == 0  # full already


async def test_fill_after_a_call_starts_only_the_missing_workers() -> None:
    pool = ParsePool(2, deadline=60)
    first = await pool.run(os.getpid)
    assert await pool.fill() == 1
    assert first in pool.pids() and len(pool.pids()) == 2


async def test_a_worker_that_fails_to_start_ahead_leaves_its_place_to_a_call() -> None:
    pool = ParsePool(1, deadline=60, initializer=_fail_to_start)
    assert await pool.fill() == 0  # logged, not raised
    with pytest.raises(ParseWorkerDied):
        await pool.run(os.getpid)  # the call starts its own worker (which fails the same way)


async def test_workers_that_fail_to_start_ahead_are_logged_in_one_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    pool = ParsePool(2, deadline=60, initializer=_fail_to_start)
    with caplog.at_level(logging.WARNING, logger="workers.parse_pool"):
        assert await pool.fill() == 0
    assert [r.getMessage() for r in caplog.records] == [
        "2 of 2 parse workers did not start ahead of their first calls (each call starts "
        "one as it needs it): the parse worker did not start: it ended before it was ready "
        "(exited with status 3)"
    ]


def _model_missing() -> None:
    raise FileNotFoundError("no model file at /nowhere")


def _crash() -> None:
    os.kill(os.getpid(), signal.SIGSEGV)


def _raise_lines() -> None:
    raise ValueError("line one\n  line two\n" + "x" * 1000)


@pytest.mark.parametrize(
    ("initializer", "why"),
    [
        (_model_missing, "its initializer raised FileNotFoundError: no model file at /nowhere"),
        (_crash, "it ended before it was ready (killed by SIGSEGV)"),
        (_raise_lines, "its initializer raised ValueError: line one line two " + "x" * 482),
    ],
)
async def test_a_worker_that_cannot_start_says_why(
    initializer: Callable[[], None], why: str
) -> None:
    """The exception names the cause (a missing model, a crash in native code), so the
    owner's one log line says it, not only that no worker started: on one line, and at
    most 500 characters of the initializer's exception."""
    pool = ParsePool(1, deadline=60, initializer=initializer)
    with pytest.raises(ParseWorkerDidNotStart) as raised:
        await pool.run(os.getpid)
    assert str(raised.value) == f"the parse worker did not start: {why}"


async def test_fill_of_a_closed_pool_starts_nothing() -> None:
    pool = ParsePool(2, deadline=60)
    pool.close()
    assert await pool.fill() == 0
    assert pool.pids() == []


async def test_a_pool_closed_as_fill_begins_starts_nothing_and_fill_returns() -> None:
    """close() between fill's check and its starts (SIGTERM as a worker starts: the stop
    runs in the loop iteration between them): no process is launched, nothing raised."""
    launched = list(parse_pool._processes)
    pool = ParsePool(2, deadline=60)
    filling = asyncio.create_task(pool.fill())
    await asyncio.sleep(0)  # fill has checked the pool and scheduled its starts
    pool.close()
    assert await filling == 0
    assert parse_pool._processes == launched  # no process started


def _fail_to_start() -> None:
    raise SystemExit(3)
