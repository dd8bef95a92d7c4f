"""/docs works offline: Swagger UI's files come from the installed package, not a CDN."""

from __future__ import annotations

import re

import httpx
from fastapi import FastAPI


async def test_docs_page_loads_only_its_own_assets(client: httpx.AsyncClient) -> None:
    page = await client.get("/docs")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert "http://" not in page.text and "https://" not in page.text  # nothing from outside
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sorted(assets) == [
        "docs/assets/favicon-32x32.png",
        "docs/assets/swagger-ui-bundle.js",
        "docs/assets/swagger-ui.css",
    ]
    for asset in assets:
        response = await client.get("/" + asset)
        assert response.status_code == 200, asset
        assert len(response.content) > 100
    bundle = await client.get("/docs/assets/swagger-ui-bundle.js")
    assert bundle.headers["content-type"].startswith("text/javascript")
    assert "'openapi.json'" in page.text or '"openapi.json"' in page.text


async def test_only_the_swagger_files_are_served(client: httpx.AsyncClient) -> None:
    assert (await client.get("/docs/assets/..%2Findex.html")).status_code == 404
    assert (await client.get("/docs/assets/index.html")).status_code == 404
    assert (await client.get("/redoc")).status_code == 404  # ReDoc would need a CDN


def test_docs_routes_are_not_in_the_api_document(app: FastAPI) -> None:
    assert not [p for p in app.openapi()["paths"] if p.startswith("/docs")]
