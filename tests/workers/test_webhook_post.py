"""workers/webhook_post.py: one attempt against raw receivers on 127.0.0.1 (answers the test
receiver in tests/support/webhook_receiver.py does not give)."""

from __future__ import annotations

import asyncio
import socket
import struct

from tests.factories import STORY_T0 as NOW
from tests.support.net import raw_server
from workers.webhook_post import MAX_RESPONSE_BYTES, WebhookSender


def sender() -> WebhookSender:
    return WebhookSender(timeout=30, max_connections=2, allow_private=True, user_agent="test")


async def test_a_2xx_with_an_endless_body_is_delivered_after_a_bounded_read() -> None:
    sent = 0

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal sent
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
        chunk = b"a" * 0x4000
        while sent < 100 * MAX_RESPONSE_BYTES:  # ends the handler if the sender never stops
            writer.write(b"4000\r\n" + chunk + b"\r\n")
            sent += len(chunk)
            await writer.drain()

    http = sender()
    async with raw_server(handle) as (base, _):
        result = await http.send(base + "/hook", {}, b"{}", now=NOW)
        await http.aclose()
    assert result.status == 200 and result.error is None
    assert sent < 100 * MAX_RESPONSE_BYTES  # the sender hung up long before the end


async def test_a_status_whose_body_never_comes_is_the_answer() -> None:
    """A receiver that answers 200 and holds its connection open has the event: the
    attempt succeeds at the deadline (no retry, so no second delivery), and the
    connection is closed, not reused."""
    closed = asyncio.Event()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n12")
        await writer.drain()
        await reader.read()  # until the sender closes the connection
        closed.set()

    http = WebhookSender(timeout=0.5, max_connections=2, allow_private=True, user_agent="t")
    async with raw_server(handle) as (base, _):
        result = await http.send(base + "/hook", {}, b"{}", now=NOW)
        await closed.wait()
        await http.aclose()
    assert (result.status, result.error) == (200, None)


async def test_a_readable_error_for_one_header_over_the_field_limit() -> None:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 204 OK\r\nX-Big: " + b"a" * 2_000_000 + b"\r\n\r\n")
        await writer.drain()

    http = sender()
    async with raw_server(handle) as (base, _):
        result = await http.send(base + "/hook", {}, b"{}", now=NOW)
        await http.aclose()
    assert result.status is None
    assert result.error == (
        "RemoteProtocolError: Got more than 16384 bytes in one response line or header field"
    )


async def test_a_status_line_dribbled_a_byte_at_a_time_fails_at_the_attempt_deadline() -> None:
    """Each byte resets a per-read timeout; the attempt's own deadline bounds it whole."""
    stopped = asyncio.Event()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        try:
            for byte in b"HTTP/1.1 200 OK\r\n" * 1000:
                writer.write(bytes([byte]))
                await writer.drain()
                await asyncio.sleep(0.05)
        except ConnectionError:
            stopped.set()  # the sender hung up

    http = WebhookSender(timeout=0.5, max_connections=2, allow_private=True, user_agent="t")
    async with raw_server(handle) as (base, _):
        result = await http.send(base + "/hook", {}, b"{}", now=NOW)
        await http.aclose()
        await stopped.wait()
    assert (result.status, result.error) == (None, "timeout after 0.5 s")


async def test_a_connection_reset_before_the_status_is_a_readable_failed_attempt() -> None:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n\r\n")
        writer.write(b"HTTP/1.1 2")
        await writer.drain()
        sock = writer.get_extra_info("socket")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        writer.transport.abort()  # RST, not FIN

    http = sender()
    async with raw_server(handle) as (base, _):
        result = await http.send(base + "/hook", {}, b"{}", now=NOW)
        await http.aclose()
    assert result.status is None and result.error is not None
    assert result.error.startswith("ReadError: ") and "reset" in result.error
