"""service/api/http_protocol.py: requests refused before the app sees them are problem
documents, and a request head is bounded. Against the real `briefing api` process, and
against uvicorn serving a plain ASGI app with the protocol (for pipelining)."""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
from collections.abc import Iterator
from typing import Any

import pytest

from service.api.http_protocol import MAX_REQUEST_HEAD, ProblemHttpToolsProtocol
from tests.support.live_server import serve
from tests.support.processes import briefing_run, embedded_service_env


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp_path = tmp_path_factory.mktemp("api")
    config = tmp_path / "feeds.toml"
    config.write_text("")
    with briefing_run(embedded_service_env(tmp_path / "data", config), tmp_path, "api") as run:
        yield run.base


def exchange(base: str, request: bytes) -> tuple[bytes, dict[str, str], bytes]:
    """Send ``request`` (as much of it as the server takes) and read the answer to its
    end: status line, headers, body."""
    with socket.create_connection(address(base), timeout=30) as sock:
        with contextlib.suppress(ConnectionResetError):  # refused while sending
            sock.sendall(request)
        answer = b""
        with contextlib.suppress(ConnectionResetError):
            while chunk := sock.recv(65536):
                answer += chunk
    return split_answer(answer)


def split_answer(answer: bytes) -> tuple[bytes, dict[str, str], bytes]:
    """Status line, headers and body of one answer."""
    head, _, body = answer.partition(b"\r\n\r\n")
    status, *lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.lower().split(": ", 1) for line in lines)
    return status.encode(), headers, body


def problem(answer: tuple[bytes, dict[str, str], bytes]) -> dict[str, Any]:
    _status, headers, body = answer
    assert headers["content-type"] == "application/problem+json"
    assert headers["connection"] == "close"
    document: dict[str, Any] = json.loads(body)
    return document


def address(base: str) -> tuple[str, int]:
    host, port = base.removeprefix("http://").split(":")
    return host, int(port)


def get(target: bytes, *fields: bytes) -> bytes:
    return b"GET " + target + b" HTTP/1.1\r\nHost: x\r\n" + b"".join(fields) + b"\r\n"


def test_an_over_long_request_target_is_a_414_problem(api: str) -> None:
    answer = exchange(api, get(b"/v1/briefings?q=" + b"a" * 70_000))
    assert answer[0] == b"HTTP/1.1 414 URI Too Long"
    assert problem(answer) == {
        "type": "https://live-briefing.dev/problems/uri-too-long",
        "title": "URI Too Long",
        "status": 414,
        "detail": "The request-target is over 65,536 bytes.",
    }


def test_header_fields_over_the_head_limit_are_a_431_problem(api: str) -> None:
    fields = [b"X-Pad-%d: %s\r\n" % (i, b"a" * 1000) for i in range(70)]
    answer = exchange(api, get(b"/healthz", *fields))
    assert answer[0] == b"HTTP/1.1 431 Request Header Fields Too Large"
    document = problem(answer)
    assert document["status"] == 431
    assert document["detail"].startswith("The request's target and header fields are over")


def test_a_field_that_never_ends_is_refused_long_before_it_does(api: str) -> None:
    sent = 0
    with socket.create_connection(address(api), timeout=30) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ")
        try:
            while sent < 200_000_000:
                sock.sendall(b"a" * 1_000_000)
                sent += 1_000_000
        except (ConnectionResetError, BrokenPipeError):
            pass
        answer = sock.recv(65536)
    assert answer.startswith(b"HTTP/1.1 431 ")
    # The server stopped reading (and the kernel's buffers filled) well before 200 MB.
    assert sent < 20_000_000


def test_a_request_the_parser_refuses_is_a_400_problem(api: str) -> None:
    answer = exchange(api, get(b"/healthz", b"Bad Name: 1\r\n"))
    assert answer[0] == b"HTTP/1.1 400 Bad Request"
    assert problem(answer)["detail"] == "Invalid HTTP request received."


def test_a_head_just_under_the_limit_is_served(api: str) -> None:
    target = b"/healthz"
    pad = MAX_REQUEST_HEAD - len(target) - len(b"Host" + b"x" + b"X-Pad") - 100
    answer = exchange(api, get(target, b"X-Pad: " + b"a" * pad + b"\r\n", b"Connection: close\r\n"))
    assert answer[0] == b"HTTP/1.1 200 OK"
    assert json.loads(answer[2])["status"] == "ok"


async def echo_length(scope: dict[str, Any], receive: Any, send: Any) -> None:
    assert scope["type"] == "http"
    size, more = 0, True
    while more:
        message = await receive()
        size += len(message.get("body", b""))
        more = message.get("more_body", False)
    body = str(size).encode()
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-length", str(len(body)).encode())]})  # fmt: skip
    await send({"type": "http.response.body", "body": body})


async def test_a_pipelined_request_after_a_large_body_is_not_counted_as_its_head() -> None:
    body = b"b" * (4 * MAX_REQUEST_HEAD)
    post = b"POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)
    then = b"GET /b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    async with serve(echo_length, http=ProblemHttpToolsProtocol) as base:
        reader, writer = await asyncio.open_connection(*address(base))
        writer.write(post + then)  # one write: the server reads body and next head together
        await writer.drain()
        answers = await reader.read()
        writer.close()
    assert answers.count(b"HTTP/1.1 200 OK") == 2
    assert answers.endswith(b"\r\n\r\n0") and str(len(body)).encode() in answers


async def test_requests_on_one_connection_each_get_the_whole_limit() -> None:
    field = b"X-Pad: " + b"a" * (MAX_REQUEST_HEAD // 2) + b"\r\n"
    async with serve(echo_length, http=ProblemHttpToolsProtocol) as base:
        reader, writer = await asyncio.open_connection(*address(base))
        for _ in range(3):
            writer.write(get(b"/", field))
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            assert head.startswith(b"HTTP/1.1 200 OK")
            await reader.readexactly(1)  # the body: "0"
        writer.close()


class QuickDeadline(ProblemHttpToolsProtocol):
    read_timeout = 0.3


async def slow_answer(scope: dict[str, Any], receive: Any, send: Any) -> None:
    await asyncio.sleep(5 * QuickDeadline.read_timeout)  # longer than the read deadline
    await echo_length(scope, receive, send)


async def read_to_end(sent: bytes, app: Any = echo_length) -> bytes:
    """Send ``sent``, then nothing more, and read until the server closes (an unbounded
    wait would fail the test at the reader's timeout)."""
    async with serve(app, http=QuickDeadline) as base:
        reader, writer = await asyncio.open_connection(*address(base))
        writer.write(sent)
        await writer.drain()
        answer = await asyncio.wait_for(reader.read(), timeout=30)
        writer.close()
    return answer


@pytest.mark.parametrize(
    "sent",
    [
        b"GET /",
        b"GET / HTTP/1.1\r\n",
        b"GET / HTTP/1.1\r\nHost: x\r\n",
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n" + b"b" * 10,
    ],
    ids=["half-a-request-line", "request-line", "head-without-its-end", "body-cut-short"],
)
async def test_a_request_that_never_arrives_whole_is_a_408_problem(sent: bytes) -> None:
    answer = split_answer(await read_to_end(sent))
    assert answer[0] == b"HTTP/1.1 408 Request Timeout"
    document = problem(answer)
    assert (document["status"], document["title"]) == (408, "Request Timeout")
    assert document["type"] == "https://live-briefing.dev/problems/request-timeout"
    assert document["detail"] == "The request did not arrive whole within 0.3 s."


async def test_a_connection_on_which_nothing_comes_is_closed_without_an_answer() -> None:
    assert await read_to_end(b"") == b""


async def test_a_request_answered_slowly_is_not_cut_by_the_read_deadline() -> None:
    # The request came whole at once: the server taking longer than the read deadline to
    # answer it is not the client being slow, nor is a second request after the first.
    requests = get(b"/a") + get(b"/b", b"Connection: close\r\n")
    answer = await read_to_end(requests, app=slow_answer)
    assert answer.count(b"HTTP/1.1 200 OK") == 2
    assert b"408" not in answer
