"""``AcceptAllServer``: uvicorn's server, but each time the listening socket is readable it
accepts every connection waiting in the kernel's queue, not one.

Why: since libuv 1.45 (libuv/libuv#3696, "unix: don't accept() connections in a loop";
uvloop 0.23 bundles libuv 1.52) a libuv server accepts ONE connection per event-loop
iteration and relies on level-triggered polling for the next. uvicorn on uvloop serves
through such a server. When the loop is saturated, an iteration runs a request for every
busy connection (200 connections x ~0.1 ms), so a burst of new connections is accepted
over as many iterations: the k-th waits about k iterations for its first response. Of
200 connections opened at once, the late ones wait for their first response one iteration
apart (docs/design.md), while their later requests are as fast as everyone's; the stdlib
loop (whose accept handler takes up to ``backlog`` per event,
``BaseSelectorEventLoop._accept_connection``) has no such wait. The kernel is not
involved: no listen-queue overflow, no SYN or data retransmission timeout.

So for a plain TCP host/port (what ``briefing api``/``run`` serve) this server binds the
socket itself, watches it with ``loop.add_reader`` and accepts until the queue is empty
(at most ``backlog`` per event, as asyncio does), handing each connection to uvicorn's own
HTTP protocol through ``loop.connect_accepted_socket`` (same transport as
``create_server`` makes). Anything else (a unix socket, an inherited fd, TLS, sockets
passed in) goes through uvicorn unchanged.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import socket
import sys

import uvicorn

log = logging.getLogger(__name__)

# asyncio's own pause after EMFILE/ENFILE/ENOBUFS/ENOMEM (asyncio.constants.ACCEPT_RETRY_DELAY):
# the waiting connections stay queued in the kernel meanwhile.
ACCEPT_RETRY_DELAY = 1.0
_RESOURCE_ERRORS = (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM)
STARTUP_FAILURE = 3  # uvicorn's exit status when it cannot bind


class AcceptAllServer(uvicorn.Server):
    """A ``uvicorn.Server`` whose listening sockets are drained on every readiness event."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.listeners: list[socket.socket] = []
        self._connecting: set[asyncio.Task[object]] = set()

    def _plain_tcp(self, sockets: list[socket.socket] | None) -> bool:
        c = self.config
        return sockets is None and c.uds is None and c.fd is None and c.ssl is None

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        if not self._plain_tcp(sockets):
            await super().startup(sockets)
            return
        # An empty list: uvicorn runs the lifespan startup and opens no listener of its own.
        await super().startup(sockets=[])
        self.started = False  # not until the listeners below are open
        if self.should_exit:
            return
        try:
            self.listeners = bind(self.config.host, self.config.port, self.config.backlog)
        except OSError as exc:
            log.error("%s", exc)
            await self.lifespan.shutdown()
            sys.exit(STARTUP_FAILURE)
        for listener in self.listeners:
            self._watch(listener)
        self._log_started_message(self.listeners)
        self.started = True

    def _watch(self, listener: socket.socket) -> None:
        asyncio.get_running_loop().add_reader(listener.fileno(), self.accept_pending, listener)

    def protocol(self) -> asyncio.Protocol:
        """uvicorn's HTTP protocol for one connection, built as ``Server.startup`` builds it."""
        protocol: asyncio.Protocol = self.config.http_protocol_class(  # type: ignore[call-arg]
            config=self.config, server_state=self.server_state, app_state=self.lifespan.state
        )
        return protocol

    def accept_pending(self, listener: socket.socket) -> int:
        """Accept every connection queued on ``listener`` (at most ``backlog``); returns how
        many were accepted. Called by the loop whenever ``listener`` is readable."""
        loop = asyncio.get_running_loop()
        accepted = 0
        for _ in range(self.config.backlog):
            try:
                conn, _ = listener.accept()
            except (BlockingIOError, InterruptedError):
                break
            except ConnectionAbortedError:
                continue  # reset by the client while queued; nothing to serve
            except OSError as exc:
                if exc.errno not in _RESOURCE_ERRORS:
                    raise
                # Out of descriptors or memory: stop watching for a while, as asyncio does,
                # instead of spinning on a socket that stays readable.
                log.error("accept() failed (%s): pausing for %.0f s", exc, ACCEPT_RETRY_DELAY)
                loop.remove_reader(listener.fileno())
                loop.call_later(ACCEPT_RETRY_DELAY, self._resume, listener)
                break
            conn.setblocking(False)
            accepted += 1
            task = loop.create_task(self._connect(conn))
            self._connecting.add(task)
            task.add_done_callback(self._connecting.discard)
        return accepted

    async def _connect(self, conn: socket.socket) -> None:
        try:
            await asyncio.get_running_loop().connect_accepted_socket(self.protocol, conn)
        except OSError:
            conn.close()  # the peer went away before its transport was set up

    def _resume(self, listener: socket.socket) -> None:
        if listener in self.listeners and not self.should_exit:
            self._watch(listener)

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        # Stop accepting first, as uvicorn closes its own servers first.
        loop = asyncio.get_running_loop()
        listeners, self.listeners = self.listeners, []
        for listener in listeners:
            loop.remove_reader(listener.fileno())
            listener.close()
        await super().shutdown(sockets)


def bind(host: str, port: int, backlog: int) -> list[socket.socket]:
    """Listening sockets for ``host``:``port``, one per address ``host`` resolves to, as
    ``loop.create_server(host=..., port=...)`` binds them (SO_REUSEADDR; IPv6 sockets
    IPv6-only, so ``::`` and ``0.0.0.0`` can both be bound)."""
    infos = socket.getaddrinfo(
        host or None, port, socket.AF_UNSPEC, socket.SOCK_STREAM, 0, socket.AI_PASSIVE
    )
    listeners: list[socket.socket] = []
    seen: set[tuple[int, str]] = set()
    try:
        for family, kind, proto, _, address in infos:
            if (family, str(address[0])) in seen:
                continue
            seen.add((family, str(address[0])))
            sock = socket.socket(family, kind, proto)
            listeners.append(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            # Port 0: the first address picks a free port, the others take the same one.
            bound = (address[0], port, *address[2:])
            try:
                sock.bind(bound)
            except OSError as exc:  # the address in the message, as create_server words it
                reason = (exc.strerror or str(exc)).lower()
                message = f"error while attempting to bind on address {bound!r}: {reason}"
                raise OSError(exc.errno, message) from None
            port = sock.getsockname()[1]
            sock.listen(backlog)
            sock.setblocking(False)
    except OSError:
        for sock in listeners:
            sock.close()
        raise
    return listeners
