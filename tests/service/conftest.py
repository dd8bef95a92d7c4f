"""Fixtures shared by the service tests."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from typing import Any

import pytest


@pytest.fixture
async def fake_dns(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[dict[str, list[str]]]:
    """Answers for made-up names (the sandbox has no DNS beyond /etc/hosts): set
    ``fake_dns[name] = [addresses]``, or ``[]`` for a name that does not resolve; other
    names go to the real resolver. service.ssrf asks the running loop's getaddrinfo."""
    answers: dict[str, list[str]] = {}
    loop = asyncio.get_running_loop()
    real = loop.getaddrinfo

    async def getaddrinfo(host: str, port: int, **kwargs: Any) -> Any:
        if host not in answers:
            return await real(host, port, **kwargs)
        if not answers[host]:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [
            (
                socket.AF_INET6 if ":" in a else socket.AF_INET,
                socket.SOCK_STREAM,
                6,
                "",
                (a, port, 0, 0) if ":" in a else (a, port),
            )
            for a in answers[host]
        ]

    monkeypatch.setattr(loop, "getaddrinfo", getaddrinfo)
    yield answers
