"""service.http_transport: the SSRF-pinned httpx-on-aiohttp client, against real 127.0.0.1 servers.

Hostile answers that the feed server does not produce (a malformed status line, a
hang-up before any answer) come from a raw asyncio server (tests/support/net.py).
"""

from __future__ import annotations

import asyncio
import gzip
import socket
import ssl
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from service.http_transport import GuardedResolver, fast_client
from service.ssrf import TargetRefused, UnresolvableHost
from tests.feedserver import FeedServer, Response, drip
from tests.support.net import (
    NON_CANONICAL_LOOPBACK,
    aiohttp_without_canonical_ipv4_check,
    free_port,
    raw_server,
)

BODY = b"<rss version='2.0'><channel><title>T</title></channel></rss>"


def client(**overrides: Any) -> httpx.AsyncClient:
    options: dict[str, Any] = {"allow_private": True, "max_connections": 10, "timeout": 5.0}
    return fast_client(**(options | overrides))


async def read_head(reader: asyncio.StreamReader) -> bytes:
    return await reader.readuntil(b"\r\n\r\n")


# --- the resolver --------------------------------------------------------------------------


async def test_resolver_returns_only_checked_numeric_addresses(
    fake_dns: dict[str, list[str]],
) -> None:
    fake_dns["news.test"] = ["93.184.215.14", "2606:4700::6810:84e5"]
    results = await GuardedResolver(allow_private=False).resolve("news.test", 443, socket.AF_UNSPEC)
    assert [(r["host"], r["port"], r["family"]) for r in results] == [
        ("93.184.215.14", 443, socket.AF_INET),
        ("2606:4700::6810:84e5", 443, socket.AF_INET6),
    ]
    assert all(r["flags"] & socket.AI_NUMERICHOST for r in results)
    only_v4 = await GuardedResolver(allow_private=False).resolve("news.test", 80, socket.AF_INET)
    assert [r["host"] for r in only_v4] == ["93.184.215.14"]


async def test_resolver_refuses_a_host_with_any_private_address(
    fake_dns: dict[str, list[str]],
) -> None:
    fake_dns["mixed.test"] = ["93.184.215.14", "10.0.0.7"]
    refusal = r"^refused: mixed\.test resolves to 10\.0\.0\.7, a private address$"
    with pytest.raises(TargetRefused, match=refusal):
        await GuardedResolver(allow_private=False).resolve("mixed.test", 80)
    allowed = await GuardedResolver(allow_private=True).resolve("mixed.test", 80)
    assert [r["host"] for r in allowed] == ["93.184.215.14", "10.0.0.7"]


async def test_resolver_refuses_metadata_even_when_private_is_allowed(
    fake_dns: dict[str, list[str]],
) -> None:
    fake_dns["imds.test"] = ["169.254.169.254"]
    with pytest.raises(TargetRefused, match="a cloud metadata address"):
        await GuardedResolver(allow_private=True).resolve("imds.test", 80)


async def test_resolver_unresolvable_and_wrong_family(fake_dns: dict[str, list[str]]) -> None:
    fake_dns["nowhere.test"] = []
    with pytest.raises(UnresolvableHost, match=r"cannot resolve nowhere\.test"):
        await GuardedResolver(allow_private=False).resolve("nowhere.test", 80)
    fake_dns["v4only.test"] = ["93.184.215.14"]
    with pytest.raises(TargetRefused, match="has no IPv6 address"):
        await GuardedResolver(allow_private=False).resolve("v4only.test", 80, socket.AF_INET6)


# --- the client against real servers ---------------------------------------------------------


async def test_get_through_aiohttp_keeps_httpx_semantics(feed_server: FeedServer) -> None:
    feed_server.add("/feed.xml", Response(200, {"ETag": '"v1"', "X-Two": "a"}, BODY))
    async with client(headers={"User-Agent": "LiveBriefing-test"}) as http:
        response = await http.get(feed_server.url("/feed.xml"), headers={"If-None-Match": '"v0"'})
    assert (response.status_code, response.content) == (200, BODY)
    assert response.headers["etag"] == '"v1"' and response.reason_phrase == "OK"
    seen = feed_server.requests_to("/feed.xml")[0].headers
    assert seen["user-agent"] == "LiveBriefing-test"
    assert seen["if-none-match"] == '"v0"'


async def test_host_names_connect_to_the_checked_address(
    feed_server: FeedServer, fake_dns: dict[str, list[str]]
) -> None:
    feed_server.add("/feed.xml", BODY)
    fake_dns["feeds.test"] = ["127.0.0.1"]
    async with client() as http:
        response = await http.get(f"http://feeds.test:{feed_server.port}/feed.xml")
    assert response.content == BODY
    assert feed_server.requests_to("/feed.xml")[0].headers["host"] == (
        f"feeds.test:{feed_server.port}"
    )


async def test_loopback_literal_refused_before_connecting(feed_server: FeedServer) -> None:
    feed_server.add("/feed.xml", BODY)
    async with client(allow_private=False) as http:
        with pytest.raises(TargetRefused, match=r"^refused: 127\.0\.0\.1 is a loopback address$"):
            await http.get(feed_server.url("/feed.xml"))
        with pytest.raises(TargetRefused, match="loopback"):
            await http.get(f"http://[::1]:{feed_server.port}/feed.xml")
    assert feed_server.hits["/feed.xml"] == 0


@pytest.mark.parametrize("aiohttp_checks", [True, False], ids=["aiohttp", "aiohttp-3.14.0"])
@pytest.mark.parametrize("allow_private", [False, True], ids=["public-only", "private-allowed"])
async def test_non_canonical_numeric_hosts_are_refused_before_aiohttp_sees_them(
    feed_server: FeedServer,
    monkeypatch: pytest.MonkeyPatch,
    aiohttp_checks: bool,
    allow_private: bool,
) -> None:
    feed_server.add("/feed.xml", BODY)
    if not aiohttp_checks:
        aiohttp_without_canonical_ipv4_check(monkeypatch)
    async with client(allow_private=allow_private) as http:
        for host in NON_CANONICAL_LOOPBACK:
            try:
                request = http.build_request("GET", f"http://{host}:{feed_server.port}/feed.xml")
            except httpx.InvalidURL:
                continue  # httpx itself refuses this spelling ("0177.0.0.1")
            with pytest.raises(TargetRefused, match="is not a canonical IPv4 address"):
                await http.send(request)
    assert feed_server.hits["/feed.xml"] == 0


async def test_host_name_resolving_to_loopback_is_refused(
    feed_server: FeedServer, fake_dns: dict[str, list[str]]
) -> None:
    feed_server.add("/feed.xml", BODY)
    fake_dns["rebind.test"] = ["127.0.0.1"]
    async with client(allow_private=False) as http:
        with pytest.raises(TargetRefused, match=r"rebind\.test resolves to 127\.0\.0\.1, a loop"):
            await http.get(f"http://rebind.test:{feed_server.port}/feed.xml")
    assert feed_server.hits["/feed.xml"] == 0


async def test_unresolvable_host(fake_dns: dict[str, list[str]]) -> None:
    fake_dns["nowhere.test"] = []
    async with client() as http:
        with pytest.raises(UnresolvableHost, match=r"cannot resolve nowhere\.test"):
            await http.get("http://nowhere.test/feed.xml")


async def test_redirects_followed_when_asked_each_hop_through_the_guard(
    feed_server: FeedServer, fake_dns: dict[str, list[str]]
) -> None:
    feed_server.add("/old", Response(302, {"Location": "/new"}))
    feed_server.add("/new", BODY)
    fake_dns["feeds.test"] = ["127.0.0.1"]
    async with client() as http:
        assert (await http.get(feed_server.url("/old"))).status_code == 302
    async with client(follow_redirects=True) as http:
        response = await http.get(f"http://feeds.test:{feed_server.port}/old")
    assert (response.status_code, response.content) == (200, BODY)
    assert feed_server.hits["/new"] == 1


async def test_bodies_are_not_decompressed(feed_server: FeedServer) -> None:
    packed = gzip.compress(BODY)
    feed_server.add("/gz", Response(200, {"Content-Encoding": "gzip"}, packed))
    async with client() as http, http.stream("GET", feed_server.url("/gz")) as response:
        raw = b"".join([chunk async for chunk in response.aiter_raw()])
    assert raw == packed  # the caller decodes, with its own bound on the output


async def test_body_streams_in_chunks_without_reading_ahead(feed_server: FeedServer) -> None:
    async def endless_body() -> AsyncIterator[bytes]:
        while True:
            yield b"x" * 65536
            await asyncio.sleep(0)

    feed_server.add("/endless", Response(200, {}, endless_body))
    async with client() as http, http.stream("GET", feed_server.url("/endless")) as response:
        size = 0
        async for chunk in response.aiter_raw():
            size += len(chunk)
            if size > 1 << 20:
                break
    assert 1 << 20 < size < 2 << 20  # stopped by the caller, a chunk past the mark


async def test_cookies_are_sent_once(feed_server: FeedServer) -> None:
    feed_server.add("/set", Response(200, {"Set-Cookie": "session=abc; Path=/"}, b"ok"))
    feed_server.add("/next", b"ok")
    async with client() as http:
        await http.get(feed_server.url("/set"))
        await http.get(feed_server.url("/next"))
    assert feed_server.requests_to("/next")[0].headers.get("cookie") == "session=abc"


async def test_cookies_come_from_any_status_and_stay_through_answers_without(
    feed_server: FeedServer,
) -> None:
    feed_server.add("/304", Response(304, {"Set-Cookie": "consent=yes; Path=/"}, b""))
    feed_server.add("/plain", b"ok")
    feed_server.add("/last", b"ok")
    async with client() as http:
        await http.get(feed_server.url("/304"))
        await http.get(feed_server.url("/plain"))  # no Set-Cookie: the jar stays as it is
        await http.get(feed_server.url("/last"))
    assert feed_server.requests_to("/plain")[0].headers.get("cookie") == "consent=yes"
    assert feed_server.requests_to("/last")[0].headers.get("cookie") == "consent=yes"


async def test_connection_refused_is_a_connect_error() -> None:
    async with client() as http:
        with pytest.raises(httpx.ConnectError, match=r"Cannot connect to host 127\.0\.0\.1"):
            await http.get(f"http://127.0.0.1:{free_port()}/feed.xml")


async def test_read_timeout(feed_server: FeedServer) -> None:
    feed_server.add("/slow", drip(BODY, chunk_size=1, interval=1.0))
    async with client(timeout=httpx.Timeout(0.2, connect=5)) as http:
        with pytest.raises(httpx.ReadTimeout):
            async with http.stream("GET", feed_server.url("/slow")) as response:
                async for _ in response.aiter_raw():
                    pass


async def test_malformed_status_line_is_a_protocol_error() -> None:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_head(reader)
        writer.write(b"HTTP/1.1 abc Nope\r\n\r\n")
        await writer.drain()

    async with raw_server(handle) as (base, _), client() as http:
        with pytest.raises(httpx.RemoteProtocolError) as info:
            await http.get(base + "/feed")
    assert "\n" not in str(info.value)


async def test_hang_up_before_answering_is_a_protocol_error() -> None:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_head(reader)

    async with raw_server(handle) as (base, _), client() as http:
        with pytest.raises(httpx.RemoteProtocolError, match="disconnected"):
            await http.get(base + "/feed")


async def test_hang_up_mid_body_is_a_protocol_error() -> None:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_head(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nshort")
        await writer.drain()

    async with raw_server(handle) as (base, _), client() as http:
        with pytest.raises(httpx.RemoteProtocolError):
            async with http.stream("GET", base + "/feed") as response:
                await response.aread()


async def test_long_headers_as_h11_accepted_them() -> None:
    policy = "default-src 'self'; " + "img-src https://cdn.example; " * 400  # ~12 KiB

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_head(reader)
        head = f"HTTP/1.1 200 OK\r\nContent-Security-Policy: {policy}\r\nContent-Length: 2\r\n\r\n"
        writer.write(head.encode() + b"ok")
        await writer.drain()

    async with raw_server(handle) as (base, _), client() as http:
        response = await http.get(base + "/feed")
    assert response.headers["content-security-policy"] == policy.strip()


async def test_headers_over_64_kib_together_are_a_protocol_error() -> None:
    # Each field within the 16 KiB a field; 2 MB together.
    padding = "".join(f"X-Pad-{i}: {'a' * 8000}\r\n" for i in range(250))

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_head(reader)
        writer.write(f"HTTP/1.1 200 OK\r\n{padding}Content-Length: 2\r\n\r\nok".encode())
        await writer.drain()

    async with raw_server(handle) as (base, _), client() as http:
        with pytest.raises(httpx.RemoteProtocolError, match="over the 65,536-byte limit"):
            await http.get(base + "/feed")


async def test_connection_limit_is_honoured() -> None:
    open_now = peak = 0

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal open_now, peak
        open_now += 1
        peak = max(peak, open_now)
        try:
            while True:
                try:
                    await read_head(reader)
                except asyncio.IncompleteReadError:
                    return
                await asyncio.sleep(0.02)
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                await writer.drain()
        finally:
            open_now -= 1

    async with raw_server(handle) as (base, _), client(max_connections=3) as http:
        responses = await asyncio.gather(*(http.get(f"{base}/{i}") for i in range(12)))
    assert [r.status_code for r in responses] == [200] * 12
    assert peak == 3


async def test_tls_is_verified(tmp_path: Path) -> None:
    # A TLS server with a certificate nobody vouches for: verify=True must refuse it.
    certificate, key = _self_signed("localhost", tmp_path)
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(certificate, key)

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await read_head(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        await writer.drain()

    async def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await handle(reader, writer)
        except (ssl.SSLError, ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(on_connect, "127.0.0.1", 0, ssl=server_context)
    port = server.sockets[0].getsockname()[1]
    async with server:
        async with client() as http:
            with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
                await http.get(f"https://localhost:{port}/")
        trusting = ssl.create_default_context(cafile=certificate)
        async with client(verify=trusting) as http:
            response = await http.get(f"https://localhost:{port}/")
        assert response.content == b"ok"
        server.close()


def _self_signed(host: str, folder: Path) -> tuple[str, str]:
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(cert_path), str(key_path)
