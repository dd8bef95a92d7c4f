"""Every error is an RFC 9457 problem details document: ``type``, ``title``, ``status``,
``detail``, and for bad input the offending fields in ``errors``. Bad input is always
a 4xx naming the field; an unexpected failure is a 500 with the same shape and no
internals (the traceback goes to the log). A body sent as JSON that does not parse is a 400
(RFC 9110 §15.5.1), not FastAPI's 422, which says the syntax was right (§15.5.21)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from service.api.auth import admin_refusal
from service.api.head import with_head

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://live-briefing.dev/problems/"


class ProblemError(Exception):
    """Raise from a route to answer with a problem document."""

    def __init__(self, status: int, title: str, detail: str, *, kind: str | None = None):
        super().__init__(detail)
        self.status = status
        self.title = title
        self.detail = detail
        self.kind = kind or title.lower().replace(" ", "-")


def problem_document(
    status: int, title: str, detail: str, *, kind: str | None = None, **extra: Any
) -> dict[str, Any]:
    return {
        "type": TYPE_BASE + (kind or title.lower().replace(" ", "-")),
        "title": title,
        "status": status,
        "detail": detail,
        **extra,
    }


def problem(
    status: int, title: str, detail: str, *, kind: str | None = None, **extra: Any
) -> JSONResponse:
    body = problem_document(status, title, detail, kind=kind, **extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


def bad_request(field: str, message: str) -> ProblemError:
    return ProblemError(400, "Bad Request", f"{field}: {message}", kind="invalid-parameter")


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ProblemError)
    async def _problem(_request: Request, exc: ProblemError) -> JSONResponse:
        return problem(exc.status, exc.title, exc.detail, kind=exc.kind)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        refusal = await admin_refusal(request)
        if refusal is not None:  # no valid admin key: say only that
            return await _http(request, refusal)
        unparsed = [err for err in exc.errors() if err["type"] == "json_invalid"]
        if unparsed:
            reason = unparsed[0].get("ctx", {}).get("error") or unparsed[0]["msg"]
            return problem(400, "Bad Request", f"body: not JSON ({reason})", kind="invalid-json")
        errors = [
            {
                "field": ".".join(str(p) for p in err["loc"] if p not in ("query", "body", "path")),
                "in": str(err["loc"][0]) if err["loc"] else "",
                "message": err["msg"],
            }
            for err in exc.errors()
        ]
        detail = "; ".join(f"{e['field'] or e['in']}: {e['message']}" for e in errors)
        return problem(422, "Invalid Request", detail, kind="validation", errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        titles = {404: "Not Found", 405: "Method Not Allowed", 401: "Unauthorized"}
        title = titles.get(exc.status_code, "HTTP Error")
        response = problem(exc.status_code, title, str(exc.detail))
        if exc.headers:
            response.headers.update(exc.headers)
        if "allow" in response.headers:
            response.headers["Allow"] = with_head(response.headers["allow"])
        return response

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem(500, "Internal Server Error", "an unexpected error occurred; it was logged")
