"""Secrets at rest: generated key file (0600, stable), and a dump alone cannot decrypt."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from service.webhooks.secretbox import KEY_FILE, SecretBox, load_secret_box


def test_generated_key_is_private_and_reused(tmp_path: Path) -> None:
    box = load_secret_box(None, tmp_path)
    token = box.encrypt("whsec_abc")
    mode = stat.S_IMODE((tmp_path / KEY_FILE).stat().st_mode)
    assert mode == 0o600
    assert load_secret_box(None, tmp_path).decrypt(token) == "whsec_abc"


def test_another_key_cannot_decrypt(tmp_path: Path) -> None:
    token = load_secret_box(None, tmp_path).encrypt("whsec_abc")
    assert "whsec_abc" not in token
    with pytest.raises(ValueError):
        SecretBox.from_passphrase("some other deployment key").decrypt(token)


def test_passphrase_from_settings_is_deterministic(tmp_path: Path) -> None:
    token = SecretBox.from_passphrase("k" * 40).encrypt("whsec_abc")
    assert load_secret_box("k" * 40, tmp_path).decrypt(token) == "whsec_abc"
    assert not (tmp_path / KEY_FILE).exists()
