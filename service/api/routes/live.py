"""The live briefing's routes (timelines, stories, stream, feeds out, page), so that
create_app registers them in one line."""

from __future__ import annotations

from fastapi import FastAPI

from service.api.routes import briefings, feeds_out, page, stories, stream


def include_live_routes(app: FastAPI) -> None:
    for module in (briefings, stories, stream, feeds_out, page):
        app.include_router(module.router)
