"""``/docs``: Swagger UI served from the ``swagger-ui-bundle-v2`` package, not a CDN.

FastAPI's own ``/docs`` page loads Swagger UI's script and stylesheet from a CDN and stays
blank on a machine without internet access (an air-gapped newsroom, a laptop on a
train). The package ships Swagger UI 5 (which reads OpenAPI 3.1, what FastAPI writes);
its three files are served under ``/docs/assets/``. ReDoc has no such package, so
``/redoc`` is not offered. Every URL is relative to the page, so the UI works under a
reverse proxy's path prefix too.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse
from swagger_ui_bundle import swagger_ui_path

from service.api.errors import ProblemError

ASSETS = {
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui.css": "text/css",
    "favicon-32x32.png": "image/png",
}


def install_docs_ui(app: FastAPI) -> None:
    @app.get("/docs", include_in_schema=False)
    async def swagger_ui(request: Request) -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="openapi.json",
            title=f"{app.title} API",
            swagger_js_url="docs/assets/swagger-ui-bundle.js",
            swagger_css_url="docs/assets/swagger-ui.css",
            swagger_favicon_url="docs/assets/favicon-32x32.png",
        )

    @app.get("/docs/assets/{name}", include_in_schema=False)
    async def swagger_ui_asset(name: str) -> FileResponse:
        media_type = ASSETS.get(name)
        if media_type is None:
            raise ProblemError(404, "Not Found", f"asset: no {name!r}")
        return FileResponse(
            str(swagger_ui_path / name),
            media_type=media_type,
            headers={"Cache-Control": "public, max-age=86400"},
        )
