"""The OpenAPI document describes what the server sends.

FastAPI documents its own ``HTTPValidationError`` for every 422 and names operations
``list_articles_v1_articles_get``; our handlers (service/api/errors.py) answer every
error as an RFC 9457 problem document with media type ``application/problem+json``.
So, once, when the document is first asked for:

- every 4xx/5xx response's content is ``application/problem+json`` with our ``Problem``
  schema, and FastAPI's ``HTTPValidationError`` / ``ValidationError`` schemas are gone;
- every operation with a security requirement documents 401 (``require_admin``);
- every operation with a request body documents 413 (``RequestSizeLimit``) and 415 (a
  body that is not JSON, ``errors.not_json_body``), and every
  operation with a path parameter 404 (each path names a resource that may not exist);
- every operation documents 503 with ``Retry-After`` (``errors._store_unavailable``:
  any request may meet Redis unreachable, full or read-only), unless it documents its
  own 503 (the health checks, the stream);
- the header fields the answers carry are documented where they are sent: ``ETag`` on
  the 200 and 304 of every operation that answers 304, with the ``If-None-Match``
  request field that asks for it (RFC 9110 §13.1.2) and the ``If-Match`` one that such
  a read evaluates too, answering 412 (§13.1.1, ``conditional``), ``Location`` on a 308
  (§10.2.2) and on the 201 of a POST (what it created, §15.3.2), ``WWW-Authenticate``
  on every 401 (§11.6.1: a 401 must send it);
- operationIds are the route function's name in lowerCamelCase (``listArticles``),
  which generated clients turn into method names.

A generated client (openapi-python-client) parses our 422 with this document; the
test that proves it is tests/service/api/test_openapi.py.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

from service.api.errors import PROBLEM_JSON
from service.api.schemas_stories import FieldProblem, Problem

_FASTAPI_ERROR_SCHEMAS = ("HTTPValidationError", "ValidationError")
_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
_DEFAULT_TEXT = {
    400: "Bad parameter (the field is named in `detail`)",
    401: "No valid admin API key (`Authorization: Bearer`)",
    404: "No such resource",
    409: "Conflict with the current state",
    410: "`since` is older than the retained events",
    412: "`If-Match` names no current `ETag` (strong comparison): read it again",
    413: "Request body too large",
    415: "Request body not sent as JSON (`Content-Type: application/json`), or sent with a "
    "`Content-Encoding` (`Accept-Encoding: identity`: send it uncompressed)",
    422: "Invalid request (fields in `errors`)",
    503: "Storage (Redis) unreachable, full or read-only: retry after `Retry-After` seconds",
}


def _header(description: str) -> dict[str, Any]:
    return {"description": description, "schema": {"type": "string"}}


RETRY_AFTER = _header("Seconds to wait before retrying (RFC 9110 §10.2.3)")
ETAG = _header("Strong validator of this body: send it in `If-None-Match` to get a 304")


def header_parameter(name: str, description: str) -> dict[str, Any]:
    """An optional request header field, as an operation's ``parameters`` list it."""
    return {"name": name, "in": "header", "required": False, **_header(description)}


IF_NONE_MATCH = header_parameter(
    "If-None-Match",
    "ETags of a body you hold (a list, or `*`; compared weakly): "
    "unchanged, the answer is a bodiless 304",
)
IF_MATCH = header_parameter(
    "If-Match",
    "ETags of the body you want (a list, or `*`; compared strongly): "
    "when it has changed, the answer is a 412",
)
LINK_NEXT = _header('`<url>; rel="next"` (RFC 8288): the next page, while more follow')
# The ``responses`` entry of a paged list's 200 (service/api/paging.py).
PAGED: dict[int | str, dict[str, Any]] = {200: {"headers": {"Link": LINK_NEXT}}}
LOCATION = _header("The URL of the story this one merged into")
CREATED_AT = _header("The URL of what the request created")
WWW_AUTHENTICATE = _header(
    '`Bearer realm="live-briefing"`: send an admin API key; with `error="invalid_token"` '
    "when the key sent is not valid (RFC 6750 §3.1)"
)


def operation_id(route: APIRoute) -> str:
    """``list_articles`` -> ``listArticles`` (route function names are unique)."""
    head, *rest = route.name.split("_")
    return head + "".join(word.capitalize() for word in rest)


def install_openapi(app: FastAPI) -> None:
    """Replace ``app.openapi`` with the conformant document (built once, then cached)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
                servers=app.servers,
            )
            app.openapi_schema = conform(document)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def conform(document: dict[str, Any]) -> dict[str, Any]:
    """The same document with every error response a problem document (see module doc)."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    for name in _FASTAPI_ERROR_SCHEMAS:
        schemas.pop(name, None)
    schemas["Problem"] = _schema(Problem, schemas)
    schemas["FieldProblem"] = _schema(FieldProblem, schemas)
    for path_item in document.get("paths", {}).values():
        for method, operation in path_item.items():
            responses = operation.setdefault("responses", {})
            if operation.get("security"):
                responses.setdefault("401", {})
            if "requestBody" in operation:
                responses.setdefault("413", {})
                responses.setdefault("415", {})
            if any(p.get("in") == "path" for p in operation.get("parameters", [])):
                responses.setdefault("404", {})
            responses.setdefault("503", {"headers": {"Retry-After": RETRY_AFTER}})
            _document_headers(method, operation, responses)
            for status, response in responses.items():
                if status.isdigit() and int(status) >= 400:
                    _as_problem(int(status), response)
    return document


def _document_headers(method: str, operation: dict[str, Any], responses: dict[str, Any]) -> None:
    """The header fields of ``operation``'s answers, where they are sent (module doc)."""
    if "304" in responses:
        for status in ("200", "304"):
            responses.setdefault(status, {}).setdefault("headers", {})["ETag"] = ETAG
        responses.setdefault("412", {})
        parameters = operation.setdefault("parameters", [])
        for field in (IF_NONE_MATCH, IF_MATCH):
            if not any(p.get("name") == field["name"] for p in parameters):
                parameters.append(dict(field))
    if "308" in responses:
        responses["308"].setdefault("headers", {})["Location"] = LOCATION
    if method == "post" and "201" in responses:
        responses["201"].setdefault("headers", {})["Location"] = CREATED_AT
    if "401" in responses:
        responses["401"].setdefault("headers", {})["WWW-Authenticate"] = WWW_AUTHENTICATE


def _as_problem(status: int, response: dict[str, Any]) -> None:
    description = response.get("description", "")
    if not description or description in ("Problem", "Validation Error"):
        response["description"] = _DEFAULT_TEXT.get(status, "Problem")
    response["content"] = {PROBLEM_JSON: {"schema": dict(_PROBLEM_REF)}}


def _schema(model: type[Problem] | type[FieldProblem], schemas: dict[str, Any]) -> Any:
    schema = model.model_json_schema(
        by_alias=True, ref_template="#/components/schemas/{model}", mode="serialization"
    )
    for name, nested in schema.pop("$defs", {}).items():
        schemas.setdefault(name, nested)
    return schema
