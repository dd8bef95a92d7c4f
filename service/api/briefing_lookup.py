"""The briefings as every read route sees them: the app's config with the briefings Redis
holds, and a briefing by id (404 when there is none).

Readers never pay a Redis round trip per request: each app holds a
:class:`~service.store.briefings.BriefingCache` (made in ``create_app``) that checks the
version counter at most once per ``BRIEFINGS_CHECK_EVERY`` seconds (one GET) and re-reads
the briefings only when it moved; the process that made an edit re-reads at once
(routes/briefings_admin.py).
"""

from __future__ import annotations

import dataclasses
import time

from fastapi import Request

from service.api.render_cache import RenderCache
from service.api.timeline_query import find_briefing, get_config
from service.config import AppConfig, BriefingConfig
from service.store.briefings import BriefingCache

BRIEFINGS_CHECK_EVERY = 1.0  # seconds between two reads of the briefings version


async def current_config(request: Request, *, force: bool = False) -> AppConfig:
    """``app.state.config`` with the briefings as Redis holds them (checked at most once
    per ``every`` seconds; ``force`` after an edit). Costs no I/O between checks."""
    cache: BriefingCache = request.app.state.briefing_cache
    if (force or cache.due(time.monotonic())) and await cache.refresh(force=force):
        request.app.state.config = dataclasses.replace(
            get_config(request), briefings=cache.briefings
        )
        # Pages rendered before the edit carry the old title and filters.
        cache_of_pages: RenderCache = request.app.state.render_cache
        request.app.state.render_cache = cache_of_pages.emptied()
    return get_config(request)


async def lookup_briefing(request: Request, briefing_id: str) -> BriefingConfig:
    """The briefing, or a 404 problem naming it."""
    return find_briefing(await current_config(request), briefing_id)
