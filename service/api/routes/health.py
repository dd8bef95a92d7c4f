"""Liveness and readiness (for load balancers and the Docker HEALTHCHECK)."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from service.api.deps import get_store
from service.api.errors import problem
from service.api.schemas import Health
from service.liveness import Liveness
from service.store import Store

router = APIRouter(tags=["health"])

# Seconds Redis gets to answer a readiness PING. redis-py waits on a stalled Redis (one
# that keeps its connections but answers nothing: CLIENT PAUSE, a blocked fork or fsync,
# a network that drops packets) for as long as the stall lasts, its socket timeout and
# retries notwithstanding (service/api/read_deadline.py), and would then answer "ok";
# a probe must hear "not ready" while it lasts. Under Kubernetes' default probe
# timeout (1 s) a 2 s wait is moot; elsewhere it bounds the answer.
READY_WAIT = 2.0


@router.get(
    "/healthz",
    response_model=Health,
    responses={503: {"description": "The process cannot recover by itself: restart it"}},
)
async def healthz(request: Request) -> Health | JSONResponse:
    """Liveness: 200 while the process can recover by itself (does not touch Redis)."""
    liveness: Liveness = request.app.state.liveness
    problems = liveness.problems()
    if problems:
        return problem(503, "Service Unavailable", "; ".join(problems), kind="not-live")
    return Health(status="ok")


@router.get(
    "/readyz",
    response_model=Health,
    responses={503: {"description": "Redis is unreachable"}},
)
async def readyz(store: Annotated[Store, Depends(get_store)]) -> Health | JSONResponse:
    """Ready to serve: Redis answers, within ``READY_WAIT`` seconds."""
    try:
        async with asyncio.timeout(READY_WAIT):
            await store.ping()
    except TimeoutError:
        detail = f"redis did not answer within {READY_WAIT:g} s"
        return problem(503, "Service Unavailable", detail, kind="not-ready")
    except Exception as exc:  # any failure to reach Redis means "not ready"
        return problem(503, "Service Unavailable", f"redis unreachable: {exc}", kind="not-ready")
    return Health(status="ok", redis="ok")
