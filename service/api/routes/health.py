"""Liveness and readiness (for load balancers and the Docker HEALTHCHECK)."""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from service.api.deps import get_store
from service.api.errors import problem, refusal_detail
from service.api.schemas import Health
from service.liveness import Liveness
from service.store import Store
from service.store.connection import write_refusal

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
    responses={
        200: {"description": 'Ready; `status` is "degraded" while Redis refuses writes'},
        503: {"description": "Redis is unreachable"},
    },
)
async def readyz(store: Annotated[Store, Depends(get_store)]) -> Health | JSONResponse:
    """Ready to serve: Redis answers, within ``READY_WAIT`` seconds.

    A Redis that answers but refuses writes (full at ``maxmemory``, unable to save, a
    read-only replica) still serves every read, so the instance stays ready (200): out
    of a balancer, reads would fail too, on every instance alike since they share the
    Redis. ``status`` is then "degraded" and ``redis`` says why, for monitoring. Redis
    refuses even PING when it cannot save (MISCONF), so that refusal counts too."""
    try:
        async with asyncio.timeout(READY_WAIT):
            await store.ping()
            refusal = await store.probe_writes()
    except TimeoutError:
        detail = f"redis did not answer within {READY_WAIT:g} s"
        return problem(503, "Service Unavailable", detail, kind="not-ready")
    except Exception as exc:  # any failure to reach Redis means "not ready"
        refusal = write_refusal(exc)
        if refusal is None:
            detail = f"redis unreachable: {exc}"
            return problem(503, "Service Unavailable", detail, kind="not-ready")
    if refusal is not None:
        return Health(status="degraded", redis=f"refusing writes: {refusal_detail(refusal)}")
    return Health(status="ok", redis="ok")
