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
even one stuck in a parse. That is why workers are started with ``spawn`` (a fresh
interpreter: no copy of this process's loop, sockets or threads), from the event loop's
thread: the death signal follows the thread that started the child, and under
``forkserver`` the parent would be the fork server, which stays up as long as any of its
children holds its liveness pipe, so a stuck worker and the server keep each other alive.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import ctypes
import logging
import multiprocessing
import os
import signal
import weakref
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

log = logging.getLogger(__name__)
T = TypeVar("T")

# prctl(2) option: the signal this process gets when its parent thread exits.
_PR_SET_PDEATHSIG = 1
# A fresh worker imports the parser and loads its language profiles (about a second);
# that start is not part of any call's deadline, but it is bounded too.
_START_TIMEOUT = 120.0
_READY = "ready"


class ParseDeadlineExceeded(Exception):
    """The call ran past the pool's deadline; its worker was killed."""


class ParseWorkerDied(Exception):
    """The worker process ended before answering (killed, out of memory)."""


class ParsePoolClosed(Exception):
    """The pool was closed (shutdown) while the call waited or ran."""


def _die_with_parent() -> None:
    """Ask for SIGKILL when the parent exits; exit now if it already has."""
    parent = os.getppid()
    with contextlib.suppress(OSError, AttributeError):  # not Linux: the pipe watch remains
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(0)


def _serve(conn: Connection, initializer: Callable[[], None] | None) -> None:
    """A worker's life: announce readiness, then answer calls until the pipe closes."""
    _die_with_parent()
    if initializer is not None:
        initializer()
    conn.send(_READY)
    while True:
        try:
            fn, args = conn.recv()
        except (EOFError, OSError):  # the parent is gone or closed us
            return
        try:
            answer: tuple[str, object] = ("ok", fn(*args))
        except Exception as exc:  # the caller re-raises it
            answer = ("error", exc)
        try:
            conn.send(answer)
        except (EOFError, OSError):
            return
        except Exception as exc:  # an unpicklable result or exception
            conn.send(("error", RuntimeError(f"parse worker could not send its answer: {exc}")))


class _Worker:
    def __init__(self, process: BaseProcess, conn: Connection) -> None:
        self.process = process
        self.conn = conn

    def call(self, fn: Callable[..., object], args: tuple[object, ...]) -> tuple[str, object]:
        """Blocking: send the call and wait for its answer (runs in a thread)."""
        self.conn.send((fn, args))
        answer: tuple[str, object] = self.conn.recv()
        return answer

    def kill(self) -> None:
        """SIGKILL, without waiting: the thread still reading this pipe gets end-of-file
        and lets the connection go; the pool reaps the process later (``reaped``)."""
        with contextlib.suppress(OSError, ValueError):
            self.process.kill()

    def reaped(self) -> bool:
        """Whether the process has exited, collecting its exit status if so (no zombie)."""
        with contextlib.suppress(OSError, ValueError):
            self.process.join(0)
        return self.process.exitcode is not None


class ParsePool:
    """Up to ``processes`` worker processes; ``run`` gives each call ``deadline`` seconds.

    Usable from any event loop (tests run one loop each): it holds no asyncio primitive
    across calls, only futures of the loop that waits on them."""

    def __init__(
        self,
        processes: int,
        deadline: float,
        *,
        initializer: Callable[[], None] | None = None,
        context: str = "spawn",
    ) -> None:
        if processes < 1:
            raise ValueError("a parse pool needs at least one process")
        self.processes = processes
        self.deadline = deadline
        self._initializer = initializer
        self._context: Any = multiprocessing.get_context(context)
        self._idle: list[_Worker] = []
        self._busy: set[_Worker] = set()
        self._starting: set[_Worker] = set()
        self._killed: list[_Worker] = []  # not reaped yet
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

    async def run(self, fn: Callable[..., T], *args: Any, ahead: bool = False) -> T:
        """``fn(*args)`` in a worker process. Raises what ``fn`` raised, or
        ParseDeadlineExceeded, ParseWorkerDied, ParsePoolClosed.

        ``ahead``: the call finishes work already begun (a poll's second step), so it
        waits for a worker ahead of every call that begins new work. Without it, a burst
        of new documents would hold each one's second step until every first step had
        run, and nothing would come out of the pool until then."""
        self._killed = [w for w in self._killed if not w.reaped()]
        worker = await self._acquire(self._ahead if ahead else self._waiters)
        loop = asyncio.get_running_loop()
        call = loop.run_in_executor(self._threads, worker.call, fn, args)
        try:
            status, value = await asyncio.wait_for(call, self.deadline)
        except TimeoutError:
            self._discard(worker)
            raise ParseDeadlineExceeded(f"gave up after {self.deadline:g} s") from None
        except (EOFError, OSError) as exc:
            self._discard(worker)
            if self._closed:
                raise ParsePoolClosed("the parse pool was closed") from exc
            raise ParseWorkerDied("the parse worker died") from exc
        except BaseException:  # cancelled: nobody wants this answer, free the worker
            self._discard(worker)
            raise
        self._release(worker)
        if status == "error":
            assert isinstance(value, BaseException)
            raise value
        return value  # type: ignore[return-value]

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
        while True:
            if self._closed:
                raise ParsePoolClosed("the parse pool was closed")
            if self._idle:
                worker = self._idle.pop()
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
            queue.append(waiter)
            try:
                await waiter
            except asyncio.CancelledError:
                if self._closed:
                    raise ParsePoolClosed("the parse pool was closed") from None
                raise
            finally:
                with contextlib.suppress(ValueError):
                    queue.remove(waiter)

    async def _start(self) -> _Worker:
        """Start a worker (here, on the loop's thread: see the module docstring) and wait
        until it has warmed up."""
        parent_end, child_end = self._context.Pipe()
        process = self._context.Process(
            target=_serve, args=(child_end, self._initializer), name="parse-worker", daemon=True
        )
        process.start()
        child_end.close()
        worker = _Worker(process, parent_end)
        self._starting.add(worker)  # close() kills it too, which ends the wait below
        loop = asyncio.get_running_loop()
        try:
            ready = await loop.run_in_executor(self._threads, _wait_ready, parent_end)
        except BaseException:
            worker.kill()
            raise
        finally:
            self._starting.discard(worker)
        if self._closed:
            worker.kill()
            raise ParsePoolClosed("the parse pool was closed")
        if not ready:
            worker.kill()
            raise ParseWorkerDied("the parse worker did not start")
        return worker

    def _release(self, worker: _Worker) -> None:
        self._busy.discard(worker)
        if self._closed:
            worker.kill()
            return
        self._idle.append(worker)
        self._wake_one()

    def _discard(self, worker: _Worker) -> None:
        self._busy.discard(worker)
        self._live -= 1
        worker.kill()
        self._killed.append(worker)
        self._wake_one()

    def _wake_one(self) -> None:
        for queue in (self._ahead, self._waiters):
            while queue:
                waiter = queue.popleft()
                if waiter.done() or waiter.get_loop().is_closed():
                    continue
                waiter.get_loop().call_soon_threadsafe(_resolve_quietly, waiter)
                return


def _wait_ready(conn: Connection) -> bool:
    """Whether a new worker said it is ready within the start timeout (blocking)."""
    try:
        return bool(conn.poll(_START_TIMEOUT)) and conn.recv() == _READY
    except (EOFError, OSError):
        return False


def _resolve_quietly(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)


def _cancel_quietly(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.cancel()


_open_pools: weakref.WeakSet[ParsePool] = weakref.WeakSet()


@atexit.register
def close_all() -> None:
    """Kill every pool's workers (at interpreter exit; tests call it between cases)."""
    for pool in list(_open_pools):
        pool.close()
