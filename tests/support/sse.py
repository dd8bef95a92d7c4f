"""A minimal text/event-stream reader for tests (WHATWG HTML §9.2.6 parsing rules)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx


@dataclass
class Message:
    id: str | None
    event: str
    data: str
    comment: bool = False

    def json(self) -> Any:
        return json.loads(self.data)


async def messages(response: httpx.Response) -> AsyncIterator[Message]:
    """Events and comments in order; a comment-only block is one ``comment`` message,
    whose ``id`` is the one that block set (None: it set none), the last event ID a
    browser takes from it without dispatching an event."""
    event_id: str | None = None
    block_id: str | None = None
    event, data, comments = "message", [], []
    async for line in response.aiter_lines():
        if line == "":
            if data:
                yield Message(event_id, event, "\n".join(data))
            elif comments:
                yield Message(block_id, "", "\n".join(comments), comment=True)
            event, data, comments, block_id = "message", [], [], None
            continue
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "":
            comments.append(value)
        elif name == "id":
            event_id = block_id = value
        elif name == "event":
            event = value
        elif name == "data":
            data.append(value)
