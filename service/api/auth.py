"""Admin authentication: ``Authorization: Bearer <key>`` (RFC 6750).

A key is accepted when it is ``BRIEFING_ADMIN_KEY`` (compared in constant time, via
SHA-256 digests so that the comparison does not even leak the configured key's length)
or when its SHA-256 digest is stored in Redis (``briefing keys create``; why SHA-256 is
enough for random keys: service/store/apikeys.py). Failures are 401 problems with a
``WWW-Authenticate: Bearer`` challenge; nothing says which part was wrong. A key that
was sent but is not valid adds ``error="invalid_token"`` to the challenge, a request
without one no error (RFC 6750 §3.1), so a client can tell a key to replace from a key
to send.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from service.api.deps import get_settings, get_store
from service.settings import Settings
from service.store import Store
from service.store.apikeys import ApiKeyStore

# auto_error=False: we answer with our own problem document, not FastAPI's 403.
bearer = HTTPBearer(auto_error=False, description="An admin API key")

_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="live-briefing"'}
_INVALID = {"WWW-Authenticate": 'Bearer realm="live-briefing", error="invalid_token"'}


async def require_admin(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    settings: Annotated[Settings, Depends(get_settings)],
    store: Annotated[Store, Depends(get_store)],
) -> str:
    """The name of the admin key used; 401 when there is no valid one."""
    key = credentials.credentials if credentials else ""
    if not key:
        raise HTTPException(401, "an admin API key is required (Authorization: Bearer)", _CHALLENGE)
    if settings.admin_key and _same(key, settings.admin_key):
        return "BRIEFING_ADMIN_KEY"
    info = await ApiKeyStore(store.redis, store.keys).lookup(key)
    if info is None:
        raise HTTPException(401, "the API key is not valid", _INVALID)
    return info.name or info.digest[:8]


async def admin_refusal(request: Request) -> HTTPException | None:
    """The 401 for a request to an admin route without a valid key, else None.

    FastAPI reads and validates the body before it runs any dependency, so a malformed
    body would be a 422 before the key is looked at, telling a caller without a key
    about the route's input; the validation-error handler asks this first."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None or not any(d.call is require_admin for d in dependant.dependencies):
        return None
    try:
        await require_admin(await bearer(request), get_settings(request), get_store(request))
    except HTTPException as exc:
        return exc
    return None


def _same(given: str, expected: str) -> bool:
    a = hashlib.sha256(given.encode("utf-8")).digest()
    b = hashlib.sha256(expected.encode("utf-8")).digest()
    return hmac.compare_digest(a, b)


AdminKey = Annotated[str, Depends(require_admin)]
