"""The HTTP face: ``create_app(settings, store)``.

The app owns no global state: everything it needs is passed in (or, when ``store`` is
None, connected in the lifespan from ``settings``), so tests and the CLI build it the
same way.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from service.api import read_deadline
from service.api.briefing_lookup import BRIEFINGS_CHECK_EVERY
from service.api.cache_hits import CacheHits
from service.api.content_coding import ContentCodingCheck
from service.api.cors import install_cors
from service.api.docs_ui import install_docs_ui
from service.api.errors import install_error_handlers
from service.api.event_hub import HEARTBEAT_SECONDS, EventHub
from service.api.feed_health import HEALTH_TTL, FeedHealthReads
from service.api.head import HeadAsGet
from service.api.limits import RequestSizeLimit
from service.api.openapi import install_openapi, operation_id
from service.api.read_deadline import ReadDeadline
from service.api.render_cache import VERSION_TTL, RenderCache
from service.api.routes import (
    articles,
    briefings,
    briefings_admin,
    feeds,
    feeds_admin,
    health,
    index,
    metrics,
    ops,
    subscriptions,
)
from service.api.routes.live import include_live_routes
from service.api.shared_read import SharedRead
from service.api.stream_slots import StreamSlots, open_file_limit, stream_capacity
from service.config import AppConfig
from service.liveness import Liveness
from service.settings import Settings
from service.store import Store
from service.store.briefings import BriefingCache
from service.store.connection import open_target

API_VERSION = "0.1.0"


def create_app(
    settings: Settings,
    store: Store | None = None,
    config: AppConfig | None = None,
    liveness: Liveness | None = None,
    *,
    version_ttl: float = VERSION_TTL,
    sse_heartbeat: float = HEARTBEAT_SECONDS,
    briefings_check_every: float = BRIEFINGS_CHECK_EVERY,
    feed_health_ttl: float = HEALTH_TTL,
) -> FastAPI:
    """The app; with no ``store``, one is connected from ``settings`` when it starts.

    ``version_ttl``: seconds a read of the events version is shared (0: every request
    reads it); ``sse_heartbeat``: seconds between heartbeats of event streams;
    ``briefings_check_every``: seconds between two checks for edited briefings;
    ``feed_health_ttl``: seconds a read of a briefing's feed health is shared."""
    initial = config or AppConfig()

    def serve_from(app: FastAPI, store: Store) -> None:
        app.state.store = store
        app.state.briefing_cache = BriefingCache(
            store.briefings,
            initial=initial.briefings,
            seed=initial.briefings,
            every=briefings_check_every,
        )
        app.state.event_hub = EventHub(store.redis, store.keys, heartbeat=sse_heartbeat)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if store is not None:
            yield
            return
        target = open_target(settings.redis_url, settings.data_dir)
        client = target.client()
        serve_from(app, Store(client, prefix=settings.key_prefix))
        try:
            yield
        finally:
            await client.aclose()
            target.close()

    app = FastAPI(
        title="Live Briefing",
        version=API_VERSION,
        description="Many news feeds in, one live deduplicated timeline of developments out.",
        lifespan=lifespan,
        generate_unique_id_function=operation_id,
        docs_url=None,  # service/api/docs_ui.py serves /docs without a CDN
        redoc_url=None,
    )
    install_openapi(app)
    install_docs_ui(app)
    app.state.settings = settings
    app.state.config = initial  # briefings (service/api/briefing_lookup.py)
    app.state.liveness = liveness or Liveness()  # /healthz (routes/health.py)
    # rendered pages (service/api/conditional.py)
    app.state.render_cache = RenderCache(staleness=settings.page_staleness)
    app.state.version_clock = SharedRead[str](version_ttl)
    app.state.feed_health = FeedHealthReads(feed_health_ttl)  # the page's notice (routes/page.py)
    # Sized from the open-file limit in force now: the CLI raises it before this.
    app.state.stream_slots = StreamSlots(
        stream_capacity(settings.sse_max_streams, settings.max_connections, open_file_limit()),
        settings.sse_max_streams_per_client,
    )
    if store is not None:
        serve_from(app, store)
    install_error_handlers(app)
    # Added first, so innermost: the size limit and CORS wrap these answers too.
    app.add_middleware(CacheHits, routes=[briefings.TIMELINE_HITS, articles.ARTICLES_HITS])
    # Around the cache hits too: their checks read Redis before any route runs.
    app.add_middleware(ReadDeadline, seconds=read_deadline.READ_DEADLINE)
    app.add_middleware(RequestSizeLimit, max_bytes=settings.max_request_bytes)
    app.add_middleware(ContentCodingCheck)  # 415 for compressed bodies, before they are read
    if settings.cors_origins:
        install_cors(app, settings.cors_origins)
    app.add_middleware(HeadAsGet)  # outermost: every layer and route sees a GET
    include_live_routes(app)  # first: the timeline is the hot path, routes match in order
    app.include_router(briefings_admin.router)
    app.include_router(index.router)
    app.include_router(health.router)
    app.include_router(metrics.router)
    app.include_router(articles.router)
    app.include_router(feeds.router)
    app.include_router(feeds_admin.export_router)
    app.include_router(feeds_admin.router)
    app.include_router(ops.router)
    app.include_router(subscriptions.router)
    return app
