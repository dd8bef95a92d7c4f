"""Loopback networking helpers for tests."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

import pytest


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# IPv4 spellings other than a.b.c.d that the C resolver (inet_aton) reads as 127.0.0.1,
# as do aiohttp versions that take an all-digit host for an address (before 3.14.1).
NON_CANONICAL_LOOPBACK = (
    "127.1",
    "127.0.1",
    "2130706433",
    "017700000001",
    "0x7f.1",
    "0x7f000001",
    "0177.0.0.1",
    "127.0.0.1.",
    "0",
)


def aiohttp_without_canonical_ipv4_check(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the installed aiohttp connect to "127.1" as aiohttp 3.14.0 did: its connector
    takes any all-digit host for an IP literal and never asks our resolver about it
    (3.14.1 added the canonical check this removes)."""
    import aiohttp.connector

    monkeypatch.setattr(aiohttp.connector, "is_canonical_ipv4_address", lambda host: True)


@asynccontextmanager
async def raw_server(
    handle: Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]],
) -> AsyncIterator[tuple[str, list[int]]]:
    """A raw TCP server on 127.0.0.1 and this test's loop, for answers no real server
    gives; yields its base URL and the number of connections it took so far."""
    connections = [0]

    async def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        connections[0] += 1
        try:
            await handle(reader, writer)
        finally:
            writer.close()

    server = await asyncio.start_server(on_connect, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        yield f"http://127.0.0.1:{port}", connections
        server.close()
