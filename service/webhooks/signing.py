"""Standard Webhooks signatures (spec: "Signature scheme", "Secret").

    signed content = f"{webhook-id}.{webhook-timestamp}.{body}"
    signature      = "v1," + base64(HMAC-SHA256(key, signed content))
    secret         = "whsec_" + base64(key)          key: 24 to 64 random bytes, we use 32

The ``webhook-signature`` header is a space-delimited list of signatures. While a secret
is being rotated we sign with the new and the old one, so a consumer that still holds the
old secret keeps verifying (spec: "Secret rotation"); ``webhook-id`` stays the same across
retries of one message because consumers use it as their idempotency key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets
from collections.abc import Sequence

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32
MIN_KEY_BYTES = 24  # the spec allows 24..64 bytes
MAX_KEY_BYTES = 64


def new_secret() -> str:
    """A fresh ``whsec_`` secret: 32 bytes from the OS CSPRNG."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")


def secret_key(secret: str) -> bytes:
    """The HMAC key inside a ``whsec_`` secret (the spec signs with the decoded bytes)."""
    if not secret.startswith(SECRET_PREFIX):
        raise ValueError("a webhook secret starts with 'whsec_'")
    try:
        key = base64.b64decode(secret[len(SECRET_PREFIX) :], validate=True)
    except binascii.Error:
        raise ValueError("a webhook secret is 'whsec_' + base64") from None
    if not MIN_KEY_BYTES <= len(key) <= MAX_KEY_BYTES:
        raise ValueError("a webhook secret holds 24 to 64 bytes")
    return key


def sign(key: bytes, msg_id: str, timestamp: int, body: bytes) -> str:
    """One ``v1,`` signature of ``{id}.{timestamp}.{body}``."""
    mac = hmac.new(key, f"{msg_id}.{timestamp}.".encode(), hashlib.sha256)
    mac.update(body)
    return "v1," + base64.b64encode(mac.digest()).decode("ascii")


def headers(msg_id: str, timestamp: int, body: bytes, keys: Sequence[bytes]) -> dict[str, str]:
    """The three Standard Webhooks headers, signed with every key in ``keys`` (newest first)."""
    if not keys:
        raise ValueError("at least one signing key is needed")
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(sign(k, msg_id, timestamp, body) for k in keys),
    }
