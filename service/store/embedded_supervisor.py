"""Keeping the embedded Redis up for as long as a long-running process needs it.

Every ``briefing run | api | worker`` in embedded mode runs one supervisor:

- As the **owner** (it started the server): when the server exits (OOM killer, a crash,
  kill -9), log it once as an error with the exit status and start it again on the same
  data directory (the AOF is replayed), after ``RESTART_DELAYS``. The clients reconnect on
  their own: the socket path does not change, and every stage retries a round that failed
  on a connection error. If every attempt fails, give up: ``failure`` says why, and the
  command stops and exits non-zero, so that Docker or systemd restarts the whole process.
- As an **attached** process: when the owner is gone (its lock on the data directory is
  free, and its server went down with it), take ownership and start the server.

``problem()`` is what liveness (``/healthz``) reports: the supervisor gave up, or the
server has not answered for ``WEDGED_AFTER`` seconds while its process still runs (a
stopped or hung server, which no restart here would detect).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence

from service.child_process import describe_exit
from service.store.embedded import EmbeddedRedisError, EmbeddedServer

log = logging.getLogger(__name__)

# Seconds before each consecutive restart attempt: the first at once, the last about 15 s
# after the crash; a server that then ran for STABLE_AFTER seconds starts the count anew.
RESTART_DELAYS: tuple[float, ...] = (0.0, 0.5, 1.0, 2.0, 4.0, 8.0)


def restart_delays(attempts: int) -> tuple[float, ...]:
    """The delays of ``attempts`` restarts: ``RESTART_DELAYS``, then its last one again."""
    extra = max(0, attempts - len(RESTART_DELAYS))
    return RESTART_DELAYS[:attempts] + (RESTART_DELAYS[-1],) * extra


STABLE_AFTER = 60.0
WEDGED_AFTER = 60.0
PROBE_INTERVAL = 1.0
ATTEMPT_TIMEOUT = 60.0  # one start without an answer (a server loading its AOF answers)


class EmbeddedSupervisor:
    def __init__(
        self,
        server: EmbeddedServer,
        *,
        delays: Sequence[float] = RESTART_DELAYS,
        attempt_timeout: float = ATTEMPT_TIMEOUT,
    ) -> None:
        self.server = server
        self.delays = tuple(delays)
        self.attempt_timeout = attempt_timeout
        self.failure: str | None = None
        self.restarts = 0
        self._last_answer = time.monotonic()

    def problem(self) -> str | None:
        """Why this process cannot recover by itself, or None (liveness)."""
        if self.failure is not None:
            return self.failure
        silent = time.monotonic() - self._last_answer
        if silent > WEDGED_AFTER:
            return f"embedded redis has not answered for {silent:.0f} s"
        return None

    async def run(self) -> None:
        """Supervise until cancelled; returns only after giving up (``failure`` is set)."""
        while True:
            if self.server.owner:
                status = await self._wait_for_exit()
                log.error(
                    "embedded redis %s; restarting it on the same data dir",
                    describe_exit(status),
                    extra={"exit_status": status, "data_dir": str(self.server.data_dir)},
                )
            else:
                await self._wait_for_owner_to_go()
                log.warning(
                    "the process that ran the embedded redis is gone; this one runs it now",
                    extra={"data_dir": str(self.server.data_dir)},
                )
            if not await self._restart():
                return

    async def _wait_for_exit(self) -> int:
        started = time.monotonic()
        while True:
            status = self.server.exit_status()
            if status is not None:
                if time.monotonic() - started > STABLE_AFTER:
                    self.restarts = 0
                return status
            await self._probe()
            await asyncio.sleep(PROBE_INTERVAL)

    async def _wait_for_owner_to_go(self) -> None:
        while not self.server.take_ownership():
            await self._probe()
            await asyncio.sleep(PROBE_INTERVAL)

    async def _probe(self) -> None:
        if await asyncio.to_thread(self.server.ready) is not False:  # loading counts
            self._last_answer = time.monotonic()

    async def _restart(self) -> bool:
        while self.restarts < len(self.delays):
            await asyncio.sleep(self.delays[self.restarts])
            self.restarts += 1
            try:
                # A server that is still shutting down may take a while to go: off the loop.
                await asyncio.to_thread(self.server.stop_orphans)
                # Started from the event loop's thread, which lives as long as the process
                # (see EmbeddedServer.spawn).
                self.server.spawn()
                await self._until_ready()
            except (EmbeddedRedisError, OSError) as exc:
                log.warning(
                    "embedded redis restart %d of %d failed: %s",
                    self.restarts,
                    len(self.delays),
                    exc,
                )
                self.server.stop_process()
                continue
            self._last_answer = time.monotonic()
            log.info(
                "embedded redis running again (pid %s), data replayed",
                self.server.pid,
                extra={"restart": self.restarts},
            )
            return True
        self.failure = (
            f"embedded redis could not be restarted after {len(self.delays)} attempts: "
            f"{self.server.log_tail()}"
        )
        log.error(self.failure, extra={"data_dir": str(self.server.data_dir)})
        return False

    async def _until_ready(self) -> None:
        deadline = time.monotonic() + self.attempt_timeout
        while time.monotonic() < deadline:
            state = await asyncio.to_thread(self.server.ready)
            if state:
                return
            if state is None:  # replaying the AOF: progress, however long it takes
                deadline = time.monotonic() + self.attempt_timeout
                self._last_answer = time.monotonic()
            self.server.check_started()
            await asyncio.sleep(0.05)
        raise EmbeddedRedisError(f"redis-server did not answer within {self.attempt_timeout:g} s")
