"""``/``: an index of the briefings, linking each one's page, JSON timeline and feeds,
and the API documentation (instead of a 404 for whoever opens the bare address)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from service.api.briefing_lookup import current_config

router = APIRouter(tags=["page"])
templates = Jinja2Templates(directory=Path(__file__).resolve().parent.parent / "templates")


@router.get("/", include_in_schema=False, response_class=HTMLResponse)
async def index(request: Request) -> HTMLResponse:
    config = await current_config(request)

    def path(name: str, **params: str) -> str:
        # Relative to "/", so the links hold under a reverse proxy's path prefix too.
        return str(request.app.url_path_for(name, **params)).lstrip("/")

    briefings = [
        {
            "title": b.title,
            "description": b.description,
            "page": path("briefing_page", briefing_id=b.id),
            "timeline": path("get_timeline", briefing_id=b.id),
            "atom": path("timeline_atom", briefing_id=b.id),
            "json_feed": path("timeline_json_feed", briefing_id=b.id),
        }
        for b in config.briefings
    ]
    context = {
        "title": request.app.title,
        "description": request.app.description,
        "briefings": briefings,
        "docs": "docs",
        "openapi": "openapi.json",
        "feeds": path("list_feeds"),
        "opml": path("export_opml"),
    }
    return templates.TemplateResponse(request, "index.html", context)
