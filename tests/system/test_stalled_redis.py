"""A Redis that accepts connections and never answers (a SIGSTOPped server, a host that
drops packets after the connection is made): `briefing run`, `api` and `worker` each
give up at start-up after ``BRIEFING_STARTUP_WAIT`` and exit 1 with a readable line,
as for a refused connection, rather than wait for an answer forever (real processes,
a real redis-server stopped with SIGSTOP)."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import pytest

from tests.support.processes import ROOT, embedded_service_env
from tests.support.redis_server import RedisServer

pytestmark = pytest.mark.slow

# Longer than any bounded start-up (the wait, plus a socket timeout per try): a role still
# running then is waiting on the stalled server for good.
HANG = 90


async def exit_of(role: str, env: dict[str, str]) -> tuple[int | None, str]:
    """``briefing <role>``'s exit status (None: still running after HANG s; then
    killed) and its output."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "service.cli", role, env=env, cwd=ROOT,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    try:
        output, _ = await asyncio.wait_for(process.communicate(), HANG)
        return process.returncode, output.decode(errors="replace")
    except TimeoutError:
        process.kill()
        output, _ = await process.communicate()
        return None, output.decode(errors="replace")


async def test_each_role_gives_up_on_a_stalled_redis_at_start_up(
    tmp_path: Path, redis_server: RedisServer
) -> None:
    config = tmp_path / "feeds.toml"
    config.write_text('[[briefings]]\nid = "world"\ntitle = "World"\n')
    env = embedded_service_env(tmp_path / "data", config) | {
        "REDIS_URL": redis_server.url,
        "BRIEFING_STARTUP_WAIT": "1",
        "BRIEFING_PORT": "0",
    }
    assert redis_server.process is not None
    os.kill(redis_server.process.pid, signal.SIGSTOP)
    try:
        exits = await asyncio.gather(*(exit_of(role, env) for role in ("run", "api", "worker")))
    finally:
        os.kill(redis_server.process.pid, signal.SIGCONT)
    for role, (code, output) in zip(("run", "api", "worker"), exits, strict=True):
        assert code == 1, (role, output[-3000:])
        assert "checking the data format: Redis unreachable (Timeout" in output, (role, output)
        assert "gave up after BRIEFING_STARTUP_WAIT=1 s" in output, (role, output)
