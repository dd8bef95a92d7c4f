"""Serve an ASGI app with a real uvicorn on 127.0.0.1 (httpx's ASGITransport buffers whole
responses, so streams and browsers need a socket).

``serve``: inside the test's event loop, so the app can use the test's Redis client.
``serve_in_thread``: on its own loop in a thread, for synchronous clients (schemathesis)."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import uvicorn
from fastapi import FastAPI


@asynccontextmanager
async def serve(app: Callable[..., Any], **options: Any) -> AsyncIterator[str]:
    """``options``: more ``uvicorn.Config`` arguments (``http=`` a protocol class)."""
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=0,
        log_level="warning",
        lifespan="off",
        timeout_graceful_shutdown=1,  # open event streams never end by themselves
        **options,
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()  # surface the startup error
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


@contextmanager
def serve_in_thread(app: FastAPI, **options: Any) -> Iterator[str]:
    """``options``: more ``uvicorn.Config`` arguments (``http=`` a protocol class)."""
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on", **options)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        assert thread.is_alive(), "uvicorn did not start"
        threading.Event().wait(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
