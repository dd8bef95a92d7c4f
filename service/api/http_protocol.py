"""``ProblemHttpToolsProtocol``: uvicorn's httptools protocol with a bounded request head,
and RFC 9457 problem documents for the requests it refuses before the app sees them.

uvicorn on httptools (what ``uvicorn[standard]`` runs) bounds nothing in a request's
head but the request-target (65,535 bytes, httptools' URL parser): a header field keeps
growing in httptools' buffer, and the process's memory with it, for as long as the client
sends it. And uvicorn answers every request the parser refuses (a target over that limit,
a space in a field name, bytes that are not HTTP) with a plain-text ``400 Invalid HTTP
request received.``, while every error from the app is a problem document
(service/api/errors.py).

This protocol, given to uvicorn as ``Config(http=...)``:

* counts the request-target and the header fields (names and values) as the parser
  hands them over, and refuses a head over ``MAX_REQUEST_HEAD`` bytes: 414 URI Too Long
  when the target alone is over (RFC 9110 §15.5.15), else 431 Request Header Fields Too
  Large (RFC 6585 §5);
* counts, too, what arrives while a head is still incomplete, which is what bounds a
  field httptools is still buffering: past the limit, the same 431. A head that starts
  in the middle of a read (pipelined after a body) is counted from the next read on, so
  it can outgrow the limit by at most one read (256 KiB) before the refusal;
* answers every refusal, its own and the parser's, with ``application/problem+json`` and
  closes the connection, as uvicorn does with its plain-text 400;
* gives each request ``REQUEST_READ_TIMEOUT`` seconds to arrive whole, head and body,
  counted from the connection's opening for its first request and from the request's
  first byte for the next ones (uvicorn's keep-alive timeout covers the wait before it).
  uvicorn bounds neither: a client that sends nothing, half a request line or a head
  without its blank line would hold its connection, a file descriptor, for good
  ("slowloris").
  Past the deadline the server answers ``408 Request Timeout`` (RFC 9110 §15.5.9) and
  closes; a connection on which nothing of a request came is closed without an answer,
  and one whose request the app already answered is closed. While the server itself is
  answering (a response being written, a request being handled) the client is not the
  one waiting, and the deadline starts again after it.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from service.api.errors import PROBLEM_JSON, problem_document

__all__ = ["MAX_REQUEST_HEAD", "ProblemHttpToolsProtocol"]

# Request-target plus header names and values: the bound the fetcher puts on response
# heads (service/http_transport.py), four times h11's and Node's 16 KiB.
MAX_REQUEST_HEAD = 64 * 1024
# Seconds for a request to arrive whole: nginx's client_header_timeout and Node's
# headersTimeout (60 s each); 1 MiB, the largest body accepted, then needs 18 KB/s.
REQUEST_READ_TIMEOUT = 60.0
# RFC 9110 §15.5 and RFC 6585 §5 reason phrases (Python's HTTPStatus has RFC 2616's
# "Request-URI Too Long").
_TITLES = {
    400: "Bad Request",
    408: "Request Timeout",
    414: "URI Too Long",
    431: "Request Header Fields Too Large",
}


class _Refused(Exception):
    """Raised from a parser callback: httptools stops and uvicorn calls
    ``send_400_response``, which answers with the refusal kept on the protocol."""


class ProblemHttpToolsProtocol(HttpToolsProtocol):
    read_timeout = REQUEST_READ_TIMEOUT

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._read_deadline: asyncio.TimerHandle | None = None
        self._refusal: tuple[int, str] | None = None  # status and detail
        self._in_head = True  # a connection starts with a request head
        self._target_bytes = 0
        self._head_bytes = 0  # target plus fields, as the parser handed them over
        self._head_received = 0  # bytes read while this head was incomplete
        self._messages = 0  # requests fully read on this connection

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._start_read_deadline()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_read_deadline()
        super().connection_lost(exc)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self._read_deadline is None:  # a first request's deadline runs from the connect
            self._start_read_deadline()

    def data_received(self, data: bytes) -> None:
        in_head, messages = self._in_head, self._messages
        super().data_received(data)
        # All of ``data`` was head only if the head was open before and still is, with no
        # request ending in between (a pipelined head would count the body before it).
        if not (in_head and self._in_head and messages == self._messages):
            return
        self._head_received += len(data)
        if self._head_received > MAX_REQUEST_HEAD and not self.transport.is_closing():
            self._refusal = self._too_large(self._head_received)
            self.send_400_response("")

    def on_url(self, url: bytes) -> None:
        self._target_bytes += len(url)
        self._count(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count(len(name) + len(value))
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._in_head = False
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._stop_read_deadline()
        super().on_message_complete()
        self._messages += 1
        self._in_head = True
        self._target_bytes = self._head_bytes = self._head_received = 0

    def send_400_response(self, msg: str) -> None:
        """Answer a request refused before the app saw it with a problem document, and
        close (uvicorn's own answer here is a plain-text 400 carrying ``msg``)."""
        status, detail = self._refusal or (400, msg)
        title = _TITLES[status]
        body = json.dumps(problem_document(status, title, detail)).encode()
        head = [f"HTTP/1.1 {status} {title}\r\n".encode()]
        for name, value in self.server_state.default_headers:
            head.append(name + b": " + value + b"\r\n")
        head.append(
            f"content-type: {PROBLEM_JSON}\r\ncontent-length: {len(body)}\r\n"
            "connection: close\r\n\r\n".encode()
        )
        self.transport.write(b"".join(head) + body)
        self.transport.close()

    def _start_read_deadline(self) -> None:
        self._stop_read_deadline()
        self._read_deadline = self.loop.call_later(self.read_timeout, self._read_timed_out)

    def _stop_read_deadline(self) -> None:
        if self._read_deadline is not None:
            self._read_deadline.cancel()
            self._read_deadline = None

    def _read_timed_out(self) -> None:
        self._read_deadline = None
        if self.transport.is_closing():
            return
        cycle = self.cycle
        answering = cycle is not None and not cycle.response_complete
        if answering and (cycle.response_started or not cycle.more_body or self.pipeline):
            self._start_read_deadline()  # the server is the one busy: not the client's time
            return
        if cycle is not None and not cycle.response_complete:  # the app awaits the body
            cycle.disconnected = True  # it gets http.disconnect, and its answer goes nowhere
            cycle.message_event.set()
        elif cycle is not None and not self._in_head:  # answered before the body came
            self.transport.close()
            return
        if self._in_head and self._head_received == 0 and not self._head_bytes:
            self.transport.close()  # nothing of a request came: nothing to answer
            return
        detail = f"The request did not arrive whole within {self.read_timeout:g} s."
        self._refusal = (408, detail)
        self.send_400_response(detail)

    def _count(self, size: int) -> None:
        self._head_bytes += size
        if self._head_bytes > MAX_REQUEST_HEAD:
            self._refusal = self._too_large(self._head_bytes)
            raise _Refused

    def _too_large(self, size: int) -> tuple[int, str]:
        if self._target_bytes > MAX_REQUEST_HEAD:
            return 414, f"The request-target is over {MAX_REQUEST_HEAD:,} bytes."
        return 431, (
            f"The request's target and header fields are over {MAX_REQUEST_HEAD:,} bytes "
            f"({size:,} so far)."
        )
