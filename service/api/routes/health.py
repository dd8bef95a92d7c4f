"""Liveness and readiness (for load balancers and the Docker HEALTHCHECK)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from service.api.deps import get_store
from service.api.errors import problem
from service.api.schemas import Health
from service.store import Store

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
async def healthz() -> Health:
    """The process is up (does not touch Redis)."""
    return Health(status="ok")


@router.get(
    "/readyz",
    response_model=Health,
    responses={503: {"description": "Redis is unreachable"}},
)
async def readyz(store: Annotated[Store, Depends(get_store)]) -> Health | JSONResponse:
    """Ready to serve: Redis answers."""
    try:
        await store.ping()
    except Exception as exc:  # any failure to reach Redis means "not ready"
        return problem(503, "Service Unavailable", f"redis unreachable: {exc}", kind="not-ready")
    return Health(status="ok", redis="ok")
