"""Event-stream caps: per process and per client address, below the open-file limit.

On a real uvicorn socket: past either cap a stream request is a 503 problem with
Retry-After while /healthz and the other addresses' streams go on, and a closed stream
frees its slot. Client addresses are distinct loopback addresses (127.0.0.2, …)."""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import sys
from collections.abc import AsyncIterator

import httpx
import pytest

from service.api.app import create_app
from service.api.stream_slots import FD_RESERVE, StreamSlots, stream_capacity
from service.settings import Settings
from service.store import Store
from tests.support.live_server import serve
from tests.support.newsroom import CONFIG


def test_slots_cap_in_all_and_per_address_and_release_once() -> None:
    slots = StreamSlots(total=3, per_client=2)
    a1, a2 = slots.acquire("a"), slots.acquire("a")
    assert a1 is not None and a2 is not None
    assert slots.acquire("a") is None  # per address
    b1 = slots.acquire("b")
    assert b1 is not None and slots.acquire("c") is None  # in all
    a1.release()
    a1.release()  # twice frees once
    assert slots.open == 2 and slots.per_address("a") == 1
    assert slots.acquire("c") is not None and slots.acquire("c") is None


@pytest.mark.parametrize(
    ("configured", "connections", "limit", "expected"),
    [
        (1000, 100, 1024, 1024 - FD_RESERVE - 100),  # systemd's default soft limit
        (1000, 100, 65536, 1000),  # raised limit: the setting decides
        (1000, 100, 300, 0),  # too few descriptors to spare any for streams
    ],
)
def test_capacity_never_reaches_into_the_reserve(
    configured: int, connections: int, limit: int, expected: int
) -> None:
    assert stream_capacity(configured, connections, limit) == expected


RAISE = """
import resource
from service.api.stream_slots import raise_open_file_limit
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (256, hard))
print(raise_open_file_limit(), hard)
"""


def test_the_soft_open_file_limit_is_raised_to_the_hard_one() -> None:
    out = subprocess.run(
        [sys.executable, "-c", RAISE], capture_output=True, text=True, check=True
    ).stdout.split()
    raised, hard = int(out[0]), int(out[1])
    assert raised == min(hard, 1 << 20) and raised > 256


@pytest.fixture
async def base_url(store: Store) -> AsyncIterator[str]:
    settings = Settings(sse_max_streams=3, sse_max_streams_per_client=2)
    app = create_app(settings, store, CONFIG)
    async with serve(app) as url:
        yield url


@contextlib.asynccontextmanager
async def client_from(address: str) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.AsyncHTTPTransport(local_address=address)
    async with httpx.AsyncClient(transport=transport, timeout=10) as client:
        yield client


async def open_stream(
    stack: contextlib.AsyncExitStack,
    client: httpx.AsyncClient,
    url: str,
    readers: list[AsyncIterator[bytes]],
) -> httpx.Response:
    """Open a stream and read its first bytes; ``readers`` keeps the byte iterator (an
    iterator dropped unfinished closes its connection)."""
    response = await stack.enter_async_context(client.stream("GET", url))
    if response.status_code == 200:
        reader = response.aiter_bytes()
        readers.append(reader)
        await anext(reader)  # ": connected": the slot is held
    else:
        await response.aread()
    return response


async def test_streams_past_the_caps_get_503_and_a_closed_stream_frees_its_slot(
    base_url: str,
) -> None:
    url = f"{base_url}/v1/briefings/ukraine/stream"
    readers: list[AsyncIterator[bytes]] = []
    async with (
        client_from("127.0.0.1") as first,
        client_from("127.0.0.2") as second,
        client_from("127.0.0.3") as third,
        contextlib.AsyncExitStack() as stack,
    ):
        held = [
            await open_stream(stack, first, url, readers),
            await open_stream(stack, first, url, readers),
        ]
        assert [r.status_code for r in held] == [200, 200]

        per_client = await open_stream(stack, first, url, readers)
        assert per_client.status_code == 503
        assert per_client.headers["retry-after"] == "30"
        assert per_client.headers["content-type"] == "application/problem+json"
        assert "this address" in per_client.json()["detail"]

        assert (await open_stream(stack, second, url, readers)).status_code == 200
        in_all = await open_stream(stack, third, url, readers)
        assert in_all.status_code == 503 and "retry later" in in_all.json()["detail"]
        assert (await third.get(f"{base_url}/healthz")).status_code == 200

        await held[0].aclose()  # the client goes away: its slot is freed
        for _ in range(100):
            again = await open_stream(stack, third, url, readers)
            if again.status_code == 200:
                break
            await asyncio.sleep(0.05)
        assert again.status_code == 200
