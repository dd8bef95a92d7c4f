"""A real webhook receiver on 127.0.0.1 that verifies every delivery itself.

The verification is written here from the Standard Webhooks spec ("Verifying
webhooks"), independently of service/webhooks/signing.py, so that a mistake in our
signer cannot be mirrored by the same mistake in the check:

* ``webhook-id``, ``webhook-timestamp`` and ``webhook-signature`` must all be present;
* the timestamp must be within ``TOLERANCE`` of the receiver's clock (replay guard);
* one of the space-separated ``v1,<base64>`` signatures must equal
  base64(HMAC-SHA256(base64-decoded secret, "{id}.{timestamp}.{body}")), compared in
  constant time, for one of the secrets the receiver holds.

``clock`` is the receiver's notion of now: tests that step an injected clock hours
ahead give the receiver the same clock, as a consumer whose clock agrees with ours.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from tests.support.net import free_port

TOLERANCE_SECONDS = 5 * 60


class VerificationFailed(Exception):
    pass


def verify(secrets: list[str], headers: dict[str, str], body: bytes, *, now: datetime) -> str:
    """The secret that signed this delivery; raises VerificationFailed otherwise."""
    msg_id = headers.get("webhook-id")
    timestamp = headers.get("webhook-timestamp")
    signatures = headers.get("webhook-signature")
    if not (msg_id and timestamp and signatures):
        raise VerificationFailed("missing webhook-id, webhook-timestamp or webhook-signature")
    try:
        sent = int(timestamp)
    except ValueError:
        raise VerificationFailed(f"bad timestamp {timestamp!r}") from None
    if abs(now.timestamp() - sent) > TOLERANCE_SECONDS:
        raise VerificationFailed("timestamp outside the 5 minute tolerance")
    signed = f"{msg_id}.{sent}.".encode() + body
    for secret in secrets:
        key = base64.b64decode(secret.removeprefix("whsec_"))
        expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest())
        for candidate in signatures.split(" "):
            version, _, value = candidate.partition(",")
            if version == "v1" and hmac.compare_digest(value.encode(), expected):
                return secret
    raise VerificationFailed("no signature matches")


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    verified_with: str | None
    problem: str | None

    @property
    def webhook_id(self) -> str:
        return self.headers.get("webhook-id", "")

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Reply:
    status: int = 204
    headers: dict[str, str] = field(default_factory=dict)
    hang: bool = False  # never answer (until the receiver stops)


class Receiver:
    def __init__(
        self,
        *,
        secrets: list[str] | None = None,
        clock: Callable[[], datetime],
        reply: Callable[[Received], Reply] | None = None,
        port: int | None = None,
    ) -> None:
        self.secrets = list(secrets or [])
        self.clock = clock
        self.reply = reply or (lambda _r: Reply())
        self.port = port or free_port()
        self.received: list[Received] = []
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._stopping = asyncio.Event()
        self.arrived = asyncio.Event()  # set on every request

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def on(self, path: str) -> list[Received]:
        return [r for r in self.received if r.path == path]

    async def start(self) -> None:
        self._stopping.clear()
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)

    async def stop(self) -> None:
        self._stopping.set()
        if self._server is not None:
            self._server.close()
            for writer in list(self._writers):
                writer.close()
            await self._server.wait_closed()
            self._server = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                lines = head.decode("latin-1").split("\r\n")
                path = lines[0].split(" ")[1]
                headers = {}
                for line in lines[1:]:
                    if ":" in line:
                        name, _, value = line.partition(":")
                        headers[name.strip().lower()] = value.strip()
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                verified_with, problem = None, None
                try:
                    verified_with = verify(self.secrets, headers, body, now=self.clock())
                except VerificationFailed as exc:
                    problem = str(exc)
                received = Received(path, headers, body, verified_with, problem)
                self.received.append(received)
                self.arrived.set()
                reply = self.reply(received) if problem is None else Reply(401)
                if reply.hang:
                    await self._stopping.wait()
                    return
                extra = "".join(f"{k}: {v}\r\n" for k, v in reply.headers.items())
                writer.write(
                    f"HTTP/1.1 {reply.status} X\r\ncontent-length: 0\r\n{extra}\r\n".encode()
                )
                await writer.drain()
        finally:
            self._writers.discard(writer)
            with contextlib.suppress(Exception):
                writer.close()
