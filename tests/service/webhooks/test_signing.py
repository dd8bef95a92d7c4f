"""Signing against the spec's published vector and the spec's own reference library."""

from __future__ import annotations

import base64
import time

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from service.webhooks import signing

# The test vector of the Standard Webhooks reference libraries.
VECTOR_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
VECTOR_ID = "msg_p5jXN8AQM9LWM0D4loKWxJek"
VECTOR_TS = 1614265330
VECTOR_BODY = b'{"test": 2432232314}'
VECTOR_SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="


def test_published_vector() -> None:
    key = signing.secret_key(VECTOR_SECRET)
    assert signing.sign(key, VECTOR_ID, VECTOR_TS, VECTOR_BODY) == VECTOR_SIGNATURE


def test_new_secret_is_whsec_and_32_random_bytes() -> None:
    a, b = signing.new_secret(), signing.new_secret()
    assert a.startswith("whsec_") and a != b
    assert len(base64.b64decode(a.removeprefix("whsec_"))) == 32


def test_reference_library_verifies_our_headers_with_either_secret() -> None:
    old, new = signing.new_secret(), signing.new_secret()
    body = b'{"type":"story.created","data":{}}'
    headers = signing.headers(
        "msg_1", int(time.time()), body, [signing.secret_key(new), signing.secret_key(old)]
    )
    assert Webhook(new).verify(body, headers) == {"type": "story.created", "data": {}}
    assert Webhook(old).verify(body, headers) is not None
    with pytest.raises(WebhookVerificationError):
        Webhook(signing.new_secret()).verify(body, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(new).verify(body + b" ", headers)


@pytest.mark.parametrize(
    ("secret", "why"),
    [
        ("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "no whsec_ prefix"),
        ("whsec_not base64!", "not base64"),
        ("whsec_" + base64.b64encode(b"short").decode(), "fewer than 24 bytes"),
    ],
)
def test_malformed_secrets_are_rejected(secret: str, why: str) -> None:
    with pytest.raises(ValueError):
        signing.secret_key(secret)


def test_headers_need_a_key() -> None:
    with pytest.raises(ValueError):
        signing.headers("msg_1", 1, b"", [])
