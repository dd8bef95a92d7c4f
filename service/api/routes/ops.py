"""Operations views: what the pipeline could not handle (dead letters)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel

from service.api.auth import require_admin
from service.api.deps import get_store
from service.api.schemas import LIMIT_HELP
from service.store import Store
from service.store.streams import dead_letters as dead_letters_of

router = APIRouter(prefix="/v1", tags=["operations"])


class DeadLetter(BaseModel):
    id: str
    stream: str
    group: str
    message_id: str
    attempts: int
    error: str
    fields: dict[str, Any]


class DeadLetters(BaseModel):
    items: list[DeadLetter]
    total: int


@router.get("/dead-letters", response_model=DeadLetters, dependencies=[Depends(require_admin)])
async def dead_letters(
    store: Annotated[Store, Depends(get_store)],
    limit: Annotated[int, Query(ge=1, le=500, description=LIMIT_HELP)] = 100,
) -> DeadLetters:
    """Poison messages (failed ``max_attempts`` times), newest first, with their last error."""
    rows, total = await dead_letters_of(store.redis, store.keys.dead_letters, limit=limit)
    items = [
        DeadLetter(
            id=entry_id,
            stream=f.get("stream", ""),
            group=f.get("group", ""),
            message_id=f.get("message_id", ""),
            attempts=int(f.get("attempts", "0")),
            error=f.get("error", ""),
            fields=json.loads(f.get("fields", "{}")),
        )
        for entry_id, f in rows
    ]
    return DeadLetters(items=items, total=total)
