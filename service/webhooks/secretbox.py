"""Webhook secrets encrypted at rest, so that a Redis dump alone cannot sign for us.

Fernet (``cryptography``): AES-128-CBC plus HMAC-SHA256, authenticated, versioned
tokens; a well-reviewed recipe instead of hand-assembled primitives. The key is
``Settings.secret_key`` when set (any string: it is stretched with SHA-256, so give it
at least 32 random characters), else ``data_dir/secret.key``, generated once with
mode 0600. Every process of one deployment must see the same key (same data_dir, or
the same ``BRIEFING_SECRET_KEY``), and the key must not live in Redis.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

KEY_FILE = "secret.key"


class SecretBox:
    def __init__(self, fernet_key: bytes) -> None:
        self._fernet = Fernet(fernet_key)

    @classmethod
    def from_passphrase(cls, secret_key: str) -> SecretBox:
        digest = hashlib.sha256(secret_key.encode("utf-8")).digest()
        return cls(base64.urlsafe_b64encode(digest))

    def encrypt(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        """Raises ValueError when the token was made with another key or was altered."""
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except InvalidToken:
            raise ValueError("webhook secret cannot be decrypted with this secret key") from None


def load_secret_box(secret_key: str | None, data_dir: Path) -> SecretBox:
    """The box for this deployment: from the setting, else from (or into) data_dir."""
    if secret_key:
        return SecretBox.from_passphrase(secret_key)
    path = data_dir / KEY_FILE
    data_dir.mkdir(parents=True, exist_ok=True)
    key = Fernet.generate_key()
    # O_EXCL: when two processes start at once exactly one creates the file; the other
    # reads the winner's key. 0600 from creation, never world-readable for an instant.
    with contextlib.suppress(FileExistsError):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(key)
            fh.flush()
            os.fsync(fh.fileno())
    stored = path.read_bytes().strip()
    if not stored:  # the creator has not written yet
        raise RuntimeError(f"{path} is empty; remove it or set BRIEFING_SECRET_KEY")
    return SecretBox(stored)
