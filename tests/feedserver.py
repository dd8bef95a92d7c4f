"""A real HTTP/1.1 server on 127.0.0.1 for tests and benchmarks, with hostile routes on demand.

    with FeedServer() as server:                     # binds an ephemeral port
        url = server.add("/feed.xml", document(rss, etag='"v1"'))
        server.add("/busy", status(429, headers={"Retry-After": "120"}))
        server.add("/old", redirect("/feed.xml", 301))
        urls = server.add_directory(Path("../shared/feeds/real"), prefix="/real/")
        ...
        server.requests_to("/feed.xml")[-1].headers["if-none-match"]

Why hand-written on ``asyncio`` streams rather than uvicorn, pytest-httpserver or
``http.server``: the hostile cases need byte-level control (drip a body slower
than a deadline, stream forever, send a gzip bomb with honest headers, keep a
connection open), which WSGI servers and ``http.server`` do not give without
threads per connection; and it stays light enough for thousands of polls per
second: routes are a dict lookup, directory files are served from memory, and
the loop runs on uvloop when it is installed. It runs on its own thread, so
sync tests, async tests (whatever their loop) and ``bench/`` can all use it;
``python -m tests.feedserver --dir DIR`` runs it as its own process, which
keeps its CPU off the measured client in benchmarks.

Handlers run on the server's loop: ``handler(request) -> Response`` (sync or async).
It speaks just enough HTTP/1.1 for clients: keep-alive, Content-Length or chunked
responses, request bodies with Content-Length (webhook receivers).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gzip
import hashlib
import inspect
import threading
import time
import zlib
from collections import Counter, deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from functools import lru_cache
from http import HTTPStatus
from pathlib import Path
from typing import Any

BodyFactory = Callable[[], AsyncIterator[bytes]]


@dataclass(frozen=True, slots=True)
class Request:
    """One request as received. Header names are lower-cased."""

    method: str
    path: str
    query: str
    headers: Mapping[str, str]
    body: bytes = b""


@dataclass(frozen=True, slots=True)
class Response:
    """What a handler answers. ``body`` is bytes, or a factory of an async byte stream
    (sent chunked, so its size is unknown to the client until it ends)."""

    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes | BodyFactory = b""


Handler = Callable[[Request], Response | Awaitable[Response]]
RouteSpec = Handler | Response | bytes


# --- route builders ----------------------------------------------------------------------


def document(
    body: bytes,
    *,
    content_type: str = "application/rss+xml; charset=utf-8",
    etag: str | None = None,
    last_modified: str | None = None,
    headers: Mapping[str, str] | None = None,
    compress: str | None = None,
) -> Handler:
    """A document that answers 304 to a matching conditional GET (RFC 9110 §13.1.2, §13.1.3).

    ``compress="gzip"`` sends it gzip-encoded when the client accepts gzip.
    """
    gzipped = gzip.compress(body, mtime=0) if compress == "gzip" else None
    base = {"Content-Type": content_type, **(headers or {})}
    if etag is not None:
        base["ETag"] = etag
    if last_modified is not None:
        base["Last-Modified"] = last_modified

    def handle(request: Request) -> Response:
        if _not_modified(request, etag, last_modified):
            return Response(304, {k: v for k, v in base.items() if k != "Content-Type"})
        if gzipped is not None and "gzip" in request.headers.get("accept-encoding", ""):
            return Response(200, {**base, "Content-Encoding": "gzip"}, gzipped)
        return Response(200, base, body)

    return handle


def status(code: int, *, headers: Mapping[str, str] | None = None, body: bytes = b"") -> Response:
    """A fixed answer: ``status(429, headers={"Retry-After": "120"})``, ``status(410)``…"""
    if not body and code >= 400:
        body = f"{code} {_reason(code)}\n".encode()
    return Response(code, {"Content-Type": "text/plain", **(headers or {})}, body)


def redirect(location: str, code: int = 301) -> Response:
    """A redirect (301, 302, 303, 307, 308) to ``location`` (absolute or relative)."""
    return Response(code, {"Location": location}, b"")


def drip(body: bytes, *, chunk_size: int = 1, interval: float = 0.1, **headers: str) -> Response:
    """Send headers at once, then ``chunk_size`` bytes every ``interval`` seconds.

    Each chunk arrives well within any read timeout, so only an overall
    deadline stops a client from waiting ``len(body) / chunk_size * interval``.
    """

    async def stream() -> AsyncIterator[bytes]:
        for start in range(0, len(body), chunk_size):
            yield body[start : start + chunk_size]
            await asyncio.sleep(interval)

    return Response(200, {"Content-Type": "application/rss+xml", **headers}, stream)


def endless(chunk: bytes = b"<item>more</item>\n" * 1024, **headers: str) -> Response:
    """A chunked body that never ends (until the client hangs up)."""

    async def stream() -> AsyncIterator[bytes]:
        while True:
            yield chunk
            await asyncio.sleep(0)  # let other connections run

    return Response(200, {"Content-Type": "application/rss+xml", **headers}, stream)


def oversized(size: int, *, chunked: bool = False) -> Response:
    """A body of ``size`` bytes, with Content-Length, or chunked (size unannounced)."""
    if not chunked:
        return Response(200, {"Content-Type": "application/rss+xml"}, b"x" * size)

    async def stream() -> AsyncIterator[bytes]:
        block = b"x" * 65536
        for start in range(0, size, len(block)):
            yield block[: min(len(block), size - start)]

    return Response(200, {"Content-Type": "application/rss+xml"}, stream)


def bomb(decompressed_size: int = 64 * 1024 * 1024, encoding: str = "gzip") -> Response:
    """A compression bomb: a small body (``gzip``, ``deflate`` or ``br``) that decodes huge."""
    return Response(
        200,
        {"Content-Type": "application/rss+xml", "Content-Encoding": encoding},
        _bomb_bytes(decompressed_size, encoding),
    )


def layered_bomb(decompressed_size: int = 256 * 1024 * 1024) -> Response:
    """``Content-Encoding: gzip, gzip`` where the inner gzip is stored (level 0) blocks of
    zeros and the outer one compresses those ~1000×: the outer layer alone inflates to
    ``decompressed_size`` bytes, which the inner layer decodes almost 1:1. A decoder that
    bounds only what comes out of the last layer, or holds input back and inflates it
    all at the end, meets the whole inner stream at once."""
    return Response(
        200,
        {"Content-Type": "application/rss+xml", "Content-Encoding": "gzip, gzip"},
        _layered_bytes(decompressed_size),
    )


def sequence(*specs: RouteSpec) -> Handler:
    """Answer with each spec in turn, then keep answering with the last one."""
    handlers = [_as_handler(spec) for spec in specs]
    calls = iter(range(len(handlers)))

    def handle(request: Request) -> Response | Awaitable[Response]:
        index = next(calls, len(handlers) - 1)
        return handlers[index](request)

    return handle


HTML_PAGE = (
    b"<!doctype html><html><head><title>Not a feed</title></head><body><p>Hi</p></body></html>"
)
GARBAGE = bytes(range(256)) * 16


# --- the server ---------------------------------------------------------------------------


class FeedServer:
    """A threaded HTTP/1.1 server on ``host`` (an ephemeral port unless ``port`` is given)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, log_size: int = 10_000) -> None:
        self.host = host
        self.port = port
        self.routes: dict[str, Handler] = {}
        self.requests: deque[Request] = deque(maxlen=log_size)
        self.hits: Counter[str] = Counter()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._stopping: asyncio.Event | None = None
        self._error: BaseException | None = None

    # -- routes --
    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def add(self, path: str, spec: RouteSpec) -> str:
        """Serve ``spec`` (a handler, a Response or document bytes) at ``path``; returns its URL."""
        self.routes[path] = _as_handler(spec)
        return self.url(path)

    def add_directory(self, directory: Path, prefix: str = "/files/") -> list[str]:
        """Serve every file under ``directory`` from memory, with ETag and Last-Modified.

        Returns the URLs, sorted. Files are read once, here.
        """
        urls = []
        for file in sorted(p for p in directory.rglob("*") if p.is_file()):
            body = file.read_bytes()
            relative = file.relative_to(directory).as_posix()
            etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
            modified = formatdate(file.stat().st_mtime, usegmt=True)
            handler = document(
                body, content_type=_guess_type(file, body), etag=etag, last_modified=modified
            )
            urls.append(self.add(prefix + relative, handler))
        return urls

    def requests_to(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path]

    # -- lifecycle --
    def start(self) -> FeedServer:
        self._thread = threading.Thread(target=self._run, name="feedserver", daemon=True)
        self._thread.start()
        self._ready.wait(10)
        if self._error is not None:
            raise RuntimeError("feed server failed to start") from self._error
        return self

    def stop(self) -> None:
        if self._loop is not None and self._stopping is not None:
            self._loop.call_soon_threadsafe(self._stopping.set)
        if self._thread is not None:
            self._thread.join(10)
        self._thread = None

    def __enter__(self) -> FeedServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _run(self) -> None:
        try:
            import uvloop

            loop_factory: Callable[[], asyncio.AbstractEventLoop] | None = uvloop.new_event_loop
        except ImportError:  # uvloop is optional: the stdlib loop only serves slower
            loop_factory = None
        try:
            with asyncio.Runner(loop_factory=loop_factory) as runner:
                runner.run(self._serve())
        except BaseException as exc:
            self._error = exc
            self._ready.set()

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stopping = asyncio.Event()
        connections: set[asyncio.Task[Any]] = set()

        async def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            task = asyncio.current_task()
            assert task is not None
            connections.add(task)
            try:
                await self._connection(reader, writer)
            except asyncio.CancelledError:
                pass  # our own shutdown; re-raising makes asyncio log it as an error (3.11)
            finally:
                connections.discard(task)

        server = await asyncio.start_server(on_connect, self.host, self.port, backlog=1024)
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        async with server:
            await self._stopping.wait()
            server.close()
            for task in list(connections):
                task.cancel()
            await asyncio.gather(*connections, return_exceptions=True)

    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while True:
                request = await _read_request(reader)
                if request is None:
                    break
                self.requests.append(request)
                self.hits[request.path] += 1
                handler = self.routes.get(request.path, _not_found)
                response = handler(request)
                if inspect.isawaitable(response):
                    response = await response
                keep_alive = request.headers.get("connection", "").lower() != "close"
                await _write_response(writer, request, response, keep_alive)
                if not keep_alive:
                    break
        except (ConnectionError, asyncio.IncompleteReadError, ValueError):
            pass  # the client hung up or sent something we do not speak: drop it
        finally:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()


# --- HTTP/1.1 wire format -----------------------------------------------------------------


async def _read_request(reader: asyncio.StreamReader) -> Request | None:
    line = await reader.readline()
    if not line.strip():
        return None
    method, target, _version = line.decode("latin-1").split(" ", 2)
    headers: dict[str, str] = {}
    while True:
        raw = await reader.readline()
        if raw in (b"\r\n", b"\n", b""):
            break
        name, _, value = raw.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    body = b""
    if length := int(headers.get("content-length", "0") or 0):
        body = await reader.readexactly(length)
    path, _, query = target.partition("?")
    return Request(method.upper(), path, query, headers, body)


async def _write_response(
    writer: asyncio.StreamWriter, request: Request, response: Response, keep_alive: bool
) -> None:
    streamed = not isinstance(response.body, bytes)
    lines = [f"HTTP/1.1 {response.status} {_reason(response.status)}", f"Date: {_http_now()}"]
    lines += [f"{name}: {value}" for name, value in response.headers.items()]
    if streamed:
        lines.append("Transfer-Encoding: chunked")
    elif response.status != 304 and not 100 <= response.status < 200:
        lines.append(f"Content-Length: {len(response.body)}")  # type: ignore[arg-type]
    if not keep_alive:
        lines.append("Connection: close")
    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
    if request.method == "HEAD" or response.status == 304:
        await writer.drain()
        return
    if isinstance(response.body, bytes):
        writer.write(response.body)
        await writer.drain()
        return
    async for chunk in response.body():
        if chunk:
            writer.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            await writer.drain()
    writer.write(b"0\r\n\r\n")
    await writer.drain()


def _not_found(request: Request) -> Response:
    return status(404)


def _as_handler(spec: RouteSpec) -> Handler:
    if isinstance(spec, bytes):
        return document(spec)
    if isinstance(spec, Response):
        fixed = spec
        return lambda request: fixed
    return spec


def _not_modified(request: Request, etag: str | None, last_modified: str | None) -> bool:
    # RFC 9110 §13.1.2: If-None-Match uses weak comparison; §13.1.3: If-Modified-Since
    # is ignored when If-None-Match is present.
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        if etag is None:
            return False
        tags = [t.strip().removeprefix("W/") for t in if_none_match.split(",")]
        return "*" in tags or etag.removeprefix("W/") in tags
    since = request.headers.get("if-modified-since")
    if since is None or last_modified is None:
        return False
    if since == last_modified:
        return True
    try:
        return parsedate_to_datetime(since) >= parsedate_to_datetime(last_modified)
    except (TypeError, ValueError):
        return False


def _reason(code: int) -> str:
    try:
        return HTTPStatus(code).phrase
    except ValueError:
        return "Unknown"


_date_cache: list[Any] = [0, ""]


def _http_now() -> str:
    now = int(time.time())
    if _date_cache[0] != now:
        _date_cache[:] = [now, formatdate(now, usegmt=True)]
    return str(_date_cache[1])


def _guess_type(file: Path, body: bytes) -> str:
    head = body[:512].lstrip()
    if file.suffix == ".json" or head.startswith(b"{"):
        return "application/feed+json"
    if b"<feed" in head:
        return "application/atom+xml"
    if file.suffix in {".html", ".htm"}:
        return "text/html"
    return "application/rss+xml"


@lru_cache(maxsize=8)
def _bomb_bytes(size: int, encoding: str) -> bytes:
    block = bytes(1024 * 1024)
    if encoding == "br":
        import brotli

        return bytes(brotli.compress(bytes(size), quality=5))
    wbits = 31 if encoding == "gzip" else 15  # 31: gzip container; 15: zlib ("deflate")
    compressor = zlib.compressobj(9, zlib.DEFLATED, wbits)
    parts = [compressor.compress(block) for _ in range(size // len(block))]
    parts.append(compressor.compress(bytes(size % len(block))))
    parts.append(compressor.flush())
    return b"".join(parts)


@lru_cache(maxsize=2)
def _layered_bytes(size: int) -> bytes:
    stored = zlib.compressobj(0, zlib.DEFLATED, 31)
    outer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(1024 * 1024)
    parts = [outer.compress(stored.compress(block)) for _ in range(size // len(block))]
    parts.append(outer.compress(stored.compress(bytes(size % len(block))) + stored.flush()))
    parts.append(outer.flush())
    return b"".join(parts)


def _main(argv: Iterable[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve a directory of feeds on 127.0.0.1.")
    parser.add_argument("--dir", type=Path, required=True)
    parser.add_argument("--prefix", default="/files/")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--seconds", type=float, default=3600, help="stop by itself after this")
    args = parser.parse_args(list(argv) if argv is not None else None)
    with FeedServer(port=args.port) as server:
        urls = server.add_directory(args.dir, args.prefix)
        print(f"{server.base_url} serving {len(urls)} files under {args.prefix}", flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            time.sleep(args.seconds)


if __name__ == "__main__":
    _main()
