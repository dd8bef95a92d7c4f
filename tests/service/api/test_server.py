"""AcceptAllServer (service/api/server.py), the server `briefing api`/`run` serve through:
every connection waiting in the listen queue is accepted on one readiness event (libuv
accepts one per loop iteration), and connections are served by uvicorn's own protocol."""

from __future__ import annotations

import asyncio
import errno
import socket
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
import uvloop

from service import cli
from service.api.server import AcceptAllServer, bind
from service.config import AppConfig
from service.liveness import Liveness
from service.settings import Settings
from service.store import Store
from tests.support.net import free_port

Scope = dict[str, Any]


async def hello(scope: Scope, receive: Any, send: Any) -> None:
    assert scope["type"] == "http"
    body = f'{{"path": "{scope["path"]}"}}'.encode()
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})  # fmt: skip
    await send({"type": "http.response.body", "body": body})


def config(**kw: Any) -> uvicorn.Config:
    return uvicorn.Config(hello, log_level="warning", lifespan="off", **kw)


@asynccontextmanager
async def serving(server: AcceptAllServer) -> AsyncIterator[None]:
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    try:
        yield
    finally:
        server.should_exit = True
        await task


async def get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str) -> bytes:
    writer.write(f"GET {path} HTTP/1.1\r\nHost: t\r\n\r\n".encode())
    head = await reader.readuntil(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200 "), head
    length = next(
        int(line.split(b":")[1]) for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )  # fmt: skip
    return await reader.readexactly(length)


async def test_one_readiness_event_accepts_every_waiting_connection() -> None:
    server = AcceptAllServer(config(host="127.0.0.1", port=0))
    async with serving(server):
        (listener,) = server.listeners
        port = listener.getsockname()[1]
        # The loop is not running while these connect: the kernel completes each handshake
        # and queues the connection, as when many clients arrive during a long iteration.
        clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(30)]
        assert server.accept_pending(listener) == 30  # libuv's server: 1
        assert server.accept_pending(listener) == 0
        streams = []
        for sock in clients:
            sock.setblocking(False)
            streams.append(await asyncio.open_connection(sock=sock))
        bodies = await asyncio.gather(*(get(r, w, f"/{n}") for n, (r, w) in enumerate(streams)))
        assert bodies == [f'{{"path": "/{n}"}}'.encode() for n in range(30)]
        # Keep-alive: the same connections serve again, through uvicorn's own protocol.
        assert await get(*streams[0], "/again") == b'{"path": "/again"}'
        assert len(server.server_state.connections) == 30
        for _, writer in streams:
            writer.close()
            await writer.wait_closed()
    assert server.listeners == [] and listener.fileno() == -1  # closed on shutdown


async def test_serves_a_burst_of_connections_on_uvloop() -> None:
    """As `briefing api` runs: uvloop, port 0 (the bound port is the listener's)."""
    # The second round reuses the first round's connections: a keep-alive timeout longer
    # than a slow first round (a busy machine) keeps the server from closing one of them
    # just as the client sends on it, which is a race of timeouts, not of accepting.
    server = AcceptAllServer(config(host="127.0.0.1", port=0, timeout_keep_alive=60))
    thread = threading.Thread(target=lambda: uvloop.run(server.serve()), daemon=True)
    thread.start()
    while not server.started:
        assert thread.is_alive(), "the server did not start"
        await asyncio.sleep(0.01)
    port = server.listeners[0].getsockname()[1]
    try:
        limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", limits=limits) as c:
            for _ in range(2):  # 100 new connections at once, then the same kept alive
                answers = await asyncio.gather(*(c.get(f"/{n}") for n in range(100)))
                assert [a.json()["path"] for a in answers] == [f"/{n}" for n in range(100)]
    finally:
        server.should_exit = True
        await asyncio.to_thread(thread.join, 10)
    assert not thread.is_alive()


async def test_unix_socket_goes_through_uvicorn_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "api.sock"
    server = AcceptAllServer(config(uds=str(path)))
    async with serving(server):
        assert server.listeners == [] and server.servers
        transport = httpx.AsyncHTTPTransport(uds=str(path))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as c:
            assert (await c.get("/x")).json() == {"path": "/x"}


def test_bind_gives_every_address_of_a_name_the_same_port() -> None:
    listeners = bind("localhost", 0, 16)
    try:
        assert listeners
        assert len({s.getsockname()[1] for s in listeners}) == 1
        assert all(not s.getblocking() for s in listeners)
    finally:
        for s in listeners:
            s.close()


def test_bind_to_a_busy_port_names_the_address() -> None:
    """`briefing run` on a port in use (8080 by default) logs this and exits 3: it says
    which address, as asyncio's create_server does, so the user knows what to change."""
    (busy,) = bind("127.0.0.1", 0, 16)
    port = busy.getsockname()[1]
    try:
        with pytest.raises(OSError) as refused:
            bind("127.0.0.1", port, 16)
    finally:
        busy.close()
    assert refused.value.errno == errno.EADDRINUSE
    assert str(refused.value) == (
        f"[Errno {errno.EADDRINUSE}] error while attempting to bind on address "
        f"('127.0.0.1', {port}): address already in use"
    )


async def test_briefing_api_serves_through_accept_all(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`briefing api` and `briefing run` (cli.serve_api) accept through AcceptAllServer."""
    batches: list[int] = []
    accept_pending = AcceptAllServer.accept_pending

    def counting(self: AcceptAllServer, listener: socket.socket) -> int:
        batches.append(accept_pending(self, listener))
        return batches[-1]

    monkeypatch.setattr(AcceptAllServer, "accept_pending", counting)
    monkeypatch.setattr(cli, "freeze_startup_heap", lambda: None)  # not the test's heap
    port = free_port()
    stop = asyncio.Event()
    settings = Settings(host="127.0.0.1", port=port, log_level="WARNING")
    task = asyncio.create_task(cli.serve_api(settings, store, AppConfig(), stop, Liveness()))
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as c:
            for _ in range(500):
                try:
                    response = await c.get("/healthz")
                    break
                except httpx.ConnectError:
                    await asyncio.sleep(0.02)
            assert response.status_code == 200
    finally:
        stop.set()
        await task
    assert sum(batches) >= 1
