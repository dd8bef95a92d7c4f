"""Parse worker processes with a deadline per call: an overrunning worker is killed and
replaced, so one hostile document costs its own feed a failed poll and nobody else a wait.

``concurrent.futures.ProcessPoolExecutor`` cannot do this: a task it started runs to the
end, a timeout only stops the caller waiting, and the worker stays busy (feedparser's
strict parser is quadratic in the attributes of one element: a 400 KB document holds a
worker for many seconds, a 15 MiB one for hours). Here each worker is one process behind
one pipe; a call sends ``(fn, args)`` and waits for the answer at most ``deadline``
seconds, then SIGKILLs that process. The next call starts a fresh one.

Workers never outlive the process that started them: each asks the kernel for SIGKILL
when its parent dies (Linux ``PR_SET_PDEATHSIG``), and an idle worker also exits when its
pipe reaches end-of-file. So ``kill -9`` of the service leaves no parse workers behind,
even one stuck in a parse. That is why each worker is a fresh interpreter started from
the event loop's thread (no copy of this process's loop, sockets or threads; the death
signal follows the thread that started the child), not a fork and not a child of a
``forkserver``, which stays up as long as any of its children holds its liveness pipe,
so a stuck worker and the server keep each other alive.

The interpreter is started directly (``python -c`` with one end of a socket pair, and
this interpreter's options: ``-O``, ``-W``, ``-X``), not
through multiprocessing's ``spawn``: ``spawn`` first re-imports the parent's main module
in the child (``briefing``'s, the whole service), which costs a worker as much CPU as its
own imports and language model together. A worker imports only what its calls need: the
parent's ``sys.path``, its own loop (workers/pool_worker.py, none of the pool's event
loop, threads and subprocesses), then the initializer and each call's function, by
reference.

A call's deadline is charged in the time its process ran or waited for anything but a
CPU (workers/charged_time.py): the workers are niced, and on a host whose cores are busy
with other work a healthy parse can wait for a CPU longer than its whole deadline, which
would record a healthy feed as failing because the host was busy. Every call is bounded
in wall time too, at ``WALL_CAP_DEADLINES`` times its deadline, so a hostile document
holds a worker for a bounded time even when the host starves it.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import logging
import socket
import subprocess
import sys
import weakref
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from service.child_process import describe_exit, interpreter_flags
from workers import charged_time
from workers.pool_worker import NOT_READY, READY

log = logging.getLogger(__name__)
T = TypeVar("T")

# A fresh worker imports the parser and loads its language profiles (about a second);
# that start is not part of any call's deadline, but it is bounded too: charged as a
# call is, and by the wall cap.
_START_TIMEOUT = 120.0
# A call is killed after this many of its deadlines of wall time, however little of it
# was charged: every call ends, even on a host so busy that its process hardly runs. Ten:
# a parse process (nice 10 in a session of its own: weight 110 against a nice-0
# session's 1024) gets about a tenth of a core beside one busy session per core, so a
# call that needs most of its deadline of CPU still ends within the cap there.
WALL_CAP_DEADLINES = 10
# How long close_all waits for each killed worker to exit (SIGKILL: at once, unless the
# process is stuck in the kernel, which must not hold the exit).
_REAP_TIMEOUT = 1.0
# How long a new worker that closed its pipe before it was ready has to end, so that its
# exit status can say why: an interpreter that exits on an exception closes its pipe as
# it finalizes its modules, which on a busy host takes a second or more (more, niced).
_EXIT_WAIT = 10.0
# What a worker's interpreter runs: ignore SIGINT (Ctrl-C in a terminal signals the whole
# foreground process group; a worker's end is its owner's to decide: close, end-of-file,
# the death signal), read the parent's import path, then serve on the socket whose
# descriptor is its argument (the initializer comes as the next message).
_BOOT = (
    "import signal, sys\n"
    "signal.signal(signal.SIGINT, signal.SIG_IGN)\n"
    "from multiprocessing.connection import Connection\n"
    "conn = Connection(int(sys.argv[1]))\n"
    "sys.path[:] = conn.recv()\n"
    "from workers.pool_worker import serve\n"
    "serve(conn, conn.recv())\n"
)


class ParseDeadlineExceeded(Exception):
    """The call was charged more than its deadline (its wall time less the time its
    process waited for a CPU); its worker was killed."""


class ParseWallCapExceeded(ParseDeadlineExceeded):
    """The call ran ``wall_cap`` seconds of wall time (``WALL_CAP_DEADLINES`` times its
    deadline) before its deadline was charged: its process waited for a CPU most of that
    time (``waited`` seconds). Its worker was killed."""

    def __init__(self, wall_cap: float, waited: float) -> None:
        super().__init__(
            f"gave up after {wall_cap:g} s of wall time, the cap on a call's wall time; "
            f"its process waited for a CPU {waited:.3g} s of it"
        )
        self.wall_cap = wall_cap
        self.waited = waited


class ParseWorkerDied(Exception):
    """The worker process ended before answering (killed, out of memory)."""


class ParseWorkerDidNotStart(ParseWorkerDied):
    """A new worker ended, or did not answer, before it was ready: no call was sent to it
    (its initializer failed, the interpreter could not start)."""


class ParsePoolClosed(Exception):
    """The pool was closed (shutdown) while the call waited or ran."""


@dataclass(slots=True)
class _Spent:
    """What a call's tries have spent so far: seconds charged, seconds of wall time."""

    charged: float = 0.0
    wall: float = 0.0


class _Worker:
    def __init__(self, process: subprocess.Popen[bytes], conn: Connection) -> None:
        self.process = process
        self.conn = conn

    def call(self, fn: Callable[..., object], args: tuple[object, ...]) -> tuple[str, object]:
        """Blocking: send the call and wait for its answer (runs in a thread)."""
        self.conn.send((fn, args))
        answer: tuple[str, object] = self.conn.recv()
        return answer

    def exited(self) -> bool:
        """Whether the process has ended (killed while idle: the OOM killer, an operator's
        ``kill -9``); reaps it if so."""
        with contextlib.suppress(OSError):
            return self.process.poll() is not None
        return True

    def kill(self) -> None:
        """SIGKILL, without waiting: the thread still reading this pipe gets end-of-file
        and lets the connection go; a later call reaps the process (``_reap``)."""
        with contextlib.suppress(OSError):
            self.process.kill()


class ParsePool:
    """Up to ``processes`` worker processes; ``run`` gives each call ``deadline`` seconds
    charged (workers/charged_time.py) and ``WALL_CAP_DEADLINES`` times it of wall time.
    An idle worker whose process ended (killed while idle) is replaced before a call is
    sent to it.

    Usable from any event loop (tests run one loop each): it holds no asyncio primitive
    across calls, only futures of the loop that waits on them."""

    def __init__(
        self,
        processes: int,
        deadline: float,
        *,
        initializer: Callable[[], None] | None = None,
        retry_when_died: bool = False,
    ) -> None:
        if processes < 1:
            raise ValueError("a parse pool needs at least one process")
        self.processes = processes
        self.deadline = deadline
        self._initializer = initializer
        self.retry_when_died = retry_when_died
        self._idle: list[_Worker] = []
        self._busy: set[_Worker] = set()
        self._starting: set[_Worker] = set()
        self._live = 0  # idle + busy + starting
        # Calls waiting for a worker, first come first served; ``ahead`` calls (work
        # already begun) are served before any ``waiters`` call.
        self._ahead: deque[asyncio.Future[None]] = deque()
        self._waiters: deque[asyncio.Future[None]] = deque()
        # Blocking pipe I/O runs here: one thread per worker, plus room for the threads of
        # killed workers that are still returning from their read.
        self._threads = ThreadPoolExecutor(2 * processes, thread_name_prefix="parse-pool")
        self._closed = False
        _open_pools.add(self)

    async def run(
        self, fn: Callable[..., T], *args: Any, ahead: bool = False, deadlines: int = 1
    ) -> T:
        """``fn(*args)`` in a worker process. Raises what ``fn`` raised, or
        ParseDeadlineExceeded (ParseWallCapExceeded past the wall cap), ParseWorkerDied,
        ParsePoolClosed.

        ``deadlines``: how many calls' work ``fn`` does in one (a parse and a normalize):
        it has that many deadlines, the time the calls it stands for would have had.

        ``ahead``: the call finishes work already begun (a poll's second step), so it
        waits for a worker ahead of every call that begins new work. Without it, a burst
        of new documents would hold each one's second step until every first step had
        run, and nothing would come out of the pool until then.

        With ``retry_when_died``, a call whose worker dies in it is made once more, on a
        fresh worker, ahead of new work: the process may have been killed from outside
        (the OOM killer, an operator) through no fault of the call; a call that kills its
        worker twice (input that crashes the code it runs) raises ParseWorkerDied. The
        second try has what the first left of the deadline and of the wall cap (the
        fresh worker's start is not counted, as for any call): a call holds workers for
        one deadline charged and one wall cap at most, and one past the deadline is not
        made again."""
        _reap()
        worker = await self._acquire(self._ahead if ahead else self._waiters)
        deadline = self.deadline * deadlines
        spent = _Spent()
        try:
            return await self._call(worker, fn, args, deadline, spent)
        except ParseWorkerDied:
            if not self.retry_when_died:
                raise
        left = deadline - spent.charged
        if left <= 0:
            raise ParseDeadlineExceeded(f"gave up after {deadline:g} s")
        log.warning(
            "a parse worker died in a call; the call is made again on a fresh worker "
            "(%.3g s of its deadline left)",
            left,
        )
        worker = await self._acquire(self._ahead)  # work already begun
        try:
            return await self._call(worker, fn, args, deadline, spent)
        except ParseWorkerDied as exc:
            raise ParseWorkerDied("the parse worker died twice in this call") from exc

    async def _call(
        self,
        worker: _Worker,
        fn: Callable[..., T],
        args: tuple[Any, ...],
        deadline: float,
        spent: _Spent,
    ) -> T:
        """``fn(*args)`` in ``worker`` (acquired), within what ``spent`` (the call's tries
        before this one, which this one adds to) left of ``deadline`` seconds charged and
        of the wall cap; the worker is released, or discarded if it died or ran past a
        bound."""
        loop = asyncio.get_running_loop()
        wall_cap = deadline * WALL_CAP_DEADLINES
        charged_left, wall_left = deadline - spent.charged, wall_cap - spent.wall
        call = loop.run_in_executor(self._threads, worker.call, fn, args)
        try:
            clocks = await _watch(call, worker.process.pid, charged_left, wall_left)
        except BaseException:  # cancelled: nobody wants this answer, free the worker
            call.cancel()
            self._discard(worker)
            raise
        spent.charged += clocks.charged
        spent.wall += clocks.wall
        if not call.done():
            call.cancel()
            self._discard(worker)
            if clocks.past(charged_left):
                raise ParseDeadlineExceeded(f"gave up after {deadline:g} s")
            raise ParseWallCapExceeded(wall_cap, spent.wall - spent.charged)
        try:
            status, value = call.result()
        except (EOFError, OSError) as exc:
            self._discard(worker)
            if self._closed:
                raise ParsePoolClosed("the parse pool was closed") from exc
            raise ParseWorkerDied("the parse worker died") from exc
        except BaseException:  # cancelled (the pool's threads shut down)
            self._discard(worker)
            raise
        self._release(worker)
        if status == "error":
            assert isinstance(value, BaseException)
            raise value
        return value  # type: ignore[return-value]

    async def fill(self) -> int:
        """Start workers until the pool holds ``processes`` (each idle once warm), all at
        once; returns how many started. A failed start is logged and leaves its place to
        the next call, which starts a worker as it would have without this.

        A service's first poll round otherwise starts each worker inside the round, when
        a parse first finds none idle: every start (the interpreter, the parser, the
        language model) then takes a core from the round. Started with the service, they
        warm up while its first fetches are on the network."""
        if self._closed:
            return 0
        wanted = self.processes - self._live
        self._live += wanted
        failed = [
            exc
            for exc in await asyncio.gather(*(self._start_idle() for _ in range(wanted)))
            if exc is not None
        ]
        if failed and not self._closed:  # one line for the pool: the starts fail alike
            log.warning(
                "%d of %d parse workers did not start ahead of their first calls "
                "(each call starts one as it needs it): %s",
                len(failed),
                wanted,
                failed[0],
            )
        return wanted - len(failed)

    async def _start_idle(self) -> BaseException | None:
        """Start a worker into the idle list; the failure of a start, if it failed."""
        try:
            worker = await self._start()
        except BaseException as exc:
            self._live -= 1
            self._wake_one()  # a waiting call may start one in its place
            if not isinstance(exc, ParseWorkerDied | ParsePoolClosed | OSError):
                raise
            return exc
        self._release(worker)
        return None

    def pids(self) -> list[int]:
        """The running workers' process ids."""
        return sorted(w.process.pid for w in [*self._idle, *self._busy] if w.process.pid)

    def close(self) -> None:
        """Kill every worker now, busy or not; calls in progress raise ParsePoolClosed."""
        if self._closed:
            return
        self._closed = True
        _open_pools.discard(self)
        for worker in [*self._idle, *self._busy, *self._starting]:
            worker.kill()
        self._idle.clear()
        self._busy.clear()
        for queue in (self._ahead, self._waiters):
            while queue:
                waiter = queue.popleft()
                if not waiter.done() and not waiter.get_loop().is_closed():
                    waiter.get_loop().call_soon_threadsafe(_cancel_quietly, waiter)
        self._threads.shutdown(wait=False, cancel_futures=True)

    async def _acquire(self, queue: deque[asyncio.Future[None]]) -> _Worker:
        """A worker for a call, waiting in ``queue`` behind the calls already there. A
        call is woken first of its queue; if another took the worker meanwhile (a call
        made again after its worker died takes that worker's place at once), it waits
        first again, not behind the calls that came after it."""
        woken = False
        while True:
            if self._closed:
                raise ParsePoolClosed("the parse pool was closed")
            if self._idle:
                worker = self._idle.pop()
                if worker.exited():
                    self._drop_exited(worker)
                    continue
                self._busy.add(worker)
                return worker
            if self._live < self.processes:
                self._live += 1
                try:
                    worker = await self._start()
                except BaseException:
                    self._live -= 1
                    self._wake_one()
                    raise
                self._busy.add(worker)
                return worker
            waiter = asyncio.get_running_loop().create_future()
            if woken:
                queue.appendleft(waiter)
            else:
                queue.append(waiter)
            try:
                await waiter
                woken = True
            except asyncio.CancelledError:
                if self._closed:
                    raise ParsePoolClosed("the parse pool was closed") from None
                raise
            finally:
                with contextlib.suppress(ValueError):
                    queue.remove(waiter)

    async def _start(self) -> _Worker:
        """Start a worker (here, on the loop's thread: see the module docstring) and wait
        until it has warmed up. Nothing starts once the pool is closed: ``fill``'s starts
        run a loop iteration after its check, and close() may come in between."""
        if self._closed:
            raise ParsePoolClosed("the parse pool was closed")
        worker = _launch(self._initializer)
        self._starting.add(worker)  # close() kills it too, which ends the wait below
        loop = asyncio.get_running_loop()
        wall_cap = _START_TIMEOUT * WALL_CAP_DEADLINES
        ready = loop.run_in_executor(self._threads, _wait_ready, worker, wall_cap)
        try:
            clocks = await _watch(ready, worker.process.pid, _START_TIMEOUT, wall_cap)
            if ready.done():
                unready = ready.result()
            else:
                ready.cancel()
                unready = f"not ready after {_START_TIMEOUT:g} s" + (
                    "" if clocks.past(_START_TIMEOUT) else f" ({wall_cap:g} s of wall time)"
                )
        except BaseException:
            worker.kill()
            raise
        finally:
            self._starting.discard(worker)
        if self._closed:
            worker.kill()
            raise ParsePoolClosed("the parse pool was closed")
        if unready is not None:
            worker.kill()
            raise ParseWorkerDidNotStart(f"the parse worker did not start: {unready}")
        return worker

    def _release(self, worker: _Worker) -> None:
        self._busy.discard(worker)
        if self._closed:
            worker.kill()
            return
        self._idle.append(worker)
        self._wake_one()

    def _drop_exited(self, worker: _Worker) -> None:
        """Forget an idle worker whose process ended: its place goes to a fresh one, and
        no call is sent to a dead process (that call would fail for nothing it did)."""
        self._live -= 1
        with contextlib.suppress(OSError):
            worker.conn.close()
        status = worker.process.returncode
        log.warning(
            "parse worker %s %s while idle; a fresh one takes its place",
            worker.process.pid,
            "ended" if status is None else describe_exit(status),
        )

    def _discard(self, worker: _Worker) -> None:
        self._busy.discard(worker)
        self._live -= 1
        worker.kill()
        self._wake_one()

    def _wake_one(self) -> None:
        for queue in (self._ahead, self._waiters):
            while queue:
                waiter = queue.popleft()
                if waiter.done() or waiter.get_loop().is_closed():
                    continue
                waiter.get_loop().call_soon_threadsafe(_resolve_quietly, waiter)
                return


def _launch(initializer: Callable[[], None] | None) -> _Worker:
    """Start a worker's interpreter (fork + exec, without waiting for it) and hand it the
    import path and the initializer."""
    parent_end, child_end = socket.socketpair()
    with parent_end, child_end:
        process = subprocess.Popen(
            [sys.executable, *interpreter_flags(), "-c", _BOOT, str(child_end.fileno())],
            stdin=subprocess.DEVNULL,
            pass_fds=(child_end.fileno(),),
        )
        conn = Connection(parent_end.detach())
    _processes.append(process)
    try:  # the socket buffers both messages: the child reads them when it is up
        conn.send(sys.path)
        conn.send(initializer)
    except OSError:
        pass  # the child died at once: _wait_ready says so
    return _Worker(process, conn)


async def _watch(
    answer: asyncio.Future[Any], pid: int, charged: float, wall_cap: float
) -> charged_time.CallTime:
    """Wait for ``answer`` from process ``pid`` until it comes, or the process has been
    charged ``charged`` seconds or ``wall_cap`` seconds of wall time have passed (then
    ``answer`` is not done); the clocks of the wait.

    It wakes when the earliest moment a bound could be reached has come (charged time
    runs no faster than wall time), reads the process's clocks
    (workers/charged_time.py), and waits again for what is left."""
    loop = asyncio.get_running_loop()
    start = charged_time.read(pid, loop.time(), state=False)
    clocks = charged_time.CallTime.starting(start)
    while (wait := clocks.next_check(charged, wall_cap)) > 0:
        await asyncio.wait((answer,), timeout=wait)
        if answer.done():  # not read again (a file read less): the last stretch charged whole
            return clocks.at(charged_time.Reading(loop.time(), None))
        clocks = clocks.at(charged_time.read(pid, loop.time()))
    return clocks


def _wait_ready(worker: _Worker, timeout: float) -> str | None:
    """None once a new worker said it is ready within ``timeout`` seconds; else why it
    did not start, in words (blocking)."""
    try:
        if not worker.conn.poll(timeout):
            return f"not ready after {timeout:g} s of wall time"
        message = worker.conn.recv()
    except (EOFError, OSError):
        # Ended before a word (the interpreter could not start, a crash in native code):
        # its exit status says how; SIGKILL'd or not, it is at its end by now or soon.
        with contextlib.suppress(subprocess.TimeoutExpired, OSError):
            status = worker.process.wait(_EXIT_WAIT)
            return f"it ended before it was ready ({describe_exit(status)})"
        return "it closed its pipe before it was ready"
    if message == READY:
        return None
    if isinstance(message, tuple) and len(message) == 2 and message[0] == NOT_READY:
        return f"its initializer raised {message[1]}"
    return f"it sent {message!r} instead of {READY!r}"


def _resolve_quietly(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)


def _cancel_quietly(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.cancel()


_open_pools: weakref.WeakSet[ParsePool] = weakref.WeakSet()
# Every worker process not reaped yet, of every pool (as multiprocessing keeps its
# children): a pool dropped without close() lets its pipes go, so its idle workers exit,
# and they, like killed ones, are reaped by a later call rather than left zombies.
_processes: list[subprocess.Popen[bytes]] = []


def _reap() -> None:
    """Collect the exit status of every worker process that has exited."""
    _processes[:] = [process for process in _processes if _running(process)]


def _running(process: subprocess.Popen[bytes]) -> bool:
    with contextlib.suppress(OSError):
        return process.poll() is None
    return False


@atexit.register
def close_all() -> None:
    """Kill every pool's workers (at interpreter exit; tests call it between cases), and
    reap them: a killed process exits at once, and none is left running or a zombie."""
    for pool in list(_open_pools):
        pool.close()
    for process in _processes:
        with contextlib.suppress(subprocess.TimeoutExpired, OSError):
            process.wait(_REAP_TIMEOUT)
    _reap()
