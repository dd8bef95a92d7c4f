"""``GET /metrics`` for Prometheus (service/metrics_exposition.py says what is in it)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from service.api.deps import get_store
from service.metrics_exposition import render
from service.store import Store

router = APIRouter(tags=["health"])


@router.get("/metrics", include_in_schema=False)
async def prometheus_metrics(
    request: Request, store: Annotated[Store, Depends(get_store)]
) -> Response:
    """Prometheus text 0.0.4, or OpenMetrics when the scraper's Accept asks for it:
    counters of every process, gauges read now, this process's process metrics."""
    body, content_type = await render(store, request.headers.get("accept", ""))
    # The answer depends on Accept: a cache must key on it (RFC 9110 §12.5.5).
    return Response(body, media_type=content_type, headers={"Vary": "Accept"})
