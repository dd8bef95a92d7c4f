"""The OpenAPI document matches what the server sends: a client generated from the live
/openapi.json by openapi-python-client calls a real server and parses its answers,
errors included (RFC 9457 problem documents)."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from service.api.app import create_app
from service.settings import Settings
from service.store import Store
from tests.factories import make_article
from tests.support.live_server import serve
from tests.support.redis_server import RedisServer

ADMIN_KEY = "openapi-test-admin-key"
PACKAGE = "briefing_generated_client"


@pytest.fixture
def app_settings() -> Settings:
    return Settings(admin_key=ADMIN_KEY)


def test_every_error_response_is_a_problem_document(app_settings: Settings) -> None:
    document = create_app(app_settings).openapi()
    schemas = document["components"]["schemas"]
    assert "HTTPValidationError" not in schemas and "ValidationError" not in schemas
    assert {"type", "title", "status", "detail"} <= set(schemas["Problem"]["required"])
    operation_ids = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            operation_ids.append(operation["operationId"])
            responses = operation["responses"]
            for status, response in responses.items():
                if int(status) >= 400:
                    assert response["content"] == {
                        "application/problem+json": {
                            "schema": {"$ref": "#/components/schemas/Problem"}
                        }
                    }, (method, path, status)
            if operation.get("security"):
                assert "401" in responses, (method, path)
            if "{" in path:
                assert "404" in responses, (method, path)
            if "requestBody" in operation:
                assert {"413", "415"} <= set(responses), (method, path)
    assert "listArticles" in operation_ids and "createBriefing" in operation_ids
    assert all("_" not in op for op in operation_ids)
    assert len(set(operation_ids)) == len(operation_ids)


def test_every_query_parameter_says_what_it_is(app_settings: Settings) -> None:
    """/docs is the API reference the README points to: no parameter shown bare."""
    document = create_app(app_settings).openapi()
    bare = [
        (method, path, parameter["name"])
        for path, item in document["paths"].items()
        for method, operation in item.items()
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "query" and not parameter.get("description")
    ]
    assert bare == []


@pytest.fixture
def generated_client(tmp_path: Path, spec_path: Path) -> Iterator[ModuleType]:
    """The package openapi-python-client generates from the server's own document."""
    config = tmp_path / "generator.yaml"
    config.write_text(f"package_name_override: {PACKAGE}\npost_hooks: []\n")
    out = tmp_path / PACKAGE
    generator = Path(sys.executable).with_name("openapi-python-client")
    arguments = ["--path", str(spec_path), "--meta", "none", "--output-path", str(out)]
    subprocess.run(
        [str(generator), "generate", *arguments, "--config", str(config)],
        check=True,
        capture_output=True,
        env={**os.environ, "NO_COLOR": "1"},
        timeout=60,
    )
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]


@pytest.fixture
async def spec_path(tmp_path: Path, store: Store, app_settings: Settings) -> Path:
    """/openapi.json as a real server sends it."""
    spec = tmp_path / "openapi.json"
    async with serve(create_app(app_settings, store)) as base, httpx.AsyncClient() as http:
        spec.write_bytes((await http.get(base + "/openapi.json")).content)
    return spec


def _module(package: ModuleType, dotted: str) -> Any:
    return importlib.import_module(f"{package.__name__}.{dotted}")


async def test_generated_client_reads_answers_and_problems(
    generated_client: ModuleType, store: Store, app_settings: Settings
) -> None:
    article = make_article(1)
    await store.articles.ingest(article)
    await store.articles.index(article, "f1")
    list_articles = _module(generated_client, "api.articles.list_articles")
    get_article = _module(generated_client, "api.articles.get_article")
    add_feed = _module(generated_client, "api.feeds.add_feed")
    models = _module(generated_client, "models")

    async with serve(create_app(app_settings, store)) as base:
        client = generated_client.Client(base_url=base, raise_on_unexpected_status=True)
        async with client:
            page = await list_articles.asyncio(client=client, limit=5)
            assert isinstance(page, models.PageArticleOut)
            assert [item.id for item in page.items] == [article.id]

            invalid = await list_articles.asyncio_detailed(client=client, limit=0)
            assert invalid.status_code == 422
            assert invalid.headers["content-type"] == "application/problem+json"
            assert isinstance(invalid.parsed, models.Problem)
            assert invalid.parsed.status == 422
            assert [(e.field, e.in_) for e in invalid.parsed.errors] == [("limit", "query")]

            missing = await get_article.asyncio(client=client, article_id="nope")
            assert isinstance(missing, models.Problem) and missing.status == 404

        async with generated_client.Client(base_url=base) as anonymous_client:
            anonymous = await add_feed.asyncio_detailed(
                client=anonymous_client, body=models.FeedIn(url="https://a.example/feed")
            )
        assert anonymous.status_code == 401
        assert isinstance(anonymous.parsed, models.Problem)

        admin = generated_client.AuthenticatedClient(base_url=base, token=ADMIN_KEY)
        async with admin:
            refused = await add_feed.asyncio(
                client=admin, body=models.FeedIn(url="http://127.0.0.1:9/feed")
            )
            assert isinstance(refused, models.Problem) and refused.status == 400
    assert await store.feeds.by_url("http://127.0.0.1:9/feed") is None


def test_the_header_fields_answers_carry_are_documented(app_settings: Settings) -> None:
    document = create_app(app_settings).openapi()
    conditional = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            headers = {status: set(r.get("headers", {})) for status, r in responses.items()}
            # any request may meet Redis unavailable (service/api/errors.py): 503 + Retry-After
            if path not in ("/healthz", "/readyz"):
                assert "Retry-After" in headers["503"], (method, path)
            if "304" in responses:
                conditional.append(operation["operationId"])
                assert "ETag" in headers["200"] and "ETag" in headers["304"], (method, path)
                names = [p["name"] for p in operation["parameters"] if p["in"] == "header"]
                assert "If-None-Match" in names, (method, path)
                # ``conditional`` evaluates If-Match on these reads too (RFC 9110 §13.1.1).
                assert "If-Match" in names and "412" in responses, (method, path)
            if method == "post" and "201" in responses:  # what it created (§15.3.2)
                assert "Location" in headers["201"], (method, path)
            if "401" in responses:
                assert "WWW-Authenticate" in headers["401"], (method, path)
    merged = document["paths"]["/v1/stories/{story_id}"]["get"]["responses"]["308"]
    assert "Location" in merged["headers"]
    expected = {"getTimeline", "timelineAtom", "timelineJsonFeed", "listArticles", "getStory",
                "getStoryArticles", "getBriefing", "listBriefings"}  # fmt: skip
    assert expected <= set(conditional)
    for path in ("/v1/stories/{story_id}", "/v1/stories/{story_id}/articles"):
        ok = document["paths"][path]["get"]["responses"]["200"]
        assert "Link" in ok["headers"] and "application/json" in ok["content"], path
    # Every list that pages by cursor links its next page (RFC 8288): its 200 says so.
    paged = []
    for path, item in document["paths"].items():
        ok = item.get("get", {}).get("responses", {}).get("200", {})
        schema = ok.get("content", {}).get("application/json", {}).get("schema", {})
        name = schema.get("$ref", "").rsplit("/", 1)[-1]
        if "next_cursor" in document["components"]["schemas"].get(name, {}).get("properties", {}):
            paged.append(path)
            assert "Link" in ok.get("headers", {}), path
    assert {"/v1/feeds", "/v1/articles", "/v1/briefings/{briefing_id}/timeline", "/v1/search",
            "/v1/subscriptions", "/v1/subscriptions/{sub_id}/deliveries"} <= set(paged)  # fmt: skip
    # Every state-changing route evaluates preconditions (RFC 9110 §13.1.1): 412, If-Match.
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if (
                method in ("put", "patch", "delete")
                or (method, path) == ("post", "/v1/briefings")
                or path.endswith(
                    ("/pause", "/resume", "/poll", "/rotate-secret", "/ping", "/redeliver")
                )
            ):
                names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "header"]
                assert "412" in operation["responses"], (method, path)
                assert {"If-Match", "If-None-Match"} <= set(names), (method, path)


async def test_generated_client_parses_the_503_of_an_unreachable_redis(
    generated_client: ModuleType,
    server_store: Store,
    redis_server: RedisServer,
    app_settings: Settings,
) -> None:
    # docs/api.md: "any request may get a 503 ... with Retry-After". The document lists
    # it, so a generated client reads the problem instead of raising UnexpectedStatus.
    list_articles = _module(generated_client, "api.articles.list_articles")
    list_briefings = _module(generated_client, "api.briefings.list_briefings")
    models = _module(generated_client, "models")
    async with serve(create_app(app_settings, server_store)) as base:
        client = generated_client.Client(base_url=base, raise_on_unexpected_status=True)
        async with client:
            await redis_server.kill()
            for call in (list_articles.asyncio_detailed, list_briefings.asyncio_detailed):
                answer = await call(client=client)
                assert answer.status_code == 503
                assert answer.headers["retry-after"] == "5"
                assert isinstance(answer.parsed, models.Problem)
                assert answer.parsed.type_.endswith("/storage-unavailable")
