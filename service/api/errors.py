"""Every error is an RFC 9457 problem details document: ``type``, ``title``, ``status``,
``detail``, and for bad input the offending fields in ``errors``. Bad input is always
a 4xx naming the field; an unexpected failure is a 500 with the same shape and no
internals (the traceback goes to the log). A body sent as JSON that does not parse is a 400
(RFC 9110 §15.5.1), not FastAPI's 422, which says the syntax was right (§15.5.21); a body
sent as something else (``curl -d`` sends ``application/x-www-form-urlencoded``) is a 415
naming the media type to use (§15.5.16), not a 422 about a missing object. Redis
unreachable or out of memory is no defect of ours but a passing state of the store: a 503
with ``Retry-After`` (RFC 9110 §15.6.4), so clients and balancers retry, and one warning
line without a traceback."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from service.api.auth import admin_refusal
from service.api.head import allowed
from service.store.connection import REFUSED, UNAVAILABLE, write_refusal
from service.validation_text import problem_text

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
TYPE_BASE = "https://live-briefing.dev/problems/"

# Seconds a client is asked to wait while Redis is unreachable or full: an embedded Redis
# is restarted within about 15 s, and readiness (/readyz) tells balancers sooner.
STORE_RETRY_AFTER = 5

# The 503's detail by why Redis refused the write (service.store.connection.write_refusal).
_STORE_DETAILS = {
    "out of memory": "storage is full (Redis maxmemory reached); writes are refused until an "
    "operator frees memory",
    "cannot write to disk": "storage cannot write to disk (Redis MISCONF); writes are "
    "refused until an operator fixes its disk",
    "read-only replica": "storage is a read-only replica (Redis READONLY); writes are "
    "refused until REDIS_URL names the primary",
}


def refusal_detail(refusal: str | None) -> str:
    """What a client or an operator is told about Redis refusing writes for ``refusal``
    (``write_refusal``'s reason), or being unreachable when it is None."""
    return _STORE_DETAILS.get(refusal or "", "storage (Redis) is unreachable; retry shortly")


class ProblemError(Exception):
    """Raise from a route to answer with a problem document."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str,
        *,
        kind: str | None = None,
        headers: dict[str, str] | None = None,
    ):
        super().__init__(detail)
        self.status = status
        self.title = title
        self.detail = detail
        self.kind = kind or title.lower().replace(" ", "-")
        self.headers = headers or {}


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


def problem_response(exc: ProblemError) -> JSONResponse:
    """The answer a raised ``exc`` gets, for code that answers without raising it."""
    response = problem(exc.status, exc.title, exc.detail, kind=exc.kind)
    response.headers.update(exc.headers)
    return response


def bad_request(field: str, message: str) -> ProblemError:
    return ProblemError(400, "Bad Request", f"{field}: {message}", kind="invalid-parameter")


def is_json_media_type(content_type: str) -> bool:
    """What FastAPI reads as JSON: ``application/json`` or any ``application/*+json``
    (RFC 6839 §3.1), parameters and case aside."""
    media_type = content_type.split(";", 1)[0].strip().lower()
    main, _, sub = media_type.partition("/")
    return main == "application" and (sub == "json" or sub.endswith("+json"))


def not_json_body(request: Request, exc: RequestValidationError) -> JSONResponse | None:
    """A 415 when a route's JSON body failed validation because the request sent a body of
    another media type (FastAPI then validates the raw bytes and reports a missing object)."""
    content_type = request.headers.get("content-type", "")
    body_errors = any(err["loc"][:1] == ("body",) for err in exc.errors() if err["loc"])
    if not body_errors or is_json_media_type(content_type):
        return None
    sent_a_body = request.headers.get("content-length", "0") != "0" or (
        "transfer-encoding" in request.headers
    )
    if not content_type and not sent_a_body:
        return None  # no body at all: the validation errors say what is missing
    sent = content_type.split(";", 1)[0].strip() or "no Content-Type"
    response = problem(
        415,
        "Unsupported Media Type",
        f"body: send JSON with Content-Type: application/json (got {sent})",
        kind="unsupported-media-type",
    )
    # RFC 5789 §3.1: a 415 to a PATCH names the patch formats the resource takes.
    if request.method == "PATCH":
        response.headers["Accept-Patch"] = "application/json"
    return response


def unreadable_json(exc: StarletteHTTPException) -> str | None:
    """Why a request body could not be read as JSON, when ``exc`` is FastAPI's bare 400
    for it ("There was an error parsing the body", raised from what ``json.loads``
    raised other than a syntax error, which FastAPI reports as ``json_invalid``)."""
    if exc.status_code != 400:
        return None
    cause = exc.__cause__
    if isinstance(cause, UnicodeDecodeError):  # RFC 8259 §8.1: JSON between systems is UTF-8
        return f"not UTF-8 (RFC 8259 §8.1): byte {cause.start} ({cause.reason})"
    if isinstance(cause, RecursionError):
        return "nested too deeply"
    return None


def store_unavailable(detail: str) -> JSONResponse:
    """The 503 of a request Redis could not serve: retry after ``STORE_RETRY_AFTER`` s."""
    response = problem(503, "Service Unavailable", detail, kind="storage-unavailable")
    response.headers["Retry-After"] = str(STORE_RETRY_AFTER)
    return response


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ProblemError)
    async def _problem(_request: Request, exc: ProblemError) -> JSONResponse:
        return problem_response(exc)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        refusal = await admin_refusal(request)
        if refusal is not None:  # no valid admin key: say only that
            return await _http(request, refusal)
        not_json = not_json_body(request, exc)
        if not_json is not None:
            return not_json
        unparsed = [err for err in exc.errors() if err["type"] == "json_invalid"]
        if unparsed:
            reason = unparsed[0].get("ctx", {}).get("error") or unparsed[0]["msg"]
            return problem(400, "Bad Request", f"body: not JSON ({reason})", kind="invalid-json")
        errors = [
            {
                "field": ".".join(str(p) for p in err["loc"] if p not in ("query", "body", "path")),
                "in": str(err["loc"][0]) if err["loc"] else "",
                "message": problem_text(err),
            }
            for err in exc.errors()
        ]
        detail = "; ".join(f"{e['field'] or e['in']}: {e['message']}" for e in errors)
        return problem(422, "Invalid Request", detail, kind="validation", errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        reason = unreadable_json(exc)
        if reason is not None:
            refusal = await admin_refusal(request)
            if refusal is not None:  # no valid admin key: say only that, as _invalid does
                return await _http(request, refusal)
            return problem(400, "Bad Request", f"body: not JSON ({reason})", kind="invalid-json")
        titles = {404: "Not Found", 405: "Method Not Allowed", 401: "Unauthorized"}
        title = titles.get(exc.status_code, "HTTP Error")
        response = problem(exc.status_code, title, str(exc.detail))
        if exc.headers:
            response.headers.update(exc.headers)
        if exc.status_code == 405:
            response.headers["Allow"] = allowed(request.app.routes, request.scope)
        return response

    async def _store_unavailable(request: Request, exc: Exception) -> JSONResponse:
        refusal = write_refusal(exc)
        if isinstance(exc, REFUSED) and refusal is None:
            return await _unexpected(request, exc)
        log.warning(
            "%s %s: Redis %s: %s", request.method, request.url.path, refusal or "unavailable", exc
        )
        return store_unavailable(refusal_detail(refusal))

    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem(500, "Internal Server Error", "an unexpected error occurred; it was logged")

    for kind in (*UNAVAILABLE, REFUSED):
        app.add_exception_handler(kind, _store_unavailable)
    app.add_exception_handler(Exception, _unexpected)
